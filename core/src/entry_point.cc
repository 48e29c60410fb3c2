#include "core/entry_point.h"

#include <algorithm>
#include <cctype>
#include <regex>

namespace core {
namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string stem(const std::string& name) { return name.substr(0, name.rfind('.')); }

// Kotlin compiles top-level functions of foo_bar.kt into the class Foo_barKt.
std::string kotlin_facade(const std::string& file_name) {
  std::string name = stem(file_name);
  if (!name.empty()) name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
  return name + "Kt";
}

bool is_class_name(const std::string& name) {
  static const std::regex kClass(R"([A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)*)");
  return std::regex_match(name, kClass);
}

// The files whose source matches `pattern` (a main function), by box file name.
std::vector<std::string> files_with(const std::vector<SourceFile>& files, const std::regex& pattern,
                                    std::string_view extension) {
  std::vector<std::string> found;
  for (const auto& f : files)
    if (ends_with(f.name, extension) && std::regex_search(f.content, pattern))
      found.push_back(box_file_name(f.name));
  return found;
}

EntryPoint infer_class(const std::vector<SourceFile>& files, const std::regex& main_pattern,
                       std::string_view extension, std::string (*class_of)(const std::string&),
                       const char* what) {
  if (files.size() == 1) return {class_of(box_file_name(files[0].name)), ""};
  auto mains = files_with(files, main_pattern, extension);
  if (mains.size() == 1) return {class_of(mains[0]), ""};
  return {"", "entry_point: cannot tell the main class: " + std::to_string(mains.size()) +
                  " files hold " + what + "; send entry_point"};
}

EntryPoint resolve_file(const Language& language, const std::vector<SourceFile>& files,
                        const std::optional<std::string>& given) {
  if (given) {
    for (const auto& f : files)
      if (f.name == *given || box_file_name(f.name) == *given) return {box_file_name(f.name), ""};
    return {"", "entry_point: '" + *given + "' is not one of the submitted files"};
  }
  if (files.size() == 1) return {box_file_name(files[0].name), ""};
  for (const auto& f : files)
    if (box_file_name(f.name) == language.source_file) return {language.source_file, ""};
  return {"", "entry_point: several files and none named " + language.source_file +
                  "; send entry_point (the file to run)"};
}

std::string java_class_of(const std::string& file_name) { return stem(file_name); }

}  // namespace

std::optional<EntryKind> parse_entry_kind(std::string_view text) {
  if (text.empty()) return EntryKind::None;
  if (text == "file") return EntryKind::File;
  if (text == "java_class") return EntryKind::JavaClass;
  if (text == "kotlin_class") return EntryKind::KotlinClass;
  return std::nullopt;
}

const char* to_string(EntryKind kind) {
  switch (kind) {
    case EntryKind::None:
      return "";
    case EntryKind::File:
      return "file";
    case EntryKind::JavaClass:
      return "java_class";
    case EntryKind::KotlinClass:
      return "kotlin_class";
  }
  return "";
}

bool entry_point_required(EntryKind kind) { return kind != EntryKind::None; }

std::optional<std::string> entry_point_name(EntryKind kind) {
  switch (kind) {
    case EntryKind::None:
      return std::nullopt;
    case EntryKind::File:
      return "Main file";
    case EntryKind::JavaClass:
    case EntryKind::KotlinClass:
      return "Main class";
  }
  return std::nullopt;
}

std::string box_file_name(const std::string& path) { return path.substr(path.rfind('/') + 1); }

EntryPoint resolve_entry_point(const Language& language, const std::vector<SourceFile>& files,
                               const std::optional<std::string>& given) {
  static const std::regex kJavaMain(R"(\bstatic\b[^;{}()]*\bvoid\s+main\s*\()");
  static const std::regex kKotlinMain(R"(\bfun\s+main\s*\()");
  switch (language.entry_kind) {
    case EntryKind::None: {
      // Nothing is run by name; one sent must still name a file, so that a team never believes
      // another file runs.
      if (!given || resolve_file(language, files, given).error.empty()) return {};
      return {"", "entry_point: '" + *given + "' is not one of the submitted files"};
    }
    case EntryKind::File:
      return resolve_file(language, files, given);
    case EntryKind::JavaClass: {
      if (!given) return infer_class(files, kJavaMain, ".java", java_class_of, "a main method");
      std::string name = ends_with(*given, ".java") ? stem(box_file_name(*given)) : *given;
      if (is_class_name(name)) return {name, ""};
      return {"", "entry_point: '" + *given + "' is not a Java class name"};
    }
    case EntryKind::KotlinClass: {
      if (!given) return infer_class(files, kKotlinMain, ".kt", kotlin_facade, "a main function");
      std::string name = ends_with(*given, ".kt") ? kotlin_facade(box_file_name(*given)) : *given;
      if (is_class_name(name)) return {name, ""};
      return {"", "entry_point: '" + *given + "' is not a Kotlin class name"};
    }
  }
  return {};
}

}  // namespace core
