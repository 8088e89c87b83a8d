/* test_stimulus.c -- the encoder rate of the seeded stimulus: ssa_rng_fill makes each spike 1
 * with probability `rate`, independently, exactly 0 and 1 at the ends; a (seed, stream) pair
 * names one matrix and distinct streams are independent; ssa_rng_uniform lies in [0, 1) on a
 * 53-bit grid, and the generator is the published xoshiro256**. ssa_rng_bits, the --rate
 * stimulus 64 spikes a word, against a lane-by-lane comparison of 53-bit uniforms rebuilt from
 * the same generator words, its rate to 5 sigma and neighbouring bits independent; and the
 * word-at-a-time copies between matrices and flat vectors (core/bitmat.h) bit for bit. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Every shape around the word boundaries: rows straddle words in the flat vector. */
static void flat_round_trip_bit_by_bit(void **state) {
  (void)state;
  static const unsigned shapes[][2] = {{1, 1}, {3, 5}, {2, 63}, {2, 64}, {3, 65}, {7, 100},
                                       {5, 128}, {4, 130}, {64, 32}, {9, 200}, {5, 16},
                                       {3, 2}, {130, 4}, {77, 1}};
  ssa_rng rng;
  ssa_rng_seed(&rng, 11, 3);
  for (unsigned s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
    unsigned rows = shapes[s][0], cols = shapes[s][1];
    ssa_bitmat m, back;
    assert_int_equal(ssa_bitmat_init(&m, rows, cols), 0);
    assert_int_equal(ssa_bitmat_init(&back, rows, cols), 0);
    for (unsigned r = 0; r < rows; r++)
      for (unsigned c = 0; c < cols; c++) ssa_bitmat_put(&m, r, c, (int)(ssa_rng_next(&rng) & 1));
    size_t words = ssa_flat_words(rows, cols);
    uint64_t *flat = malloc((words + 1) * sizeof *flat);
    assert_non_null(flat);
    memset(flat, 0xff, (words + 1) * sizeof *flat);  /* stale bits must be overwritten */
    ssa_bitmat_to_flat(&m, flat);
    for (unsigned r = 0; r < rows; r++)
      for (unsigned c = 0; c < cols; c++) {
        size_t bit = (size_t)r * cols + c;
        if ((int)((flat[bit / 64] >> (bit % 64)) & 1) != ssa_bitmat_get(&m, r, c))
          fail_msg("%ux%u: flat bit %zu differs from (%u, %u)", rows, cols, bit, r, c);
      }
    size_t total = (size_t)rows * cols;
    if (total % 64) assert_true((flat[words - 1] >> (total % 64)) == 0);  /* padding 0 */
    ssa_bitmat_from_flat(&back, flat);
    if (!ssa_bitmat_equal(&m, &back)) fail_msg("%ux%u: from_flat(to_flat(m)) != m", rows, cols);
    free(flat);
    ssa_bitmat_free(&m);
    ssa_bitmat_free(&back);
  }
}

/* Lane j of ssa_rng_bits at limit L: u_j's bits, most significant first, are bit j of the
 * generator's successive words, and the spike is u_j < L. Words are drawn until every lane's
 * prefix differs from L's prefix of the same length, or L's remaining bits are all 0; then a
 * lane spikes exactly when its prefix is below L's (an equal prefix has u >= L). */
static uint64_t lane_model(ssa_rng *rng, uint64_t limit) {
  if (limit == 0) return 0;
  if (limit >> 53) return ~(uint64_t)0;
  uint64_t u[64] = {0};
  unsigned drawn = 0;
  for (;;) {
    unsigned open = 0;
    for (unsigned j = 0; j < 64; j++) open += drawn == 0 || u[j] == limit >> (53 - drawn);
    uint64_t rest = drawn == 53 ? 0 : limit & ((((uint64_t)1) << (53 - drawn)) - 1);
    if (open == 0 || rest == 0) break;
    uint64_t word = ssa_rng_next(rng);
    for (unsigned j = 0; j < 64; j++) u[j] = (u[j] << 1) | ((word >> j) & 1);
    drawn++;
  }
  uint64_t out = 0;
  for (unsigned j = 0; j < 64; j++)
    if (u[j] < limit >> (53 - drawn)) out |= (uint64_t)1 << j;
  return out;
}

