#include "core/model.h"

namespace core {

const char* to_string(Role role) {
  switch (role) {
    case Role::Admin: return "admin";
    case Role::Jury: return "jury";
    case Role::Team: return "team";
  }
  return "team";
}

std::optional<Role> parse_role(std::string_view text) {
  if (text == "admin") return Role::Admin;
  if (text == "jury") return Role::Jury;
  if (text == "team") return Role::Team;
  return std::nullopt;
}

const char* to_string(SubmissionState state) {
  switch (state) {
    case SubmissionState::Queued: return "queued";
    case SubmissionState::Judging: return "judging";
    case SubmissionState::Judged: return "judged";
  }
  return "queued";
}

}  // namespace core
