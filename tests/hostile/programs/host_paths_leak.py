# The contents of the test data are unreachable, but are their host NAMES? /proc/self/mountinfo
# must not reveal the host's directories. readlink of the stdio fds does show the host path of
# the file behind them; that is accepted: the judge feeds stdin from its content-addressed cache
# (.../testdata/<sha256>), which tells a program nothing that hashing its own stdin would not.
# expect: exit=0 stdout_has=done stdout_lacks=LEAK
# args: {io_dir} {work_dir}
import os, sys
io_dir, work_dir = sys.argv[1], sys.argv[2]
with open("/proc/self/mountinfo") as f:
    for line in f:
        if work_dir in line or io_dir in line:
            print("LEAK: mountinfo:", line.strip())
print("done")
