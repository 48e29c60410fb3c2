# The stdin file is opened on the host; its sibling with the expected answers must be invisible
# by path, by its directory, and via /proc/self/fd tricks. Reading stdin itself must work.
# expect: exit=0 stdout_has=stdin_ok stdout_has=done stdout_lacks=LEAK stdout_lacks=hostile-secret
# args: {secret} {io_dir}
import os, sys
secret, io_dir = sys.argv[1], sys.argv[2]
if sys.stdin.readline() == "public input\n":
    print("stdin_ok")
for path in (secret, io_dir + "/secret-answers.txt", "/proc/self/fd/0/../secret-answers.txt"):
    try:
        with open(path) as f:
            print("LEAK:", path, f.read(60))
    except OSError:
        pass
try:
    print("LEAK: lists", os.listdir(io_dir))
except OSError:
    pass
# Reopening stdin for writing would let the program change the test data.
try:
    os.open("/proc/self/fd/0", os.O_WRONLY)
    print("LEAK: stdin reopened for writing")
except OSError:
    pass
# Where the kernel says stdin lives, and whether that name leads anywhere from inside.
target = os.readlink("/proc/self/fd/0")
d = os.path.dirname(target)
try:
    print("LEAK: stdin dir lists", os.listdir(d))
except OSError:
    pass
print("done")
