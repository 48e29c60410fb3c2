// The sandbox boxes the judge runs programs in. A worker names the judge-box helper and a sandbox
// slot it holds (a host-wide lock); every sandbox configuration is made here, so that the worker
// never builds one.
#pragma once

#include <string>
#include <utility>

#include "judge/judge.h"
#include "sandbox/sandbox.h"
#include "sandbox/self_check.h"

namespace judge {

// The tag (prefix of cgroup and box names) of every box a worker makes, whatever it runs: what a
// killed process left in a slot, the slot's next box removes by name.
inline constexpr const char* kWorkerBoxTag = "judge";

// The real Runner: every run goes through one sandbox box (one per judging thread).
class BoxRunner : public Runner {
 public:
  // A worker's box in sandbox slot `slot` (the caller holds its lock), run by the judge-box
  // helper at helper_path.
  BoxRunner(const std::string& helper_path, int slot);
  // Any box: tests and benchmarks choose tags of their own, so they never collide with a worker.
  explicit BoxRunner(sandbox::BoxConfig config) : box_(std::move(config)) {}
  sandbox::RunResult run(const sandbox::RunSpec& spec) override { return box_.run(spec); }
  void start() override { box_.start(); }

 private:
  sandbox::Box box_;
};

// The sandbox's self-check (sandbox/self_check.h) in a worker's box of its own in `slot`, the
// probes' work dir being work_dir (a dir the box's uid may enter). The box is stopped, its
// cgroups removed, before this returns. Facts only: the caller decides what they mean. Throws
// sandbox::BoxError when the sandbox could not run a probe.
sandbox::SelfCheck sandbox_self_check(const std::string& helper_path, int slot,
                                      const std::string& work_dir);

}  // namespace judge
