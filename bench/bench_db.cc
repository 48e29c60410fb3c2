#include "bench_db.h"

#include <unistd.h>

#include <cstdio>
#include <pqxx/pqxx>

#include "bench_util.h"

namespace bench {

std::string with_database(const std::string& url, const std::string& name) {
  auto query = url.find('?');
  std::string base = url.substr(0, query),
              options = query == std::string::npos ? "" : url.substr(query);
  return base.substr(0, base.rfind('/') + 1) + name + options;
}

BenchDatabase::BenchDatabase(const std::string& server_url, const std::string& prefix, bool keep)
    : server_(server_url), keep_(keep) {
  name_ = prefix + "_" + std::to_string(::getpid());
  pqxx::connection admin(server_);
  pqxx::nontransaction(admin).exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  pqxx::nontransaction(admin).exec("CREATE DATABASE " + name_);
  url_ = with_database(server_, name_);
}

BenchDatabase::~BenchDatabase() {
  if (keep_) {
    std::fprintf(stderr, "kept database %s\n", url_.c_str());
    return;
  }
  try {
    pqxx::connection admin(server_);
    pqxx::nontransaction(admin).exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "could not drop database %s: %s\n", name_.c_str(), e.what());
  }
}

void BenchDatabase::migrate(const std::string& judgectl, const std::string& migrations_dir) const {
  std::fprintf(stderr, "migrating %s\n", url_.c_str());
  run_to_completion({judgectl, "migrate", "--database-url", url_, "--dir", migrations_dir},
                    {"JUDGE_LOG_LEVEL=warn"});
}

}  // namespace bench
