#!/bin/sh
# The cgroups the sandbox needs inside a container, then exec "$@". Run as root with
# CAP_SYS_ADMIN (the worker service has it; see compose.yml).
# - cgroup v1 hosts: compose.yml binds the host's tree read-write, and judge-box makes the boxes'
#   cgroups below the container's own cgroup of each controller. Nothing to do here.
# - cgroup v2 hosts (/proc/self/cgroup holds only a "0::" line): Docker gives the container a
#   cgroup namespace of its own and mounts its hierarchy read-only (or the v1-style bind of the
#   host's tree shows cgroups outside that namespace). A fresh cgroup2 mount shows the
#   container's own cgroup as the root, writable; judge-box then moves the container's processes
#   into the leaf judge-processes, enables memory, pids and cpu there and makes each box a
#   sibling leaf, so that the boxes' limits add up inside the container's own.
set -eu
if [ "$(cut -d: -f1 /proc/self/cgroup | sort -u)" = 0 ]; then
  # The kernel refuses cgroup2 on a mount point that already shows it: off with what is there.
  while cut -d' ' -f5 /proc/self/mountinfo | grep -qx /sys/fs/cgroup; do
    umount /sys/fs/cgroup
  done
  mount -t cgroup2 -o nosuid,nodev,noexec cgroup2 /sys/fs/cgroup
fi
exec "$@"
