/* error.c -- filling an ssa_error (see error.h). */
#include "error.h"

#include <stdio.h>

int ssa_vfail(ssa_error *err, const char *fmt, va_list ap) {
  if (err != NULL) vsnprintf(err->msg, sizeof err->msg, fmt, ap);
  return -1;
}

int ssa_fail(ssa_error *err, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  ssa_vfail(err, fmt, ap);
  va_end(ap);
  return -1;
}
