/* test_jobs.c -- common/jobs.h, jobs in child processes: results come back whatever their size,
 * jobs really run side by side, a job waits for the one it names and sees what the parent
 * learned from it, exclusive jobs never overlap, and a failed or killed job stops the run with
 * its own message. No test depends on how fast the machine is: "side by side" is shown by two
 * jobs that each need the other to be running. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../common/jobs.h"

typedef struct big_result {
  unsigned values[100000];   /* 400 kB: more than a pipe holds */
} big_result;

typedef struct ctx {
  unsigned seed;
  const char *dir;           /* for the rendezvous files */
  unsigned me, other;
  unsigned learned;          /* set by the parent when the job before it finished */
  int fail;                  /* 1: return an error; 2: die by a signal */
} ctx;

static int fill(void *c, void *result, ssa_error *err) {
  const ctx *x = c;
  big_result *r = result;
  if (x->fail == 1) return ssa_fail(err, "job %u: failed on purpose", x->seed);
  if (x->fail == 2) raise(SIGKILL);
  for (unsigned k = 0; k < 100000; k++) r->values[k] = x->seed * 100003u + k + x->learned;
  return 0;
}

static void results_come_back_whole(void **state) {
  (void)state;
  enum { COUNT = 5 };
  static big_result results[COUNT];
  ctx c[COUNT];
  ssa_job jobs[COUNT];
  for (unsigned k = 0; k < COUNT; k++) {
    c[k] = (ctx){.seed = k + 1};
    jobs[k] = (ssa_job){.name = "fill", .run = fill, .ctx = &c[k], .result = &results[k],
                        .result_size = sizeof results[k], .after = -1};
  }
  ssa_error err;
  assert_int_equal(ssa_jobs_run(jobs, COUNT, 2, NULL, NULL, &err), 0);
  for (unsigned k = 0; k < COUNT; k++)
    for (unsigned v = 0; v < 100000; v += 997)
      assert_int_equal(results[k].values[v], (k + 1) * 100003u + v);
}

static void touch(const char *dir, unsigned id) {
  char path[512];
  snprintf(path, sizeof path, "%s/%u", dir, id);
  int fd = open(path, O_CREAT | O_WRONLY, 0600);
  if (fd >= 0) close(fd);
}

static int exists(const char *dir, unsigned id) {
  char path[512];
  struct stat st;
  snprintf(path, sizeof path, "%s/%u", dir, id);
  return stat(path, &st) == 0;
}

/* Says it is running, then waits (up to 60 s) for the other job to say so too. */
static int meet(void *c, void *result, ssa_error *err) {
  const ctx *x = c;
  touch(x->dir, x->me);
  for (unsigned k = 0; k < 6000; k++) {
    if (exists(x->dir, x->other)) {
      *(int *)result = 1;
      return 0;
    }
    nanosleep(&(struct timespec){0, 10000000}, NULL);
  }
  return ssa_fail(err, "job %u: job %u never ran beside it", x->me, x->other);
}

static void two_workers_run_two_jobs_at_once(void **state) {
  (void)state;
  char dir[] = "/tmp/ssa-test-jobs-XXXXXX";
  assert_non_null(mkdtemp(dir));
  ctx c[2] = {{.dir = dir, .me = 0, .other = 1}, {.dir = dir, .me = 1, .other = 0}};
  int met[2] = {0, 0};
  ssa_job jobs[2];
  for (unsigned k = 0; k < 2; k++)
    jobs[k] = (ssa_job){.name = "meet", .run = meet, .ctx = &c[k], .result = &met[k],
                        .result_size = sizeof met[k], .after = -1};
  ssa_error err;
  int rc = ssa_jobs_run(jobs, 2, 2, NULL, NULL, &err);
  for (unsigned k = 0; k < 2; k++) {
    char path[512];
    snprintf(path, sizeof path, "%s/%u", dir, k);
    unlink(path);
  }
  rmdir(dir);
  if (rc != 0) fail_msg("%s", err.msg);
  assert_true(met[0] && met[1]);
}

typedef struct stamp {
  double start, end;
} stamp;

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int stamped(void *c, void *result, ssa_error *err) {
  (void)c;
  (void)err;
  stamp *s = result;
  s->start = now();
  nanosleep(&(struct timespec){0, 30000000}, NULL);
  s->end = now();
  return 0;
}

