#!/bin/sh
# Entry of the worker container.
#   judge-worker-entry                start judge-worker
#   judge-worker-entry --healthcheck  exit 0 when the worker answers /healthz (or, with metrics
#                                     off, when its process runs)
# Worker id: replicas of `--scale worker=N` share the image, the environment and, under host
# networking, the host name, so without JUDGE_WORKER_ID the id comes from the container id
# (visible in /proc/self/cgroup under cgroup v1) or else a random one: never from the host name.
# Cgroups: see cgroup-setup.sh (judge-cgroup-setup in the image).
set -eu
if [ "${1:-}" = --healthcheck ]; then
  if [ -n "${JUDGE_WORKER_METRICS_LISTEN:-}" ]; then
    exec curl -fsS -o /dev/null "http://127.0.0.1:${JUDGE_WORKER_METRICS_LISTEN##*:}/healthz"
  fi
  kill -0 "$(cat /run/judge-worker.pid)" # the shell's kill: the image has no /bin/kill
  exit 0
fi
if [ -z "${JUDGE_WORKER_ID:-}" ]; then
  container=$(sed -n 's|.*/docker[-/]\([0-9a-f]\{12\}\).*|\1|p' /proc/self/cgroup | head -n 1)
  [ -n "$container" ] || container=$(cut -c1-12 /proc/sys/kernel/random/uuid)
  # The suffix tells a restarted container's new process from the one before.
  JUDGE_WORKER_ID="docker-$container-$(cut -c1-6 /proc/sys/kernel/random/uuid)"
  export JUDGE_WORKER_ID
fi
mkdir -p "${JUDGE_WORK_ROOT:-/var/lib/contest-judge}"
echo $$ > /run/judge-worker.pid
# The boxes' cgroups: a writable hierarchy of the container's own on cgroup v2 hosts.
exec judge-cgroup-setup judge-worker "$@"
