/* exact_params.h -- the parameters of the exact spiking attention (golden/exact_attention.h
 * defines what it computes): ranges, defaults, the widths they imply. */
#ifndef SSA_EXACT_PARAMS_H
#define SSA_EXACT_PARAMS_H

#include "../common/error.h"
#include "lif_params.h"

#define SSA_EXACT_MAX_TOKENS 256u   /* as the SC attention block (core/plan.h) */
#define SSA_EXACT_MAX_DIM 256u
#define SSA_EXACT_MAX_HEADS 16u
#define SSA_EXACT_MAX_SCALE_SHIFT 20u
#define SSA_EXACT_DEFAULT_SCALE_SHIFT 3u  /* scale 0.125 */
#define SSA_EXACT_MIN_DEFAULT_WIDTH 16u

typedef struct ssa_exact_attention_params {
  unsigned tokens;       /* N, power of two 2 .. 256 */
  unsigned dim;          /* D per head, power of two 2 .. 256 */
  unsigned heads;        /* H, 1 .. 16 */
  unsigned scale_shift;  /* s, 0 .. 20: scale 2^-s, threshold theta = 2^s */
  /* width 0 until ssa_exact_attention_params_prepare picks the default; threshold is always
   * 2^s (set by prepare), never an option */
  ssa_lif_params lif;
} ssa_exact_attention_params;

/* N = 16, D = 16, H = 1, s = 3, width 0 (the default, chosen by prepare), leak-shift 1
 * (tau = 2), reset zero (Spikformer's hard reset). */
void ssa_exact_attention_params_default(ssa_exact_attention_params *p);
/* The smallest W >= 16 with 2 * N * D <= 2^(W-1) - 1: the current alone never saturates. */
unsigned ssa_exact_attention_default_width(unsigned tokens, unsigned dim);
/* Fills the width (when 0) and the threshold 2^s, then checks every field; -1 with one line
 * naming the CLI option ("--scale-shift 16: threshold 2^16 exceeds 2^(W-1) - 1 = 32767 ...").
 * Calling it again on prepared parameters changes nothing. */
int ssa_exact_attention_params_prepare(ssa_exact_attention_params *p, ssa_error *err);
/* Bits of A (0 .. N*D, unsigned) and of the LIF current {0, A, 0} = 2 * A (signed). */
unsigned ssa_exact_attention_sum_bits(const ssa_exact_attention_params *p);
unsigned ssa_exact_attention_current_bits(const ssa_exact_attention_params *p);


#endif
