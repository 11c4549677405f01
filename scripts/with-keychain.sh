#!/usr/bin/env bash
# Runs a command with a private, unlocked Secret Service (gnome-keyring) on a private
# D-Bus session, with HOME and the XDG directories in a temporary folder: tests use the
# real keychain code path and never touch the user's keychain, data or config.
# Usage: scripts/with-keychain.sh COMMAND...   (it re-executes itself under dbus-run-session)
set -euo pipefail

if [ -z "${REGISTRAR_KEYCHAIN_SESSION:-}" ]; then
  sandbox=$(mktemp -d -t registrar-test-home.XXXXXX)
  trap 'rm -rf "$sandbox"' EXIT
  export REGISTRAR_KEYCHAIN_SESSION=1
  export REGISTRAR_TEST_SANDBOX="$sandbox"
  # Cargo and rustup keep their own homes, which must stay the real ones.
  export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}" RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
  export HOME="$sandbox/home" XDG_DATA_HOME="$sandbox/data" XDG_CONFIG_HOME="$sandbox/config" \
         XDG_CACHE_HOME="$sandbox/cache" XDG_RUNTIME_DIR="$sandbox/run"
  mkdir -p "$HOME" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
  chmod 700 "$XDG_RUNTIME_DIR"
  dbus-run-session -- "$0" "$@"
  exit $?
fi

# Inside the session: start the keyring daemon unlocked with a throw-away password.
eval "$(printf 'registrar-test' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
"$@"
