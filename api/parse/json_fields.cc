#include "parse/json_fields.h"
#include "parse/validate.h"

namespace api::fields {
namespace {

std::optional<HttpError> check_text(const std::string& text, const std::string& field) {
  if (text.size() > kMaxTextBytes) {
    return HttpError{422, field + ": longer than " + std::to_string(kMaxTextBytes) + " bytes"};
  }
  if (text.find('\0') != std::string::npos) {
    return HttpError{422, field + ": must not contain a NUL character"};
  }
  return std::nullopt;
}

// Whether no array or object in `text` is nested deeper than max_depth (strings skipped).
bool nesting_within(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return false;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return true;
}

}  // namespace

Result<json> parse_object(std::string_view body) {
  // Parsing is not recursive, but copying, comparing and serializing a value are: a value
  // nested 100,000 deep would overflow the stack there.
  if (!nesting_within(body, kMaxJsonDepth)) {
    return HttpError{400, "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels"};
  }
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return HttpError{400, "malformed JSON body"};
  if (!doc.is_object()) return HttpError{400, "the body must be a JSON object"};
  return doc;
}

Result<std::string> required_string(const json& doc, const std::string& field,
                                    const std::string& label) {
  const std::string& name = label.empty() ? field : label;
  auto it = doc.find(field);
  if (it == doc.end() || it->is_null()) return HttpError{400, name + ": required"};
  if (!it->is_string()) return HttpError{400, name + ": must be a string"};
  return it->get<std::string>();
}

Result<std::optional<std::string>> optional_string(const json& doc, const std::string& field) {
  auto it = doc.find(field);
  if (it == doc.end() || it->is_null()) return std::optional<std::string>{};
  if (!it->is_string()) return HttpError{400, field + ": must be a string"};
  return std::optional<std::string>(it->get<std::string>());
}

Result<std::optional<int64_t>> optional_integer(const json& doc, const std::string& field) {
  auto it = doc.find(field);
  if (it == doc.end() || it->is_null()) return std::optional<int64_t>{};
  if (it->is_number_unsigned() && it->get<uint64_t>() > uint64_t(INT64_MAX)) {
    return HttpError{422, field + ": out of range"};
  }
  if (!it->is_number_integer()) return HttpError{400, field + ": must be an integer"};
  return std::optional<int64_t>(it->get<int64_t>());
}

Result<std::optional<std::string>> optional_id(const json& doc, const std::string& field) {
  auto id = optional_string(doc, field);
  if (id.ok() && id.value() && !is_valid_id(*id.value())) {
    return HttpError{
        422, field + ": '" + *id.value() + "' is not an identifier ([A-Za-z0-9_.-], at most 36)"};
  }
  return id;
}

Result<std::string> required_text(const json& doc, const std::string& field) {
  auto text = required_string(doc, field);
  if (!text.ok()) return text;
  if (text.value().empty()) return HttpError{422, field + ": must not be empty"};
  if (auto bad = check_text(text.value(), field)) return *bad;
  return text;
}

Result<std::optional<std::string>> optional_text(const json& doc, const std::string& field) {
  auto text = optional_string(doc, field);
  if (text.ok() && text.value()) {
    if (auto bad = check_text(*text.value(), field)) return *bad;
  }
  return text;
}

}  // namespace api::fields
