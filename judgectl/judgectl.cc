// judgectl: the admin command line. Subcommands: migrate, create-user, seed-demo,
// import-problem, import-contest.
#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "core/account_store.h"
#include "core/auth.h"
#include "core/config.h"
#include "core/contest_reads.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/migrate.h"
#include "core/setup_store.h"
#include "demo_seed.h"
#include "package/contest_package.h"
#include "package/problem_package.h"

namespace {

struct CtlConfig {
  std::string database_url = "postgresql://judge@127.0.0.1:25432/judge";
  std::string migrations_dir = "migrations";
  std::string username, password, role = "team", team;
  std::string admin_password, team_password;
  std::string contest, problem_id, label;
  bool jury_submissions = false;  // --jury-submissions: a switch, taken out before parsing.
  std::string log_level = "warn";
};

const char* kUsage =
    "Administers a contest judge database.\n\n"
    "commands:\n"
    "  migrate       apply migrations/ (each once, each in its own transaction)\n"
    "  create-user   create or update an account (--username --password --role [--team])\n"
    "  seed-demo     create the demo contest, problems, team1 and admin (idempotent)\n"
    "  import-problem PATH  import an ICPC/Kattis problem package (folder or .zip) into\n"
    "                --contest [--id, default the folder/zip name] [--label, default the id]\n"
    "                [--jury-submissions: also import submissions/<verdict>/ as jury submissions]";

core::Options options_for(CtlConfig& c) {
  core::Options o("judgectl <command>", kUsage);
  o.add("database-url", "DATABASE_URL", &c.database_url, "Postgres connection URL");
  o.add("dir", "JUDGE_MIGRATIONS_DIR", &c.migrations_dir, "folder of NNNN_name.sql migrations");
  o.add("username", "", &c.username, "create-user: account name");
  o.add("password", "", &c.password, "create-user: password");
  o.add("role", "", &c.role, "create-user: admin, jury or team");
  o.add("team", "", &c.team, "create-user: team id (role team)");
  o.add("admin-password", "ADMIN_PASSWORD", &c.admin_password, "seed-demo: admin password");
  o.add("team-password", "TEAM_PASSWORD", &c.team_password, "seed-demo: team1 password");
  o.add("contest", "", &c.contest, "import-problem: contest id");
  o.add("id", "", &c.problem_id, "import-problem: problem id");
  o.add("label", "", &c.label, "import-problem: problem label");
  o.add("log-level", "JUDGE_LOG_LEVEL", &c.log_level, "trace, debug, info, warn or error");
  return o;
}

int run_migrate(const CtlConfig& c) {
  auto report = core::migrate(c.database_url, c.migrations_dir,
                              [](const std::string& line) { std::cerr << line << "\n"; });
  std::cout << "migrations: " << report.applied << " applied, " << report.already
            << " already applied\n";
  return 0;
}

int run_create_user(const CtlConfig& c) {
  auto role = core::parse_role(c.role);
  if (c.username.empty() || c.password.empty())
    throw std::invalid_argument("create-user needs --username and --password");
  if (!role) throw std::invalid_argument("--role must be admin, jury or team, not '" + c.role + "'");
  if (*role == core::Role::Team && c.team.empty())
    throw std::invalid_argument("a team account needs --team");
  core::Store store(c.database_url);
  std::optional<std::string> team;
  if (!c.team.empty()) team = c.team;
  core::AccountStore(store).upsert_user(c.username, core::hash_password(c.password), *role, team);
  std::cout << "user " << c.username << " (" << c.role << ") saved\n";
  return 0;
}

int run_seed(const CtlConfig& c) {
  if (c.admin_password.empty() || c.team_password.empty())
    throw std::invalid_argument("seed-demo needs --admin-password and --team-password");
  core::Store store(c.database_url);
  seed_demo(store, c.admin_password, c.team_password);
  std::cout << "demo contest ready\n";
  return 0;
}

package::FileMap read_package(const std::filesystem::path& path) {
  if (std::filesystem::is_directory(path)) return package::read_folder(path);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw package::PackageError(422, path.string() + ": cannot be read");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  package::FileMap files = package::read_zip(bytes.str());
  package::strip_top_folder(files);
  return files;
}

int run_import_problem(const CtlConfig& c, const std::string& path_text) {
  std::filesystem::path path = std::filesystem::path(path_text).lexically_normal();
  if (!path.has_filename()) path = path.parent_path();
  if (c.contest.empty()) throw std::invalid_argument("import-problem needs --contest");
  package::ImportOptions options;
  options.id = c.problem_id.empty() ? path.stem().string() : c.problem_id;
  if (!core::is_valid_id(options.id)) {
    throw std::invalid_argument("'" + options.id + "' is not a valid problem id (use --id)");
  }
  options.label = c.label.empty() ? options.id : c.label;
  options.jury_submissions = c.jury_submissions;
  try {
    package::FileMap files = read_package(path);
    std::cout << "read: " << files.size() << " files from " << path.string() << "\n";
    core::Store store(c.database_url);
    if (options.jury_submissions) options.languages = core::ContestReads(store).languages();
    std::vector<std::string> warnings;
    core::NewProblem problem = package::parse_package(files, options, &warnings);
    for (const auto& warning : warnings) std::cout << "warning: " << warning << "\n";
    problem.problem.contest_id = c.contest;
    std::cout << "parsed: " << problem.problem.name << ", " << problem.tests.size() << " tests, "
              << problem.groups.size() << " groups, " << problem.jury_submissions.size()
              << " jury submissions, time limit " << problem.problem.time_limit_ms << " ms\n";
    if (!core::ContestReads(store).contest(c.contest))
      throw std::invalid_argument("unknown contest '" + c.contest + "'");
    if (!core::SetupStore(store).insert_problem(problem)) {
      std::cerr << "judgectl import-problem: problem '" << options.id << "' already exists\n";
      return 1;
    }
    std::cout << "stored: problem " << options.id << " in contest " << c.contest << "\n";
    return 0;
  } catch (const package::PackageError& e) {
    std::cerr << "judgectl import-problem: " << e.what() << "\n";
    return 1;
  }
}

// Prints each part as it is read, then the generated passwords (the only time they are shown).
int run_import_contest(const CtlConfig& c, const std::string& path_text) {
  std::filesystem::path path = std::filesystem::path(path_text).lexically_normal();
  if (!path.has_filename()) path = path.parent_path();
  try {
    package::FileMap files = read_package(path);
    std::cout << "read: " << files.size() << " files from " << path.string() << "\n";
    package::ContestImportOptions options;
    options.default_id = path.stem().string();
    options.progress = [](const std::string& line) { std::cout << "parsed: " << line << "\n"; };
    package::ContestPackage parsed = package::parse_contest_package(files, options);
    core::Store store(c.database_url);
    if (auto taken = core::SetupStore(store).insert_contest_setup(parsed.setup)) {
      std::cerr << "judgectl import-contest: " << *taken
                << " already exists in the database; nothing was imported\n";
      return 1;
    }
    const core::ContestSetup& s = parsed.setup;
    std::cout << "stored: contest " << s.contest.id << " with " << s.organizations.size()
              << " organizations, " << s.groups.size() << " groups, " << s.teams.size()
              << " teams, " << s.problems.size() << " problems, " << s.accounts.size()
              << " accounts\n";
    for (const auto& [username, password] : parsed.generated_passwords)
      std::cout << "password: " << username << "\t" << password << "\n";
    return 0;
  } catch (const package::PackageError& e) {
    std::cerr << "judgectl import-contest: " << e.what() << "\nnothing was imported\n";
    return 1;
  }
}

}  // namespace

