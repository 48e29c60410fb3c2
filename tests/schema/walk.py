#!/usr/bin/python3
"""Walk every read endpoint of judge-api as admin, jury, team and anonymous and validate each
200 response against the CLICS Contest API 2023-06 JSON Schemas (tests/schema/clics-2023-06/).

Usage: walk.py JUDGE_API JUDGECTL MIGRATIONS_DIR
Environment: TEST_DATABASE_URL (a Postgres the test may CREATE DATABASE on), TEST_REDIS_URL.

The script creates its own database (schema_walk_<pid>), migrates and seeds it, creates a jury
user, a second team, an organization, a group, submissions of both teams and a judgement (a
worker-style row written with psql, then overridden through PUT so a manual judgement exists too;
no workers run); the seeding writes are validated too (their bodies are CLICS objects). It prints
one line per (role, endpoint) and ends with "N passed, M failed".
Only the standard library and Debian's python3-jsonschema (4.10.x) are used.
"""
import json
import os
import sys

import jsonschema

from harness import ADMIN_PASSWORD, TEAM_PASSWORD, Server, psql, usage

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA_DIR = os.path.join(HERE, "clics-2023-06")
CONTEST = "demo"
JURY_PASSWORD = "walk-jury-pw"
TEAM2_PASSWORD = "walk-team2-pw"
REDIS_DB = 6  # shared with write_side_test: nothing pops this db's queues.

# (role, endpoint key) -> why the response is known not to match its schema yet. A listed
# response that does match counts as a failure, so this list cannot go stale silently.
EXPECTED_SCHEMA_FAILURES = {}


def load_schemas():
    store, by_file = {}, {}
    for name in sorted(os.listdir(SCHEMA_DIR)):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(SCHEMA_DIR, name), encoding="utf-8") as f:
            schema = json.load(f)
        store[schema["$id"]] = schema
        by_file[name] = schema
    validators = {}
    for name, schema in by_file.items():
        resolver = jsonschema.RefResolver(base_uri=schema["$id"], referrer=schema, store=store)
        validators[name] = jsonschema.Draft202012Validator(schema, resolver=resolver)
    return validators


def seed(api, db_url):
    admin = api.login("admin", ADMIN_PASSWORD)
    api.must("POST", f"/api/contests/{CONTEST}/organizations", admin,
             {"id": "org1", "name": "Org One", "formal_name": "Organization One"},
             schema="organization.json")
    api.must("POST", f"/api/contests/{CONTEST}/groups", admin, {"id": "g1", "name": "Group One"},
             schema="group.json")
    api.must("POST", f"/api/contests/{CONTEST}/teams", admin,
             {"id": "team2", "name": "Team Two", "organization_id": "org1", "group_ids": ["g1"]},
             schema="team.json")
    api.must("POST", "/api/users", admin,
             {"username": "jury1", "password": JURY_PASSWORD, "role": "jury"},
             schema="account.json")
    api.must("POST", "/api/users", admin,
             {"username": "team2", "password": TEAM2_PASSWORD, "role": "team",
              "team_id": "team2"}, schema="account.json")
    team = api.login("team1", TEAM_PASSWORD)
    team2 = api.login("team2", TEAM2_PASSWORD)
    source = "#include <stdio.h>\nint main(void){long a,b;scanf(\"%ld %ld\",&a,&b);" \
             "printf(\"%ld\\n\",a+b);return 0;}\n"
    own = api.must("POST", f"/api/contests/{CONTEST}/submissions", team,
                   {"problem_id": "sum", "language_id": "c", "source": source},
                   schema="submission.json", role="team")
    other = api.must("POST", f"/api/contests/{CONTEST}/submissions", team2,
                     {"problem_id": "max", "language_id": "c", "source": source},
                     schema="submission.json", role="team")
    # No workers run: write the judgement a worker would have, then let the jury override it.
    for sub in (own, other):
        psql(db_url, "UPDATE submissions SET state = 'judged' WHERE id = {0}; "
                     "INSERT INTO judgements (submission_id, attempt, verdict, judged_by, "
                     "start_time, max_run_time_ms) VALUES ({0}, 1, 'WA', 'schema-walk', "
                     "now() - interval '1 second', 12)".format(int(sub["id"])))
    judgements = api.must("GET", f"/api/contests/{CONTEST}/judgements", admin)
    own_judgement = next(j for j in judgements if j["submission_id"] == own["id"])
    manual = api.must("PUT", f"/api/contests/{CONTEST}/judgements/{own_judgement['id']}", admin,
                      {"judgement_type_id": "AC"}, schema="judgement.json")
    other_judgement = next(j for j in judgements if j["submission_id"] == other["id"])
    return {"admin": admin, "jury": api.login("jury1", JURY_PASSWORD), "team": team,
            "anonymous": None}, own["id"], other["id"], manual["id"], other_judgement["id"]


