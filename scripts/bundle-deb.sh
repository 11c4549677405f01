#!/usr/bin/env bash
# Builds the .deb with the Tauri bundler from the debug build the tests already made,
# and checks that the package holds the app and its desktop entry.
set -euo pipefail
cd "$(dirname "$0")/.."
export TAURI_APP_PATH=src-tauri
npm --prefix ui exec --offline -- tauri build --debug --bundles deb --ci >/tmp/registrar-bundle.log 2>&1 || {
  tail -40 /tmp/registrar-bundle.log >&2
  exit 1
}
deb=$(ls -t target/debug/bundle/deb/*.deb | head -n 1)
contents=$(dpkg-deb --contents "$deb")
grep -q 'usr/bin/registrar-app' <<<"$contents" || { echo "$deb has no usr/bin/registrar-app" >&2; exit 1; }
grep -q 'usr/share/applications/.*\.desktop' <<<"$contents" || { echo "$deb has no desktop entry" >&2; exit 1; }
echo "built $deb ($(du -h "$deb" | cut -f1))"
