/* test_plan.c -- the randomness plan (docs/design.md section 4): seeds non-zero, W-bit, distinct and
 * reproducible from the master seed; within one step no state bit serves two numbers and every
 * number lies inside its LFSR; no two LFSRs are so close on their common m-sequence that their
 * windows overlap; each share mode draws exactly the numbers it asks for; parameter errors name
 * the option and the problem; the largest size builds. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/plan.h"
#include "../core/lfsr.h"

typedef struct plan_case {
  unsigned tokens, dim, heads;
  enum ssa_share share;
  unsigned width;
} plan_case;

/* Sizes from 2 x 2 to 256 x 256, with tokens above and below the 64 lanes, two and sixteen
 * heads, and widths from the narrowest that fits to 31. */
static const plan_case cases[] = {
    {2, 2, 1, SSA_SHARE_UNIT, 4},      {2, 2, 1, SSA_SHARE_ROW, 4},
    {2, 2, 16, SSA_SHARE_GLOBAL, 4},   {8, 8, 2, SSA_SHARE_UNIT, 16},
    {8, 8, 2, SSA_SHARE_ROW, 7},       {8, 8, 2, SSA_SHARE_GLOBAL, 31},
    {16, 4, 1, SSA_SHARE_UNIT, 9},     {64, 32, 1, SSA_SHARE_UNIT, 16},
    {128, 16, 2, SSA_SHARE_UNIT, 14},  {128, 16, 2, SSA_SHARE_ROW, 16},
    {128, 2, 3, SSA_SHARE_GLOBAL, 16}, {256, 64, 1, SSA_SHARE_UNIT, 16},
    {256, 64, 1, SSA_SHARE_ROW, 10},   {256, 256, 1, SSA_SHARE_UNIT, 31},
    {256, 256, 1, SSA_SHARE_GLOBAL, 16}, {32, 128, 4, SSA_SHARE_UNIT, 14},
};
#define CASE_COUNT (sizeof cases / sizeof cases[0])

static void params_of(ssa_attention_params *p, const plan_case *c, uint64_t seed) {
  ssa_attention_params_default(p);
  p->tokens = c->tokens;
  p->dim = c->dim;
  p->heads = c->heads;
  p->share = c->share;
  p->prng_width = c->width;
  p->seed = seed;
}

static void build_or_fail(ssa_plan *plan, const plan_case *c, uint64_t seed) {
  ssa_attention_params p;
  ssa_error err = {{0}};
  params_of(&p, c, seed);
  if (ssa_plan_build(plan, &p, &err) != 0)
    fail_msg("N=%u D=%u H=%u %s W=%u: %s", c->tokens, c->dim, c->heads, ssa_share_name(c->share),
             c->width, err.msg);
}

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

/* Property: every seed is non-zero, fits in W bits, and no two LFSRs of a plan share a seed
 * (sorted, no equal neighbours). Includes plans of 2432 LFSRs (64 x 32 unit) and 40960 LFSRs
 * (256 x 64 unit, W = 16: 62 % of the 65535 possible seeds), where a weak de-duplication would
 * show; and 2000 master seeds at W = 4, where zero and repeats are drawn often. Master seed 0
 * is a boundary: splitmix64 from 0 must still give non-zero seeds. */
