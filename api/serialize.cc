#include "serialize.h"

namespace api {

std::string error_body(int status, std::string_view message) {
  return json{{"code", status}, {"message", message}}.dump(-1, ' ', false,
                                                           json::error_handler_t::replace);
}

std::string log_quote(std::string_view text) {
  return json(text).dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace api
