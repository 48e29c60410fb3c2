#!/usr/bin/python3
"""Walk every read endpoint of judge-api as admin, jury, team and anonymous and validate each
200 response against the CLICS Contest API 2023-06 JSON Schemas (tests/schema/clics-2023-06/).

Usage: walk.py JUDGE_API JUDGECTL MIGRATIONS_DIR
Environment: TEST_DATABASE_URL (a Postgres the test may CREATE DATABASE on), TEST_REDIS_URL.

The script creates its own database (schema_walk_<pid>), migrates and seeds it, creates a jury
user, a second team, an organization, a group, submissions of both teams and a judgement with
its runs (worker-style rows written with psql, then overridden through PUT so a manual judgement
exists too; no workers run); the seeding writes are validated too (their bodies are CLICS
objects), and clarifications: a question of each team, the jury's private answer to team1, an
answer to all and an announcement. The submission files endpoints are checked to serve a zip
with the one file. It prints one line per (role, endpoint) and ends with "N passed, M failed".
Everything is walked twice: as served, and with ?strict=true against the schemas made strict as
the ICPC's check-api.sh makes them (additionalProperties false: only the spec's properties).
Only the standard library and Debian's python3-jsonschema (4.10.x) are used.
"""
import datetime
import io
import json
import os
import sys
import urllib.error
import urllib.request
import zipfile

import jsonschema

from harness import ADMIN_PASSWORD, TEAM_PASSWORD, Server, psql, usage

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA_DIR = os.path.join(HERE, "clics-2023-06")
CONTEST = "demo"
JURY_PASSWORD = "walk-jury-pw"
TEAM2_PASSWORD = "walk-team2-pw"
REDIS_DB = 6  # shared with write_side_test: nothing pops this db's queues.
ZIP = "zip"  # Schema placeholder: the body is a zip archive, not JSON.

# (role, endpoint key) -> why the response is known not to match its schema yet. A listed
# response that does match counts as a failure, so this list cannot go stale silently.
EXPECTED_SCHEMA_FAILURES = {}


STRICT_ANCHOR = "ANCHOR_TO_INSERT_REQUIRE_STRICT_PROPERTIES"


def forbid_extra_properties(schema):
    """What the ICPC's check-api.sh does without -p: every object schema marked with the anchor
    comment gets "additionalProperties": false (only the spec's properties are allowed)."""
    if isinstance(schema, dict):
        if schema.get("$comment") == STRICT_ANCHOR:
            schema["additionalProperties"] = False
        for value in schema.values():
            forbid_extra_properties(value)
    elif isinstance(schema, list):
        for value in schema:
            forbid_extra_properties(value)


def load_schemas(strict=False):
    """Validators by schema file name; strict: the schemas forbid properties the spec does not
    define (for ?strict=true answers)."""
    store, by_file = {}, {}
    for name in sorted(os.listdir(SCHEMA_DIR)):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(SCHEMA_DIR, name), encoding="utf-8") as f:
            schema = json.load(f)
        if strict:
            forbid_extra_properties(schema)
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
    # No workers run: write the judgement (and one run per test case) a worker would have, then
    # let the jury override it (the override keeps the runs).
    for sub in (own, other):
        psql(db_url, "UPDATE submissions SET state = 'judged' WHERE id = {0}; "
                     "INSERT INTO judgements (submission_id, attempt, verdict, judged_by, "
                     "start_time, max_run_time_ms) VALUES ({0}, 1, 'WA', 'schema-walk', "
                     "now() - interval '1 second', 12); "
                     "INSERT INTO runs (judgement_id, ordinal, testcase_id, verdict, cpu_ms, "
                     "wall_ms, memory_kib) SELECT j.id, t.ordinal, t.id, 'WA', 12, 20, 1000 "
                     "FROM judgements j JOIN submissions s ON s.id = j.submission_id "
                     "JOIN testcases t ON t.contest_id = s.contest_id AND "
                     "t.problem_id = s.problem_id WHERE j.submission_id = {0}"
                     .format(int(sub["id"])))
    judgements = api.must("GET", f"/api/contests/{CONTEST}/judgements", admin)
    own_judgement = next(j for j in judgements if j["submission_id"] == own["id"])
    manual = api.must("PUT", f"/api/contests/{CONTEST}/judgements/{own_judgement['id']}", admin,
                      {"judgement_type_id": "AC"}, schema="judgement.json")
    other_judgement = next(j for j in judgements if j["submission_id"] == other["id"])
    runs = api.must("GET", f"/api/contests/{CONTEST}/runs", admin)
    own_run = next(r for r in runs if r["judgement_id"] == manual["id"])
    other_run = next(r for r in runs if r["judgement_id"] == other_judgement["id"])
    ids = Ids(own["id"], other["id"], manual["id"], other_judgement["id"], own_run["id"],
              other_run["id"])
    ids.clarifications = seed_clarifications(api, admin, team, team2)
    return {"admin": admin, "jury": api.login("jury1", JURY_PASSWORD), "team": team,
            "anonymous": None}, ids


