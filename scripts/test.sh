#!/usr/bin/env bash
# Every check and every test, as CI runs them: formatting, lints, then the whole test
# suite on one shared build, with a private keychain session.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "== cargo test (private Secret Service session)"
scripts/with-keychain.sh cargo test --workspace --locked --no-fail-fast