def endpoints(own_sub, other_sub, own_judgement, other_judgement):
    """(key, path, schema, expected status per role). 200 means the body must validate."""
    c = f"/api/contests/{CONTEST}"
    public = {"admin": 200, "jury": 200, "team": 200, "anonymous": 200}
    admin_only = {"admin": 200, "jury": 403, "team": 403, "anonymous": 401}
    authenticated = {"admin": 200, "jury": 200, "team": 200, "anonymous": 401}
    jury_only_item = {"admin": 200, "jury": 200, "team": 404, "anonymous": 401}
    return [
        ("api", "/api", "api_information.json", public),
        ("contests", "/api/contests", "contests.json", public),
        ("contest", c, "contest.json", public),
        ("access", c + "/access", "access.json", public),
        ("state", c + "/state", "state.json", public),
        ("judgement-types", c + "/judgement-types", "judgement-types.json", public),
        ("judgement-types/AC", c + "/judgement-types/AC", "judgement-type.json", public),
        ("languages", c + "/languages", "languages.json", public),
        ("languages/c", c + "/languages/c", "language.json", public),
        ("problems", c + "/problems", "problems.json", public),
        ("problems/sum", c + "/problems/sum", "problem.json", public),
        ("teams", c + "/teams", "teams.json", public),
        ("teams/team1", c + "/teams/team1", "team.json", public),
        ("organizations", c + "/organizations", "organizations.json", public),
        ("organizations/org1", c + "/organizations/org1", "organization.json", public),
        ("groups", c + "/groups", "groups.json", public),
        ("groups/g1", c + "/groups/g1", "group.json", public),
        ("accounts", c + "/accounts", "accounts.json", admin_only),
        ("accounts/team1", c + "/accounts/team1", "account.json", admin_only),
        ("account", c + "/account", "account.json", authenticated),
        ("submissions", c + "/submissions", "submissions.json", authenticated),
        ("submissions/own", f"{c}/submissions/{own_sub}", "submission.json", authenticated),
        ("submissions/other", f"{c}/submissions/{other_sub}", "submission.json",
         jury_only_item),
        ("judgements", c + "/judgements", "judgements.json", authenticated),
        ("judgements/own", f"{c}/judgements/{own_judgement}", "judgement.json", authenticated),
        ("judgements/other", f"{c}/judgements/{other_judgement}", "judgement.json",
         jury_only_item),
        ("scoreboard", c + "/scoreboard", "scoreboard.json", public),
    ]


def schema_errors(validator, doc):
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    return [("/".join(str(p) for p in e.absolute_path) or "(root)") + ": " + e.message[:200]
            for e in errors]


def extra_checks(role, key, doc, own_sub):
    """Authorization basics beyond status codes: a team sees only its own rows, the jury all."""
    if key == "scoreboard":
        # Makes sure the walk validated a solved cell (its "time" field), not an empty board.
        rows = {r.get("team_id"): r for r in doc.get("rows", [])}
        solved = rows.get("team1", {}).get("score", {}).get("num_solved")
        return None if solved == 1 else f"team1 should have 1 solved problem, got {solved}"
    if key not in ("submissions", "judgements") or not isinstance(doc, list):
        return None
    if role == "team":
        if key == "submissions" and [s.get("team_id") for s in doc] != ["team1"]:
            return "team must see exactly its own submission, got teams " + \
                str([s.get("team_id") for s in doc])
        if key == "judgements" and (not doc or any(j.get("submission_id") != own_sub
                                                   for j in doc)):
            return "team must see only judgements of its own submission"
    elif role in ("admin", "jury"):
        want = 2 if key == "submissions" else 3  # PUT keeps the judgement it replaced
        if len(doc) < want:
            return f"{role} should see all {want} {key}, got {len(doc)}"
    return None


def check_writes(api, validators):
    passed = failed = 0
    for role, what, status, schema, doc in api.written:
        errors = schema_errors(validators[schema], doc)
        if errors:
            failed += 1
            print(f"{role} {what} {status} FAIL: {schema}: " + "; ".join(errors[:3]))
        else:
            passed += 1
            print(f"{role} {what} {status} ok")
    return passed, failed


def walk(api, tokens, table, validators, own_sub):
    passed, failed = check_writes(api, validators)
    for role, token in tokens.items():
        for key, path, schema, expected in table:
            status, doc = api.call("GET", path, token)
            reason = None
            if status != expected[role]:
                reason = f"expected status {expected[role]}"
            elif status == 200:
                errors = schema_errors(validators[schema], doc)
                known = EXPECTED_SCHEMA_FAILURES.get((role, key))
                if errors and known:
                    print(f"{role} {path} {status} ok: expected failure ({known}): {errors[0]}")
                    passed += 1
                    continue
                if known and not errors:
                    reason = "passes now: remove it from EXPECTED_SCHEMA_FAILURES"
                elif errors:
                    reason = f"{schema}: " + "; ".join(errors[:3])
                    if len(errors) > 3:
                        reason += f" (+{len(errors) - 3} more)"
                else:
                    reason = extra_checks(role, key, doc, own_sub)
            elif not (isinstance(doc, dict) and isinstance(doc.get("code"), int)
                      and isinstance(doc.get("message"), str) and doc["code"] == status):
                reason = f"error body is not JSON {{code,message}}: {str(doc)[:120]}"
            if reason:
                failed += 1
                print(f"{role} {path} {status} FAIL: {reason}")
            else:
                passed += 1
                print(f"{role} {path} {status} ok")
    return passed, failed


def main():
    if len(sys.argv) != 4:
        return usage(__doc__)
    validators = load_schemas()
    with Server(*sys.argv[1:], name="schema_walk", redis_db=REDIS_DB) as server:
        tokens, *ids = seed(server.api, server.db_url)
        passed, failed = walk(server.api, tokens, endpoints(*ids), validators, ids[0])
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
