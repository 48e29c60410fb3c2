#include "core/config.h"

#include <charconv>
#include <cstring>
#include <sstream>

namespace core {

std::optional<ListenAddress> parse_listen(const std::string& text) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) return std::nullopt;
  unsigned port = 0;
  const char* begin = text.data() + colon + 1;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(begin, end, port);
  if (ec != std::errc() || ptr != end || port == 0 || port > UINT16_MAX) return std::nullopt;
  return ListenAddress{text.substr(0, colon), static_cast<uint16_t>(port)};
}

Options::Options(std::string program, std::string summary)
    : program_(std::move(program)), summary_(std::move(summary)) {}

void Options::add(const std::string& flag, const std::string& env, std::string* target,
                  std::string doc) {
  options_.push_back({flag, env, std::move(doc), *target, [target](const std::string& value) {
                        *target = value;
                        return std::optional<std::string>();
                      }});
}

void Options::add(const std::string& flag, const std::string& env, int* target, std::string doc) {
  options_.push_back({flag, env, std::move(doc), std::to_string(*target),
                      [target](const std::string& value) -> std::optional<std::string> {
                        int parsed = 0;
                        auto [ptr, ec] =
                            std::from_chars(value.data(), value.data() + value.size(), parsed);
                        if (ec != std::errc() || ptr != value.data() + value.size())
                          return "expects an integer, got '" + value + "'";
                        *target = parsed;
                        return std::nullopt;
                      }});
}

std::optional<std::string> Options::set(const Option& option, const std::string& value,
                                        const std::string& source) {
  if (auto error = option.set(value)) return source + ": " + *error;
  return std::nullopt;
}

std::optional<std::string> Options::parse(const std::vector<std::string>& args,
                                          const std::map<std::string, std::string>& env) {
  for (const auto& option : options_) {
    auto it = option.env.empty() ? env.end() : env.find(option.env);
    if (it != env.end())
      if (auto error = set(option, it->second, "environment variable " + option.env)) return error;
  }
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      help_ = true;
      continue;
    }
    if (arg.rfind("--", 0) != 0) {
      positional_.push_back(arg);
      continue;
    }
    size_t eq = arg.find('=');
    std::string name = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
    const Option* option = nullptr;
    for (const auto& candidate : options_)
      if (candidate.flag == name) option = &candidate;
    if (!option) return "unknown option --" + name + " (see --help)";
    std::string value;
    if (eq != std::string::npos) {
      value = arg.substr(eq + 1);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return "option --" + name + " needs a value";
    }
    if (auto error = set(*option, value, "option --" + name)) return error;
  }
  return std::nullopt;
}

std::string Options::help() const {
  std::ostringstream out;
  out << "usage: " << program_ << " [options]\n" << summary_ << "\n\noptions:\n";
  for (const auto& option : options_) {
    out << "  --" << option.flag;
    if (!option.env.empty()) out << " (env " << option.env << ")";
    out << "\n      " << option.doc;
    if (!option.default_text.empty()) out << " [default: " << option.default_text << "]";
    out << "\n";
  }
  return out.str();
}

std::map<std::string, std::string> environment(char** envp) {
  std::map<std::string, std::string> env;
  for (char** entry = envp; entry && *entry; ++entry) {
    const char* eq = std::strchr(*entry, '=');
    if (eq) env.emplace(std::string(*entry, static_cast<size_t>(eq - *entry)), std::string(eq + 1));
  }
  return env;
}

}  // namespace core
