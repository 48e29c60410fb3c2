// Connects to the host's loopback services: the test's own listener (v4 and v6), Postgres,
// Redis, an abstract unix socket of the test process. Every connect must fail.
// expect: exit=0 stdout_has=done stdout_lacks=LEAK
// args: {port} {port6} {pg} {redis} {abstract}
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
static void tcp4(int port) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  if (s < 0) return;
  struct sockaddr_in a = {0};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(s, (struct sockaddr*)&a, sizeof a) == 0) printf("LEAK: connected 127.0.0.1:%d\n", port);
  close(s);
}
static void tcp6(int port) {
  int s = socket(AF_INET6, SOCK_STREAM, 0);
  if (s < 0 || port == 0) return;
  struct sockaddr_in6 a = {0};
  a.sin6_family = AF_INET6;
  a.sin6_port = htons(port);
  a.sin6_addr = in6addr_loopback;
  if (connect(s, (struct sockaddr*)&a, sizeof a) == 0) printf("LEAK: connected [::1]:%d\n", port);
  close(s);
}
int main(int argc, char** argv) {
  if (argc < 6) return 2;
  tcp4(atoi(argv[1]));
  tcp6(atoi(argv[2]));
  for (int i = 3; i <= 4; ++i) { tcp4(atoi(argv[i])); tcp6(atoi(argv[i])); }
  int s = socket(AF_UNIX, SOCK_STREAM, 0);
  if (s >= 0) {
    struct sockaddr_un a = {0};
    a.sun_family = AF_UNIX;
    size_t n = strlen(argv[5]);
    memcpy(a.sun_path + 1, argv[5], n);
    if (connect(s, (struct sockaddr*)&a, offsetof(struct sockaddr_un, sun_path) + 1 + n) == 0)
      printf("LEAK: connected abstract @%s\n", argv[5]);
  }
  printf("done\n");
  return 0;
}