def seed_clarifications(api, admin, team, team2):
    """team1's question about sum, team2's general one, the jury's private answer to team1, its
    answer to all of team2's and an announcement: {name: id}."""
    c = f"/api/contests/{CONTEST}/clarifications"
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    own = api.must("POST", c, team, {"text": "Is a+b < 2^63?", "problem_id": "sum"},
                   schema="clarification.json", role="team")
    other = api.must("POST", c, team2, {"text": "Team two asks"}, schema="clarification.json",
                     role="team")
    private = api.must("POST", c, admin, {"text": "Yes", "reply_to_id": own["id"],
                                          "to_team_id": "team1", "problem_id": "sum",
                                          "time": now}, schema="clarification.json")
    to_all = api.must("POST", c, admin, {"text": "Answer to all", "reply_to_id": other["id"],
                                         "time": now}, schema="clarification.json")
    announcement = api.must("PUT", c + "/walk-1", admin, {"text": "Announcement", "time": now},
                            schema="clarification.json")
    return {"own": own["id"], "other": other["id"], "private": private["id"],
            "to_all": to_all["id"], "announcement": announcement["id"]}


class Ids:
    """The ids of the seeded rows that the walk reads as "own" (team1's) and "other" (team2's)."""

    def __init__(self, own_sub, other_sub, own_judgement, other_judgement, own_run, other_run):
        self.own_sub, self.other_sub = own_sub, other_sub
        self.own_judgement, self.other_judgement = own_judgement, other_judgement
        self.own_run, self.other_run = own_run, other_run


def endpoints(ids):
    """(key, path, schema, expected status per role). 200 means the body must validate; schema
    ZIP means the body must be a zip archive instead."""
    own_sub, other_sub = ids.own_sub, ids.other_sub
    own_judgement, other_judgement = ids.own_judgement, ids.other_judgement
    c = f"/api/contests/{CONTEST}"
    public = {"admin": 200, "jury": 200, "team": 200, "anonymous": 200}
    admin_only = {"admin": 200, "jury": 403, "team": 403, "anonymous": 401}
    authenticated = {"admin": 200, "jury": 200, "team": 200, "anonymous": 401}
    jury_only_item = {"admin": 200, "jury": 200, "team": 404, "anonymous": 401}
    # Clarifications anyone may ask for; what one may not see is a 404 like a missing id.
    clars = ids.clarifications
    own_clar = {"admin": 200, "jury": 200, "team": 200, "anonymous": 404}
    jury_only_clar = {"admin": 200, "jury": 200, "team": 404, "anonymous": 404}
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
        ("runs", c + "/runs", "runs.json", authenticated),
        ("runs/own", f"{c}/runs/{ids.own_run}", "run.json", authenticated),
        ("runs/other", f"{c}/runs/{ids.other_run}", "run.json", jury_only_item),
        ("submissions/own/files", f"{c}/submissions/{own_sub}/files", ZIP, authenticated),
        ("submissions/other/files", f"{c}/submissions/{other_sub}/files", ZIP,
         jury_only_item),
        ("scoreboard", c + "/scoreboard", "scoreboard.json", public),
        ("clarifications", c + "/clarifications", "clarifications.json", public),
        ("clarifications/own", f"{c}/clarifications/{clars['own']}", "clarification.json",
         own_clar),
        ("clarifications/private", f"{c}/clarifications/{clars['private']}",
         "clarification.json", own_clar),
        ("clarifications/other", f"{c}/clarifications/{clars['other']}", "clarification.json",
         jury_only_clar),
        ("clarifications/to_all", f"{c}/clarifications/{clars['to_all']}", "clarification.json",
         public),
        ("clarifications/announcement", f"{c}/clarifications/{clars['announcement']}",
         "clarification.json", public),
        ("awards", c + "/awards", "awards.json", public),
        ("awards/winner", c + "/awards/winner", "award.json", public),
        ("awards/first-to-solve-sum", c + "/awards/first-to-solve-sum", "award.json", public),
    ]