static void seeds_nonzero_wbit_distinct(void **state) {
  (void)state;
  for (unsigned c = 0; c < CASE_COUNT; c++)
    for (uint64_t master = 0; master < 2; master++) {
      ssa_plan plan;
      build_or_fail(&plan, &cases[c], master);
      assert_true(plan.lfsr_count > 0);
      uint64_t *sorted = malloc(sizeof *sorted * plan.lfsr_count);
      assert_non_null(sorted);
      for (unsigned l = 0; l < plan.lfsr_count; l++) {
        unsigned width = ssa_plan_lfsr_width(&plan, l);
        uint64_t mask = (((uint64_t)1) << width) - 1;
        if (plan.seeds[l] == 0 || (plan.seeds[l] & ~mask) != 0)
          fail_msg("case %u: seed %u = 0x%llx is zero or wider than %u bits", c, l,
                   (unsigned long long)plan.seeds[l], width);
        /* distinct within a group: the key carries the group */
        sorted[l] = plan.seeds[l] | (uint64_t)ssa_plan_lfsr_group(&plan, l) << 40;
      }
      qsort(sorted, plan.lfsr_count, sizeof *sorted, cmp_u64);
      for (unsigned l = 1; l < plan.lfsr_count; l++)
        if (sorted[l] == sorted[l - 1])
          fail_msg("case %u: seed 0x%llx used twice", c, (unsigned long long)sorted[l]);
      free(sorted);
      ssa_plan_free(&plan);
    }
  /* the narrowest width under pressure: 2 score LFSRs of 4 bits and 2 output LFSRs of 5 bits,
   * so over 2000 master seeds splitmix64 draws zero (p = 1/16 per draw) and repeats often */
  for (uint64_t master = 0; master < 2000; master++) {
    ssa_plan plan;
    build_or_fail(&plan, &(plan_case){2, 2, 1, SSA_SHARE_UNIT, 4}, master);
    assert_int_equal(plan.lfsr_count, 4);
    for (unsigned a = 0; a < 4; a++) {
      if (plan.seeds[a] == 0 || plan.seeds[a] > (a < 2 ? 15u : 31u))
        fail_msg("master seed %llu: seed %u = 0x%llx", (unsigned long long)master, a,
                 (unsigned long long)plan.seeds[a]);
      for (unsigned b = a & 2u; b < a; b++)
        if (plan.seeds[a] == plan.seeds[b])
          fail_msg("master seed %llu: seeds %u and %u both 0x%llx", (unsigned long long)master, b,
                   a, (unsigned long long)plan.seeds[a]);
    }
    ssa_plan_free(&plan);
  }
  /* the big plans really are big */
  ssa_plan plan;
  build_or_fail(&plan, &(plan_case){64, 32, 1, SSA_SHARE_UNIT, 16}, 1);
  assert_int_equal(plan.lfsr_count, 2432);
  ssa_plan_free(&plan);
  build_or_fail(&plan, &(plan_case){256, 64, 1, SSA_SHARE_UNIT, 16}, 1);
  assert_int_equal(plan.lfsr_count, 40960);
  ssa_plan_free(&plan);
}

/* Property: the seeds are a function of the master seed: the same master seed gives the same
 * seeds; master seeds 1 and 2 give different seeds almost everywhere (two independent uniform
 * 16-bit seeds agree with probability 1/65535; allowing 1 % of positions is > 100 sigma off). */
static void seeds_follow_master_seed(void **state) {
  (void)state;
  const plan_case big = {256, 64, 1, SSA_SHARE_UNIT, 16};
  ssa_plan a, b, c;
  build_or_fail(&a, &big, 1);
  build_or_fail(&b, &big, 1);
  build_or_fail(&c, &big, 2);
  assert_int_equal(a.lfsr_count, b.lfsr_count);
  assert_int_equal(a.lfsr_count, c.lfsr_count);
  assert_memory_equal(a.seeds, b.seeds, sizeof *a.seeds * a.lfsr_count);
  unsigned same = 0;
  for (unsigned l = 0; l < a.lfsr_count; l++) same += a.seeds[l] == c.seeds[l];
  if (same > a.lfsr_count / 100) fail_msg("%u of %u seeds equal for master seeds 1 and 2", same,
                                          a.lfsr_count);
  ssa_plan_free(&a);
  ssa_plan_free(&b);
  ssa_plan_free(&c);
}

/* Property (docs/design.md section 4.4, no bit used twice in a cycle): over every number (major, lane)
 * of both groups, ssa_plan_field gives a range [bit, bit + bits) inside its LFSR
 * (bit + bits <= W), an LFSR inside the group's range, and no state bit of any LFSR is covered
 * by two numbers. The bits covered add up to ssa_plan_random_bits, and every LFSR of the plan
 * gives at least one number (none is built for nothing). Also the group bookkeeping: widths
 * log2 D and log2 N, slots = floor(W / bits), consecutive LFSR ranges. */
