/* process.h -- running the external tools (iverilog, vvp, verilator, make, c++).
 * No shell: argv goes straight to execvp, so paths with spaces or quotes are safe. The child's
 * stdout and stderr go to a log file that error messages name. */
#ifndef SSA_PROCESS_H
#define SSA_PROCESS_H

#include <stddef.h>
#include <sys/types.h>

#include "error.h"

/* Runs argv[0] (searched in PATH) in `cwd` (NULL: current directory), output appended to
 * `log_path` (NULL: discarded). Returns 0 when it exited with status 0; otherwise fills err
 * with "<what>: <tool> failed (exit status N), see LOG" or "<tool>: not found". */
int ssa_run_tool(const char *what, const char *const argv[], const char *cwd,
                 const char *log_path, ssa_error *err);
/* Starts argv as ssa_run_tool does, in a process group of its own registered for clean-up as
 * `cleanup_group` (common/cleanup.h: 1 a tool, SSA_CLEANUP_SIGNAL_GROUP a group of ssa
 * processes), and returns its pid, or -1 with err. The caller waits for it and then calls
 * ssa_cleanup_forget_child. */
pid_t ssa_start_tool(const char *what, const char *const argv[], const char *cwd,
                     const char *log_path, int cleanup_group, ssa_error *err);

/* Removes a directory tree created by SSA (regular files and directories only). */
void ssa_remove_tree(const char *path);

/* Reads a whole file into a NUL-terminated malloc'd buffer. */
int ssa_read_file(const char *path, char **text, size_t *len, ssa_error *err);
/* Whether `path` (after its links) is a regular file, as every input must be: a FIFO would
 * block the open until a writer came (a hang), a pipe such as <(zcat f) is read once where
 * some inputs are read twice (a Liberty file: by SSA, then by Yosys), a directory or device is
 * no input. A missing path passes: the open reports it. */
int ssa_input_check(const char *path, ssa_error *err);

#endif
