/* measure.h -- one measured design point: synthesis with the gate netlist kept, the netlist's
 * co-simulation against the golden model with toggle counts, and the energy priced from them
 * (the steady state: the clocks from the first accepted step to the last result).
 * `ssa energy` prints one; `ssa report` collects many. */
#ifndef SSA_MEASURE_H
#define SSA_MEASURE_H

#include "activity.h"
#include "energy.h"
#include "subject.h"
#include "synth.h"

typedef struct ssa_measure_opts {
  ssa_synth_opts synth;        /* flow generic or liberty (netlist is forced on) */
  const ssa_liberty *library;  /* prices the cells: the built-in table or the Liberty file */
  const char *cache_dir;       /* Verilator model cache */
  double clock_mhz;
  int gate_sim_verilator;      /* generic flow: toggles from Verilator, not gate_sim.h */
} ssa_measure_opts;

typedef struct ssa_measurement {
  ssa_synth_result synth;
  ssa_activity activity;
  ssa_energy energy;
} ssa_measurement;

/* s must have a run (ssa_subject_run). 0 measured; 1 the netlist differs from the golden
 * model (m->activity.first says where; m holds synthesis and activity); -1 error. */
int ssa_measure(const ssa_subject *s, const ssa_measure_opts *o, ssa_measurement *m,
                ssa_error *err);
void ssa_measurement_free(ssa_measurement *m);

#endif
