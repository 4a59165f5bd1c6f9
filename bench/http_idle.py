"""http_idle: opens 1,000 keep-alive connections to a sekisho server (each
makes one request and then stays idle), and prints the server's resident
memory (KiB, from /proc) and its open-connection gauge while they are open.
Usage: http_idle.py PORT PID [N]"""
import socket
import sys
import time

port, pid = int(sys.argv[1]), sys.argv[2]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
socks = []
for i in range(n):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    socks.append(s)
for s in socks:
    data = b""
    while b"\r\n\r\n" not in data:
        data += s.recv(4096)
time.sleep(0.5)
rss = [l.split()[1] for l in open("/proc/%s/status" % pid) if l.startswith("VmRSS")][0]
m = socket.create_connection(("127.0.0.1", port))
m.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
text = b""
while True:
    d = m.recv(65536)
    if not d:
        break
    text += d
gauge = [l.split()[1] for l in text.decode().splitlines()
         if l.startswith("sekisho_http_connections_open ")][0]
print(rss, gauge)
