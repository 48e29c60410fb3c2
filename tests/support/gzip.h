// What any gzip client does with a Content-Encoding: gzip body, for tests of the API's gzip.
#pragma once

#include <string>

namespace testenv {

// Inflates exactly one gzip member and checks its trailer; throws std::runtime_error when the
// input is not one complete member (or has bytes after it).
std::string gunzip(const std::string& gz);

}  // namespace testenv
