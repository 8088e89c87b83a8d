/* test_ann_attention.c -- the int8 ANN attention: parameters (core/ann_params.h), golden model
 * (golden/ann_attention.h) and kind entry (kinds/kind_ann.c). Hand-worked N = 2, D = 2 steps
 * check every stage (scores, row maximum, exponent, row sum, reciprocal, weights,
 * requantisation, saturation, softmax none, the flooring >>> of negative sums); a second,
 * deliberately naive model (__int128, its own exponent table from exp2(), division instead of
 * shifts, another loop order) is compared with the golden model on random steps of many
 * sizes; the extremes the widths are derived from are reached and fit; prepare's messages are
 * checked word for word; and the kind's stimulus (integer lines, --rate bits), output text and
 * bit names are checked on a design built from its ports. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/stimulus.h"
#include "../golden/ann_attention.h"
#include "../kinds/kinds.h"
#include "textio.h"

#define STREAM_TEST 0x54455354u /* "TEST": the tests' own stream, apart from the stimulus */

/* ---- fixtures ---------------------------------------------------------------------------- */

typedef struct config {
  unsigned tokens, dim, heads, softmax, score_shift, out_shift; /* out_shift ~0u: default */
} config;

#define DEF SSA_ANN_OUT_SHIFT_DEFAULT
#define INT SSA_ANN_SOFTMAX_INT
#define NONE SSA_ANN_SOFTMAX_NONE

static void params_of(const config *c, ssa_ann_attention_params *p) {
  ssa_error err = {{0}};
  ssa_ann_attention_params_default(p);
  p->tokens = c->tokens;
  p->dim = c->dim;
  p->heads = c->heads;
  p->softmax = c->softmax;
  p->score_shift = c->score_shift;
  p->out_shift = c->out_shift;
  if (ssa_ann_attention_params_prepare(p, &err) != 0) fail_msg("bad test parameters: %s", err.msg);
}

typedef struct model {
  ssa_ann_attention_params p;
  ssa_golden_ann g;
  int8_t *q, *k, *v, *o;
  size_t n; /* N E */
} model;

static void model_init(model *m, const config *c) {
  ssa_error err = {{0}};
  params_of(c, &m->p);
  assert_int_equal(ssa_golden_ann_init(&m->g, &m->p, &err), 0);
  m->n = (size_t)c->tokens * c->heads * c->dim;
  m->q = calloc(4 * m->n, 1);
  assert_non_null(m->q);
  m->k = m->q + m->n;
  m->v = m->k + m->n;
  m->o = m->v + m->n;
}

static void model_free(model *m) {
  ssa_golden_ann_free(&m->g);
  free(m->q);
}

static void step(model *m) { ssa_golden_ann_step(&m->g, m->q, m->k, m->v, m->o); }

/* ---- the hand-worked steps --------------------------------------------------------------- */

/* N = 2, D = 2, H = 1, so L = 1: r = floor(2^25 / R) and P = min(255, (e r) >> 17).
 *   Q = [ 4  1]   K = [5 2]   V = [100 -50]
 *       [-2  3]       [3 6]       [-20 127]
 * S = Q K^T:  S00 = 4*5 + 1*2 = 22    S01 = 4*3 + 1*6 = 18
 *             S10 = -2*5 + 3*2 = -4   S11 = -2*3 + 3*6 = 12 */
static const int8_t hand_q[4] = {4, 1, -2, 3}, hand_k[4] = {5, 2, 3, 6},
                    hand_v[4] = {100, -50, -20, 127};

static void load_hand(model *m) {
  memcpy(m->q, hand_q, 4);
  memcpy(m->k, hand_k, 4);
  memcpy(m->v, hand_v, 4);
}

static void test_hand_worked_int(void **state) {
  (void)state;
  model m;
  model_init(&m, &(config){2, 2, 1, INT, 0, DEF});
  assert_int_equal(m.p.out_shift, 8);
  load_hand(&m);
  step(&m);
  static const int64_t scores[4] = {22, 18, -4, 12};
  assert_memory_equal(m.g.score, scores, sizeof scores);
  /* row 0: m = 22, x = (0, 4): e = (T[0], T[4]) = (32768, 27554), R = 60322,
   *   r = floor(33554432 / 60322) = 556 (60322 * 556 = 33539032, remainder 15400),
   *   P00 = 32768 * 556 >> 17 = 18219008 / 131072 = 139 exactly,
   *   P01 = 27554 * 556 >> 17 = 15320024 / 131072 = 116.88 -> 116        (sum 255)
   * row 1: m = 12, x = (16, 0): e = (T[0] >> 1, T[0]) = (16384, 32768), R = 49152,
   *   r = floor(33554432 / 49152) = 682 (682.67),
   *   P10 = 16384 * 682 >> 17 = 85.25 -> 85,  P11 = 32768 * 682 >> 17 = 170.5 -> 170 */
  static const int64_t probs[4] = {139, 116, 85, 170};
  assert_memory_equal(m.g.prob, probs, sizeof probs);
  /* A = P V, O = (A + 128) >>> 8:
   *   A00 = 139*100 + 116*(-20) = 11580    -> 11708 / 256 = 45.7  -> 45
   *   A01 = 139*(-50) + 116*127 = 7782     ->  7910 / 256 = 30.9  -> 30
   *   A10 = 85*100 + 170*(-20) = 5100      ->  5228 / 256 = 20.4  -> 20
   *   A11 = 85*(-50) + 170*127 = 17340     -> 17468 / 256 = 68.2  -> 68 */
  static const int8_t out[4] = {45, 30, 20, 68};
  assert_memory_equal(m.o, out, 4);
  model_free(&m);
}

