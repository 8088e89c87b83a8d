/* toggles.h -- per-bit toggle counts of a simulated netlist, from the coverage.dat that a
 * Verilator model built with --coverage-toggle writes (sim/verilator.h). Counts of the same
 * signal in several instances of one module are summed: the energy estimator charges them to
 * the same cell type anyway. */
#ifndef SSA_TOGGLES_H
#define SSA_TOGGLES_H

#include <stddef.h>

#include "../common/error.h"

typedef struct ssa_toggle_entry {
  char *key;                  /* module '\1' signal */
  unsigned long long count;
} ssa_toggle_entry;

typedef struct ssa_toggles {
  ssa_toggle_entry *slots;    /* open addressing, a power of two */
  size_t size, used;
} ssa_toggles;

int ssa_toggles_read(const char *path, ssa_toggles *t, ssa_error *err);
/* Adds the counts of another file to t (an empty table {0} or one already read), summed
 * signal by signal; on an error t is freed. */
int ssa_toggles_add_file(const char *path, ssa_toggles *t, ssa_error *err);
/* Parses coverage text directly (`name` for messages). */
int ssa_toggles_parse(const char *name, const char *text, ssa_toggles *t, ssa_error *err);
/* -1 when the signal has no count. The module as written, the signal in Verilator's encoding
 * (that is how coverage.dat names them). */
long long ssa_toggles_get(const ssa_toggles *t, const char *module, const char *signal);
void ssa_toggles_free(ssa_toggles *t);

/* Verilator's encoding of an identifier: every character other than a letter, a digit or '_'
 * becomes "__0" and two lowercase hex digits ("g[0].x" -> "g__05b0__05d__02ex"). */
void ssa_verilator_encode(const char *name, size_t len, char *out, size_t size);

#endif
