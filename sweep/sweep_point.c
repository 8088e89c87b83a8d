/* sweep_point.c -- `ssa sweep point DIR ID -- COMMAND...`: the line every runner runs. Runs the
 * command (ssa itself, as a child: a crash is the point's failure, not the runner's), its
 * output into logs/ID.log, and writes results/ID.json whole: status ok with the command's JSON
 * figures, or failed with its exit status and error line. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../common/cleanup.h"
#include "../common/clock.h"
#include "../common/json.h"
#include "../common/json_read.h"
#include "../common/outfile.h"
#include "../common/process.h"
#include "sweep.h"
#include "sweep_dir.h"

#define MAX_ARGS (SSA_SWEEP_MAX_WORDS + 2 * (SSA_SWEEP_MAX_SET + SSA_SWEEP_MAX_VARY) + 8)

/* The command's one-line error: the last line of its log that starts with "ssa" (every command
 * prints its error so), else the last line, else what the run itself said. */
static void error_line(const char *log, const char *fallback, char *buf, size_t len) {
  snprintf(buf, len, "%s", fallback);
  char *text;
  size_t n;
  ssa_error ignored;
  if (ssa_read_file(log, &text, &n, &ignored) != 0) return;
  const char *last = NULL, *last_ssa = NULL;
  for (char *line = strtok(text, "\n"); line != NULL; line = strtok(NULL, "\n")) {
    if (line[0] == '\0') continue;
    last = line;
    if (strncmp(line, "ssa", 3) == 0) last_ssa = line;
  }
  if (last_ssa != NULL) snprintf(buf, len, "%s", last_ssa);
  else if (last != NULL) snprintf(buf, len, "%s", last);
  free(text);
}

/* Runs the command and waits for it. Its status: the exit status, or -1 (with why in `what`)
 * when it was killed or did not start. It is ssa, in a process group of its own that a signal
 * to this point reaches whole: it stops its own tools and removes its temporaries
 * (common/cleanup.h), where a SIGKILL would leave them. */
static int run_command(const char *const *args, const char *log, char *what, size_t len) {
  ssa_error err = {{0}};
  pid_t pid = ssa_start_tool("sweep point", args, NULL, log, SSA_CLEANUP_SIGNAL_GROUP, &err);
  if (pid < 0) {
    snprintf(what, len, "%.900s", err.msg);
    return -1;
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) {
      snprintf(what, len, "sweep point: lost the command: %s", strerror(errno));
      ssa_cleanup_forget_child(pid);
      return -1;
    }
  ssa_cleanup_forget_child(pid);
  if (WIFEXITED(status)) {
    snprintf(what, len, "the command failed with exit status %d", WEXITSTATUS(status));
    return WEXITSTATUS(status);
  }
  snprintf(what, len, "the command was killed by signal %d", WTERMSIG(status));
  return -1;
}

static int write_result(const char *path, const char *id, const char *figures, int status,
                        const char *error, double seconds, ssa_error *err) {
  char *doc = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&doc, &len);
  if (f == NULL) return ssa_fail(err, "out of memory");
  fprintf(f, "{\"id\": \"%s\"", id);
  ssa_json_member_string(f, "status", figures != NULL ? "ok" : "failed");
  fprintf(f, ", \"exit\": %d", status);
  ssa_json_member_number(f, "seconds", seconds);
  if (error != NULL) ssa_json_member_string(f, "error", error);
  if (figures != NULL) {
    size_t n = strlen(figures);
    while (n > 0 && (figures[n - 1] == '\n' || figures[n - 1] == ' ')) n--;
    fprintf(f, ",\n \"figures\": %.*s", (int)n, figures);
  }
  fputs("}\n", f);
  int bad = ferror(f);
  bad |= fclose(f) != 0;
  int rc = bad ? ssa_fail(err, "out of memory") : ssa_write_file(path, doc, len, err);
  free(doc);
  return rc;
}

int ssa_sweep_point(const char *dir, const char *id, int argc, char **argv, const char *self,
                    ssa_error *err) {
  if (!ssa_sweep_id_ok(id)) return ssa_fail(err, "sweep point: bad point id '%s'", id);
  if (argc < 2 || argc > (int)MAX_ARGS - 4)
    return ssa_fail(err, "sweep point: expected '-- COMMAND KIND [options]' after the id");
  const char *cmd = argv[0];
  int wants_json = strcmp(cmd, "synth") == 0 || strcmp(cmd, "energy") == 0;
  if (!wants_json && strcmp(cmd, "sim") != 0)
    return ssa_fail(err, "sweep point: the command must be %s, not '%s'", SSA_SWEEP_COMMANDS,
                    cmd);
  char name[64], result[SSA_SWEEP_PATH], log[SSA_SWEEP_PATH], out[SSA_SWEEP_PATH];
  snprintf(name, sizeof name, "results/%s.json", id);
  if (ssa_sweep_path(result, sizeof result, dir, name, err) != 0) return -1;
  snprintf(name, sizeof name, "logs/%s.log", id);
  if (ssa_sweep_path(log, sizeof log, dir, name, err) != 0) return -1;
  snprintf(name, sizeof name, "logs/%s.figures.json", id);
  if (ssa_sweep_path(out, sizeof out, dir, name, err) != 0) return -1;
  struct stat st;
  if (stat(result, &st) == 0) {
    fprintf(stderr, "ssa sweep: %s: done already\n", id);
    return 0;
  }
  if (ssa_outfile_check(result, err) != 0 || ssa_outfile_check(log, err) != 0) return -1;
  FILE *lf = fopen(log, "w");  /* a new log for each attempt */
  if (lf == NULL || fclose(lf) != 0) return ssa_fail(err, "%s: cannot write", log);
  unlink(out);

  const char *args[MAX_ARGS];
  unsigned n = 0;
  args[n++] = self;
  for (int k = 0; k < argc; k++) args[n++] = argv[k];
  if (wants_json) {
    args[n++] = "--json";
    args[n++] = out;
  }
  args[n] = NULL;
  double start = ssa_seconds_now();
  char what[1024];
  int status = run_command(args, log, what, sizeof what);
  double seconds = ssa_seconds_now() - start;

  char *figures = NULL;
  char error[1024];
  if (status == 0 && wants_json) {
    size_t len;
    ssa_json_value v;
    ssa_error read_err = {{0}};
    if (ssa_read_file(out, &figures, &len, &read_err) != 0 ||
        ssa_json_parse(out, figures, &v, &read_err) != 0) {
      free(figures);
      figures = NULL;
      snprintf(error, sizeof error, "%s", read_err.msg);
      status = -1;
    } else {
      ssa_json_value_free(&v);
    }
  } else if (status == 0) {
    figures = strdup("{}");  /* sim: exit 0 means every output bit of every clock agreed */
    if (figures == NULL) return ssa_fail(err, "out of memory");
  } else {
    error_line(log, what, error, sizeof error);
  }
  unlink(out);
  int rc = write_result(result, id, figures, status, figures != NULL ? NULL : error, seconds, err);
  free(figures);
  if (rc != 0) return -1;
  if (status != 0) fprintf(stderr, "ssa sweep: %s failed: %s\n", id, error);
  return 0;
}
