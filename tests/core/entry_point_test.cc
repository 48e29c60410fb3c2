// Entry points of submissions: what runs for each kind of language, and every case that cannot
// be decided, table-style. The API refuses those at submit; the worker gives CE.
#include "core/entry_point.h"

#include <gtest/gtest.h>

namespace {

using core::EntryKind;
using core::Language;
using core::SourceFile;

Language language(EntryKind kind, const std::string& source_file) {
  Language l;
  l.id = "x";
  l.source_file = source_file;
  l.entry_kind = kind;
  return l;
}

struct Row {
  const char* what;
  EntryKind kind;
  const char* source_file;
  std::vector<SourceFile> files;
  std::optional<std::string> given;
  const char* entry;  // Expected value; nullptr: an error is expected.
  const char* error_part = "";
};

const SourceFile kA{"s/A.java", "class A { public static void main(String[] a) {} }"};
const SourceFile kB{"s/B.java", "class B { int f() { return 1; } }"};
const SourceFile kC{"C.java", "class C { static public void main(String... a) {} }"};

std::vector<Row> rows() {
  return {
      {"c: nothing runs by name", EntryKind::None, "main.c", {{"a.c", ""}, {"b.c", ""}}, {}, ""},
      {"c: a named file is fine", EntryKind::None, "main.c", {{"d/a.c", ""}}, "a.c", ""},
      {"c: a named file must exist",
       EntryKind::None,
       "main.c",
       {{"a.c", ""}},
       "b.c",
       nullptr,
       "not one of the submitted files"},
      {"py: the only file", EntryKind::File, "main.py", {{"sol/x.py", ""}}, {}, "x.py"},
      {"py: the named file by path",
       EntryKind::File,
       "main.py",
       {{"d/a.py", ""}, {"d/b.py", ""}},
       "d/b.py",
       "b.py"},
      {"py: the named file by name",
       EntryKind::File,
       "main.py",
       {{"a.py", ""}, {"b.py", ""}},
       "a.py",
       "a.py"},
      {"py: main.py among several",
       EntryKind::File,
       "main.py",
       {{"a.py", ""}, {"d/main.py", ""}},
       {},
       "main.py"},
      {"py: several, none main.py",
       EntryKind::File,
       "main.py",
       {{"a.py", ""}, {"b.py", ""}},
       {},
       nullptr,
       "send entry_point"},
      {"py: a missing file",
       EntryKind::File,
       "main.py",
       {{"a.py", ""}},
       "b.py",
       nullptr,
       "not one of the submitted files"},
      {"java: the only file's class", EntryKind::JavaClass, "Main.java", {kB}, {}, "B"},
      {"java: the one file with main", EntryKind::JavaClass, "Main.java", {kA, kB}, {}, "A"},
      {"java: main with modifiers swapped", EntryKind::JavaClass, "Main.java", {kB, kC}, {}, "C"},
      {"java: two mains",
       EntryKind::JavaClass,
       "Main.java",
       {kA, kC},
       {},
       nullptr,
       "2 files hold a main method"},
      {"java: no main",
       EntryKind::JavaClass,
       "Main.java",
       {kB, {"D.java", "class D {}"}},
       {},
       nullptr,
       "0 files"},
      {"java: named class", EntryKind::JavaClass, "Main.java", {kA, kC}, "C", "C"},
      {"java: named file", EntryKind::JavaClass, "Main.java", {kA, kC}, "s/A.java", "A"},
      {"java: package class", EntryKind::JavaClass, "Main.java", {kA}, "com.x.Main", "com.x.Main"},
      {"java: not a class name",
       EntryKind::JavaClass,
       "Main.java",
       {kA},
       "A;rm",
       nullptr,
       "not a Java class name"},
      {"kotlin: the only file", EntryKind::KotlinClass, "main.kt", {{"sol.kt", ""}}, {}, "SolKt"},
      {"kotlin: the one file with main",
       EntryKind::KotlinClass,
       "main.kt",
       {{"util.kt", "fun f() = 1"}, {"app.kt", "fun main() { }"}},
       {},
       "AppKt"},
      {"kotlin: named file",
       EntryKind::KotlinClass,
       "main.kt",
       {{"a.kt", ""}, {"b.kt", ""}},
       "b.kt",
       "BKt"},
      {"kotlin: two mains",
       EntryKind::KotlinClass,
       "main.kt",
       {{"a.kt", "fun main() {}"}, {"b.kt", "fun main(args: Array<String>) {}"}},
       {},
       nullptr,
       "send entry_point"},
  };
}

TEST(ResolveEntryPoint, DecidesOrSaysWhy) {
  for (const Row& row : rows()) {
    auto entry =
        core::resolve_entry_point(language(row.kind, row.source_file), row.files, row.given);
    if (row.entry) {
      EXPECT_EQ(entry.error, "") << row.what;
      EXPECT_EQ(entry.value, row.entry) << row.what;
    } else {
      EXPECT_EQ(entry.value, "") << row.what;
      EXPECT_NE(entry.error.find(row.error_part), std::string::npos)
          << row.what << ": " << entry.error;
      EXPECT_EQ(entry.error.rfind("entry_point", 0), 0u) << row.what << ": names the field";
    }
  }
}

TEST(EntryKind, ParsesTheColumnAndServesClicsFields) {
  EXPECT_EQ(core::parse_entry_kind(""), EntryKind::None);
  EXPECT_EQ(core::parse_entry_kind("java_class"), EntryKind::JavaClass);
  EXPECT_EQ(core::parse_entry_kind("kotlin_class"), EntryKind::KotlinClass);
  EXPECT_EQ(core::parse_entry_kind("file"), EntryKind::File);
  EXPECT_FALSE(core::parse_entry_kind("class").has_value());
  EXPECT_FALSE(core::entry_point_required(EntryKind::None));
  EXPECT_FALSE(core::entry_point_name(EntryKind::None).has_value());
  EXPECT_TRUE(core::entry_point_required(EntryKind::File));
  EXPECT_EQ(core::entry_point_name(EntryKind::JavaClass), "Main class");
  EXPECT_EQ(core::entry_point_name(EntryKind::File), "Main file");
}

}  // namespace
