/* ann_attention.c -- the int8 ANN attention's golden model (see ann_attention.h): plain loops
 * over heads, rows and columns in int64, each stage of core/ann_params.h a function of its
 * own. No value ever comes near 2^63 (A stays below 2^38), so int64 is exact throughout; the
 * one signed shift, the output's >>>, is floor division written out (ssa_ann_floor_shift). */
#include "ann_attention.h"

#include <stdlib.h>

int ssa_golden_ann_init(ssa_golden_ann *g, const ssa_ann_attention_params *p, ssa_error *err) {
  size_t weights = (size_t)p->heads * p->tokens * p->tokens;
  g->p = *p;
  g->score = calloc(weights, sizeof *g->score);
  g->prob = calloc(weights, sizeof *g->prob);
  if (g->score == NULL || g->prob == NULL) {
    ssa_golden_ann_free(g);
    return ssa_fail(err, "out of memory for the ANN attention model");
  }
  return 0;
}

void ssa_golden_ann_free(ssa_golden_ann *g) {
  free(g->score);
  free(g->prob);
  g->score = NULL;
  g->prob = NULL;
}

int64_t ssa_ann_floor_shift(int64_t a, unsigned s) {
  if (s == 0) return a;
  if (a >= 0) return a >> s; /* >> of a non-negative value is defined: floor division */
  /* a < 0: floor(a / 2^s) = -ceil(|a| / 2^s), |a| in uint64_t (2^63 fits); s >= 1 keeps the
   * ceiling at most 2^62 */
  uint64_t mag = (uint64_t)0 - (uint64_t)a;
  uint64_t ceil = (mag >> s) + ((mag & (((uint64_t)1 << s) - 1)) != 0);
  return -(int64_t)ceil;
}

int64_t ssa_ann_exp2(int64_t x) {
  int64_t whole = x >> SSA_ANN_EXP_FRACTION; /* x >= 0 */
  /* 2^-16 and below round to 0 in 15 fraction bits, and the guard keeps the shift of a 16-bit
   * table entry meaningful */
  if (whole >= 16) return 0;
  return (int64_t)SSA_ANN_EXP2[x & ((1 << SSA_ANN_EXP_FRACTION) - 1)] >> whole;
}

int64_t ssa_ann_reciprocal(int64_t row_sum, unsigned log2_tokens) {
  return ((int64_t)1 << (24 + log2_tokens)) / row_sum; /* both positive: C's / is floor */
}

int64_t ssa_ann_probability(int64_t e, int64_t r, unsigned log2_tokens) {
  int64_t p = (e * r) >> (16 + log2_tokens); /* e, r >= 0 */
  return p > SSA_ANN_PROB_MAX ? SSA_ANN_PROB_MAX : p;
}

int8_t ssa_ann_requantise(int64_t a, unsigned out_shift) {
  int64_t rounding = out_shift == 0 ? 0 : (int64_t)1 << (out_shift - 1);
  int64_t o = ssa_ann_floor_shift(a + rounding, out_shift);
  return (int8_t)(o < -128 ? -128 : o > 127 ? 127 : o);
}

/* Row i's weights from its scores, in place: S in, P out (softmax int). */
static void softmax_row(int64_t *row, unsigned n, unsigned log2_n, unsigned score_shift) {
  int64_t m = row[0];
  for (unsigned j = 1; j < n; j++)
    if (row[j] > m) m = row[j];
  int64_t sum = 0;
  for (unsigned j = 0; j < n; j++) {
    row[j] = ssa_ann_exp2((m - row[j]) >> score_shift); /* m - S >= 0 */
    sum += row[j];
  }
  int64_t r = ssa_ann_reciprocal(sum, log2_n);
  for (unsigned j = 0; j < n; j++) row[j] = ssa_ann_probability(row[j], r, log2_n);
}

void ssa_golden_ann_step(ssa_golden_ann *g, const int8_t *q, const int8_t *k, const int8_t *v,
                         int8_t *o) {
  const ssa_ann_attention_params *p = &g->p;
  unsigned n = p->tokens, dim = p->dim, e = p->heads * dim, log2_n = ssa_ann_log2(n);
  for (unsigned h = 0; h < p->heads; h++) {
    unsigned base = h * dim;
    int64_t *score = g->score + (size_t)h * n * n, *prob = g->prob + (size_t)h * n * n;
    /* S = Q_h K_h^T */
    for (unsigned i = 0; i < n; i++) {
      const int8_t *qi = q + (size_t)i * e + base;
      for (unsigned j = 0; j < n; j++) {
        const int8_t *kj = k + (size_t)j * e + base;
        int64_t s = 0;
        for (unsigned d = 0; d < dim; d++) s += (int64_t)qi[d] * kj[d];
        score[(size_t)i * n + j] = s;
      }
    }
    /* P: the integer softmax of each row, or S itself */
    for (size_t x = 0; x < (size_t)n * n; x++) prob[x] = score[x];
    if (p->softmax == SSA_ANN_SOFTMAX_INT)
      for (unsigned i = 0; i < n; i++) softmax_row(prob + (size_t)i * n, n, log2_n, p->score_shift);
    /* A = P V_h, row by row (j outer, so the inner loop runs along V's row), then O */
    int64_t a[SSA_ANN_MAX_DIM];
    for (unsigned i = 0; i < n; i++) {
      for (unsigned d = 0; d < dim; d++) a[d] = 0;
      for (unsigned j = 0; j < n; j++) {
        int64_t pij = prob[(size_t)i * n + j];
        const int8_t *vj = v + (size_t)j * e + base;
        for (unsigned d = 0; d < dim; d++) a[d] += pij * vj[d];
      }
      for (unsigned d = 0; d < dim; d++)
        o[(size_t)i * e + base + d] = ssa_ann_requantise(a[d], p->out_shift);
    }
  }
}
