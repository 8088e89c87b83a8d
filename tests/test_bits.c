/* test_bits.c -- the word-at-a-time bit paths against bit-by-bit definitions: matrices to and
 * from flat vectors (core/bitmat.h), and the bit-sliced Bernoulli stimulus (ssa_rng_bits,
 * core/stimulus.h) against a lane-by-lane comparison of 53-bit uniforms rebuilt from the same
 * generator words, with its rate checked to 5 sigma and neighbouring bits independent. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/bitmat.h"
#include "../core/stimulus.h"

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
      cmocka_unit_test(flat_round_trip_bit_by_bit),
      cmocka_unit_test(bernoulli_matches_lane_model),
      cmocka_unit_test(bernoulli_rate_and_independence),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