static void test_hand_worked_score_shift(void **state) {
  (void)state;
  model m;
  model_init(&m, &(config){2, 2, 1, INT, 2, DEF});
  load_hand(&m);
  step(&m);
  /* Z = 2: x = (m - S) >> 2.
   * row 0: x = (0, 4 >> 2 = 1): e = (32768, T[1] = 31379), R = 64147,
   *   r = floor(33554432 / 64147) = 523 (64147 * 523 = 33548881),
   *   P00 = 32768 * 523 >> 17 = 130.75 -> 130,  P01 = 31379 * 523 >> 17 = 125.2 -> 125
   * row 1: x = (16 >> 2 = 4, 0): e = (27554, 32768), R = 60322, r = 556 (as row 0 above
   *   without the shift), P10 = 116, P11 = 139 */
  static const int64_t probs[4] = {130, 125, 116, 139};
  assert_memory_equal(m.g.prob, probs, sizeof probs);
  /*   A00 = 130*100 + 125*(-20) = 10500   -> 10628 / 256 = 41.5  -> 41
   *   A01 = 130*(-50) + 125*127 = 9375    ->  9503 / 256 = 37.1  -> 37
   *   A10 = 116*100 + 139*(-20) = 8820    ->  8948 / 256 = 34.95 -> 34
   *   A11 = 116*(-50) + 139*127 = 11853   -> 11981 / 256 = 46.8  -> 46 */
  static const int8_t out[4] = {41, 37, 34, 46};
  assert_memory_equal(m.o, out, 4);
  model_free(&m);
}

static void test_hand_worked_one_hot_and_uniform(void **state) {
  (void)state;
  model m;
  model_init(&m, &(config){2, 2, 1, INT, 0, DEF});
  /* Q = [127 127; 0 0], K = [127 127; -128 -128], V = [127 -128; 1 127]
   * row 0: S = (2 * 16129, 2 * -16256) = (32258, -32512); x01 = 64770, x >> 4 = 4048 >= 16:
   *   e = (32768, 0), R = 32768, r = 2^25 / 2^15 = 1024 = 2^(9+L),
   *   P00 = 32768 * 1024 >> 17 = 256, clamped to 255; P01 = 0
   *   A00 = 255 * 127 = 32385       -> 32513 / 256 = 127.004 -> 127
   *   A01 = 255 * (-128) = -32640   -> -32512 / 256 = -127 exactly -> -127 (the clamp costs
   *   1/256: a one-hot row of -128 does not give -128)
   * row 1: S = (0, 0), x = (0, 0): e = (32768, 32768), R = 65536, r = 512, P = (128, 128)
   *   A10 = 128*127 + 128*1 = 16384     -> 16512 / 256 = 64.5 -> 64
   *   A11 = 128*(-128) + 128*127 = -128 -> 0 / 256 = 0 */
  static const int8_t q[4] = {127, 127, 0, 0}, k[4] = {127, 127, -128, -128},
                      v[4] = {127, -128, 1, 127};
  memcpy(m.q, q, 4);
  memcpy(m.k, k, 4);
  memcpy(m.v, v, 4);
  step(&m);
  static const int64_t scores[4] = {32258, -32512, 0, 0}, probs[4] = {255, 0, 128, 128};
  assert_memory_equal(m.g.score, scores, sizeof scores);
  assert_memory_equal(m.g.prob, probs, sizeof probs);
  static const int8_t out[4] = {127, -127, 64, 0};
  assert_memory_equal(m.o, out, 4);
  model_free(&m);
}

static void test_hand_worked_none(void **state) {
  (void)state;
  /* softmax none: P = S = (22, 18; -4, 12), A = S V:
   *   A00 = 22*100 + 18*(-20) = 1840     A01 = 22*(-50) + 18*127 = 1186
   *   A10 = -4*100 + 12*(-20) = -640     A11 = -4*(-50) + 12*127 = 1724
   * Y = 4: (A + 8) >>> 4 = 1848/16 = 115.5 -> 115, 1194/16 = 74.6 -> 74,
   *   -632/16 = -39.5 -> -40 (floor, not -39), 1732/16 = 108.25 -> 108
   * Y = 2: (A + 2) >>> 2 = 460.5, 297, -159.5 -> -160, 431.5: saturated to 127, 127, -128, 127
   * Y = 16 (the default 14 + 1 + 1): |A| < 2^15, so every output rounds to 0 */
  static const struct {
    unsigned out_shift;
    int8_t out[4];
  } cases[] = {{4, {115, 74, -40, 108}}, {2, {127, 127, -128, 127}}, {DEF, {0, 0, 0, 0}}};
  for (unsigned c = 0; c < 3; c++) {
    model m;
    model_init(&m, &(config){2, 2, 1, NONE, 5, cases[c].out_shift}); /* Z ignored */
    load_hand(&m);
    step(&m);
    static const int64_t scores[4] = {22, 18, -4, 12};
    assert_memory_equal(m.g.score, scores, sizeof scores);
    assert_memory_equal(m.g.prob, scores, sizeof scores);
    assert_memory_equal(m.o, cases[c].out, 4);
    if (cases[c].out_shift == DEF) assert_int_equal(m.p.out_shift, 16);
    model_free(&m);
  }
}

