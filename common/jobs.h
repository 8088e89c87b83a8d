/* jobs.h -- independent pieces of long work run side by side, each in a child process of its
 * own: Yosys, nextpnr and the gate simulator are single-threaded, so on a machine of W cores W
 * of them at once finish the list in about 1/W of the time. A process rather than a thread per
 * job, because a job's memory (a gate simulation of 100 million cells) is given back when it
 * ends, and a job needs no locking: it fills a plain result struct that the parent receives
 * through a pipe. */
#ifndef SSA_JOBS_H
#define SSA_JOBS_H

#include <stddef.h>

#include "error.h"

/* A job fills result (result_size bytes, no pointers: it is copied between processes) and
 * returns 0, or fills err and returns -1. It runs in a child: what it changes besides result
 * is lost. */
typedef int (*ssa_job_fn)(void *ctx, void *result, ssa_error *err);

typedef struct ssa_job {
  const char *name;         /* for messages: "SC attention, share=unit, N=64" */
  ssa_job_fn run;
  void *ctx;
  void *result;
  size_t result_size;
  int after;                /* a job that must have finished first, or -1 */
  int exclusive;            /* needs much memory: never runs beside another exclusive job */
} ssa_job;

/* Called in the parent as each job finishes well, before any job that waits for it starts:
 * what the job's result changes in the parent's state, its dependents see. */
typedef void (*ssa_job_done_fn)(const ssa_job *job, unsigned index, void *arg);

/* Runs jobs[0 .. count) in up to `workers` processes at once, starting the first ready job in
 * list order whenever one ends. Returns 0 when every job succeeded; otherwise the error of the
 * first job that failed (the running ones are stopped, no new one starts). */
int ssa_jobs_run(const ssa_job *jobs, unsigned count, unsigned workers, ssa_job_done_fn done,
                 void *arg, ssa_error *err);

/* The processors online: the default number of workers. */
unsigned ssa_jobs_processors(void);

#endif
