# Fork bomb in Python: failed forks are ignored and retried, so only the limit stops it.
# expect: limit=processes
# limits: procs=16 cpu_ms=1000 wall_ms=2000
import os
while True:
    try:
        os.fork()
    except OSError:
        pass