/* The stages on their own, at their boundaries. */
static void test_stages_by_hand(void **state) {
  (void)state;
  /* the exponent: 2^(-x/16) in 15 fraction bits */
  assert_int_equal(ssa_ann_exp2(0), 32768);
  assert_int_equal(ssa_ann_exp2(15), 17109);             /* T[15] */
  assert_int_equal(ssa_ann_exp2(16), 16384);             /* T[0] >> 1 */
  assert_int_equal(ssa_ann_exp2(17), 15689);             /* 31379 >> 1 = 15689.5 floored */
  assert_int_equal(ssa_ann_exp2(8 * 16 + 8), 23170 >> 8); /* 2^-8.5: 90 */
  assert_int_equal(ssa_ann_exp2(240), 1);                /* 32768 >> 15 */
  assert_int_equal(ssa_ann_exp2(241), 0);                /* 31379 >> 15 */
  assert_int_equal(ssa_ann_exp2(255), 0);
  assert_int_equal(ssa_ann_exp2(256), 0);                /* the guard: x >> 4 = 16 */
  assert_int_equal(ssa_ann_exp2(1 << 23), 0);
  /* the reciprocal floor(2^(24+L) / R) at its ends: R = 2^15 and R = N 2^15 */
  assert_int_equal(ssa_ann_reciprocal(32768, 1), 1024);
  assert_int_equal(ssa_ann_reciprocal(65536, 1), 512);
  assert_int_equal(ssa_ann_reciprocal(32768, 8), 1 << 17);
  assert_int_equal(ssa_ann_reciprocal(32768 << 8, 8), 512);
  assert_int_equal(ssa_ann_reciprocal(60322, 1), 556);
  assert_int_equal(ssa_ann_reciprocal(32769, 1), 1023); /* 33554432 / 32769 = 1023.97 */
  /* the weight, clamped at 255 */
  assert_int_equal(ssa_ann_probability(32768, 1024, 1), 255); /* 256 before the clamp */
  assert_int_equal(ssa_ann_probability(32768, 1 << 17, 8), 255);
  assert_int_equal(ssa_ann_probability(32767, 1024, 1), 255); /* 255.99 */
  assert_int_equal(ssa_ann_probability(32640, 1024, 1), 255); /* 255 exactly */
  assert_int_equal(ssa_ann_probability(32639, 1024, 1), 254);
  assert_int_equal(ssa_ann_probability(1, 1024, 1), 0);
  /* floor(a / 2^s): negative values round down, not toward zero */
  assert_int_equal(ssa_ann_floor_shift(-3, 1), -2);
  assert_int_equal(ssa_ann_floor_shift(-4, 1), -2);
  assert_int_equal(ssa_ann_floor_shift(-5, 1), -3);
  assert_int_equal(ssa_ann_floor_shift(3, 1), 1);
  assert_int_equal(ssa_ann_floor_shift(-1, 40), -1);
  assert_int_equal(ssa_ann_floor_shift(-(INT64_C(1) << 40), 40), -1);
  assert_int_equal(ssa_ann_floor_shift(-(INT64_C(1) << 40) - 1, 40), -2);
  assert_int_equal(ssa_ann_floor_shift(INT64_MIN, 63), -1);
  assert_int_equal(ssa_ann_floor_shift(INT64_MIN, 0), INT64_MIN);
  assert_int_equal(ssa_ann_floor_shift(INT64_MAX, 62), 1);
  assert_int_equal(ssa_ann_floor_shift(-7, 0), -7);
  /* requantisation: (A + 2^(Y-1)) >>> Y, ties toward +infinity, then sat8 */
  assert_int_equal(ssa_ann_requantise(-128, 8), 0);   /* -0.5 -> 0 */
  assert_int_equal(ssa_ann_requantise(-129, 8), -1);  /* (-1) >>> 8 = -1; truncation gives 0 */
  assert_int_equal(ssa_ann_requantise(-384, 8), -1);  /* -1.5 -> -256 >>> 8 = -1 */
  assert_int_equal(ssa_ann_requantise(-385, 8), -2);  /* -257 >>> 8 = -1.004 -> -2 */
  assert_int_equal(ssa_ann_requantise(384, 8), 2);    /* 1.5 -> 2 */
  assert_int_equal(ssa_ann_requantise(383, 8), 1);
  assert_int_equal(ssa_ann_requantise(-32768, 8), -128);
  assert_int_equal(ssa_ann_requantise(32512, 8), 127);
  assert_int_equal(ssa_ann_requantise(32640, 8), 127); /* 128 saturated */
  assert_int_equal(ssa_ann_requantise(-32897, 8), -128); /* -129 saturated */
  assert_int_equal(ssa_ann_requantise(-5, 0), -5);     /* no rounding term at Y = 0 */
  assert_int_equal(ssa_ann_requantise(128, 0), 127);
  assert_int_equal(ssa_ann_requantise(-129, 0), -128);
  assert_int_equal(ssa_ann_requantise(-1, 1), 0);      /* (-1 + 1) >>> 1 */
  assert_int_equal(ssa_ann_requantise(-2, 1), -1);     /* (-2 + 1) >>> 1 = -0.5 -> -1 */
  assert_int_equal(ssa_ann_requantise(-(INT64_C(1) << 37), 48), 0); /* Y beyond A's width */
  assert_int_equal(ssa_ann_requantise(INT64_C(1) << 37, 48), 0);
}

