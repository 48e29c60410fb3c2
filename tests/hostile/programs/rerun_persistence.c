// Two submissions in a row on the same slot: the first plants state everywhere it can (a /tmp
// file, SysV shared memory and message queue, a POSIX message queue, a lingering child); the
// second must find none of it. Guards against a box (or /tmp) reused between runs.
// expect: exit=0 stdout_has=probed stdout_lacks=LEAK
// needs: rerun
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/shm.h>
#include <unistd.h>
enum { kKey = 0x4842 };
static int plant(void) {
  int fd = open("/tmp/planted", O_WRONLY | O_CREAT, 0644);
  if (fd < 0 || write(fd, "x", 1) != 1) return 1;
  int shm = shmget(kKey, 4096, IPC_CREAT | 0666);
  if (shm >= 0) strcpy(shmat(shm, 0, 0), "planted");
  msgget(kKey, IPC_CREAT | 0666);
  struct mq_attr attr = {0, 4, 64, 0};
  mq_open("/planted", O_CREAT | O_RDWR, 0666, &attr);
  if (fork() == 0) {
    setsid();
    for (int s = 1; s < 32; ++s) signal(s, SIG_IGN);
    for (;;) pause();
  }
  return 0;
}
static int probe(void) {
  if (access("/tmp/planted", F_OK) == 0) printf("LEAK: /tmp survived the previous run\n");
  if (shmget(kKey, 0, 0) >= 0) printf("LEAK: SysV shm survived\n");
  if (msgget(kKey, 0) >= 0) printf("LEAK: SysV msg queue survived\n");
  if (mq_open("/planted", O_RDONLY) != (mqd_t)-1) printf("LEAK: POSIX mq survived\n");
  printf("probed\n");
  return 0;
}
int main(int argc, char** argv) {
  if (argc > 1 && strcmp(argv[argc - 1], "plant") == 0) return plant();
  return probe();
}
