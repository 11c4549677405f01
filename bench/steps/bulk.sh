# Bulk refresh through the CLI (`registrar refresh --all`), with the real keychain, of
# clients registered beforehand through the core: 16 at a time against one at a time, and
# the concurrent run's absolute time.

step_bulk_refresh() {
  say "bulk refresh of $bulk_clients clients (keychain included)"
  start_mock bulk --require-initial-token
  local data=$work/bulk-data
  REGISTRAR_BENCH_IAT=$mock_iat "$registrar" --data-dir "$data" profile add bulk --kind generic \
    --registration-endpoint "$mock_base/register" --registration-auth bearer \
    --secret-env REGISTRAR_BENCH_IAT >/dev/null
  "$bench" populate --data-dir "$data" --profile bulk --clients "$bulk_clients"
  local reg="$registrar --data-dir $data refresh --all --profile bulk"
  time_pair "$work/bulk.json" "$bulk_runs" 0 "$reg --concurrency 16" "$reg --concurrency 1"
  local label note
  label="$(thousands "$bulk_clients") (CLI, keychain)"
  note="registrar refresh --all --concurrency 16 vs --concurrency 1, real Secret Service (gnome-keyring)"
  "$bench" hyperfine --rows "$rows" --kind bulk --json "$work/bulk.json" --label "$label" --note "$note"
  # On loopback the mock answers in microseconds and one at a time is already bound by
  # CPU; concurrency exists to overlap a provider's latency, so measure it with some.
  curl -fsS -X POST -H 'content-type: application/json' \
    -d "{\"kind\":\"latency\",\"millis\":$bulk_latency_ms}" "$mock_base/_admin/faults"
  time_pair "$work/bulk-latency.json" 1 0 "$reg --concurrency 16" "$reg --concurrency 1"
  "$bench" hyperfine --rows "$rows" --kind bulk --json "$work/bulk-latency.json" --speedup-only \
    --label "$label, provider ${bulk_latency_ms} ms away" --note "$note; latency injected by the mock (Fault::Latency)"
  stop_mock "$mock_pid"
  # The same without the keychain, in-process, with and without provider latency.
  "$bench" bulk --rows "$rows" --clients "$bulk_clients"
}
