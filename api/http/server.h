// The judge-api HTTP server: routes, authentication, error mapping and request metrics around
// the handlers of handlers.h. The HTTP library (Pistache) stays inside server.cc.
#pragma once

#include <memory>

#include "services/api_config.h"

namespace core {
class Metrics;
}

namespace api {

// Declares the metric families judge-api reports (call once before serving).
void describe_metrics(core::Metrics& metrics);

class Server {
 public:
  Server(const ApiConfig& config, core::Metrics& metrics);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the listen address and serves on config.threads background threads. Throws
  // std::runtime_error when the address cannot be bound.
  void start();
  // Stops accepting and joins the serving threads. Idempotent.
  void shutdown();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace api
