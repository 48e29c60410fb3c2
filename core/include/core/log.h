// Structured logs: one logfmt line per event (ts, level, component, msg and key=value fields).
#pragma once

#include <string>

namespace core {

// Configures the default spdlog logger for a binary; level is trace|debug|info|warn|error.
void init_logging(const std::string& component, const std::string& level);

}  // namespace core
