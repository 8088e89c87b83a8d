/* verilator.h -- a generated design compiled by Verilator and driven from C.
 * The verilated C++ class is wrapped by a small C-linked shim (sim/verilator_shim.cpp, embedded
 * in the binary as ssa_verilator_shim) and built into a shared object in a cache directory
 * keyed by a hash of the design's files, the shim, the Verilator version and the build flags,
 * so a design is compiled once and rebuilt only when its RTL or parameters change. The harness
 * dlopen()s that object. Verilator has no meson module, and the design only exists once the
 * user has chosen its parameters, so the build happens at run time, not in meson. */
#ifndef SSA_VERILATOR_H
#define SSA_VERILATOR_H

#include <stdint.h>

#include "../common/error.h"
#include "../core/design.h"

typedef struct ssa_verilator_opts {
  const char *cache_dir;  /* NULL: $SSA_CACHE_DIR, else $XDG_CACHE_HOME/ssa, else ~/.cache/ssa */
  int trace;              /* build with --trace-fst (a separate cache entry) */
  int coverage;           /* build with --coverage-toggle: per-bit toggle counts (another) */
  int progress;           /* print build progress on stderr */
} ssa_verilator_opts;

typedef struct ssa_vmodel ssa_vmodel;

/* Builds (or reuses) the model of `design` and instantiates it. */
int ssa_verilator_open(const ssa_design *design, const ssa_verilator_opts *opts,
                       ssa_vmodel **out, ssa_error *err);
/* Starts an FST waveform; the model must have been opened with opts->trace. */
int ssa_vmodel_trace(ssa_vmodel *m, const char *fst_path, ssa_error *err);
/* Writes the toggle count of every bit of every signal so far, in Verilator's coverage.dat
 * form (sim/toggles.h reads it); the model must have been opened with opts->coverage. */
int ssa_vmodel_write_toggles(ssa_vmodel *m, const char *path, ssa_error *err);
/* Sets every toggle count to zero (VerilatedCovContext::zero); later writes count from here. */
int ssa_vmodel_zero_toggles(ssa_vmodel *m, ssa_error *err);
/* Port values as little-endian 64-bit words (bit k of the port = bit k%64 of word k/64);
 * port is an index into design->ports. */
void ssa_vmodel_poke(ssa_vmodel *m, unsigned port, const uint64_t *words);
void ssa_vmodel_peek(ssa_vmodel *m, unsigned port, uint64_t *words);
/* One clock: clk_i low, evaluate, clk_i high, evaluate (inputs poked before are sampled at
 * that rising edge; outputs peeked after show its result). Dumps both edges when tracing. */
void ssa_vmodel_cycle(ssa_vmodel *m);
/* Finishes the waveform, frees the model and unloads the shared object. */
void ssa_vmodel_close(ssa_vmodel *m);
/* The directory of the model's cache entry (for messages). */
const char *ssa_vmodel_dir(const ssa_vmodel *m);

#endif
