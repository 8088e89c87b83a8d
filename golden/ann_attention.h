/* ann_attention.h -- golden model of the int8 ANN attention (kind `ann-attention`), bit-exact
 * with the generated ssa_ann_attention (gen/emit_ann.c). core/ann_params.h is the definition
 * of the arithmetic; this computes exactly that, per step, with no state between steps. The
 * stages are exported one by one so that tests can check each against a hand derivation. */
#ifndef SSA_GOLDEN_ANN_ATTENTION_H
#define SSA_GOLDEN_ANN_ATTENTION_H

#include <stdint.h>

#include "../common/error.h"
#include "../core/ann_params.h"

typedef struct ssa_golden_ann {
  ssa_ann_attention_params p;
  /* The last step's scores S and weights P (softmax int: 0 .. 255; none: P = S), per head:
   * element (h, i, j) at (h * N + i) * N + j. Kept for tests and for tracing a mismatch. */
  int64_t *score;
  int64_t *prob;
} ssa_golden_ann;

/* p must have passed ssa_ann_attention_params_prepare. */
int ssa_golden_ann_init(ssa_golden_ann *g, const ssa_ann_attention_params *p, ssa_error *err);
void ssa_golden_ann_free(ssa_golden_ann *g);
/* One attention. q, k, v and o are N x E int8 (E = H D), value (i, c) at i * E + c. */
void ssa_golden_ann_step(ssa_golden_ann *g, const int8_t *q, const int8_t *k, const int8_t *v,
                         int8_t *o);

/* The stages of ann_params.h. floor(a / 2^s) for any a, s from 0 to 63: written as a division
 * of magnitudes, since C leaves >> of a negative number to the implementation. */
int64_t ssa_ann_floor_shift(int64_t a, unsigned s);
/* e = 2^(-x/16) in 15 fraction bits by the table and a shift: 0 once x >> 4 reaches 16. */
int64_t ssa_ann_exp2(int64_t x);
/* r = floor(2^(24 + L) / R), R from 2^15 to 2^(15 + L). */
int64_t ssa_ann_reciprocal(int64_t row_sum, unsigned log2_tokens);
/* P = min(255, (e r) >> (16 + L)). */
int64_t ssa_ann_probability(int64_t e, int64_t r, unsigned log2_tokens);
/* O = sat8((A + 2^(Y-1)) >>> Y), no rounding term when Y = 0. */
int8_t ssa_ann_requantise(int64_t a, unsigned out_shift);

#endif