/* The table is round(32768 * 2^(-f/16)), computed here in double. */
static void test_exponent_table(void **state) {
  (void)state;
  for (unsigned f = 0; f < 16; f++)
    assert_int_equal(SSA_ANN_EXP2[f], lround(32768.0 * exp2(-(double)f / 16.0)));
}

/* Two heads compute apart: head 0 holds the hand-worked step, head 1 the one-hot step. */
static void test_heads_are_independent(void **state) {
  (void)state;
  model m;
  model_init(&m, &(config){2, 2, 2, INT, 0, DEF});
  static const int8_t q1[4] = {127, 127, 0, 0}, k1[4] = {127, 127, -128, -128},
                      v1[4] = {127, -128, 1, 127};
  for (unsigned i = 0; i < 2; i++)
    for (unsigned d = 0; d < 2; d++) {
      m.q[i * 4 + d] = hand_q[i * 2 + d];
      m.k[i * 4 + d] = hand_k[i * 2 + d];
      m.v[i * 4 + d] = hand_v[i * 2 + d];
      m.q[i * 4 + 2 + d] = q1[i * 2 + d];
      m.k[i * 4 + 2 + d] = k1[i * 2 + d];
      m.v[i * 4 + 2 + d] = v1[i * 2 + d];
    }
  step(&m);
  static const int8_t out[8] = {45, 30, 127, -127, 20, 68, 64, 0};
  assert_memory_equal(m.o, out, 8);
  static const int64_t probs[8] = {139, 116, 85, 170, 255, 0, 128, 128};
  assert_memory_equal(m.g.prob, probs, sizeof probs);
  model_free(&m);
}

/* ---- the naive model --------------------------------------------------------------------- */

typedef __int128 wide;

static wide floor_div(wide a, wide b) { /* b > 0, by truncating division and a correction */
  wide q = a / b;
  if (a % b != 0 && a < 0) q--;
  return q;
}

typedef struct naive_stats {
  unsigned long outputs, saturated, clamped, spread_rows, rows;
} naive_stats;

/* O[i, c] for every i and c: per head and row the scores (d inner), the weights from an
 * exponent table computed here with exp2(), then for every column the sum over j. */
static void naive(const ssa_ann_attention_params *p, const int8_t *q, const int8_t *k,
                  const int8_t *v, int8_t *o, naive_stats *st) {
  unsigned n = p->tokens, dim = p->dim, e = p->heads * dim, lg = 0;
  while ((1u << lg) < n) lg++;
  wide table[16];
  for (unsigned f = 0; f < 16; f++) table[f] = (wide)lround(32768.0 * exp2(-(double)f / 16.0));
  wide s[SSA_ANN_MAX_TOKENS], w[SSA_ANN_MAX_TOKENS];
  for (unsigned h = 0; h < p->heads; h++)
    for (unsigned i = 0; i < n; i++) {
      for (unsigned j = 0; j < n; j++) {
        s[j] = 0;
        for (unsigned d = 0; d < dim; d++)
          s[j] += (wide)q[i * e + h * dim + d] * (wide)k[j * e + h * dim + d];
      }
      if (p->softmax == SSA_ANN_SOFTMAX_INT) {
        wide m = s[0], sum = 0;
        for (unsigned j = 1; j < n; j++) m = s[j] > m ? s[j] : m;
        unsigned nonzero = 0;
        for (unsigned j = 0; j < n; j++) {
          wide x = floor_div(m - s[j], (wide)1 << p->score_shift);
          wide whole = x / 16;
          w[j] = whole >= 16 ? 0 : floor_div(table[x % 16], (wide)1 << whole);
          sum += w[j];
          nonzero += w[j] != 0;
        }
        st->rows++;
        st->spread_rows += nonzero > 1;
        wide r = floor_div((wide)1 << (24 + lg), sum);
        for (unsigned j = 0; j < n; j++) {
          w[j] = floor_div(w[j] * r, (wide)1 << (16 + lg));
          if (w[j] > 255) {
            w[j] = 255;
            st->clamped++;
          }
        }
      } else {
        for (unsigned j = 0; j < n; j++) w[j] = s[j];
      }
      for (unsigned d = 0; d < dim; d++) {
        wide a = 0;
        for (unsigned j = n; j-- > 0;) a += w[j] * (wide)v[j * e + h * dim + d];
        wide y = p->out_shift;
        wide r = floor_div(a + (y == 0 ? 0 : (wide)1 << (y - 1)), (wide)1 << y);
        if (r > 127 || r < -128) st->saturated++;
        o[i * e + h * dim + d] = (int8_t)(r > 127 ? 127 : r < -128 ? -128 : r);
        st->outputs++;
      }
    }
}

/* Inputs of one step: uniform int8, small values (-4 .. 4, so rows keep several weights at
 * Z = 0), or the extremes (-128, -1, 0, 1, 127), by `kind`. */
