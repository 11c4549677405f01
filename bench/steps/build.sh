# Builds what bench/run measures, one cargo build at a time (the machine is shared):
# the CLI, the mock, the measuring tool and, when the app step runs, the app, then the empty
# Tauri window, which shares the target directory so it reuses the app's compiled Tauri.

build_all() {
  local flag=()
  [ "$profile" = release ] && flag=(--release)
  say "building ($profile profile)"
  if ! wanted app; then
    cargo build "${flag[@]}" --locked -p registrar-cli -p registrar-mock-op -p registrar-bench
    return
  fi
  if [ ! -f ui/dist/index.html ]; then
    npm --prefix ui run build --silent
  fi
  cargo build "${flag[@]}" --locked -p registrar-cli -p registrar-mock-op -p registrar-bench -p registrar-app
  # Its lock file starts as a copy of the workspace's, so it resolves the same Tauri.
  [ -f bench/empty-window/Cargo.lock ] || cp Cargo.lock bench/empty-window/Cargo.lock
  CARGO_TARGET_DIR=$target_dir cargo build "${flag[@]}" --manifest-path bench/empty-window/Cargo.toml
}
