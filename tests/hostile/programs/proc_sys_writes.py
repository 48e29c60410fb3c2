# Kernel knobs reachable through /proc and /sys: sysrq, hostname, core_pattern, cgroup files.
# expect: exit=0 stdout_has=done stdout_lacks=LEAK
import os
targets = {
    "/proc/sysrq-trigger": "h",
    "/proc/sys/kernel/hostname": "pwned",
    "/proc/sys/kernel/core_pattern": "|/box/evil",
    "/proc/sys/vm/drop_caches": "3",
    "/sys/fs/cgroup/pids/cgroup.procs": str(os.getpid()),
    "/sys/kernel/uevent_helper": "/box/evil",
    "/proc/self/oom_score_adj": "-1000",
}
for path, value in targets.items():
    try:
        with open(path, "w") as f:
            f.write(value)
        print("LEAK: wrote", path)
    except OSError:
        pass
print("done")
