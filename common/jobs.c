/* jobs.c -- independent jobs in child processes (see jobs.h). The child sends its return code,
 * its error and its result through a pipe and exits; the parent reads the pipes as they fill,
 * so a result larger than a pipe's buffer cannot block its writer. */
#define _GNU_SOURCE
#include "jobs.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"

enum { WAITING, RUNNING, FINISHED };

typedef struct reply {
  int rc;
  ssa_error err;
} reply;

typedef struct slot {
  unsigned job;
  pid_t pid;
  int fd;
  unsigned char *buf;       /* the reply, then the result */
  size_t got, size;
} slot;

unsigned ssa_jobs_processors(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? (unsigned)n : 1;
}

static int write_all(int fd, const void *p, size_t n) {
  const unsigned char *b = p;
  while (n > 0) {
    ssize_t w = write(fd, b, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    b += w;
    n -= (size_t)w;
  }
  return 0;
}

/* In the child: run the job, send what it gave, never return. */
static void child(const ssa_job *j, int fd) {
  reply r;
  memset(&r, 0, sizeof r);
  r.rc = j->run(j->ctx, j->result, &r.err);
  int bad = write_all(fd, &r, sizeof r) != 0 ||
            (j->result_size > 0 && write_all(fd, j->result, j->result_size) != 0);
  _exit(bad ? 1 : 0);
}

static int start(const ssa_job *jobs, unsigned k, slot *s, ssa_error *err) {
  int p[2];
  if (pipe2(p, O_CLOEXEC) != 0) return ssa_fail(err, "%s: cannot create a pipe", jobs[k].name);
  s->size = sizeof(reply) + jobs[k].result_size;
  s->buf = malloc(s->size);
  s->got = 0;
  s->job = k;
  if (s->buf == NULL) {
    close(p[0]);
    close(p[1]);
    return ssa_fail(err, "%s: out of memory", jobs[k].name);
  }
  fflush(stdout);
  fflush(stderr);
  /* registered before a signal can come: a killed parent passes the signal on, and each worker
   * removes its own temporaries (common/cleanup.h) */
  sigset_t old;
  ssa_cleanup_block(&old);
  pid_t pid = fork();
  if (pid > 0) ssa_cleanup_child(pid, 0);
  if (pid == 0) ssa_cleanup_forget_all();
  ssa_cleanup_unblock(&old);
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    free(s->buf);
    return ssa_fail(err, "%s: cannot start a process", jobs[k].name);
  }
  if (pid == 0) {
    close(p[0]);
    child(&jobs[k], p[1]);
  }
  close(p[1]);
  s->pid = pid;
  s->fd = p[0];
  return 0;
}

/* Reads what slot s has; 1 when its child has ended (and been waited for), with rc and err
 * telling how the job went. */
static int drain(const ssa_job *jobs, slot *s, int *rc, ssa_error *err) {
  if (s->got < s->size) {
    ssize_t n = read(s->fd, s->buf + s->got, s->size - s->got);
    if (n < 0 && errno == EINTR) return 0;
    if (n > 0) {
      s->got += (size_t)n;
      if (s->got < s->size) return 0;  /* more to come: poll again */
    }
  }
  /* the whole reply, or the end of the pipe before it: the child has ended or is ending */
  int status = 0;
  while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR) {
  }
  ssa_cleanup_forget_child(s->pid);
  close(s->fd);
  const ssa_job *j = &jobs[s->job];
  if (s->got == s->size && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    reply r;
    memcpy(&r, s->buf, sizeof r);
    memcpy(j->result, s->buf + sizeof r, j->result_size);
    *rc = r.rc;
    if (r.rc != 0 && err != NULL) *err = r.err;
  } else if (WIFSIGNALED(status)) {
    *rc = ssa_fail(err, "%s: its process was killed by signal %d%s", j->name, WTERMSIG(status),
                   WTERMSIG(status) == SIGKILL ? " (out of memory?)" : "");
  } else {
    *rc = ssa_fail(err, "%s: its process ended without a result", j->name);
  }
  free(s->buf);
  s->buf = NULL;
  return 1;
}

static int ready(const ssa_job *jobs, const unsigned char *state, unsigned k,
                 int exclusive_running) {
  if (state[k] != WAITING) return 0;
  if (jobs[k].after >= 0 && state[jobs[k].after] != FINISHED) return 0;
  return !(jobs[k].exclusive && exclusive_running);
}

int ssa_jobs_run(const ssa_job *jobs, unsigned count, unsigned workers, ssa_job_done_fn done,
                 void *arg, ssa_error *err) {
  if (workers == 0) workers = 1;
  unsigned char *state = calloc(count + 1, 1);
  slot *slots = calloc(workers, sizeof *slots);
  struct pollfd *fds = calloc(workers, sizeof *fds);
  if (state == NULL || slots == NULL || fds == NULL) {
    free(state);
    free(slots);
    free(fds);
    return ssa_fail(err, "jobs: out of memory");
  }
  unsigned running = 0, finished = 0;
  int rc = 0;
  while (finished < count) {
    int exclusive_running = 0;
    for (unsigned s = 0; s < running; s++) exclusive_running |= jobs[slots[s].job].exclusive;
    for (unsigned k = 0; rc == 0 && running < workers && k < count; k++) {
      if (!ready(jobs, state, k, exclusive_running)) continue;
      rc = start(jobs, k, &slots[running], err);
      if (rc != 0) break;
      state[k] = RUNNING;
      exclusive_running |= jobs[k].exclusive;
      running++;
    }
    if (running == 0) {
      if (rc == 0) rc = ssa_fail(err, "jobs: %u of %u wait for a job that cannot finish",
                                 count - finished, count);
      break;
    }
    for (unsigned s = 0; s < running; s++) fds[s] = (struct pollfd){slots[s].fd, POLLIN, 0};
    if (poll(fds, running, -1) < 0) {
      if (errno == EINTR) continue;
      rc = ssa_fail(err, "jobs: poll failed");
      break;
    }
    for (unsigned s = 0; s < running;) {
      int job_rc = 0;
      if (fds[s].revents == 0 || !drain(jobs, &slots[s], &job_rc, rc == 0 ? err : NULL)) {
        s++;
        continue;
      }
      unsigned k = slots[s].job;
      state[k] = FINISHED;
      finished++;
      if (job_rc != 0 && rc == 0) rc = -1;
      if (job_rc == 0 && done != NULL) done(&jobs[k], k, arg);
      slots[s] = slots[running - 1];
      fds[s] = fds[running - 1];
      running--;
    }
    if (rc != 0) break;
  }
  /* after a failure: stop the others and collect them */
  for (unsigned s = 0; s < running; s++) {
    kill(slots[s].pid, SIGTERM);
    while (waitpid(slots[s].pid, NULL, 0) < 0 && errno == EINTR) {
    }
    ssa_cleanup_forget_child(slots[s].pid);
    close(slots[s].fd);
    free(slots[s].buf);
  }
  free(state);
  free(slots);
  free(fds);
  return rc;
}
