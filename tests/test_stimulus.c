/* test_stimulus.c -- the encoder rate of the seeded stimulus: ssa_rng_fill makes each spike 1
 * with probability `rate`, independently, exactly 0 and 1 at the ends; a (seed, stream) pair
 * names one matrix and distinct streams are independent; ssa_rng_uniform lies in [0, 1) on a
 * 53-bit grid, and the generator is the published xoshiro256**. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>

#include "../core/bitmat.h"
#include "../core/stimulus.h"

/* 1000 x 1000: 10^6 spikes; 1000 columns leave 24 padding bits per row, which must stay 0. */
#define ROWS 1000u
#define COLS 1000u

static unsigned long count_elements(const ssa_bitmat *m) {
  unsigned long n = 0;
  for (unsigned r = 0; r < m->rows; r++)
    for (unsigned c = 0; c < m->cols; c++) n += (unsigned long)ssa_bitmat_get(m, r, c);
  return n;
}

/* |count - n p| <= 5 sqrt(n p (1 - p)) for Binomial(n, p); exact at p = 0 and p = 1. */
static void expect_binomial(unsigned long count, unsigned long n, double p, const char *what) {
  if (p == 0.0 || p == 1.0) {
    unsigned long exact = p == 0.0 ? 0 : n;
    if (count != exact)
      fail_msg("%s at p = %g: %lu of %lu, expected exactly %lu", what, p, count, n, exact);
    return;
  }
  double mean = (double)n * p, sigma = sqrt((double)n * p * (1 - p));
  if (fabs((double)count - mean) > 5 * sigma)
    fail_msg("%s at p = %g: %lu of %lu, expected %.0f +- 5 * %.1f (%.2f sigma)", what, p, count, n,
             mean, sigma, ((double)count - mean) / sigma);
}

/* Property (encoder rate): at rates 0.1, 0.5, 0.9 the number of ones among 10^6 spikes is within
 * 5 sigma = 5 sqrt(n p (1 - p)) of n p (false-failure probability 5.7e-7 per rate); rate 0
 * gives exactly 0 and rate 1 exactly 10^6 ones. The rates run in the order 1, 0, ... on one
 * matrix, so a fill must also clear what the last one set; padding bits stay 0 (the popcount
 * of the words equals the count of the elements). Independence of neighbours: the disjoint
 * pairs (c, c+1), c even, are both 1 with probability p^2: Binomial(5 * 10^5, p^2), 5 sigma. */
static void fill_rate_within_binomial_bound(void **state) {
  (void)state;
  static const double rates[] = {1.0, 0.0, 0.1, 0.5, 0.9, 0.0};
  ssa_bitmat m;
  ssa_rng rng;
  assert_int_equal(ssa_bitmat_init(&m, ROWS, COLS), 0);
  ssa_rng_seed(&rng, 2024, SSA_STREAM_STIMULUS);
  const unsigned long n = (unsigned long)ROWS * COLS;
  for (unsigned k = 0; k < sizeof rates / sizeof rates[0]; k++) {
    double p = rates[k];
    ssa_rng_fill(&rng, &m, p);
    unsigned long count = count_elements(&m);
    assert_int_equal(ssa_bitmat_popcount(&m), count);
    expect_binomial(count, n, p, "ones");
    unsigned long pairs = 0;
    for (unsigned r = 0; r < ROWS; r++)
      for (unsigned c = 0; c + 1 < COLS; c += 2)
        pairs += (unsigned long)(ssa_bitmat_get(&m, r, c) & ssa_bitmat_get(&m, r, c + 1));
    expect_binomial(pairs, n / 2, p * p, "neighbour pairs of ones");
  }
  ssa_bitmat_free(&m);
}

/* Property: (seed, stream) names one matrix: the same pair gives the same matrix; a different
 * stream or a different seed gives an independent one: at rate 0.5 two independent matrices
 * differ in Binomial(10^6, 1/2) positions, checked within 5 sigma (false failure 5.7e-7 each). */
