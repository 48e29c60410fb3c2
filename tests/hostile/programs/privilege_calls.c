// Privilege and namespace calls: setuid(0), setgid(0), mount, unshare of every namespace,
// clone with namespace flags, setns into /proc/self/ns, a new user namespace. All refused.
// expect: exit=0 stdout_has=done stdout_lacks=LEAK
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
static int child_fn(void* arg) {
  (void)arg;
  return 0;
}
int main(void) {
  if (setuid(0) == 0) printf("LEAK: setuid(0)\n");
  if (setgid(0) == 0) printf("LEAK: setgid(0)\n");
  if (seteuid(0) == 0) printf("LEAK: seteuid(0)\n");
  if (mount("none", "/tmp", "tmpfs", 0, 0) == 0) printf("LEAK: mount tmpfs\n");
  if (mount("proc", "/tmp", "proc", 0, 0) == 0) printf("LEAK: mount proc\n");
  if (umount2("/box", MNT_DETACH) == 0) printf("LEAK: umount /box\n");
  int flags[] = {CLONE_NEWUSER, CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWUTS,
                 CLONE_NEWIPC, CLONE_NEWCGROUP, CLONE_NEWUSER | CLONE_NEWNS};
  static char stack[64 * 1024];
  for (size_t i = 0; i < sizeof flags / sizeof *flags; ++i) {
    if (unshare(flags[i]) == 0) printf("LEAK: unshare 0x%x\n", flags[i]);
    int pid = clone(child_fn, stack + sizeof stack, flags[i] | SIGCHLD, 0);
    if (pid > 0) {
      printf("LEAK: clone 0x%x\n", flags[i]);
      waitpid(pid, 0, 0);
    }
  }
  int fd = open("/proc/self/ns/mnt", O_RDONLY);
  if (fd >= 0 && setns(fd, 0) == 0) printf("LEAK: setns\n");
  if (sethostname("pwned", 5) == 0) printf("LEAK: sethostname\n");
  printf("done\n");
  return 0;
}
