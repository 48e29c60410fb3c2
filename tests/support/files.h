// Whole-file reads and writes for tests (header-only: unit tests link nothing else of support/).
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace testenv {

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

inline void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

}  // namespace testenv
