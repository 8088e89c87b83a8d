/* cleanup.h -- what a killed run must not leave behind.
 * Temporary files and directories are registered while they exist, and the tools and worker
 * processes while they run. On SIGINT, SIGTERM or SIGHUP the handler stops the processes, waits
 * for them (so that nothing writes into a directory being removed), removes the paths, and
 * then dies of the signal as it would have. It uses only async-signal-safe calls: kill,
 * waitpid, unlink, fork and execve (of /bin/rm for a directory). A signal the process ignores
 * (nohup) stays ignored. Registration is done by the main thread only. */
#ifndef SSA_CLEANUP_H
#define SSA_CLEANUP_H

#include <signal.h>
#include <sys/types.h>

/* A temporary file or directory tree, removed by the handler until forgotten. `path` is not
 * copied: it must stay valid until ssa_cleanup_forget(path). Beyond 64 paths at once the rest
 * are removed on errors as before, only not on a signal. */
void ssa_cleanup_path(const char *path);
void ssa_cleanup_forget(const char *path);

/* A running child: a tool started in a process group of its own (`group` 1: the handler kills
 * the whole group, a make and its compilers, with SIGKILL), an ssa worker (`group` 0: it gets
 * the signal itself and cleans up after itself), or a process group of ssa processes (`group`
 * SSA_CLEANUP_SIGNAL_GROUP: a make running sweep points; the whole group gets the signal, and
 * each cleans up after itself). Forget it once it has been waited for. */
#define SSA_CLEANUP_SIGNAL_GROUP 2
void ssa_cleanup_child(pid_t pid, int group);
void ssa_cleanup_forget_child(pid_t pid);

/* Holds back the handler's signals until ssa_cleanup_unblock(old): around a fork, so that the
 * child is registered (in the parent) before a signal can come. The child unblocks too. */
void ssa_cleanup_block(sigset_t *old);
void ssa_cleanup_unblock(const sigset_t *old);

/* mkstemp and mkdtemp with the new path registered (ssa_cleanup_path) before a signal can come:
 * a signal between the creation and the registration would leave it behind. */
int ssa_cleanup_mkstemp(char *template_path);
char *ssa_cleanup_mkdtemp(char *template_path);

/* In a forked ssa worker: the parent's paths and children are the parent's to remove. */
void ssa_cleanup_forget_all(void);

#endif
