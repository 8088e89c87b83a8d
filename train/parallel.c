/* parallel.c -- a fork-join over POSIX threads (parallel.h). */
#include "parallel.h"

#include <pthread.h>
#include <string.h>
#include <unistd.h>

typedef struct job {
  void (*fn)(void *ctx, unsigned k);
  void *ctx;
  unsigned k;
} job;

static void *run_job(void *arg) {
  job *j = arg;
  j->fn(j->ctx, j->k);
  return NULL;
}

int ssa_parallel(unsigned threads, void (*fn)(void *ctx, unsigned k), void *ctx, ssa_error *err) {
  if (threads <= 1) {
    fn(ctx, 0);
    return 0;
  }
  if (threads > SSA_MAX_THREADS) threads = SSA_MAX_THREADS;
  pthread_t tid[SSA_MAX_THREADS];
  job jobs[SSA_MAX_THREADS];
  unsigned started = 1;
  for (unsigned k = 1; k < threads; k++, started++) {
    jobs[k] = (job){fn, ctx, k};
    int rc = pthread_create(&tid[k], NULL, run_job, &jobs[k]);
    if (rc != 0) {
      for (unsigned w = 1; w < started; w++) pthread_join(tid[w], NULL);
      return ssa_fail(err, "cannot start a thread: %s", strerror(rc));
    }
  }
  fn(ctx, 0);  /* the calling thread takes the first share */
  for (unsigned k = 1; k < threads; k++) pthread_join(tid[k], NULL);
  return 0;
}

unsigned ssa_cpu_count(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  if (n < 1) return 1;
  return n > (long)SSA_MAX_THREADS ? SSA_MAX_THREADS : (unsigned)n;
}
