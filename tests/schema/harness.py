"""Plumbing shared by the tests/schema scripts: a judge-api of their own on a fresh database
(created, migrated and seeded with judgectl seed-demo, dropped afterwards), a small HTTP client
that can send any bytes and headers, and a digest of every table to prove that nothing changed.

Only the Python standard library; psql must be on PATH. Environment: TEST_DATABASE_URL (a
Postgres the test may CREATE DATABASE on) and TEST_REDIS_URL, both set by scripts/test.
"""
import base64
import hashlib
import hmac
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse

ADMIN_PASSWORD = "harness-admin-pw"
TEAM_PASSWORD = "harness-team-pw"
JWT_SECRET = "harness-secret"
STARTUP_SECONDS = 30


def with_path(url, path):
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + path))


def psql(url, sql):
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", url, "-c", sql], check=True,
                   stdout=subprocess.DEVNULL)


def psql_rows(url, sql):
    """Rows of a query as lists of strings (unaligned, tab-separated)."""
    out = subprocess.run(["psql", "-X", "-tA", "-F", "\t", "-v", "ON_ERROR_STOP=1", url, "-c", sql],
                         check=True, capture_output=True, text=True).stdout
    return [line.split("\t") for line in out.splitlines() if line]


def drop_stale_databases(url, prefix):
    """Databases of runs that were killed (their pid is gone): a dev Postgres outlives them."""
    pattern = prefix.replace("_", r"\_") + "%"
    query = f"SELECT datname FROM pg_database WHERE datname LIKE '{pattern}'"
    for (name,) in psql_rows(url, query):
        pid = name.rsplit("_", 1)[-1]
        if pid.isdigit() and not os.path.exists(f"/proc/{pid}"):
            psql(url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sign_token(claims, secret=JWT_SECRET):
    """An HS256 JWT as judge-api issues them (claims sub, role, exp and team), for callers no
    login can produce: expired tokens, or accounts the database does not allow."""
    def b64(data):
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
    signed = b64(b'{"alg":"HS256","typ":"JWT"}') + "." + b64(json.dumps(claims).encode())
    mac = hmac.new(secret.encode(), signed.encode(), hashlib.sha256).digest()
    return signed + "." + b64(mac)


def parse_json(raw):
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return raw.decode("utf-8", "replace")


def is_error_body(doc, status):
    """The API's error shape: a JSON object {code, message} whose code is the HTTP status."""
    return (isinstance(doc, dict) and doc.get("code") == status
            and isinstance(doc.get("message"), str) and bool(doc["message"]))


class Api:
    """HTTP client of one judge-api. Paths are sent as given (percent-encode path tricks)."""

    def __init__(self, port):
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.written = []  # walk.py: (role, "METHOD path", status, schema, body) of seeding writes

    def send(self, method, path, body=None, token=None, headers=None, content_type="json"):
        """One request. body: bytes/str sent as is, anything else JSON-encoded. token: a bearer
        token, or a full Authorization value when it contains a space. content_type: "json" for
        application/json, None for no header, or the header value. Returns (status, doc, raw)."""
        if body is not None and not isinstance(body, (bytes, str)):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode("utf-8", "surrogatepass")
        all_headers = {}
        if body is not None and content_type is not None:
            all_headers["Content-Type"] = ("application/json" if content_type == "json"
                                           else content_type)
        if token:
            all_headers["Authorization"] = token if " " in token else "Bearer " + token
        all_headers.update(headers or {})
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=all_headers)
            response = connection.getresponse()
            raw = response.read()
            return response.status, parse_json(raw), raw
        finally:
            connection.close()

    def call(self, method, path, token=None, body=None):
        status, doc, raw = self.send(method, path, body, token)
        if raw.startswith(b"PK"):
            return status, raw  # A zip (submission files).
        return status, doc

    def must(self, method, path, token=None, body=None, status=(200, 201, 202), schema=None,
             role="admin"):
        got, doc = self.call(method, path, token, body)
        if got not in status:
            raise RuntimeError(f"setup: {method} {path} gave {got}: {doc}")
        if schema:  # Write responses are CLICS objects too: walk.py validates them.
            self.written.append((role, f"{method} {path}", got, schema, doc))
        return doc

    def login(self, username, password):
        doc = self.must("POST", "/api/auth/login", body={"username": username,
                                                         "password": password})
        return doc["token"]

    def raw(self, data, timeout=10):
        """Sends raw bytes (a whole HTTP request) and returns (status, doc) of the first response,
        or (None, reason) when the server closed the connection without answering."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as s:
            s.sendall(data)
            received = b""
            while b"\r\n\r\n" not in received:
                chunk = s.recv(65536)
                if not chunk:
                    return None, "connection closed before a response"
                received += chunk
            head, _, body = received.partition(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            status = int(lines[0].split(" ")[1])
            length = 0
            for line in lines[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value.strip())
            while len(body) < length:
                chunk = s.recv(65536)
                if not chunk:
                    break
                body += chunk
            return status, parse_json(body[:length])


class Server:
    """judge-api on a database of its own: `with Server(...) as server:` gives server.api (Api),
    server.db_url and server.alive(). The database is seeded with judgectl seed-demo (contest
    demo running, problems sum and max, team1 and admin with the passwords above)."""

    def __init__(self, judge_api, judgectl, migrations, name, redis_db, extra_env=None):
        self.judge_api, self.judgectl, self.migrations = judge_api, judgectl, migrations
        self.extra_env = extra_env or {}  # More of judge-api's settings (JUDGE_*).
        self.base_db = os.environ.get("TEST_DATABASE_URL")
        self.redis = os.environ.get("TEST_REDIS_URL")
        if not self.base_db or not self.redis:
            raise SystemExit("TEST_DATABASE_URL and TEST_REDIS_URL must be set "
                             "(scripts/test sets them)")
        self.prefix = name + "_"
        self.db_name = f"{self.prefix}{os.getpid()}"
        self.db_url = with_path(self.base_db, self.db_name)
        self.redis_db = redis_db
        self.process = None
        self.exit_status = None
        self.api = None

    def __enter__(self):
        drop_stale_databases(self.base_db, self.prefix)
        psql(self.base_db, f"CREATE DATABASE {self.db_name}")
        try:
            self._start()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _start(self):
        env = dict(os.environ, DATABASE_URL=self.db_url)
        subprocess.run([self.judgectl, "migrate", "--dir", self.migrations], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        subprocess.run([self.judgectl, "seed-demo", "--admin-password", ADMIN_PASSWORD,
                        "--team-password", TEAM_PASSWORD], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        port = free_port()
        # No failed-login limits: matrix.py sends a wrong Basic password to each write endpoint,
        # all from one address within a minute (9 now; by default the 11th would be a 429).
        # tests/e2e/login_throttle_test.cc tests the limits.
        env.update(JUDGE_API_LISTEN=f"127.0.0.1:{port}", JWT_SECRET=JWT_SECRET,
                   REDIS_URL=f"{self.redis}/{self.redis_db}", JUDGE_LOG_LEVEL="warn",
                   JUDGE_LOGIN_FAIL_LIMIT_ACCOUNT="0", JUDGE_LOGIN_FAIL_LIMIT_ADDRESS="0",
                   **self.extra_env)
        self.process = subprocess.Popen([self.judge_api], env=env)
        self.api = Api(port)
        self._wait_healthy()

    def _wait_healthy(self):
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if not self.alive():
                raise RuntimeError(f"judge-api exited with status {self.process.returncode}")
            try:
                if self.api.call("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"judge-api did not become healthy within {STARTUP_SECONDS} s")

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def healthy(self):
        """Still running and answering GET /healthz with 200."""
        try:
            return self.alive() and self.api.call("GET", "/healthz")[0] == 200
        except OSError:
            return False

    def stop(self):
        """SIGTERM, then the exit status (a sanitizer report at exit makes it non-zero)."""
        if self.process is None:
            return self.exit_status
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.exit_status = self.process.returncode
        self.process = None
        return self.exit_status

    def __exit__(self, *exc):
        self.stop()
        psql(self.base_db, f"DROP DATABASE IF EXISTS {self.db_name} WITH (FORCE)")
        return False

    # Written by judge-api's feed hub on its own, about a second after a change (awards events,
    # core EventLog::record_awards), so they may land while a later request is checked: not that
    # request's writes. contest_changes moves with those events; every write a request makes
    # shows in its own table (and its events in events).
    BACKGROUND_TABLES = {"awards_emitted", "contest_changes"}
    BACKGROUND_ROWS = {"events": "WHERE r.type <> 'awards'"}

    def table_digest(self):
        """{table: (row count, md5 of all rows)} for every table: equal digests mean no write
        (the feed hub's background writes left out)."""
        tables = [t for (t,) in psql_rows(self.db_url, "SELECT tablename FROM pg_tables WHERE "
                                                       "schemaname = 'public' ORDER BY 1")
                  if t not in self.BACKGROUND_TABLES]
        parts = [f"SELECT '{t}', count(*), md5(coalesce(string_agg(r::text, '|' ORDER BY "
                 f"r::text), '')) FROM {t} r {self.BACKGROUND_ROWS.get(t, '')}" for t in tables]
        rows = psql_rows(self.db_url, " UNION ALL ".join(parts))
        return {row[0]: (row[1], row[2]) for row in rows}


def usage(doc):
    """The Usage line of a script's docstring, for a wrong command line."""
    print(next(line for line in doc.splitlines() if line.startswith("Usage")), file=sys.stderr)
    return 2
