#!/usr/bin/python3
"""Authorization matrix of judge-api: every write endpoint x every kind of caller gets exactly
the expected status, and a refused request stores nothing (every table and the admin's listings
are compared before and after each request). Then what a team and an anonymous caller may read,
and the contest's time window for team submissions and questions.

Usage: matrix.py JUDGE_API JUDGECTL MIGRATIONS_DIR
Environment: TEST_DATABASE_URL, TEST_REDIS_URL (see harness.py).

Callers: admin, jury, a team, the same team naming another team in its submission, a signed
token of a team account without a team (the database allows no such account, so no login can
give one), a team of another contest, anonymous, a forged and an expired bearer token and a
wrong Basic password. The freeze
(a team and the public see the frozen scoreboard, the jury the truth) is tested by
tests/e2e/scoreboard_test.cc and not repeated here. Prints the matrix as a table and one line per
other check; exits 1 on any mismatch.
"""
import base64
import sys
import time

from harness import (ADMIN_PASSWORD, TEAM_PASSWORD, Server, is_error_body, psql, sign_token,
                     usage)

REDIS_DB = 9  # Nothing pops this db's queues.
PASSWORD = "matrix-pw"
HOUR_MS = 3600 * 1000
C = "/api/contests/demo"

CALLERS = ["admin", "jury", "team", "team for another", "team-less token", "other contest's team",
           "anonymous", "forged token", "expired token", "wrong password"]
WRITERS = {"admin", "jury"}


def iso(ms):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms // 1000)) + f".{ms % 1000:03d}+00:00"


def expected(admin, jury, team=403, team_for_another=403):
    """Expected status per caller; everyone not named here is refused."""
    return {"admin": admin, "jury": jury, "team": team, "team for another": team_for_another,
            "team-less token": 403, "other contest's team": 403, "anonymous": 401,
            "forged token": 401, "expired token": 401, "wrong password": 401}


