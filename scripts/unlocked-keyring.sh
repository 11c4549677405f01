#!/usr/bin/env bash
# The Secret Service of scripts/with-keychain.sh's private session, as its D-Bus
# activation starts it: gnome-keyring in the foreground, its login keyring created or
# unlocked with the sandbox's throw-away password.
printf 'registrar-test' | exec gnome-keyring-daemon --unlock --foreground --components=secrets
