#!/usr/bin/python3
"""Bad input for every write endpoint of judge-api: at least MIN_PER_ENDPOINT generated bad
requests each (invalid JSON, wrong types, missing fields, 1 MB strings, deep nesting, odd
numbers, invalid UTF-8 in bodies, query strings and Basic user names, RTL and NUL, path tricks,
SQL metacharacters, duplicate ids, unknown references, wrong content types, oversized bodies,
lying Content-Length headers and broken HTTP framing).

Usage: fuzz.py JUDGE_API JUDGECTL MIGRATIONS_DIR
Environment: TEST_DATABASE_URL, TEST_REDIS_URL (see harness.py); FUZZ_SEED overrides the seed;
FUZZ_ONLY=json,value:name,... runs only the cases whose category starts with one of these.

Asserts that no request gets a 5xx, each gets a status its category allows (duplicates exactly
409, unknown references 422, content types 415, oversized bodies 413), every error body is JSON
{code, message} with code == status, the server answers GET /healthz after every batch, and no
table changed (digest of every table and the admin's listings, compared after every batch).
Generation is deterministic (seeded), so a failure reproduces; each failure prints its case
number, category, request and answer. Prints counts per endpoint and status.
"""
import base64
import collections
import json
import os
import random
import sys
import time

from harness import ADMIN_PASSWORD, TEAM_PASSWORD, Server, is_error_body, psql, usage

REDIS_DB = 9  # Nothing pops this db's queues.
SEED = int(os.environ.get("FUZZ_SEED", "20261122"))
MIN_PER_ENDPOINT = 500
BATCH = 100  # requests between two health and stored-data checks
HOUR_MS = 3600 * 1000
HUGE = "x" * 1_000_000  # Fits the 1 MiB body limit with the rest of the body.
OVERSIZED = "x" * 1_100_000  # Does not.
RAW = "\u0001RAW\u0001"  # Placeholder replaced by raw (invalid UTF-8) bytes after encoding.

BAD_REQUEST, UNPROCESSABLE = {400}, {422}
INVALID = {400, 422}

WRONG_TYPES = [1, -1, 0, 1.5, True, False, [], {}, ["a"], {"a": "b"}]
BAD_IDS = ["", "-a", ".a", "a b", "a/b", "../x", "..", "%2e%2e", "a" * 37, "a" * 5000, "\u00e9",
           "a\u202eb", "\u202e", "a\u0000b", "\u200b", "\ufeffa", "x';--", "x\" OR 1=1", "a;b",
           "a\n", "\t", "1 OR 1=1", "\U0001f642", "'; DROP TABLE users; --", "a\\b", "a%00"]
SQL = ["' OR '1'='1", "'; DROP TABLE users; --", "\"; DELETE FROM contests; --",
       "1; SELECT pg_sleep(10)", "admin'--", "%' OR 1=1 --", "\\'", "$1", "E'\\x00'"]
BAD_TIMES = ["", "soon", "2026-11-22", "2026-11-22T10:00:00", "2026-13-01T00:00:00Z",
             "2026-11-22T25:00:00Z", "2026-11-22T10:00:00+0", "2026-11-22 10:00:00Z",
             "99999-01-01T00:00:00Z", "-001-01-01T00:00:00Z", "2026-11-22T10:00:00.000+00:00x",
             "2026-11-22T10:00:00Z\u0000", "\u0661\u0662\u0663\u0664-11-22T10:00:00Z",
             "' OR 1=1 --", "2026-11-22T10:61:00Z", "T", "2026-11-22T10:00:00.Z",
             "2026-11-22T-1:00:00Z", "2026-11-22T10:-1:00Z", "2026-11-22T10:00:-1Z",
             "2026-11-22T10:00:00+-1:00", "+026-11-22T10:00:00Z", "2026-11-22T10:00:00+00:-1"]
BAD_RELTIMES = ["", "5", "5:00", "1:60:00", "1:00:60", "a:00:00", ":00:00", "1:00:00.", "1:0:00",
                "99999999999999999999:00:00", "9999999999999:00:00", "2562047788015:00:00",
                "1000000:00:00", "\u0661:00:00", "1:00:00\u0000", "'; --", "1:00:00 ",
                "--1:00:00", "1:-1:00", "+1:00:00", "1:00:-1", "1:00:00.-1"]
INVALID_UTF8 = [b"\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\xe2\x82",
                b"\x80", b"a\xfe\xfeb"]
