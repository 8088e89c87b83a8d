/* args.h -- walking a command line: option names and values, number parsing, exit statuses
 * (git's convention: 0 success, 1 a check failed, 2 bad usage or bad input). */
#ifndef SSA_ARGS_H
#define SSA_ARGS_H

#include <stdint.h>

#include "error.h"

enum { SSA_EXIT_OK = 0, SSA_EXIT_FAIL = 1, SSA_EXIT_USAGE = 2 };

/* Walks argv: ssa_cli_next returns the next option name (e.g. "--tokens") and, for options
 * written --name=value, remembers the value for ssa_cli_value. */
typedef struct ssa_cli {
  int argc;
  char **argv;
  int i;
  const char *inline_value;
  const char *command;    /* "gen attention", for messages */
} ssa_cli;

void ssa_cli_init(ssa_cli *c, int argc, char **argv, const char *command);
/* NULL at the end. Positional arguments are returned as they are. */
const char *ssa_cli_next(ssa_cli *c);
int ssa_cli_value(ssa_cli *c, const char *opt, const char **value, ssa_error *err);
int ssa_cli_unknown(const ssa_cli *c, const char *opt, ssa_error *err);

int ssa_parse_unsigned(const char *opt, const char *text, unsigned long long max,
                       unsigned long long *out, ssa_error *err);
int ssa_parse_rate(const char *opt, const char *text, double *out, ssa_error *err);
/* A value given by name ("--engine icarus"): its index in names[0..count), or -1. */
int ssa_name_index(const char *const names[], unsigned count, const char *name);
/* --inject-fault STEP,INDEX */
int ssa_parse_fault(const char *text, unsigned *step, unsigned *index, ssa_error *err);


/* Progress on stderr only when it is a terminal (quiet in pipes and logs). */
int ssa_cli_progress(void);
/* Creates a directory if it does not exist (one level). */
int ssa_cli_make_dir(const char *dir, ssa_error *err);
/* Whether ssa_cli_make_dir(dir) and files written in it can succeed: an existing writable
 * directory, or a new name in one. Commands that fill a directory (--out DIR) call it while
 * parsing, so that a bad one is a usage error before the work, not after it. */
int ssa_cli_dir_check(const char *dir, ssa_error *err);

#endif
