// The two ways judge-box runs programs; both go through one Slot (supervisor.h).
#pragma once

#include <string>

#include "options.h"

namespace judge_box {

// `judge-box [options] -- argv...`: set the slot up, run once, print the facts, tear down.
// Returns the exit status (0 ran, 2 sandbox failure with "step: reason" on stderr).
int run_once(const Options& o, int argc, char** argv);

// `judge-box --serve`: see print_usage() for the protocol. Returns the exit status.
int serve(const Options& server);

// Prints {"error": message} as one line on stdout (the server protocol's error answer).
void print_error_line(const std::string& message);

}  // namespace judge_box