BAD_JSON = ["", "{", "}", "{not json", "{\"a\":}", "{\"a\" 1}", "{'a': 1}", "{\"a\":1,}",
            "{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":1e400}", "{\"a\":01}", "{\"a\":.5}",
            "{\"a\":\"\\x41\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"\\ud800\"}", "{\"a\":\"\\udc00\"}",
            "{\"a\":\"\n\"}", "{\"a\":tru}", "{/* c */}", "{} {}", "{}x", "\u0000{}", "[",
            "{\"a\":[1,2}", "{\"a\":\"unterminated}", "{{}}", "{\"a\"::1}", "{,}", "{\"a\":-}"]
NOT_OBJECTS = ["[]", "null", "1", "\"s\"", "true", "[{}]", "-0", "1e5", "[" * 10_000 + "]" * 10_000]
CONTENT_TYPES = [None, "text/plain", "application/x-www-form-urlencoded",
                 "multipart/form-data; boundary=x", "application/xml", "text/json",
                 "application/zip", "application/octet-stream", "text/html", "image/png"]
CID_TRICKS = ["..", "%2e%2e", "..%2F..%2Fapi", "demo%2F..%2Fdemo", "demo%20", "%20demo",
              "de%20mo", "a" * 37, "a" * 10_000, "demo%00", "%C3%A9", "demo'%3B--", "demo%3B",
              "nope", "DEMO", "-demo", ".demo", "%2Fdemo", "demo%2F", "demo%5C", "%27%20OR%201%3D1",
              "%E2%80%AEdemo", "%FF", "%", "demo%"]
JUDGEMENT_TRICKS = ["0", "-1", "1.0", "+1", "0x1", "1e3", "99999999999999999999",
                    "9223372036854775808", "1%2F..%2F2", "999999", "..", "%2e%2e", "a" * 37,
                    "1%20", "%201", "1%00", "x", "1;2", "1'--"]


def expect_for(kind):
    """(bad value, allowed statuses) for a field kind; every value makes the body invalid."""
    types = [(v, BAD_REQUEST) for v in WRONG_TYPES]
    ids = [(v, UNPROCESSABLE) for v in BAD_IDS + SQL + [HUGE]]
    texts = [("", UNPROCESSABLE), ("a\u0000b", UNPROCESSABLE), (HUGE, UNPROCESSABLE)]
    table = {
        "id": types + ids,
        "text": types + texts,
        "opt_text": types + texts[1:],
        "password": types + [("", UNPROCESSABLE), (HUGE, UNPROCESSABLE)],
        "time": [(v, BAD_REQUEST) for v in WRONG_TYPES + BAD_TIMES],
        "thaw_id": types + [(v, BAD_REQUEST) for v in ["demo", "FZ", "fz ", "../fz", "", "fz\u0000",
                                                       HUGE]],
        "thaw_time": [(v, BAD_REQUEST) for v in [None] + WRONG_TYPES + BAD_TIMES]
        + [("2000-01-01T00:00:00Z", UNPROCESSABLE)],
        "duration": [(v, INVALID) for v in WRONG_TYPES + BAD_RELTIMES]
        + [("-1:00:00", UNPROCESSABLE), ("0:00:00", UNPROCESSABLE), ("-0:00:01", UNPROCESSABLE)],
        "freeze": [(v, INVALID) for v in WRONG_TYPES + BAD_RELTIMES]
        + [("-1:00:00", UNPROCESSABLE), ("2:00:00", UNPROCESSABLE)],
        "penalty": [(v, BAD_REQUEST) for v in ["20", True, [], {}, 1.5, -0.0, 1e2, 2**64,
                                               -2**63 - 1]]
        + [(v, UNPROCESSABLE) for v in [-1, 2**31, 2**63, -2**63]],
        "time_limit": [(v, BAD_REQUEST) for v in ["1", True, [], {}, None]]
        + [(v, UNPROCESSABLE) for v in [0, -1, -0.0, 1e-400, 3601, 1e300, 2**64, -2**63]],
        "ordinal": [(v, BAD_REQUEST) for v in ["1", True, [], {}, 1.5, 2**64]]
        + [(v, UNPROCESSABLE) for v in [2**31, -2**31 - 1, 2**63]],
        "mib": [(v, BAD_REQUEST) for v in ["1", True, [], {}, 1.5, 2**64]]
        + [(v, UNPROCESSABLE) for v in [0, -1, 2**20 + 1, 2**63, -2**63]],
        "rgb": types + [(v, UNPROCESSABLE) for v in ["red", "#12345", "#1234567", "#gggggg",
                                                     "123456", "#12345\u0000", "", "#\u0661" * 6]],
        "country": types + [(v, UNPROCESSABLE) for v in [
            "nl", "NLDD", "nld", "NL1", "\u00c4\u00c4\u00c4", "", "NL\u0000", "N;D"]],
        "flags": types + [(v, UNPROCESSABLE) for v in [
            "case_insensitive", "float_tolerance", "float_tolerance -1", "float_tolerance nan",
            "float_tolerance inf", "float_tolerance 1e999", "float_tolerance x", "\u0000",
            "space_change_sensitive; DROP TABLE problems"]],
        "role": types + [(v, UNPROCESSABLE) for v in ["god", "", "ADMIN", "admin ", "admin\u0000",
                                                      "admin'--", "\u202eadmin", "teams"]],
        "scoreboard_type": types + [(v, UNPROCESSABLE) for v in ["pass_fail", "PASS-FAIL", "",
                                                                 "score'--", "score\u0000"]],
        "group_ids": [(v, BAD_REQUEST) for v in ["g1", 1, {}, [1], [None], [["g1"]], [{}], True]]
        + [(v, UNPROCESSABLE) for v in [["nope"], ["g1", "g1"], [""], ["../g1"], [HUGE],
                                        ["g1'--"], ["g\u0000"]]],
        "test_cases": [(v, BAD_REQUEST) for v in [
            "x", 1, {}, [1], [{}], [{"input": "1"}], [{"answer": "1"}], [None],
            [{"input": 1, "answer": "1"}], [{"input": "1", "answer": ["1"]}],
            [{"input": "1", "answer": "1", "sample": "yes"}],
            [{"input": "1", "answer": "1", "sample": 1}], None]] + [([], UNPROCESSABLE)],
        "source": [(v, BAD_REQUEST) for v in [1, [], {}, True, None, ""]]
        + [("x" * (300 * 1024), {413})],
        "ref": types + ids + [("nope", UNPROCESSABLE), ("SUM", UNPROCESSABLE)],
        "clar_text": types + texts + [("x" * 4097, UNPROCESSABLE), (" \n\t", UNPROCESSABLE)],
        "judgement_type": types + [(v, UNPROCESSABLE) for v in [
            "XX", "ac", "", "AC'--", "AC\u0000", " AC", "A", HUGE, "\u202eCA"]],
    }
    return table[kind]


