// ptrace in every direction: attach to the parent, to pid 1, to its own child, TRACEME, and
// process_vm_readv of the parent. All must be refused.
// expect: exit=0 stdout_has=done stdout_lacks=LEAK
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void) {
  if (ptrace(PTRACE_ATTACH, getppid(), 0, 0) == 0) printf("LEAK: attached to parent\n");
  if (ptrace(PTRACE_SEIZE, 1, 0, 0) == 0) printf("LEAK: seized pid 1\n");
  pid_t child = fork();
  if (child == 0) {
    pause();
    _exit(0);
  }
  if (ptrace(PTRACE_ATTACH, child, 0, 0) == 0) printf("LEAK: attached to own child\n");
  kill(child, SIGKILL);
  waitpid(child, 0, 0);
  if (ptrace(PTRACE_TRACEME, 0, 0, 0) == 0) printf("LEAK: traceme allowed\n");
  char buf[16];
  struct iovec local = {buf, sizeof buf}, remote = {(void*)0x400000, sizeof buf};
  if (process_vm_readv(getppid(), &local, 1, &remote, 1, 0) > 0) printf("LEAK: read parent\n");
  printf("done\n");
  return 0;
}
