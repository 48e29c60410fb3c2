// The zygote: a small single-threaded process per slot, forked by the server once, attached to
// the box's cgroups once, living in the slot's prepared network namespace and in a private mount
// namespace whose root is the template root. Per run it receives the request (the run's option
// arguments) and its fds over a SOCK_SEQPACKET socket, clone()s the box's init into fresh pid,
// mount, ipc and uts namespaces (born inside the cgroups: no cgroup attach per run), reaps init
// and answers with one InitReport (kInitExited, or kSetupFailed when init could not start).
#pragma once

#include <string>
#include <vector>

#include "child_plan.h"
#include "options.h"

namespace judge_box {

// The fds that travel with a request, in this order.
enum RequestFd { kStdinFd, kStdoutFd, kStderrFd, kReportFd, kWorkDirFd, kRequestFdCount };

// Zygote side. First sends kZygoteReady (or kSetupFailed) on control_fd. Never returns; exits
// when the server closes the socket or dies.
[[noreturn]] void run_zygote(const ChildPlan& slot_plan, const Options& server, int control_fd);

// Server side. Sends args (NUL-separated) and fds; throws SysError.
void send_request(int control_fd, const std::vector<std::string>& args,
                  const int (&fds)[kRequestFdCount]);
// Server side. Receives one InitReport; returns false when the zygote is gone.
bool receive_report(int control_fd, InitReport& report);

}  // namespace judge_box
