// CLICS Contest API 2023-06 objects built from core model structs. Pure functions; times go
// through core/timefmt.h. They live in core because the Store writes the very same objects into
// the event feed outbox, in the transaction of each change, and the API serves them. Each is
// the full object: every property any caller may see, our extensions included; the API cuts
// each caller's view from it, for GET and the feed alike (api/resources/clics_view.h).
#pragma once

#include <array>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/awards.h"
#include "core/model.h"
#include "core/scoreboard.h"

namespace core {

using nlohmann::json;

// The judgement types this judge serves (API.md "Judgement types served"): the verdicts.
using JudgementType = domain::VerdictInfo;
const std::array<JudgementType, 8>& judgement_types();
const JudgementType* find_judgement_type(std::string_view id);  // nullptr when unknown.

// A contest time (RELTIME) relative to the contest start (0 when the contest is not scheduled).
json contest_reltime(int64_t epoch_ms, const Contest& contest);

json api_information();
json contest_json(const Contest& contest);
json problem_json(const Problem& problem);
json language_json(const Language& language);
json judgement_type_json(const JudgementType& type);
json team_json(const Team& team);
json organization_json(const Organization& organization);
json group_json(const Group& group);
// CLICS account: id = username; our jury role is CLICS type "judge". Never the password hash.
json account_json(const User& user);
// Contest times are relative to the contest start (0 when the contest is not scheduled).
json submission_json(const Submission& submission, const Contest& contest);
// With compile_output (ours) always: the API shows it to the jury, and to a team on a CE.
json judgement_json(const Judgement& judgement, const Contest& contest);
// CLICS run: run_time is the run's CPU time in seconds (like max_run_time); time is the end of
// its judgement (runs are recorded together). judge_message (ours) when there is one: the API
// shows it to the jury only.
json run_json(const RunInfo& run, const Contest& contest);

// CLICS clarification: every property present, null where it names nothing.
json clarification_json(const Clarification& clarification, const Contest& contest);
// CLICS award: id, citation, team_ids (never null: every award here is kept up to date).
json award_json(const Award& award);

// CLICS state.json: every field present, null until it happened.
json state_json(const ContestState& state);

// Where a submission lives, relative to the API root: contests/{cid}/submissions/{id}.
std::string submission_path(const std::string& contest_id, int64_t submission_id);
// contests/{cid}/clarifications/{id}.
std::string clarification_path(const std::string& contest_id, const std::string& id);

}  // namespace core
