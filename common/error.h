/* error.h -- how errors travel in SSA.
 * Library code never prints or exits: it fills an ssa_error with one line naming the input and
 * the problem and returns -1. The command line prints that line once, prefixed "ssa: ". */
#ifndef SSA_ERROR_H
#define SSA_ERROR_H

#include <stdarg.h>

typedef struct ssa_error {
  char msg[1024];
} ssa_error;

/* Formats the message into err (when err is not NULL) and returns -1, so that callers can
 * write `return ssa_fail(err, "...")`. */
int ssa_fail(ssa_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int ssa_vfail(ssa_error *err, const char *fmt, va_list ap);

#endif
