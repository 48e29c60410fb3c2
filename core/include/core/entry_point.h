// Entry points of submissions (CLICS entry_point): which file or class runs. Decided by the API at
// submit time (a 400 when it cannot be) and again, identically, by the worker before judging.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"

namespace core {

// languages.entry_kind text: NULL/"" none, "file", "java_class", "kotlin_class".
std::optional<EntryKind> parse_entry_kind(std::string_view text);
const char* to_string(EntryKind kind);  // "" for None.

// CLICS language fields: whether an entry point must be named and what it names.
bool entry_point_required(EntryKind kind);
std::optional<std::string> entry_point_name(EntryKind kind);  // "Main class", "Main file".

// The file name a file gets in the box: the last component of its path in the zip.
std::string box_file_name(const std::string& path);

struct EntryPoint {
  std::string value;  // File name in the box (File) or class name; empty for EntryKind::None.
  std::string error;  // Set when it cannot be decided: why, for the team.
};

// The entry point of files (names as in the zip) for language, given the team's one or not:
//  None: nothing (every file is compiled); a given one must still name one of files.
//  File: the given file (its path or name must be one of files); else the only file; else the
//        language's source_file (main.py) if one of files has that name.
//  JavaClass: the given class name ("Main", or "Main.java" meaning Main); else the class of the
//        only file, else of the only file holding a `static void main(`.
//  KotlinClass: the given class ("MainKt", or a file "main.kt" meaning MainKt); else the facade
//        class of the only file, else of the only file holding a `fun main(`.
EntryPoint resolve_entry_point(const Language& language, const std::vector<SourceFile>& files,
                               const std::optional<std::string>& given);

}  // namespace core
