/* test_exact_attention.c -- the golden model of exact spiking attention, the Spikformer
 * baseline (golden/exact_attention.h). The central test recomputes every step independently:
 * (Q K^T V)[i, c] as a plain sum over j and d of Q[i, hD+d] K[j, hD+d] V[j, c] (no score
 * matrix), and the LIF neuron by hand with its own floor division and saturation (not
 * ssa_lif_step), for several sizes and head counts over 20 random steps, membranes included.
 * Around it: an all-zero input never spikes; hand-worked N = 2, D = 2 sequences for both
 * resets; the largest size, whose current must not saturate the default width; the default
 * width, the parameter messages; and the emitter's primitives added once. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kinds/kinds.h"
#include "../gen/emit_exact.h"
#include "../golden/exact_attention.h"
#include "../core/stimulus.h"

#define RANDOM_STEPS 20u
#define STREAM_TEST 0x54455354u  /* "TEST": the tests' own stream, apart from the stimulus */

/* ---- fixtures ---------------------------------------------------------------------------- */

typedef struct config {
  unsigned tokens, dim, heads, scale_shift, width, leak_shift; /* width 0: the default */
  enum ssa_lif_reset reset;
} config;

typedef struct model {
  ssa_exact_attention_params p;
  ssa_golden_exact g;
  ssa_bitmat q, k, v, o;
  char name[160];
} model;

static void model_init(model *m, const config *c) {
  ssa_error err = {{0}};
  ssa_exact_attention_params_default(&m->p);
  m->p.tokens = c->tokens;
  m->p.dim = c->dim;
  m->p.heads = c->heads;
  m->p.scale_shift = c->scale_shift;
  m->p.lif.width = c->width;
  m->p.lif.leak_shift = c->leak_shift;
  m->p.lif.reset = c->reset;
  if (ssa_exact_attention_params_prepare(&m->p, &err) != 0)
    fail_msg("bad test parameters: %s", err.msg);
  snprintf(m->name, sizeof m->name, "N=%u D=%u H=%u s=%u W=%u L=%u reset=%s", c->tokens, c->dim,
           c->heads, c->scale_shift, m->p.lif.width, c->leak_shift, ssa_lif_reset_name(c->reset));
  if (ssa_golden_exact_init(&m->g, &m->p, &err) != 0) fail_msg("%s: %s", m->name, err.msg);
  unsigned e = c->heads * c->dim;
  assert_int_equal(ssa_bitmat_init(&m->q, c->tokens, e), 0);
  assert_int_equal(ssa_bitmat_init(&m->k, c->tokens, e), 0);
  assert_int_equal(ssa_bitmat_init(&m->v, c->tokens, e), 0);
  assert_int_equal(ssa_bitmat_init(&m->o, c->tokens, e), 0);
}

static void model_free(model *m) {
  ssa_golden_exact_free(&m->g);
  ssa_bitmat_free(&m->q);
  ssa_bitmat_free(&m->k);
  ssa_bitmat_free(&m->v);
  ssa_bitmat_free(&m->o);
}

static void step(model *m) { ssa_golden_exact_step(&m->g, &m->q, &m->k, &m->v, &m->o); }

/* Rows of '0'/'1' text into a matrix: rows[r][c] is element (r, c). */
static void put_rows(ssa_bitmat *a, const char *const *rows) {
  for (unsigned r = 0; r < a->rows; r++) {
    assert_int_equal(strlen(rows[r]), a->cols);
    for (unsigned c = 0; c < a->cols; c++) ssa_bitmat_put(a, r, c, rows[r][c] == '1');
  }
}

/* ---- the independent reference ------------------------------------------------------------ */

/* floor(a / b) for b > 0, by C's truncating division and a correction (not a shift). */
static int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if (a % b != 0 && a < 0) q--;
  return q;
}