def zip_errors(doc):
    """A served zip must hold exactly the one submitted file."""
    if not isinstance(doc, bytes):
        return ["not a binary body"]
    try:
        with zipfile.ZipFile(io.BytesIO(doc)) as archive:
            names = archive.namelist()
            if len(names) != 1 or not archive.read(names[0]):
                return [f"expected one non-empty file, got {names}"]
    except zipfile.BadZipFile as e:
        return [f"not a zip: {e}"]
    return []


def schema_errors(validator, doc):
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    return [("/".join(str(p) for p in e.absolute_path) or "(root)") + ": " + e.message[:200]
            for e in errors]


def extra_checks(role, key, doc, ids):
    """Authorization basics beyond status codes: a team sees only its own rows, the jury all."""
    own_sub = ids.own_sub
    if key == "runs" and isinstance(doc, list):
        if role == "team" and (not doc or any(r.get("judgement_id") != ids.own_judgement
                                              for r in doc)):
            return "team must see only the runs of its own current judgement"
        if role in ("admin", "jury") and len({r.get("judgement_id") for r in doc}) < 3:
            return f"{role} should see the runs of all 3 judgements"
        return None
    if key == "scoreboard":
        # Makes sure the walk validated a solved cell (its "time" field), not an empty board.
        rows = {r.get("team_id"): r for r in doc.get("rows", [])}
        solved = rows.get("team1", {}).get("score", {}).get("num_solved")
        return None if solved == 1 else f"team1 should have 1 solved problem, got {solved}"
    if key == "clarifications" and isinstance(doc, list):
        return clarification_visibility_error(role, doc)
    if key == "awards":
        # The known awards are all listed, and the demo's one solve of "sum" is first to solve.
        by_id = {a.get("id"): a.get("team_ids") for a in doc}
        missing = {"winner", "gold-medal", "silver-medal", "bronze-medal", "honorable-mention",
                   "first-to-solve-sum"} - by_id.keys()
        if missing:
            return f"awards missing {sorted(missing)}"
        return None if by_id["first-to-solve-sum"] == ["team1"] else \
            f"first-to-solve-sum should be team1, got {by_id['first-to-solve-sum']}"
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


def clarification_visibility_error(role, clars):
    """team1 sees its question, the answer to it and the messages to all; anonymous only the
    messages to all; the jury all five."""
    texts = sorted(c.get("text") for c in clars)
    want = {"admin": ["Announcement", "Answer to all", "Is a+b < 2^63?", "Team two asks", "Yes"],
            "team": ["Announcement", "Answer to all", "Is a+b < 2^63?", "Yes"],
            "anonymous": ["Announcement", "Answer to all"]}
    want["jury"] = want["admin"]
    return None if texts == want[role] else f"{role} should see {want[role]}, got {texts}"


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


def walk(api, tokens, table, validators, ids, query=""):
    """Every (role, endpoint); query ("strict=true" or "") is added to every path."""
    passed = failed = 0
    for role, token in tokens.items():
        for key, path, schema, expected in table:
            if query:
                path += "?" + query
            status, doc = api.call("GET", path, token)
            reason = None
            if status != expected[role]:
                reason = f"expected status {expected[role]}"
            elif status == 200 and schema == ZIP:
                errors = zip_errors(doc)
                reason = "; ".join(errors) if errors else None
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
                    reason = extra_checks(role, key, doc, ids)
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


