# Opens sockets and pipes until refused; the fd limit must hold for every kind of fd.
# expect: exit=0 stdout_has=capped stdout_lacks=LEAK
import os, socket
fds = []
try:
    while len(fds) < 100000:
        fds.extend(os.pipe())
        fds.append(socket.socket(socket.AF_UNIX).detach())
except OSError:
    pass
print("capped" if len(fds) <= 64 else "LEAK: %d fds" % len(fds))
