// Small helpers shared by the handler files (api-internal; no HTTP library here either).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/model.h"
#include "http/handlers.h"

namespace api {

// The contest named by the :cid path parameter; 404 when unknown.
Result<core::Contest> find_contest(Services& services, const Request& request);

// find_contest() plus check_read() for `what`.
Result<core::Contest> readable_contest(Services& services, const Request& request,
                                       ContestData what);

// A JSON array of to_json(item) for every item.
template <class T, class F>
nlohmann::json json_array(const std::vector<T>& items, F to_json) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& item : items) out.push_back(to_json(item));
  return out;
}

}  // namespace api