static void fill(ssa_rng *rng, int8_t *x, size_t n, unsigned kind) {
  static const int8_t extremes[5] = {-128, -1, 0, 1, 127};
  for (size_t i = 0; i < n; i++) {
    uint64_t u = ssa_rng_next(rng);
    x[i] = kind == 0 ? (int8_t)(uint8_t)u : kind == 1 ? (int8_t)((int)(u % 9) - 4)
                                                      : extremes[u % 5];
  }
}

static const config random_configs[] = {
    {2, 2, 1, INT, 0, DEF},    {2, 2, 1, NONE, 0, DEF},  {4, 8, 2, INT, 3, DEF},
    {16, 16, 1, INT, 0, DEF},  {16, 16, 1, INT, 8, DEF}, {8, 4, 3, NONE, 0, DEF},
    {8, 4, 2, NONE, 0, 5},     {32, 64, 1, INT, 10, DEF}, {4, 2, 16, INT, 1, 6},
    {64, 32, 1, INT, 6, 3},    {2, 256, 1, INT, 12, DEF}, {256, 2, 1, INT, 2, DEF},
    {8, 8, 2, INT, 24, 0},     {4, 4, 1, NONE, 0, 48},    {16, 8, 1, NONE, 0, 12},
    {128, 4, 2, INT, 4, 9},
};

static void test_matches_naive_model(void **state) {
  (void)state;
  naive_stats st = {0};
  ssa_rng rng;
  ssa_rng_seed(&rng, 2025, STREAM_TEST);
  for (size_t c = 0; c < sizeof random_configs / sizeof random_configs[0]; c++) {
    model m;
    model_init(&m, &random_configs[c]);
    int8_t *want = malloc(m.n);
    assert_non_null(want);
    for (unsigned t = 0; t < 9; t++) {
      fill(&rng, m.q, m.n, t % 3);
      fill(&rng, m.k, m.n, (t / 3) % 3);
      fill(&rng, m.v, m.n, t % 2 == 0 ? 0 : 2);
      step(&m);
      naive(&m.p, m.q, m.k, m.v, want, &st);
      for (size_t x = 0; x < m.n; x++)
        if (m.o[x] != want[x])
          fail_msg("N=%u D=%u H=%u softmax %s Z=%u Y=%u, step %u: O[%zu] is %d, the naive "
                   "model says %d", m.p.tokens, m.p.dim, m.p.heads,
                   ssa_ann_softmax_names[m.p.softmax], m.p.score_shift, m.p.out_shift, t, x,
                   m.o[x], want[x]);
    }
    free(want);
    model_free(&m);
  }
  /* the steps reached what matters: several weights in a row, the clamp, saturation */
  assert_true(st.spread_rows > 100);
  assert_true(st.spread_rows < st.rows);
  assert_true(st.clamped > 100);
  assert_true(st.saturated > 100);
  assert_true(st.saturated < st.outputs / 2);
}

/* ---- the extremes the widths come from ---------------------------------------------------- */

static void fill_const(int8_t *x, size_t n, int8_t value) { memset(x, (uint8_t)value, n); }

/* softmax none at the default Y: the most negative A, -2^(21 + L + log2 D) (Q = K = V = -128),
 * maps to -128 and the most positive, 16256 * 128 N D (Q = 127, K = V = -128), to 127. */
static void test_none_extremes_at_default_shift(void **state) {
  (void)state;
  static const unsigned sizes[][2] = {{2, 2}, {4, 8}, {16, 16}, {256, 4}, {2, 256}};
  for (unsigned s = 0; s < 5; s++) {
    model m;
    model_init(&m, &(config){sizes[s][0], sizes[s][1], 1, NONE, 0, DEF});
    unsigned lg = ssa_ann_log2(m.p.tokens) + ssa_ann_log2(m.p.dim);
    assert_int_equal(m.p.out_shift, 14 + lg);
    /* S = 16384 D everywhere, the largest score: it must fit the score width, and its double
     * must not (the width is tight) */
    fill_const(m.q, m.n, -128);
    fill_const(m.k, m.n, -128);
    fill_const(m.v, m.n, -128);
    step(&m);
    int64_t top = (int64_t)16384 * m.p.dim;
    unsigned bits = ssa_ann_score_bits(&m.p);
    assert_int_equal(m.g.score[0], top);
    assert_true(top <= ((int64_t)1 << (bits - 1)) - 1 && top > ((int64_t)1 << (bits - 2)) - 1);
    for (size_t x = 0; x < m.n; x++) assert_int_equal(m.o[x], -128);
    /* A = N * 16384 D * -128 = -2^(21 + lg): the accumulator's most negative value exactly */
    int64_t a = (int64_t)m.p.tokens * top * -128;
    assert_int_equal(a, -((int64_t)1 << (21 + lg)));
    assert_int_equal(a, -((int64_t)1 << (ssa_ann_acc_bits(&m.p) - 1)));
    fill_const(m.q, m.n, 127);
    step(&m);
    assert_int_equal(m.g.score[0], (int64_t)-16256 * m.p.dim);
    assert_true(-16256 * (int64_t)m.p.dim >= -((int64_t)1 << (bits - 1)));
    for (size_t x = 0; x < m.n; x++) assert_int_equal(m.o[x], 127);
    model_free(&m);
  }
}

