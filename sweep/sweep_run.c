/* sweep_run.c -- `ssa sweep run DIR`: the job directory's Makefile run by make, locally, with a
 * progress line. make does the scheduling (and skips the points whose result is there); this
 * only watches results/ appear. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../common/args.h"
#include "../common/cleanup.h"
#include "../common/clock.h"
#include "../common/process.h"
#include "sweep.h"
#include "sweep_dir.h"

typedef struct progress {
  size_t total, done, failed, done_before;
  double seconds_here;   /* the run times of the points finished by this run */
  size_t finished_here;
} progress;

/* Counts the points' states; `seen` remembers which were already counted (and their state). */
static int scan(const char *dir, const ssa_json_value *points, int *seen, progress *p,
                int first, ssa_error *err) {
  for (size_t k = 0; k < points->count; k++) {
    if (seen[k] != SSA_SWEEP_MISSING) continue;
    const char *id = ssa_json_get_string(&points->items[k], "id", "");
    ssa_json_value v;
    int state;
    if (ssa_sweep_read_result(dir, id, &v, &state, err) != 0) return -1;
    if (state == SSA_SWEEP_MISSING) continue;
    seen[k] = state;
    p->done++;
    if (state == SSA_SWEEP_FAILED) p->failed++;
    if (first) {
      p->done_before++;
    } else {
      p->seconds_here += ssa_json_get_number(&v, "seconds", 0);
      p->finished_here++;
    }
    ssa_json_value_free(&v);
  }
  return 0;
}

static void print_progress(const progress *p, unsigned jobs, int tty) {
  char eta[64] = "";
  size_t left = p->total - p->done;
  if (left > 0 && p->finished_here > 0) {
    double s = p->seconds_here / (double)p->finished_here * (double)left / jobs;
    if (s < 90) snprintf(eta, sizeof eta, ", about %.0f s left", s);
    else if (s < 5400) snprintf(eta, sizeof eta, ", about %.0f min left", s / 60);
    else snprintf(eta, sizeof eta, ", about %.1f h left", s / 3600);
  }
  fprintf(stderr, "%sssa sweep: %zu/%zu done (%zu failed), %zu to go%s%s", tty ? "\r" : "",
          p->done, p->total, p->failed, left, eta, tty ? "\033[K" : "\n");
  fflush(stderr);
}

static int remove_failed(const char *dir, const ssa_json_value *points, ssa_error *err) {
  for (size_t k = 0; k < points->count; k++) {
    const char *id = ssa_json_get_string(&points->items[k], "id", "");
    int state;
    if (ssa_sweep_read_result(dir, id, NULL, &state, err) != 0) return -1;
    if (state != SSA_SWEEP_FAILED) continue;
    char name[64], path[SSA_SWEEP_PATH];
    snprintf(name, sizeof name, "results/%s.json", id);
    if (ssa_sweep_path(path, sizeof path, dir, name, err) != 0) return -1;
    if (unlink(path) != 0) return ssa_fail(err, "%s: cannot remove: %s", path, strerror(errno));
  }
  return 0;
}

/* make -k -j J -C DIR, in a process group of its own that a signal to ssa reaches whole:
 * every point cleans up after itself (common/cleanup.h). */
static pid_t start_make(const char *dir, unsigned jobs, const char *log, ssa_error *err) {
  char j[32];
  snprintf(j, sizeof j, "-j%u", jobs);
  const char *argv[] = {"make", "-k", j, "-C", dir, "all", NULL};
  return ssa_start_tool("sweep run", argv, NULL, log, SSA_CLEANUP_SIGNAL_GROUP, err);
}

int ssa_sweep_run(const char *dir, unsigned jobs, int retry_failed, ssa_error *err) {
  ssa_json_value plan;
  const ssa_json_value *points;
  if (ssa_sweep_read_plan(dir, &plan, &points, err) != 0) return -1;
  char log[SSA_SWEEP_PATH];
  int *seen = calloc(points->count ? points->count : 1, sizeof *seen);
  progress p = {.total = points->count};
  int rc = seen == NULL ? ssa_fail(err, "out of memory") : 0;
  if (rc == 0 && retry_failed) rc = remove_failed(dir, points, err);
  if (rc == 0) rc = ssa_sweep_path(log, sizeof log, dir, "logs/make.log", err);
  if (rc == 0) rc = scan(dir, points, seen, &p, 1, err);
  pid_t pid = rc == 0 ? start_make(dir, jobs, log, err) : -1;
  if (pid < 0) {
    free(seen);
    ssa_json_value_free(&plan);
    return -1;
  }
  int tty = isatty(STDERR_FILENO);
  if (p.done_before > 0)
    fprintf(stderr, "ssa sweep: %zu of %zu points done before, running the rest\n",
            p.done_before, p.total);
  print_progress(&p, jobs, tty);
  int status = 0;
  size_t shown = p.done;
  for (;;) {
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r < 0 && errno == EINTR) continue;
    ssa_error scan_err = {{0}};
    /* results appear whole (renamed into place); one that cannot be read is left to collect */
    if (scan(dir, points, seen, &p, 0, &scan_err) == 0 && p.done != shown) {
      print_progress(&p, jobs, tty);
      shown = p.done;
    }
    if (r != 0) break;
    struct timespec tick = {0, 250 * 1000 * 1000};
    nanosleep(&tick, NULL);
  }
  ssa_cleanup_forget_child(pid);
  if (tty) fputc('\n', stderr);
  int make_ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  int exit_status = 0;
  if (!make_ok) {
    fprintf(stderr, "ssa sweep: make %s, see %s\n",
            WIFEXITED(status) && WEXITSTATUS(status) == 127 ? "not found (scripts/setup)"
                                                            : "failed", log);
    exit_status = 1;
  }
  if (p.failed > 0) {
    fprintf(stderr, "ssa sweep: %zu point%s failed (their errors: ssa sweep collect %s; "
            "--retry-failed runs them again)\n", p.failed, p.failed == 1 ? "" : "s", dir);
    exit_status = 1;
  }
  if (p.done < p.total) exit_status = 1;
  printf("%s: %zu/%zu points done, %zu failed\n", dir, p.done, p.total, p.failed);
  free(seen);
  ssa_json_value_free(&plan);
  return exit_status;
}
