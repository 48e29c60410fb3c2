// Liveness, readiness and Prometheus metrics. Health needs no authentication; metrics (they
// count submissions per contest) need --metrics-token or a jury login once a token is set.
#include "core/metrics.h"
#include "core/queue.h"
#include "core/store.h"
#include "http/handlers.h"

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

Reply metrics(Services& services, const Request& request) {
  if (!services.config().metrics_token.empty() && !request.metrics_token &&
      !request.caller.is_jury()) {
    return request.caller.authenticated
               ? Reply::error(403, "metrics are for the jury and the metrics scraper")
               : Reply::error(401, "metrics need the metrics token: Authorization: Bearer TOKEN");
  }
  return Reply{200, services.metrics().render(), "", Reply::Type::Text};
}

}  // namespace api
