/* sim_report.h -- what `ssa sim` does after a run, for any kind: the mismatch report (clock,
 * output, expected, actual, seed, a reproducing command, a waveform with a GTKWave save file
 * that opens on the failing clock) and the save file of a traced run. */
#ifndef SSA_SIM_REPORT_H
#define SSA_SIM_REPORT_H

#include <stdint.h>

#include "../sim/engine.h"

typedef struct ssa_sim_subject {
  const ssa_design *design;
  const ssa_vectors *vectors;
  ssa_engine engine;
  uint64_t seed;
  int seeded;              /* 0: the design has no seed (the report says so) */
  const char *command;     /* the `ssa sim ...` command that ran, without --trace */
  const char *trace;       /* --trace FILE.fst, or NULL */
  const char *where;       /* the mismatch in words ("cycle 7 (step 5), o_o[37] = ...") */
} ssa_sim_subject;

/* Prints the report on stderr; for the RTL engines, writes the waveform (re-running traced if
 * --trace was not given) and its save file. */
void ssa_report_mismatch(const ssa_sim_subject *s, const ssa_mismatch *m,
                         const ssa_engine_opts *eopts);
/* The save file beside a traced run's FST; marker -1 for none. */
int ssa_write_run_gtkw(const char *fst, const ssa_design *d, const ssa_vectors *v, ssa_engine e,
                       long long marker, const char *comment, ssa_error *err);

#endif