static void seed_and_stream_name_the_matrix(void **state) {
  (void)state;
  ssa_bitmat a, b;
  ssa_rng ra, rb;
  assert_int_equal(ssa_bitmat_init(&a, ROWS, COLS), 0);
  assert_int_equal(ssa_bitmat_init(&b, ROWS, COLS), 0);
  ssa_rng_seed(&ra, 7, SSA_STREAM_STIMULUS);
  ssa_rng_seed(&rb, 7, SSA_STREAM_STIMULUS);
  ssa_rng_fill(&ra, &a, 0.5);
  ssa_rng_fill(&rb, &b, 0.5);
  assert_true(ssa_bitmat_equal(&a, &b));
  static const uint64_t other[][2] = {
      {7, SSA_STREAM_STIMULUS + 1}, {7, 0}, {8, SSA_STREAM_STIMULUS}};
  for (unsigned k = 0; k < 3; k++) {
    ssa_rng_seed(&rb, other[k][0], other[k][1]);
    ssa_rng_fill(&rb, &b, 0.5);
    unsigned long diff = 0;
    for (size_t w = 0; w < (size_t)ROWS * a.stride; w++)
      diff += (unsigned long)__builtin_popcountll(a.w[w] ^ b.w[w]);
    char what[96];
    snprintf(what, sizeof what, "differences from seed 7 with seed %llu stream 0x%llx",
             (unsigned long long)other[k][0], (unsigned long long)other[k][1]);
    expect_binomial(diff, (unsigned long)ROWS * COLS, 0.5, what);
  }
  ssa_bitmat_free(&a);
  ssa_bitmat_free(&b);
}

/* Property: ssa_rng_uniform lies in [0, 1) on the grid of 2^-53, with mean 1/2 within 5 sigma
 * (sigma = sqrt(1/12/n), n = 10^6; false failure 5.7e-7). */
static void uniform_in_unit_interval(void **state) {
  (void)state;
  ssa_rng rng;
  ssa_rng_seed(&rng, 99, 3);
  const unsigned n = 1000000;
  double sum = 0;
  for (unsigned k = 0; k < n; k++) {
    double u = ssa_rng_uniform(&rng);
    if (!(u >= 0.0 && u < 1.0)) fail_msg("draw %u: %.17g outside [0, 1)", k, u);
    double scaled = u * 0x1.0p53;
    if (scaled != floor(scaled)) fail_msg("draw %u: %.17g not a multiple of 2^-53", k, u);
    sum += u;
  }
  double sigma = sqrt(1.0 / 12.0 / n);
  if (fabs(sum / n - 0.5) > 5 * sigma)
    fail_msg("mean %.6f, expected 0.5 +- 5 * %.6f", sum / n, sigma);
}

/* Boundary: the extreme draws. A state whose next output is 0 gives exactly 0.0 (so rate 0
 * never fires: 0 < 0 is false); one whose next output is 2^64 - 1 gives 1 - 2^-53, strictly
 * below 1 (so rate 1 always fires). s[1] = 0x4fc71c71c71c71c7 = 5^-1 * rotr(9^-1 * (2^64-1), 7)
 * mod 2^64 makes rotl(5 s[1], 7) * 9 all ones. */
static void uniform_extremes(void **state) {
  (void)state;
  ssa_rng rng = {{1, 0, 3, 4}};
  assert_true(ssa_rng_uniform(&rng) == 0.0);
  rng = (ssa_rng){{1, 0x4fc71c71c71c71c7ull, 3, 4}};
  double top = ssa_rng_uniform(&rng);
  assert_true(top < 1.0);
  assert_true(top == 1.0 - 0x1.0p-53);
}

/* Property: the generator is xoshiro256** (Blackman and Vigna): from state {1, 2, 3, 4} the
 * reference implementation's first outputs, so a seed names the same stimulus everywhere. */
static void xoshiro_known_answers(void **state) {
  (void)state;
  ssa_rng rng = {{1, 2, 3, 4}};
  assert_int_equal(ssa_rng_next(&rng), 11520ull);
  assert_int_equal(ssa_rng_next(&rng), 0ull);
  assert_int_equal(ssa_rng_next(&rng), 1509978240ull);
  assert_int_equal(ssa_rng_next(&rng), 1215971899390074240ull);
  assert_int_equal(ssa_rng_next(&rng), 1216172134540287360ull);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(fill_rate_within_binomial_bound),
      cmocka_unit_test(seed_and_stream_name_the_matrix),
      cmocka_unit_test(uniform_in_unit_interval),
      cmocka_unit_test(uniform_extremes),
      cmocka_unit_test(xoshiro_known_answers),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