/* softmax int: uniform weights (Q = 0) of V = -128 give A = -128 * 256 = -32768, the 16-bit
 * accumulator's least value, and O = -128; V = 127 gives 32512 and 127. */
static void test_int_extremes(void **state) {
  (void)state;
  static const unsigned tokens[] = {2, 4, 16, 256};
  for (unsigned s = 0; s < 4; s++) {
    model m;
    model_init(&m, &(config){tokens[s], 4, 1, INT, 0, DEF});
    assert_int_equal(ssa_ann_acc_bits(&m.p), 16);
    fill_const(m.q, m.n, 0);
    fill_const(m.k, m.n, 77);
    fill_const(m.v, m.n, -128);
    step(&m);
    /* every e = 32768, R = N 2^15, r = 2^9, P = 2^15 * 2^9 >> (16 + L) = 256 / N */
    for (size_t x = 0; x < (size_t)m.p.tokens * m.p.tokens; x++)
      assert_int_equal(m.g.prob[x], 256 / m.p.tokens);
    for (size_t x = 0; x < m.n; x++) assert_int_equal(m.o[x], -128);
    fill_const(m.v, m.n, 127);
    step(&m);
    for (size_t x = 0; x < m.n; x++) assert_int_equal(m.o[x], 127);
    model_free(&m);
  }
}

/* ---- parameters -------------------------------------------------------------------------- */

static void test_defaults_and_prepare(void **state) {
  (void)state;
  ssa_ann_attention_params p, again;
  ssa_error err = {{0}};
  ssa_ann_attention_params_default(&p);
  assert_int_equal(p.tokens, 16);
  assert_int_equal(p.dim, 16);
  assert_int_equal(p.heads, 1);
  assert_int_equal(p.softmax, SSA_ANN_SOFTMAX_INT);
  assert_int_equal(p.score_shift, 0);
  assert_int_equal(p.macs, 0);
  assert_int_equal(p.out_shift, SSA_ANN_OUT_SHIFT_DEFAULT);
  assert_int_equal(ssa_ann_default_out_shift(&p), 8);
  assert_int_equal(ssa_ann_attention_params_prepare(&p, &err), 0);
  assert_int_equal(p.out_shift, 8);
  again = p;
  assert_int_equal(ssa_ann_attention_params_prepare(&again, &err), 0);
  assert_memory_equal(&again, &p, sizeof p);
  /* none: 14 + log2 N + log2 D */
  static const unsigned none[][3] = {{16, 16, 22}, {2, 2, 16}, {256, 256, 30}, {4, 64, 22}};
  for (unsigned k = 0; k < 4; k++) {
    ssa_ann_attention_params_default(&p);
    p.softmax = SSA_ANN_SOFTMAX_NONE;
    p.tokens = none[k][0];
    p.dim = none[k][1];
    assert_int_equal(ssa_ann_attention_params_prepare(&p, &err), 0);
    assert_int_equal(p.out_shift, none[k][2]);
  }
  /* a given Y is kept; --macs at its ends; --score-shift with none */
  ssa_ann_attention_params_default(&p);
  p.out_shift = 0;
  p.macs = 16;
  p.softmax = SSA_ANN_SOFTMAX_NONE;
  p.score_shift = 24;
  assert_int_equal(ssa_ann_attention_params_prepare(&p, &err), 0);
  assert_int_equal(p.out_shift, 0);
  p.macs = 1;
  p.out_shift = 48;
  assert_int_equal(ssa_ann_attention_params_prepare(&p, &err), 0);
  p.tokens = 256;
  p.dim = 256;
  p.heads = 16;
  p.macs = 256;
  assert_int_equal(ssa_ann_attention_params_prepare(&p, &err), 0);
}

static void expect_error(void (*change)(ssa_ann_attention_params *), const char *message) {
  ssa_ann_attention_params p;
  ssa_error err = {{0}};
  ssa_ann_attention_params_default(&p);
  change(&p);
  assert_int_equal(ssa_ann_attention_params_prepare(&p, &err), -1);
  assert_string_equal(err.msg, message);
}

static void tokens_3(ssa_ann_attention_params *p) { p->tokens = 3; }
static void tokens_512(ssa_ann_attention_params *p) { p->tokens = 512; }
static void dim_1(ssa_ann_attention_params *p) { p->dim = 1; }
static void heads_0(ssa_ann_attention_params *p) { p->heads = 0; }
static void heads_17(ssa_ann_attention_params *p) { p->heads = 17; }
static void softmax_2(ssa_ann_attention_params *p) { p->softmax = 2; }
static void score_shift_25(ssa_ann_attention_params *p) { p->score_shift = 25; }
static void out_shift_49(ssa_ann_attention_params *p) { p->out_shift = 49; }
static void macs_3(ssa_ann_attention_params *p) { p->macs = 3; }
static void macs_32(ssa_ann_attention_params *p) { p->macs = 32; }
static void macs_8_dim_4(ssa_ann_attention_params *p) {
  p->macs = 8;
  p->dim = 4;
}

