# Issue 17's two figures: an Open Banking registration (signed request, software statement,
# mutual TLS) by the CLI against curl with --cert sending the same request to the same
# openbanking mock; and what signing a registration request and an assertion adds to a CLI
# operation: the same CLI registration signed and unsigned, and each signature's parts on
# their own (in-process, the real keychain).

step_custody() {
  say "custody: mTLS registration vs curl --cert, and the signing cost"
  local data=$work/custody-data files=$work/custody
  mkdir -p "$files"
  # The profile and the directory key first: the mock trusts the directory from its start.
  "$bench" custody-setup directory --data-dir "$data" --profile ob \
    --jwks-out "$files/directory-jwks.json"
  # Signed requests as always, and unsigned JSON too: the same registration both ways.
  mock_kind=openbanking start_mock custody --directory-jwks "$files/directory-jwks.json" \
    --accept-unsigned-requests
  local field issuer endpoint token ca
  field() { awk -v k="$1:" '$1 == k {print $2}' "$mock_out"; }
  issuer=$(field issuer) endpoint=$(field registration_endpoint) token=$(field token_endpoint)
  ca=$(field tls_ca_pem)
  [ -f "$ca" ] || { echo "bench/run: the openbanking mock printed no CA (see $mock_out)" >&2; exit 1; }
  cp "$ca" "$files/ca.pem"
  "$bench" custody-setup profile --data-dir "$data" --profile ob --issuer "$issuer" \
    --registration-endpoint "$endpoint" --token-endpoint "$token" --ca "$files/ca.pem" --out "$files"

  # Both sides once, checked: the CLI registers (signed, over mTLS), and the mock takes
  # curl's request as it is (the mock keeps no registration jti, so the one signed
  # request.jwt may be sent again in every run).
  "$registrar" --data-dir "$data" --json register --profile ob --file "$files/client.json" \
    | jq -e '.client_id' >/dev/null
  local curl_cmd="curl -sf --cacert $files/ca.pem --cert $files/client.pem --key $files/client.key -H 'Content-Type: application/jwt' --data-binary @$files/request.jwt $endpoint"
  curl -sf --cacert "$files/ca.pem" --cert "$files/client.pem" --key "$files/client.key" \
    -H 'Content-Type: application/jwt' --data-binary "@$files/request.jwt" "$endpoint" \
    | jq -e '.client_id and .registration_access_token' >/dev/null \
    || { echo "bench/run: the openbanking mock refused curl's signed registration" >&2; exit 1; }

  # Alternately (registrar-bench time: the two see the same machine), each CLI
  # registration forgotten before the next round (untimed), so every run meets the keychain
  # the first did: gnome-keyring rewrites its whole file for every new item, and a hundred
  # runs' tokens would otherwise make the later runs slower than the first, a cost of the
  # benchmark's own making. curl's side stores nothing. The unsigned twin's first
  # registration is kept with the profile's (the next figure registers with it too).
  "$registrar" --data-dir "$data" --json register --profile ob-unsigned --file "$files/client.json" \
    | jq -e '.client_id' >/dev/null
  local forget_new="$bench custody-setup forget-new --data-dir $data --profile ob --profile ob-unsigned --keep $files/kept-clients"
  $forget_new
  "$bench" time --json "$work/custody-register.json" --runs "$mtls_runs" --warmup "$cli_warmup" \
    --between "$forget_new" \
    "$registrar --data-dir $data register --profile ob --file $files/client.json" \
    "$curl_cmd"
  "$bench" hyperfine --rows "$rows" --kind cli --json "$work/custody-register.json" \
    --label "register over mTLS (openbanking)" \
    --note "POST /register over mutual TLS, Content-Type application/jwt (PS256 request with the software statement); curl sends the same claims signed once beforehand with the same key and certificate; the CLI also reads the key and certificate from the keychain, signs, and stores the registration access token"
  # The same pair the way this figure was measured until 8316e67, stated beside it:
  # hyperfine's consecutive blocks (all registrations, then all curls; the keychain gaining
  # a token a run), each side's warm best case. The tokens are forgotten afterwards.
  time_pair "$work/custody-register-blocks.json" "$cli_runs" "$cli_warmup" \
    "$registrar --data-dir $data register --profile ob --file $files/client.json" \
    "$curl_cmd"
  "$bench" hyperfine --rows "$rows" --kind cli --json "$work/custody-register-blocks.json" \
    --label "register over mTLS (openbanking), consecutive blocks" \
    --note "the row above's registration and curl, measured as hyperfine measures (when installed): 40 registrations in a row, then 40 curls in a row, the keychain gaining a token a registration; each side's start stays warm from its previous run"
  $forget_new
  # What signing adds to that CLI registration: the same one signed and unsigned (the
  # profile's twin without a request signing key), alternately, paired run by run.
  # Each pair's two registrations are forgotten before the next pair (untimed), so every
  # pair meets the keychain as the first did: it otherwise gains two tokens a pair, and its
  # daemon rewrites its whole file on every write, ever slower and noisier.
  "$bench" time --json "$work/custody-adds.json" --runs "$adds_runs" --warmup "$cli_warmup" \
    --between "$forget_new" \
    "$registrar --data-dir $data register --profile ob --file $files/client.json" \
    "$registrar --data-dir $data register --profile ob-unsigned --file $files/client.json"
  "$bench" custody-adds --rows "$rows" --json "$work/custody-adds.json" $([ "$quick" = 1 ] && echo --quick)
  # What the signing costs on its own, set against the registration.
  "$bench" custody-sign --rows "$rows" --data-dir "$data" --profile ob --client "$files/client.json" \
    --runs "$sign_runs" --operation-json "$work/custody-register.json" \
    $([ "$quick" = 1 ] && echo --quick)
  stop_mock "$mock_pid"
  custody_assertion_adds
}

