// Liveness, readiness and Prometheus metrics. None of these need authentication.
#include "core/metrics.h"
#include "core/queue.h"
#include "core/store.h"
#include "handlers.h"

namespace api {
namespace {

// True when the dependency answers; connecting counts (this thread's connection is created).
template <class Ping>
bool reachable(Ping ping) {
  try {
    return ping();
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

Reply healthz(Services&, const Request&) { return Reply::json(200, {{"status", "ok"}}); }

Reply readyz(Services& services, const Request&) {
  const bool postgres = reachable([&] { return services.store().ping(); });
  const bool redis = reachable([&] { return services.queue().ping(); });
  nlohmann::json body = {{"postgres", postgres ? "ok" : "down"}, {"redis", redis ? "ok" : "down"}};
  if (postgres && redis) {
    body["status"] = "ok";
    return Reply::json(200, body);
  }
  std::string down =
      !postgres && !redis ? "postgres and redis" : (!postgres ? "postgres" : "redis");
  body["code"] = 503;
  body["message"] = down + " unavailable";
  return Reply::json(503, body);
}

Reply metrics(Services& services, const Request&) {
  return Reply{200, services.metrics().render(), "", Reply::Type::Text};
}

}  // namespace api
