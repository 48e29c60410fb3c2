# Name resolution and raw egress: getaddrinfo("example.com") must fail, so must sending to a
# public resolver or an HTTP connection to a public address.
# expect: exit=0 stdout_has=resolve_failed stdout_has=done stdout_lacks=LEAK
import socket
try:
    print("LEAK: resolved", socket.getaddrinfo("example.com", 80)[0][4])
except OSError:
    print("resolve_failed")
try:
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.sendto(b"\0" * 12, ("8.8.8.8", 53))
    print("LEAK: udp to 8.8.8.8 sent")
except OSError:
    pass
try:
    socket.create_connection(("1.1.1.1", 80), timeout=0.5)
    print("LEAK: tcp to 1.1.1.1:80")
except OSError:
    pass
print("done")
