/* test_plan.c -- the randomness plan (docs/design.md section 4): seeds non-zero, W-bit, distinct and
 * reproducible from the master seed; within one step no state bit serves two numbers and every
 * number lies inside its LFSR; no two LFSRs are so close on their common m-sequence that their
 * windows overlap; each share mode draws exactly the numbers it asks for; parameter errors name
 * the option and the problem; the largest size builds. The mapping helpers (canonical slots,
 * lane layout, chunks) against hand-worked cases and as a bijection; the scalar bank (bank.h)
 * against the definition of a leap and against the golden model's bit-sliced bank. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/plan.h"
#include "../core/bank.h"
#include "../core/lfsr.h"
#include "../golden/attention.h"

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
    {8, 8, 2, SSA_SHARE_ROW_GLOBAL, 7},  {128, 16, 2, SSA_SHARE_ROW_GLOBAL, 16},
};
#define CASE_COUNT (sizeof cases / sizeof cases[0])

/* The default design with the lfsr source, which most of these tests are about (the default
 * source is sobol, SSA_RANDOM_DEFAULT). */
static void lfsr_params_default(ssa_attention_params *p) {
  ssa_attention_params_default(p);
  p->random = SSA_RANDOM_LFSR;
}

static void params_of(ssa_attention_params *p, const plan_case *c, uint64_t seed) {
  lfsr_params_default(p);
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
 * the count times the width: log2 D per score number, log2 N per output number. share=row-global
 * is share=row for the score stage and share=global for the output stage. */
/* The share mode of a stage, by definition (plan.h): row-global is row for the score stage and
 * global for the output stage. */
static enum ssa_share share_of_stage(enum ssa_share share, unsigned group) {
  if (share != SSA_SHARE_ROW_GLOBAL) return share;
  return group == SSA_GROUP_SCORE ? SSA_SHARE_ROW : SSA_SHARE_GLOBAL;
}

static void share_modes_use_expected_numbers(void **state) {
  (void)state;
  for (unsigned c = 0; c < CASE_COUNT; c++) {
    const plan_case *pc = &cases[c];
    ssa_plan plan;
    build_or_fail(&plan, pc, 3);
    unsigned n = pc->tokens, dim = pc->dim, heads = pc->heads;
    uint64_t expected[SSA_GROUP_COUNT];
    for (unsigned g = 0; g < SSA_GROUP_COUNT; g++)
      switch (share_of_stage(pc->share, g)) {
        case SSA_SHARE_UNIT:
          expected[g] = (uint64_t)heads * n * (g == SSA_GROUP_SCORE ? n : dim);
          break;
        case SSA_SHARE_ROW:
          expected[g] = (uint64_t)heads * n;
          break;
        default:
          expected[g] = 1;
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
 * one. share=global: every unit takes number (0, 0). share=row-global: the score stage as row,
 * the output stage as global. */
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
        for (unsigned g = 0; g < SSA_GROUP_COUNT; g++) {
          ssa_number x = g == SSA_GROUP_SCORE ? s0 : o0;
          if (share_of_stage(pc->share, g) == SSA_SHARE_GLOBAL) {
            assert_true(x.major == 0 && x.lane == 0);
          } else {
            /* rows and heads are told apart: (major, lane) names (h, i) one to one */
            assert_int_equal(x.lane, i % plan.group[g].lanes);
            assert_int_equal(x.major, h * plan.chunks + i / SSA_PLAN_LANES);
          }
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
  for (unsigned c = 0; c <= CASE_COUNT; c++) /* c = 0: the default sizes */
    for (uint64_t master = 1; master <= 2; master++) {
      ssa_attention_params p;
      ssa_error err = {{0}};
      ssa_plan plan;
      if (c == 0) lfsr_params_default(&p);
      else params_of(&p, &cases[c - 1], master);
      p.seed = master;
      if (ssa_plan_build(&plan, &p, &err) != 0) {
        if (c == 0) fail_msg("default sizes rejected: %s", err.msg);
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
    lfsr_params_default(&p);
    p.tokens = bad[k];
    snprintf(exact, sizeof exact, "--tokens %u: must be a power of two from 2 to 256", bad[k]);
    expect_rejected(&p, 1, exact, NULL, NULL);
    lfsr_params_default(&p);
    p.dim = bad[k];
    snprintf(exact, sizeof exact, "--dim %u: must be a power of two from 2 to 256", bad[k]);
    expect_rejected(&p, 1, exact, NULL, NULL);
  }
  lfsr_params_default(&p);
  p.heads = 0;
  expect_rejected(&p, 1, NULL, "--heads 0", "1 to 16");
  p.heads = 17;
  expect_rejected(&p, 1, NULL, "--heads 17", "1 to 16");
  lfsr_params_default(&p);
  p.prng_width = 3;
  expect_rejected(&p, 1, NULL, "--prng-width 3", "4 to 31");
  p.prng_width = 32; /* the output stage's LFSRs are one bit wider, and the table ends at 32 */
  expect_rejected(&p, 1, NULL, "--prng-width 32", "4 to 31");
  /* the accepted ends of each range */
  static const unsigned ok_pow2[] = {2, 256};
  for (unsigned k = 0; k < 2; k++) {
    lfsr_params_default(&p);
    p.tokens = ok_pow2[k];
    p.dim = ok_pow2[1 - k];
    p.prng_width = 31;
    if (ssa_attention_params_check(&p, &err) != 0) fail_msg("%s", err.msg);
  }
  lfsr_params_default(&p);
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
    lfsr_params_default(&p);
    p.tokens = 256;
    p.share = (enum ssa_share)s;
    p.prng_width = 4;
    expect_rejected(&p, 0, NULL, "--prng-width 4", "narrower than the 8-bit");
    p.prng_width = 6; /* output LFSRs are W + 1 = 7 bits */
    expect_rejected(&p, 0, NULL, "--prng-width 6", "narrower than the 8-bit");
  }
  lfsr_params_default(&p);
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
  lfsr_params_default(&p);
  p.tokens = 256;
  p.dim = 256;
  p.heads = 2;
  expect_rejected(&p, 0, NULL, "the score stage needs 65536 LFSRs", "65535 distinct non-zero seeds");
  ssa_plan plan;
  build_or_fail(&plan, &(plan_case){256, 256, 2, SSA_SHARE_UNIT, 17}, 1);
  ssa_plan_free(&plan);
}

static void build_random(ssa_plan *plan, const plan_case *c, enum ssa_random random) {
  ssa_attention_params p;
  ssa_error err = {{0}};
  params_of(&p, c, 7);
  p.random = random;
  if (ssa_plan_build(plan, &p, &err) != 0)
    fail_msg("N=%u D=%u H=%u %s W=%u %s: %s", c->tokens, c->dim, c->heads,
             ssa_share_name(c->share), c->width, ssa_random_name(random), err.msg);
}

static void expect_bit(const ssa_plan *plan, unsigned group, ssa_number n, unsigned k,
                       unsigned lfsr, unsigned bit) {
  ssa_field_ref f = ssa_plan_number_bit(plan, group, n, k);
  if (f.lfsr != lfsr || f.bit != bit)
    fail_msg("%s %s number (%u, %u) bit %u: LFSR %u bit %u, expected LFSR %u bit %u",
             ssa_random_name(plan->params.random), plan->group[group].name, n.major, n.lane, k,
             f.lfsr, f.bit, lfsr, bit);
}

/* Every bit of every number of an LFSR plan, marked in used[lfsr]; fails when a bit is outside
 * its group or its lane. Returns how many times a state bit was read again in one step. */
static unsigned mark_number_bits(const ssa_plan *plan, unsigned c, uint64_t *used) {
  unsigned again = 0;
  for (unsigned g = 0; g < SSA_GROUP_COUNT; g++) {
    const ssa_field_group *grp = &plan->group[g];
    for (unsigned major = 0; major < grp->majors; major++)
      for (unsigned lane = 0; lane < grp->lanes; lane++)
        for (unsigned k = 0; k < grp->bits; k++) {
          ssa_field_ref f = ssa_plan_number_bit(plan, g, (ssa_number){major, lane}, k);
          if (f.lfsr < grp->first_lfsr || f.lfsr >= grp->first_lfsr + grp->lfsr_count ||
              f.bit >= grp->width || ssa_plan_lfsr_place(plan, f.lfsr).lane != lane)
            fail_msg("case %u %s %s number (%u, %u) bit %u: LFSR %u bit %u is outside its group "
                     "or lane", c, ssa_random_name(plan->params.random), grp->name, major, lane,
                     k, f.lfsr, f.bit);
          uint64_t mask = ((uint64_t)1) << f.bit;
          again += (used[f.lfsr] & mask) != 0;
          used[f.lfsr] |= mask;
        }
  }
  return again;
}

/* Property (random=packed, "every generated bit is used"): over every case, no state bit is
 * read twice in a step, every bit read is in the number's lane and group, and a lane's spare
 * bits (read by no number) are fewer than one LFSR's width: only its last LFSR has any. The
 * bits read add up to ssa_plan_random_bits. Example by hand, N = 8, D = 4, H = 2, W = 16,
 * unit: score numbers 2 bits, 16 per lane (majors H*N), 32 bits = 2 LFSRs per lane, 16 in all;
 * number (9, lane 3) bit 1 is stream bit 9*2 + 1 = 19: row 1, bit 3, LFSR 1*8 + 3 = 11. Output
 * numbers 3 bits, 8 per lane, 24 bits of 17-bit LFSRs = 2 per lane from LFSR 16; number
 * (5, lane 6) is stream bits 15..17: bit 0 -> row 0 bit 15 (LFSR 22), bit 1 -> row 0 bit 16,
 * bit 2 -> row 1 bit 0 (LFSR 16 + 8 + 6 = 30): it straddles two LFSRs. */
static void packed_plan_uses_every_bit(void **state) {
  (void)state;
  for (unsigned c = 0; c < CASE_COUNT; c++) {
    ssa_plan plan;
    build_random(&plan, &cases[c], SSA_RANDOM_PACKED);
    uint64_t *used = calloc(plan.lfsr_count, sizeof *used);
    assert_non_null(used);
    unsigned again = mark_number_bits(&plan, c, used);
    if (again != 0) fail_msg("case %u: %u state bits read twice in a step", c, again);
    uint64_t covered = 0;
    for (unsigned g = 0; g < SSA_GROUP_COUNT; g++) {
      const ssa_field_group *grp = &plan.group[g];
      for (unsigned lane = 0; lane < grp->lanes; lane++) {
        unsigned spare = 0;
        for (unsigned row = 0; row < ssa_plan_lfsr_rows(&plan, g); row++) {
          uint64_t bits = used[ssa_plan_lfsr_at(&plan, g, row, lane)];
          covered += (uint64_t)__builtin_popcountll(bits);
          spare += grp->width - (unsigned)__builtin_popcountll(bits);
        }
        if (spare >= grp->width)
          fail_msg("case %u %s lane %u: %u spare bits, a whole LFSR", c, grp->name, lane, spare);
      }
    }
    assert_int_equal(covered, ssa_plan_random_bits(&plan));
    free(used);
    ssa_plan_free(&plan);
  }
  ssa_plan plan;
  build_random(&plan, &(plan_case){8, 4, 2, SSA_SHARE_UNIT, 16}, SSA_RANDOM_PACKED);
  assert_int_equal(plan.group[SSA_GROUP_SCORE].lfsr_count, 16);
  assert_int_equal(plan.group[SSA_GROUP_OUTPUT].lfsr_count, 16);
  expect_bit(&plan, SSA_GROUP_SCORE, (ssa_number){9, 3}, 1, 11, 3);
  expect_bit(&plan, SSA_GROUP_OUTPUT, (ssa_number){5, 6}, 0, 22, 15);
  expect_bit(&plan, SSA_GROUP_OUTPUT, (ssa_number){5, 6}, 1, 22, 16);
  expect_bit(&plan, SSA_GROUP_OUTPUT, (ssa_number){5, 6}, 2, 30, 0);
  ssa_plan_free(&plan);
}

/* Property (random=shared): one LFSR per token row and stage (lanes * chunks per group); the
 * units of one row and block read the same bits, and their offsets are a permutation of
 * [0, 2^bits), so their numbers differ at every step; ssa_plan_random_bits counts each state
 * bit read once. Examples by hand:
 *   N = 64, D = 4, H = 2, W = 16, unit: score bits 2, 64 columns = 16 blocks per head; unit
 *   (h 1, i 5, j 37) is in block 16 + 9 = 25, window start 50 % 16 = 2: bits 2, 3 of LFSR 5
 *   (lane 5). Output bits 6, 4 columns = 1 block per head; unit (1, 5, d 3) in block 1, bits
 *   6 .. 11 of the 17-bit LFSR 64 + 5 = 69.
 *   N = 16, D = 8, H = 2, W = 7, unit: score bits 3, 2 blocks per head; unit (1, 4, j 3) in
 *   block 2, start 6: bits 6, 0, 1 (round the LFSR) of LFSR 4. */
static void shared_plan_windows(void **state) {
  (void)state;
  for (unsigned c = 0; c < CASE_COUNT; c++) {
    ssa_plan plan;
    build_random(&plan, &cases[c], SSA_RANDOM_SHARED);
    for (unsigned g = 0; g < SSA_GROUP_COUNT; g++) {
      unsigned rows = share_of_stage(cases[c].share, g) == SSA_SHARE_GLOBAL ? 1 : plan.chunks;
      assert_int_equal(plan.group[g].lfsr_count, plan.group[g].lanes * rows);
    }
    uint64_t *used = calloc(plan.lfsr_count, sizeof *used);
    assert_non_null(used);
    mark_number_bits(&plan, c, used);
    uint64_t covered = 0;
    for (unsigned l = 0; l < plan.lfsr_count; l++)
      covered += (uint64_t)__builtin_popcountll(used[l]);
    assert_int_equal(covered, ssa_plan_random_bits(&plan));
    free(used);
    /* a block's units: one window, distinct offsets */
    for (unsigned g = 0; g < SSA_GROUP_COUNT; g++) {
      unsigned range = 1u << plan.group[g].bits, count = ssa_plan_slot_count(&plan, g);
      for (unsigned first = 0; first + range <= count; first += range) {
        unsigned char seen[256] = {0};
        unsigned distinct = 0;
        for (unsigned k = first; k < first + range; k++)
          if (plan.offsets[g][k] < range && !seen[plan.offsets[g][k]]++) distinct++;
        if (distinct != range)
          fail_msg("case %u %s: the offsets of slots %u.. are not a permutation", c,
                   plan.group[g].name, first);
      }
    }
    ssa_plan_free(&plan);
  }
  ssa_plan plan;
  build_random(&plan, &(plan_case){64, 4, 2, SSA_SHARE_UNIT, 16}, SSA_RANDOM_SHARED);
  ssa_number n = ssa_plan_score_number(&plan, 1, 5, 37);
  expect_bit(&plan, SSA_GROUP_SCORE, n, 0, 5, 2);
  expect_bit(&plan, SSA_GROUP_SCORE, n, 1, 5, 3);
  n = ssa_plan_output_number(&plan, 1, 5, 3);
  for (unsigned k = 0; k < 6; k++) expect_bit(&plan, SSA_GROUP_OUTPUT, n, k, 69, 6 + k);
  ssa_plan_free(&plan);
  build_random(&plan, &(plan_case){16, 8, 2, SSA_SHARE_UNIT, 7}, SSA_RANDOM_SHARED);
  n = ssa_plan_score_number(&plan, 1, 4, 3);
  expect_bit(&plan, SSA_GROUP_SCORE, n, 0, 4, 6);
  expect_bit(&plan, SSA_GROUP_SCORE, n, 1, 4, 0);
  expect_bit(&plan, SSA_GROUP_SCORE, n, 2, 4, 1);
  ssa_plan_free(&plan);
}

/* Property (docs/randomness.md, the encoder's plans): a sobol bank's number k at step t is
 * reverse(t mod 2^B) XOR an offset, so over every aligned 2^B steps it takes every value once
 * and an input holding x spikes (u < x) exactly x times; the offsets of an aligned block of
 * 2^B numbers are a permutation, so those numbers differ at every step. Checked for 100
 * numbers of 3 bits (over 3 periods) and 5 numbers of 12 bits (one period), against a count
 * kept here. A packed bank reads every state bit at most once per step and leaves spare bits
 * only in a lane's last LFSR: 200 numbers of 5 bits from 9-bit LFSRs, 4 numbers per lane =
 * 20 bits = 3 LFSRs (27 bits) per lane where the lfsr plan needs 4 (one number per LFSR). */
static void bank_plans(void **state) {
  (void)state;
  static const unsigned shapes[][3] = {{100, 3, 3}, {5, 12, 1}};
  for (unsigned c = 0; c < 2; c++) {
    unsigned count = shapes[c][0], bits = shapes[c][1], range = 1u << bits;
    ssa_plan plan;
    ssa_error err = {{0}};
    if (ssa_plan_build_bank(&plan, "encoder", count, bits, 16, 5, SSA_RANDOM_SOBOL, &err) != 0)
      fail_msg("%s", err.msg);
    assert_int_equal(plan.lfsr_count, 0);
    ssa_bank bank;
    assert_int_equal(ssa_bank_init(&bank, &plan, &err), 0);
    unsigned char *seen = calloc((size_t)count * range, 1);
    assert_non_null(seen);
    for (unsigned period = 0; period < shapes[c][2]; period++) {
      memset(seen, 0, (size_t)count * range);
      for (unsigned t = 0; t < range; t++) {
        unsigned char block_seen[1u << 12];
        for (unsigned k = 0; k < count; k++) {
          uint64_t u = ssa_bank_number(&bank, 0, ssa_plan_bank_number(k));
          assert_true(u < range);
          if (seen[(size_t)k * range + u]++)
            fail_msg("sobol bank, %u numbers of %u bits: number %u took %llu twice in period %u",
                     count, bits, k, (unsigned long long)u, period);
          if (k % range == 0) memset(block_seen, 0, range);
          if (k / range * range + range <= count && block_seen[u]++)  /* a whole block */
            fail_msg("sobol bank: two numbers of the block of number %u read %llu at step %u", k,
                     (unsigned long long)u, t);
        }
        ssa_bank_leap(&bank);
      }
    }
    free(seen);
    ssa_bank_free(&bank);
    ssa_plan_free(&plan);
  }
  ssa_plan plan;
  ssa_error err = {{0}};
  if (ssa_plan_build_bank(&plan, "encoder", 200, 5, 9, 5, SSA_RANDOM_PACKED, &err) != 0)
    fail_msg("%s", err.msg);
  assert_int_equal(plan.lfsr_count, 64 * 3);
  uint64_t *used = calloc(plan.lfsr_count, sizeof *used);
  assert_non_null(used);
  for (unsigned k = 0; k < 200; k++)
    for (unsigned b = 0; b < 5; b++) {
      ssa_number n = ssa_plan_bank_number(k);
      ssa_field_ref f = ssa_plan_number_bit(&plan, 0, n, b);
      assert_int_equal(ssa_plan_lfsr_place(&plan, f.lfsr).lane, n.lane);
      assert_true(f.bit < 9);
      if (used[f.lfsr] & (((uint64_t)1) << f.bit)) fail_msg("packed bank: bit read twice");
      used[f.lfsr] |= ((uint64_t)1) << f.bit;
    }
  /* lane 0 holds numbers 0, 64, 128, 192: stream bits 0..19 of LFSRs 0, 64, 128 */
  assert_int_equal(used[0], 0x1ff);
  assert_int_equal(used[64], 0x1ff);
  assert_int_equal(used[128], 0x3);
  assert_int_equal(used[128 + 8], 0x0); /* lane 8 holds three numbers: 15 bits */
  assert_int_equal(used[64 + 8], 0x3f);
  ssa_plan lfsr;
  if (ssa_plan_build_bank(&lfsr, "encoder", 200, 5, 9, 5, SSA_RANDOM_LFSR, &err) != 0)
    fail_msg("%s", err.msg);
  assert_int_equal(lfsr.lfsr_count, 64 * 4);
  free(used);
  ssa_plan_free(&lfsr);
  ssa_plan_free(&plan);
}

static void build_small(ssa_plan *plan, unsigned tokens, unsigned dim, unsigned heads,
                        enum ssa_share share, unsigned width) {
  build_or_fail(plan, &(plan_case){tokens, dim, heads, share, width}, 1);
}

static void expect_field(const ssa_plan *plan, unsigned group, ssa_number n, unsigned lfsr,
                         unsigned bit) {
  ssa_field_ref f = ssa_plan_field(plan, group, n);
  if (f.lfsr != lfsr || f.bit != bit)
    fail_msg("%s number (%u, %u): LFSR %u bit %u, expected LFSR %u bit %u",
             plan->group[group].name, n.major, n.lane, f.lfsr, f.bit, lfsr, bit);
}

static void expect_place(const ssa_plan *plan, unsigned lfsr, unsigned group, unsigned index,
                         unsigned row, unsigned lane) {
  ssa_lfsr_place at = ssa_plan_lfsr_place(plan, lfsr);
  if (at.group != group || at.index != index || at.row != row || at.lane != lane)
    fail_msg("LFSR %u: group %u index %u row %u lane %u, expected %u %u %u %u", lfsr, at.group,
             at.index, at.row, at.lane, group, index, row, lane);
  assert_int_equal(ssa_plan_lfsr_at(plan, group, row, lane), lfsr);
}

/* Example: the helpers on N = 4, D = 2, H = 2, W = 4, worked by hand from docs/design.md 4.3.
 * chunks 1, lanes 4 (unit, row) or 1 (global); score numbers 1 bit from 4-bit LFSRs (4 slots),
 * output numbers 2 bits from 5-bit LFSRs (2 slots).
 *  unit: score majors H*N = 8 -> 4 * ceil(8/4) = 8 LFSRs, output majors H*D = 4 -> 8 LFSRs.
 *        score slot (h*4 + i)*4 + j, 32 slots; output slot (h*4 + i)*2 + d, 16 slots.
 *        score unit (1, 2, 3): slot 27, number (major (1*4 + 3) = 7, lane 2),
 *          LFSR (7/4)*4 + 2 = 6 (row 1, lane 2), bit (7%4)*1 = 3.
 *        output unit (1, 3, 1): slot 15, number (1*2 + 1 = 3, lane 3),
 *          LFSR 8 + (3/2)*4 + 3 = 15 (index 7, row 1, lane 3), bit (3%2)*2 = 2.
 *  row:  4 + 4 LFSRs; slot h*4 + i, 8 slots; score (1, 2, j): slot 6, number (1, 2), LFSR 2
 *        bit 1; output (1, 3, d): slot 7, number (1, 3), LFSR 4 + 3 = 7 (index 3) bit 2.
 *  global: 1 + 1 LFSRs, one slot, number (0, 0), score LFSR 0 bit 0, output LFSR 1 bit 0,
 *        broadcast. */
static void slots_and_layout_small(void **state) {
  (void)state;
  ssa_plan plan;
  build_small(&plan, 4, 2, 2, SSA_SHARE_UNIT, 4);
  assert_int_equal(plan.lfsr_count, 16);
  assert_int_equal(ssa_plan_columns(&plan, SSA_GROUP_SCORE), 4);
  assert_int_equal(ssa_plan_columns(&plan, SSA_GROUP_OUTPUT), 2);
  ssa_slot_form sf = ssa_plan_slot_form(&plan, SSA_GROUP_SCORE);
  ssa_slot_form of = ssa_plan_slot_form(&plan, SSA_GROUP_OUTPUT);
  assert_true(sf.per_head == 16 && sf.per_row == 4 && sf.per_column == 1);
  assert_true(of.per_head == 8 && of.per_row == 2 && of.per_column == 1);
  assert_int_equal(ssa_plan_slot_count(&plan, SSA_GROUP_SCORE), 32);
  assert_int_equal(ssa_plan_slot_count(&plan, SSA_GROUP_OUTPUT), 16);
  assert_int_equal(ssa_plan_unit_slot(&plan, SSA_GROUP_SCORE, 1, 2, 3), 27);
  assert_int_equal(ssa_plan_unit_slot(&plan, SSA_GROUP_OUTPUT, 1, 3, 1), 15);
  ssa_number n = ssa_plan_slot_number(&plan, SSA_GROUP_SCORE, 27);
  assert_true(n.major == 7 && n.lane == 2);
  n = ssa_plan_unit_number(&plan, SSA_GROUP_SCORE, 1, 2, 3);
  assert_true(n.major == 7 && n.lane == 2);
  expect_field(&plan, SSA_GROUP_SCORE, n, 6, 3);
  expect_place(&plan, 6, SSA_GROUP_SCORE, 6, 1, 2);
  n = ssa_plan_slot_number(&plan, SSA_GROUP_OUTPUT, 15);
  assert_true(n.major == 3 && n.lane == 3);
  expect_field(&plan, SSA_GROUP_OUTPUT, n, 15, 2);
  expect_place(&plan, 15, SSA_GROUP_OUTPUT, 7, 1, 3);
  expect_place(&plan, 8, SSA_GROUP_OUTPUT, 0, 0, 0);
  assert_int_equal(ssa_plan_lfsr_rows(&plan, SSA_GROUP_SCORE), 2);
  assert_int_equal(ssa_plan_lfsr_rows(&plan, SSA_GROUP_OUTPUT), 2);
  assert_false(ssa_plan_broadcast(&plan, SSA_GROUP_SCORE));
  ssa_plan_free(&plan);

  build_small(&plan, 4, 2, 2, SSA_SHARE_ROW, 4);
  assert_int_equal(plan.lfsr_count, 8);
  sf = ssa_plan_slot_form(&plan, SSA_GROUP_SCORE);
  of = ssa_plan_slot_form(&plan, SSA_GROUP_OUTPUT);
  assert_true(sf.per_head == 4 && sf.per_row == 1 && sf.per_column == 0);
  assert_true(of.per_head == 4 && of.per_row == 1 && of.per_column == 0);
  assert_int_equal(ssa_plan_slot_count(&plan, SSA_GROUP_SCORE), 8);
  assert_int_equal(ssa_plan_slot_count(&plan, SSA_GROUP_OUTPUT), 8);
  for (unsigned j = 0; j < 4; j++)
    assert_int_equal(ssa_plan_unit_slot(&plan, SSA_GROUP_SCORE, 1, 2, j), 6);
  n = ssa_plan_slot_number(&plan, SSA_GROUP_SCORE, 6);
  assert_true(n.major == 1 && n.lane == 2);
  expect_field(&plan, SSA_GROUP_SCORE, n, 2, 1);
  assert_int_equal(ssa_plan_unit_slot(&plan, SSA_GROUP_OUTPUT, 1, 3, 1), 7);
  n = ssa_plan_slot_number(&plan, SSA_GROUP_OUTPUT, 7);
  assert_true(n.major == 1 && n.lane == 3);
  expect_field(&plan, SSA_GROUP_OUTPUT, n, 7, 2);
  expect_place(&plan, 7, SSA_GROUP_OUTPUT, 3, 0, 3);
  assert_int_equal(ssa_plan_lfsr_rows(&plan, SSA_GROUP_SCORE), 1);
  assert_false(ssa_plan_broadcast(&plan, SSA_GROUP_OUTPUT));
  ssa_plan_free(&plan);

  build_small(&plan, 4, 2, 2, SSA_SHARE_GLOBAL, 4);
  assert_int_equal(plan.lfsr_count, 2);
  for (unsigned g = 0; g < SSA_GROUP_COUNT; g++) {
    ssa_slot_form form = ssa_plan_slot_form(&plan, g);
    assert_true(form.per_head == 0 && form.per_row == 0 && form.per_column == 0);
    assert_int_equal(ssa_plan_slot_count(&plan, g), 1);
    assert_int_equal(ssa_plan_unit_slot(&plan, g, 1, 3, 1), 0);
    n = ssa_plan_slot_number(&plan, g, 0);
    assert_true(n.major == 0 && n.lane == 0);
    expect_field(&plan, g, n, g, 0);
    expect_place(&plan, g, g, 0, 0, 0);
    assert_int_equal(ssa_plan_lfsr_rows(&plan, g), 1);
    assert_true(ssa_plan_broadcast(&plan, g));
  }
  ssa_plan_free(&plan);
}

/* Example: N = 128 (two chunks of 64 lanes), D = 4, H = 2, W = 16, by hand. Score numbers 2 bits
 * from 16-bit LFSRs (8 slots), majors H*N*chunks = 512 -> 64 * 64 = 4096 LFSRs; output numbers
 * 7 bits from 17-bit LFSRs (2 slots), majors H*D*chunks = 16 -> 64 * 8 = 512 LFSRs from 4096.
 *  chunk 1 starts at token 64; token 70 is chunk 1, lane 6.
 *  score unit (1, 70, 5): slot (128 + 70)*128 + 5 = 25349; number ((128 + 5)*2 + 1 = 267,
 *    lane 6); LFSR (267/8)*64 + 6 = 2118 (row 33), bit (267%8)*2 = 6.
 *  output unit (1, 127, 3): slot (128 + 127)*4 + 3 = 1023, the last of 1024; number
 *    ((4 + 3)*2 + 1 = 15, lane 63); LFSR 4096 + 7*64 + 63 = 4607, the last (index 511, row 7),
 *    bit (15%2)*7 = 7.
 *  share=row: score unit (1, 70, j): slot 128 + 70 = 198, number (1*2 + 1 = 3, lane 6). */
static void slots_and_layout_two_chunks(void **state) {
  (void)state;
  ssa_plan plan;
  build_small(&plan, 128, 4, 2, SSA_SHARE_UNIT, 16);
  assert_int_equal(plan.chunks, 2);
  assert_int_equal(plan.lfsr_count, 4608);
  assert_int_equal(ssa_plan_chunk_first_token(0), 0);
  assert_int_equal(ssa_plan_chunk_first_token(1), 64);
  assert_int_equal(ssa_plan_chunk_first_token(3), 192);
  assert_int_equal(ssa_plan_unit_slot(&plan, SSA_GROUP_SCORE, 1, 70, 5), 25349);
  ssa_number n = ssa_plan_slot_number(&plan, SSA_GROUP_SCORE, 25349);
  assert_true(n.major == 267 && n.lane == 6);
  expect_field(&plan, SSA_GROUP_SCORE, n, 2118, 6);
  expect_place(&plan, 2118, SSA_GROUP_SCORE, 2118, 33, 6);
  assert_int_equal(ssa_plan_slot_count(&plan, SSA_GROUP_OUTPUT), 1024);
  assert_int_equal(ssa_plan_unit_slot(&plan, SSA_GROUP_OUTPUT, 1, 127, 3), 1023);
  n = ssa_plan_slot_number(&plan, SSA_GROUP_OUTPUT, 1023);
  assert_true(n.major == 15 && n.lane == 63);
  expect_field(&plan, SSA_GROUP_OUTPUT, n, 4607, 7);
  expect_place(&plan, 4607, SSA_GROUP_OUTPUT, 511, 7, 63);
  assert_int_equal(ssa_plan_lfsr_rows(&plan, SSA_GROUP_SCORE), 64);
  assert_int_equal(ssa_plan_lfsr_rows(&plan, SSA_GROUP_OUTPUT), 8);
  ssa_plan_free(&plan);
  build_small(&plan, 128, 4, 2, SSA_SHARE_ROW, 16);
  assert_int_equal(ssa_plan_unit_slot(&plan, SSA_GROUP_SCORE, 1, 70, 9), 198);
  n = ssa_plan_slot_number(&plan, SSA_GROUP_SCORE, 198);
  assert_true(n.major == 3 && n.lane == 6);
  ssa_plan_free(&plan);
}

/* Property, every case of `cases`: the canonical slots enumerate the numbers. For every unit
 * (h, i, column) of each stage: its slot is below ssa_plan_slot_count and equals the slot form
 * applied; the number of its slot is ssa_plan_score_number / ssa_plan_output_number of the unit
 * (= ssa_plan_unit_number); every slot is some unit's (onto 0 .. count-1), distinct slots have
 * distinct numbers (one to one), and count = majors * lanes, so slot -> number is a bijection
 * onto the group's numbers. The form is mixed radix (per_head = per_row * N, per_row =
 * per_column * columns where the inner coefficient is non-zero). Lanes are tokens: unit i reads
 * lane i - ssa_plan_chunk_first_token(i / 64) and the same major as the chunk's first token
 * (what the bit-sliced golden model relies on), and that number's LFSR is in the same lane of
 * the layout. Lane layout: ssa_plan_lfsr_place and ssa_plan_lfsr_at are inverse over every
 * LFSR, rows = ssa_plan_lfsr_rows. */
static void slot_enumeration_is_a_bijection(void **state) {
  (void)state;
  for (unsigned c = 0; c < CASE_COUNT; c++) {
    const plan_case *pc = &cases[c];
    ssa_plan plan;
    build_or_fail(&plan, pc, 9);
    for (unsigned g = 0; g < SSA_GROUP_COUNT; g++) {
      const ssa_field_group *grp = &plan.group[g];
      unsigned columns = ssa_plan_columns(&plan, g), count = ssa_plan_slot_count(&plan, g);
      assert_int_equal(columns, g == SSA_GROUP_SCORE ? pc->tokens : pc->dim);
      assert_int_equal((uint64_t)count, (uint64_t)grp->majors * grp->lanes);
      ssa_slot_form form = ssa_plan_slot_form(&plan, g);
      if (form.per_row != 0) assert_int_equal(form.per_head, form.per_row * pc->tokens);
      if (form.per_column != 0) assert_int_equal(form.per_row, form.per_column * columns);
      int global = share_of_stage(pc->share, g) == SSA_SHARE_GLOBAL;
      assert_int_equal(ssa_plan_broadcast(&plan, g), global);
      unsigned char *hit = calloc(count, 1), *taken = calloc(count, 1);
      assert_non_null(hit);
      assert_non_null(taken);
      for (unsigned h = 0; h < pc->heads; h++)
        for (unsigned i = 0; i < pc->tokens; i++)
          for (unsigned col = 0; col < columns; col++) {
            unsigned k = ssa_plan_unit_slot(&plan, g, h, i, col);
            if (k >= count || k != h * form.per_head + i * form.per_row + col * form.per_column)
              fail_msg("case %u %s unit (%u, %u, %u): slot %u of %u", c, grp->name, h, i, col,
                       k, count);
            ssa_number want = g == SSA_GROUP_SCORE ? ssa_plan_score_number(&plan, h, i, col)
                                                   : ssa_plan_output_number(&plan, h, i, col);
            ssa_number got = ssa_plan_slot_number(&plan, g, k);
            ssa_number unit = ssa_plan_unit_number(&plan, g, h, i, col);
            if (got.major != want.major || got.lane != want.lane || unit.major != want.major ||
                unit.lane != want.lane)
              fail_msg("case %u %s unit (%u, %u, %u): slot %u gives number (%u, %u), the unit "
                       "reads (%u, %u)", c, grp->name, h, i, col, k, got.major, got.lane,
                       want.major, want.lane);
            hit[k] = 1;
            unsigned chunk = i / SSA_PLAN_LANES, first = ssa_plan_chunk_first_token(chunk);
            ssa_number lead = ssa_plan_unit_number(&plan, g, h, first, col);
            if (!global &&
                (want.lane != i - first || want.major != lead.major || lead.lane != 0))
              fail_msg("case %u %s unit (%u, %u, %u): number (%u, %u), chunk lead (%u, %u)", c,
                       grp->name, h, i, col, want.major, want.lane, lead.major, lead.lane);
            ssa_lfsr_place at = ssa_plan_lfsr_place(&plan, ssa_plan_field(&plan, g, want).lfsr);
            assert_int_equal(at.group, g);
            assert_int_equal(at.lane, want.lane);
          }
      for (unsigned k = 0; k < count; k++) {
        if (!hit[k]) fail_msg("case %u %s: slot %u is no unit's", c, grp->name, k);
        ssa_number n = ssa_plan_slot_number(&plan, g, k);
        size_t idx = (size_t)n.major * grp->lanes + n.lane;
        if (n.major >= grp->majors || n.lane >= grp->lanes || taken[idx])
          fail_msg("case %u %s: slot %u gives number (%u, %u), outside or already given", c,
                   grp->name, k, n.major, n.lane);
        taken[idx] = 1;
      }
      free(hit);
      free(taken);
      unsigned rows = ssa_plan_lfsr_rows(&plan, g);
      assert_int_equal(rows * grp->lanes, grp->lfsr_count);
      for (unsigned l = grp->first_lfsr; l < grp->first_lfsr + grp->lfsr_count; l++) {
        ssa_lfsr_place at = ssa_plan_lfsr_place(&plan, l);
        if (at.group != g || at.index != l - grp->first_lfsr || at.row >= rows ||
            at.lane >= grp->lanes || ssa_plan_lfsr_at(&plan, g, at.row, at.lane) != l)
          fail_msg("case %u: LFSR %u placed at group %u index %u row %u lane %u", c, l, at.group,
                   at.index, at.row, at.lane);
      }
    }
    ssa_plan_free(&plan);
  }
}

/* Property: the scalar bank (core/bank.h) is the plan executed. Step 0 holds the seeds; after
 * t steps LFSR l holds its seed shifted t * W times (docs/design.md 4.1, counted here with
 * ssa_lfsr_shift, one shift at a time); every number reads its `bits` bits at ssa_plan_field;
 * reset goes back to the seeds. For attention plans also the golden model's bit-sliced bank:
 * ssa_golden_lfsr_state equals the scalar bank's state for every LFSR over 20 steps. Plans:
 * the encoder's (100 numbers of 3 bits at W = 7: two chunks of lanes, two slots per LFSR), and
 * attention 4 x 2 x 2 at W = 4 in each share mode and 128 x 4 x 2 unit at W = 16. */
static void scalar_bank_executes_the_plan(void **state) {
  (void)state;
  for (unsigned which = 0; which < 5; which++) {
    ssa_plan plan;
    ssa_error err = {{0}};
    if (which == 0) {
      if (ssa_plan_build_bank(&plan, "encoder", 100, 3, 7, 7, SSA_RANDOM_LFSR, &err) != 0)
        fail_msg("%s", err.msg);
    } else if (which < 4) {
      build_small(&plan, 4, 2, 2, (enum ssa_share)(which - 1), 4);
    } else {
      build_small(&plan, 128, 4, 2, SSA_SHARE_UNIT, 16);
    }
    ssa_bank bank;
    assert_int_equal(ssa_bank_init(&bank, &plan, &err), 0);
    uint64_t *expect = malloc(sizeof *expect * plan.lfsr_count);
    assert_non_null(expect);
    memcpy(expect, plan.seeds, sizeof *expect * plan.lfsr_count);
    ssa_golden_attention *golden = NULL;
    ssa_bitmat zero;
    if (which > 0) {
      assert_int_equal(ssa_golden_attention_new(&plan, &golden, &err), 0);
      assert_int_equal(ssa_bitmat_init(&zero, plan.params.tokens,
                                       plan.params.heads * plan.params.dim), 0);
    }
    for (unsigned t = 0; t < 20; t++) {
      for (unsigned l = 0; l < plan.lfsr_count; l++) {
        if (bank.state[l] != expect[l])
          fail_msg("plan %u step %u: LFSR %u holds 0x%llx, expected 0x%llx", which, t, l,
                   (unsigned long long)bank.state[l], (unsigned long long)expect[l]);
        if (golden != NULL && ssa_golden_lfsr_state(golden, l) != expect[l])
          fail_msg("plan %u step %u: golden model's LFSR %u holds 0x%llx, expected 0x%llx", which,
                   t, l, (unsigned long long)ssa_golden_lfsr_state(golden, l),
                   (unsigned long long)expect[l]);
      }
      for (unsigned g = 0; g < SSA_GROUP_COUNT; g++) {
        const ssa_field_group *grp = &plan.group[g];
        for (unsigned major = 0; major < grp->majors; major++)
          for (unsigned lane = 0; lane < grp->lanes; lane++) {
            ssa_number n = {major, lane};
            ssa_field_ref f = ssa_plan_field(&plan, g, n);
            uint64_t want = (expect[f.lfsr] >> f.bit) & ((((uint64_t)1) << grp->bits) - 1);
            assert_int_equal(ssa_bank_number(&bank, g, n), want);
          }
      }
      ssa_bank_leap(&bank);
      if (golden != NULL) ssa_golden_attention_step(golden, &zero, &zero, &zero, &zero);
      for (unsigned l = 0; l < plan.lfsr_count; l++) {
        unsigned width = ssa_plan_lfsr_width(&plan, l);
        for (unsigned k = 0; k < width; k++)
          expect[l] = ssa_lfsr_shift(expect[l], ssa_plan_lfsr_taps(&plan, l), width);
      }
    }
    ssa_bank_reset(&bank);
    assert_memory_equal(bank.state, plan.seeds, sizeof *bank.state * plan.lfsr_count);
    if (golden != NULL) {
      ssa_golden_attention_free(golden);
      ssa_bitmat_free(&zero);
    }
    free(expect);
    ssa_bank_free(&bank);
    ssa_plan_free(&plan);
  }
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
      cmocka_unit_test(slots_and_layout_small),
      cmocka_unit_test(slots_and_layout_two_chunks),
      cmocka_unit_test(slot_enumeration_is_a_bijection),
      cmocka_unit_test(scalar_bank_executes_the_plan),
      cmocka_unit_test(packed_plan_uses_every_bit),
      cmocka_unit_test(shared_plan_windows),
      cmocka_unit_test(bank_plans),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