# --- Event feed (GET .../event-feed?stream=false) -------------------------------------------
# Kept in one block: every NDJSON line must validate against event-feed.json and its data
# against the schema of its type; a team's feed holds only its own submissions, judgements and
# runs; anonymous gets none of them; clarifications as GET serves them to each.

FEED_DATA_SCHEMAS = {
    "contest": "contest.json", "judgement-types": "judgement-type.json",
    "languages": "language.json", "problems": "problem.json", "groups": "group.json",
    "organizations": "organization.json", "teams": "team.json", "accounts": "account.json",
    "state": "state.json", "submissions": "submission.json", "judgements": "judgement.json",
    "runs": "run.json", "clarifications": "clarification.json", "awards": "award.json",
}


def read_feed(api, token, query=""):
    """The whole feed as (status, [line]) with keep-alive newlines dropped."""
    request = urllib.request.Request(f"{api.base}/api/contests/{CONTEST}/event-feed?stream=false"
                                     + (f"&{query}" if query else ""))
    if token:
        request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            raw = response.read().decode("utf-8")
            status = response.status
    except urllib.error.HTTPError as e:
        return e.code, []
    return status, [line for line in raw.split("\n") if line]


def feed_line_errors(validators, line):
    try:
        event = json.loads(line)
    except ValueError as e:
        return None, [f"not JSON: {e}: {line[:120]}"]
    errors = schema_errors(validators["event-feed.json"], event)
    data_schema = FEED_DATA_SCHEMAS.get(event.get("type"))
    if data_schema is None:
        errors.append(f"unexpected type {event.get('type')!r}")
    elif event.get("data") is not None:
        errors += [f"data: {e}" for e in schema_errors(validators[data_schema], event["data"])]
    if not isinstance(event.get("token"), str):
        errors.append("token: expected a string")
    return event, errors


def feed_visibility_error(role, events):
    """What a role's feed shows that it must not (or misses that it must show)."""
    own = {e["id"] for e in events if e["type"] == "submissions"}
    # Deletions (data null): a team's feed deletes its judgement the jury replaced.
    teams = {e["data"]["team_id"] for e in events if e["type"] == "submissions" and e["data"]}
    judged = {e["data"]["submission_id"] for e in events
              if e["type"] == "judgements" and e["data"]}
    if role == "anonymous" and (own or judged or any(e["type"] == "runs" for e in events)):
        return "anonymous must see no submissions, judgements or runs"
    if role == "team":
        if teams != {"team1"}:
            return f"team must see exactly its own submissions, got teams {sorted(teams)}"
        if not judged or not judged <= own:
            return f"team must see judgements of its own submissions only, got {sorted(judged)}"
    if role in ("admin", "jury") and teams != {"team1", "team2"}:
        return f"{role} must see every team's submissions, got {sorted(teams)}"
    return clarification_visibility_error(
        role, [e["data"] for e in events if e["type"] == "clarifications"])


def walk_event_feeds(api, tokens, validators, query=""):
    passed = failed = 0
    for role, token in tokens.items():
        status, lines = read_feed(api, token, query)
        problems = [] if status == 200 else [f"status {status}"]
        events = []
        for line in lines:
            event, errors = feed_line_errors(validators, line)
            if errors:
                problems.append(f"{(event or {}).get('type')} {(event or {}).get('id')}: "
                                + "; ".join(errors[:3]))
            elif event is not None:
                events.append(event)
        if not problems:
            error = feed_visibility_error(role, events)
            if error:
                problems.append(error)
        if problems:
            failed += 1
            print(f"{role} event-feed?{query} FAIL ({len(lines)} lines): "
                  + " | ".join(problems[:3]))
        else:
            passed += 1
            print(f"{role} event-feed?{query} ok ({len(lines)} lines)")
    return passed, failed

# --- end of the event feed block -------------------------------------------------------------


# --- Score contest: a scored package (test groups) and a judgement with a score -------------
# The demo contest is pass-fail; this one shows the score-contest scoreboard rows and the
# judgement "score" field, both of which only exist there, against their schemas.

