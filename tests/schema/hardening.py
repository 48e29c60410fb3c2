#!/usr/bin/python3
"""The attacker's probes of issue 16, each reproduced against a real judge-api: HTTP framing,
invalid UTF-8 that must be a 4xx (never a 503), event-feed slots per client, deep JSON nesting,
percent-decoded queries, names with NUL or control characters, response headers, and /metrics
behind a token. Every check failed on the code before the fixes (see the issue's note).

Usage: hardening.py JUDGE_API JUDGECTL MIGRATIONS_DIR
Environment: TEST_DATABASE_URL, TEST_REDIS_URL (see harness.py).
"""
import base64
import io
import json
import socket
import sys
import time
import zipfile

from harness import ADMIN_PASSWORD, TEAM_PASSWORD, Server, is_error_body, parse_json, usage

REDIS_DB = 13
METRICS_TOKEN = "scrape-me"
FEEDS_PER_ADDRESS = 3
FEEDS_PER_ACCOUNT = 2
FAILURES = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        FAILURES.append(what)


class Conn:
    """A raw HTTP/1.1 connection: send any bytes, read whole responses as they come."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.buffer = b""

    def send(self, data):
        self.sock.sendall(data)

    def _fill(self, deadline):
        self.sock.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            chunk = self.sock.recv(65536)
        except socket.timeout:
            return None
        except ConnectionResetError:
            chunk = b""
        self.buffer += chunk
        return chunk

    def response(self, timeout=5):
        """(status, {header: value}, body) of the next response; None on timeout or EOF."""
        deadline = time.monotonic() + timeout
        while b"\r\n\r\n" not in self.buffer:
            if not self._fill(deadline):
                return None
        head, _, rest = self.buffer.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        while len(rest) < length:
            if not self._fill(deadline):
                return None
            rest = self.buffer.partition(b"\r\n\r\n")[2]
        self.buffer = rest[length:]
        return int(lines[0].split(" ")[1]), headers, rest[:length]

    def closed(self, timeout=3):
        """True when the server ends the connection (EOF) with nothing more sent."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            chunk = self._fill(deadline)
            if chunk == b"":
                return not self.buffer
            if chunk is None:
                return False
        return False

    def close(self):
        self.sock.close()


def basic(user, password):
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


ADMIN = basic("admin", ADMIN_PASSWORD)


def request(method, path, body=b"", headers=(), version="HTTP/1.1"):
    head = f"{method} {path} {version}\r\nHost: x\r\n"
    for name, value in headers:
        head += f"{name}: {value}\r\n"
    if body:
        head += f"Content-Length: {len(body)}\r\n"
    return head.encode() + b"\r\n" + body


def is_json_error(response, status):
    if response is None or response[0] != status:
        return False
    return response[1].get("content-type") == "application/json" and \
        is_error_body(parse_json(response[2]), status)


