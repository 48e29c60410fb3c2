// A database of its own for one benchmark run on a given Postgres server, migrated with
// `judgectl migrate` and dropped at the end unless kept.
#pragma once

#include <string>

namespace bench {

// postgresql://user@host:port/db[?opts] -> the same with another database name.
std::string with_database(const std::string& url, const std::string& name);

class BenchDatabase {
 public:
  // Creates <prefix>_<pid> on the server (dropping a leftover of that name first).
  BenchDatabase(const std::string& server_url, const std::string& prefix, bool keep);
  ~BenchDatabase();
  BenchDatabase(const BenchDatabase&) = delete;
  BenchDatabase& operator=(const BenchDatabase&) = delete;
  const std::string& url() const { return url_; }
  // judgectl migrate on it (progress on stderr).
  void migrate(const std::string& judgectl, const std::string& migrations_dir) const;

 private:
  std::string server_, name_, url_;
  bool keep_;
};

}  // namespace bench
