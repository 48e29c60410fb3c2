#include "judge/compiler_version.h"

#include <utility>

#include "judge_internal.h"

namespace judge {
namespace {

constexpr int64_t kVersionCpuMs = 10000;  // kotlinc starts a JVM to print its version.
constexpr int64_t kVersionMaxBytes = 4096;

// Not detail::kEnv (which adds TMPDIR): the output is the cache key, and another environment
// could change it, and with it every key of the caches already filled.
const std::vector<std::string> kVersionEnv = {"PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8",
                                              "HOME=/box"};

sandbox::RunSpec version_spec(const LanguageSpec& language, const std::string& box_dir,
                              const std::string& scratch_dir) {
  sandbox::RunSpec spec;
  spec.argv = version_command(language);
  spec.work_dir = box_dir;
  spec.work_dir_access = sandbox::WorkDirAccess::ReadOnly;
  spec.stdout_path = scratch_dir + "/version.out";
  spec.stderr_path = spec.stdout_path;
  spec.env = kVersionEnv;
  spec.limits = CompileLimits::defaults();
  spec.limits.cpu_ms = kVersionCpuMs;
  spec.limits.wall_ms = 2 * kVersionCpuMs;
  return spec;
}

}  // namespace

std::vector<std::string> version_command(const LanguageSpec& language) {
  if (!language.version_argv.empty()) return language.version_argv;
  return {language.compile_argv.front(), "--version"};
}

std::optional<std::string> compiler_version(Runner& runner, const LanguageSpec& language,
                                            const std::string& box_dir,
                                            const std::string& scratch_dir) {
  const sandbox::RunSpec spec = version_spec(language, box_dir, scratch_dir);
  const sandbox::RunResult result = runner.run(spec);
  std::string output = detail::read_file(spec.stdout_path, kVersionMaxBytes);
  const bool first_line_empty = output.empty() || output.front() == '\n';
  if (!result.exited || result.exit_code != 0 || first_line_empty) return std::nullopt;
  return output;
}

CompilerVersions::Answer CompilerVersions::get(Runner& runner, const LanguageSpec& language,
                                               const std::string& box_dir,
                                               const std::string& scratch_dir) {
  std::vector<std::string> command = version_command(language);
  if (auto known = known_.find(command); known != known_.end()) return {known->second, false};
  Answer answer{compiler_version(runner, language, box_dir, scratch_dir), true};
  if (answer.version) known_.emplace(std::move(command), *answer.version);
  return answer;
}

}  // namespace judge