/* One LIF step written out: v = clamp(u - floor(u / 2^L) + I), spike when v >= theta. */
static int hand_lif(int64_t *u, int64_t current, unsigned width, unsigned leak_shift,
                    int64_t theta, int subtract, int64_t *charged) {
  int64_t hi = ((int64_t)1 << (width - 1)) - 1, lo = -((int64_t)1 << (width - 1));
  int64_t v = *u - floor_div(*u, (int64_t)1 << leak_shift) + current;
  if (v > hi) v = hi;
  if (v < lo) v = lo;
  *charged = v;
  if (v >= theta) {
    *u = subtract ? v - theta : 0;
    return 1;
  }
  *u = v;
  return 0;
}

/* (Q K^T V)[i, c] for column c of head c / D: sum over j and d, no intermediate scores. */
static int64_t hand_qktv(const ssa_bitmat *q, const ssa_bitmat *k, const ssa_bitmat *v,
                         unsigned dim, unsigned i, unsigned c) {
  unsigned base = c / dim * dim;
  int64_t a = 0;
  for (unsigned j = 0; j < q->rows; j++)
    for (unsigned d = 0; d < dim; d++)
      a += ssa_bitmat_get(q, i, base + d) * ssa_bitmat_get(k, j, base + d) *
           ssa_bitmat_get(v, j, c);
  return a;
}

/* ---- golden model against the reference, random inputs ------------------------------------ */

static const config random_configs[] = {
    {2, 2, 1, 3, 0, 1, SSA_LIF_RESET_ZERO},       /* the smallest size, the defaults */
    {2, 2, 1, 0, 0, 0, SSA_LIF_RESET_SUBTRACT},   /* theta = 1, L = 0 keeps nothing */
    {4, 8, 1, 3, 0, 1, SSA_LIF_RESET_SUBTRACT},
    {8, 4, 2, 2, 0, 2, SSA_LIF_RESET_ZERO},
    {4, 4, 3, 3, 0, 1, SSA_LIF_RESET_ZERO},       /* an odd number of heads */
    {16, 16, 1, 6, 0, 1, SSA_LIF_RESET_ZERO},
    {8, 32, 1, 7, 20, 3, SSA_LIF_RESET_SUBTRACT},
    {16, 16, 2, 5, 8, 1, SSA_LIF_RESET_SUBTRACT}, /* W = 8: currents up to 512 saturate at 127 */
    {32, 2, 4, 4, 0, 4, SSA_LIF_RESET_ZERO},
    {2, 64, 1, 5, 0, 1, SSA_LIF_RESET_ZERO},
    {64, 64, 1, 9, 0, 2, SSA_LIF_RESET_SUBTRACT}, /* default width 17 */
    {4, 128, 2, 7, 0, 1, SSA_LIF_RESET_ZERO},     /* a head of two words, the second head */
    {2, 256, 1, 8, 0, 2, SSA_LIF_RESET_SUBTRACT}, /* starting on word 2: the word pieces */
};

