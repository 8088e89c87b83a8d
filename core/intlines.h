/* intlines.h -- the stimulus format of the lif and encoder kinds: one line per step holding
 * `count` integers separated by spaces or tabs; '#' starts a comment, blank lines are ignored.
 * Errors name the file and line: "currents.txt:4: expected 8 values, found 7",
 * "currents.txt:2: value 40000 out of range for --width 16 (-32768 to 32767)". */
#ifndef SSA_INTLINES_H
#define SSA_INTLINES_H

#include <stddef.h>
#include <stdint.h>

#include "../common/error.h"

typedef struct ssa_int_lines {
  unsigned lines;     /* steps */
  unsigned count;     /* values per line */
  int64_t *values;    /* lines * count */
} ssa_int_lines;

/* Every value must lie in [min, max]; `range_reason` names the option behind the range
 * ("--width 16"). On failure `out` is empty and err holds "name:line: problem". */
int ssa_int_lines_parse(const char *name, const char *text, size_t len, unsigned count,
                        int64_t min, int64_t max, const char *range_reason, ssa_int_lines *out,
                        ssa_error *err);
int ssa_int_lines_read(const char *path, unsigned count, int64_t min, int64_t max,
                       const char *range_reason, ssa_int_lines *out, ssa_error *err);
void ssa_int_lines_free(ssa_int_lines *l);

#endif
