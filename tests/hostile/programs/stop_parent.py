# SIGSTOPs its parent, its process group and pid 1, then waits: a stopped supervisor must not
# hang the run; the wall limit still ends it.
# expect: limit=wall|none stdout_lacks=LEAK
# limits: wall_ms=1500
import os, signal, time
for target in (os.getppid(), 1):
    try:
        os.kill(target, signal.SIGSTOP)
        print("LEAK: stopped", target, flush=True)
    except OSError:
        pass
try:
    os.killpg(0, signal.SIGSTOP)  # Our own group: stops ourselves, which must not hang the run.
except OSError:
    pass
time.sleep(100)
