/* test_layers.c -- the golden models of the spiking layers against plain arithmetic:
 * the linear layer's currents are the integer matrix-vector product W x (computed here with a
 * multiplication, as the definition reads) and its spikes the LIF of those currents; the
 * encoder's spike counts are exact over a full LFSR period (each B-bit number appears
 * 2^(W-B) times, zero once less) and binomial over a long run. */
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

#include "../kinds/kinds.h"
#include "../core/lfsr.h"
#include "../gen/emit_util.h"
#include "../golden/linear.h"
#include "../sim/stepped_run.h"

static void linear_matches_integer_matvec(void **state) {
  (void)state;
  enum { N = 3, I = 37, O = 11, STEPS = 20 };
  const char *name = "linear";
  unsigned rows = O, cols = I;
  ssa_weights w;
  ssa_error err = {{0}};
  assert_int_equal(ssa_weights_random(&w, 8, 1, &name, &rows, &cols, 99, &err), 0);
  ssa_lif_params lif = {12, 2, 150, SSA_LIF_RESET_SUBTRACT};
  ssa_golden_linear g;
  assert_int_equal(ssa_golden_linear_init(&g, &w.layers[0], &lif, N, &err), 0);
  int64_t u[N * O] = {0};
  uint64_t seed = 5;
  unsigned long spikes = 0;
  unsigned a = ssa_linear_current_bits(I, 8);
  for (unsigned t = 0; t < STEPS; t++) {
    uint64_t x[(N * I + 63) / 64] = {0}, y[(N * O + 63) / 64] = {0};
    int xi[N][I];
    for (unsigned n = 0; n < N; n++)
      for (unsigned i = 0; i < I; i++) {
        xi[n][i] = (int)(ssa_splitmix64(&seed) % 3 == 0);
        size_t bit = (size_t)n * I + i;
        if (xi[n][i]) x[bit / 64] |= (uint64_t)1 << (bit % 64);
      }
    ssa_golden_linear_step(&g, x, y);
    for (unsigned n = 0; n < N; n++)
      for (unsigned o = 0; o < O; o++) {
        int64_t current = 0;
        for (unsigned i = 0; i < I; i++) current += (int64_t)w.layers[0].w[o * I + i] * xi[n][i];
        assert_int_equal(ssa_linear_current(&w.layers[0], o, x, (size_t)n * I), current);
        /* the accumulator width holds it: |current| < 2^(A-1) */
        assert_true(current < ((int64_t)1 << (a - 1)) && current >= -((int64_t)1 << (a - 1)));
        int spike = ssa_lif_step(&lif, &u[n * O + o], current);
        size_t bit = (size_t)n * O + o;
        assert_int_equal((int)((y[bit / 64] >> (bit % 64)) & 1u), spike);
        spikes += (unsigned long)spike;
      }
  }
  assert_true(spikes > 0 && spikes < (unsigned long)STEPS * N * O);
  ssa_golden_linear_free(&g);
  ssa_weights_free(&w);
}

/* Runs the encoder kind's golden model on one line of values held for `steps` steps and
 * returns each input's spike count. */
static void encoder_counts(const char *options, const unsigned *values, unsigned inputs,
                           unsigned steps, unsigned long *counts) {
  char path[] = "/tmp/ssa-test-layers-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  FILE *f = fdopen(fd, "w");
  for (unsigned m = 0; m < inputs; m++) fprintf(f, m + 1 < inputs ? "%u " : "%u\n", values[m]);
  fclose(f);
  const ssa_kind *k = ssa_kind_find("encoder");
  void *params = calloc(1, k->params_size);
  ssa_error err = {{0}};
  char words[256]; /* params point into it until release */
  snprintf(words, sizeof words, "%s", options);
  if (ssa_kind_parse_options(k, params, words, &err) != 0) fail_msg("%s", err.msg);
  ssa_stepped_run r;
  if (ssa_stepped_run_init(&r, k, params, path, 0, steps, &err) != 0) fail_msg("%s", err.msg);
  unlink(path);
  int port = ssa_design_port_index(&r.design, "spike_o");
  for (unsigned m = 0; m < inputs; m++) {
    counts[m] = 0;
    for (unsigned t = 0; t < steps; t++)
      counts[m] += (unsigned long)ssa_words_bit(ssa_step_out(&r.data, t, (unsigned)port), m);
  }
  ssa_stepped_run_free(&r);
  k->release(params);
  free(params);
}

/* W = 8 (period 255, coprime with the leap of 8 shifts, so every non-zero state appears once),
 * B = 4: input x spikes exactly x * 16 - 1 times in 255 steps (x >= 1), never for x = 0. */
static void encoder_rate_exact_over_period(void **state) {
  (void)state;
  unsigned values[16];
  unsigned long counts[16];
  for (unsigned x = 0; x < 16; x++) values[x] = x;
  encoder_counts("--inputs 16 --bits 4 --prng-width 8 --random lfsr --seed 3", values, 16, 255, counts);
  for (unsigned x = 0; x < 16; x++) {
    unsigned long want = x == 0 ? 0 : x * 16ul - 1;
    if (counts[x] != want) fail_msg("x = %u: %lu spikes in 255 steps, expected %lu", x, counts[x], want);
  }
}

