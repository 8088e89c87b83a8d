/* exact_params.c -- exact attention parameters (see exact_params.h). */
#include "exact_params.h"

#include <stdio.h>
#include <string.h>

#include "attention_shape.h"

void ssa_exact_attention_params_default(ssa_exact_attention_params *p) {
  memset(p, 0, sizeof *p);
  ssa_attention_shape_default(&p->tokens, &p->dim, &p->heads);
  p->scale_shift = SSA_EXACT_DEFAULT_SCALE_SHIFT;
  ssa_lif_params_default(&p->lif);
  p->lif.width = 0;            /* chosen from N and D by prepare */
  p->lif.leak_shift = 1;       /* beta = 1/2, Spikformer's tau = 2 */
  p->lif.reset = SSA_LIF_RESET_ZERO;
}


unsigned ssa_exact_attention_default_width(unsigned tokens, unsigned dim) {
  uint64_t top = 2ull * tokens * dim;  /* the largest current, 2 * N * D */
  unsigned w = SSA_EXACT_MIN_DEFAULT_WIDTH;
  while (top > ((uint64_t)1 << (w - 1)) - 1) w++;
  return w;
}


int ssa_exact_attention_params_prepare(ssa_exact_attention_params *p, ssa_error *err) {
  if (ssa_attention_shape_check(p->tokens, p->dim, p->heads, SSA_EXACT_MAX_TOKENS,
                                SSA_EXACT_MAX_DIM, SSA_EXACT_MAX_HEADS, err) != 0)
    return -1;
  if (p->scale_shift > SSA_EXACT_MAX_SCALE_SHIFT)
    return ssa_fail(err, "--scale-shift %u: must be from 0 to %u", p->scale_shift,
                    SSA_EXACT_MAX_SCALE_SHIFT);
  if (p->lif.width == 0) p->lif.width = ssa_exact_attention_default_width(p->tokens, p->dim);
  /* width, leak shift and reset first, with a threshold every width accepts, so that the
   * threshold's own message can name --scale-shift, the option that sets it */
  ssa_lif_params lif = p->lif;
  lif.threshold = 1;
  if (ssa_lif_params_check(&lif, err) != 0) return -1;
  int64_t max = ((int64_t)1 << (lif.width - 1)) - 1;
  if (((int64_t)1 << p->scale_shift) > max)
    return ssa_fail(err, "--scale-shift %u: the threshold 2^%u must be at most 2^(W-1) - 1 = %lld "
                    "(--width %u)", p->scale_shift, p->scale_shift, (long long)max, lif.width);
  p->lif.threshold = (int64_t)1 << p->scale_shift;
  return 0;
}


unsigned ssa_exact_attention_sum_bits(const ssa_exact_attention_params *p) {
  unsigned bits = 1; /* A in 0 .. N*D, N*D a power of two: log2(N*D) + 1 bits */
  while (((uint64_t)1 << (bits - 1)) < (uint64_t)p->tokens * p->dim) bits++;
  return bits;
}


unsigned ssa_exact_attention_current_bits(const ssa_exact_attention_params *p) {
  return ssa_exact_attention_sum_bits(p) + 2; /* {1'b0, A, 1'b0}: 2 * A with a zero sign */
}

