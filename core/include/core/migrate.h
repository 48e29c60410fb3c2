// Schema migrations: numbered SQL files (NNNN_name.sql) applied in order, each exactly once and
// each in its own transaction together with its schema_migrations row, so a failed migration
// leaves the schema as it was.
#pragma once

#include <functional>
#include <string>

namespace core {

struct MigrationReport {
  int applied = 0, already = 0;
};

// Throws std::runtime_error naming the file and the Postgres error when a migration fails.
MigrationReport migrate(const std::string& database_url, const std::string& dir,
                        const std::function<void(const std::string&)>& progress);

}  // namespace core