static void fields_disjoint_and_inside(void **state) {
  (void)state;
  for (unsigned c = 0; c < CASE_COUNT; c++) {
    ssa_plan plan;
    build_or_fail(&plan, &cases[c], 7);
    assert_int_equal(plan.group[SSA_GROUP_SCORE].width, cases[c].width);
    assert_int_equal(plan.group[SSA_GROUP_OUTPUT].width, cases[c].width + 1);
    assert_int_equal(plan.group[SSA_GROUP_SCORE].taps, ssa_lfsr_taps(cases[c].width));
    assert_int_equal(plan.group[SSA_GROUP_OUTPUT].taps, ssa_lfsr_taps(cases[c].width + 1));
    assert_int_equal(plan.group[SSA_GROUP_SCORE].bits, ssa_log2(cases[c].dim));
    assert_int_equal(plan.group[SSA_GROUP_OUTPUT].bits, ssa_log2(cases[c].tokens));
    assert_int_equal(plan.group[SSA_GROUP_SCORE].first_lfsr, 0);
    assert_int_equal(plan.group[SSA_GROUP_OUTPUT].first_lfsr,
                     plan.group[SSA_GROUP_SCORE].lfsr_count);
    assert_int_equal(plan.lfsr_count, plan.group[SSA_GROUP_SCORE].lfsr_count +
                                          plan.group[SSA_GROUP_OUTPUT].lfsr_count);
    uint64_t *used = calloc(plan.lfsr_count, sizeof *used);
    assert_non_null(used);
    uint64_t covered = 0;
    for (unsigned g = 0; g < SSA_GROUP_COUNT; g++) {
      const ssa_field_group *grp = &plan.group[g];
      assert_int_equal(grp->slots, grp->width / grp->bits);
      for (unsigned major = 0; major < grp->majors; major++)
        for (unsigned lane = 0; lane < grp->lanes; lane++) {
          ssa_field_ref f = ssa_plan_field(&plan, g, (ssa_number){major, lane});
          if (f.lfsr < grp->first_lfsr || f.lfsr >= grp->first_lfsr + grp->lfsr_count ||
              f.bit + grp->bits > grp->width)
            fail_msg("case %u %s number (%u, %u): LFSR %u bits [%u, %u) outside", c, grp->name,
                     major, lane, f.lfsr, f.bit, f.bit + grp->bits);
          uint64_t bits = ((((uint64_t)1) << grp->bits) - 1) << f.bit;
          if (used[f.lfsr] & bits)
            fail_msg("case %u %s number (%u, %u): LFSR %u bits [%u, %u) already used this step",
                     c, grp->name, major, lane, f.lfsr, f.bit, f.bit + grp->bits);
          used[f.lfsr] |= bits;
          covered += grp->bits;
        }
    }
    assert_int_equal(covered, ssa_plan_random_bits(&plan));
    for (unsigned l = 0; l < plan.lfsr_count; l++)
      if (used[l] == 0) fail_msg("case %u: LFSR %u gives no number", c, l);
    free(used);
    ssa_plan_free(&plan);
  }
}

/* Property: each share mode draws what it says and nothing more. Enumerating every unit,
 * score (h, i, j) and output (h, i, d): each unit's number lies inside its group; the distinct
 * numbers used are exactly heads*tokens*tokens (score) and heads*tokens*dim (output) for
 * share=unit -- one per unit, none shared --, heads*tokens for share=row, 1 for share=global;
 * each group holds exactly those numbers (majors * lanes), and the random bits per step are
 * the count times the width: log2 D per score number, log2 N per output number. */