static void test_parameter_errors(void **state) {
  (void)state;
  expect_error(tokens_3, "--tokens 3: must be a power of two from 2 to 256");
  expect_error(tokens_512, "--tokens 512: must be a power of two from 2 to 256");
  expect_error(dim_1, "--dim 1: must be a power of two from 2 to 256");
  expect_error(heads_0, "--heads 0: must be from 1 to 16");
  expect_error(heads_17, "--heads 17: must be from 1 to 16");
  expect_error(softmax_2, "--softmax 2: must be int or none");
  expect_error(score_shift_25, "--score-shift 25: must be from 0 to 24");
  expect_error(out_shift_49, "--out-shift 49: must be from 0 to 48");
  expect_error(macs_3, "--macs 3: must be 0 or a power of two up to --dim 16");
  expect_error(macs_32, "--macs 32: must be 0 or a power of two up to --dim 16");
  expect_error(macs_8_dim_4, "--macs 8: must be 0 or a power of two up to --dim 4");
}

/* The widths of ann_params.h, by value; the extremes tests show they are reached. */
static void test_widths(void **state) {
  (void)state;
  ssa_ann_attention_params p;
  params_of(&(config){2, 2, 1, INT, 0, DEF}, &p);
  assert_int_equal(ssa_ann_log2(2), 1);
  assert_int_equal(ssa_ann_log2(256), 8);
  assert_int_equal(ssa_ann_score_bits(&p), 17); /* 16384 * 2 = 2^15: 16 magnitude bits + sign */
  assert_int_equal(ssa_ann_prob_bits(&p), 8);
  assert_int_equal(ssa_ann_acc_bits(&p), 16);
  params_of(&(config){256, 256, 1, INT, 0, DEF}, &p);
  assert_int_equal(ssa_ann_score_bits(&p), 24);
  assert_int_equal(ssa_ann_prob_bits(&p), 8);
  assert_int_equal(ssa_ann_acc_bits(&p), 16);
  params_of(&(config){2, 2, 1, NONE, 0, DEF}, &p);
  assert_int_equal(ssa_ann_prob_bits(&p), 17);
  assert_int_equal(ssa_ann_acc_bits(&p), 24); /* |A| up to 2^23 */
  params_of(&(config){256, 256, 4, NONE, 0, DEF}, &p);
  assert_int_equal(ssa_ann_prob_bits(&p), 24);
  assert_int_equal(ssa_ann_acc_bits(&p), 38); /* |A| up to 2^37 */
}

/* ---- the kind ---------------------------------------------------------------------------- */

static const char *const qkv[3] = {"q_i", "k_i", "v_i"};

/* The kind's ports, without its Verilog: what its stimulus and output hooks read. */
static void ports_design(ssa_design *d, const ssa_ann_attention_params *p) {
  memset(d, 0, sizeof *d);
  unsigned bits = p->tokens * p->heads * p->dim * 8;
  ssa_design_add_stream_ports(d, p->macs != 0, qkv, 3, bits, "o_o", bits);
}

/* --rate P: every bit of every value 1 with probability P, from the stimulus stream of seed 1,
 * step by step, Q, K then V. */
static void test_rate_stimulus(void **state) {
  (void)state;
  ssa_ann_attention_params p;
  params_of(&(config){16, 16, 1, INT, 0, DEF}, &p);
  ssa_design d;
  ports_design(&d, &p);
  ssa_error err = {{0}};
  uint64_t seed;
  assert_int_equal(ssa_kind_seed(&ssa_kind_ann_attention, &p, &seed), 0);
  assert_int_equal(seed, 1);
  static const double rates[] = {0.5, 0.0, 1.0};
  for (unsigned r = 0; r < 3; r++) {
    ssa_step_data s;
    assert_int_equal(ssa_kind_random_input(&ssa_kind_ann_attention, &p, &d, 10, rates[r], seed,
                                           &s, &err), 0);
    unsigned long seen[256] = {0};
    for (unsigned t = 0; t < 10; t++)
      for (unsigned b = 0; b < 3; b++) {
        const uint64_t *w = ssa_step_in(&s, t, (unsigned)ssa_design_port_index(&d, qkv[b]));
        for (size_t x = 0; x < 256; x++) seen[ssa_words_get_field(w, x * 8, 8)]++;
      }
    if (r == 0) {
      /* 7680 values: every one of the 256 appears (each misses with chance e^-30), none
       * more than twice its expected 30 */
      for (unsigned v = 0; v < 256; v++) {
        if (seen[v] == 0) fail_msg("--rate 0.5 never drew the int8 value %d", (int8_t)v);
        assert_true(seen[v] < 60);
      }
    } else {
      assert_int_equal(seen[r == 1 ? 0x00 : 0xff], 7680); /* 0 or -1 everywhere */
    }
    /* the same bits as drawing the blocks directly */
    ssa_rng rng;
    ssa_rng_seed(&rng, 1, SSA_STREAM_STIMULUS);
    for (unsigned t = 0; t < 10; t++)
      for (unsigned b = 0; b < 3; b++) {
        uint64_t words[32];
        ssa_rng_bits(&rng, words, 2048, rates[r]);
        assert_memory_equal(ssa_step_in(&s, t, (unsigned)ssa_design_port_index(&d, qkv[b])),
                            words, sizeof words);
      }
    ssa_step_data_free(&s);
  }
  ssa_design_free(&d);
}

