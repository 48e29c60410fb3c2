#!/usr/bin/env bash
# A clone in a folder the postgres user cannot enter (root's home is 0700 on Debian) must still
# start and stop its Postgres: the scripts keep the cluster where that user can reach it. Copies
# scripts/ into a fresh 0700 folder (what the README commands run from), starts a server there,
# checks it answers and where its files are, stops it and removes it.
set -euo pipefail
SOURCE="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
((EUID == 0)) || { echo "needs root (as in CI)"; exit 1; }

home="$(mktemp -d /tmp/judge-private-home-XXXXXX)"
state="$(mktemp -d /tmp/judge-pg-state-XXXXXX)"
chmod 700 "$home"
chmod 755 "$state"
clone="$home/contest-judge"
data="$clone/.data/demo/pg"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
export JUDGE_PG_STATE_DIR="$state/postgres" JUDGE_PG_FAST=1
cleanup() {
  "$clone/scripts/postgres" remove "$data" >/dev/null 2>&1 || true
  rm -rf "$home" "$state"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

mkdir -p "$clone/.data/demo"
cp -r "$SOURCE/scripts" "$clone/"
runuser -u postgres -- test -x "$clone" 2>/dev/null && fail "the postgres user can enter $clone: no test"

"$clone/scripts/postgres" start "$data" "$port"
[[ -L "$data" ]] || fail "$data is not a link to a reachable folder"
real="$(readlink -f "$data")"
[[ "$real" == "$JUDGE_PG_STATE_DIR"/* ]] || fail "the cluster is in $real, not below $JUDGE_PG_STATE_DIR"
[[ -f "$data/pgdata/PG_VERSION" ]] || fail "no cluster reachable through $data"
[[ "$(psql -X -tA "postgresql://judge@127.0.0.1:$port/judge" -c 'SELECT 42')" == 42 ]] ||
  fail "the server does not answer"
echo "ok: started from a 0700 folder; the cluster lives in $real"

# The same DATA_DIR finds the same cluster again.
"$clone/scripts/postgres" stop "$data"
again="$("$clone/scripts/postgres" start "$data" "$port" 2>&1)"
grep -q "reusing cluster" <<<"$again" || fail "a second start did not reuse the cluster: $again"
echo "ok: stopped and started again on the same cluster"

"$clone/scripts/postgres" remove "$data"
[[ ! -e "$real" && ! -L "$data" ]] || fail "remove left $real or $data behind"
echo "ok: removed the cluster and the link"