static void share_modes_use_expected_numbers(void **state) {
  (void)state;
  for (unsigned c = 0; c < CASE_COUNT; c++) {
    const plan_case *pc = &cases[c];
    ssa_plan plan;
    build_or_fail(&plan, pc, 3);
    unsigned n = pc->tokens, dim = pc->dim, heads = pc->heads;
    uint64_t expected[SSA_GROUP_COUNT];
    switch (pc->share) {
      case SSA_SHARE_UNIT:
        expected[SSA_GROUP_SCORE] = (uint64_t)heads * n * n;
        expected[SSA_GROUP_OUTPUT] = (uint64_t)heads * n * dim;
        break;
      case SSA_SHARE_ROW:
        expected[SSA_GROUP_SCORE] = expected[SSA_GROUP_OUTPUT] = (uint64_t)heads * n;
        break;
      default:
        expected[SSA_GROUP_SCORE] = expected[SSA_GROUP_OUTPUT] = 1;
        break;
    }
    for (unsigned g = 0; g < SSA_GROUP_COUNT; g++) {
      const ssa_field_group *grp = &plan.group[g];
      uint64_t total = (uint64_t)grp->majors * grp->lanes;
      if (total != expected[g])
        fail_msg("case %u %s: group holds %llu numbers, expected %llu", c, grp->name,
                 (unsigned long long)total, (unsigned long long)expected[g]);
      unsigned char *seen = calloc(total, 1);
      assert_non_null(seen);
      uint64_t distinct = 0;
      unsigned columns = g == SSA_GROUP_SCORE ? n : dim;
      for (unsigned h = 0; h < heads; h++)
        for (unsigned i = 0; i < n; i++)
          for (unsigned col = 0; col < columns; col++) {
            ssa_number num = g == SSA_GROUP_SCORE ? ssa_plan_score_number(&plan, h, i, col)
                                                  : ssa_plan_output_number(&plan, h, i, col);
            if (num.major >= grp->majors || num.lane >= grp->lanes)
              fail_msg("case %u %s unit (%u, %u, %u): number (%u, %u) outside the group", c,
                       grp->name, h, i, col, num.major, num.lane);
            size_t idx = (size_t)num.major * grp->lanes + num.lane;
            distinct += !seen[idx];
            seen[idx] = 1;
          }
      if (distinct != expected[g])
        fail_msg("case %u %s: %llu distinct numbers used, expected %llu", c, grp->name,
                 (unsigned long long)distinct, (unsigned long long)expected[g]);
      free(seen);
    }
    uint64_t bits =
        expected[SSA_GROUP_SCORE] * ssa_log2(dim) + expected[SSA_GROUP_OUTPUT] * ssa_log2(n);
    assert_int_equal(ssa_plan_random_bits(&plan), bits);
    ssa_plan_free(&plan);
  }
}

/* Property: share=row takes one number per (head, row): the score number of (h, i, j) does not
 * depend on j nor the output number of (h, i, d) on d, and two rows or two heads never share
 * one. share=global: every unit takes number (0, 0). */
static void row_and_global_sharing(void **state) {
  (void)state;
  for (unsigned c = 0; c < CASE_COUNT; c++) {
    const plan_case *pc = &cases[c];
    if (pc->share == SSA_SHARE_UNIT) continue;
    ssa_plan plan;
    build_or_fail(&plan, pc, 5);
    for (unsigned h = 0; h < pc->heads; h++)
      for (unsigned i = 0; i < pc->tokens; i++) {
        ssa_number s0 = ssa_plan_score_number(&plan, h, i, 0);
        ssa_number o0 = ssa_plan_output_number(&plan, h, i, 0);
        if (pc->share == SSA_SHARE_GLOBAL) {
          assert_true(s0.major == 0 && s0.lane == 0 && o0.major == 0 && o0.lane == 0);
        } else {
          /* rows and heads are told apart: (major, lane) names (h, i) one to one */
          unsigned expect_lane = i % plan.group[SSA_GROUP_SCORE].lanes;
          assert_int_equal(s0.lane, expect_lane);
          assert_int_equal(s0.major, h * plan.chunks + i / SSA_PLAN_LANES);
          assert_int_equal(o0.lane, expect_lane);
          assert_int_equal(o0.major, h * plan.chunks + i / SSA_PLAN_LANES);
        }
        for (unsigned j = 0; j < pc->tokens; j++) {
          ssa_number s = ssa_plan_score_number(&plan, h, i, j);
          if (s.major != s0.major || s.lane != s0.lane)
            fail_msg("case %u: score number of (%u, %u, %u) differs from j = 0", c, h, i, j);
        }
        for (unsigned d = 0; d < pc->dim; d++) {
          ssa_number o = ssa_plan_output_number(&plan, h, i, d);
          if (o.major != o0.major || o.lane != o0.lane)
            fail_msg("case %u: output number of (%u, %u, %u) differs from d = 0", c, h, i, d);
        }
      }
    ssa_plan_free(&plan);
  }
}

