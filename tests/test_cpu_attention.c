/* test_cpu_attention.c -- report/cpu_attention.h: the OpenBLAS attention against the scalar
 * golden/float_attention.c within a rounding bound derived below, its boundary cases (one
 * token, scores that would overflow expf without the row maximum), and the timing's figures.
 * Without OpenBLAS the whole test exits 77 (tests/skip.h).
 *
 * The bound, for inputs in [-2, 2] and float (unit roundoff u = 2^-24):
 *   - a score is a dot product of D terms of magnitude <= 4; each implementation's rounding of
 *     it is within gamma_D x sum |q k| <= D u / (1 - D u) x 4 D (Higham, Accuracy and Stability,
 *     3.1), so the two differ by at most 2 gamma_D 4 D, scaled by 1/sqrt(D): delta_s;
 *   - softmax: scores all off by at most delta_s move each probability by a factor within
 *     exp(+-2 delta_s), so |dp_j| <= (e^(2 delta_s) - 1) p_j; expf's own error (a few ulp in
 *     either implementation) adds 8 u p_j and the normalisation 4 u p_j;
 *   - an output sums N terms p_j v_j, |v| <= 2: the probabilities' error moves it by at most
 *     2 (e^(2 delta_s) - 1 + 12 u), and each implementation's rounding of the sum by gamma_N x 2.
 * For D = 32: gamma_32 = 1.9073e-6, delta_s = 2 x 1.9073e-6 x 128 / 5.657 = 8.63e-5, so the
 * outputs may differ by about 2 x 1.73e-4 + small = 3.5e-4. The test computes the bound the same
 * way for each N and D. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../golden/float_attention.h"
#include "../report/cpu_attention.h"
#include "skip.h"

static double gamma_n(unsigned n) {
  double u = ldexp(1, -24);
  return n * u / (1 - n * u);
}

/* The bound of the header comment for inputs of magnitude <= 2. */
static double bound(unsigned n, unsigned d) {
  double u = ldexp(1, -24);
  double delta_s = 2 * gamma_n(d) * 4 * d / sqrt(d);
  return 2 * (expm1(2 * delta_s) + 12 * u) + 2 * 2 * gamma_n(n);
}

/* Max |blas - golden| over the outputs for these inputs. */
static double max_difference(unsigned n, unsigned d, const float *q, const float *k,
                             const float *v) {
  size_t nd = (size_t)n * d;
  float *want = malloc(sizeof *want * nd), *got = malloc(sizeof *got * nd);
  float *row = malloc(sizeof *row * n), *scores = malloc(sizeof *scores * n * n);
  assert_non_null(want);
  assert_non_null(got);
  assert_non_null(row);
  assert_non_null(scores);
  ssa_float_attention(n, d, q, k, v, row, want);
  ssa_error err;
  assert_int_equal(ssa_cpu_attention_blas(n, d, q, k, v, scores, got, &err), 0);
  double worst = 0;
  for (size_t i = 0; i < nd; i++) {
    if (!isfinite(got[i])) fail_msg("output %zu is %g", i, got[i]);
    double diff = fabs((double)got[i] - want[i]);
    if (diff > worst) worst = diff;
  }
  /* every row of probabilities sums to 1 within the normalisation's rounding */
  for (unsigned i = 0; i < n; i++) {
    double sum = 0;
    for (unsigned j = 0; j < n; j++) sum += scores[(size_t)i * n + j];
    if (fabs(sum - 1) > 2 * gamma_n(n) + 4 * ldexp(1, -24))
      fail_msg("N=%u: row %u of the probabilities sums to %.9g", n, i, sum);
  }
  free(want);
  free(got);
  free(row);
  free(scores);
  return worst;
}

