# A Python child in its own session that sleeps after the parent exits.
# expect: exit=0 limit=none stdout_has=parent_done
import os, signal, sys, time
if os.fork() == 0:
    os.setsid()
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    time.sleep(1000)
    os._exit(0)
print("parent_done")
sys.stdout.flush()
