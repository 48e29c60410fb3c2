# kill(-1, ...) from Python with every fatal and stopping signal, then reports.
# expect: exit=0 stdout_has=survived
# needs: bystander
import os, signal
for sig in (signal.SIGSTOP, signal.SIGHUP, signal.SIGINT, signal.SIGKILL):
    try:
        os.kill(-1, sig)
    except OSError:
        pass
print("survived")
