#!/usr/bin/env bash
# Runs the end-to-end tests of the desktop app in its real window (tests/gui): tauri-driver
# drives the built app through WebKitWebDriver, on a virtual display (Xvfb), with a private
# keychain session. Installs tauri-driver and builds the UI and the app first when needed.
# Needs what scripts/setup.sh installs. Arguments go to the test binary, e.g. a filter:
#   scripts/gui-test.sh lifecycle::wso2
# The README's screenshots are rewritten under docs/screenshots/ on each run.
set -euo pipefail
cd "$(dirname "$0")/.."

TAURI_DRIVER_VERSION=2.1.0
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

for tool in xvfb-run xdotool xclip dbus-run-session gnome-keyring-daemon WebKitWebDriver npm cargo; do
  command -v "$tool" >/dev/null || { echo "gui-test: $tool is missing; run scripts/setup.sh first" >&2; exit 1; }
done

if ! command -v tauri-driver >/dev/null; then
  echo "gui-test: installing tauri-driver $TAURI_DRIVER_VERSION"
  cargo install tauri-driver --locked --version "$TAURI_DRIVER_VERSION"
fi

# The UI is built into ui/dist, which the app embeds: rebuild it when a source is newer.
if [ ! -d ui/node_modules ]; then
  echo "gui-test: installing the frontend's npm packages"
  (cd ui && npm install --no-save --ignore-scripts --no-audit --no-fund)
fi
if [ ! -f ui/dist/index.html ] || [ -n "$(find ui/src ui/index.html ui/package.json ui/vite.config.ts ui/svelte.config.js \
      -newer ui/dist/index.html -print -quit)" ]; then
  echo "gui-test: building the UI"
  npm --prefix ui run build
fi
# Cargo rebuilds the app only if it (or the ui/dist it embeds) changed.
cargo build --locked -p registrar-app

export REGISTRAR_GUI_TESTS=1
exec scripts/with-keychain.sh xvfb-run -a --server-args="-screen 0 1920x1200x24" \
  cargo test --locked -p registrar-tests --test gui -- --test-threads=1 "$@"
