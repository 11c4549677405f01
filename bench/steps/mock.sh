# The mock provider binary under load on loopback: registrations per second, and the
# growth of its memory for the clients it then stores.

step_mock_throughput() {
  say "mock provider: $load_requests registrations on loopback"
  start_mock load
  "$bench" load --rows "$rows" --addr "${mock_base#http://}" --pid "$mock_pid" \
    --requests "$load_requests" --warmup "$load_warmup"
  stop_mock "$mock_pid"
}