class Endpoint:
    """A write endpoint: a valid body (accepted if sent as is), its fields' kinds, the required
    ones, and bodies that must be 409 (duplicates) or 422 (unknown references)."""

    def __init__(self, name, method, path, template, kinds, required, id_field=None,
                 duplicates=(), unknown=()):
        self.name, self.method, self.path = name, method, path
        self.template, self.kinds, self.required = template, kinds, required
        self.id_field, self.duplicates, self.unknown = id_field, duplicates, unknown

    def body(self, n, **changes):
        """The template with a fresh id (number n) and some fields changed; a change to the value
        DROP removes the field."""
        body = dict(self.template)
        if self.id_field:
            body[self.id_field] = f"fz{n}"
        for key, value in changes.items():
            if value is DROP:
                body.pop(key, None)
            else:
                body[key] = value
        return body


DROP = object()


def endpoints(ctx):
    c = "/api/contests/demo"
    problem = {"id": "x", "label": "Z", "name": "Zed", "time_limit": 1, "ordinal": 9,
               "rgb": "#112233", "memory_limit": 64, "output_limit": 8,
               "validator_flags": "float_tolerance 1e-6",
               "test_cases": [{"input": "1\n", "answer": "1\n", "sample": True}]}
    clar = {"text": "Yes", "time": ctx["now"], "to_team_id": "team1", "problem_id": "sum",
            "reply_to_id": ctx["clar"]}
    clar_kinds = {"text": "clar_text", "time": "time", "to_team_id": "ref", "problem_id": "ref",
                  "reply_to_id": "ref"}
    return [
        Endpoint("POST /api/users", "POST", "/api/users",
                 {"username": "x", "password": "pw", "role": "team", "team_id": "team1"},
                 {"username": "id", "password": "password", "role": "role", "team_id": "ref"},
                 ["username", "password", "role", "team_id"], "username",
                 duplicates=[{"username": u, "password": "pw", "role": r}
                             for u in ("admin", "team1", "fzjury") for r in ("jury", "admin")],
                 unknown=[{"username": "fzu", "password": "p", "role": "team", "team_id": t}
                          for t in ("nope", "TEAM1", "team1x")]),
        Endpoint("POST /api/contests", "POST", "/api/contests",
                 {"id": "x", "name": "N", "formal_name": "F", "start_time": ctx["start"],
                  "duration": "1:00:00", "scoreboard_freeze_duration": "0:30:00",
                  "penalty_time": 20, "scoreboard_type": "pass-fail"},
                 {"id": "id", "name": "text", "formal_name": "opt_text", "start_time": "time",
                  "duration": "duration", "scoreboard_freeze_duration": "freeze",
                  "penalty_time": "penalty", "scoreboard_type": "scoreboard_type"},
                 ["name", "start_time", "duration"], "id",
                 duplicates=[{"id": cid, "name": "N", "start_time": None, "duration": "1:00:00"}
                             for cid in ("demo", "fz")]),
        Endpoint("PATCH /api/contests/{cid}", "PATCH", "/api/contests/fz",
                 {"id": "fz", "scoreboard_thaw_time": ctx["now"]},
                 {"id": "thaw_id", "scoreboard_thaw_time": "thaw_time"},
                 ["scoreboard_thaw_time"]),
        Endpoint("POST .../organizations", "POST", f"{c}/organizations",
                 {"id": "x", "name": "N", "formal_name": "F", "country": "NLD"},
                 {"id": "id", "name": "text", "formal_name": "opt_text", "country": "country"},
                 ["name"], "id",
                 duplicates=[{"id": "org1", "name": "N"}, {"id": "org1", "name": "M"}]),
        Endpoint("POST .../groups", "POST", f"{c}/groups", {"id": "x", "name": "N"},
                 {"id": "id", "name": "text"}, ["name"], "id",
                 duplicates=[{"id": "g1", "name": "N"}, {"id": "g1", "name": "Other"}]),
        Endpoint("POST .../teams", "POST", f"{c}/teams",
                 {"id": "x", "name": "N", "display_name": "D", "organization_id": "org1",
                  "group_ids": ["g1"]},
                 {"id": "id", "name": "text", "display_name": "opt_text", "organization_id": "ref",
                  "group_ids": "group_ids"},
                 ["name"], "id",
                 duplicates=[{"id": t, "name": "N"} for t in ("team1", "t-other")],
                 unknown=[{"name": "N", "organization_id": "nope"},
                          {"name": "N", "group_ids": ["nope"]},
                          {"name": "N", "group_ids": ["g1", "nope"]},
                          {"name": "N", "organization_id": "ORG1"}]),
        Endpoint("POST .../problems", "POST", f"{c}/problems", problem,
                 {"id": "id", "label": "text", "name": "text", "time_limit": "time_limit",
                  "ordinal": "ordinal", "rgb": "rgb", "memory_limit": "mib", "output_limit": "mib",
                  "validator_flags": "flags", "test_cases": "test_cases"},
                 ["id", "label", "name", "time_limit", "test_cases"], "id",
                 duplicates=[dict(problem, id=p) for p in ("sum", "max")]),
        Endpoint("POST .../submissions", "POST", f"{c}/submissions",
                 {"problem_id": "sum", "language_id": "c", "source": "int main(){}\n",
                  "team_id": "team1"},
                 {"problem_id": "ref", "language_id": "ref", "source": "source", "team_id": "ref"},
                 ["problem_id", "language_id", "source", "team_id"],
                 unknown=[{"problem_id": p, "language_id": l, "source": "x", "team_id": t}
                          for p, l, t in (("nope", "c", "team1"), ("sum", "cobol", "team1"),
                                          ("sum", "c", "nope"), ("p", "c", "team1"),
                                          ("sum", "c", "t-other"), ("SUM", "c", "team1"),
                                          ("sum", "C", "team1"))]),
        Endpoint("PUT .../judgements/{id}", "PUT", f"{c}/judgements/{ctx['judgement']}",
                 {"judgement_type_id": "AC"}, {"judgement_type_id": "judgement_type"},
                 ["judgement_type_id"]),
        # The jury's answer to team1's question (admin_clar: time required).
        Endpoint("POST .../clarifications", "POST", f"{c}/clarifications", clar,
                 clar_kinds, ["text", "time"],
                 unknown=[dict(clar, to_team_id=t) for t in ("nope", "TEAM1", "t-other")]
                 + [dict(clar, problem_id=p) for p in ("nope", "p", "SUM")]
                 + [dict(clar, reply_to_id=r) for r in ("999999", ctx["fz_clar"], "nope")]
                 + [{"text": "q", "from_team_id": t} for t in ("t-other", "nope")]),
        # PUT onto the id of team1's question: even the template is a duplicate (409).
        Endpoint("PUT .../clarifications/{id}", "PUT", f"{c}/clarifications/{ctx['clar']}",
                 clar, clar_kinds, ["text", "time"], duplicates=[clar, dict(clar, text="b")],
                 unknown=[dict(clar, to_team_id="nope"), dict(clar, reply_to_id="999999")]),
    ]