typedef struct seed_entry {
  uint64_t seed;
  unsigned lfsr;
} seed_entry;

static int cmp_seed_entry(const void *a, const void *b) {
  return cmp_u64(&((const seed_entry *)a)->seed, &((const seed_entry *)b)->seed);
}

static const char *group_of(const ssa_plan *plan, unsigned lfsr) {
  return lfsr < plan->group[SSA_GROUP_OUTPUT].first_lfsr ? "score" : "output";
}

/* Counts the ordered pairs (A, B) of LFSRs of one group with seed_B = shift^k(seed_A),
 * 0 < k < W, by walking the m-sequence W - 1 shifts from every seed; writes the first pair found
 * to `example`. */
static unsigned overlapping_windows(const ssa_plan *plan, unsigned group, char *example,
                                    size_t size) {
  unsigned n = plan->lfsr_count, found = 0;
  seed_entry *sorted = malloc(sizeof *sorted * n);
  assert_non_null(sorted);
  for (unsigned l = 0; l < n; l++) sorted[l] = (seed_entry){plan->seeds[l], l};
  qsort(sorted, n, sizeof *sorted, cmp_seed_entry);
  for (unsigned a = 0; a < n; a++) {
    if (ssa_plan_lfsr_group(plan, a) != group) continue;
    uint64_t s = plan->seeds[a];
    unsigned width = ssa_plan_lfsr_width(plan, a);
    for (unsigned k = 1; k < width; k++) {
      s = ssa_lfsr_shift(s, ssa_plan_lfsr_taps(plan, a), width);
      seed_entry key = {s, 0};
      const seed_entry *hit = bsearch(&key, sorted, n, sizeof *sorted, cmp_seed_entry);
      /* only LFSRs of one group share a polynomial and so a sequence */
      if (hit == NULL || ssa_plan_lfsr_group(plan, hit->lfsr) != group) continue;
      if (found++ == 0)
        snprintf(example, size, "%s LFSR %u (seed 0x%llx) is %s LFSR %u (seed 0x%llx) shifted %u "
                 "times: in every cycle its state bits [%u, %u) are bits [0, %u) of LFSR %u",
                 group_of(plan, hit->lfsr), hit->lfsr, (unsigned long long)hit->seed,
                 group_of(plan, a), a, (unsigned long long)plan->seeds[a], k, k, width,
                 width - k, a);
    }
  }
  free(sorted);
  return found;
}

/* The LFSRs of group g: every seed non-zero and W bits wide, no two equal. Returns how many
 * break it (0 when none), with the first in `example`. */
static unsigned bad_seeds(const ssa_plan *plan, unsigned g, char *example, size_t size) {
  const ssa_field_group *grp = &plan->group[g];
  uint64_t mask = (((uint64_t)1) << grp->width) - 1;
  uint64_t *sorted = malloc(sizeof *sorted * (grp->lfsr_count + 1));
  assert_non_null(sorted);
  unsigned bad = 0;
  for (unsigned k = 0; k < grp->lfsr_count; k++) {
    uint64_t seed = plan->seeds[grp->first_lfsr + k];
    if ((seed == 0 || (seed & ~mask) != 0) && bad++ == 0)
      snprintf(example, size, "%s LFSR %u has seed 0x%llx (zero or wider than %u bits)",
               grp->name, grp->first_lfsr + k, (unsigned long long)seed, grp->width);
    sorted[k] = seed;
  }
  qsort(sorted, grp->lfsr_count, sizeof *sorted, cmp_u64);
  for (unsigned k = 1; k < grp->lfsr_count; k++)
    if (sorted[k] == sorted[k - 1] && bad++ == 0)
      snprintf(example, size, "%s seed 0x%llx used twice", grp->name,
               (unsigned long long)sorted[k]);
  free(sorted);
  return bad;
}

