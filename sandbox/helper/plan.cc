#include "plan.h"

#include <glob.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <memory>

#include "sys_util.h"

namespace judge_box {
namespace {

// Dangerous calls denied with EPERM. The box is unprivileged anyway; this is depth.
constexpr const char* kDeniedSyscalls[] = {
    "ptrace",
    "mount",
    "umount2",
    "pivot_root",
    "chroot",
    "unshare",
    "setns",
    "kexec_load",
    "kexec_file_load",
    "init_module",
    "finit_module",
    "delete_module",
    "reboot",
    "swapon",
    "swapoff",
    "bpf",
    "perf_event_open",
    "add_key",
    "request_key",
    "keyctl",
    "userfaultfd",
    "process_vm_readv",
    "process_vm_writev",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
    "open_by_handle_at",
    "name_to_handle_at",
    "fsopen",
    "fsmount",
    "move_mount",
    "open_tree",
    "acct",
    "quotactl",
    "settimeofday",
    "clock_settime",
    "adjtimex",
    "syslog",
    "lookup_dcookie",
    "vhangup",
    "mount_setattr",
};
constexpr uint64_t kNamespaceFlags[] = {
    CLONE_NEWUSER, CLONE_NEWNS,  CLONE_NEWPID,    CLONE_NEWNET,
    CLONE_NEWIPC,  CLONE_NEWUTS, CLONE_NEWCGROUP,
};
// Directories outside /usr that runtimes follow symlinks into (compilers via alternatives, Java's
// conf/ links into /etc/java-*, GHC's global package db into /var/lib/ghc). Nothing secret lives
// there; all are bound read-only.
constexpr const char* kEtcDirGlobs[] = {"/etc/alternatives", "/etc/java-*", "/var/lib/ghc"};
// fpc.cfg: Free Pascal finds its units only through it.
constexpr const char* kEtcFiles[] = {"/etc/ld.so.cache", "/etc/fpc.cfg"};
// Bounds the work of copying /box back to the host after a ReadWrite run.
constexpr int64_t kCopyMaxFiles = 4096;

struct SeccompCtx {
  void operator()(scmp_filter_ctx ctx) const { seccomp_release(ctx); }
};

void check_seccomp(int rc, const char* step) {
  if (rc < 0) throw SysError(step, -rc);
}

void add_namespace_clone_rules(scmp_filter_ctx ctx) {
  // Any namespace flag in clone()'s flags: one masked rule per flag (rules are OR'ed).
  for (uint64_t flag : kNamespaceFlags) {
    check_seccomp(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
                                   SCMP_A0(SCMP_CMP_MASKED_EQ, flag, flag)),
                  "seccomp clone rule");
  }
  // clone3 passes flags in memory, out of BPF's reach. ENOSYS makes glibc fall back to clone.
  check_seccomp(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0),
                "seccomp clone3 rule");
}

std::vector<sock_filter> export_bpf(scmp_filter_ctx ctx) {
  Fd mem(::memfd_create("judge-box-seccomp", MFD_CLOEXEC));
  if (mem.get() < 0) throw_errno("memfd_create");
  check_seccomp(seccomp_export_bpf(ctx, mem.get()), "seccomp_export_bpf");
  off_t size = ::lseek(mem.get(), 0, SEEK_END);
  if (size <= 0 || size % sizeof(sock_filter) != 0)
    throw SetupError("seccomp: bad exported filter");
  std::vector<sock_filter> prog(static_cast<size_t>(size) / sizeof(sock_filter));
  if (::pread(mem.get(), prog.data(), static_cast<size_t>(size), 0) != size)
    throw_errno("read seccomp filter");
  return prog;
}

std::vector<ReadOnlyBind> read_only_binds() {
  std::vector<ReadOnlyBind> binds{{"/usr", "usr", true}};
  for (const char* pattern : kEtcDirGlobs) {
    glob_t g{};
    if (::glob(pattern, GLOB_ONLYDIR, nullptr, &g) == 0) {
      for (size_t i = 0; i < g.gl_pathc; ++i)
        binds.push_back({g.gl_pathv[i], g.gl_pathv[i] + 1, true});
    }
    ::globfree(&g);
  }
  for (const char* file : kEtcFiles) {
    struct stat st {};
    if (::stat(file, &st) == 0 && S_ISREG(st.st_mode)) binds.push_back({file, file + 1, false});
  }
  return binds;
}

