/* emit_encoder.h -- Verilog of the Bernoulli (rate) encoder bank (ssa_encoder): input m, an
 * unsigned B-bit value x, spikes when its B-bit random number u from the plan is below x, so
 * P(spike) = x / 2^B. */
#ifndef SSA_EMIT_ENCODER_H
#define SSA_EMIT_ENCODER_H

#include "../core/design.h"
#include "../core/plan.h"

#define SSA_ENCODER_MAX_INPUTS 4096u
#define SSA_ENCODER_MAX_BITS 16u
#define SSA_ENCODER_LATENCY 1u

typedef struct ssa_encoder_params {
  unsigned inputs;      /* M */
  unsigned bits;        /* B */
  unsigned prng_width;  /* W */
  uint64_t seed;
  enum ssa_random random; /* lfsr, packed or sobol (ssa_plan_build_bank) */
  ssa_plan plan;        /* built by prepare: M numbers of B bits */
} ssa_encoder_params;

/* `line`: the options that rebuild the design, for the banner. */
int ssa_emit_encoder(const ssa_encoder_params *p, const char *line, ssa_design *d,
                     ssa_error *err);

#endif
