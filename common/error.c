/* error.c -- filling an ssa_error (see error.h). */
#include "error.h"

#include <stdio.h>
#include <string.h>

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

int ssa_vfail_at(ssa_error *err, const char *name, size_t line, const char *fmt, va_list ap) {
  char problem[512];
  vsnprintf(problem, sizeof problem, fmt, ap);
  return ssa_fail(err, "%s:%zu: %s", name, line, problem);
}

int ssa_fail_at(ssa_error *err, const char *name, size_t line, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  ssa_vfail_at(err, name, line, fmt, ap);
  va_end(ap);
  return -1;
}

const char *ssa_excerpt(char out[32], const char *s, size_t n) {
  size_t k = n > 24 ? 24 : n;
  for (size_t i = 0; i < k; i++) out[i] = s[i] >= ' ' && s[i] <= '~' ? s[i] : '?';
  strcpy(out + k, n > k ? "..." : "");
  return out;
}