/* Four exclusive jobs among four others on three workers: no two exclusive ones overlap. */
static void exclusive_jobs_never_overlap(void **state) {
  (void)state;
  enum { COUNT = 8 };
  stamp s[COUNT];
  ssa_job jobs[COUNT];
  for (unsigned k = 0; k < COUNT; k++)
    jobs[k] = (ssa_job){.name = "stamped", .run = stamped, .result = &s[k],
                        .result_size = sizeof s[k], .after = -1, .exclusive = k % 2 == 0};
  ssa_error err;
  assert_int_equal(ssa_jobs_run(jobs, COUNT, 3, NULL, NULL, &err), 0);
  for (unsigned a = 0; a < COUNT; a += 2)
    for (unsigned b = a + 2; b < COUNT; b += 2)
      assert_true(s[a].end <= s[b].start || s[b].end <= s[a].start);
}

static void learn(const ssa_job *job, unsigned index, void *arg) {
  ctx *all = arg;
  const big_result *r = job->result;
  /* what job 0 found, handed to job 1 before it starts */
  if (index == 0) all[1].learned = r->values[0];
}

static void a_job_waits_and_sees_what_the_parent_learned(void **state) {
  (void)state;
  static big_result results[2];
  ctx c[2] = {{.seed = 7}, {.seed = 9}};
  /* listed first, but it waits for job 0 */
  ssa_job jobs[2] = {
      {.name = "first", .run = fill, .ctx = &c[0], .result = &results[0],
       .result_size = sizeof results[0], .after = -1},
      {.name = "second", .run = fill, .ctx = &c[1], .result = &results[1],
       .result_size = sizeof results[1], .after = 0},
  };
  ssa_error err;
  assert_int_equal(ssa_jobs_run(jobs, 2, 2, learn, c, &err), 0);
  assert_int_equal(results[0].values[0], 7u * 100003u);
  assert_int_equal(results[1].values[0], 9u * 100003u + 7u * 100003u);
}

static void a_failed_job_stops_the_run_with_its_message(void **state) {
  (void)state;
  static big_result results[3];
  ctx c[3] = {{.seed = 1}, {.seed = 2, .fail = 1}, {.seed = 3}};
  ssa_job jobs[3];
  for (unsigned k = 0; k < 3; k++)
    jobs[k] = (ssa_job){.name = "fill", .run = fill, .ctx = &c[k], .result = &results[k],
                        .result_size = sizeof results[k], .after = k == 2 ? 1 : -1};
  ssa_error err;
  assert_int_equal(ssa_jobs_run(jobs, 3, 2, NULL, NULL, &err), -1);
  assert_string_equal(err.msg, "job 2: failed on purpose");
}

static void a_killed_job_is_named(void **state) {
  (void)state;
  static big_result result;
  ctx c = {.seed = 1, .fail = 2};
  ssa_job job = {.name = "the big one", .run = fill, .ctx = &c, .result = &result,
                 .result_size = sizeof result, .after = -1};
  ssa_error err;
  assert_int_equal(ssa_jobs_run(&job, 1, 2, NULL, NULL, &err), -1);
  assert_string_equal(err.msg,
                      "the big one: its process was killed by signal 9 (out of memory?)");
}

static void a_job_waiting_for_itself_is_refused(void **state) {
  (void)state;
  int result;
  ssa_job job = {.name = "loop", .run = stamped, .result = &result, .result_size = 0,
                 .after = 0};
  ssa_error err;
  assert_int_equal(ssa_jobs_run(&job, 1, 2, NULL, NULL, &err), -1);
  assert_string_equal(err.msg, "jobs: 1 of 1 wait for a job that cannot finish");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(results_come_back_whole),
      cmocka_unit_test(two_workers_run_two_jobs_at_once),
      cmocka_unit_test(exclusive_jobs_never_overlap),
      cmocka_unit_test(a_job_waits_and_sees_what_the_parent_learned),
      cmocka_unit_test(a_failed_job_stops_the_run_with_its_message),
      cmocka_unit_test(a_killed_job_is_named),
      cmocka_unit_test(a_job_waiting_for_itself_is_refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
