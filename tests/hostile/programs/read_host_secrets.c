// Reads the host's secrets by their usual paths. Each must fail or not exist in the box.
// expect: exit=0 stdout_has=done stdout_lacks=LEAK
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
static void try_read(const char* path) {
  char buf[256];
  int fd = open(path, O_RDONLY);
  if (fd < 0) return;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  if (n > 0) {
    buf[n] = 0;
    printf("LEAK: %s: %.60s\n", path, buf);
  }
  close(fd);
}
// Lists path; any entry but `allowed` (NULL: none) is a leak.
static void try_list_except(const char* path, const char* allowed) {
  DIR* d = opendir(path);
  if (!d) return;
  struct dirent* e;
  while ((e = readdir(d)))
    if (e->d_name[0] != '.' && !(allowed && strcmp(e->d_name, allowed) == 0))
      printf("LEAK: %s lists %s\n", path, e->d_name);
  closedir(d);
}
static void try_list(const char* path) { try_list_except(path, NULL); }
int main(void) {
  const char* files[] = {"/etc/shadow", "/etc/gshadow", "/etc/sudoers", "/root/.bash_history",
                         "/root/.ssh/id_rsa", "/etc/ssh/ssh_host_ed25519_key",
                         "/etc/ssh/ssh_host_rsa_key", "/var/lib/postgresql/.pgpass",
                         "/etc/redis/redis.conf", "/proc/kcore", "/dev/mem", "/dev/sda"};
  for (size_t i = 0; i < sizeof files / sizeof *files; ++i) try_read(files[i]);
  const char* dirs[] = {"/root", "/home", "/work", "/srv", "/run", "/sys"};
  for (size_t i = 0; i < sizeof dirs / sizeof *dirs; ++i) try_list(dirs[i]);
  // The box binds GHC's package db (read-only): /var holds that and nothing else.
  try_list_except("/var", "lib");
  try_list_except("/var/lib", "ghc");
  try_list_except("/var/lib/ghc", "package.conf.d");
  printf("done\n");
  return 0;
}