class Case:
    def __init__(self, endpoint, category, body, expect, path=None, content_type="json",
                 token=None, raw=None):
        self.endpoint, self.category, self.body, self.expect = endpoint, category, body, expect
        self.path = path or endpoint.path
        self.content_type, self.token, self.raw = content_type, token, raw

    def describe(self):
        body = self.raw if self.raw is not None else self.body
        text = body if isinstance(body, (str, bytes)) else json.dumps(body)
        if isinstance(text, bytes):
            text = text.decode("utf-8", "backslashreplace")
        if len(text) > 160:
            text = text[:160] + f"... ({len(text)} chars)"
        return f"{self.endpoint.method} {self.path[:120]} [{self.category}] {text!r}"


def encode(body):
    """JSON text of body as bytes, with RAW placeholders turned into invalid UTF-8."""
    if isinstance(body, bytes):
        return body
    text = body if isinstance(body, str) else json.dumps(body)
    return text.encode("utf-8", "surrogatepass")


def field_cases(ep, n):
    """Wrong types, missing fields and bad values, one field at a time."""
    cases = []
    for field, kind in ep.kinds.items():
        for value, expect in expect_for(kind):
            cases.append(Case(ep, "value:" + field, ep.body(next(n), **{field: value}), expect))
        for raw in INVALID_UTF8:
            body = json.dumps(ep.body(next(n), **{field: "a" + RAW})).encode()
            body = body.replace(json.dumps(RAW)[1:-1].encode(), raw)
            cases.append(Case(ep, "utf8:" + field, body, BAD_REQUEST))
        # 100,000 levels once per endpoint: each costs the sanitizer build a third of a second.
        for depth in (40, 1_000, 100_000) if field == next(iter(ep.kinds)) else (40, 1_000):
            nested = "[" * depth + "]" * depth if depth != 40 else '{"a":' * depth + "1" + \
                "}" * depth
            text = json.dumps(ep.body(next(n), **{field: 0})).replace(
                f'"{field}": 0', f'"{field}": {nested}', 1)
            cases.append(Case(ep, "nesting:" + field, text, BAD_REQUEST))
    for field in ep.required:
        cases.append(Case(ep, "missing:" + field, ep.body(next(n), **{field: DROP}), BAD_REQUEST))
        if field != "start_time":  # null: not scheduled yet
            cases.append(Case(ep, "null:" + field, ep.body(next(n), **{field: None}), BAD_REQUEST))
    cases.append(Case(ep, "missing:all", {}, BAD_REQUEST))
    # A 1 MB unknown field does not make a body valid; one over the limit is refused unread.
    required = ep.required[0]
    cases.append(Case(ep, "huge:extra", ep.body(next(n), **{required: DROP, "zzz": HUGE}),
                      INVALID))
    cases.append(Case(ep, "oversized", ep.body(next(n), zzz=OVERSIZED), {413}))
    return cases