static void test_golden_matches_hand_arithmetic(void **state) {
  (void)state;
  static const double rates[] = {0.1, 0.3, 0.5, 0.8, 1.0, 0.0};
  unsigned long spikes = 0, outputs = 0;
  for (size_t n = 0; n < sizeof random_configs / sizeof random_configs[0]; n++) {
    const config *c = &random_configs[n];
    model m;
    model_init(&m, c);
    unsigned e = c->heads * c->dim;
    int64_t *u = calloc((size_t)c->tokens * e, sizeof *u);
    assert_non_null(u);
    ssa_rng rng;
    ssa_rng_seed(&rng, 100 + n, STREAM_TEST);
    for (unsigned t = 0; t < RANDOM_STEPS; t++) {
      ssa_bitmat *in[3] = {&m.q, &m.k, &m.v};
      for (unsigned b = 0; b < 3; b++)
        ssa_rng_fill(&rng, in[b], rates[ssa_rng_next(&rng) % (sizeof rates / sizeof rates[0])]);
      step(&m);
      for (unsigned i = 0; i < c->tokens; i++)
        for (unsigned col = 0; col < e; col++) {
          int64_t *ui = &u[(size_t)i * e + col];
          int64_t a = hand_qktv(&m.q, &m.k, &m.v, c->dim, i, col);
          int64_t charged;
          int spike = hand_lif(ui, 2 * a, m.p.lif.width, c->leak_shift,
                               (int64_t)1 << c->scale_shift, c->reset == SSA_LIF_RESET_SUBTRACT,
                               &charged);
          int got = ssa_bitmat_get(&m.o, i, col);
          int64_t got_u = m.g.membrane[(size_t)i * e + col];
          int64_t got_charged = m.g.charged[(size_t)i * e + col];
          if (got_charged != charged)
            fail_msg("%s, step %u, token %u, column %u: A = %lld; golden membrane before the "
                     "threshold %lld, expected %lld", m.name, t, i, col, (long long)a,
                     (long long)got_charged, (long long)charged);
          if (got != spike || got_u != *ui)
            fail_msg("%s, step %u, token %u, column %u: A = %lld; golden spike %d, membrane %lld; "
                     "expected spike %d, membrane %lld", m.name, t, i, col, (long long)a, got,
                     (long long)got_u, spike, (long long)*ui);
          spikes += (unsigned long)spike;
          outputs++;
        }
    }
    free(u);
    model_free(&m);
  }
  /* the comparison saw both outcomes many times */
  assert_true(spikes > outputs / 20);
  assert_true(spikes < outputs - outputs / 20);
}

/* ---- boundary values ------------------------------------------------------------------------ */

/* No input, no current: the membrane stays 0 and 0 < theta, even at theta = 1 (s = 0). The
 * same holds with Q and K full but V empty, and with V full but K empty. */
static void test_zero_input_never_spikes(void **state) {
  (void)state;
  static const config configs[] = {
      {2, 2, 1, 0, 0, 0, SSA_LIF_RESET_ZERO},
      {8, 4, 2, 0, 0, 1, SSA_LIF_RESET_SUBTRACT},
      {16, 16, 1, 3, 0, 1, SSA_LIF_RESET_ZERO},
      {4, 2, 16, 0, 2, 1, SSA_LIF_RESET_SUBTRACT},  /* W = 2, the narrowest membrane */
  };
  for (size_t n = 0; n < sizeof configs / sizeof configs[0]; n++) {
    for (int pattern = 0; pattern < 3; pattern++) {
      model m;
      model_init(&m, &configs[n]);
      /* 0: all zero; 1: Q, K full, V zero; 2: Q, V full, K zero */
      for (unsigned r = 0; r < m.q.rows; r++)
        for (unsigned c = 0; c < m.q.cols; c++) {
          ssa_bitmat_put(&m.q, r, c, pattern != 0);
          ssa_bitmat_put(&m.k, r, c, pattern == 1);
          ssa_bitmat_put(&m.v, r, c, pattern == 2);
        }
      for (unsigned t = 0; t < 50; t++) {
        step(&m);
        if (ssa_bitmat_popcount(&m.o) != 0)
          fail_msg("%s, pattern %d, step %u: %lu spikes from a zero current", m.name, pattern, t,
                   ssa_bitmat_popcount(&m.o));
      }
      for (size_t k = 0; k < (size_t)m.q.rows * m.q.cols; k++) assert_int_equal(m.g.membrane[k], 0);
      model_free(&m);
    }
  }
}

