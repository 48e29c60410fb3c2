#!/usr/bin/env python3
"""API side of scripts/docker-e2e: sets up a contest and submits solutions with known verdicts
through the HTTP API, then waits until each is judged and checks the verdicts.

  e2e_client.py setup  STATE      (env: JUDGE_E2E_API, JUDGE_ADMIN_USERNAME, JUDGE_ADMIN_PASSWORD)
  e2e_client.py submit STATE PHASE COUNT
  e2e_client.py wait   STATE PHASE TIMEOUT_SECONDS

STATE is a JSON file holding the tokens and every submission with its expected verdict.
"""
import datetime
import json
import os
import sys
import time
import urllib.error
import urllib.request

CONTEST = "e2e"
PROBLEM = "sum"

# (language, expected verdict, source). Every verdict in C and Python; C's TLE spins, Python's
# sleeps, so neither takes the whole CPU from the other judging slots longer than its limit.
SOLUTIONS = [
    ("c", "AC", '#include <stdio.h>\nint main(void){long a,b;scanf("%ld %ld",&a,&b);printf("%ld\\n",a+b);return 0;}\n'),
    ("c", "WA", '#include <stdio.h>\nint main(void){long a,b;scanf("%ld %ld",&a,&b);printf("%ld\\n",a+b+1);return 0;}\n'),
    ("c", "TLE", "int main(void){volatile unsigned long x=0;for(;;)x++;}\n"),
    ("c", "RTE", "#include <stdlib.h>\nint main(void){abort();}\n"),
    ("c", "CE", "int main(void){ this is not C }\n"),
    ("python3", "AC", "a, b = map(int, input().split())\nprint(a + b)\n"),
    ("python3", "WA", "a, b = map(int, input().split())\nprint(a - b)\n"),
    ("python3", "TLE", "while True:\n    pass\n"),
    ("python3", "RTE", "raise SystemExit(3)\n"),
    ("python3", "CE", "def broken(:\n    pass\n"),
]


def log(msg):
    print(f"[docker-e2e] {msg}", file=sys.stderr, flush=True)


def request(method, path, body=None, token=None, ok=(200, 201, 202)):
    base = os.environ.get("JUDGE_E2E_API", "http://127.0.0.1:28450")
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            status, text = resp.status, resp.read().decode()
    except urllib.error.HTTPError as e:
        status, text = e.code, e.read().decode()
    if status not in ok:
        raise SystemExit(f"{method} {path}: HTTP {status}: {text[:300]}")
    return json.loads(text) if text.strip() else None


def login(username, password):
    return request("POST", "/api/auth/login", {"username": username, "password": password})["token"]


def load(path):
    with open(path) as f:
        return json.load(f)


def save(path, state):
    with open(path + ".tmp", "w") as f:
        json.dump(state, f, indent=1)
    os.replace(path + ".tmp", path)


def check_pages():
    """The image serves the pages for people (compiled into judge-api) with their script."""
    base = os.environ.get("JUDGE_E2E_API", "http://127.0.0.1:28450")
    for path, kind, needle in ((f"/contests/{CONTEST}/scoreboard", "text/html", "/static/scoreboard.js"),
                               ("/static/scoreboard.js", "text/javascript", "watchContest")):
        with urllib.request.urlopen(base + path, timeout=30) as resp:
            text = resp.read().decode()
            if resp.status != 200 or not resp.headers.get("Content-Type", "").startswith(kind):
                raise SystemExit(f"GET {path}: HTTP {resp.status} {resp.headers.get('Content-Type')}")
        if needle not in text:
            raise SystemExit(f"GET {path}: no {needle!r} in the page")
    log("the scoreboard page and its script are served")


def setup(state_path):
    admin = login(os.environ.get("JUDGE_ADMIN_USERNAME", "admin"), os.environ["JUDGE_ADMIN_PASSWORD"])
    start = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=1)
    request("POST", "/api/contests", {
        "id": CONTEST, "name": "Docker e2e", "duration": "5:00:00.000",
        "start_time": start.isoformat(timespec="milliseconds"), "scoreboard_type": "pass-fail"},
        admin)
    request("POST", f"/api/contests/{CONTEST}/problems", {
        "id": PROBLEM, "label": "A", "name": "Sum", "time_limit": 1,
        "test_cases": [{"input": "1 2\n", "answer": "3\n", "sample": True},
                       {"input": "40 2\n", "answer": "42\n"}]}, admin)
    request("POST", f"/api/contests/{CONTEST}/teams", {"id": "t1", "name": "Team 1"}, admin)
    team_password = os.urandom(12).hex()
    request("POST", "/api/users", {"username": "team1", "password": team_password,
                                   "role": "team", "team_id": "t1"}, admin)
    save(state_path, {"admin": admin, "team": login("team1", team_password), "submissions": []})
    log("contest, problem, team and team account created through the API")
    check_pages()


def submit(state_path, phase, count):
    state = load(state_path)
    for i in range(count):
        language, verdict, source = SOLUTIONS[i % len(SOLUTIONS)]
        # A comment that differs per submission: every compile is real (no compile-cache hits).
        marker = f"\n/* {phase}-{i} */\n" if language == "c" else f"\n# {phase}-{i}\n"
        sub = request("POST", f"/api/contests/{CONTEST}/submissions", {
            "problem_id": PROBLEM, "language_id": language, "source": source + marker},
            state["team"])
        state["submissions"].append({"id": sub["id"], "phase": phase, "language": language,
                                     "expected": verdict})
    save(state_path, state)
    log(f"{phase}: submitted {count} solutions through the API")


def wait(state_path, phase, timeout):
    state = load(state_path)
    mine = {s["id"]: s for s in state["submissions"] if s["phase"] == phase}
    deadline = time.monotonic() + timeout
    last_report = 0.0
    while True:
        judgements = request("GET", f"/api/contests/{CONTEST}/judgements", token=state["admin"])
        per_submission = {}
        for j in judgements:
            if j["submission_id"] in mine and j.get("judgement_type_id"):
                per_submission.setdefault(j["submission_id"], []).append(j["judgement_type_id"])
        done = len(per_submission)
        if done == len(mine):
            break
        if time.monotonic() > deadline:
            raise SystemExit(f"{phase}: only {done}/{len(mine)} judged after {timeout}s")
        if time.monotonic() - last_report > 5:
            log(f"{phase}: {done}/{len(mine)} judged")
            last_report = time.monotonic()
        time.sleep(1)
    bad = []
    for sid, s in sorted(mine.items(), key=lambda kv: int(kv[0])):
        got = per_submission[sid]
        if got != [s["expected"]]:
            bad.append(f"submission {sid} ({s['language']}): expected {s['expected']}, got {got}")
    counts = {}
    for s in mine.values():
        key = f"{s['language']}/{s['expected']}"
        counts[key] = counts.get(key, 0) + 1
    if bad:
        raise SystemExit(f"{phase}: wrong verdicts:\n  " + "\n  ".join(bad))
    log(f"{phase}: all {len(mine)} judged once with the expected verdict "
        f"({', '.join(f'{k} x{v}' for k, v in sorted(counts.items()))})")


def main(argv):
    if len(argv) >= 2 and argv[0] == "setup":
        setup(argv[1])
    elif len(argv) == 4 and argv[0] == "submit":
        submit(argv[1], argv[2], int(argv[3]))
    elif len(argv) == 4 and argv[0] == "wait":
        wait(argv[1], argv[2], float(argv[3]))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
