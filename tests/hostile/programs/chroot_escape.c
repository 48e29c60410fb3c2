// The classic chroot escape (chroot into a subdir while keeping a cwd outside it, then climb
// "..") and the fd variant. chroot is denied and the box has no host root to climb to anyway.
// expect: exit=0 stdout_has=done stdout_lacks=LEAK
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
int main(void) {
  mkdir("/tmp/jail", 0755);
  int outside = open("/", O_RDONLY | O_DIRECTORY);
  if (chroot("/tmp/jail") == 0) printf("LEAK: chroot allowed\n");
  if (outside >= 0 && fchdir(outside) == 0) {
    for (int i = 0; i < 64; ++i) chdir("..");
    if (chroot(".") == 0) printf("LEAK: second chroot allowed\n");
  }
  if (access("/etc/shadow", F_OK) == 0) printf("LEAK: host /etc/shadow reachable\n");
  if (access("/etc/hostname", F_OK) == 0) printf("LEAK: host /etc/hostname reachable\n");
  if (access("/work", F_OK) == 0 || access("/root", F_OK) == 0) printf("LEAK: host dirs\n");
  printf("done\n");
  return 0;
}
