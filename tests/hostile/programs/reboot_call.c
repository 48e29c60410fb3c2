// The reboot call. Safety first: probe with the harmless CAD_OFF command; only if that is
// refused with EPERM (as it must be) try a real restart, which must be refused too.
// expect: exit=0 stdout_has=reboot_denied stdout_lacks=LEAK
#include <errno.h>
#include <linux/reboot.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>
static long rb(unsigned cmd) {
  return syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, cmd, 0);
}
int main(void) {
  if (rb(LINUX_REBOOT_CMD_CAD_OFF) == 0 || errno != EPERM) {
    printf("LEAK: reboot(CAD_OFF) passed the privilege check (errno %d)\n", errno);
    return 0;
  }
  if (rb(LINUX_REBOOT_CMD_RESTART) == 0 || errno != EPERM) {
    printf("LEAK: reboot(RESTART) not refused (errno %d)\n", errno);
    return 0;
  }
  printf("reboot_denied\n");
  return 0;
}