/* Property (docs/design.md section 4.4: the bits of a number are used by no other number in that cycle;
 * overlapping shift-register windows are not passed off as fresh numbers). All LFSRs of a group
 * share one polynomial, so each runs along the same m-sequence from its own point. When
 * seed_B = shift^k(seed_A) with 0 < k < W, B's state bits [k, W) equal A's bits [0, W - k) in
 * every cycle (both leap W per step), so the numbers drawn from those bits are not independent,
 * for ever: distinct seeds are not enough, any two LFSRs must be at least W shifts apart.
 * n points pairwise at least W apart on the sequence's cycle of 2^W - 1 states exist exactly
 * when n * W <= 2^W - 1 (n gaps of at least W each; evenly spaced points achieve it). So, for
 * each group of every plan, worked out here and not read from the plan's `spaced` flag:
 *  - when n * W <= 2^W - 1: for every LFSR and 0 < k < W, shift^k(seed) is no other seed of its
 *    group, the seeds are non-zero and distinct, and the flag is 1;
 *  - otherwise (larger designs at a narrow width, whose banner says so, docs/design.md section 4.4):
 *    what the plan still guarantees holds, seeds non-zero, W-bit and distinct, and the flag
 *    is 0.
 * The default design (16 x 16 unit) must be spaceable in both groups, and the cases must
 * include groups of either kind. Every case runs with two master seeds. */
static void lfsr_windows_disjoint_within_a_cycle(void **state) {
  (void)state;
  unsigned bad_cases = 0, spaceable_groups = 0, crowded_groups = 0;
  char example[512] = "", first[640] = "";
  for (unsigned c = 0; c <= CASE_COUNT; c++) /* c = 0: the default design */
    for (uint64_t master = 1; master <= 2; master++) {
      ssa_attention_params p;
      ssa_error err = {{0}};
      ssa_plan plan;
      if (c == 0) ssa_attention_params_default(&p);
      else params_of(&p, &cases[c - 1], master);
      p.seed = master;
      if (ssa_plan_build(&plan, &p, &err) != 0) {
        if (c == 0) fail_msg("default design rejected: %s", err.msg);
        if (strstr(err.msg, "--prng-width") == NULL) fail_msg("case %u: %s", c, err.msg);
        continue;
      }
      for (unsigned g = 0; g < SSA_GROUP_COUNT; g++) {
        const ssa_field_group *grp = &plan.group[g];
        uint64_t period = (((uint64_t)1) << grp->width) - 1;
        int spaceable = (uint64_t)grp->lfsr_count * grp->width <= period;
        if (c == 0 && !spaceable)
          fail_msg("default design: %s group of %u LFSRs at W = %u cannot be spaced", grp->name,
                   grp->lfsr_count, grp->width);
        if (spaceable) spaceable_groups++;
        else crowded_groups++;
        unsigned found = bad_seeds(&plan, g, example, sizeof example);
        if (found == 0 && spaceable) found = overlapping_windows(&plan, g, example, sizeof example);
        if (found == 0 && grp->spaced != spaceable) {
          found = 1;
          snprintf(example, sizeof example, "%s group of %u LFSRs at W = %u %s spaced, but its "
                   "flag says %d", grp->name, grp->lfsr_count, grp->width,
                   spaceable ? "can be" : "cannot be", grp->spaced);
        }
        if (found == 0) continue;
        print_message("N=%u D=%u H=%u %s W=%u seed=%llu %s: %u problems among its %u LFSRs\n",
                      p.tokens, p.dim, p.heads, ssa_share_name(p.share), p.prng_width,
                      (unsigned long long)p.seed, grp->name, found, grp->lfsr_count);
        if (bad_cases++ == 0)
          snprintf(first, sizeof first, "N=%u D=%u H=%u %s W=%u seed=%llu: %s", p.tokens, p.dim,
                   p.heads, ssa_share_name(p.share), p.prng_width, (unsigned long long)p.seed,
                   example);
      }
      ssa_plan_free(&plan);
    }
  print_message("%u groups spaceable, %u too crowded to be spaced\n", spaceable_groups,
                crowded_groups);
  if (bad_cases != 0)
    fail_msg("%u groups break the spacing or seed rules; first: %s", bad_cases, first);
  assert_true(spaceable_groups > 0);
  assert_true(crowded_groups > 0);
}

