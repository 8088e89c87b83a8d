/* text.h -- a growing text buffer written with printf formats: scripts and reports are built
 * in memory and written whole (common/outfile.h), so a failure never leaves half a file. */
#ifndef SSA_TEXT_H
#define SSA_TEXT_H

#include <stddef.h>

typedef struct ssa_text {
  char *s;       /* NUL-terminated once anything was written; NULL before */
  size_t len, cap;
  int failed;    /* out of memory (or a bad format) at some point: the text is incomplete */
} ssa_text;

void ssa_text_printf(ssa_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ssa_text_free(ssa_text *t);

#endif
