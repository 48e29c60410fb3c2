#include "ops_server.h"

#include <pistache/endpoint.h>
#include <pistache/http.h>
#include <pistache/router.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "core/config.h"
#include "core/metrics.h"

namespace workers {
namespace {

using namespace Pistache;

Address parse_address(const std::string& listen) {
  auto parsed = core::parse_listen(listen);
  if (!parsed) throw std::runtime_error("bad --metrics-listen '" + listen + "': expected host:port");
  return Address(parsed->host, Port(parsed->port));
}

}  // namespace

struct OpsServer::Impl {
  Impl(const std::string& listen, std::string id, core::Metrics& m)
      : worker_id(std::move(id)), metrics(m), endpoint(parse_address(listen)) {}

  void start() {
    Rest::Routes::Get(router, "/metrics", [this](const Rest::Request&, Http::ResponseWriter r) {
      r.headers().add<Http::Header::ContentType>(MIME(Text, Plain));
      r.send(Http::Code::Ok, metrics.render());
      return Rest::Route::Result::Ok;
    });
    Rest::Routes::Get(router, "/healthz", [this](const Rest::Request&, Http::ResponseWriter r) {
      r.headers().add<Http::Header::ContentType>(MIME(Application, Json));
      r.send(Http::Code::Ok, nlohmann::json{{"status", "ok"}, {"worker", worker_id}}.dump());
      return Rest::Route::Result::Ok;
    });
    endpoint.init(Http::Endpoint::options().threads(1).flags(Tcp::Options::ReuseAddr));
    endpoint.setHandler(router.handler());
    endpoint.serveThreaded();
    running = true;
  }

  std::string worker_id;
  core::Metrics& metrics;
  Http::Endpoint endpoint;
  Rest::Router router;
  bool running = false;
};

OpsServer::OpsServer(const std::string& listen, const std::string& worker_id,
                     core::Metrics& metrics)
    : impl_(std::make_unique<Impl>(listen, worker_id, metrics)) {
  impl_->start();
}

OpsServer::~OpsServer() { shutdown(); }

void OpsServer::shutdown() {
  if (!impl_->running) return;
  impl_->running = false;
  impl_->endpoint.shutdown();
}

}  // namespace workers
