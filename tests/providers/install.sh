#!/usr/bin/env bash
# Installs the real third-party DCR servers used by Registrar's integration
# tests into a cache folder, only when missing or when their pinned
# dependencies changed (a hash stamp per server).
#
#   bash tests/providers/install.sh [CACHE_DIR]      (default: target/real-providers)
#
# Layout produced (relative paths are taken from the repository root):
#   CACHE_DIR/node-oidc/{package.json,package-lock.json,server.mjs,node_modules/,.stamp}
#       run:  node CACHE_DIR/node-oidc/server.mjs '<json config>'
#       or:   NODE_OIDC_MODULES=CACHE_DIR/node-oidc node tests/providers/node-oidc/server.mjs '<json>'
#   CACHE_DIR/mcp-server/{package.json,package-lock.json,server.mjs,node_modules/,.stamp}
#       run:  node CACHE_DIR/mcp-server/server.mjs '{"issuer":"http://127.0.0.1:N"}'
#   CACHE_DIR/authlib-venv/                           (see install_authlib)
#
# Needs: node + npm (node-oidc, mcp-server); python3 (authlib). Only the package registries'
# ordinary clients are used.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PROVIDERS="$REPO_ROOT/tests/providers"
DIR="${1:-target/real-providers}"
case "$DIR" in
  /*) ;;
  *) DIR="$REPO_ROOT/$DIR" ;;
esac
mkdir -p "$DIR"

log() { printf 'install.sh: %s\n' "$*" >&2; }

# Hash of the given files' contents (and names), for stamps.
hash_files() {
  local f
  for f in "$@"; do
    printf '%s\n' "$(basename "$f")"
    cat "$f"
  done | sha256sum | cut -d' ' -f1
}

# ------------------------------------------------------------- npm packages
# An npm package of tests/providers (package.json with every direct dependency
# pinned, the lockfile committed, a server.mjs) into "$DIR/<name>", with `npm ci`
# only when the lockfile or node's version changed.
#   install_npm_server NAME MODULE_THAT_MUST_EXIST WHAT
install_npm_server() {
  local name="$1" module="$2" what="$3"
  local src="$PROVIDERS/$name"
  local dst="$DIR/$name"
  if ! command -v npm >/dev/null 2>&1; then
    log "npm not found: cannot install $what"
    return 1
  fi
  local want
  want="$(hash_files "$src/package.json" "$src/package-lock.json")-node-$(node --version)"
  mkdir -p "$dst"
  if [[ -f "$dst/.stamp" && "$(cat "$dst/.stamp")" == "$want" && -d "$dst/node_modules/$module" ]]; then
    log "$name: up to date"
  else
    log "$name: installing into $dst"
    rm -rf "$dst/node_modules" "$dst/.stamp"
    cp "$src/package.json" "$src/package-lock.json" "$dst/"
    (cd "$dst" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >&2)
    printf '%s' "$want" >"$dst/.stamp"
  fi
  # The script is always refreshed (cheap), so the copy never lags the repo.
  cp "$src/server.mjs" "$dst/server.mjs"
}

# node-oidc-provider.
install_node_oidc() {
  install_npm_server node-oidc oidc-provider "node-oidc-provider"
}

# The MCP server of tests/providers/mcp-server (the official MCP TypeScript SDK).
install_mcp_server() {
  install_npm_server mcp-server @modelcontextprotocol/sdk "the MCP server"
}

# -------------------------------------------------------------------- authlib
# Venv at "$DIR/authlib-venv" with tests/providers/authlib/requirements.txt
# (every package pinned, transitive ones too, hence --no-deps). Rebuilt only
# when missing or when the requirements or the python3 version changed.
#   run:  CACHE_DIR/authlib-venv/bin/python tests/providers/authlib/server.py [flags]
# PYTHON overrides the interpreter (default python3, 3.11 expected).
install_authlib() {
  local req="$PROVIDERS/authlib/requirements.txt"
  local venv="$DIR/authlib-venv"
  local py="${PYTHON:-python3}"
  if [[ ! -f "$req" ]]; then
    return 0
  fi
  if ! command -v "$py" >/dev/null 2>&1; then
    log "$py not found: cannot install authlib"
    return 1
  fi
  local want
  want="$(hash_files "$req")-$("$py" -c 'import sys; print("py%d.%d.%d" % sys.version_info[:3])')"
  if [[ -f "$venv/.stamp" && "$(cat "$venv/.stamp")" == "$want" && -x "$venv/bin/python" ]] \
    && "$venv/bin/python" -c 'import authlib, flask' 2>/dev/null; then
    log "authlib: up to date"
    return 0
  fi
  log "authlib: installing into $venv"
  rm -rf "$venv"
  "$py" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    --no-deps --require-virtualenv -r "$req" >&2
  "$venv/bin/python" -m pip check --disable-pip-version-check >&2
  "$venv/bin/python" -c 'import authlib, flask' >&2
  printf '%s' "$want" >"$venv/.stamp"
}

install_node_oidc
install_mcp_server
install_authlib
log "done: $DIR"