/* The report's sizes and a few odd ones, on the timing's inputs (int8 / 64). */
static void against_golden(void **state) {
  (void)state;
  static const unsigned sizes[][2] = {{8, 32}, {16, 32}, {32, 32}, {64, 32}, {3, 5}, {17, 1},
                                      {2, 64}, {128, 32}};
  for (unsigned s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
    unsigned n = sizes[s][0], d = sizes[s][1];
    float *buf = malloc(sizeof *buf * 3 * n * d);
    assert_non_null(buf);
    ssa_cpu_attention_inputs(n, d, buf, buf + n * d, buf + 2 * n * d);
    for (size_t i = 0; i < 3 * (size_t)n * d; i++)
      if (!(buf[i] >= -2 && buf[i] < 2 && buf[i] * 64 == floorf(buf[i] * 64)))
        fail_msg("input %zu = %g is not an int8 / 64", i, buf[i]);
    double diff = max_difference(n, d, buf, buf + n * d, buf + 2 * n * d);
    if (!(diff <= bound(n, d)))
      fail_msg("N=%u D=%u: max |OpenBLAS - golden| = %.3g > bound %.3g", n, d, diff, bound(n, d));
    free(buf);
  }
}

/* N = 1: the one probability is exactly 1, so the output is V's row exactly. */
static void one_token(void **state) {
  (void)state;
  float q[4] = {1, -2, 0.5f, 1.75f}, k[4] = {-1, 1, 1, -0.25f}, v[4] = {0.5f, -1.5f, 2, -2};
  float scores[1], out[4];
  ssa_error err;
  assert_int_equal(ssa_cpu_attention_blas(1, 4, q, k, v, scores, out, &err), 0);
  assert_true(scores[0] == 1.0f);
  for (unsigned c = 0; c < 4; c++) assert_true(out[c] == v[c]);
}

/* Scores far beyond expf's range (about 88): q = k = 100 in every column gives 100 x 100 x 16 /
 * 4 = 40000 on every score. All scores equal, so every probability is 1/N and the output is the
 * column mean of V. Without the row maximum every exp would be infinite. Here N = 4, D = 16, V's
 * column c holds j + c (j the row): mean 1.5 + c, exact in float. */
static void no_overflow(void **state) {
  (void)state;
  enum { N = 4, D = 16 };
  float q[N * D], k[N * D], v[N * D], scores[N * N], out[N * D];
  for (unsigned i = 0; i < N * D; i++) {
    q[i] = k[i] = 100;
    v[i] = (float)(i / D + i % D);
  }
  ssa_error err;
  assert_int_equal(ssa_cpu_attention_blas(N, D, q, k, v, scores, out, &err), 0);
  for (unsigned i = 0; i < N; i++)
    for (unsigned c = 0; c < D; c++)
      if (!(fabs(out[i * D + c] - (1.5 + c)) <= 4 * ldexp(1, -24) * (1.5 + c) + 1e-6))
        fail_msg("out[%u][%u] = %.9g, want %.1f", i, c, out[i * D + c], 1.5 + c);
}

/* The timing: every figure measured and positive, and below 10 ms (a call of N = 8 takes
 * microseconds; a mean that large would be a timing loop that divides wrongly); N = 0 refused. */
static void timing(void **state) {
  (void)state;
  ssa_cpu_time t;
  ssa_error err;
  assert_int_equal(ssa_cpu_attention_time(8, 32, 0.01, &t, &err), 0);
  assert_int_equal(t.n, 8);
  assert_int_equal(t.d, 32);
  assert_int_equal(t.blas, 1);
  assert_true(t.blas_threads >= 1);
  assert_true(t.scalar_us > 0 && t.scalar_us < 1e4);
  assert_true(t.blas_us > 0 && t.blas_us < 1e4);
  assert_true(t.blas_1thread_us > 0 && t.blas_1thread_us < 1e4);
  assert_non_null(strstr(t.blas_config, "OpenBLAS"));
  ssa_error bad;
  assert_int_equal(ssa_cpu_attention_time(0, 32, 0.01, &t, &bad), -1);
}

int main(void) {
  if (!ssa_cpu_blas_available()) {
    printf("SKIP: built without OpenBLAS (install libopenblas-dev and reconfigure)\n");
    return SSA_TEST_SKIP;
  }
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(against_golden),
      cmocka_unit_test(one_token),
      cmocka_unit_test(no_overflow),
      cmocka_unit_test(timing),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
