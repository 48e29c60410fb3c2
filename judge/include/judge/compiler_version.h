// A compiler's version, for the compile cache key: the output of the language's version command,
// run in the sandbox like a compile.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "judge/judge.h"

namespace judge {

// language.version_argv, or `<compile_argv[0]> --version` when it names none (a language that
// compiles).
std::vector<std::string> version_command(const LanguageSpec& language);

// Runs language's version command in runner: box_dir is its read-only /box, its output goes to
// scratch_dir; compile limits with 10 s of CPU. All the output (at most 4 KiB) is the version:
// kotlinc prints a JVM warning first. Nothing when the command does not exit 0 or its first line
// is empty. Throws sandbox::BoxError as every run does.
std::optional<std::string> compiler_version(Runner& runner, const LanguageSpec& language,
                                            const std::string& box_dir,
                                            const std::string& scratch_dir);

// compiler_version, asked once per command (not per language id: an edited language may name
// another compiler); a command that gave no version is asked again next time. One per judging
// thread: not thread-safe.
class CompilerVersions {
 public:
  struct Answer {
    std::optional<std::string> version;
    bool asked = false;  // The command ran for this answer (false: the remembered version).
  };
  Answer get(Runner& runner, const LanguageSpec& language, const std::string& box_dir,
             const std::string& scratch_dir);

 private:
  std::map<std::vector<std::string>, std::string> known_;  // Command -> its version.
};

}  // namespace judge
