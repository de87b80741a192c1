#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with its own unlocked gnome-keyring, so that
# tests and benchmarks use a real Secret Service without touching the developer's own keychain.
set -euo pipefail
if [ -z "${KEYWARDEN_PRIVATE_KEYRING:-}" ]; then
  export KEYWARDEN_PRIVATE_KEYRING=1
  exec dbus-run-session -- bash "$0" "$@"
fi
scratch=$(mktemp -d -t keywarden-keyring.XXXXXX)
chmod 700 "$scratch"
export XDG_DATA_HOME="$scratch/data" XDG_RUNTIME_DIR="$scratch/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
eval "$(printf 'keywarden-private-keyring' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
trap 'rm -rf "$scratch"' EXIT
"$@"