/* Integer lines in, golden step, text out: the hand-worked step through the kind's hooks. */
static void test_kind_hooks(void **state) {
  (void)state;
  ssa_ann_attention_params p;
  params_of(&(config){2, 2, 1, INT, 0, DEF}, &p);
  ssa_design d;
  ports_design(&d, &p);
  ssa_error err = {{0}};
  char path[] = "/tmp/ssa_test_ann_XXXXXX";
  FILE *f = temp_file(path);
  fprintf(f, "# Q K V\n4 1 -2 3  5 2 3 6  100 -50 -20 127\n"
             "-128 127 0 0  0 0 0 0  127 127 127 127\n");
  assert_int_equal(fclose(f), 0);
  ssa_step_data s;
  assert_int_equal(ssa_kind_read_input(&ssa_kind_ann_attention, &p, &d, path, 0, &s, &err), 0);
  assert_int_equal(s.steps, 2);
  /* value (i, c) at bits (i E + c) 8: Q's (1, 0) is -2 */
  const uint64_t *q = ssa_step_in(&s, 0, (unsigned)ssa_design_port_index(&d, "q_i"));
  assert_int_equal(ssa_words_get_signed(q, 2 * 8, 8), -2);
  assert_int_equal(ssa_words_get_field(q, 2 * 8, 8), 0xfe);
  assert_int_equal(ssa_kind_ann_attention.golden(&p, &s, &err), 0);
  const uint64_t *o = ssa_step_out(&s, 0, (unsigned)ssa_design_port_index(&d, "o_o"));
  assert_int_equal(o[0], 0x44141e2dull); /* 68, 20, 30, 45 from the top */
  /* step 1: Q K^T = 0, uniform weights, V = 127: O = 127 everywhere */
  o = ssa_step_out(&s, 1, (unsigned)ssa_design_port_index(&d, "o_o"));
  assert_int_equal(o[0], 0x7f7f7f7full);
  memory_text m;
  ssa_kind_write_output(&ssa_kind_ann_attention, memory_open(&m), &p, &s, 0, "ssa sim x");
  char *text = memory_close(&m, NULL);
  assert_string_equal(text, "# ssa sim x\n"
                            "# output O: 2 tokens x 2 columns of int8 per step, one line per "
                            "step, value (i, c) at i * 2 + c\n"
                            "45 30 20 68\n127 127 127 127\n");
  free(text);
  ssa_kind_write_output(&ssa_kind_ann_attention, memory_open(&m), &p, &s, 1, "ssa sim x");
  text = memory_close(&m, NULL);
  assert_string_equal(text, "4 163\n4 508\n"); /* nonzero outputs, their sum */
  free(text);
  char what[80];
  ssa_kind_describe_bit(&ssa_kind_ann_attention, &p, &d, 0, 3 * 8 + 5, what, sizeof what);
  assert_string_equal(what, "token 1, column 1, bit 5");
  ssa_step_data_free(&s);
  /* a value out of range names the file, the line and the range */
  f = fopen(path, "w");
  assert_non_null(f);
  fprintf(f, "4 1 -2 3  5 2 3 6  100 -50 -20 128\n");
  assert_int_equal(fclose(f), 0);
  assert_int_equal(ssa_kind_read_input(&ssa_kind_ann_attention, &p, &d, path, 0, &s, &err), -1);
  char want[200];
  snprintf(want, sizeof want, "%s:1: value 128 out of range for int8 Q, K, V (-128 to 127)", path);
  assert_string_equal(err.msg, want);
  unlink(path);
  ssa_design_free(&d);
}

/* The emitted design has the ports the kind reads, and in_ready_o exactly when --macs >= 1. */
static void test_emitted_ports(void **state) {
  (void)state;
  for (unsigned macs = 0; macs <= 2; macs += 2) {
    ssa_ann_attention_params p;
    params_of(&(config){2, 2, 1, INT, 0, DEF}, &p);
    p.macs = macs;
    ssa_error err = {{0}};
    ssa_design d;
    if (ssa_kind_emit(&ssa_kind_ann_attention, &p, &d, &err) != 0) fail_msg("%s", err.msg);
    static const char *const data[4] = {"q_i", "k_i", "v_i", "o_o"};
    for (unsigned b = 0; b < 4; b++) {
      int port = ssa_design_port_index(&d, data[b]);
      assert_true(port >= 0);
      assert_int_equal(d.ports[port].width, 2 * 2 * 8);
      assert_int_equal(d.ports[port].is_input, b < 3);
    }
    assert_int_equal(ssa_design_port_index(&d, "in_ready_o") >= 0, macs != 0);
    ssa_design_free(&d);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_hand_worked_int),
      cmocka_unit_test(test_hand_worked_score_shift),
      cmocka_unit_test(test_hand_worked_one_hot_and_uniform),
      cmocka_unit_test(test_hand_worked_none),
      cmocka_unit_test(test_stages_by_hand),
      cmocka_unit_test(test_exponent_table),
      cmocka_unit_test(test_heads_are_independent),
      cmocka_unit_test(test_matches_naive_model),
      cmocka_unit_test(test_none_extremes_at_default_shift),
      cmocka_unit_test(test_int_extremes),
      cmocka_unit_test(test_defaults_and_prepare),
      cmocka_unit_test(test_parameter_errors),
      cmocka_unit_test(test_widths),
      cmocka_unit_test(test_rate_stimulus),
      cmocka_unit_test(test_kind_hooks),
      cmocka_unit_test(test_emitted_ports),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
