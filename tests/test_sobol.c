/* test_sobol.c -- the Sobol selects (core/sobol.h) and the plan's select offsets (plan.h).
 * The expected values do not come from the code under test: dimension 2 is computed from
 * Sobol's direction numbers by their own recurrence (primitive polynomial x + 1), dimension 1
 * is written out by hand, and the stratification properties are those of a (0, 2)-sequence. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "../core/plan.h"
#include "../core/sobol.h"

/* Dimension 2 of Sobol's sequence, as an m-bit integer: the XOR of direction numbers
 * v_k = m_k * 2^(m - k) over the set bits k - 1 of t, m_1 = 1, m_k = 2 m_{k-1} XOR m_{k-1}
 * (the recurrence of x + 1; Joe and Kuo's table starts 1, 3, 5, 15, 17, 51). */
static unsigned sobol_dimension_2(unsigned t, unsigned m) {
  unsigned x = 0, mk = 1;
  for (unsigned k = 1; k <= m; k++) {
    if ((t >> (k - 1)) & 1u) x ^= mk << (m - k);
    mk = (mk << 1) ^ mk;
  }
  return x;
}

/* Property: the recurrence starts as Joe and Kuo's published direction numbers, and the first
 * eight points of dimension 2 are 0, 1/2, 3/4, 1/4, 5/8, 1/8, 3/8, 7/8 (written out by hand);
 * dimension 1's are 0, 1/2, 1/4, 3/4, 1/8, 5/8, 3/8, 7/8. */
static void first_points_are_sobols(void **state) {
  (void)state;
  static const unsigned dim2[8] = {0, 4, 6, 2, 5, 1, 3, 7}, dim1[8] = {0, 4, 2, 6, 1, 5, 3, 7};
  static const unsigned direction[6] = {1, 3, 5, 15, 17, 51};
  for (unsigned k = 0; k < 6; k++)  /* m_k = v_k * 2^k */
    assert_int_equal(sobol_dimension_2(1u << k, 6) >> (5 - k), direction[k]);
  for (unsigned t = 0; t < 8; t++) {
    unsigned score, output;
    ssa_sobol_selects(t, 3, 0, &score, &output);
    assert_int_equal(score, dim2[t]);
    ssa_sobol_selects(t, 0, 3, &score, &output);
    assert_int_equal(output, dim1[t]);
  }
}

/* Property: for every split m = score_bits + output_bits (each 1..8), every step t of two
 * periods: the score select is the top score_bits of dimension 2 at m bits, the output select
 * the low output_bits of t reversed, and the counter wraps at 2^m. */
static void selects_match_the_recurrence(void **state) {
  (void)state;
  for (unsigned sb = 1; sb <= 8; sb++)
    for (unsigned ob = 1; ob <= 8; ob++) {
      unsigned m = sb + ob;
      for (unsigned t = 0; t < (2u << m); t++) {
        unsigned score, output, rev = 0, low = t & ((1u << ob) - 1);
        for (unsigned k = 0; k < ob; k++) rev |= ((low >> k) & 1u) << (ob - 1 - k);
        ssa_sobol_selects(t, sb, ob, &score, &output);
        unsigned want = sobol_dimension_2(t & ((1u << m) - 1), m) >> ob;
        if (score != want || output != rev)
          fail_msg("SB %u OB %u t %u: selects (%u, %u), expected (%u, %u)", sb, ob, t, score,
                   output, want, rev);
      }
    }
}

/* Whether the 2^bits steps from `first` show every value of the score select (score != 0) or
 * of the output select, bits = SB or OB. */
static int covers(unsigned first, unsigned sb, unsigned ob, int score_stage) {
  unsigned bits = score_stage ? sb : ob, score, output;
  unsigned long long hit[4] = {0, 0, 0, 0};
  for (unsigned t = first; t < first + (1u << bits); t++) {
    ssa_sobol_selects(t, sb, ob, &score, &output);
    unsigned v = score_stage ? score : output;
    hit[v / 64] |= 1ull << (v % 64);
  }
  for (unsigned v = 0; v < (1u << bits); v++)
    if (!((hit[v / 64] >> (v % 64)) & 1u)) return 0;
  return 1;
}

