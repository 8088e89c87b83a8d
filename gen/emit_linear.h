/* emit_linear.h -- Verilog of the spiking linear layer: for each of N tokens, the currents
 * I_o = sum of W[o, i] over the inputs i that spiked (additions only) into an array of LIF
 * neurons (rtl/ssa_lif.v), one per token and output.
 * Two forms. Parallel (fold 0): every current is a tree of constant additions, one step per
 * clock, latency 1. Folded (fold F >= 1): the weights sit in a ROM of ceil(I/F) rows of O*F
 * weights (a case statement the tools infer as ROM), tokens go one after another and each
 * clock adds F inputs' weights into O accumulators, so a step takes 1 + N * ceil(I/F) clocks;
 * in_ready_o is low while a step is in flight. */
#ifndef SSA_EMIT_LINEAR_H
#define SSA_EMIT_LINEAR_H

#include <stdio.h>

#include "../core/lif_params.h"
#include "../core/weights.h"
#include "../core/design.h"

#define SSA_LINEAR_MAX_TOKENS 256u

typedef struct ssa_linear_spec {
  unsigned tokens;               /* N */
  unsigned weight_bits;          /* b */
  unsigned fold;                 /* 0: parallel; F: F inputs per clock */
  ssa_lif_params lif;
  const ssa_weight_layer *layer; /* O x I */
} ssa_linear_spec;

unsigned ssa_linear_latency(const ssa_linear_spec *s);
/* Clock edges from the accepting one to the result: 1 parallel, 1 + N * ceil(I/F) folded. */
/* Clocks between accepted steps: 1 parallel, the latency folded (see stepped_run.h). */
unsigned ssa_linear_interval(const ssa_linear_spec *s);
/* The module `name` (ports clk_i, rst_ni, in_valid_i, [in_ready_o,] x_i, out_valid_o, y_o)
 * without a file banner; it instantiates ssa_lif. */
void ssa_emit_linear_module(FILE *f, const ssa_linear_spec *s, const char *name);
/* A comment block describing the layer's arithmetic and timing (for banners). */
void ssa_emit_linear_summary(FILE *f, const ssa_linear_spec *s);

#endif
