// Writes everywhere it can name: the canary outside the box (by its host path), the read-only
// work dir, the root, /usr, and a hard link or symlink trick towards the canary.
// expect: exit=0 stdout_has=done stdout_lacks=LEAK
// args: {canary} {canary_dir} {work_dir}
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
static void try_create(const char* path) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
  if (fd >= 0) {
    printf("LEAK: created %s\n", path);
    close(fd);
  }
}
int main(int argc, char** argv) {
  if (argc < 4) return 2;
  int fd = open(argv[1], O_WRONLY | O_TRUNC);
  if (fd >= 0) printf("LEAK: opened the canary for writing\n");
  char path[512];
  snprintf(path, sizeof path, "%s/new", argv[2]);
  try_create(path);
  snprintf(path, sizeof path, "%s/new", argv[3]);
  try_create(path);
  try_create("/box/new");
  try_create("/new");
  try_create("/usr/new");
  try_create("/etc/passwd");
  if (link(argv[1], "/tmp/canary") == 0) printf("LEAK: hard link to the canary\n");
  if (symlink(argv[1], "/tmp/link") == 0) {
    fd = open("/tmp/link", O_WRONLY);
    if (fd >= 0) printf("LEAK: canary writable through a symlink\n");
  }
  if (chmod("/box", 0777) == 0) printf("LEAK: chmod /box\n");
  printf("done\n");
  return 0;
}