/* Checks that build and check both reject p with a message equal to `exact` (when given) or
 * containing every one of the `parts`, and leave a plan that ssa_plan_free accepts. */
static void expect_rejected(const ssa_attention_params *p, int check_too, const char *exact,
                            const char *part1, const char *part2) {
  ssa_error err = {{0}};
  ssa_plan plan;
  if (check_too) {
    assert_int_equal(ssa_attention_params_check(p, &err), -1);
    memset(&err, 0, sizeof err);
  }
  if (ssa_plan_build(&plan, p, &err) != -1)
    fail_msg("N=%u D=%u H=%u W=%u accepted; expected \"%s\"", p->tokens, p->dim, p->heads,
             p->prng_width, exact != NULL ? exact : part1);
  if (exact != NULL && strcmp(err.msg, exact) != 0)
    fail_msg("message \"%s\", expected \"%s\"", err.msg, exact);
  if (part1 != NULL && strstr(err.msg, part1) == NULL)
    fail_msg("message \"%s\" does not contain \"%s\"", err.msg, part1);
  if (part2 != NULL && strstr(err.msg, part2) == NULL)
    fail_msg("message \"%s\" does not contain \"%s\"", err.msg, part2);
  assert_null(plan.seeds);
  ssa_plan_free(&plan);
}

/* Boundary: tokens and dim must be powers of two from 2 to 256 (0, 1, 3, 12, 512 rejected; 2
 * and 256 accepted); heads from 1 to 16 (0 and 17 rejected); prng-width from 4 to 31 (3 and
 * 33 rejected). Each message names the option and its value. */
static void bad_parameters_rejected(void **state) {
  (void)state;
  static const unsigned bad[] = {0, 1, 3, 12, 512};
  char exact[128];
  ssa_attention_params p;
  ssa_error err = {{0}};
  for (unsigned k = 0; k < sizeof bad / sizeof bad[0]; k++) {
    ssa_attention_params_default(&p);
    p.tokens = bad[k];
    snprintf(exact, sizeof exact, "--tokens %u: must be a power of two from 2 to 256", bad[k]);
    expect_rejected(&p, 1, exact, NULL, NULL);
    ssa_attention_params_default(&p);
    p.dim = bad[k];
    snprintf(exact, sizeof exact, "--dim %u: must be a power of two from 2 to 256", bad[k]);
    expect_rejected(&p, 1, exact, NULL, NULL);
  }
  ssa_attention_params_default(&p);
  p.heads = 0;
  expect_rejected(&p, 1, NULL, "--heads 0", "1 to 16");
  p.heads = 17;
  expect_rejected(&p, 1, NULL, "--heads 17", "1 to 16");
  ssa_attention_params_default(&p);
  p.prng_width = 3;
  expect_rejected(&p, 1, NULL, "--prng-width 3", "4 to 31");
  p.prng_width = 32; /* the output stage's LFSRs are one bit wider, and the table ends at 32 */
  expect_rejected(&p, 1, NULL, "--prng-width 32", "4 to 31");
  /* the accepted ends of each range */
  static const unsigned ok_pow2[] = {2, 256};
  for (unsigned k = 0; k < 2; k++) {
    ssa_attention_params_default(&p);
    p.tokens = ok_pow2[k];
    p.dim = ok_pow2[1 - k];
    p.prng_width = 31;
    if (ssa_attention_params_check(&p, &err) != 0) fail_msg("%s", err.msg);
  }
  ssa_attention_params_default(&p);
  p.heads = 16;
  p.prng_width = 4;
  assert_int_equal(ssa_attention_params_check(&p, &err), 0);
  p.heads = 1;
  p.prng_width = 31;
  assert_int_equal(ssa_attention_params_check(&p, &err), 0);
}