/* N = 2, D = 2, H = 1, s = 2 (theta = 4), L = 1, worked by hand. Per step: Q, K, V rows, then
 * the expected spikes and membranes after the step for reset zero and reset subtract.
 *
 * step 0: Q = [11; 01], K = [10; 11], V = [01; 10]
 *   S = Q K^T = [1 2; 0 1];  A = S V = [2 1; 1 0];  I = 2A = [4 2; 2 0]
 *   v = I (u = 0): spikes [1 0; 0 0]; u = [0 2; 2 0] (both resets: 4 - 4 = 0)
 * step 1: Q = [10; 00], K = [10; 01], V = [11; 00]
 *   S = [1 0; 0 0];  A = [1 1; 0 0];  I = [2 2; 0 0]
 *   v = u - (u >>> 1) + I = [0-0+2, 2-1+2; 2-1+0, 0] = [2 3; 1 0]: no spike
 * step 2: Q = K = V = all ones
 *   S = [2 2; 2 2];  A = [4 4; 4 4];  I = [8 8; 8 8]
 *   v = [2-1+8, 3-1+8; 1-0+8, 0+8] = [9 10; 9 8]: all spike;
 *   zero: u = [0 0; 0 0];  subtract: u = v - 4 = [5 6; 5 4]
 * step 3: all zero, I = 0
 *   zero: v = 0, no spike;  subtract: v = [5-2, 6-3; 5-2, 4-2] = [3 3; 3 2], no spike
 * step 4: step 1's input again, I = [2 2; 0 0]
 *   zero: v = [2 2; 0 0], no spike, u = v
 *   subtract: v = [3-1+2, 3-1+2; 3-1+0, 2-1+0] = [4 4; 2 1]: spikes [1 1; 0 0]; u = [0 0; 2 1] */
typedef struct hand_step {
  const char *q[2], *k[2], *v[2];
  const char *spike[2][2];     /* [reset][row] */
  int64_t u[2][4];             /* [reset][i*2 + d] */
} hand_step;

static const hand_step hand_steps[] = {
    {{"11", "01"}, {"10", "11"}, {"01", "10"},
     {{"10", "00"}, {"10", "00"}}, {{0, 2, 2, 0}, {0, 2, 2, 0}}},
    {{"10", "00"}, {"10", "01"}, {"11", "00"},
     {{"00", "00"}, {"00", "00"}}, {{2, 3, 1, 0}, {2, 3, 1, 0}}},
    {{"11", "11"}, {"11", "11"}, {"11", "11"},
     {{"11", "11"}, {"11", "11"}}, {{0, 0, 0, 0}, {5, 6, 5, 4}}},
    {{"00", "00"}, {"00", "00"}, {"00", "00"},
     {{"00", "00"}, {"00", "00"}}, {{0, 0, 0, 0}, {3, 3, 3, 2}}},
    {{"10", "00"}, {"10", "01"}, {"11", "00"},
     {{"00", "00"}, {"11", "00"}}, {{2, 2, 0, 0}, {0, 0, 2, 1}}},
};

static void test_hand_worked_n2_d2(void **state) {
  (void)state;
  for (int reset = 0; reset < 2; reset++) {
    config c = {2, 2, 1, 2, 0, 1, reset ? SSA_LIF_RESET_SUBTRACT : SSA_LIF_RESET_ZERO};
    model m;
    model_init(&m, &c);
    for (size_t t = 0; t < sizeof hand_steps / sizeof hand_steps[0]; t++) {
      const hand_step *h = &hand_steps[t];
      put_rows(&m.q, h->q);
      put_rows(&m.k, h->k);
      put_rows(&m.v, h->v);
      step(&m);
      for (unsigned i = 0; i < 2; i++)
        for (unsigned d = 0; d < 2; d++) {
          int want = h->spike[reset][i][d] == '1';
          int64_t want_u = h->u[reset][i * 2 + d];
          if (ssa_bitmat_get(&m.o, i, d) != want || m.g.membrane[i * 2 + d] != want_u)
            fail_msg("reset %s, step %zu, (%u, %u): spike %d, membrane %lld; expected %d, %lld",
                     ssa_lif_reset_name(c.reset), t, i, d, ssa_bitmat_get(&m.o, i, d),
                     (long long)m.g.membrane[i * 2 + d], want, (long long)want_u);
        }
    }
    /* back to the reset state: step 0 again gives step 0's result */
    ssa_golden_exact_reset(&m.g);
    put_rows(&m.q, hand_steps[0].q);
    put_rows(&m.k, hand_steps[0].k);
    put_rows(&m.v, hand_steps[0].v);
    step(&m);
    assert_int_equal(ssa_bitmat_get(&m.o, 0, 0), 1);
    assert_int_equal(ssa_bitmat_popcount(&m.o), 1);
    assert_int_equal(m.g.membrane[1], 2);
    model_free(&m);
  }
}

