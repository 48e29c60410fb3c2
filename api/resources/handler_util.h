// Small helpers shared by the handler files (api-internal; no HTTP library here either).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/model.h"
#include "http/handlers.h"

namespace api {

// A JSON array of to_json(item) for every item.
template <class Items, class F>
nlohmann::json json_array(const Items& items, F to_json) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& item : items) out.push_back(to_json(item));
  return out;
}

}  // namespace api