/* Boundary: a width narrower than the numbers (tokens 256 need 8-bit selects; W = 4 and 7 are
 * too narrow, in every share mode) and a width with too few distinct non-zero seeds (256 x 64
 * unit needs 81920 LFSRs at W = 8, which has 255 seeds) are rejected by the plan, with a
 * message that names --prng-width and says which. The first is not a range error: W = 4 passes
 * ssa_attention_params_check. W = 8 is the narrowest that fits 256 tokens. */
static void too_narrow_width_rejected(void **state) {
  (void)state;
  ssa_attention_params p;
  for (int s = 0; s < 3; s++) {
    ssa_attention_params_default(&p);
    p.tokens = 256;
    p.share = (enum ssa_share)s;
    p.prng_width = 4;
    expect_rejected(&p, 0, NULL, "--prng-width 4", "narrower than the 8-bit");
    p.prng_width = 6; /* output LFSRs are W + 1 = 7 bits */
    expect_rejected(&p, 0, NULL, "--prng-width 6", "narrower than the 8-bit");
  }
  ssa_attention_params_default(&p);
  p.tokens = 256;
  p.dim = 64;
  p.share = SSA_SHARE_UNIT;
  p.prng_width = 8;
  expect_rejected(&p, 0, NULL, "--prng-width 8", "distinct non-zero seeds");
  /* the same size with one random number per block fits in two 8-bit LFSRs */
  ssa_plan plan;
  build_or_fail(&plan, &(plan_case){256, 64, 1, SSA_SHARE_GLOBAL, 8}, 1);
  assert_int_equal(plan.lfsr_count, 2);
  ssa_plan_free(&plan);
}

/* Boundary: the largest supported size, tokens = dim = 256 with 16 heads, builds in every share
 * mode at W = 31 (unit: 611712 LFSRs, all seeds distinct: checked above for one head); and at
 * the default W = 16 with one head. With two heads at W = 16, share=unit needs 65536 score
 * LFSRs, one more than a 16-bit LFSR has non-zero seeds: that exact boundary is rejected with
 * the seed message (65536 > 65535), and builds at --prng-width 17. */
static void largest_size_builds(void **state) {
  (void)state;
  for (int s = 0; s < 3; s++) {
    ssa_plan plan;
    build_or_fail(&plan, &(plan_case){256, 256, 16, (enum ssa_share)s, 31}, 11);
    /* score: 16384 lane rows of 8-bit numbers, 3 per 31-bit LFSR; output: 4 per 32-bit LFSR */
    if (s == SSA_SHARE_UNIT) assert_int_equal(plan.lfsr_count, 64 * (5462 + 4096));
    ssa_plan_free(&plan);
    build_or_fail(&plan, &(plan_case){256, 256, 1, (enum ssa_share)s, 16}, 11);
    ssa_plan_free(&plan);
  }
  ssa_attention_params p;
  ssa_attention_params_default(&p);
  p.tokens = 256;
  p.dim = 256;
  p.heads = 2;
  expect_rejected(&p, 0, NULL, "the score stage needs 65536 LFSRs", "65535 distinct non-zero seeds");
  ssa_plan plan;
  build_or_fail(&plan, &(plan_case){256, 256, 2, SSA_SHARE_UNIT, 17}, 1);
  ssa_plan_free(&plan);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(seeds_nonzero_wbit_distinct),
      cmocka_unit_test(seeds_follow_master_seed),
      cmocka_unit_test(fields_disjoint_and_inside),
      cmocka_unit_test(share_modes_use_expected_numbers),
      cmocka_unit_test(row_and_global_sharing),
      cmocka_unit_test(lfsr_windows_disjoint_within_a_cycle),
      cmocka_unit_test(bad_parameters_rejected),
      cmocka_unit_test(too_narrow_width_rejected),
      cmocka_unit_test(largest_size_builds),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