/* The largest size, N = D = 256, all ones: A = N*D = 65536 and I = 131072, which the default
 * width 19 holds (2^18 - 1 = 262143): with reset subtract the membrane after the first step is
 * exactly I - theta, not a saturated value, and so is the second step's. */
static void test_largest_size_does_not_saturate(void **state) {
  (void)state;
  config c = {256, 256, 1, 3, 0, 1, SSA_LIF_RESET_SUBTRACT};
  model m;
  model_init(&m, &c);
  assert_int_equal(m.p.lif.width, 19);
  for (unsigned r = 0; r < 256; r++)
    for (unsigned col = 0; col < 256; col++) {
      ssa_bitmat_put(&m.q, r, col, 1);
      ssa_bitmat_put(&m.k, r, col, 1);
      ssa_bitmat_put(&m.v, r, col, 1);
    }
  step(&m);
  assert_int_equal(ssa_bitmat_popcount(&m.o), 256 * 256);
  assert_int_equal(m.g.membrane[0], 131072 - 8);
  assert_int_equal(m.g.membrane[256 * 256 - 1], 131072 - 8);
  step(&m); /* 131064 - 65532 + 131072 = 196604, inside the range */
  assert_int_equal(m.g.membrane[12345], 196604 - 8);
  model_free(&m);
}

/* ---- parameters -------------------------------------------------------------------------- */

static void test_default_width(void **state) {
  (void)state;
  /* 2 N D <= 2^(W-1) - 1 with W >= 16 */
  assert_int_equal(ssa_exact_attention_default_width(2, 2), 16);
  assert_int_equal(ssa_exact_attention_default_width(64, 128), 16);     /* 16384 <= 32767 */
  assert_int_equal(ssa_exact_attention_default_width(128, 128), 17);    /* 32768 > 32767 */
  assert_int_equal(ssa_exact_attention_default_width(256, 128), 18);
  assert_int_equal(ssa_exact_attention_default_width(256, 256), 19);    /* 131072 */
  ssa_exact_attention_params p;
  ssa_error err = {{0}};
  ssa_exact_attention_params_default(&p);
  assert_int_equal(p.scale_shift, 3);
  assert_int_equal(p.lif.leak_shift, 1);
  assert_int_equal(p.lif.reset, SSA_LIF_RESET_ZERO);
  assert_int_equal(ssa_exact_attention_params_prepare(&p, &err), 0);
  assert_int_equal(p.lif.width, 16);
  assert_int_equal(p.lif.threshold, 8);
  /* A in 0 .. 256 takes 9 bits; 2A with a zero sign bit 11 */
  assert_int_equal(ssa_exact_attention_sum_bits(&p), 9);
  assert_int_equal(ssa_exact_attention_current_bits(&p), 11);
  /* a second prepare changes nothing, an explicit width stays */
  ssa_exact_attention_params again = p;
  assert_int_equal(ssa_exact_attention_params_prepare(&again, &err), 0);
  assert_memory_equal(&again, &p, sizeof p);
  p.lif.width = 24;
  p.scale_shift = 20;
  assert_int_equal(ssa_exact_attention_params_prepare(&p, &err), 0);
  assert_int_equal(p.lif.width, 24);
  assert_int_equal(p.lif.threshold, 1 << 20);
}

static void expect_error(void (*change)(ssa_exact_attention_params *), const char *message) {
  ssa_exact_attention_params p;
  ssa_error err = {{0}};
  ssa_exact_attention_params_default(&p);
  change(&p);
  assert_int_equal(ssa_exact_attention_params_prepare(&p, &err), -1);
  assert_string_equal(err.msg, message);
}

