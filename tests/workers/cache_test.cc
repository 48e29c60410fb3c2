// The worker's caches (issue 6): hits, misses, LRU eviction, corrupt entries found and repaired,
// and several writers at once. The test data cache fetches from a real Postgres.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "cache_files.h"
#include "compile_cache.h"
#include "core/store.h"
#include "test_env.h"
#include "testdata_cache.h"

namespace {

namespace fs = std::filesystem;
using workers::DiskCompileCache;
using workers::TestDataCache;

std::string slurp(const fs::path& path) {
  std::string data;
  EXPECT_TRUE(workers::read_whole_file(path.string(), data)) << path;
  return data;
}

void spit(const fs::path& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << data;
}

class CacheDirs : public ::testing::Test {
 protected:
  void SetUp() override {
    root = fs::temp_directory_path() /
           ("cache-test-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root);
    fs::create_directories(root / "box");
  }
  void TearDown() override { fs::remove_all(root); }

  // A box after a compile: the source, a binary and a file in a subfolder.
  fs::path compiled_box(const std::string& name, const std::string& binary) {
    fs::path box = root / name;
    fs::create_directories(box / "sub");
    spit(box / "main.c", "int main(){}");
    spit(box / "main", binary);
    fs::permissions(box / "main", fs::perms(0755));
    spit(box / "sub" / "extra", "more");
    return box;
  }
  fs::path empty_box(const std::string& name) {
    fs::path box = root / name;
    fs::remove_all(box);
    fs::create_directories(box);
    return box;
  }

  fs::path root;
};

TEST_F(CacheDirs, CompileCacheMissesThenRestoresFilesModesAndOutput) {
  DiskCompileCache cache((root / "compiled").string(), 1 << 20);
  fs::path box = compiled_box("built", "BINARY");
  EXPECT_FALSE(cache.restore("k1", empty_box("fresh").string()));
  cache.save("k1", box.string(), "main.c", "warning: unused\n");

  fs::path fresh = empty_box("fresh");
  auto output = cache.restore("k1", fresh.string());
  ASSERT_TRUE(output);
  EXPECT_EQ(*output, "warning: unused\n");
  EXPECT_EQ(slurp(fresh / "main"), "BINARY");
  EXPECT_EQ(slurp(fresh / "sub" / "extra"), "more");
  EXPECT_FALSE(fs::exists(fresh / "main.c")) << "the source is written by the judge, not cached";
  EXPECT_NE(fs::status(fresh / "main").permissions() & fs::perms::others_exec, fs::perms::none);
  EXPECT_EQ(cache.counts().hits, 1u);
  EXPECT_EQ(cache.counts().misses, 1u);
}

TEST_F(CacheDirs, ACorruptCompileEntryIsDiscardedNotServed) {
  DiskCompileCache cache((root / "compiled").string(), 1 << 20);
  cache.save("k1", compiled_box("built", "BINARY").string(), "main.c", "");
  std::string entry = slurp(cache.entry_path("k1"));
  auto at = entry.rfind("BINARY");
  ASSERT_NE(at, std::string::npos);
  entry[at] = 'X';  // Same size, one byte flipped.
  spit(cache.entry_path("k1"), entry);

  fs::path fresh = empty_box("fresh");
  EXPECT_FALSE(cache.restore("k1", fresh.string()));
  EXPECT_EQ(cache.counts().corrupt, 1u);
  EXPECT_FALSE(fs::exists(cache.entry_path("k1"))) << "the bad entry is removed";
  EXPECT_FALSE(fs::exists(fresh / "main"));
  // A truncated entry (a crash mid-write elsewhere) is refused the same way.
  cache.save("k2", compiled_box("built2", "BINARY").string(), "main.c", "");
  fs::resize_file(cache.entry_path("k2"), fs::file_size(cache.entry_path("k2")) - 3);
  EXPECT_FALSE(cache.restore("k2", empty_box("fresh2").string()));
  EXPECT_EQ(cache.counts().corrupt, 2u);
  // Compiled again and saved: served again.
  cache.save("k1", compiled_box("rebuilt", "BINARY").string(), "main.c", "");
  EXPECT_TRUE(cache.restore("k1", empty_box("fresh3").string()));
}

// The hash is checked once per entry file; a hit after that trusts the file's identity. An
// in-place change after the check (even one that puts the mtime back) must still be caught.
TEST_F(CacheDirs, AnEntryChangedAfterItsCheckIsStillRefused) {
  DiskCompileCache cache((root / "compiled").string(), 1 << 20);
  cache.save("k1", compiled_box("built", "BINARY").string(), "main.c", "");
  const fs::path entry_path = cache.entry_path("k1");
  ASSERT_TRUE(cache.restore("k1", empty_box("first").string()));   // Checked here.
  ASSERT_TRUE(cache.restore("k1", empty_box("second").string()));  // Trusted here.
  EXPECT_EQ(slurp(root / "second" / "main"), "BINARY");
  EXPECT_EQ(cache.counts().hash_checks, 1u);

  struct stat before {};
  ASSERT_EQ(::stat(entry_path.c_str(), &before), 0);
  std::string entry = slurp(entry_path);
  entry[entry.rfind("BINARY")] = 'X';  // Same size, one byte flipped, in place.
  spit(entry_path, entry);
  const struct timespec times[2] = {before.st_atim, before.st_mtim};
  ASSERT_EQ(::utimensat(AT_FDCWD, entry_path.c_str(), times, 0), 0);  // The old mtime back.

  fs::path fresh = empty_box("third");
  EXPECT_FALSE(cache.restore("k1", fresh.string()));
  EXPECT_EQ(cache.counts().corrupt, 1u);
  EXPECT_FALSE(fs::exists(fresh / "main")) << "nothing of the changed entry is used";
  EXPECT_FALSE(fs::exists(entry_path));
  // Saved again (a recompile): checked and served again.
  cache.save("k1", compiled_box("rebuilt", "BINARY").string(), "main.c", "");
  fs::path fourth = empty_box("fourth");
  ASSERT_TRUE(cache.restore("k1", fourth.string()));
  EXPECT_EQ(slurp(fourth / "main"), "BINARY");
}

// A second process's cache (another worker) checks for itself: trust is never shared.
TEST_F(CacheDirs, ACorruptEntryIsRefusedByEveryCacheThatDidNotCheckItYet) {
  DiskCompileCache one((root / "compiled").string(), 1 << 20);
  DiskCompileCache two((root / "compiled").string(), 1 << 20);
  one.save("k1", compiled_box("built", "BINARY").string(), "main.c", "");
  ASSERT_TRUE(one.restore("k1", empty_box("first").string()));
  std::string entry = slurp(one.entry_path("k1"));
  entry[entry.rfind("BINARY")] = 'X';
  spit(one.entry_path("k1"), entry);
  EXPECT_FALSE(two.restore("k1", empty_box("second").string()));
  EXPECT_EQ(two.counts().corrupt, 1u);
}

// A file of the box the payload also holds (a submitted file, or a link someone planted) is
// replaced, never written through: the inode it pointed to keeps its content.
TEST_F(CacheDirs, RestoreReplacesBoxFilesInsteadOfWritingThroughThem) {
  DiskCompileCache cache((root / "compiled").string(), 1 << 20);
  cache.save("k1", compiled_box("built", "BINARY").string(), "main.c", "");
  fs::path outside = root / "outside";
  spit(outside, "KEEP");
  fs::path box = empty_box("box");
  fs::create_hard_link(outside, box / "main");
  ASSERT_TRUE(cache.restore("k1", box.string()));
  EXPECT_EQ(slurp(box / "main"), "BINARY");
  EXPECT_EQ(slurp(outside), "KEEP");
}

TEST_F(CacheDirs, TheCompileCacheEvictsTheLeastRecentlyUsed) {
  // Entries of ~1.1 KB under a 5000 byte bound: at most four stay.
  DiskCompileCache cache((root / "compiled").string(), 5000, nullptr, std::chrono::seconds(0));
  const std::string binary(1000, 'b');
  for (const char* key : {"a", "b", "c", "d"}) {
    cache.save(key, compiled_box(std::string("box-") + key, binary).string(), "main.c", "");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(cache.restore("a", empty_box("use-a").string()));  // "a" is now the newest.
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  cache.save("e", compiled_box("box-e", binary).string(), "main.c", "");
  EXPECT_TRUE(fs::exists(cache.entry_path("a")));
  EXPECT_FALSE(fs::exists(cache.entry_path("b"))) << "least recently used";
  for (const char* key : {"c", "d", "e"}) EXPECT_TRUE(fs::exists(cache.entry_path(key))) << key;
  EXPECT_LE(workers::cache_bytes((root / "compiled").string()), 5000u);
  // An entry bigger than a quarter of the bound is not kept at all.
  cache.save("huge", compiled_box("box-huge", std::string(2000, 'h')).string(), "main.c", "");
  EXPECT_FALSE(fs::exists(cache.entry_path("huge")));
}

TEST_F(CacheDirs, ConcurrentWritersAndReadersNeverSeeAHalfWrittenEntry) {
  // Two "processes" (instances) with four threads each, on one folder.
  DiskCompileCache one((root / "compiled").string(), 64 << 20);
  DiskCompileCache two((root / "compiled").string(), 64 << 20);
  const std::string binary(200000, 'z');
  fs::path box = compiled_box("built", binary);
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      DiskCompileCache& cache = t % 2 ? one : two;
      for (int i = 0; i < 20; ++i) {
        std::string key = "k" + std::to_string(i % 3);
        cache.save(key, box.string(), "main.c", "out");
        fs::path target = root / ("read-" + std::to_string(t) + "-" + std::to_string(i));
        fs::create_directories(target);
        auto output = cache.restore(key, target.string());
        if (!output || *output != "out" || slurp(target / "main") != binary) ++wrong;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong, 0);
  EXPECT_EQ(one.counts().corrupt + two.counts().corrupt, 0u);
  for (const auto& e : fs::directory_iterator(root / "compiled"))
    EXPECT_EQ(e.path().filename().string().find(".tmp."), std::string::npos) << e.path();
}

TEST(CompileCacheKey, ChangesWithEveryInput) {
  const std::vector<std::string> argv = {"/usr/bin/gcc", "-O2", "main.c"};
  const std::vector<judge::SourceFile> main_c = {{"main.c", "int main(){}"}};
  auto key = [](const std::string& lang, const std::string& version,
                const std::vector<std::string>& args, const std::vector<judge::SourceFile>& files,
                const std::string& entry = "") {
    return workers::compile_cache_key(lang, version, args, files, entry);
  };
  auto base = key("c", "gcc 12.2.0", argv, main_c);
  EXPECT_EQ(base, key("c", "gcc 12.2.0", argv, main_c));
  EXPECT_NE(base, key("cpp", "gcc 12.2.0", argv, main_c));
  EXPECT_NE(base, key("c", "gcc 13.1.0", argv, main_c));
  EXPECT_NE(base, key("c", "gcc 12.2.0", {"/usr/bin/gcc", "-O0", "main.c"}, main_c));
  EXPECT_NE(base, key("c", "gcc 12.2.0", argv, {{"main.c", "int main(){ }"}}));
  EXPECT_NE(base, key("c", "gcc 12.2.0", argv, {{"other.c", "int main(){}"}}));
  // Every file of a multi-file submission counts, and the entry point.
  EXPECT_NE(base, key("c", "gcc 12.2.0", argv, {{"main.c", "int main(){}"}, {"a.h", ""}}));
  EXPECT_NE(key("java", "v", {"javac"}, {{"A.java", "a"}, {"B.java", "b"}}, "A"),
            key("java", "v", {"javac"}, {{"A.java", "a"}, {"B.java", "b"}}, "B"));
  // Parts cannot slide into each other.
  EXPECT_NE(key("c", "v", {"a", "b"}, {{"c", "s"}}), key("c", "v", {"a"}, {{"b", "s"}}));
  EXPECT_NE(key("c", "v", {"a"}, {{"b", "cs"}}), key("c", "v", {"a"}, {{"bc", "s"}}));
}

// Test data fetched from a real Postgres.
class TestData : public CacheDirs {
 protected:
  std::string add_blob(const std::string& data) {
    std::string sha = core::sha256_hex(data);
    db.scalar("INSERT INTO blobs (sha256, data) VALUES ('" + sha + "', convert_to('" + data +
              "', 'UTF8')) ON CONFLICT DO NOTHING RETURNING 1");
    return sha;
  }
  testenv::FreshDatabase db;
};

TEST_F(TestData, FetchesOnceThenServesTheVerifiedFile) {
  core::Store store(db.url());
  TestDataCache cache((root / "testdata").string(), 1 << 20);
  std::string sha = add_blob("1 2\n");
  std::string path = cache.path(store, sha);
  EXPECT_EQ(slurp(path), "1 2\n");
  db.scalar("DELETE FROM blobs RETURNING 1");  // A hit needs no database.
  EXPECT_EQ(cache.path(store, sha), path);
  EXPECT_THROW(cache.path(store, core::sha256_hex("absent")), std::runtime_error);
  EXPECT_THROW(cache.path(store, "../../etc/passwd"), std::runtime_error);
}

TEST_F(TestData, ACorruptFileIsFoundAndFetchedAgain) {
  core::Store store(db.url());
  std::string sha = add_blob("3 4\n");
  std::string path;
  {
    TestDataCache cache((root / "testdata").string(), 1 << 20);
    path = cache.path(store, sha);
    spit(path, "9 9\n");  // Changed under a running worker: size same, mtime new.
    EXPECT_EQ(slurp(cache.path(store, sha)), "3 4\n");
    EXPECT_EQ(cache.repaired(), 1u);
  }
  // Changed while no worker ran, mtime put back: the next process checks on first use.
  auto mtime = fs::last_write_time(path);
  spit(path, "5 5\n");
  fs::last_write_time(path, mtime);
  TestDataCache restarted((root / "testdata").string(), 1 << 20);
  EXPECT_EQ(slurp(restarted.path(store, sha)), "3 4\n");
  EXPECT_EQ(restarted.repaired(), 1u);
}

TEST_F(TestData, TheBoundEvictsTheLeastRecentlyUsedBlob) {
  core::Store store(db.url());
  TestDataCache cache((root / "testdata").string(), 2500, std::chrono::seconds(0));
  std::string a = add_blob(std::string(1000, 'a')), b = add_blob(std::string(1000, 'b')),
              c = add_blob(std::string(1000, 'c'));
  cache.path(store, a);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  cache.path(store, b);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  cache.path(store, a);  // a is used again: b is now the oldest.
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  cache.path(store, c);
  EXPECT_TRUE(fs::exists(root / "testdata" / a));
  EXPECT_FALSE(fs::exists(root / "testdata" / b));
  EXPECT_TRUE(fs::exists(root / "testdata" / c));
}

TEST_F(TestData, ConcurrentFetchesOfOneBlobAllSucceed) {
  std::string sha = add_blob("shared\n");
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&] {
      core::Store store(db.url());
      TestDataCache cache((root / "testdata").string(), 1 << 20);  // One per "process".
      for (int i = 0; i < 5; ++i)
        if (slurp(cache.path(store, sha)) != "shared\n") ++wrong;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong, 0);
}

}  // namespace
