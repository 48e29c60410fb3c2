// POST /api/contest-packages (admin): a CLICS contest package as a zip, parsed and checked whole
// by package/ and stored in one transaction; any error stores nothing.
#include <spdlog/spdlog.h>

#include "core/setup_store.h"
#include "http/handlers.h"
#include "package/contest_package.h"
#include "parse/validate.h"
#include "resources/serialize.h"

namespace api {

Reply import_contest_package(Services& services, const Request& request) {
  if (!request.zip_body) {
    return Reply::error(415, "the body must be a contest package sent as application/zip");
  }
  package::ContestPackage parsed;
  try {
    package::FileMap files = package::read_zip(request.body);
    package::ContestImportOptions options;
    options.default_id = package::strip_top_folder(files);
    parsed = package::parse_contest_package(files, options);
  } catch (const package::PackageError& e) {
    return Reply::error(e.status(), e.what());
  }
  const core::ContestSetup& s = parsed.setup;
  if (auto taken = services.setup().insert_contest_setup(s)) {
    return Reply::error(409, *taken + " already exists; nothing was imported");
  }
  spdlog::info(
      "contest package imported contest_id={} organizations={} groups={} teams={} problems={} "
      "accounts={} by={}",
      s.contest.id, s.organizations.size(), s.groups.size(), s.teams.size(), s.problems.size(),
      s.accounts.size(), log_quote(request.caller.username));
  json body = contest_json(s.contest);
  // Ours, beside the CLICS contest: what was stored, and the passwords made for accounts that
  // came without one (shown this once; only their hashes are kept).
  body["imported"] = {{"organizations", s.organizations.size()},
                      {"groups", s.groups.size()},
                      {"teams", s.teams.size()},
                      {"problems", s.problems.size()},
                      {"accounts", s.accounts.size()}};
  body["generated_passwords"] = json::array();
  for (const auto& [username, password] : parsed.generated_passwords)
    body["generated_passwords"].push_back({{"username", username}, {"password", password}});
  Reply reply = Reply::json(201, body);
  reply.location = "/api/contests/" + s.contest.id;
  return reply;
}

}  // namespace api
