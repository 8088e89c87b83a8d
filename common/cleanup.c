/* cleanup.c -- removing temporaries when the run is killed (see cleanup.h). */
#define _POSIX_C_SOURCE 200809L
#include "cleanup.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define PATH_SLOTS 64
#define CHILD_SLOTS 64

/* Written by the main thread only; the handler only reads. */
static const char *volatile live_paths[PATH_SLOTS];
static volatile pid_t live_children[CHILD_SLOTS];
static volatile int child_is_group[CHILD_SLOTS];

static void wait_for(pid_t pid) {
  while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
  }
}

/* A directory tree, by /bin/rm in a child: opendir and malloc are not async-signal-safe. */
static void remove_path(const char *path) {
  struct stat st;
  if (lstat(path, &st) != 0) return;
  if (!S_ISDIR(st.st_mode)) {
    unlink(path);
    return;
  }
  pid_t pid = fork();
  if (pid == 0) {
    char *const argv[] = {"rm", "-rf", "--", (char *)path, NULL};
    char *const envp[] = {NULL};
    execve("/bin/rm", argv, envp);
    _exit(127);
  }
  if (pid > 0) wait_for(pid);
}

static void clean_up_and_die(int sig) {
  for (unsigned k = 0; k < CHILD_SLOTS; k++)
    if (live_children[k] > 0)
      kill(child_is_group[k] ? -live_children[k] : live_children[k],
           child_is_group[k] == 1 ? SIGKILL : sig);
  for (unsigned k = 0; k < CHILD_SLOTS; k++)
    if (live_children[k] > 0) wait_for(live_children[k]);
  for (unsigned k = 0; k < PATH_SLOTS; k++)
    if (live_paths[k] != NULL) remove_path(live_paths[k]);
  signal(sig, SIG_DFL);
  raise(sig);
}

static const int handled_signals[] = {SIGINT, SIGTERM, SIGHUP};
#define HANDLED_COUNT (sizeof handled_signals / sizeof handled_signals[0])

void ssa_cleanup_block(sigset_t *old) {
  sigset_t block;
  sigemptyset(&block);
  for (unsigned k = 0; k < HANDLED_COUNT; k++) sigaddset(&block, handled_signals[k]);
  sigprocmask(SIG_BLOCK, &block, old);
}

void ssa_cleanup_unblock(const sigset_t *old) { sigprocmask(SIG_SETMASK, old, NULL); }

static void install_handler(void) {
  static int installed;
  if (installed) return;
  for (unsigned k = 0; k < HANDLED_COUNT; k++) {
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = clean_up_and_die;
    sigfillset(&sa.sa_mask);  /* one signal's clean-up is not interrupted by another's */
    /* a signal the caller ignores (nohup) stays ignored */
    if (sigaction(handled_signals[k], NULL, &old) == 0 && old.sa_handler == SIG_DFL)
      sigaction(handled_signals[k], &sa, NULL);
  }
  installed = 1;
}

void ssa_cleanup_path(const char *path) {
  install_handler();
  for (unsigned k = 0; k < PATH_SLOTS; k++)
    if (live_paths[k] == NULL) {
      live_paths[k] = path;
      return;
    }
}

void ssa_cleanup_forget(const char *path) {
  for (unsigned k = 0; k < PATH_SLOTS; k++)
    if (live_paths[k] == path) live_paths[k] = NULL;
}

void ssa_cleanup_child(pid_t pid, int group) {
  install_handler();
  for (unsigned k = 0; k < CHILD_SLOTS; k++)
    if (live_children[k] <= 0) {
      child_is_group[k] = group;
      live_children[k] = pid;
      return;
    }
}

void ssa_cleanup_forget_child(pid_t pid) {
  for (unsigned k = 0; k < CHILD_SLOTS; k++)
    if (live_children[k] == pid) live_children[k] = 0;
}

void ssa_cleanup_forget_all(void) {
  for (unsigned k = 0; k < PATH_SLOTS; k++) live_paths[k] = NULL;
  for (unsigned k = 0; k < CHILD_SLOTS; k++) live_children[k] = 0;
}

int ssa_cleanup_mkstemp(char *template_path) {
  sigset_t old;
  ssa_cleanup_block(&old);
  int fd = mkstemp(template_path);
  if (fd >= 0) ssa_cleanup_path(template_path);
  ssa_cleanup_unblock(&old);
  return fd;
}

char *ssa_cleanup_mkdtemp(char *template_path) {
  sigset_t old;
  ssa_cleanup_block(&old);
  char *dir = mkdtemp(template_path);
  if (dir != NULL) ssa_cleanup_path(dir);
  ssa_cleanup_unblock(&old);
  return dir;
}
