#include "options.h"

#include <getopt.h>

#include <charconv>
#include <limits>

namespace judge_box {
namespace {

enum OptionId {
  kSlot = 256,
  kTag,
  kCpuMs,
  kWallMs,
  kMemKib,
  kProcs,
  kOutKib,
  kOpenFiles,
  kWorkDir,
  kRw,
  kStdin,
  kStdout,
  kStderr,
  kEnv,
  kHelp,
  kServe,
};

const option kLongOptions[] = {
    {"slot", required_argument, nullptr, kSlot},
    {"tag", required_argument, nullptr, kTag},
    {"cpu-ms", required_argument, nullptr, kCpuMs},
    {"wall-ms", required_argument, nullptr, kWallMs},
    {"mem-kib", required_argument, nullptr, kMemKib},
    {"procs", required_argument, nullptr, kProcs},
    {"out-kib", required_argument, nullptr, kOutKib},
    {"open-files", required_argument, nullptr, kOpenFiles},
    {"work-dir", required_argument, nullptr, kWorkDir},
    {"rw", no_argument, nullptr, kRw},
    {"stdin", required_argument, nullptr, kStdin},
    {"stdout", required_argument, nullptr, kStdout},
    {"stderr", required_argument, nullptr, kStderr},
    {"env", required_argument, nullptr, kEnv},
    {"help", no_argument, nullptr, kHelp},
    {"serve", no_argument, nullptr, kServe},
    {nullptr, 0, nullptr, 0},
};

int64_t parse_int(const char* name, const char* text, int64_t min, int64_t max) {
  std::string_view sv(text);
  int64_t value = 0;
  auto [end, ec] = std::from_chars(sv.data(), sv.data() + sv.size(), value);
  if (ec != std::errc() || end != sv.data() + sv.size() || value < min || value > max) {
    throw UsageError(std::string("--") + name + ": expected an integer in [" + std::to_string(min) +
                     ", " + std::to_string(max) + "], got '" + text + "'");
  }
  return value;
}

// Tags become path components and cgroup names: keep them boring.
void check_tag(const std::string& tag) {
  bool ok = !tag.empty() && tag.size() <= 32;
  for (char c : tag) {
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '_' || c == '.' || c == '-');
  }
  if (!ok || tag[0] == '.')
    throw UsageError("--tag: 1-32 characters of [A-Za-z0-9_.-], got '" + tag + "'");
}

void check_env(const std::string& kv) {
  size_t eq = kv.find('=');
  if (eq == std::string::npos || eq == 0)
    throw UsageError("--env: expected KEY=VALUE, got '" + kv + "'");
}

void apply(Options& o, int id, const char* arg) {
  constexpr int64_t kBig = std::numeric_limits<int32_t>::max();
  constexpr int64_t kHuge = int64_t{1} << 40;
  switch (id) {
    case kSlot:
      o.slot = static_cast<int>(parse_int("slot", arg, 0, kMaxSlot));
      break;
    case kTag:
      o.tag = arg;
      check_tag(o.tag);
      break;
    case kCpuMs:
      o.cpu_ms = parse_int("cpu-ms", arg, 1, kBig);
      break;
    case kWallMs:
      o.wall_ms = parse_int("wall-ms", arg, 1, kBig);
      break;
    case kMemKib:
      o.mem_kib = parse_int("mem-kib", arg, 1024, kHuge);
      break;
    case kProcs:
      o.procs = static_cast<int>(parse_int("procs", arg, 1, 100000));
      break;
    case kOutKib:
      o.out_kib = parse_int("out-kib", arg, 1, kHuge);
      break;
    case kOpenFiles:
      o.open_files = static_cast<int>(parse_int("open-files", arg, 4, 1 << 20));
      break;
    case kWorkDir:
      o.work_dir = arg;
      break;
    case kRw:
      o.work_dir_rw = true;
      break;
    case kStdin:
      o.stdin_path = arg;
      break;
    case kStdout:
      o.stdout_path = arg;
      break;
    case kStderr:
      o.stderr_path = arg;
      break;
    case kEnv:
      check_env(arg);
      o.env.emplace_back(arg);
      break;
    case kHelp:
      o.help = true;
      break;
    case kServe:
      o.serve = true;
      break;
    default:
      throw UsageError("unknown option (see --help)");
  }
}

}  // namespace

