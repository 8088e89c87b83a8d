/* ann_params.c -- the int8 ANN attention's parameters: the exponent table, defaults, checks and
 * the widths the arithmetic of ann_params.h implies. */
#include "ann_params.h"

#include <string.h>

#include "attention_shape.h"

/* round(32768 * 2^(-f/16)); the entry for f = 0 is 1.0 exactly, so the row maximum's own
 * exponent is 32768 and every row sum R is at least 2^15 (the reciprocal's range). */
const uint16_t SSA_ANN_EXP2[16] = {32768, 31379, 30048, 28774, 27554, 26386, 25268, 24196,
                                   23170, 22188, 21247, 20347, 19484, 18658, 17867, 17109};

const char *const ssa_ann_softmax_names[] = {"int", "none", NULL};

void ssa_ann_attention_params_default(ssa_ann_attention_params *p) {
  memset(p, 0, sizeof *p);
  ssa_attention_shape_default(&p->tokens, &p->dim, &p->heads);
  p->softmax = SSA_ANN_SOFTMAX_INT;
  p->score_shift = 0;
  p->out_shift = SSA_ANN_OUT_SHIFT_DEFAULT;
  p->macs = 0;
}

unsigned ssa_ann_log2(unsigned v) {
  unsigned l = 0;
  while (v > 1) {
    v >>= 1;
    l++;
  }
  return l;
}

unsigned ssa_ann_default_out_shift(const ssa_ann_attention_params *p) {
  /* int: P sums to at most 256 = 1.0 over a row, so A / 2^8 is a weighted mean of V.
   * none: |A| <= N * 2^(14 + log2 D) * 2^7, and 2^(21 + log2 N + log2 D) >> Y is 128. */
  if (p->softmax == SSA_ANN_SOFTMAX_INT) return 8;
  return 14 + ssa_ann_log2(p->tokens) + ssa_ann_log2(p->dim);
}

static int is_power_of_two(unsigned v) { return v != 0 && (v & (v - 1)) == 0; }

int ssa_ann_attention_params_prepare(ssa_ann_attention_params *p, ssa_error *err) {
  if (ssa_attention_shape_check(p->tokens, p->dim, p->heads, SSA_ANN_MAX_TOKENS, SSA_ANN_MAX_DIM,
                                SSA_ANN_MAX_HEADS, err) != 0)
    return -1;
  if (p->softmax != SSA_ANN_SOFTMAX_INT && p->softmax != SSA_ANN_SOFTMAX_NONE)
    return ssa_fail(err, "--softmax %u: must be int or none", p->softmax);
  /* accepted with none too (it then changes nothing), so one option line serves both modes */
  if (p->score_shift > SSA_ANN_MAX_SCORE_SHIFT)
    return ssa_fail(err, "--score-shift %u: must be from 0 to %u", p->score_shift,
                    SSA_ANN_MAX_SCORE_SHIFT);
  if (p->out_shift == SSA_ANN_OUT_SHIFT_DEFAULT) p->out_shift = ssa_ann_default_out_shift(p);
  if (p->out_shift > SSA_ANN_MAX_OUT_SHIFT)
    return ssa_fail(err, "--out-shift %u: must be from 0 to %u", p->out_shift,
                    SSA_ANN_MAX_OUT_SHIFT);
  /* a power of two up to D divides every head's D products evenly among the units */
  if (p->macs != 0 && (!is_power_of_two(p->macs) || p->macs > p->dim))
    return ssa_fail(err, "--macs %u: must be 0 or a power of two up to --dim %u", p->macs,
                    p->dim);
  return 0;
}

unsigned ssa_ann_score_bits(const ssa_ann_attention_params *p) {
  /* S in [-16256 D, 16384 D]: 16384 D = 2^(14 + log2 D) needs 15 + log2 D magnitude bits */
  return 16 + ssa_ann_log2(p->dim);
}

unsigned ssa_ann_prob_bits(const ssa_ann_attention_params *p) {
  return p->softmax == SSA_ANN_SOFTMAX_INT ? 8 : ssa_ann_score_bits(p);
}

unsigned ssa_ann_acc_bits(const ssa_ann_attention_params *p) {
  /* int: P >= 0 with sum_j P_ij <= 256, so every partial sum of P V lies in
   * [-128 * 256, 127 * 256] = [-32768, 32512]: 16 bits.
   * none: every term P V = S V lies in [-2^(21 + log2 D), 16256 * 128 D], N of them:
   * [-2^(21 + L + log2 D), 2^(21 + L + log2 D)): 22 + L + log2 D bits. */
  if (p->softmax == SSA_ANN_SOFTMAX_INT) return 16;
  return 22 + ssa_ann_log2(p->tokens) + ssa_ann_log2(p->dim);
}
