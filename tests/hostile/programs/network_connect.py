# The same loopback services from Python, including a Redis PING that would prove contact.
# expect: exit=0 stdout_has=done stdout_lacks=LEAK
# args: {port} {pg} {redis}
import socket, sys
for port in map(int, sys.argv[1:]):
    for host in ("127.0.0.1", "localhost", "::1"):
        try:
            c = socket.create_connection((host, port), timeout=0.3)
            c.sendall(b"PING\r\n")
            print("LEAK: connected", host, port)
        except OSError:
            pass
print("done")