static void tokens_3(ssa_exact_attention_params *p) { p->tokens = 3; }
static void tokens_1(ssa_exact_attention_params *p) { p->tokens = 1; }
static void dim_512(ssa_exact_attention_params *p) { p->dim = 512; }
static void heads_0(ssa_exact_attention_params *p) { p->heads = 0; }
static void heads_17(ssa_exact_attention_params *p) { p->heads = 17; }
static void shift_21(ssa_exact_attention_params *p) { p->scale_shift = 21; }
static void shift_15(ssa_exact_attention_params *p) { p->scale_shift = 15; }
static void shift_1_width_2(ssa_exact_attention_params *p) {
  p->scale_shift = 1;
  p->lif.width = 2;
}
static void width_33(ssa_exact_attention_params *p) { p->lif.width = 33; }
static void leak_16(ssa_exact_attention_params *p) { p->lif.leak_shift = 16; }

static void test_parameter_errors(void **state) {
  (void)state;
  expect_error(tokens_3, "--tokens 3: must be a power of two from 2 to 256");
  expect_error(tokens_1, "--tokens 1: must be a power of two from 2 to 256");
  expect_error(dim_512, "--dim 512: must be a power of two from 2 to 256");
  expect_error(heads_0, "--heads 0: must be from 1 to 16");
  expect_error(heads_17, "--heads 17: must be from 1 to 16");
  expect_error(shift_21, "--scale-shift 21: must be from 0 to 20");
  expect_error(shift_15, "--scale-shift 15: the threshold 2^15 must be at most 2^(W-1) - 1 = 32767 "
                         "(--width 16)");
  expect_error(shift_1_width_2,
               "--scale-shift 1: the threshold 2^1 must be at most 2^(W-1) - 1 = 1 (--width 2)");
  expect_error(width_33, "--width 33: must be from 2 to 32");
  expect_error(leak_16, "--leak-shift 16: must be from 0 to 15 (below --width)");
  /* the largest threshold the default width allows */
  ssa_exact_attention_params p;
  ssa_error err = {{0}};
  ssa_exact_attention_params_default(&p);
  p.scale_shift = 14;
  assert_int_equal(ssa_exact_attention_params_prepare(&p, &err), 0);
  assert_int_equal(p.lif.threshold, 16384);
}

/* The primitives are added once, even to a design that already holds one of them. */
static void test_primitives_added_once(void **state) {
  (void)state;
  ssa_exact_attention_params p;
  ssa_error err = {{0}};
  ssa_exact_attention_params_default(&p);
  p.tokens = 4;
  p.dim = 4;
  assert_int_equal(ssa_exact_attention_params_prepare(&p, &err), 0);
  ssa_design d;
  assert_int_equal(ssa_kind_emit(&ssa_kind_exact_attention, &p, &d, &err), 0);
  assert_string_equal(d.files[0].name, "ssa_exact_attention.v");
  unsigned files = d.file_count, popcount = 0, lif = 0;
  for (unsigned k = 0; k < files; k++) {
    popcount += strcmp(d.files[k].name, "ssa_popcount.v") == 0;
    lif += strcmp(d.files[k].name, "ssa_lif.v") == 0;
  }
  assert_int_equal(popcount, 1);
  assert_int_equal(lif, 1);
  assert_int_equal(ssa_emit_exact_attention_primitives(&d, &err), 0);
  assert_int_equal(d.file_count, files);
  assert_int_equal(d.latency, SSA_EXACT_ATTENTION_LATENCY);
  assert_int_equal(d.ports[ssa_design_port_index(&d, "o_o")].width, 16);
  ssa_design_free(&d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_golden_matches_hand_arithmetic),
      cmocka_unit_test(test_zero_input_never_spikes),
      cmocka_unit_test(test_hand_worked_n2_d2),
      cmocka_unit_test(test_largest_size_does_not_saturate),
      cmocka_unit_test(test_default_width),
      cmocka_unit_test(test_parameter_errors),
      cmocka_unit_test(test_primitives_added_once),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
