/* exact_attention.h -- golden model of exact spiking attention, the Spikformer baseline
 * (docs/design.md section 3.1), bit-exact with the generated ssa_exact_attention (gen/emit_exact.c).
 * This comment is the definition; docs/fixed-point.md says the same with a worked example.
 *
 * Per head h (D columns per head, E = H * D columns, N tokens), at each step with binary
 * Q, K, V (N x E):
 *
 *   S_ij = sum_d Q[i, hD+d] K[j, hD+d]       0 .. D      (popcount of Q_i AND K_j)
 *   A_id = sum_j S_ij V[j, hD+d]             0 .. N*D
 *
 * and A * 2^-s (s = --scale-shift; 3 is Spikformer's scale 0.125) drives a LIF neuron with
 * threshold 0.5. With s + 1 fraction bits both are integers: the current I = 2 * A (exact)
 * and the threshold theta = 2^s. One LIF neuron (golden/lif.h) per output (i, h, d), all
 * stepping once per step; output O[i, hD+d] is its spike. Deterministic: no randomness. */
#ifndef SSA_GOLDEN_EXACT_ATTENTION_H
#define SSA_GOLDEN_EXACT_ATTENTION_H

#include <stdint.h>

#include "../common/error.h"
#include "../core/bitmat.h"
#include "../core/exact_params.h"
#include "lif.h"

typedef struct ssa_golden_exact {
  ssa_exact_attention_params p;
  int64_t *membrane;   /* N * E, output (i, c) at i * E + c */
  unsigned *score;     /* N * N scratch: S_ij of the head being computed */
  int64_t *charged;    /* N * E, the last step's membranes before the threshold (v, lif.h):
                        * the trainer's surrogate gradient needs them */
} ssa_golden_exact;

/* p must have passed ssa_exact_attention_params_prepare. Every membrane starts at 0. */
int ssa_golden_exact_init(ssa_golden_exact *g, const ssa_exact_attention_params *p,
                          ssa_error *err);
void ssa_golden_exact_free(ssa_golden_exact *g);
/* Back to the reset state: every membrane 0. */
void ssa_golden_exact_reset(ssa_golden_exact *g);
/* One time step. q, k, v and o are N x E matrices (E = H * D). */
void ssa_golden_exact_step(ssa_golden_exact *g, const ssa_bitmat *q, const ssa_bitmat *k,
                           const ssa_bitmat *v, ssa_bitmat *o);

#endif
