/* process.c -- external tools, temporary trees, whole-file reads (see process.h). */
#include "process.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"

pid_t ssa_start_tool(const char *what, const char *const argv[], const char *cwd,
                     const char *log_path, int cleanup_group, ssa_error *err) {
  fflush(NULL);
  /* The tool gets a process group of its own, which a killed ssa stops whole (a make and its
   * compilers) before removing the directory they write in (common/cleanup.h). The signals
   * wait until it is registered. */
  sigset_t old;
  ssa_cleanup_block(&old);
  pid_t pid = fork();
  if (pid > 0) {
    setpgid(pid, pid);
    ssa_cleanup_child(pid, cleanup_group);
  }
  if (pid != 0) ssa_cleanup_unblock(&old);
  if (pid < 0) {
    ssa_fail(err, "%s: cannot start %s: %s", what, argv[0], strerror(errno));
    return -1;
  }
  if (pid == 0) {
    setpgid(0, 0);
    ssa_cleanup_forget_all();  /* the parent's to remove, should this child be signalled */
    ssa_cleanup_unblock(&old);
    int fd = log_path != NULL ? open(log_path, O_WRONLY | O_CREAT | O_APPEND, 0644)
                              : open("/dev/null", O_WRONLY);
    if (fd >= 0) {
      dup2(fd, STDOUT_FILENO);
      dup2(fd, STDERR_FILENO);
      close(fd);
    }
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, STDIN_FILENO);
    if (cwd != NULL && chdir(cwd) != 0) _exit(126);
    execvp(argv[0], (char *const *)argv);
    _exit(errno == ENOENT ? 127 : 126);
  }
  return pid;
}

int ssa_run_tool(const char *what, const char *const argv[], const char *cwd,
                 const char *log_path, ssa_error *err) {
  pid_t pid = ssa_start_tool(what, argv, cwd, log_path, 1, err);
  if (pid < 0) return -1;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) {
      ssa_cleanup_forget_child(pid);
      return ssa_fail(err, "%s: lost %s: %s", what, argv[0], strerror(errno));
    }
  ssa_cleanup_forget_child(pid);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return 0;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
    return ssa_fail(err, "%s: %s not found (install it: scripts/setup)", what, argv[0]);
  if (WIFSIGNALED(status))
    return ssa_fail(err, "%s: %s killed by signal %d%s%s", what, argv[0], WTERMSIG(status),
                    log_path ? ", see " : "", log_path ? log_path : "");
  return ssa_fail(err, "%s: %s failed (exit status %d)%s%s", what, argv[0], WEXITSTATUS(status),
                  log_path ? ", see " : "", log_path ? log_path : "");
}

void ssa_remove_tree(const char *path) {
  DIR *dir = opendir(path);
  if (dir != NULL) {
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
      if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
      size_t len = strlen(path) + strlen(e->d_name) + 2;
      char *child = malloc(len);
      if (child == NULL) continue;
      snprintf(child, len, "%s/%s", path, e->d_name);
      struct stat st;
      if (lstat(child, &st) == 0 && S_ISDIR(st.st_mode)) ssa_remove_tree(child);
      else unlink(child);
      free(child);
    }
    closedir(dir);
  }
  rmdir(path);
}

int ssa_input_check(const char *path, ssa_error *err) {
  struct stat st;
  if (stat(path, &st) != 0 || S_ISREG(st.st_mode)) return 0;
  return ssa_fail(err, "%s: not a regular file (%s); inputs are read from files", path,
                  S_ISFIFO(st.st_mode)  ? "a FIFO or pipe"
                  : S_ISDIR(st.st_mode) ? "a directory"
                                        : "a device or socket");
}

int ssa_read_file(const char *path, char **text, size_t *len, ssa_error *err) {
  if (ssa_input_check(path, err) != 0) return -1;
  FILE *f = fopen(path, "rb");
  if (f == NULL) return ssa_fail(err, "%s: %s", path, strerror(errno));
  /* one allocation for a file of known size (a long spike file is hundreds of MB): +2, room
   * for the NUL and for the read that finds the end of the file */
  struct stat st;
  size_t cap = 1 << 16, n = 0;
  if (fstat(fileno(f), &st) == 0 && st.st_size > 0 &&
      (unsigned long long)st.st_size < SIZE_MAX / 2)
    cap = (size_t)st.st_size + 2;
  char *buf = malloc(cap);
  errno = 0;
  while (buf != NULL) {
    n += fread(buf + n, 1, cap - n - 1, f);
    if (n < cap - 1) break;
    char *bigger = cap <= SIZE_MAX / 2 ? realloc(buf, cap * 2) : NULL;
    if (bigger == NULL) free(buf);
    buf = bigger;
    cap *= 2;
  }
  int failed = ferror(f), saved = errno;
  fclose(f);
  if (buf == NULL) return ssa_fail(err, "%s: out of memory reading the file", path);
  if (failed) {
    free(buf);
    return ssa_fail(err, "%s: %s", path, saved != 0 ? strerror(saved) : "read error");
  }
  buf[n] = '\0';
  *text = buf;
  if (len != NULL) *len = n;
  return 0;
}