def json_cases(ep, rng, n):
    cases = [Case(ep, "json", text, BAD_REQUEST) for text in BAD_JSON + NOT_OBJECTS]
    valid = json.dumps(ep.body(next(n)))
    for _ in range(20):  # A proper prefix of a JSON object is never valid JSON.
        cases.append(Case(ep, "json:truncated", valid[:rng.randrange(len(valid))], BAD_REQUEST))
    for _ in range(10):
        garbage = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200)))
        cases.append(Case(ep, "json:garbage", b"{" + garbage, BAD_REQUEST))
    return cases


def content_type_status(ep, content_type):
    """415, except a zip sent to POST .../problems: a problem package, and JSON is no zip."""
    if content_type == "application/zip" and ep.name == "POST .../problems":
        return {400}
    return {415}


def protocol_cases(ep, ctx, n):
    """Content types, path tricks and HTTP-level lies about the body."""
    cases = [Case(ep, "content-type", ep.body(next(n)), content_type_status(ep, ct),
                  content_type=ct) for ct in CONTENT_TYPES]
    cases.append(Case(ep, "content-type", ep.body(next(n)), {415}, content_type=";;;/"))
    if "/demo" in ep.path:
        cases += [Case(ep, "path:cid", ep.body(next(n)), {404},
                       path=ep.path.replace("/demo", "/" + trick, 1)) for trick in CID_TRICKS]
    if ep.path == "/api/contests/fz":
        cases += [Case(ep, "path:cid", ep.body(next(n)), {404}, path="/api/contests/" + trick)
                  for trick in CID_TRICKS]
    if "/judgements/" in ep.path:
        base = ep.path.rsplit("/", 1)[0]
        cases += [Case(ep, "path:id", ep.body(next(n)), {404}, path=f"{base}/{trick}")
                  for trick in JUDGEMENT_TRICKS]
    body = encode(ep.body(next(n)))
    head = f"{ep.method} {ep.path} HTTP/1.1\r\nHost: x\r\n" \
           f"Authorization: Bearer {ctx['admin']}\r\nContent-Type: application/json\r\n"
    for length, expect in (("100000000000000", {413}), ("18446744073709551615", {413}),
                           ("2000000", {413}), ("-1", BAD_REQUEST), ("abc", BAD_REQUEST),
                           ("1e3", BAD_REQUEST), (" ", BAD_REQUEST)):
        raw = (head + f"Content-Length: {length}\r\n\r\n").encode() + body
        cases.append(Case(ep, "content-length", None, expect, raw=raw))
    chunked = (head + "Transfer-Encoding: chunked\r\n\r\n").encode() + \
        f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n"
    cases.append(Case(ep, "chunked", None, {411}, raw=chunked))
    huge_chunk = (head + "Transfer-Encoding: chunked\r\n\r\n").encode() + b"ffffffffff\r\n{}\r\n"
    cases.append(Case(ep, "chunked", None, {411}, raw=huge_chunk))
    return cases


