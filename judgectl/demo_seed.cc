#include "demo_seed.h"

#include "core/account_store.h"
#include "core/auth.h"
#include "core/contest_reads.h"
#include "core/setup_store.h"
#include "core/timefmt.h"

namespace {

constexpr int64_t kHour = 3600 * 1000;

core::NewProblem sum_problem() {
  core::NewProblem p;
  p.problem = {"demo", "sum", "A", "Sum of two", 1, "#3366ff", 1000, 262144, 8192, "default", "",
               0};
  p.tests = {{"1 2\n", "3\n", true}, {"-5 5\n", "0\n", false},
             {"1000000000 1000000000\n", "2000000000\n", false}};
  return p;
}

core::NewProblem max_problem() {
  core::NewProblem p;
  p.problem = {"demo", "max", "B", "Largest number", 2, "#ff6633", 1000, 262144, 8192, "default",
               "", 0};
  p.tests = {{"3\n1 7 4\n", "7\n", true}, {"1\n-3\n", "-3\n", false},
             {"5\n10 20 30 40 50\n", "50\n", false}};
  return p;
}

}  // namespace

void seed_demo(core::Store& store, const std::string& admin_password,
               const std::string& team_password) {
  // Keep a running contest as it is; (re)start one that is missing or over.
  auto existing = core::ContestReads(store).contest("demo");
  int64_t now = core::now_ms();
  bool running = existing && existing->start_ms && *existing->start_ms <= now &&
                 now < *existing->start_ms + existing->duration_ms;
  core::SetupStore setup(store);
  if (!running)
    setup.upsert_contest({"demo", "Demo Contest", "Demo Contest", now - 60 * 1000, 5 * kHour, kHour,
                          20, "pass-fail"});
  setup.replace_problem(sum_problem());
  setup.replace_problem(max_problem());
  setup.upsert_team({"team1", "Team One", "Team One"});
  setup.add_team_to_contest("demo", "team1");
  core::AccountStore accounts(store);
  accounts.upsert_user("admin", core::hash_password(admin_password), core::Role::Admin,
                       std::nullopt);
  accounts.upsert_user("team1", core::hash_password(team_password), core::Role::Team, "team1");
}
