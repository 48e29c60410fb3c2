// A database of its own for one benchmark run on a given Postgres server, migrated with
// judgectl, dropped at the end unless kept. Shared by the benchmarks that drive judge-api.
#pragma once

#include <string>

namespace bench {

// postgresql://user@host:port/db[?opts] -> the same with another database name.
std::string with_database(const std::string& url, const std::string& name);

class BenchDatabase {
 public:
  // Creates (after dropping a leftover of the same name) "<prefix>_<pid>" on server_url.
  BenchDatabase(const std::string& server_url, const std::string& prefix, bool keep);
  ~BenchDatabase();
  BenchDatabase(const BenchDatabase&) = delete;
  BenchDatabase& operator=(const BenchDatabase&) = delete;
  const std::string& url() const { return url_; }
  // judgectl migrate --dir migrations_dir on this database.
  void migrate(const std::string& judgectl, const std::string& migrations_dir) const;

 private:
  std::string server_, name_, url_;
  bool keep_;
};

}  // namespace bench
