# The environment as Python sees it, plus its parent's environ.
# expect: exit=0 stdout_has=done stdout_lacks=hostile-secret stdout_lacks=REDIS_URL
import os
for k, v in os.environ.items():
    print(k + "=" + v)
for path in ("/proc/%d/environ" % os.getppid(), "/proc/1/environ"):
    try:
        with open(path, "rb") as f:
            print(f.read().decode(errors="replace"))
    except OSError:
        pass
print("done")