static void bernoulli_matches_lane_model(void **state) {
  (void)state;
  static const double rates[] = {0.0, 1.0, 0.5, 0.25, 0.75, 0.3, 0.1, 0.9, 1e-9, 0.999999,
                                 0x1p-53, 1 - 0x1p-53};
  for (unsigned k = 0; k < sizeof rates / sizeof rates[0]; k++) {
    double rate = rates[k];
    uint64_t limit = rate >= 1.0 ? (uint64_t)1 << 53 : (uint64_t)ceil(rate * 0x1p53);
    ssa_rng a, b;
    ssa_rng_seed(&a, 5 + k, 9);
    ssa_rng_seed(&b, 5 + k, 9);
    for (unsigned w = 0; w < 200; w++) {
      uint64_t got;
      ssa_rng_bits(&a, &got, 64, rate);
      uint64_t want = lane_model(&b, limit);
      if (got != want) fail_msg("rate %g, word %u: %016llx, lane model %016llx", rate, w,
                                (unsigned long long)got, (unsigned long long)want);
    }
    /* both drew the same number of generator words */
    assert_true(ssa_rng_next(&a) == ssa_rng_next(&b));
  }
}

/* Rate 0.3 over 2^20 spikes to 5 sigma, every bit position of the word alike, and pairs of
 * neighbouring bits both 1 at 0.09 (independent lanes). A partial last word stays 0 above. */
static void bernoulli_rate_and_independence(void **state) {
  (void)state;
  const size_t n = (size_t)1 << 20;
  uint64_t *w = malloc(n / 64 * sizeof *w);
  assert_non_null(w);
  ssa_rng rng;
  ssa_rng_seed(&rng, 2024, 1);
  const double p = 0.3;
  ssa_rng_bits(&rng, w, n, p);
  unsigned long ones = 0, pairs = 0, per_bit[64] = {0};
  for (size_t k = 0; k < n / 64; k++) {
    ones += (unsigned long)__builtin_popcountll(w[k]);
    pairs += (unsigned long)__builtin_popcountll(w[k] & (w[k] >> 1) & 0x5555555555555555ull);
    for (unsigned j = 0; j < 64; j++) per_bit[j] += (w[k] >> j) & 1;
  }
  double sigma = sqrt((double)n * p * (1 - p));
  assert_true(fabs((double)ones - (double)n * p) < 5 * sigma);
  double pn = (double)n / 2, pp = p * p, psigma = sqrt(pn * pp * (1 - pp));
  if (fabs((double)pairs - pn * pp) > 5 * psigma)
    fail_msg("neighbouring pairs: %lu, expected %.0f +- 5 * %.1f", pairs, pn * pp, psigma);
  double bn = (double)n / 64, bsigma = sqrt(bn * p * (1 - p));
  for (unsigned j = 0; j < 64; j++)
    if (fabs((double)per_bit[j] - bn * p) > 5 * bsigma) fail_msg("bit %u: %lu ones", j, per_bit[j]);
  uint64_t last[2];
  ssa_rng_bits(&rng, last, 70, 1.0);
  assert_true(last[0] == ~(uint64_t)0 && last[1] == 0x3f);
  free(w);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(fill_rate_within_binomial_bound),
      cmocka_unit_test(flat_round_trip_bit_by_bit),
      cmocka_unit_test(bernoulli_matches_lane_model),
      cmocka_unit_test(bernoulli_rate_and_independence),
      cmocka_unit_test(seed_and_stream_name_the_matrix),
      cmocka_unit_test(uniform_in_unit_interval),
      cmocka_unit_test(uniform_extremes),
      cmocka_unit_test(xoshiro_known_answers),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
