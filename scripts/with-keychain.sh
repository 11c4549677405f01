#!/usr/bin/env bash
# Runs a command with a private, unlocked Secret Service (gnome-keyring) on a private
# D-Bus session, with HOME and the XDG directories in a temporary folder: tests use the
# real keychain code path and never touch the user's keychain, data or config.
# Usage: scripts/with-keychain.sh COMMAND...   (it re-executes itself under dbus-run-session)
#
# gnome-keyring has been seen to crash under bursts of concurrent encrypted sessions
# (a GLib abort in its session negotiation). The session bus would then activate the
# system's own service file, a *locked* daemon, and every later test would fail with
# "keychain is locked". So the bus is given a service file of ours first: a daemon it
# starts again on demand is unlocked with the same throw-away password, and a crash costs
# at most the call in flight.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

if [ -z "${REGISTRAR_KEYCHAIN_SESSION:-}" ]; then
  sandbox=$(mktemp -d -t registrar-test-home.XXXXXX)
  trap 'rm -rf "$sandbox"' EXIT
  export REGISTRAR_KEYCHAIN_SESSION=1
  export REGISTRAR_TEST_SANDBOX="$sandbox"
  # Cargo and rustup keep their own homes, which must stay the real ones.
  export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}" RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
  export HOME="$sandbox/home" XDG_DATA_HOME="$sandbox/data" XDG_CONFIG_HOME="$sandbox/config" \
         XDG_CACHE_HOME="$sandbox/cache" XDG_RUNTIME_DIR="$sandbox/run"
  mkdir -p "$HOME" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR" "$sandbox/dbus-services"
  chmod 700 "$XDG_RUNTIME_DIR"
  # Our Secret Service first; everything else (accessibility, dconf) as the system has it.
  cat >"$sandbox/dbus-services/org.freedesktop.secrets.service" <<SERVICE
[D-BUS Service]
Name=org.freedesktop.secrets
Exec=$here/unlocked-keyring.sh
SERVICE
  cat >"$sandbox/session.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <servicedir>$sandbox/dbus-services</servicedir>
  <include>/usr/share/dbus-1/session.conf</include>
</busconfig>
CONF
  dbus-run-session --config-file="$sandbox/session.conf" -- "$0" "$@"
  exit $?
fi

# Inside the session: start the daemon now (the bus restarts it, unlocked, if it dies).
dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
  org.freedesktop.DBus.StartServiceByName string:org.freedesktop.secrets uint32:0 >/dev/null
"$@"
