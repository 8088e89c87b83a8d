/* error.h -- how errors travel in SSA.
 * Library code never prints or exits: it fills an ssa_error with one line naming the input and
 * the problem and returns -1. The command line prints that line once, prefixed "ssa: ". */
#ifndef SSA_ERROR_H
#define SSA_ERROR_H

#include <stdarg.h>
#include <stddef.h>

typedef struct ssa_error {
  char msg[1024];
} ssa_error;

/* Formats the message into err (when err is not NULL) and returns -1, so that callers can
 * write `return ssa_fail(err, "...")`. */
int ssa_fail(ssa_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int ssa_vfail(ssa_error *err, const char *fmt, va_list ap);

/* The same for a problem at a line of a named input: "NAME:LINE: problem". */
int ssa_fail_at(ssa_error *err, const char *name, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
int ssa_vfail_at(ssa_error *err, const char *name, size_t line, const char *fmt, va_list ap);

/* Input quoted in a message: at most 24 characters of s[0..n), "..." when it was cut, each
 * unprintable byte shown as '?', so that a message stays one line whatever the input holds.
 * Returns out. */
const char *ssa_excerpt(char out[32], const char *s, size_t n);

#endif
