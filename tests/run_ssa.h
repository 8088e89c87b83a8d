/* run_ssa.h -- running a program as a user does, the binary under test ($SSA_BIN, set by
 * meson) or a tool, with its output captured: what test_cli and test_report share.
 * Header-only, like skip.h. */
#ifndef SSA_TEST_RUN_SSA_H
#define SSA_TEST_RUN_SSA_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../common/process.h"

typedef struct result {
  int status;      /* the exit status; 126 no such cwd, 127 not run, 128 no exit */
  char *out, *err; /* what it printed */
} result;

static inline void result_free(result *r) {
  free(r->out);
  free(r->err);
}

/* The whole file, or "" when it cannot be read; the caller frees it. */
static inline char *slurp(const char *path) {
  char *text = NULL;
  ssa_error err;
  if (ssa_read_file(path, &text, NULL, &err) != 0) return calloc(1, 1);
  return text;
}

/* Runs argv (argv[0] "ssa" means the binary under test; anything else is looked up in PATH) in
 * `cwd`, no shell, both streams captured through the files .stdout and .stderr of `scratch`,
 * which are removed afterwards. */
static inline result run_captured(const char *scratch, const char *cwd, const char *const *argv) {
  char out_path[4200], err_path[4200];
  snprintf(out_path, sizeof out_path, "%s/.stdout", scratch);
  snprintf(err_path, sizeof err_path, "%s/.stderr", scratch);
  fflush(NULL);
  pid_t pid = fork();
  if (pid == 0) {
    int o = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int e = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0 || chdir(cwd) != 0) _exit(126);
    const char *bin = strcmp(argv[0], "ssa") == 0 ? getenv("SSA_BIN") : argv[0];
    execvp(bin, (char *const *)argv);
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  result r = {WIFEXITED(status) ? WEXITSTATUS(status) : 128, slurp(out_path), slurp(err_path)};
  unlink(out_path);
  unlink(err_path);
  return r;
}

#endif
