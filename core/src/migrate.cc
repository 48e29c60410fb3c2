#include "core/migrate.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <pqxx/pqxx>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace core {
namespace {

struct Migration {
  std::string version, path;
};

std::vector<Migration> list_migrations(const std::string& dir) {
  namespace fs = std::filesystem;
  if (!fs::is_directory(dir)) throw std::runtime_error("migrations folder not found: " + dir);
  std::vector<Migration> out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::string file = entry.path().filename().string();
    bool numbered = file.size() > 9 && file[4] == '_' &&
                    std::all_of(file.begin(), file.begin() + 4, ::isdigit);
    if (numbered && file.ends_with(".sql"))
      out.push_back({file.substr(0, file.size() - 4), entry.path()});
  }
  std::sort(out.begin(), out.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  return out;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Any fixed number works; it only has to be the same for every migrating process.
constexpr int64_t kMigrationLock = 0x6a75646765;  // "judge"

}  // namespace

MigrationReport migrate(const std::string& database_url, const std::string& dir,
                        const std::function<void(const std::string&)>& progress) {
  auto migrations = list_migrations(dir);
  pqxx::connection conn(database_url);
  pqxx::nontransaction(conn).exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, "
      "applied_at timestamptz NOT NULL DEFAULT now())");
  // Two migrating processes must not both apply the same file: serialize on an advisory lock.
  pqxx::nontransaction(conn).exec("SELECT pg_advisory_lock(" + std::to_string(kMigrationLock) + ")");
  MigrationReport report;
  try {
    for (const auto& m : migrations) {
      pqxx::work w(conn);
      if (!w.exec_params("SELECT 1 FROM schema_migrations WHERE version = $1", m.version).empty()) {
        ++report.already;
        continue;
      }
      progress("applying " + m.version);
      try {
        w.exec(read_file(m.path));
      } catch (const pqxx::sql_error& e) {
        throw std::runtime_error("migration " + m.path + " failed (nothing of it was applied): " +
                                 e.what());
      }
      w.exec_params("INSERT INTO schema_migrations (version) VALUES ($1)", m.version);
      w.commit();
      ++report.applied;
    }
  } catch (...) {
    pqxx::nontransaction(conn).exec("SELECT pg_advisory_unlock_all()");
    throw;
  }
  pqxx::nontransaction(conn).exec("SELECT pg_advisory_unlock_all()");
  return report;
}

}  // namespace core