/* Property (what makes the selects low-discrepancy, docs/randomness.md): from any step that is
 * a multiple of the block, the output select visits each of its 2^OB values once in 2^OB steps,
 * the score select each of its 2^SB values once in 2^SB steps, and over 2^(SB+OB) steps every
 * (score, output) pair occurs exactly once. SB, OB in 1..8. */
static void selects_are_stratified(void **state) {
  (void)state;
  unsigned char *seen = malloc(1u << 16);
  assert_non_null(seen);
  for (unsigned sb = 1; sb <= 8; sb++)
    for (unsigned ob = 1; ob <= 8; ob++) {
      unsigned m = sb + ob, score, output;
      memset(seen, 0, 1u << m);
      for (unsigned t = 0; t < (1u << m); t++) {
        ssa_sobol_selects(t, sb, ob, &score, &output);
        if (seen[(score << ob) | output]++)
          fail_msg("SB %u OB %u: pair (%u, %u) twice in one period", sb, ob, score, output);
      }
      for (unsigned first = 0; first < (1u << m); first += 1u << ob)
        if (!covers(first, sb, ob, 0))
          fail_msg("SB %u OB %u: an output select missing from the block at %u", sb, ob, first);
      for (unsigned first = 0; first < (1u << m); first += 1u << sb)
        if (!covers(first, sb, ob, 1))
          fail_msg("SB %u OB %u: a score select missing from the block at %u", sb, ob, first);
    }
  free(seen);
}

/* Property: a sobol plan's offsets, in each aligned block of 2^bits slots, are a permutation of
 * [0, 2^bits) (so one row's units never read the same number), depend on the master seed, and
 * the plan has no LFSRs; every mode, N x D in {8 x 4, 4 x 8, 64 x 16}, two heads. */
static void offsets_are_block_permutations(void **state) {
  (void)state;
  static const unsigned sizes[3][2] = {{8, 4}, {4, 8}, {64, 16}};
  for (unsigned s = 0; s < 3; s++)
    for (int sh = 0; sh < 4; sh++) {
      ssa_attention_params p;
      ssa_plan a, b;
      ssa_error err = {{0}};
      ssa_attention_params_default(&p);
      p.tokens = sizes[s][0];
      p.dim = sizes[s][1];
      p.heads = 2;
      p.share = (enum ssa_share)sh;
      p.random = SSA_RANDOM_SOBOL;
      assert_int_equal(ssa_plan_build(&a, &p, &err), 0);
      p.seed = 2;
      assert_int_equal(ssa_plan_build(&b, &p, &err), 0);
      assert_int_equal(a.lfsr_count, 0);
      int differs = 0;
      for (unsigned g = 0; g < SSA_GROUP_COUNT; g++) {
        unsigned count = ssa_plan_slot_count(&a, g), range = 1u << a.group[g].bits;
        for (unsigned first = 0; first < count; first += range) {
          unsigned long long hit[4] = {0, 0, 0, 0};
          unsigned end = first + range < count ? first + range : count;
          for (unsigned k = first; k < end; k++) {
            unsigned o = a.offsets[g][k];
            assert_true(o < range);
            if ((hit[o / 64] >> (o % 64)) & 1u)
              fail_msg("%s N %u D %u group %u: offset %u twice in the block at %u",
                       ssa_share_name(p.share), p.tokens, p.dim, g, o, first);
            hit[o / 64] |= 1ull << (o % 64);
          }
        }
        for (unsigned k = 0; k < count; k++) differs |= a.offsets[g][k] != b.offsets[g][k];
      }
      /* one slot per stage (global) with 4 values: the two seeds may agree by chance */
      if (sh != SSA_SHARE_GLOBAL) assert_true(differs);
      ssa_plan_free(&a);
      ssa_plan_free(&b);
    }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(first_points_are_sobols),
      cmocka_unit_test(selects_match_the_recurrence),
      cmocka_unit_test(selects_are_stratified),
      cmocka_unit_test(offsets_are_block_permutations),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
