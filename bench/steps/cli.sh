# CLI per operation against curl sending the same HTTP request to the same local mock.
# The CLI's figure includes what a user's run includes: process start, opening the
# database (and its crash-recovery check), the keychain, the HTTP call and the output.
# `registrar get` answers from the local database and keychain (that is the point of it);
# its curl counterpart is the provider read a curl user would have to make instead.

step_cli_vs_curl() {
  say "CLI vs curl (register, get, refresh)"
  start_mock cli --require-initial-token
  local data=$work/cli-data client=$work/client.json
  cat >"$client" <<'JSON'
{"client_name":"Billing portal","redirect_uris":["https://billing.example.org/callback","https://billing.example.org/silent-renew"],"grant_types":["authorization_code","refresh_token"],"response_types":["code"],"contacts":["ops@example.org"],"scope":"openid profile email"}
JSON
  REGISTRAR_BENCH_IAT=$mock_iat "$registrar" --data-dir "$data" profile add bench --kind generic \
    --registration-endpoint "$mock_base/register" --registration-auth bearer \
    --secret-env REGISTRAR_BENCH_IAT >/dev/null
  local id
  id=$("$registrar" --data-dir "$data" --json register --profile bench --file "$client" | jq -r .client_id)
  # curl's own client, with the registration access token a curl user keeps themselves.
  local answer cid rat
  answer=$(curl -sf -X POST -H "Authorization: Bearer $mock_iat" -H 'Content-Type: application/json' \
    --data-binary "@$client" "$mock_base/register")
  cid=$(jq -r .client_id <<<"$answer")
  rat=$(jq -r .registration_access_token <<<"$answer")

  local reg="$registrar --data-dir $data"
  time_pair "$work/cli-register.json" "$cli_runs" "$cli_warmup" \
    "$reg register --profile bench --file $client" \
    "curl -sf -X POST -H 'Authorization: Bearer $mock_iat' -H 'Content-Type: application/json' --data-binary @$client $mock_base/register"
  time_pair "$work/cli-get.json" "$cli_runs" "$cli_warmup" \
    "$reg get $id --show-secret" \
    "curl -sf -H 'Authorization: Bearer $rat' $mock_base/register/$cid"
  time_pair "$work/cli-refresh.json" "$cli_runs" "$cli_warmup" \
    "$reg refresh $id" \
    "curl -sf -H 'Authorization: Bearer $rat' $mock_base/register/$cid"
  "$bench" hyperfine --rows "$rows" --kind cli --json "$work/cli-register.json" --label register \
    --note "POST /register; the CLI also reads the initial access token from the keychain and stores the new secret and token there"
  "$bench" hyperfine --rows "$rows" --kind cli --json "$work/cli-get.json" --label "get --show-secret" \
    --note "the CLI reads its database and the keychain; curl makes the provider read (GET /register/ID)"
  "$bench" hyperfine --rows "$rows" --kind cli --json "$work/cli-refresh.json" --label refresh \
    --note "GET /register/ID; the CLI also reads the token from the keychain, compares the answer's credentials and records the state, drift and HTTP history"
  stop_mock "$mock_pid"
}