# What signing an assertion adds to a CLI operation: `registrar try --grant
# client_credentials` of a private_key_jwt client (PS256) against the same try of a
# client_secret_basic client of the same profile, on the generic mock, alternately.
custody_assertion_adds() {
  mock_kind=generic start_mock assertion --require-initial-token
  local data=$work/assertion-data reg kid jwks signed secret
  reg="$registrar --data-dir $data"
  REGISTRAR_BENCH_IAT=$mock_iat $reg profile add bench --kind generic --issuer "$mock_base" \
    --registration-endpoint "$mock_base/register" --token-endpoint "$mock_base/token" \
    --registration-auth bearer --secret-env REGISTRAR_BENCH_IAT >/dev/null
  kid=$($reg --json keys generate bench --type rsa --alg PS256 --label assertion | jq -r .kid)
  jwks=$($reg --json keys jwks bench | jq -c .)
  local m2m=(--set 'grant_types=["client_credentials"]' --set 'response_types=[]')
  signed=$($reg --json register --profile bench "${m2m[@]}" --set client_name=signed \
    --set token_endpoint_auth_method=private_key_jwt --set "jwks=$jwks" | jq -r .client_id)
  $reg keys bind bench "$kid" --client "$signed" >/dev/null
  secret=$($reg --json register --profile bench "${m2m[@]}" --set client_name=secret \
    --set token_endpoint_auth_method=client_secret_basic | jq -r .client_id)
  # Both work before they are timed, and the signed one did sign.
  $reg --json try "$signed" --grant client_credentials \
    | jq -e '.auth_method == "private_key_jwt" and .access_token_length > 0' >/dev/null
  $reg --json try "$secret" --grant client_credentials \
    | jq -e '.auth_method == "client_secret_basic" and .access_token_length > 0' >/dev/null
  "$bench" time --json "$work/custody-assertion-adds.json" --runs "$adds_runs" --warmup "$cli_warmup" \
    "$reg try $signed --grant client_credentials" "$reg try $secret --grant client_credentials"
  "$bench" custody-adds --signed assertion --rows "$rows" --json "$work/custody-assertion-adds.json" \
    $([ "$quick" = 1 ] && echo --quick)
  stop_mock "$mock_pid"
}
