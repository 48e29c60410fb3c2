// The pages for people (web_assets.h): the same few static files for every contest; the page's
// script reads the contest id from its address and asks the API for everything else.
#include <fstream>
#include <sstream>

#include "core/store.h"
#include "http/body_encoding.h"
#include "http/web_assets.h"
#include "parse/validate.h"
#include "resources/handler_util.h"

namespace api {
namespace {

// Below this size a gzip copy saves too little to be worth a second variant.
constexpr size_t kMinGzipBytes = 512;

std::shared_ptr<const WebFile> make_file(std::string_view name, std::string bytes) {
  auto file = std::make_shared<WebFile>();
  file->content_type = web_content_type(name);
  const bool text = file->content_type.starts_with("text/") ||
                    file->content_type.starts_with("image/svg");
  if (text && bytes.size() >= kMinGzipBytes) file->gzip = gzip_with_prefix("", deflate_tail(bytes));
  file->etag = "\"" + core::sha256_hex(bytes).substr(0, 32) + "\"";
  file->bytes = std::move(bytes);
  return file;
}

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return std::move(bytes).str();
}

Reply file_reply(Services& services, const Request& request, const std::string& name) {
  auto file = services.web_files().find(name);
  if (!file) return Reply::error(404, "no such page or file '" + name + "'");
  Reply reply;
  reply.content_type = file->content_type;
  reply.page = true;
  const bool gzip = !file->gzip.empty() && accepts_gzip(request.accept_encoding);
  reply.vary_encoding = !file->gzip.empty();
  reply.etag = gzip ? file->etag.substr(0, file->etag.size() - 1) + "-gz\"" : file->etag;
  if (etag_matches(request.if_none_match, reply.etag)) {
    reply.status = 304;
    return reply;
  }
  reply.gzip = gzip;
  reply.body = gzip ? file->gzip : file->bytes;
  return reply;
}

}  // namespace

std::string web_content_type(std::string_view name) {
  static const std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},  {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"}, {".svg", "image/svg+xml"},
      {".png", "image/png"},                  {".json", "application/json"},
      {".webmanifest", "application/manifest+json"}};
  for (auto [extension, type] : kTypes) {
    if (name.ends_with(extension)) return std::string(type);
  }
  return "application/octet-stream";
}

WebFiles::WebFiles(std::string dir) : dir_(std::move(dir)) {
  if (!dir_.empty()) return;
  for (const auto& file : embedded_web_files())
    embedded_.emplace(std::string(file.name), make_file(file.name, std::string(file.bytes)));
}

// Names come from routes whose parameters passed is_valid_id (no '/', no leading '.'), so a
// name cannot leave the folder.
std::shared_ptr<const WebFile> WebFiles::find(const std::string& name) const {
  if (dir_.empty()) {
    auto it = embedded_.find(name);
    return it == embedded_.end() ? nullptr : it->second;
  }
  auto bytes = read_file(dir_ + "/" + name);
  return bytes ? make_file(name, std::move(*bytes)) : nullptr;
}

Reply get_home_page(Services& services, const Request& request) {
  return file_reply(services, request, "index.html");
}

Reply get_scoreboard_page(Services& services, const Request& request) {
  return file_reply(services, request, "scoreboard.html");
}

Reply get_team_page(Services& services, const Request& request) {
  return file_reply(services, request, "team.html");
}

Reply get_static_file(Services& services, const Request& request) {
  return file_reply(services, request, "static/" + request.param("name"));
}

}  // namespace api