def framing(port):
    # 1. A refused body is never read as the next request: the exact probe.
    conn = Conn(port)
    conn.send(b"POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              b"Content-Length: 2000000\r\n\r\n")
    first = conn.response()
    check(is_json_error(first, 413) and first[1].get("connection", "").lower() == "close",
          "an oversized body is a JSON 413 that says Connection: close")
    time.sleep(1)  # The probe's pause: the client sends on, as a reused connection would.
    try:
        conn.send(b"GET /api/contests/demo/state HTTP/1.1\r\nHost: x\r\n\r\n")
    except OSError:
        pass
    check(conn.closed(), "after a 413 the connection ends: what follows is never answered")
    conn.close()

    # 2. Two requests in one write get two answers, in order, on a connection that stays open.
    conn = Conn(port)
    conn.send(request("GET", "/healthz") + request("GET", "/api/contests/nope"))
    a, b = conn.response(), conn.response()
    check(a is not None and a[0] == 200 and is_json_error(b, 404),
          "two requests in one write get two answers in order")
    conn.send(request("GET", "/healthz"))
    check((conn.response() or [0])[0] == 200, "and the connection stays open after them")
    conn.close()

    # A login is answered from a password-check thread: what follows it in the same write must
    # not be answered first, so the connection ends after the login's answer.
    conn = Conn(port)
    login = json.dumps({"username": "admin", "password": ADMIN_PASSWORD}).encode()
    conn.send(request("POST", "/api/auth/login", login, [("Content-Type", "application/json")]) +
              request("GET", "/api/contests/nope"))
    first = conn.response()
    check(first is not None and first[0] == 200 and b"token" in first[2] and
          first[1].get("connection", "").lower() == "close" and conn.closed(),
          "a login pipelined with another request: the login's answer first, then the end")
    conn.close()

    cases = [
        (b"GARBAGE\r\n\r\n", 400, "a request line GARBAGE"),
        (b"GARBAGE\r\n", 400, "a request line GARBAGE before the empty line"),
        (b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
         400, "two different Content-Length headers"),
        (b"GET /healthz HTTP/1.1\r\n\r\n", 400, "an HTTP/1.1 request without Host"),
        (b"GET /healthz HTTP/1.1\r\nHost: x\r\nX: a\r\n folded\r\n\r\n", 400, "obsolete folding"),
        (b"POST /api/auth/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
         b"2\r\n{}\r\n0\r\n\r\n", 411, "a chunked body"),
        (b"POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: ;;;/\r\n"
         b"Content-Length: 2\r\n\r\n{}", 415, "a malformed Content-Type"),
        (b"GET /healthz HTTP/1.1\r\nHost: x\r\nX: " + b"a" * 70000 + b"\r\n\r\n", 431,
         "a head of 70 KB"),
    ]
    for data, status, what in cases:
        conn = Conn(port)
        conn.send(data)
        response = conn.response()
        check(is_json_error(response, status) and conn.closed(),
              f"{what}: a JSON {status} with a Content-Type, then the connection ends")
        conn.close()

    conn = Conn(port)
    conn.send(request("GET", "/healthz", headers=[("Connection", "close")]))
    response = conn.response()
    check(response is not None and response[0] == 200 and conn.closed(),
          "Connection: close from the client ends the connection after the answer")
    conn.close()


def zip_of(entries):
    """A zip whose entry names are the given raw bytes (zipfile would re-encode them)."""
    class RawName(zipfile.ZipInfo):
        def _encodeFilenameFlags(self):
            return self.raw, self.flag_bits
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for raw, content in entries:
            info = RawName(raw.decode("latin-1"))
            info.raw = raw
            archive.writestr(info, content)
    return out.getvalue()


def package(problem_yaml, extra=()):
    files = [(b"problem.yaml", problem_yaml), (b"data/sample/1.in", b"1 2\n"),
             (b"data/sample/1.ans", b"3\n"), (b"data/secret/1.in", b"2 2\n"),
             (b"data/secret/1.ans", b"4\n")] + list(extra)
    return zip_of(files)


def utf8(server):
    api = server.api
    status, doc, _ = api.send("GET", "/api/contests/demo/submissions",
                              headers={"Authorization": "Basic " +
                                       base64.b64encode(b"\xff:x").decode()})
    check(status == 401 and is_error_body(doc, 401), "a Basic user name that is not UTF-8 is a "
          f"401, not a 503 (got {status})")
    team = api.login("team1", TEAM_PASSWORD)
    for raw, what in [(b"\xff.c", "not UTF-8"), (b"a\x01b.c", "a control character")]:
        body = {"problem_id": "sum", "language_id": "c",
                "files": [{"data": base64.b64encode(zip_of([(raw, b"int main(){}\n")])).decode()}]}
        status, doc, _ = api.send("POST", "/api/contests/demo/submissions", body, team)
        check(status == 422 and is_error_body(doc, 422),
              f"a submission zip entry named with {what} is a 422 (got {status}: {doc})")
    yaml_ok = b"name: Sum\nvalidation: default\n"
    cases = [(package(b"name: \"a\\0b\"\n"), "a problem.yaml name with a NUL"),
                       (package(b"name: a\xffb\n"), "a problem.yaml name that is not UTF-8"),
                       (package(yaml_ok, [(b"submissions/accepted/\xff.c", b"int main(){}")]),
                        "a jury submission file name that is not UTF-8"),
                       (package(b"name: V\nvalidation: custom\n",
                                [(b"output_validators/v/\xff.cc", b"int main(){}")]),
                        "a validator file name that is not UTF-8"),
                       (package(yaml_ok, [(b"data/secret/a\x01.in", b"1\n"),
                                          (b"data/secret/a\x01.ans", b"1\n")]),
                        "a test file name with a control character")]
    for number, (data, what) in enumerate(cases):
        status, doc, _ = api.send(
            "POST", f"/api/contests/demo/problems?id=bad{number}&jury_submissions=true", data,
            ADMIN, content_type="application/zip")
        check(status == 422 and is_error_body(doc, 422), f"{what} is a 422 (got {status}: {doc})")
    stored = [api.send("GET", f"/api/contests/demo/problems/bad{n}", None, ADMIN)[0]
              for n in range(len(cases))]
    check(stored == [404] * len(cases), "and none of those packages was stored")


def feeds(server, port):
    def open_feed(authorization=None):
        conn = Conn(port)
        headers = [("Authorization", authorization)] if authorization else []
        conn.send(request("GET", "/api/contests/demo/event-feed", headers=headers))
        conn.sock.settimeout(5)
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = conn.sock.recv(4096)
            if not chunk:
                break
            head += chunk
        status = int(head.split(b" ")[1]) if head else None
        return conn, status, head.decode("latin-1")

    anonymous = [open_feed() for _ in range(FEEDS_PER_ADDRESS)]
    check(all(status == 200 for _, status, _ in anonymous),
          f"{FEEDS_PER_ADDRESS} anonymous feeds from one address are served")
    extra, status, head = open_feed()
    check(status == 429 and "retry-after" in head.lower(),
          f"one more from the same address is a 429 with Retry-After (got {status})")
    extra.close()
    jury = server.api.login("admin", ADMIN_PASSWORD)
    mine = [open_feed("Bearer " + jury) for _ in range(FEEDS_PER_ACCOUNT)]
    check(all(status == 200 for _, status, _ in mine),
          "a login still gets feeds while anonymous ones from its address are at their limit")
    extra, status, _ = open_feed("Bearer " + jury)
    check(status == 429, f"one login gets at most {FEEDS_PER_ACCOUNT} feeds (got {status})")
    extra.close()
    team, status, _ = open_feed("Bearer " + server.api.login("team1", TEAM_PASSWORD))
    check(status == 200, "another account is not limited by the first one's feeds")
    for conn, _, _ in anonymous + mine + [(team, 0, 0)]:
        conn.close()
    deadline = time.monotonic() + 5
    status = None
    while time.monotonic() < deadline and status != 200:
        conn, status, _ = open_feed()
        conn.close()
        time.sleep(0.1)
    check(status == 200, "closed feeds free their places")


def nesting(server):
    deep = '{"submission_ids": ' + "[" * 100_000 + "]" * 100_000 + "}"
    status, doc, _ = server.api.send("POST", "/api/contests/demo/rejudgings", deep, ADMIN)
    check(status == 400 and is_error_body(doc, 400) and server.healthy(),
          f"JSON nested 100,000 deep is a 400 and the server stays up (got {status})")
    status, doc, _ = server.api.send("POST", "/api/contests/demo/rejudgings",
                                     {"submission_ids": [["x" * 1000]]}, ADMIN)
    check(status == 422 and "x" * 10 not in json.dumps(doc),
          "a bad element of submission_ids is named by position, never echoed")


def queries_and_headers(server):
    api = server.api
    data = package(b"name: Query\nvalidation: default\n")
    status, doc, _ = api.send("POST", "/api/contests/demo/problems?id=q1&label=%FF", data, ADMIN,
                              content_type="application/zip")
    check(status == 400 and is_error_body(doc, 400),
          f"?label=%FF (not UTF-8 once decoded) is a 400 (got {status})")
    status, doc, _ = api.send("POST", "/api/contests/demo/problems?id=q2&label=Q%2B", data, ADMIN,
                              content_type="application/zip")
    status, doc, _ = api.send("GET", "/api/contests/demo/problems/q2", None, ADMIN)
    check(status == 200 and doc.get("label") == "Q+",
          f"?label=Q%2B is stored as Q+ (got {doc.get('label') if isinstance(doc, dict) else doc})")
    conn = Conn(api.port)
    conn.send(request("GET", "/api/contests/demo/state"))
    public = conn.response()
    conn.send(request("GET", "/api/contests/demo/teams", headers=[("Authorization", ADMIN)]))
    private = conn.response()
    conn.close()
    check(public[1].get("x-content-type-options") == "nosniff" and
          public[1].get("cache-control") == "no-cache",
          "JSON answers carry nosniff and Cache-Control: no-cache")
    check(private[1].get("cache-control") == "private, no-cache",
          "answers to a login are private (Cache-Control: private, no-cache)")


def metrics(server):
    api = server.api
    status, _, _ = api.send("GET", "/metrics")
    check(status == 401, f"with --metrics-token, /metrics without it is a 401 (got {status})")
    status, _, raw = api.send("GET", "/metrics", token="Bearer " + METRICS_TOKEN)
    check(status == 200 and b"judge_api_requests_total" in raw, "the token reads the metrics")
    status, _, _ = api.send("GET", "/metrics", token="Bearer wrong")
    check(status == 401, "a wrong token is a 401")
    status, _, _ = api.send("GET", "/metrics", token=ADMIN)
    check(status == 200, "a jury login reads the metrics")
    status, _, _ = api.send("GET", "/metrics", token=api.login("team1", TEAM_PASSWORD))
    check(status == 403, "a team does not")


def main():
    if len(sys.argv) != 4:
        return usage(__doc__)
    env = {"JUDGE_METRICS_TOKEN": METRICS_TOKEN,
           "JUDGE_MAX_FEEDS_PER_ADDRESS": str(FEEDS_PER_ADDRESS),
           "JUDGE_MAX_FEEDS_PER_ACCOUNT": str(FEEDS_PER_ACCOUNT)}
    with Server(*sys.argv[1:], name="hardening", redis_db=REDIS_DB, extra_env=env) as server:
        port = server.api.port
        # Nesting last: before the fix it overflowed the stack and took the server down.
        for part in (lambda: framing(port), lambda: utf8(server), lambda: feeds(server, port),
                     lambda: queries_and_headers(server), lambda: metrics(server),
                     lambda: nesting(server)):
            try:
                part()
            except Exception as e:  # One broken part must not hide the others' results.
                check(False, f"{part.__code__.co_names} raised {e!r}")
            if not server.healthy():
                check(False, "judge-api is down")
                break
        status = server.stop()
        check(status == 0, f"judge-api exits cleanly on SIGTERM (status {status})")
    print(f"{len(FAILURES)} failures")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