// The hard limit can be lowered but not raised here (no CAP_SYS_RESOURCE): clamp to it.
RlimitSetting clamped(int resource, rlim_t soft, rlim_t hard) {
  rlimit current{};
  ::getrlimit(static_cast<__rlimit_resource_t>(resource), &current);
  RlimitSetting r{resource, {}};
  r.value.rlim_max = std::min(hard, current.rlim_max);
  r.value.rlim_cur = std::min(soft, r.value.rlim_max);
  return r;
}

std::vector<RlimitSetting> rlimits(const Options& o) {
  // RLIMIT_CPU is only a backstop for the helper's own CPU watch (whole seconds, per process).
  rlim_t cpu_s = static_cast<rlim_t>((o.cpu_ms + 999) / 1000 + 1);
  rlim_t out = static_cast<rlim_t>(o.out_kib) * 1024;
  rlim_t mem = static_cast<rlim_t>(o.mem_kib) * 1024;
  rlim_t files = static_cast<rlim_t>(o.open_files);
  return {
      clamped(RLIMIT_CPU, cpu_s, cpu_s + 1),
      clamped(RLIMIT_FSIZE, out, out),
      clamped(RLIMIT_NOFILE, files, files),
      clamped(RLIMIT_STACK, mem, mem),
      clamped(RLIMIT_CORE, 0, 0),
  };
}

void set_program(ChildPlan& plan, const Options& o) {
  plan.argv_storage = o.argv;
  plan.env_storage = o.env;
  plan.path = kDefaultPath;
  bool has_path = false;
  for (const auto& kv : o.env) {
    if (kv.rfind("PATH=", 0) == 0) {
      plan.path = kv.substr(5);
      has_path = true;
    }
  }
  if (!has_path) plan.env_storage.push_back(std::string("PATH=") + kDefaultPath);
  for (auto& s : plan.argv_storage) plan.argv.push_back(s.data());
  plan.argv.push_back(nullptr);
  for (auto& s : plan.env_storage) plan.envp.push_back(s.data());
  plan.envp.push_back(nullptr);
}

}  // namespace

std::vector<sock_filter> build_seccomp_filter() {
  std::unique_ptr<void, SeccompCtx> ctx(seccomp_init(SCMP_ACT_ALLOW));
  if (!ctx) throw SetupError("seccomp_init failed");
  for (const char* name : kDeniedSyscalls) {
    int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR) continue;  // Not on this architecture.
    check_seccomp(seccomp_rule_add(ctx.get(), SCMP_ACT_ERRNO(EPERM), nr, 0), name);
  }
  add_namespace_clone_rules(ctx.get());
  return export_bpf(ctx.get());
}

ChildPlan make_slot_plan(int slot, const std::string& root_dir) {
  ChildPlan plan;
  plan.root_dir = root_dir;
  plan.ro_binds = read_only_binds();
  int id = kBaseUid + slot;
  plan.uid = static_cast<uid_t>(id);
  plan.gid = static_cast<gid_t>(id);
  std::string ids = std::to_string(id);
  plan.passwd = "root:x:0:0:root:/:/usr/sbin/nologin\nbox:x:" + ids + ":" + ids +
                ":box:/box:/usr/sbin/nologin\n";
  plan.group = "root:x:0:\nbox:x:" + ids + ":\n";
  plan.seccomp = build_seccomp_filter();
  return plan;
}

void set_run_plan(ChildPlan& plan, const Options& o) {
  plan.work_dir_rw = o.work_dir_rw;
  // /box and /tmp pages are charged to the box's memory cgroup anyway; the sizes make a full
  // tmpfs an ENOSPC for the program instead of a host disk filling up.
  std::string size = "size=" + std::to_string(o.mem_kib) + "k,nr_inodes=16384";
  plan.tmp_options = size + ",mode=1777";
  plan.box_options = size + ",mode=0755";
  if (o.work_dir_rw)
    plan.box_options += ",uid=" + std::to_string(plan.uid) + ",gid=" + std::to_string(plan.gid);
  plan.copy_max_files = kCopyMaxFiles;
  plan.box_max_bytes = o.mem_kib * 1024;
  plan.rlimits = rlimits(o);
  plan.argv_storage.clear();
  plan.argv.clear();
  plan.envp.clear();
  set_program(plan, o);
}

}  // namespace judge_box
