#include "validator_rules/validator_rules.h"

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <utility>

namespace validator_rules {

std::optional<double> parse_number(std::string_view token) {
  std::string copy(token);
  char* end = nullptr;
  double value = std::strtod(copy.c_str(), &end);
  if (copy.empty() || end != copy.c_str() + copy.size()) return std::nullopt;
  return value;
}

std::optional<ValidatorFlags> parse_validator_flags(std::string_view text) {
  std::istringstream in{std::string(text)};
  ValidatorFlags flags;
  std::string word;
  auto number = [&in]() -> std::optional<double> {
    std::string value;
    if (!(in >> value)) return std::nullopt;
    return parse_number(value);
  };
  while (in >> word) {
    if (word == "case_sensitive") {
      flags.case_sensitive = true;
    } else if (word == "space_change_sensitive") {
      flags.space_change_sensitive = true;
    } else if (word == "float_absolute_tolerance" || word == "float_relative_tolerance" ||
               word == "float_tolerance") {
      auto value = number();
      if (!value) return std::nullopt;
      if (word != "float_relative_tolerance") flags.float_absolute_tolerance = value;
      if (word != "float_absolute_tolerance") flags.float_relative_tolerance = value;
    } else {
      return std::nullopt;
    }
  }
  return flags;
}

std::optional<std::string> validator_language(const std::string& file_name) {
  static const std::pair<const char*, const char*> kByExtension[] = {
      {".c", "c"},     {".cpp", "cpp"}, {".cc", "cpp"},
      {".cxx", "cpp"}, {".c++", "cpp"}, {".py", "python3"},
  };
  const std::string ext = std::filesystem::path(file_name).extension().string();
  for (const auto& [extension, language] : kByExtension)
    if (ext == extension) return language;
  return std::nullopt;
}

std::optional<std::string> pick_validator_source(const std::vector<std::string>& file_names) {
  std::vector<std::string> sources, named_validator;
  for (const auto& name : file_names) {
    if (!validator_language(name)) continue;
    sources.push_back(name);
    if (std::filesystem::path(name).stem() == "validator") named_validator.push_back(name);
  }
  if (sources.size() == 1) return sources.front();
  if (named_validator.size() == 1) return named_validator.front();
  return std::nullopt;
}

}  // namespace validator_rules
