/* gtkw.h -- GTKWave save files that open a waveform on the signals that matter.
 * Every FST that SSA writes comes with one (Amaranth's write_vcd(gtkw_file=...) habit). */
#ifndef SSA_GTKW_H
#define SSA_GTKW_H

#include <stddef.h>

#include "../common/error.h"
#include "../core/design.h"


typedef struct ssa_gtkw {
  const char *fst_path;     /* the waveform this file opens */
  const char *scope;        /* e.g. "TOP.ssa_attention" or "tb_ssa_attention.dut" */
  long long marker_time;    /* primary marker in the waveform's time units, < 0 for none */
  long long end_time;       /* length of the run in those units, for the initial zoom (0: none) */
  const char *comment;      /* first line, e.g. what went wrong; may be NULL */
  const char *const *extra; /* extra signal paths below scope (NULL-terminated), may be NULL */
} ssa_gtkw;

/* The save file's text (malloc'd), NULL without memory. */
char *ssa_gtkw_render(const ssa_design *d, const ssa_gtkw *g, size_t *len);
/* Writes `path` atomically: clock, reset and valid signals in binary, data ports in hex. */
int ssa_gtkw_write(const char *path, const ssa_design *d, const ssa_gtkw *g, ssa_error *err);
/* The .gtkw path for an .fst path (same name, extension replaced). malloc'd. */
char *ssa_gtkw_path_for(const char *fst_path);

#endif
