#!/usr/bin/env bash
# Every check and every test, as CI runs them, on one shared cargo build: the frontend
# (type check, unit tests, build), formatting, lints, the Rust tests with a private
# keychain (against the mock and against real third-party providers), the GUI end-to-end tests in a real window, the .deb package
# (built from the debug build, unpacked and checked), a short fuzzing
# run and the benchmark suite's quick mode.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n== %s\n' "$*"; }

step "frontend: build, type check, unit tests"
npm --prefix ui run build --silent
npm --prefix ui run check --silent
npm --prefix ui test --silent

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "real providers: node-oidc-provider (npm) and Authlib (PyPI), pinned, into target/real-providers"
# Installed once and cached in the build area; the tests start and stop them.
bash tests/providers/install.sh target/real-providers

step "cargo test (private Secret Service session)"
scripts/with-keychain.sh cargo test --workspace --locked --no-fail-fast

step "TypeScript bindings are up to date"
# The tests above regenerate ui/src/bindings from the Rust types; a difference means
# someone changed a type without committing its binding.
if [ -n "$(git status --porcelain -- ui/src/bindings)" ]; then
  git status --short -- ui/src/bindings
  echo "ui/src/bindings is stale: run the tests and commit the regenerated files" >&2
  exit 1
fi

if [ -x scripts/gui-test.sh ]; then
  step "GUI end-to-end tests (real window under Xvfb, WebDriver)"
  scripts/gui-test.sh
fi

step ".deb package (Tauri bundler), unpacked and checked: versions, man pages, completions, lintian"
scripts/package.sh --debug

step "fuzzing (short budget: ${REGISTRAR_FUZZ_SECONDS:-10}s per target)"
scripts/fuzz.sh "${REGISTRAR_FUZZ_SECONDS:-10}"

if [ -x bench/run ]; then
  step "benchmarks build and run (--quick; figures are in docs/benchmarks.md)"
  bench/run --quick
fi
