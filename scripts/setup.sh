#!/usr/bin/env bash
# Installs what building, running and testing Registrar needs on a fresh Debian machine:
# the Debian packages (WebKitGTK for the window, its WebDriver, Xvfb, gnome-keyring and
# D-Bus for the keychain, hyperfine and jq for the benchmarks, lintian, appstream,
# desktop-file-utils and rpm to check the packages), and the frontend's npm
# packages. Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential pkg-config curl file
  libwebkit2gtk-4.1-dev libxdo-dev libssl-dev libayatana-appindicator3-dev librsvg2-dev
  libdbus-1-dev
  xvfb xauth x11-utils xdotool xclip webkit2gtk-driver imagemagick
  gnome-keyring dbus-x11 libsecret-tools
  hyperfine jq
  lintian appstream desktop-file-utils rpm
  tmux
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v cargo >/dev/null || { echo "setup: cargo is missing; install Rust (rustup) first" >&2; exit 1; }

if [ -f ui/package.json ] && [ ! -d ui/node_modules ]; then
  echo "setup: installing the frontend's npm packages"
  # `npm install` against the lockfile: `npm ci` insists on lock entries for every
  # platform's build of the Tauri CLI, which the registry reachable here does not all serve.
  (cd ui && npm install --no-save --ignore-scripts --no-audit --no-fund)
fi
