# The contents of the test data are unreachable, but are their host NAMES? readlink of the stdio
# fds and /proc/self/mountinfo must not reveal the host's directories (in the judge they name the
# problem and the test file, e.g. .../tests/07.in).
# expect: exit=0 stdout_has=done stdout_lacks=LEAK
# args: {io_dir} {work_dir}
# known-hole: info leak, low severity: readlink /proc/self/fd/{0,1,2} shows the host paths of stdin/stdout/stderr and /proc/self/mountinfo the host work dir. Fix: open stdio from neutral bind mounts (e.g. /.io/stdin) or pass them as memfd/pipe; bind /box from a neutral per-slot path.
import os, sys
io_dir, work_dir = sys.argv[1], sys.argv[2]
for fd in (0, 1, 2):
    target = os.readlink("/proc/self/fd/%d" % fd)
    if io_dir in target:
        print("LEAK: fd", fd, "->", target)
with open("/proc/self/mountinfo") as f:
    for line in f:
        if work_dir in line or io_dir in line:
            print("LEAK: mountinfo:", line.strip())
print("done")
