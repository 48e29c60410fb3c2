// Migrations against the real Postgres: each file once; a failed one leaves the schema as it was.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <pqxx/pqxx>

#include "core/migrate.h"
#include "test_env.h"

namespace {

namespace fs = std::filesystem;

class MigrateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    name = "m_" + std::to_string(getpid());
    pqxx::connection admin(testenv::database_url());
    pqxx::nontransaction(admin).exec("DROP DATABASE IF EXISTS " + name);
    pqxx::nontransaction(admin).exec("CREATE DATABASE " + name);
    std::string base = testenv::database_url();
    url = base.substr(0, base.rfind('/') + 1) + name;
    dir = fs::temp_directory_path() / ("migrations-" + std::to_string(getpid()));
    fs::create_directories(dir);
  }
  void TearDown() override {
    fs::remove_all(dir);
    pqxx::connection admin(testenv::database_url());
    pqxx::nontransaction(admin).exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }
  void write(const std::string& file, const std::string& sql) { std::ofstream(dir / file) << sql; }
  bool table_exists(const std::string& table) {
    pqxx::connection c(url);
    return pqxx::nontransaction(c)
               .exec("SELECT to_regclass('" + table + "') IS NOT NULL")[0][0]
               .as<bool>();
  }
  std::string name, url;
  fs::path dir;
};

TEST_F(MigrateTest, AppliesEachMigrationOnce) {
  write("0001_a.sql", "CREATE TABLE a (x int);");
  write("0002_b.sql", "CREATE TABLE b (x int);");
  write("README.txt", "not a migration");
  auto first = core::migrate(url, dir, [](const std::string&) {});
  EXPECT_EQ(first.applied, 2);
  auto second = core::migrate(url, dir, [](const std::string&) {});
  EXPECT_EQ(second.applied, 0);
  EXPECT_EQ(second.already, 2);
  EXPECT_TRUE(table_exists("b"));
}

TEST_F(MigrateTest, FailedMigrationLeavesTheSchemaAsItWas) {
  write("0001_a.sql", "CREATE TABLE a (x int);");
  write("0002_bad.sql", "CREATE TABLE half (x int);\nCREATE TABLE oops (x nosuchtype);");
  EXPECT_THROW(
      {
        try {
          core::migrate(url, dir, [](const std::string&) {});
        } catch (const std::runtime_error& e) {
          EXPECT_NE(std::string(e.what()).find("0002_bad.sql"), std::string::npos);
          throw;
        }
      },
      std::runtime_error);
  EXPECT_TRUE(table_exists("a"));
  EXPECT_FALSE(table_exists("half")) << "the failed file's first statement was rolled back";
  write("0002_bad.sql", "CREATE TABLE half (x int);");
  EXPECT_EQ(core::migrate(url, dir, [](const std::string&) {}).applied, 1) << "fixed file applies";
}

TEST_F(MigrateTest, ProjectMigrationsApplyToAnEmptyDatabase) {
  auto report = core::migrate(url, testenv::source_dir() + "/migrations", [](const std::string&) {});
  EXPECT_GE(report.applied, 1);
  EXPECT_TRUE(table_exists("submissions"));
}

}  // namespace
