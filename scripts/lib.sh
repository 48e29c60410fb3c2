#!/usr/bin/env bash
# Helpers sourced by the scripts in scripts/. Not meant to be run on its own.
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# Provides: JUDGE_ROOT (repo root, absolute), log, warn, die, need_cmd, port_in_use,
# port_free, wait_until, abs_path, as_postgres.

# shellcheck disable=SC2034  # JUDGE_ROOT and PG_BIN are used by the scripts that source this file.
JUDGE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
PG_BIN="${JUDGE_PG_BIN:-/usr/lib/postgresql/15/bin}"

log() { printf '[judge] %s\n' "$*" >&2; }
warn() { printf '[judge] warning: %s\n' "$*" >&2; }
die() {
  printf '[judge] error: %s\n' "$*" >&2
  exit 1
}

# need_cmd CMD [HINT]: fail clearly when a program is missing.
need_cmd() {
  command -v "$1" >/dev/null 2>&1 || die "'$1' not found${2:+ ($2)}; run scripts/install-deps"
}

# abs_path PATH: absolute form of PATH (need not exist), relative to the current directory.
abs_path() {
  case "$1" in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s/%s\n' "$(pwd -P)" "${1#./}" ;;
  esac
}

# port_in_use PORT: true when something listens on TCP PORT on any local address.
port_in_use() {
  local port="$1"
  if command -v ss >/dev/null 2>&1; then
    [[ -n "$(ss -Hltn "sport = :$port" 2>/dev/null)" ]]
  else
    # Fallback: try to connect on loopback.
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
  fi
}

# port_free PORT VAR_NAME: die with a clear message when PORT is taken.
port_free() {
  local port="$1" var="${2:-}"
  if ! [[ "$port" =~ ^[0-9]+$ ]] || ((port < 1 || port > 65535)); then
    die "invalid port '$port'${var:+ (from $var)}"
  fi
  if port_in_use "$port"; then
    die "port $port is already in use${var:+ (set $var to another port)}"
  fi
}

# wait_until SECONDS WHAT CMD [ARGS...]: run CMD every 0.2 s until it succeeds; die after SECONDS.
wait_until() {
  local secs="$1" what="$2"
  shift 2
  local deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      die "timed out after ${secs}s waiting for $what"
    fi
    sleep 0.2
  done
}

# as_postgres CMD [ARGS...]: run CMD as the postgres user when we are root (initdb and postgres
# refuse root), else as ourselves. Runs from / so that an unreadable cwd does not matter.
as_postgres() {
  if ((EUID == 0)); then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && "$@")
  fi
}
