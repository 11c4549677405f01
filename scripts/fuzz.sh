#!/usr/bin/env bash
# Runs every fuzz target for a bounded time (seconds per target, default 20). The stable
# toolchain is told to allow cargo-fuzz's nightly flags (RUSTC_BOOTSTRAP), since only
# stable is installed here. New inputs found go to a scratch corpus; the committed seed
# corpus stays small.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1
scratch=$(mktemp -d -t registrar-fuzz.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
# Built first, unfiltered: a target that no longer compiles says why (the runs below
# keep only libFuzzer's summary lines).
cargo fuzz build --fuzz-dir fuzz --sanitizer none
for target in provider_response discovery_document mock_request tokens resource_answers stored_key; do
  mkdir -p "$scratch/$target"
  echo "fuzzing $target for ${seconds}s"
  # No sanitizer: Rust is memory-safe here, and a plain build is several times faster.
  cargo fuzz run --fuzz-dir fuzz --sanitizer none "$target" "$scratch/$target" "fuzz/corpus/$target" -- \
    -max_total_time="$seconds" -max_len=8192 -rss_limit_mb=2048 -print_final_stats=1 2>&1 \
    | grep -E '^(#|Done|stat::number_of_executed_units|==|SUMMARY|thread)' | tail -4
done
