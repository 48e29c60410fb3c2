// The worker's operations endpoint: GET /metrics (Prometheus text) and GET /healthz, served by
// Pistache on its own thread. Pistache stays out of every other worker file.
#pragma once

#include <memory>
#include <string>

namespace core {
class Metrics;
}

namespace workers {

class OpsServer {
 public:
  // listen: host:port. Throws std::runtime_error when it cannot listen.
  OpsServer(const std::string& listen, const std::string& worker_id, core::Metrics& metrics);
  ~OpsServer();
  void shutdown();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace workers
