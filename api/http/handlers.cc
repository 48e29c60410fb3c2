// Plumbing shared by the handlers: Request/Reply helpers, per-thread connections.
#include "http/handlers.h"

#include <spdlog/spdlog.h>

#include <thread>

#include "core/account_store.h"
#include "core/clarification_store.h"
#include "core/contest_reads.h"
#include "core/event_log.h"
#include "core/judging_store.h"
#include "core/problem_data.h"
#include "core/queue.h"
#include "core/setup_store.h"
#include "core/store.h"
#include "core/submission_store.h"
#include "resources/handler_util.h"
#include "resources/serialize.h"

namespace api {
namespace {

// One connection of each kind per Pistache thread (core::Store and core::Queue are not
// thread-safe). Created lazily so that a dependency down at start-up only fails requests.
thread_local std::unique_ptr<core::Store> t_store;
thread_local std::unique_ptr<core::Queue> t_queue;

}  // namespace

const std::string& Request::param(const std::string& name) const {
  static const std::string kEmpty;
  auto it = params.find(name);
  return it == params.end() ? kEmpty : it->second;
}

std::optional<std::string> Request::query_param(const std::string& name) const {
  auto it = query.find(name);
  if (it == query.end()) return std::nullopt;
  return it->second;
}

Reply Reply::json(int status, const nlohmann::json& body) {
  // Replace invalid UTF-8 (e.g. from a submitted source) instead of throwing from dump().
  return Reply{status, json_text(body), "", Type::Json, 0};
}

Reply Reply::error(int status, std::string_view message) {
  return Reply{status, error_body(status, message), "", Type::Json, 0};
}

Reply Reply::error(const HttpError& error) {
  Reply reply = Reply::error(error.status, error.message);
  reply.retry_after_seconds = error.retry_after_seconds;
  return reply;
}

Services::Services(ApiConfig config, core::Metrics& metrics)
    : config_(std::move(config)),
      metrics_(metrics),
      login_throttle_(LoginLimits{config_.login_fail_limit_account,
                                  config_.login_fail_limit_address,
                                  int64_t{config_.login_fail_window_seconds} * 1000}),
      scoreboard_cache_(static_cast<size_t>(config_.scoreboard_cache)),
      event_tokens_(config_.jwt_secret),
      web_files_(config_.web_dir),
      password_checks_(password_check_threads(config_.password_check_threads,
                                              std::thread::hardware_concurrency()),
                       config_.password_check_queue, metrics_) {}

core::Store& Services::store() {
  if (!t_store) {
    try {
      t_store = std::make_unique<core::Store>(config_.database_url);
    } catch (const std::exception& e) {
      spdlog::warn("postgres connect failed error={}", log_quote(e.what()));
      throw core::StoreError(std::string("connect: ") + e.what());
    }
  }
  return *t_store;
}

core::ContestReads Services::reads() { return core::ContestReads(store()); }
core::SubmissionStore Services::submissions() { return core::SubmissionStore(store()); }
core::ProblemData Services::problem_data() { return core::ProblemData(store()); }
core::JudgingStore Services::judging() { return core::JudgingStore(store()); }
core::SetupStore Services::setup() { return core::SetupStore(store()); }
core::AccountStore Services::accounts() { return core::AccountStore(store()); }
core::EventLog Services::events() { return core::EventLog(store()); }
core::ClarificationStore Services::clarifications() { return core::ClarificationStore(store()); }

core::Queue& Services::queue() {
  if (!t_queue) {
    try {
      // check_config() made sure the URL parses.
      t_queue = std::make_unique<core::Queue>(
          core::parse_redis_url(config_.redis_url).value_or(core::RedisAddress{}));
    } catch (const std::exception& e) {
      spdlog::warn("redis connect failed error={}", log_quote(e.what()));
      throw core::QueueError(std::string("connect: ") + e.what());
    }
  }
  return *t_queue;
}

void Services::drop_store() { t_store.reset(); }
void Services::drop_queue() { t_queue.reset(); }

}  // namespace api