int main(int argc, char** argv, char** envp) {
  CtlConfig config;
  auto options = options_for(config);
  std::vector<std::string> args(argv + 1, argv + argc);
  // Workers pick the jury submissions up through their sweeper (no Redis here).
  auto jury = std::find(args.begin(), args.end(), "--jury-submissions");
  if (jury != args.end()) {
    config.jury_submissions = true;
    args.erase(jury);
  }
  if (auto error = options.parse(args, core::environment(envp))) {
    std::cerr << "judgectl: " << *error << "\n";
    return 2;
  }
  const size_t arguments = options.positional().size();
  const bool importing = arguments == 2 && (options.positional()[0] == "import-problem" ||
                                            options.positional()[0] == "import-contest");
  if (options.help_requested() || (arguments != 1 && !importing)) {
    std::cerr << options.help();
    return options.help_requested() ? 0 : 2;
  }
  core::init_logging("judgectl", config.log_level);
  const std::string& command = options.positional()[0];
  try {
    if (command == "migrate") return run_migrate(config);
    if (command == "create-user") return run_create_user(config);
    if (command == "seed-demo") return run_seed(config);
    if (command == "import-contest") return run_import_contest(config, options.positional()[1]);
    if (importing) return run_import_problem(config, options.positional()[1]);
    std::cerr << "judgectl: unknown command '" << command << "' (see --help)\n";
    return 2;
  } catch (const std::invalid_argument& e) {
    std::cerr << "judgectl " << command << ": " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "judgectl " << command << " failed: " << e.what() << "\n";
    return 1;
  }
}