/* The default source, sobol: the thresholds are a B-bit counter bit-reversed, XOR a constant
 * per input, so over any 2^B consecutive steps from the start each input's threshold takes
 * every value 0..2^B-1 once and x spikes exactly x times; over 3 periods, 3x. */
static void encoder_sobol_rate_exact_every_period(void **state) {
  (void)state;
  unsigned values[16];
  unsigned long counts[16];
  for (unsigned x = 0; x < 16; x++) values[x] = x;
  encoder_counts("--inputs 16 --bits 4 --seed 5", values, 16, 48, counts);
  for (unsigned x = 0; x < 16; x++)
    if (counts[x] != 3ul * x) fail_msg("x = %u: %lu spikes in 48 steps, expected %u", x, counts[x], 3 * x);
}

/* W = 16, B = 8, T = 4096: each count within 5 sigma of Binomial(T, x / 256). */
static void encoder_rate_binomial(void **state) {
  (void)state;
  enum { INPUTS = 8, T = 4096 };
  const unsigned values[INPUTS] = {0, 1, 37, 64, 128, 200, 254, 255};
  unsigned long counts[INPUTS];
  encoder_counts("--inputs 8 --bits 8 --prng-width 16 --random lfsr --seed 11", values, INPUTS, T, counts);
  for (unsigned m = 0; m < INPUTS; m++) {
    double p = values[m] / 256.0, mean = T * p, sigma = sqrt(T * p * (1 - p));
    if (values[m] == 0) {
      assert_int_equal(counts[m], 0);
      continue;
    }
    if (fabs((double)counts[m] - mean) > 5 * sigma)
      fail_msg("x = %u: %lu spikes in %d steps, expected %.1f +- 5 * %.2f", values[m], counts[m],
               T, mean, sigma);
  }
}

/* A generated file stops growing at the limit and its close fails, naming --force
 * (gen/emit_util.h); with the limit lifted the same text is whole. */
static void emitter_stops_at_the_limit(void **state) {
  (void)state;
  enum { LINES = 100000 };
  const long line = snprintf(NULL, 0, "  assign w%06u = 1'b0;\n", 0u);  /* 25 bytes: 2.5 MB */
  for (int lifted = 0; lifted < 2; lifted++) {
    ssa_emit_set_limit(lifted ? 0 : (size_t)1 << 20);
    ssa_design d;
    memset(&d, 0, sizeof d);
    ssa_emitter e;
    ssa_error err = {{0}};
    assert_int_equal(ssa_emitter_open(&e, &err), 0);
    for (unsigned k = 0; k < LINES; k++) ssa_out(e.f, "  assign w%06u = 1'b0;\n", k);
    long held = ftell(e.f);
    if (lifted) {
      assert_int_equal(held, line * LINES);
      assert_int_equal(ssa_emitter_close(&e, &d, "big.v", &err), 0);
      assert_int_equal(d.files[0].len, (size_t)(line * LINES));
    } else {
      assert_true(held > (1L << 20) && held <= (1L << 20) + line);  /* one line past, no more */
      assert_int_equal(ssa_emitter_close(&e, &d, "big.v", &err), -1);
      assert_non_null(strstr(err.msg, "big.v: the generated Verilog passes 1 MiB, the limit "
                                      "(--force of ssa gen and ssa sim lifts it)"));
      assert_int_equal(d.file_count, 0);
    }
    ssa_design_free(&d);
  }
  ssa_emit_set_limit(SSA_EMIT_DEFAULT_LIMIT);
}

/* The step data refuse a run past their limit before allocating, naming --force, and allocate
 * it once the limit is lifted (core/stepdata.h; --force of ssa sim sets 0). A port of 6400 bits
 * is 100 words: 1000 steps of one input and one output port take 1.6 MB. */
static void step_data_limit_and_force(void **state) {
  (void)state;
  ssa_design d;
  memset(&d, 0, sizeof d);
  static const char *const in[] = {"x_i"};
  ssa_design_add_stream_ports(&d, 0, in, 1, 6400, "y_o", 6400);
  ssa_step_data s;
  ssa_error err = {{0}};
  ssa_step_data_set_limit((size_t)1 << 20);
  assert_int_equal(ssa_step_data_init(&s, &d, 1000, &err), -1);
  assert_non_null(strstr(err.msg, "--steps 1000: "));
  assert_non_null(strstr(err.msg, "--force lifts it"));
  assert_null(s.in);
  assert_int_equal(ssa_step_data_init(&s, &d, 500, &err), 0);  /* 0.8 MB: under it */
  ssa_step_data_free(&s);
  ssa_step_data_set_limit(0);
  assert_int_equal(ssa_step_data_init(&s, &d, 1000, &err), 0);
  assert_non_null(s.in);
  assert_non_null(s.out);
  ssa_step_data_free(&s);
  ssa_step_data_set_limit((size_t)4 << 30);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(linear_matches_integer_matvec),
      cmocka_unit_test(encoder_rate_exact_over_period),
      cmocka_unit_test(encoder_sobol_rate_exact_every_period),
      cmocka_unit_test(encoder_rate_binomial),
      cmocka_unit_test(emitter_stops_at_the_limit),
      cmocka_unit_test(step_data_limit_and_force),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
