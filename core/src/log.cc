#include "core/log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace core {

void init_logging(const std::string& component, const std::string& level) {
  auto logger = spdlog::stderr_logger_mt(component);
  // logfmt: machines split on key=value, people can still read it. Callers put extra fields
  // (submission=, worker=) at the end of the message.
  logger->set_pattern("ts=%Y-%m-%dT%H:%M:%S.%eZ level=%l component=%n pid=%P %v", spdlog::pattern_time_type::utc);
  logger->set_level(spdlog::level::from_str(level));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

}  // namespace core
