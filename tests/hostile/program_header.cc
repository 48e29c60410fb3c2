#include "program_header.h"

#include <sstream>
#include <stdexcept>

namespace hostile {
namespace {

constexpr int64_t kDefaultCpuMs = 1000;
constexpr int64_t kDefaultWallMs = 3000;
constexpr int64_t kDefaultMemKib = 256 * 1024;
constexpr int kDefaultProcesses = 64;
constexpr int64_t kDefaultOutKib = 1024;
constexpr int kDefaultFiles = 64;

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(s);
  while (std::getline(in, part, sep)) parts.push_back(part);
  return parts;
}

sandbox::LimitHit limit_named(const std::string& name) {
  using sandbox::LimitHit;
  for (LimitHit l : {LimitHit::None, LimitHit::CpuTime, LimitHit::WallTime, LimitHit::Memory,
                     LimitHit::Output, LimitHit::Processes}) {
    if (name == sandbox::to_string(l)) return l;
  }
  throw std::invalid_argument("unknown limit '" + name + "'");
}

std::set<int> ints(const std::string& alternatives) {
  std::set<int> values;
  for (const auto& v : split(alternatives, '|')) values.insert(std::stoi(v));
  return values;
}

void parse_expect_word(const std::string& word, Expectation& e) {
  size_t eq = word.find('=');
  std::string key = word.substr(0, eq);
  std::string value = eq == std::string::npos ? "" : word.substr(eq + 1);
  if (key == "exit") {
    e.exit_codes = ints(value);
  } else if (key == "signal") {
    e.signals = ints(value);
  } else if (key == "limit") {
    for (const auto& v : split(value, '|')) e.limits.insert(limit_named(v));
  } else if (key == "oom" && value.empty()) {
    e.oom = true;
  } else if (key == "output_truncated" && value.empty()) {
    e.output_truncated = true;
  } else if (key == "stdout_has" && !value.empty()) {
    e.stdout_has.push_back(value);
  } else if (key == "stdout_lacks" && !value.empty()) {
    e.stdout_lacks.push_back(value);
  } else if (key == "workdir_max_kib" && !value.empty()) {
    e.workdir_max_kib = std::stoll(value);
  } else {
    throw std::invalid_argument("bad expect word '" + word + "'");
  }
}

void parse_limit_word(const std::string& word, sandbox::Limits& l) {
  size_t eq = word.find('=');
  if (eq == std::string::npos) throw std::invalid_argument("bad limits word '" + word + "'");
  std::string key = word.substr(0, eq);
  int64_t value = std::stoll(word.substr(eq + 1));
  if (key == "cpu_ms") {
    l.cpu_ms = value;
  } else if (key == "wall_ms") {
    l.wall_ms = value;
  } else if (key == "mem_kib") {
    l.memory_kib = value;
  } else if (key == "procs") {
    l.processes = static_cast<int>(value);
  } else if (key == "out_kib") {
    l.output_kib = value;
  } else if (key == "files") {
    l.open_files = static_cast<int>(value);
  } else {
    throw std::invalid_argument("unknown limit key '" + key + "'");
  }
}

std::vector<std::string> words(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  std::string w;
  while (in >> w) out.push_back(w);
  return out;
}

// "// key: value" or "# key: value" -> {key, value}; anything else -> nullopt.
std::optional<std::pair<std::string, std::string>> header_line(const std::string& line) {
  size_t start = line.rfind("//", 0) == 0 ? 2 : line.rfind('#', 0) == 0 ? 1 : std::string::npos;
  if (start == std::string::npos) return std::nullopt;
  std::string body = line.substr(start);
  size_t colon = body.find(':');
  if (colon == std::string::npos) return std::nullopt;
  std::string key = body.substr(0, colon);
  key.erase(0, key.find_first_not_of(' '));
  if (key.empty() || key.find(' ') != std::string::npos) return std::nullopt;
  std::string value = body.substr(colon + 1);
  value.erase(0, value.find_first_not_of(' '));
  return std::make_pair(key, value);
}

}  // namespace

sandbox::Limits battery_default_limits() {
  sandbox::Limits l;
  l.cpu_ms = kDefaultCpuMs;
  l.wall_ms = kDefaultWallMs;
  l.memory_kib = kDefaultMemKib;
  l.processes = kDefaultProcesses;
  l.output_kib = kDefaultOutKib;
  l.open_files = kDefaultFiles;
  return l;
}

ProgramHeader parse_header(const std::string& source) {
  ProgramHeader h;
  h.limits = battery_default_limits();
  bool has_expect = false;
  std::istringstream lines(source);
  std::string line;
  // The header is the leading comment block (a "#!" line is a comment too).
  while (std::getline(lines, line) && (line.rfind("//", 0) == 0 || line.rfind('#', 0) == 0)) {
    auto kv = header_line(line);
    if (!kv) continue;
    const auto& [key, value] = *kv;
    try {
      if (key == "expect") {
        has_expect = true;
        for (const auto& w : words(value)) parse_expect_word(w, h.expect);
      } else if (key == "limits") {
        for (const auto& w : words(value)) parse_limit_word(w, h.limits);
      } else if (key == "args") {
        h.args = words(value);
      } else if (key == "needs") {
        for (const auto& w : words(value)) h.needs.insert(w);
      } else if (key == "known-hole") {
        h.known_hole = value;
      }
    } catch (const std::logic_error& e) {  // invalid_argument, out_of_range from stoi.
      throw std::invalid_argument("header line '" + line + "': " + e.what());
    }
  }
  const Expectation& e = h.expect;
  if (!has_expect || (e.exit_codes.empty() && e.signals.empty() && e.limits.empty())) {
    throw std::invalid_argument("header must say how the run ends: expect: exit=/signal=/limit=");
  }
  return h;
}

}  // namespace hostile