SCORED_PACKAGE = os.path.join(HERE, "..", "packages", "scored")


def package_zip(folder):
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        for root, _, files in os.walk(folder):
            for name in files:
                path = os.path.join(root, name)
                archive.write(path, os.path.relpath(path, folder))
    return data.getvalue()


def walk_score_contest(api, db_url, validators, strict_validators):
    admin = api.login("admin", ADMIN_PASSWORD)
    c = "/api/contests/scored"
    start = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=1)) \
        .strftime("%Y-%m-%dT%H:%M:%SZ")
    api.must("POST", "/api/contests", admin,
             {"id": "scored", "name": "Scored", "start_time": start, "duration": "5:00:00",
              "scoreboard_type": "score"}, schema="contest.json")
    api.must("POST", c + "/teams", admin, {"id": "team3", "name": "Team Three"},
             schema="team.json")
    status, doc, _ = api.send("POST", c + "/problems?id=scored", package_zip(SCORED_PACKAGE),
                              admin, content_type="application/zip")
    if status != 201:
        raise RuntimeError(f"setup: scored package import gave {status}: {doc}")
    psql(db_url, "INSERT INTO submissions (contest_id, team_id, problem_id, language_id, source, "
                 "state, submitted_at) VALUES ('scored', 'team3', 'scored', 'c', '', 'judged', "
                 "now()); INSERT INTO judgements (submission_id, attempt, verdict, judged_by, "
                 "start_time, score) SELECT max(id), 1, 'WA', 'schema-walk', now(), 11 "
                 "FROM submissions WHERE contest_id = 'scored'")
    passed = failed = 0
    checks = [
        (c + "/scoreboard", None, "scoreboard.json",
         lambda d: d["rows"][0]["score"]["score"] == 11 and "time" in d["rows"][0]["score"]
         and d["rows"][0]["problems"][0]["score"] == 11 and "time" in d["rows"][0]["problems"][0]),
        (c + "/judgements", admin, "judgements.json", lambda d: d[0].get("score") == 11),
    ]
    checks += [(path + "?strict=true", token, schema, check) for path, token, schema, check in checks]
    for path, token, schema, check in checks:
        status, doc = api.call("GET", path, token)
        chosen = strict_validators if "strict=true" in path else validators
        errors = schema_errors(chosen[schema], doc) if status == 200 else [f"status {status}"]
        if not errors and not check(doc):
            errors = [f"score 11 not served: {json.dumps(doc)[:300]}"]
        if errors:
            failed += 1
            print(f"score contest {path} FAIL: " + "; ".join(errors[:3]))
        else:
            passed += 1
            print(f"score contest {path} ok")
    return passed, failed


def main():
    if len(sys.argv) != 4:
        return usage(__doc__)
    validators, strict_validators = load_schemas(), load_schemas(strict=True)
    with Server(*sys.argv[1:], name="schema_walk", redis_db=REDIS_DB) as server:
        tokens, ids = seed(server.api, server.db_url)
        passed, failed = check_writes(server.api, validators)
        # Without strict our extensions are there (the schemas allow extra properties); with
        # ?strict=true only the spec's properties may be, as the ICPC's check-api.sh demands.
        for query, chosen in (("", validators), ("strict=true", strict_validators)):
            for walk_part in (lambda: walk(server.api, tokens, endpoints(ids), chosen, ids, query),
                              lambda: walk_event_feeds(server.api, tokens, chosen, query)):
                part_passed, part_failed = walk_part()
                passed, failed = passed + part_passed, failed + part_failed
        # The strict schemas do catch our extensions: without ?strict=true the jury's judgements
        # (current, compile_output) must fail them.
        _, doc = server.api.call("GET", f"/api/contests/{CONTEST}/judgements", tokens["admin"])
        if schema_errors(strict_validators["judgements.json"], doc):
            passed += 1
            print("strict schemas refuse our extensions ok")
        else:
            failed += 1
            print("strict schemas refuse our extensions FAIL: judgements passed them")
        score_passed, score_failed = walk_score_contest(server.api, server.db_url, validators,
                                                        strict_validators)
        passed, failed = passed + score_passed, failed + score_failed
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
