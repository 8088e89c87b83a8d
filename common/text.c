/* text.c -- the growing text buffer (see text.h). */
#include "text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void ssa_text_printf(ssa_text *t, const char *fmt, ...) {
  va_list ap;
  for (;;) {
    va_start(ap, fmt);
    int n = vsnprintf(t->s != NULL ? t->s + t->len : NULL, t->s != NULL ? t->cap - t->len : 0,
                      fmt, ap);
    va_end(ap);
    if (n < 0) {
      t->failed = 1;
      return;
    }
    if (t->s != NULL && t->len + (size_t)n < t->cap) {
      t->len += (size_t)n;
      return;
    }
    size_t cap = 2 * (t->cap + (size_t)n) + 1024;
    char *grown = realloc(t->s, cap);
    if (grown == NULL) {
      t->failed = 1;
      return;
    }
    t->s = grown;
    t->cap = cap;
  }
}

void ssa_text_free(ssa_text *t) {
  free(t->s);
  t->s = NULL;
  t->len = t->cap = 0;
  t->failed = 0;
}
