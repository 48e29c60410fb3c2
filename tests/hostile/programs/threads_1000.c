// Tries to start 1000 threads; pids.max (64) must refuse most of them.
// expect: exit=0 limit=processes stdout_has=created= stdout_lacks=created=1000
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>
static void* idle(void* arg) {
  (void)arg;
  sleep(100);
  return NULL;
}
int main(void) {
  int created = 0;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 64 * 1024);
  for (int i = 0; i < 1000; ++i) {
    pthread_t t;
    if (pthread_create(&t, &attr, idle, NULL) == 0) ++created;
  }
  printf("created=%d\n", created);
  fflush(stdout);
  _exit(0);
}
