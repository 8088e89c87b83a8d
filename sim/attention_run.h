/* attention_run.h -- one simulation of the attention block: design, stimulus, golden outputs
 * and the clock-by-clock vectors every engine runs.
 * Schedule: SSA_RESET_CYCLES clocks with rst_ni low, then one clock per step with in_valid_i
 * high, then the latency to drain. Every output bit is checked on every one of these clocks,
 * idle ones included (o_o holds the last step's spikes, zero after reset). */
#ifndef SSA_ATTENTION_RUN_H
#define SSA_ATTENTION_RUN_H

#include "../core/plan.h"
#include "../core/spikefile.h"
#include "vectors.h"

#define SSA_RESET_CYCLES 2u

typedef struct ssa_attention_run {
  ssa_plan plan;
  ssa_design design;
  unsigned steps;
  ssa_spike_steps input;    /* Q, K, V for each of `steps` steps */
  ssa_spike_steps golden;   /* O for each step, from the golden model */
  ssa_vectors vectors;
  double *reference;        /* N x E mean over the steps of (Q K^T V)/(N D) per head */
  double golden_seconds;    /* time the golden model took for all steps */
} ssa_attention_run;

/* --rate P: `steps` steps of i.i.d. spikes drawn from the master seed. */
int ssa_attention_random_input(const ssa_attention_params *p, unsigned steps, double rate,
                               ssa_spike_steps *out, ssa_error *err);
/* stimulus holds 1 step (held for all steps) or exactly `steps` steps. */
int ssa_attention_run_init(ssa_attention_run *r, const ssa_attention_params *p,
                           const ssa_spike_steps *stimulus, unsigned steps, ssa_error *err);
void ssa_attention_run_free(ssa_attention_run *r);
/* The O steps an engine produced (from the outputs it saw on the step clocks). */
int ssa_attention_run_outputs(const ssa_attention_run *r, uint64_t *actual, ssa_spike_steps *out,
                              ssa_error *err);
/* Flips one expected output bit, so that the checker can be seen to catch a difference. */
int ssa_attention_run_inject(ssa_attention_run *r, unsigned step, unsigned index, ssa_error *err);
/* "cycle 7 (step 5), o_o[37] = token 2, column 5 (head 0, d 5)" */
void ssa_attention_run_describe(const ssa_attention_run *r, const ssa_mismatch *m, char *buf,
                                size_t len);
/* Cycle on which step t's inputs are presented. */
unsigned ssa_attention_step_cycle(unsigned step);

#endif