FRAMING_ERRORS = {400, 411, 413, 431}


def framing_cases(ep, ctx, n):
    """Requests whose framing is unclear or broken (RFC 9112), sent raw: each must be refused
    with a JSON error (and the connection closed: nothing after it is read as a request)."""
    body = encode(ep.body(next(n)))
    line = f"{ep.method} {ep.path} HTTP/1.1\r\n".encode()
    auth = f"Authorization: Bearer {ctx['admin']}\r\nContent-Type: application/json\r\n".encode()
    length = f"Content-Length: {len(body)}\r\n".encode()
    heads = [
        b"GARBAGE\r\n", b"\x00\x01\x02\r\n", line.replace(b" HTTP/1.1", b""),
        line.replace(b"HTTP/1.1", b"HTTP/2.0"), line.replace(b"HTTP/1.1", b"http/1.1"),
        line.replace(b" /", b"  /"), line.replace(b" /", b" /\xff"),
        line + auth + length,  # no Host
        line + b"Host: x\r\nHost: y\r\n" + auth + length,
        line + b"Host: x\r\n" + auth + length + b"Content-Length: 1\r\n",
        line + b"Host: x\r\n" + auth + f"Content-Length: {len(body)}, 1\r\n".encode(),
        line + b"Host: x\r\n" + auth + length + b"Transfer-Encoding: chunked\r\n",
        line + b"Host: x\r\n" + auth + length + b"X-A: 1\r\n folded\r\n",
        line + b"Host: x\r\n" + auth + length + b"X-A : 1\r\n",
        line + b"Host: x\r\n" + auth + length + b"X-A: a\x00b\r\n",
        line + b"Host: x\r\n" + auth + length + b"X-A: a\nb\r\n",
        line + b"Host: x\r\n" + auth + length + b"X-" + b"a" * 70_000 + b": 1\r\n",
    ]
    return [Case(ep, "framing", None, FRAMING_ERRORS, raw=head + b"\r\n" + body)
            for head in heads]


def encoding_cases(ep, ctx, n):
    """Text that is not UTF-8 (or holds a NUL) where it is not JSON: the query string and the
    Basic user name. A 4xx, never a 503 from Postgres refusing it."""
    cases = [Case(ep, "utf8:query", ep.body(next(n)), BAD_REQUEST, path=f"{ep.path}?{query}")
             for query in ("label=%FF", "x=%C0%AF", "x=%ED%A0%80", "x=a%00b", "x=%", "x=%G1",
                           "%FF=1")]
    for user in (b"\xff", b"a\xc0\xafb", b"a\x00b", b"\xed\xa0\x80"):
        basic = "Basic " + base64.b64encode(user + b":pw").decode()
        cases.append(Case(ep, "utf8:basic-user", ep.body(next(n)), {401}, token=basic))
    return cases


def conflict_cases(ep):
    cases = [Case(ep, "duplicate", body, {409}) for body in ep.duplicates]
    cases += [Case(ep, "unknown-reference", body, UNPROCESSABLE) for body in ep.unknown]
    return cases


def random_bad_id(rng):
    """Random code points (controls, RTL, CJK, emoji, lone surrogates, NUL...) with at least one
    that no identifier may hold."""
    ranges = [(0x20, 0x7e), (0x00, 0x1f), (0xa0, 0xff), (0x590, 0x6ff), (0x4e00, 0x4eff),
              (0x1f600, 0x1f64f), (0xd800, 0xdfff), (0x2000, 0x206f), (0xfff0, 0xffff)]
    chars = [chr(rng.randint(*rng.choice(ranges))) for _ in range(rng.randint(0, 40))]
    chars.insert(rng.randint(0, len(chars)), rng.choice(" /\\'\";%\u0000\u202e\u00e9\U0001f642"))
    return "".join(chars)


