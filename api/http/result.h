// The error a handler sends on purpose, and a value-or-that-error. A leaf: no project includes,
// so that any part of the API can return a Result without pulling in the request parsers.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace api {

// An HTTP error to send on purpose: status code plus a message for a human.
struct HttpError {
  int status = 400;
  std::string message;
  int retry_after_seconds = 0;  // Retry-After header, when positive (429).
};

// A value or the HttpError explaining why there is none.
template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT(google-explicit-constructor)
  Result(HttpError error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)
  bool ok() const { return v_.index() == 0; }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  const HttpError& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, HttpError> v_;
};

}  // namespace api
