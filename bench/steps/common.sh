# Shared by the steps of bench/run: sizes per mode, where results go, how to start and
# stop a mock provider, and the machine's description for the table's header.

if [ "$quick" = 1 ]; then
  cli_runs=5 cli_warmup=1 sign_runs=20 adds_runs=5 mtls_runs=5
  bulk_clients=100 bulk_runs=1 bulk_latency_ms=20
  search_rows=20000 search_runs=5
  load_requests=10000 load_warmup=500
  app_clients=10000 app_runs=1 app_warmups=0 app_quiet=1.5 app_idle=3
else
  cli_runs=40 cli_warmup=3 sign_runs=200 adds_runs=200 mtls_runs=100
  bulk_clients=1000 bulk_runs=3 bulk_latency_ms=20
  search_rows=100000 search_runs=25
  load_requests=100000 load_warmup=2000
  app_clients=10000 app_runs=5 app_warmups=1 app_quiet=3 app_idle=30
fi

target_dir=${CARGO_TARGET_DIR:-$PWD/target}
bin_dir=$target_dir/$([ "$profile" = dev ] && echo debug || echo release)
bench=$bin_dir/registrar-bench
registrar=$bin_dir/registrar
mock_bin=$bin_dir/registrar-mock-op
suffix=""
[ "$quick" = 1 ] && suffix=-quick
work=$target_dir/bench/$(date +%Y%m%d-%H%M%S)$suffix
rows=$work/rows.jsonl
mkdir -p "$work"
: >"$rows"

say() { printf '\n== %s\n' "$*" >&2; }
thousands() { sed ':a;s/\B[0-9]\{3\}\>/,&/;ta' <<<"$1"; }

# The mocks this run started, stopped on exit by their process ids.
mock_pids=()
cleanup() {
  for pid in "${mock_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

# start_mock NAME [ARGS...]: starts a mock provider on a free loopback port (of dialect
# $mock_kind, generic unless set); sets mock_pid, mock_base, mock_iat (the initial access
# token, when it wants one) and mock_out (the file of everything it printed at start).
start_mock() {
  local name=$1; shift
  local out=$work/mock-$name.out
  mock_out=$out
  "$mock_bin" --kind "${mock_kind:-generic}" --port 0 "$@" >"$out" 2>"$work/mock-$name.err" &
  mock_pid=$!
  mock_pids+=("$mock_pid")
  # admin_api is the last line it prints at start.
  for _ in $(seq 100); do
    grep -q '^admin_api:' "$out" 2>/dev/null && break
    sleep 0.05
  done
  mock_base=$(awk '/^base_url:/ {print $2}' "$out")
  mock_iat=$(awk '/^initial_access_token:/ {print $2}' "$out")
  [ -n "$mock_base" ] || { echo "bench/run: the mock provider did not start (see $work/mock-$name.err)" >&2; exit 1; }
}

stop_mock() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

machine_summary() {
  local cpu mem os
  cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
  mem=$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
  os=$(. /etc/os-release && echo "$PRETTY_NAME")
  echo "machine: $(nproc) cores ($cpu), $mem memory, $os, kernel $(uname -r)"
  echo "load average (1/5/15 min) before: $(cut -d' ' -f1-3 /proc/loadavg)"
}

# time_pair JSON RUNS WARMUP CMD1 CMD2: both commands side by side, hyperfine when it is
# installed (no shell in between), else registrar-bench's own alternating timer.
time_pair() {
  local json=$1 runs=$2 warmup=$3; shift 3
  if command -v hyperfine >/dev/null; then
    hyperfine -N --style basic --runs "$runs" --warmup "$warmup" --export-json "$json" "$@" \
      >>"$work/hyperfine.log" 2>&1 || { tail -20 "$work/hyperfine.log" >&2; return 1; }
  else
    "$bench" time --json "$json" --runs "$runs" --warmup "$warmup" "$@"
  fi
}