def random_cases(ep, rng, n, count):
    """Two or three bad fields at once; the server may report any one of them."""
    pool = [(field, value, expect) for field, kind in ep.kinds.items()
            for value, expect in expect_for(kind) if value is not HUGE]
    cases = []
    for _ in range(count):
        picked = rng.sample(pool, rng.choice((2, 3)))
        changes, expect = {}, set()
        for field, value, allowed in picked:
            changes[field] = value
            expect |= allowed
        if ep.id_field and ep.id_field not in changes and rng.random() < 0.3:
            changes[ep.id_field] = rng.choice(BAD_IDS + SQL + [random_bad_id(rng)])
            expect |= INVALID  # 400 when a lone surrogate makes the JSON itself invalid
        cases.append(Case(ep, "random", ep.body(next(n), **changes), expect))
    return cases


def team_submission_cases(ep, ctx, n):
    """Submissions as team1: the same bad bodies without team_id, and team_id of others."""
    cases = []
    for field in ("problem_id", "language_id", "source"):
        for value, expect in expect_for(ep.kinds[field]):
            body = ep.body(next(n), team_id=DROP, **{field: value})
            cases.append(Case(ep, "team:" + field, body, expect, token=ctx["team"]))
    for team in ("team2x", "nope", "t-other", "TEAM1", "team1 ", "'; --"):
        body = ep.body(next(n), team_id=team)
        cases.append(Case(ep, "team:other-team", body, {403}, token=ctx["team"]))
    return cases


def team_clarification_cases(ep, ctx, n):
    """Questions as team1: what only the server (or the jury) decides, and other teams."""
    cases = []
    for field, value in (("id", "fz-q"), ("to_team_id", "team2"), ("time", ctx["now"]),
                         ("contest_time", "0:01:00.000")):
        cases.append(Case(ep, "team:" + field, {"text": "q", field: value}, BAD_REQUEST,
                          token=ctx["team"]))
    for team in ("team2", "nope", "t-other", "TEAM1", "'; --"):
        cases.append(Case(ep, "team:other-team", {"text": "q", "from_team_id": team},
                          {403} if team != "'; --" else UNPROCESSABLE, token=ctx["team"]))
    for value, expect in expect_for("clar_text"):
        cases.append(Case(ep, "team:text", {"text": value}, expect, token=ctx["team"]))
    cases.append(Case(ep, "team:reply_to_id", {"text": "q", "reply_to_id": ctx["fz_clar"]},
                      UNPROCESSABLE, token=ctx["team"]))
    return cases


def generate(ctx):
    rng = random.Random(SEED)
    counter = iter(range(1, 10**9))
    all_cases = []
    for ep in endpoints(ctx):
        cases = field_cases(ep, counter) + json_cases(ep, rng, counter) + \
            protocol_cases(ep, ctx, counter) + framing_cases(ep, ctx, counter) + \
            encoding_cases(ep, ctx, counter) + conflict_cases(ep)
        if ep.name.endswith("submissions"):
            cases += team_submission_cases(ep, ctx, counter)
        if ep.name == "POST .../clarifications":
            cases += team_clarification_cases(ep, ctx, counter)
        cases += random_cases(ep, rng, counter, max(50, MIN_PER_ENDPOINT - len(cases)))
        all_cases += cases
    only = [c for c in os.environ.get("FUZZ_ONLY", "").split(",") if c]
    return [c for c in all_cases if not only or c.category.startswith(tuple(only))]


