/* engine.h -- the three simulation engines behind one call: golden, verilator, icarus.
 * Each takes the same vectors and returns the outputs it saw on every cycle; comparing them
 * with the golden expectation is the caller's job (ssa_vectors_compare). */
#ifndef SSA_ENGINE_H
#define SSA_ENGINE_H

#include <stdint.h>

#include "vectors.h"

typedef enum { SSA_ENGINE_GOLDEN, SSA_ENGINE_VERILATOR, SSA_ENGINE_ICARUS } ssa_engine;

int ssa_engine_parse(const char *name, ssa_engine *out);
const char *ssa_engine_name(ssa_engine e);

typedef struct ssa_engine_opts {
  const char *cache_dir;  /* Verilator model cache (NULL: default, see verilator.h) */
  const char *fst_path;   /* waveform to write, or NULL */
  const char *toggles_path; /* verilator: per-bit toggle counts to write at the end, or NULL */
  /* With toggles_path and toggles_marks (ascending clocks, at most 8): the counts are cut at
   * each mark -- those of the clocks before mark k go to toggles_path with ".k" appended (from
   * the previous mark on: the counters are zeroed at each), those from the last mark to the
   * end to ".<count>"; a mark beyond the run gives an empty file. */
  unsigned toggles_marks[8];
  unsigned toggles_mark_count;
  int progress;           /* progress lines on stderr */
} ssa_engine_opts;

/* Runs every cycle of v; `actual` is laid out like v->expected. The golden engine returns the
 * expectation itself. A tool that cannot run is an error; a differing output is not. */
int ssa_engine_run(ssa_engine e, const ssa_vectors *v, const ssa_engine_opts *opts,
                   uint64_t *actual, ssa_error *err);
/* Time of the rising edge of `cycle` in the engine's waveform units (for GTKWave markers). */
long long ssa_engine_edge_time(ssa_engine e, unsigned cycle);
/* Hierarchy prefix of the design's ports in the engine's waveform. */
void ssa_engine_scope(ssa_engine e, const ssa_design *d, char *buf, size_t len);

#endif
