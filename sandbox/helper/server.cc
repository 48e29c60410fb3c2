#include "server.h"

#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cstdio>
#include <exception>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "supervisor.h"

namespace judge_box {
namespace {

constexpr int kExitFailure = 2;

void respond(const std::string& line) {
  std::fputs(line.c_str(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

std::string error_line(const std::string& message) {
  return nlohmann::json{{"error", message}}.dump();
}

// The slot broke (the zygote died): we exit after this answer, and the Box may retry the run
// with a new server, since the run never started or its result is lost.
std::string broken_line(const std::string& message) {
  return nlohmann::json{{"error", message}, {"retry", true}}.dump();
}

// One request line -> one response line. Returns false when the slot is broken (exit after).
bool handle(Slot& slot, const Options& server, const std::string& line) {
  try {
    std::vector<std::string> args;
    try {
      args = nlohmann::json::parse(line).at("args").get<std::vector<std::string>>();
    } catch (const nlohmann::json::exception& e) {
      throw UsageError(std::string("bad request line: ") + e.what());
    }
    Options o = parse_request(server, args);
    respond(to_json(slot.run(o, args)));
  } catch (const UsageError& e) {
    respond(error_line(std::string("judge-box: ") + e.what()));
  } catch (const std::exception& e) {
    respond(slot.broken() ? broken_line(e.what()) : error_line(e.what()));
  }
  if (slot.broken()) return false;
  try {
    slot.prepare_next_run();  // After answering: the Box goes on meanwhile.
  } catch (const std::exception& e) {
    // Exactly one answer per request: the next request finds us gone and starts a new server.
    std::fprintf(stderr, "judge-box: %s\n", e.what());
    return false;
  }
  return true;
}

}  // namespace

void print_error_line(const std::string& message) { respond(error_line(message)); }

int run_once(const Options& o, int argc, char** argv) {
  try {
    Slot slot(o);
    std::vector<std::string> args(argv + 1, argv + argc);  // The zygote parses them again.
    std::printf("%s\n", to_json(slot.run(o, args)).c_str());
    return std::fflush(stdout) == 0 ? 0 : kExitFailure;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
  }
  return kExitFailure;
}

int serve(const Options& server) {
  // Fds another thread of the worker leaked into us between its fork and exec would keep that
  // Box's pipes open (it would never see our EOF, nor we its).
  ::close_range(3, ~0U, 0);
  // The Box's thread is our lifeline: if it dies, so do we (the zygote and box follow).
  ::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  std::unique_ptr<Slot> slot;
  try {
    slot = std::make_unique<Slot>(server);
  } catch (const std::exception& e) {
    respond(error_line(e.what()));
    return kExitFailure;
  }
  // The cgroup setup goes to the Box: the worker reports which one it runs on.
  respond(nlohmann::json{{"ready", true}, {"cgroup", slot->cgroup_version()}}.dump());
  std::string line;
  while (std::getline(std::cin, line)) {
    if (!handle(*slot, server, line)) return kExitFailure;  // ~Slot cleans up.
  }
  return 0;
}

}  // namespace judge_box