class Setup:
    """Everything the matrix needs, created through the API as admin (and psql where noted)."""

    def __init__(self, server):
        self.server, self.api = server, server.api
        api = self.api
        self.admin = api.login("admin", ADMIN_PASSWORD)
        now = int(time.time() * 1000)
        self.post("/api/users", {"username": "jury1", "password": PASSWORD, "role": "jury"})
        self.post(f"{C}/organizations", {"id": "org1", "name": "Org One"})
        self.post(f"{C}/groups", {"id": "g1", "name": "Group One"})
        self.post(f"{C}/teams", {"id": "team2", "name": "Team Two", "organization_id": "org1",
                                 "group_ids": ["g1"]})
        self.user("team2", "team2")
        # One team per contest outside its time window, each with a problem of its own.
        for cid, start, duration in (("future", iso(now + HOUR_MS), "2:00:00"),
                                     ("past", iso(now - 3 * HOUR_MS), "1:00:00"),
                                     ("unscheduled", None, "1:00:00")):
            self.post("/api/contests", {"id": cid, "name": cid, "start_time": start,
                                        "duration": duration})
            self.post(f"/api/contests/{cid}/teams", {"id": f"t-{cid}", "name": f"Team {cid}"})
            self.post(f"/api/contests/{cid}/problems", problem("p"))
            self.user(f"u-{cid}", f"t-{cid}")
        self.tokens = {
            "admin": self.admin, "jury": api.login("jury1", PASSWORD),
            "team": api.login("team1", TEAM_PASSWORD), "team2": api.login("team2", PASSWORD),
            # The database refuses team accounts without a team; a signed token can still
            # claim one, and must be refused (fail closed), not read as "every team".
            "team-less token": sign_token({"sub": "ghost", "role": "team",
                                           "exp": now // 1000 + 3600}),
            "other contest's team": api.login("u-future", PASSWORD),
            "u-past": api.login("u-past", PASSWORD),
            "u-unscheduled": api.login("u-unscheduled", PASSWORD),
            "anonymous": None, "forged token": "Bearer not.a.token",
            "expired token": sign_token({"sub": "team1", "role": "team", "team": "team1",
                                         "exp": now // 1000 - 10}),
            "wrong password": "Basic " + base64.b64encode(b"admin:wrong").decode()}
        self.tokens["team for another"] = self.tokens["team"]
        self.sources = {"team1": "/* source of team1 MARK-7f3a */\n",
                        "team2": "/* source of team2 MARK-c91e */\n"}
        self.own_sub = self.submit("team", "sum", self.sources["team1"])
        self.other_sub = self.submit("team2", "max", self.sources["team2"])
        self.own_judgement = self.judge(self.own_sub)
        self.other_judgement = self.judge(self.other_sub)

    def post(self, path, body):
        return self.api.must("POST", path, self.admin, body)

    def user(self, username, team_id):
        self.post("/api/users", {"username": username, "password": PASSWORD, "role": "team",
                                 "team_id": team_id})

    def submit(self, who, problem_id, source):
        token = self.tokens[who]
        return self.api.must("POST", f"{C}/submissions", token,
                             {"problem_id": problem_id, "language_id": "c", "source": source})["id"]

    def judge(self, submission_id):
        """The judgement a worker would have written (no workers run); returns its id."""
        psql(self.server.db_url,
             "UPDATE submissions SET state = 'judged' WHERE id = {0}; INSERT INTO judgements "
             "(submission_id, attempt, verdict, judged_by, start_time, max_run_time_ms) VALUES "
             "({0}, 1, 'WA', 'matrix', now(), 12)".format(int(submission_id)))
        judgements = self.api.must("GET", f"{C}/judgements?submission_id={submission_id}",
                                   self.admin)
        return judgements[0]["id"]

    def listings(self):
        """What the admin can list: the API's view of the data, next to the table digest."""
        paths = ["/api/contests"] + [f"{C}/{what}" for what in (
            "teams", "organizations", "groups", "problems", "submissions", "judgements",
            "accounts", "clarifications")]
        return {path: self.api.call("GET", path, self.admin) for path in paths}

    def snapshot(self):
        return self.server.table_digest(), self.listings()


def problem(pid):
    return {"id": pid, "label": pid.upper(), "name": f"Problem {pid}", "time_limit": 1,
            "test_cases": [{"input": "1\n", "answer": "1\n"}]}


def write_endpoints(s):
    """(row name, request builder, expected status per caller). A builder gets the caller and a
    number unique to the cell, so that every accepted request creates something new."""

    def thaw(caller, n):
        # A contest of its own per cell, frozen now: a thaw can happen only once.
        cid = f"thaw-{n}"
        s.post("/api/contests", {"id": cid, "name": cid, "duration": "5:00:00",
                                 "start_time": iso(int(time.time() * 1000) - 9 * HOUR_MS // 2),
                                 "scoreboard_freeze_duration": "1:00:00"})
        now = iso(int(time.time() * 1000))
        return "PATCH", f"/api/contests/{cid}", {"scoreboard_thaw_time": now}

    def medals(caller, n):
        # A contest of its own per cell: medal counts and B are settings (issue 18).
        cid = f"medals-{n}"
        s.post("/api/contests", {"id": cid, "name": cid, "duration": "5:00:00",
                                 "start_time": None})
        return "PATCH", f"/api/contests/{cid}", {"gold_medals": 3, "silver_medals": 3,
                                                 "bronze_medals": 3, "extra_bronze": 1}

    def submission(caller, n):
        body = {"problem_id": "sum", "language_id": "c", "source": f"/* {n} */\n"}
        if caller in WRITERS:
            body["team_id"] = "team1"
        elif caller == "team for another":
            body["team_id"] = "team2"
        return "POST", f"{C}/submissions", body

    def verdict(caller, n):
        judgement = s.other_judgement if caller == "team for another" else s.own_judgement
        return "PUT", f"{C}/judgements/{judgement}", {"judgement_type_id": "AC"}

    def clarification(caller, n):
        # A team asks; the jury announces (CLICS admin_clar: time required); a team naming
        # another team as the asker is refused.
        body = {"text": f"question {n}"}
        if caller in WRITERS:
            body["time"] = iso(int(time.time() * 1000))
        elif caller == "team for another":
            body["from_team_id"] = "team2"
        return "POST", f"{C}/clarifications", body

    def put_clarification(caller, n):
        return "PUT", f"{C}/clarifications/put-{n}", {"text": f"message {n}",
                                                      "time": iso(int(time.time() * 1000))}

    return [
        ("POST /api/users", lambda c, n: ("POST", "/api/users", {
            "username": f"user-{n}", "password": PASSWORD, "role": "jury"}), expected(201, 403)),
        ("POST /api/contests", lambda c, n: ("POST", "/api/contests", {
            "id": f"contest-{n}", "name": "M", "start_time": None, "duration": "1:00:00"}),
         expected(201, 201)),
        ("PATCH /api/contests/{cid}", thaw, expected(200, 200)),
        ("PATCH /api/contests/{cid} medals", medals, expected(200, 200)),
        ("POST .../organizations", lambda c, n: ("POST", f"{C}/organizations", {
            "id": f"org-{n}", "name": "O"}), expected(201, 201)),
        ("POST .../groups", lambda c, n: ("POST", f"{C}/groups", {
            "id": f"group-{n}", "name": "G"}), expected(201, 201)),
        ("POST .../teams", lambda c, n: ("POST", f"{C}/teams", {
            "id": f"team-{n}", "name": "T", "organization_id": "org1", "group_ids": ["g1"]}),
         expected(201, 201)),
        ("POST .../problems", lambda c, n: ("POST", f"{C}/problems", problem(f"prob-{n}")),
         expected(201, 201)),
        ("POST .../submissions", submission, expected(202, 202, team=202)),
        ("PUT .../judgements/{id}", verdict, expected(200, 200)),
        ("POST .../clarifications", clarification, expected(201, 201, team=201)),
        ("PUT .../clarifications/{id}", put_clarification, expected(201, 201)),
    ]


def run_cell(s, build, caller, n, want):
    """One request; returns (status, reason it is wrong or None)."""
    method, path, body = build(caller, n)
    before = s.snapshot()
    status, doc, _ = s.api.send(method, path, body, s.tokens[caller])
    after = s.snapshot()
    if status != want:
        return status, f"expected {want}: {str(doc)[:160]}"
    if status >= 400:
        if not is_error_body(doc, status):
            return status, f"error body is not {{code,message}}: {str(doc)[:160]}"
        if before != after:
            changed = [k for k in before[0] if before[0][k] != after[0].get(k)]
            return status, f"refused but stored something (tables {changed})"
    elif before == after:
        return status, "accepted but nothing changed"
    return status, None


def run_matrix(s):
    failures = []
    rows = []
    n = 0
    for name, build, want in write_endpoints(s):
        cells = []
        for caller in CALLERS:
            n += 1
            status, reason = run_cell(s, build, caller, n, want[caller])
            cells.append(f"{status}" + ("" if reason is None else " FAIL"))
            if reason:
                failures.append(f"{name} as {caller}: got {status}, {reason}")
        rows.append((name, cells))
    print_table(rows)
    return failures


def print_table(rows):
    headers = ["endpoint"] + CALLERS
    widths = [max(len(headers[0]), *(len(r[0]) for r in rows))] + [max(len(c), 8) for c in CALLERS]
    line = " | ".join(h.ljust(w) for h, w in zip(headers, widths))
    print(line)
    print("-" * len(line))
    for name, cells in rows:
        print(" | ".join(v.ljust(w) for v, w in zip([name] + cells, widths)))


def check_time_window(s):
    """Teams submit only while their contest runs: 403 naming the reason, nothing stored."""
    failures = []
    for cid, who, reason in (("future", "other contest's team", "not started"),
                             ("past", "u-past", "over"),
                             ("unscheduled", "u-unscheduled", "not scheduled")):
        before = s.snapshot()
        status, doc, _ = s.api.send("POST", f"/api/contests/{cid}/submissions",
                                    {"problem_id": "p", "language_id": "c", "source": "x\n"},
                                    s.tokens[who])
        message = doc.get("message", "") if isinstance(doc, dict) else ""
        if status != 403 or reason not in message or not is_error_body(doc, status):
            failures.append(f"{who} submitting to {cid}: want 403 naming '{reason}', got "
                            f"{status} {doc}")
        elif s.snapshot() != before:
            failures.append(f"{who} submitting to {cid}: refused but stored something")
    # Questions too (clarifications.cc): teams ask only while their contest runs.
    for cid, who, reason in (("future", "other contest's team", "not started"),
                             ("past", "u-past", "over"),
                             ("unscheduled", "u-unscheduled", "not scheduled")):
        before = s.snapshot()
        status, doc, _ = s.api.send("POST", f"/api/contests/{cid}/clarifications",
                                    {"text": "may I?"}, s.tokens[who])
        message = doc.get("message", "") if isinstance(doc, dict) else ""
        if status != 403 or reason not in message or not is_error_body(doc, status):
            failures.append(f"{who} asking in {cid}: want 403 naming '{reason}', got "
                            f"{status} {doc}")
        elif s.snapshot() != before:
            failures.append(f"{who} asking in {cid}: refused but stored something")
    # The jury tests its problems before the start (access.cc: any time).
    status, doc = s.api.call("POST", "/api/contests/future/submissions", s.tokens["jury"],
                             {"problem_id": "p", "language_id": "c", "source": "x\n",
                              "team_id": "t-future"})
    if status != 202:
        failures.append(f"jury submitting to future: want 202, got {status} {doc}")
    return failures


def check_team_reads(s):
    """A team reads only its own submissions and judgements, and never another team's code."""
    failures = []
    team, team2, jury = s.tokens["team"], s.tokens["team2"], s.tokens["jury"]

    def get(path, token):
        status, doc, raw = s.api.send("GET", path, None, token)
        return status, doc, raw.decode("utf-8", "replace")

    for token, own in ((team, "team1"), (team2, "team2")):
        _, subs, _ = get(f"{C}/submissions", token)
        if {x.get("team_id") for x in subs} != {own}:
            teams = sorted({x.get("team_id") for x in subs})
            failures.append(f"{own} lists submissions of {teams}")
    _, subs, _ = get(f"{C}/submissions", jury)
    if not {"team1", "team2"} <= {x.get("team_id") for x in subs}:
        failures.append("the jury does not list both teams' submissions")
    own_subs = {x["id"] for x in get(f"{C}/submissions", team)[1]}
    _, judgements, _ = get(f"{C}/judgements", team)
    if not judgements or any(j.get("submission_id") not in own_subs for j in judgements):
        failures.append(f"team1 lists judgements not of its own submissions: {judgements}")
    hidden = [(f"{C}/submissions/{s.other_sub}", 404), (f"{C}/judgements/{s.other_judgement}", 404),
              (f"{C}/submissions/{s.other_sub}/files", 404),
              (f"{C}/judgements?submission_id={s.other_sub}", 200)]
    for path, want in hidden:
        status, doc, _ = get(path, team)
        if status != want or (want == 200 and doc != []):
            failures.append(f"team1 GET {path}: want {want} (nothing of team2), got {status} {doc}")
    readable = [f"{C}/{what}" for what in (
        "submissions", "judgements", "scoreboard", "teams", "problems", "account", "access")]
    readable += [f"{C}/submissions/{s.own_sub}", f"{C}/judgements/{s.own_judgement}",
                 f"{C}/submissions/{s.own_sub}/files"]
    for path in readable:
        if "MARK-c91e" in get(path, team)[2]:
            failures.append(f"team1 GET {path} shows team2's source")
    return failures


def check_public_reads(s):
    """Anonymous callers read public data of started contests only; teams no problems before
    the start; submissions, judgements and accounts need a login."""
    failures = []
    future, past = "/api/contests/future", "/api/contests/past"
    table = [  # path: (anonymous, a team, jury)
        (future, (200, 200, 200)), (f"{future}/problems", (403, 403, 200)),
        (f"{future}/problems/p", (403, 403, 200)), (f"{future}/teams", (403, 200, 200)),
        (f"{future}/organizations", (403, 200, 200)), (f"{future}/scoreboard", (403, 200, 200)),
        (f"{future}/state", (403, 200, 200)), (f"{future}/submissions", (401, 200, 200)),
        (f"{future}/judgements", (401, 200, 200)), (f"{future}/accounts", (401, 403, 403)),
        (f"{future}/account", (401, 200, 200)), (f"{past}/problems", (200, 200, 200)),
        (f"{past}/scoreboard", (200, 200, 200)), (f"{C}/submissions", (401, 200, 200)),
        (f"{future}/clarifications", (403, 200, 200)), (f"{past}/clarifications", (200, 200, 200)),
        (f"{C}/judgements/{s.own_judgement}", (401, 404, 200)),
    ]
    for path, wants in table:
        for who, want in zip(("anonymous", "other contest's team", "jury"), wants):
            status, doc = s.api.call("GET", path, s.tokens[who])
            if status != want:
                failures.append(f"{who} GET {path}: want {want}, got {status} {str(doc)[:120]}")
    _, access = s.api.call("GET", f"{C}/access", None)
    if not isinstance(access, dict):
        return failures + [f"anonymous GET access: {access}"]
    types = {e.get("type") for e in access.get("endpoints", [])}
    if access.get("capabilities") != [] or types & {"submissions", "judgements", "accounts"}:
        failures.append(f"anonymous access object offers more than public data: {access}")
    _, contests = s.api.call("GET", "/api/contests", None)
    if not {"demo", "future", "past", "unscheduled"} <= {c.get("id") for c in contests}:
        failures.append("anonymous does not list every contest")
    return failures


def main():
    if len(sys.argv) != 4:
        return usage(__doc__)
    failures = []
    with Server(*sys.argv[1:], name="schema_matrix", redis_db=REDIS_DB) as server:
        setup = Setup(server)
        failures += run_matrix(setup)
        for check in (check_time_window, check_team_reads, check_public_reads):
            found = check(setup)
            print(f"{check.__name__}: " + ("ok" if not found else f"{len(found)} FAILED"))
            failures += found
        if not server.healthy():
            failures.append("judge-api is not healthy after the matrix")
        status = server.stop()
        if status != 0:
            failures.append(f"judge-api exited with status {status} on SIGTERM")
    for failure in failures:
        print("FAIL: " + failure)
    print(f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