Options parse_options(int argc, char** argv) {
  Options o;
  opterr = 0;  // We report errors ourselves, naming the option.
  optind = 0;  // glibc: 0 fully reinitializes getopt (the server parses many requests).
  int id = 0;
  // "+": stop at the first non-option so the program's own options are never parsed here.
  while ((id = getopt_long(argc, argv, "+", kLongOptions, nullptr)) != -1) {
    if (id == '?' || id == ':') {
      const char* bad = argv[optind - 1];
      throw UsageError(std::string("bad option or missing value: '") + bad + "' (see --help)");
    }
    apply(o, id, optarg);
  }
  if (o.help) return o;
  if (o.serve) {
    if (optind < argc) throw UsageError("--serve takes no program");
    return o;
  }
  if (optind < argc && std::string_view(argv[optind - 1]) != "--") {
    throw UsageError(std::string("expected '--' before the program, got '") + argv[optind] + "'");
  }
  for (int i = optind; i < argc; ++i) o.argv.emplace_back(argv[i]);
  if (o.argv.empty()) throw UsageError("missing program: judge-box [options] -- argv...");
  if (o.work_dir.empty() || o.work_dir[0] != '/')
    throw UsageError("--work-dir: an absolute path is required");
  return o;
}

Options parse_request(const Options& server, const std::vector<std::string>& args) {
  std::vector<std::string> storage;
  storage.reserve(args.size() + 1);
  storage.emplace_back("judge-box");
  storage.insert(storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& s : storage) argv.push_back(s.data());
  argv.push_back(nullptr);
  Options o = parse_options(static_cast<int>(storage.size()), argv.data());
  if (o.serve || o.help) throw UsageError("--serve/--help are not run options");
  o.slot = server.slot;
  o.tag = server.tag;
  return o;
}

void print_usage(std::FILE* out) {
  std::fputs(
      "usage: judge-box [options] -- program [args...]\n"
      "Runs one program in a fresh sandbox (run as root) and prints one JSON line of facts:\n"
      "  exited, exit_code, signal, cpu_ms, wall_ms, peak_memory_kib, oom_killed,\n"
      "  limit_hit (none|cpu|wall|memory|output|processes), output_truncated.\n"
      "Exit status 0 when the run happened (whatever the program did); 2 with\n"
      "'step: reason' on stderr when the sandbox itself failed or the options are bad.\n"
      "\n"
      "  --slot N          box slot 0-999: uid/gid 61000+N, cgroup and root names (0)\n"
      "  --tag NAME        name prefix of cgroups and /run/judge-box/<tag>-<slot> (box)\n"
      "  --cpu-ms N        CPU time limit of the whole process tree (1000)\n"
      "  --wall-ms N       wall time limit (3000)\n"
      "  --mem-kib N       memory (RAM+swap) limit of the tree, >= 1024 (262144)\n"
      "  --procs N         processes+threads alive at once (64)\n"
      "  --out-kib N       size limit of stdout, stderr and any file written (65536)\n"
      "  --open-files N    RLIMIT_NOFILE (64)\n"
      "  --work-dir DIR    host dir mounted at /box, the program's cwd (required)\n"
      "  --rw              /box writable, its regular files copied back to DIR after the run\n"
      "                    (default: read-only). /box is a tmpfs sized by --mem-kib, filled\n"
      "                    with copies of DIR's regular files before the run\n"
      "  --stdin PATH      host file for fd 0, opened before entering the box (/dev/null)\n"
      "  --stdout PATH     host file for fd 1, created/truncated (/dev/null)\n"
      "  --stderr PATH     host file for fd 2, created/truncated (/dev/null)\n"
      "  --env KEY=VALUE   environment entry, repeatable; nothing else is inherited\n"
      "                    (PATH defaults to /usr/bin:/bin)\n"
      "  --help            this text\n"
      "\n"
      "judge-box --serve --slot N --tag NAME: keep the slot's cgroups and a zygote process\n"
      "alive and answer requests: one JSON line {\"args\":[options..., \"--\", argv...]} on\n"
      "stdin -> one JSON line of facts, or {\"error\":\"step: reason\"}, on stdout. The first\n"
      "line printed is {\"ready\":true,\"cgroup\":\"v1\"|\"v2\"} (the cgroup setup found) or\n"
      "{\"error\":...}. EOF on stdin: clean up, exit 0.\n",
      out);
}

}  // namespace judge_box