def setup(server):
    """What the cases refer to: contest fz frozen now (a valid PATCH would thaw it), org1, g1,
    team t-other of fz, problem p of fz, a jury user, a judged submission of team1, a question of
    team1 and an announcement in fz."""
    api = server.api
    admin = api.login("admin", ADMIN_PASSWORD)
    now = int(time.time() * 1000)
    iso = lambda ms: time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms // 1000)) + ".000+00:00"
    api.must("POST", "/api/contests", admin, {"id": "fz", "name": "FZ", "duration": "5:00:00",
                                              "start_time": iso(now - 9 * HOUR_MS // 2),
                                              "scoreboard_freeze_duration": "1:00:00"})
    api.must("POST", "/api/contests/demo/organizations", admin, {"id": "org1", "name": "O"})
    api.must("POST", "/api/contests/demo/groups", admin, {"id": "g1", "name": "G"})
    api.must("POST", "/api/contests/fz/teams", admin, {"id": "t-other", "name": "Other"})
    api.must("POST", "/api/contests/fz/problems", admin,
             {"id": "p", "label": "P", "name": "P", "time_limit": 1,
              "test_cases": [{"input": "1", "answer": "1"}]})
    api.must("POST", "/api/users", admin, {"username": "fzjury", "password": "pw", "role": "jury"})
    team = api.login("team1", TEAM_PASSWORD)
    sub = api.must("POST", "/api/contests/demo/submissions", team,
                   {"problem_id": "sum", "language_id": "c", "source": "int main(){}\n"})["id"]
    psql(server.db_url, "UPDATE submissions SET state = 'judged' WHERE id = {0}; INSERT INTO "
                        "judgements (submission_id, attempt, verdict, judged_by, start_time) "
                        "VALUES ({0}, 1, 'WA', 'fuzz', now())".format(int(sub)))
    judgement = api.must("GET", "/api/contests/demo/judgements", admin)[0]["id"]
    # Asked by the jury for team1 (proxy_clar): the jury uses none of the team's rate limit,
    # which the matrix shares on this Redis db.
    clar = api.must("POST", "/api/contests/demo/clarifications", admin,
                    {"text": "May I?", "from_team_id": "team1"})["id"]
    fz_clar = api.must("POST", "/api/contests/fz/clarifications", admin,
                       {"text": "FZ only", "time": iso(now)})["id"]
    return {"admin": admin, "team": team, "judgement": judgement, "now": iso(now),
            "start": iso(now + HOUR_MS), "clar": clar, "fz_clar": fz_clar}


def listings(server, admin):
    paths = ["/api/contests", "/api/contests/fz"] + [f"/api/contests/demo/{what}" for what in (
        "teams", "organizations", "groups", "problems", "submissions", "judgements", "accounts",
        "clarifications")]
    return {path: server.api.call("GET", path, admin) for path in paths}


def check(case, status, doc):
    """Why the answer to a case is wrong, or None."""
    if status is None:
        return f"no response ({doc})"
    if status >= 500:
        return f"server error {status}"
    if status not in case.expect:
        return f"status {status}, expected one of {sorted(case.expect)}"
    if not is_error_body(doc, status):
        return f"error body is not JSON {{code,message}} with code {status}"
    return None


def send(server, case, ctx):
    if case.raw is not None:
        return server.api.raw(case.raw)
    status, doc, _ = server.api.send(case.endpoint.method, case.path, encode(case.body),
                                     case.token or ctx["admin"], content_type=case.content_type)
    return status, doc


def run(server, ctx, cases):
    counts = collections.defaultdict(collections.Counter)
    failures = []
    state = (server.table_digest(), listings(server, ctx["admin"]))
    for start in range(0, len(cases), BATCH):
        batch = cases[start:start + BATCH]
        for number, case in enumerate(batch, start + 1):
            try:
                status, doc = send(server, case, ctx)
            except OSError as e:
                status, doc = None, repr(e)
            counts[case.endpoint.name][status] += 1
            reason = check(case, status, doc)
            if reason:
                failures.append(f"#{number} {case.describe()}: {reason}: {str(doc)[:200]}")
        if not server.healthy():
            failures.append(f"judge-api is down after cases {start + 1}-{start + len(batch)}")
            break
        now = (server.table_digest(), listings(server, ctx["admin"]))
        if now != state:
            changed = sorted(t for t in state[0] if state[0][t] != now[0].get(t))
            failures.append(f"cases {start + 1}-{start + len(batch)} changed stored data "
                            f"(tables {changed}); categories: "
                            f"{sorted({c.category for c in batch})}")
            state = now
    return counts, failures


def print_counts(counts):
    statuses = sorted({s for c in counts.values() for s in c}, key=lambda s: (s is None, s or 0))
    width = max(len(name) for name in counts)
    print("endpoint".ljust(width) + " | total | " + " | ".join(str(s).rjust(4) for s in statuses))
    for name, c in counts.items():
        print(name.ljust(width) + f" | {sum(c.values()):5} | " +
              " | ".join(str(c.get(s, 0)).rjust(4) for s in statuses))


def main():
    if len(sys.argv) != 4:
        return usage(__doc__)
    with Server(*sys.argv[1:], name="schema_fuzz", redis_db=REDIS_DB) as server:
        ctx = setup(server)
        cases = generate(ctx)
        started = time.monotonic()
        counts, failures = run(server, ctx, cases)
        took = time.monotonic() - started
        status = server.stop()
        if status != 0:
            failures.append(f"judge-api exited with status {status} on SIGTERM")
    print_counts(counts)
    for failure in failures:
        print("FAIL " + failure)
    short = [name for name, c in counts.items() if sum(c.values()) < MIN_PER_ENDPOINT]
    if short and not os.environ.get("FUZZ_ONLY"):
        failures.append(f"fewer than {MIN_PER_ENDPOINT} cases for {short}")
    print(f"seed {SEED}: {len(cases)} requests in {took:.1f} s, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
