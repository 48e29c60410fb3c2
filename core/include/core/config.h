// Configuration: each binary declares its options once (name, env var, default, doc); main()
// parses flags over environment over defaults. Nothing below main() reads the environment.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace core {

struct ListenAddress {
  std::string host;
  uint16_t port = 0;
};
// Parses "host:port" (port 1..65535). Empty on malformed input.
std::optional<ListenAddress> parse_listen(const std::string& text);

class Options {
 public:
  explicit Options(std::string program, std::string summary);
  // Registers --flag (and env var `env`, may be empty) bound to target, which holds the default.
  void add(const std::string& flag, const std::string& env, std::string* target, std::string doc);
  void add(const std::string& flag, const std::string& env, int* target, std::string doc);

  // Parses argv and env. Returns an error message naming the offending option, or nothing.
  // --help sets help_requested(). Non-option arguments are collected in positional().
  std::optional<std::string> parse(const std::vector<std::string>& args,
                                   const std::map<std::string, std::string>& env);
  bool help_requested() const { return help_; }
  const std::vector<std::string>& positional() const { return positional_; }
  std::string help() const;  // Usage plus a table of flags, env vars, defaults and docs.

 private:
  struct Option {
    std::string flag, env, doc, default_text;
    std::function<std::optional<std::string>(const std::string&)> set;
  };
  std::optional<std::string> set(const Option& option, const std::string& value,
                                 const std::string& source);
  std::string program_, summary_;
  std::vector<Option> options_;
  std::vector<std::string> positional_;
  bool help_ = false;
};

// The process environment as a map, for main() to hand to Options::parse.
std::map<std::string, std::string> environment(char** envp);

}  // namespace core
