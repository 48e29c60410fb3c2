// Small helpers shared by the handler files (api-internal; no HTTP library here either).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/model.h"
#include "http/handlers.h"
#include "resources/clics_view.h"

namespace api {

// A JSON array of to_json(item) for every item.
template <class Items, class F>
nlohmann::json json_array(const Items& items, F to_json) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& item : items) out.push_back(to_json(item));
  return out;
}

// Objects of a CLICS type as the request's caller sees them (clics_view.h): one object, an
// array of to_json(item) for every item, or either as the reply.
inline nlohmann::json view_json(const Request& request, std::string_view type,
                                nlohmann::json object) {
  return viewed(type, std::move(object), request.viewer());
}
template <class Items, class F>
nlohmann::json view_array(const Request& request, std::string_view type, const Items& items,
                          F to_json) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& item : items) out.push_back(view_json(request, type, to_json(item)));
  return out;
}
inline Reply view_reply(int status, const Request& request, std::string_view type,
                        nlohmann::json object) {
  return Reply::json(status, view_json(request, type, std::move(object)));
}
template <class Items, class F>
Reply view_array_reply(const Request& request, std::string_view type, const Items& items,
                       F to_json) {
  return Reply::json(200, view_array(request, type, items, to_json));
}

}  // namespace api
