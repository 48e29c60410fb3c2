// Submission zips: what read_sources() accepts and every way it refuses, table-style.
#include "parse/source_zip.h"

#include <gtest/gtest.h>

#include "zip_builder.h"

namespace {

using api::read_sources;
using testenv::make_zip;
constexpr size_t kLimit = 64 * 1024;

TEST(SafeZipName, AcceptsRelativePathsOnly) {
  for (const char* good : {"main.cpp", "sol/main.cpp", "a.b/c_d-e.py", "dir/", "..x", "x.."}) {
    EXPECT_TRUE(api::is_safe_zip_name(good)) << good;
  }
  for (const char* bad : {"", "/etc/passwd", "../main.c", "a/../../b", "a/./b", "./a", "a//b", "..",
                          "a\\b", "..\\..\\x", "C:x", "a\nb", "/", "//"}) {
    EXPECT_FALSE(api::is_safe_zip_name(bad)) << bad;
  }
  EXPECT_FALSE(api::is_safe_zip_name(std::string(256, 'a')));
  EXPECT_TRUE(api::is_safe_zip_name(std::string(255, 'a')));
}

TEST(ReadSources, TakesTheFilesAndSkipsDirectories) {
  auto files = read_sources(
      make_zip({{"sol/", ""}, {"sol/main.cpp", "int main(){}\n"}, {"sol/a.h", "int a;"}}), kLimit);
  ASSERT_TRUE(files.ok()) << files.error().message;
  ASSERT_EQ(files.value().size(), 2u);
  EXPECT_EQ(files.value()[0].name, "sol/main.cpp");
  EXPECT_EQ(files.value()[0].content, "int main(){}\n");
  EXPECT_EQ(files.value()[1].name, "sol/a.h");
  EXPECT_EQ(files.value()[1].content, "int a;");
}

TEST(ReadSources, RoundTripsWhatZipFilesWrites) {
  const std::string binary("a\0b\xff", 4);
  auto back = read_sources(api::zip_files({{"x.c", binary}, {"d/y.c", "y"}}), kLimit);
  ASSERT_TRUE(back.ok()) << back.error().message;
  ASSERT_EQ(back.value().size(), 2u);
  EXPECT_EQ(back.value()[0].name, "x.c");
  EXPECT_EQ(back.value()[0].content, binary);
  EXPECT_EQ(back.value()[1].name, "d/y.c");
}

TEST(ReadSources, AcceptsExactlyTheLimitTogether) {
  EXPECT_TRUE(read_sources(make_zip({{"a.c", std::string(kLimit, 'x')}}), kLimit).ok());
  EXPECT_TRUE(read_sources(make_zip({{"a.c", std::string(kLimit / 2, 'x')},
                                     {"b.c", std::string(kLimit / 2, 'y')}}),
                           kLimit)
                  .ok());
}

struct Refusal {
  const char* what;
  std::string zip;
  int status;
  const char* message_contains;
};

std::vector<Refusal> refusals() {
  std::vector<testenv::ZipEntry> many;
  for (size_t i = 0; i <= api::kMaxZipEntries; ++i)
    many.push_back({"d" + std::to_string(i) + "/", ""});
  std::vector<testenv::ZipEntry> many_files;
  for (size_t i = 0; i <= api::kMaxZipEntries; ++i)
    many_files.push_back({"f" + std::to_string(i) + ".c", "x"});
  return {
      {"garbage", "this is not a zip", 400, "not a zip"},
      {"empty input", "", 400, "not a zip"},
      {"truncated", make_zip({{"a.c", "int main(){}"}}).substr(0, 40), 400, "not a zip"},
      {"traversal", make_zip({{"../a.c", "x"}}), 422, "unsafe name"},
      {"deep traversal", make_zip({{"a/../../a.c", "x"}}), 422, "unsafe name"},
      {"absolute", make_zip({{"/tmp/a.c", "x"}}), 422, "unsafe name"},
      {"backslash", make_zip({{"..\\a.c", "x"}}), 422, "unsafe name"},
      {"unsafe directory", make_zip({{"../d/", ""}, {"a.c", "x"}}), 422, "unsafe name"},
      {"no file", make_zip({{"d/", ""}}), 422, "no file"},
      {"two files of one name", make_zip({{"a/x.c", "x"}, {"b/x.c", "y"}}), 422,
       "two files are named 'x.c'"},
      {"a name like an option", make_zip({{"-o.c", "x"}}), 422, "may not start with '-'"},
      {"a nested name like an option", make_zip({{"a.c", "x"}, {"d/-fplugin=x.c", "y"}}), 422,
       "may not start with '-'"},
      {"together over the limit",
       make_zip({{"a.c", std::string(kLimit / 2 + 1, 'x')}, {"b.c", std::string(kLimit / 2, 'y')}}),
       413, "together"},
      {"too many entries", make_zip(many), 422, "too many entries"},
      {"too many files", make_zip(many_files), 422, "too many entries"},
      {"encrypted", testenv::mark_encrypted(make_zip({{"a.c", "int main(){}"}})), 422, "encrypted"},
      {"empty file", make_zip({{"a.c", ""}}), 422, "empty"},
      {"over the limit", make_zip({{"a.c", std::string(kLimit + 1, 'x')}}), 413, "limit"},
      {"bomb", make_zip({{"a.c", std::string(size_t{64} << 20, '\0')}}), 413, "limit"},
      // Lying headers: what is counted is what decompresses, not what the header claims.
      {"bomb with a small header",
       testenv::claim_uncompressed_size(make_zip({{"a.c", std::string(size_t{64} << 20, 'a')}}),
                                        100),
       413, "limit"},
      {"small file with a huge header",
       testenv::claim_uncompressed_size(make_zip({{"a.c", "int main(){}"}}), 0x7fffffff), 400,
       "corrupt"},
  };
}

TEST(ReadSources, RefusesWithAClearReason) {
  for (const auto& c : refusals()) {
    auto r = read_sources(c.zip, kLimit);
    ASSERT_FALSE(r.ok()) << c.what;
    EXPECT_EQ(r.error().status, c.status) << c.what << ": " << r.error().message;
    EXPECT_NE(r.error().message.find(c.message_contains), std::string::npos)
        << c.what << ": " << r.error().message;
  }
}

}  // namespace
