// Store: scored problems (test groups) and jury submissions imported from a package.
#include <cstdio>

#include "core/clics.h"
#include "core/store.h"
#include "store_impl.h"

namespace core {

std::optional<std::string> score_text(const std::optional<double>& value) {
  if (!value) return std::nullopt;
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", *value);
  return std::string(text);
}

void write_groups(pqxx::work& w, const NewProblem& n) {
  const Problem& p = n.problem;
  w.exec_prepared("delete_problem_groups", p.contest_id, p.id);
  for (const auto& g : n.groups)
    w.exec_prepared("insert_problem_group", p.contest_id, p.id, g.ordinal, g.name,
                    *score_text(g.points), g.continue_on_reject ? "continue" : "break");
}

// Each one is a queued submission of the hidden jury team, with its expected verdict beside it.
// Its submission event belongs to that team, so only the jury's feed carries it.
void write_jury_submissions(pqxx::work& w, const NewProblem& n) {
  if (n.jury_submissions.empty()) return;
  const Problem& p = n.problem;
  w.exec_prepared("insert_jury_team", kJuryTeamId);
  auto contest = read_contest(w, p.contest_id);
  for (const auto& js : n.jury_submissions) {
    auto row =
        w.exec_prepared1("insert_jury_submission", p.contest_id, kJuryTeamId, p.id, js.language_id,
                         pqxx::binarystring(js.source), js.path.substr(js.path.rfind('/') + 1));
    Submission s{row[0].as<int64_t>(),
                 p.contest_id,
                 kJuryTeamId,
                 p.id,
                 js.language_id,
                 js.source,
                 row[1].as<int64_t>(),
                 SubmissionState::Queued,
                 0};
    s.filename = js.path.substr(js.path.rfind('/') + 1);
    w.exec_prepared("insert_jury_expectation", s.id, p.contest_id, p.id, js.path,
                    js.expected_verdict);
    if (contest)
      emit(w, s.contest_id, "submissions", std::to_string(s.id), submission_json(s, *contest),
           s.team_id);
  }
}

std::vector<TestGroup> Store::problem_groups(const std::string& contest_id,
                                             const std::string& problem_id) {
  return in_read(*impl_, "problem_groups", [&](pqxx::transaction_base& w) {
    std::vector<TestGroup> out;
    for (const auto& r : w.exec_prepared("problem_groups", contest_id, problem_id))
      out.push_back({r[0].as<int>(), r[1].c_str(), r[2].as<double>(), r[3].as<bool>()});
    return out;
  });
}

std::vector<JurySubmissionResult> Store::jury_submissions(const std::string& contest_id,
                                                          const std::string& problem_id) {
  return in_transaction(*impl_, "jury_submissions", [&](pqxx::work& w) {
    std::vector<JurySubmissionResult> out;
    for (const auto& r : w.exec_prepared("jury_submissions", contest_id, problem_id)) {
      JurySubmissionResult js{r[0].as<int64_t>(), r[1].c_str(), r[2].c_str(),
                              r[3].c_str(),       std::nullopt, std::nullopt};
      if (!r[4].is_null()) js.verdict = r[4].c_str();
      if (!r[5].is_null()) js.score = r[5].as<double>();
      out.push_back(std::move(js));
    }
    return out;
  });
}

}  // namespace core
