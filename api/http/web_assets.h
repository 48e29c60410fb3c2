// The pages for people (api/web/): a contest list, a live scoreboard and a team's page. They are
// static files that talk to the public API from the browser; judge-api serves them itself, from
// copies compiled into the binary (api/embed_web.cmake) or, while developing the pages, from a
// folder read on every request (--web-dir).
#pragma once

#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace api {

struct EmbeddedFile {
  std::string_view name;  // Path below api/web/, e.g. "scoreboard.html", "static/app.css".
  std::string_view bytes;
};

std::span<const EmbeddedFile> embedded_web_files();  // Generated at build time.

// One file ready to send: its type, validator and, where it pays, a gzip copy made once.
struct WebFile {
  std::string content_type;
  std::string bytes;
  std::string gzip;  // Empty when not worth it (already compressed formats, tiny files).
  std::string etag;
};

class WebFiles {
 public:
  // dir empty: the embedded copies; otherwise files read from dir on every request.
  explicit WebFiles(std::string dir = "");
  // The file at `name` (below api/web/), or null when there is none.
  std::shared_ptr<const WebFile> find(const std::string& name) const;

 private:
  std::string dir_;
  std::map<std::string, std::shared_ptr<const WebFile>, std::less<>> embedded_;
};

// For tests: the content type served for a file name (by its extension).
std::string web_content_type(std::string_view name);

}  // namespace api
