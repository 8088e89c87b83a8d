/* activity.h -- post-synthesis co-simulation: the gate netlist of a synthesis (synth.h) runs in
 * Verilator on the same clock-by-clock vectors as the RTL, driven from input registers so that
 * every net settles once per clock (energy_harness.h), every output bit of every clock is
 * compared with the golden model, and every net's toggles are counted (Verilator's toggle
 * coverage) and charged to the cell that drives the net: over the steady window of the run
 * (reset and drain excluded) and over the whole run. */
#ifndef SSA_ACTIVITY_H
#define SSA_ACTIVITY_H

#include "../sim/vectors.h"
#include "synth.h"

/* Output toggles summed by cell type (the counts of the lists are toggles) over some clocks:
 * per part of the PRNG / datapath / registers split, and per part type (the index of the
 * synthesis's group[]). */
typedef struct ssa_activity_counts {
  ssa_synth_part part[SSA_PART_COUNT];
  unsigned long long toggles[SSA_PART_COUNT];
  ssa_synth_part group[SSA_SYNTH_MAX_GROUPS];
  unsigned long long group_toggles[SSA_SYNTH_MAX_GROUPS];
  unsigned cycles;
} ssa_activity_counts;

typedef struct ssa_activity {
  /* The steady state: the clocks from the one that accepts the first step to the one that
   * shows the last result, without reset and drain (the whole run when no window is given). */
  ssa_activity_counts steady;
  /* the steady window's first clock alone: the one whose inputs change from reset's zeros
   * and whose enables rise, which composition weighs apart (compose.h) */
  ssa_activity_counts opening;
  ssa_activity_counts run;     /* every simulated clock, reset and drain included */
  unsigned steps;              /* steps in the steady window (0: not given) */
  unsigned cycles;             /* clocks simulated (run.cycles) */
  unsigned long nets;          /* cell outputs charged */
  unsigned long nets_missing;  /* cell outputs without a toggle count (should be 0) */
  char first_missing[400];     /* the first of them, "NET in MODULE" */
  int mismatch;                /* 1: the netlist differs from the golden model at `first` */
  ssa_mismatch first;
} ssa_activity;

typedef struct ssa_activity_opts {
  const char *cache_dir;      /* Verilator model cache (NULL: default) */
  /* The steady window: clocks window_begin .. window_end (both counted) of the vectors,
   * holding `steps` steps; window_end 0: no window, the steady counts are the whole run's. */
  unsigned window_begin, window_end, steps;
  const ssa_liberty *liberty; /* the liberty flow's library; NULL for the generic flow */
  /* 1: count the generic flow's toggles with Verilator's toggle coverage instead of SSA's own
   * gate simulator (gate_sim.h), a cross-check; the liberty flow always uses Verilator */
  int verilator;
  int progress;
} ssa_activity_opts;

/* v: the RTL's vectors (v->design the RTL); r: its synthesis with the netlists kept. A
 * difference from the golden model is not an error: a->mismatch says so. */
int ssa_activity_run(const ssa_vectors *v, const ssa_synth_result *r, const ssa_activity_opts *o,
                     ssa_activity *a, ssa_error *err);
void ssa_activity_free(ssa_activity *a);

#endif
