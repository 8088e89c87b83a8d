/* plan.c -- building the randomness plan (see plan.h). */
#include "plan.h"

#include <stdlib.h>
#include <string.h>

#include "attention_shape.h"
#include "lfsr.h"

void ssa_attention_params_default(ssa_attention_params *p) {
  memset(p, 0, sizeof *p);
  ssa_attention_shape_default(&p->tokens, &p->dim, &p->heads);
  p->reduce = SSA_REDUCE_MUX;
  p->share = SSA_SHARE_UNIT;
  p->prng_width = 16;
  p->seed = 1;
  p->random = SSA_RANDOM_DEFAULT;
}

/* in enum order: the option tables (kinds/) take a value's index as the enum */
const char *const ssa_reduce_names[] = {"mux", "count", NULL};
const char *const ssa_share_names[] = {"unit", "row", "global", "row-global", NULL};
const char *const ssa_random_names[] = {"lfsr", "sobol", "packed", "shared", NULL};

const char *ssa_random_name(enum ssa_random r) {
  return r <= SSA_RANDOM_SHARED ? ssa_random_names[r] : "?";
}

const char *ssa_reduce_name(enum ssa_reduce r) { return r == SSA_REDUCE_MUX ? "mux" : "count"; }

const char *ssa_share_name(enum ssa_share s) {
  return s <= SSA_SHARE_ROW_GLOBAL ? ssa_share_names[s] : "?";
}

enum ssa_share ssa_plan_stage_share(const ssa_plan *plan, unsigned group) {
  if (plan->params.share != SSA_SHARE_ROW_GLOBAL) return plan->params.share;
  return group == SSA_GROUP_SCORE ? SSA_SHARE_ROW : SSA_SHARE_GLOBAL;
}

unsigned ssa_log2(unsigned v) {
  unsigned n = 0;
  while ((1u << n) < v) n++;
  return n;
}

int ssa_attention_params_check(const ssa_attention_params *p, ssa_error *err) {
  if (ssa_attention_shape_check(p->tokens, p->dim, p->heads, SSA_MAX_TOKENS, SSA_MAX_DIM,
                                SSA_MAX_HEADS, err) != 0)
    return -1;
  /* the output stage's LFSRs are one bit wider, and the polynomial table ends at 32 */
  if (p->prng_width < SSA_LFSR_MIN_WIDTH || p->prng_width > SSA_LFSR_MAX_WIDTH - 1)
    return ssa_fail(err, "--prng-width %u: must be from %u to %u", p->prng_width,
                    SSA_LFSR_MIN_WIDTH, SSA_LFSR_MAX_WIDTH - 1);
  return 0;
}

static unsigned min_u(unsigned a, unsigned b) { return a < b ? a : b; }
static unsigned ceil_div(unsigned a, unsigned b) { return (a + b - 1) / b; }

/* LFSRs a group of LFSR numbers needs: lfsr whole numbers per LFSR (`slots` of them), packed a
 * lane's numbers run on across its LFSRs; sobol none. (shared: one per row, in size_group.) */
static unsigned lane_lfsr_count(const ssa_field_group *g, enum ssa_random random) {
  if (random == SSA_RANDOM_SOBOL) return 0;
  if (random == SSA_RANDOM_PACKED) return g->lanes * ceil_div(g->majors * g->bits, g->width);
  return g->lanes * ceil_div(g->majors, g->slots);
}

/* Numbers per step, by share mode: unit draws one per unit, row one per (head, row), global one
 * for the whole block. Lanes run over tokens i, so 64 neighbouring rows sit in one word. */
static void size_group(ssa_field_group *g, const ssa_plan *plan, unsigned group, unsigned width,
                       unsigned bits, unsigned columns_per_head) {
  const ssa_attention_params *p = &plan->params;
  enum ssa_share share = ssa_plan_stage_share(plan, group);
  g->width = width;
  g->taps = ssa_lfsr_taps(width);
  g->bits = bits;
  switch (share) {
    case SSA_SHARE_UNIT:
      g->lanes = min_u(p->tokens, SSA_PLAN_LANES);
      g->majors = p->heads * columns_per_head * plan->chunks;
      break;
    case SSA_SHARE_ROW:
      g->lanes = min_u(p->tokens, SSA_PLAN_LANES);
      g->majors = p->heads * plan->chunks;
      break;
    default:
      g->lanes = 1;
      g->majors = 1;
      break;
  }
  g->slots = width / bits;
  g->lfsr_count = p->random == SSA_RANDOM_SHARED
                      ? g->lanes * (share == SSA_SHARE_GLOBAL ? 1 : plan->chunks)
                      : lane_lfsr_count(g, p->random);
}

/* Seeds. LFSRs of one group share a polynomial, so each is a point on one m-sequence; two
 * closer than W shifts would repeat each other's bits every step (an overlapping window).
 * When the group fits (n * W <= 2^W - 1) its seeds are n points spaced evenly along the
 * sequence, at least W shifts apart, from a start drawn from the master seed (splitmix64).
 * Otherwise they are distinct random points, and some windows overlap: the banner says so. */
static int draw_seeds(ssa_plan *plan, ssa_field_group *g, uint64_t *sm, ssa_error *err) {
  uint64_t period = (((uint64_t)1) << g->width) - 1;
  unsigned n = g->lfsr_count;
  if (n == 0) return 0;
  if ((uint64_t)n > period)
    return ssa_fail(err, "--prng-width %u: the %s stage needs %u LFSRs but a %u-bit LFSR has only "
                    "%llu distinct non-zero seeds; use a wider --prng-width", plan->params.prng_width,
                    g->name, n, g->width, (unsigned long long)period);
  uint64_t start;
  do start = ssa_splitmix64(sm) & period;
  while (start == 0);
  uint64_t *seeds = &plan->seeds[g->first_lfsr];
  if ((uint64_t)n * g->width <= period) {
    uint64_t jump[64];
    ssa_lfsr_jump_matrix(g->taps, g->width, period / n, jump);
    seeds[0] = start;
    for (unsigned k = 1; k < n; k++) seeds[k] = ssa_lfsr_apply(jump, g->width, seeds[k - 1]);
    g->spaced = 1;
    return 0;
  }
  /* open-addressing set of the seeds drawn so far, load factor at most one half */
  unsigned cap = 1;
  while (cap < 2 * n) cap <<= 1;
  uint64_t *set = calloc(cap, sizeof *set);
  if (set == NULL) return ssa_fail(err, "out of memory for %u LFSR seeds", n);
  for (unsigned k = 0; k < n;) {
    uint64_t s = k == 0 ? start : ssa_splitmix64(sm) & period;
    if (s == 0) continue;
    unsigned h = (unsigned)((s * 0x9e3779b97f4a7c15ull) >> 32) & (cap - 1);
    while (set[h] != 0 && set[h] != s) h = (h + 1) & (cap - 1);
    if (set[h] == s) continue;
    set[h] = s;
    seeds[k++] = s;
  }
  free(set);
  return 0;
}

static unsigned slot_count(const ssa_plan *plan, unsigned group);

/* random=sobol and random=shared: each aligned block of 2^bits of the group's `count` slots
 * gets a permutation of [0, 2^bits) (Fisher-Yates on splitmix64), so that neighbouring units'
 * numbers differ at every step. */
static int draw_offsets(ssa_plan *plan, unsigned group, unsigned count, uint64_t *sm,
                        ssa_error *err) {
  unsigned range = 1u << plan->group[group].bits;
  unsigned *o = malloc(sizeof *o * count), *perm = malloc(sizeof *perm * range);
  if (o == NULL || perm == NULL) {
    free(o);
    free(perm);
    return ssa_fail(err, "out of memory for %u select offsets", count);
  }
  for (unsigned first = 0; first < count; first += range) {
    for (unsigned k = 0; k < range; k++) perm[k] = k;
    for (unsigned k = range; k-- > 1;) {
      unsigned pick = (unsigned)(ssa_splitmix64(sm) % (k + 1)), t = perm[k];
      perm[k] = perm[pick];
      perm[pick] = t;
    }
    for (unsigned k = 0; k < range && first + k < count; k++) o[first + k] = perm[k];
  }
  free(perm);
  plan->offsets[group] = o;
  return 0;
}

int ssa_plan_build(ssa_plan *plan, const ssa_attention_params *p, ssa_error *err) {
  memset(plan, 0, sizeof *plan);
  if (ssa_attention_params_check(p, err) != 0) return -1;
  plan->params = *p;
  plan->chunks = ceil_div(p->tokens, SSA_PLAN_LANES);
  /* mux: score selects a column d in [0, D), output selects a token j in [0, N).
   * count: the thresholds u range over the same sets, so the widths are the same. */
  unsigned score_bits = ssa_log2(p->dim), output_bits = ssa_log2(p->tokens);
  if (score_bits > p->prng_width || output_bits > p->prng_width + 1)
    return ssa_fail(err, "--prng-width %u: narrower than the %u-bit random numbers this size "
                    "needs", p->prng_width, score_bits > output_bits ? score_bits : output_bits);
  plan->group[SSA_GROUP_SCORE].name = "score";
  plan->group[SSA_GROUP_OUTPUT].name = "output";
  size_group(&plan->group[SSA_GROUP_SCORE], plan, SSA_GROUP_SCORE, p->prng_width, score_bits,
             p->tokens);
  size_group(&plan->group[SSA_GROUP_OUTPUT], plan, SSA_GROUP_OUTPUT, p->prng_width + 1,
             output_bits, p->dim);
  plan->group[SSA_GROUP_SCORE].first_lfsr = 0;
  plan->group[SSA_GROUP_OUTPUT].first_lfsr = plan->group[SSA_GROUP_SCORE].lfsr_count;
  plan->lfsr_count =
      plan->group[SSA_GROUP_SCORE].lfsr_count + plan->group[SSA_GROUP_OUTPUT].lfsr_count;
  plan->seeds = malloc(sizeof *plan->seeds * (plan->lfsr_count + 1));
  if (plan->seeds == NULL) return ssa_fail(err, "out of memory for %u LFSR seeds", plan->lfsr_count);
  /* every seed before any offset: a shared or packed plan with as many LFSRs in a group as the
   * lfsr plan has the lfsr plan's seeds (sobol draws no seeds, so its offsets are as before) */
  uint64_t sm = p->seed;
  for (unsigned g = 0; g < SSA_GROUP_COUNT; g++)
    if (draw_seeds(plan, &plan->group[g], &sm, err) != 0) {
      ssa_plan_free(plan);
      return -1;
    }
  for (unsigned g = 0; g < SSA_GROUP_COUNT && ssa_plan_has_offsets(plan); g++)
    if (draw_offsets(plan, g, slot_count(plan, g), &sm, err) != 0) {
      ssa_plan_free(plan);
      return -1;
    }
  return 0;
}

int ssa_plan_build_bank(ssa_plan *plan, const char *name, unsigned count, unsigned bits,
                        unsigned width, uint64_t seed, enum ssa_random random, ssa_error *err) {
  memset(plan, 0, sizeof *plan);
  if (random == SSA_RANDOM_SHARED)
    return ssa_fail(err, "--random shared: not a plan of an %s bank (lfsr, packed or sobol)",
                    name);
  if (width < SSA_LFSR_MIN_WIDTH || width > SSA_LFSR_MAX_WIDTH)
    return ssa_fail(err, "--prng-width %u: must be from %u to %u", width, SSA_LFSR_MIN_WIDTH,
                    SSA_LFSR_MAX_WIDTH);
  if (bits > width)
    return ssa_fail(err, "--prng-width %u: narrower than the %u-bit random numbers of this design",
                    width, bits);
  plan->params.prng_width = width;
  plan->params.seed = seed;
  plan->params.share = SSA_SHARE_UNIT;
  plan->params.random = random;
  plan->chunks = ceil_div(count, SSA_PLAN_LANES);
  ssa_field_group *g = &plan->group[0];
  g->name = name;
  g->width = width;
  g->taps = ssa_lfsr_taps(width);
  g->bits = bits;
  g->lanes = min_u(count, SSA_PLAN_LANES);
  g->majors = plan->chunks;
  g->slots = width / bits;
  g->lfsr_count = lane_lfsr_count(g, random);
  plan->group[1].name = "unused";
  plan->group[1].first_lfsr = g->lfsr_count;
  plan->lfsr_count = g->lfsr_count;
  plan->seeds = malloc(sizeof *plan->seeds * (plan->lfsr_count + 1));
  if (plan->seeds == NULL) return ssa_fail(err, "out of memory for %u LFSR seeds", plan->lfsr_count);
  uint64_t sm = seed;
  if (draw_seeds(plan, g, &sm, err) != 0 ||
      (random == SSA_RANDOM_SOBOL && draw_offsets(plan, 0, count, &sm, err) != 0)) {
    ssa_plan_free(plan);
    return -1;
  }
  return 0;
}

ssa_number ssa_plan_bank_number(unsigned k) {
  ssa_number n = {k / SSA_PLAN_LANES, k % SSA_PLAN_LANES};
  return n;
}

unsigned ssa_plan_bank_slot(ssa_number n) { return n.major * SSA_PLAN_LANES + n.lane; }

void ssa_plan_free(ssa_plan *plan) {
  free(plan->seeds);
  plan->seeds = NULL;
  for (unsigned g = 0; g < SSA_GROUP_COUNT; g++) {
    free(plan->offsets[g]);
    plan->offsets[g] = NULL;
  }
}

/* The public helpers below are thin wrappers of these: the library is built position
 * independent, where a call to an exported function of the same file is not inlined. */
static unsigned first_token(unsigned chunk) { return chunk * SSA_PLAN_LANES; }

static unsigned columns_of(const ssa_plan *plan, unsigned group) {
  return group == SSA_GROUP_SCORE ? plan->params.tokens : plan->params.dim;
}

static unsigned lfsr_at(const ssa_plan *plan, unsigned group, unsigned row, unsigned lane) {
  const ssa_field_group *g = &plan->group[group];
  return g->first_lfsr + row * g->lanes + lane;
}

static unsigned group_of(const ssa_plan *plan, unsigned lfsr) {
  return lfsr < plan->group[SSA_GROUP_OUTPUT].first_lfsr ? SSA_GROUP_SCORE : SSA_GROUP_OUTPUT;
}

/* The number of unit (h, i, column) of a stage (docs/design.md 4.3). */
static ssa_number unit_number(const ssa_plan *plan, unsigned group, unsigned h, unsigned i,
                              unsigned column) {
  ssa_number n = {0, 0};
  unsigned chunk = i / SSA_PLAN_LANES, lane = i - first_token(chunk);
  unsigned columns = columns_of(plan, group);
  switch (ssa_plan_stage_share(plan, group)) {
    case SSA_SHARE_UNIT:
      n.major = (h * columns + column) * plan->chunks + chunk;
      n.lane = lane;
      break;
    case SSA_SHARE_ROW:
      n.major = h * plan->chunks + chunk;
      n.lane = lane;
      break;
    default:
      break;
  }
  return n;
}

static ssa_slot_form slot_form(const ssa_plan *plan, unsigned group) {
  unsigned n = plan->params.tokens, columns = columns_of(plan, group);
  ssa_slot_form form = {0, 0, 0};
  switch (ssa_plan_stage_share(plan, group)) {
    case SSA_SHARE_UNIT:
      form = (ssa_slot_form){n * columns, columns, 1};
      break;
    case SSA_SHARE_ROW:
      form = (ssa_slot_form){n, 1, 0};
      break;
    default:
      break;
  }
  return form;
}

static unsigned unit_slot(ssa_slot_form form, unsigned h, unsigned i, unsigned column) {
  return h * form.per_head + i * form.per_row + column * form.per_column;
}

unsigned ssa_plan_chunk_first_token(unsigned chunk) { return first_token(chunk); }

ssa_number ssa_plan_score_number(const ssa_plan *plan, unsigned h, unsigned i, unsigned j) {
  return unit_number(plan, SSA_GROUP_SCORE, h, i, j);
}

ssa_number ssa_plan_output_number(const ssa_plan *plan, unsigned h, unsigned i, unsigned d) {
  return unit_number(plan, SSA_GROUP_OUTPUT, h, i, d);
}

ssa_field_ref ssa_plan_field(const ssa_plan *plan, unsigned group, ssa_number n) {
  const ssa_field_group *g = &plan->group[group];
  ssa_field_ref ref;
  ref.lfsr = lfsr_at(plan, group, n.major / g->slots, n.lane);
  ref.bit = (n.major % g->slots) * g->bits;
  return ref;
}

int ssa_plan_has_offsets(const ssa_plan *plan) {
  return plan->params.random == SSA_RANDOM_SOBOL || plan->params.random == SSA_RANDOM_SHARED;
}

/* random=shared: blocks of 2^bits units per head and row (1 when the share mode keeps no
 * column), and the block of number n (plan.h). */
static unsigned shared_blocks_per_head(const ssa_plan *plan, unsigned group) {
  if (ssa_plan_stage_share(plan, group) != SSA_SHARE_UNIT) return 1;
  return ceil_div(columns_of(plan, group), 1u << plan->group[group].bits);
}

static unsigned shared_block(const ssa_plan *plan, unsigned group, ssa_number n) {
  unsigned chunks = plan->chunks, columns = columns_of(plan, group);
  switch (ssa_plan_stage_share(plan, group)) {
    case SSA_SHARE_UNIT: {
      unsigned h = n.major / chunks / columns, column = n.major / chunks % columns;
      return h * shared_blocks_per_head(plan, group) + (column >> plan->group[group].bits);
    }
    case SSA_SHARE_ROW:
      return n.major / chunks;
    default:
      return 0;
  }
}

ssa_field_ref ssa_plan_number_bit(const ssa_plan *plan, unsigned group, ssa_number n, unsigned k) {
  const ssa_field_group *g = &plan->group[group];
  ssa_field_ref ref;
  switch (plan->params.random) {
    case SSA_RANDOM_PACKED: {
      unsigned at = n.major * g->bits + k;
      ref.lfsr = lfsr_at(plan, group, at / g->width, n.lane);
      ref.bit = at % g->width;
      return ref;
    }
    case SSA_RANDOM_SHARED: {
      unsigned row =
          ssa_plan_stage_share(plan, group) == SSA_SHARE_GLOBAL ? 0 : n.major % plan->chunks;
      ref.lfsr = lfsr_at(plan, group, row, n.lane);
      ref.bit = (shared_block(plan, group, n) * g->bits + k) % g->width;
      return ref;
    }
    default:
      ref = ssa_plan_field(plan, group, n);
      ref.bit += k;
      return ref;
  }
}

unsigned ssa_plan_columns(const ssa_plan *plan, unsigned group) { return columns_of(plan, group); }

ssa_number ssa_plan_unit_number(const ssa_plan *plan, unsigned group, unsigned h, unsigned i,
                                unsigned column) {
  return unit_number(plan, group, h, i, column);
}

ssa_slot_form ssa_plan_slot_form(const ssa_plan *plan, unsigned group) {
  return slot_form(plan, group);
}

static unsigned slot_count(const ssa_plan *plan, unsigned group) {
  /* one past the slot of the last unit: the form is mixed radix, so this counts every slot */
  const ssa_attention_params *p = &plan->params;
  return unit_slot(slot_form(plan, group), p->heads - 1, p->tokens - 1,
                   columns_of(plan, group) - 1) + 1;
}

unsigned ssa_plan_slot_count(const ssa_plan *plan, unsigned group) {
  return slot_count(plan, group);
}


unsigned ssa_plan_unit_slot(const ssa_plan *plan, unsigned group, unsigned h, unsigned i,
                            unsigned column) {
  return unit_slot(slot_form(plan, group), h, i, column);
}

ssa_number ssa_plan_slot_number(const ssa_plan *plan, unsigned group, unsigned slot) {
  ssa_slot_form form = slot_form(plan, group);
  unsigned h = 0, i = 0, column = 0, rest = slot;
  if (form.per_head != 0) h = rest / form.per_head, rest %= form.per_head;
  if (form.per_row != 0) i = rest / form.per_row, rest %= form.per_row;
  if (form.per_column != 0) column = rest / form.per_column;
  return unit_number(plan, group, h, i, column);
}

ssa_lfsr_place ssa_plan_lfsr_place(const ssa_plan *plan, unsigned lfsr) {
  ssa_lfsr_place at;
  at.group = group_of(plan, lfsr);
  const ssa_field_group *g = &plan->group[at.group];
  at.index = lfsr - g->first_lfsr;
  at.row = at.index / g->lanes;
  at.lane = at.index % g->lanes;
  return at;
}

unsigned ssa_plan_lfsr_at(const ssa_plan *plan, unsigned group, unsigned row, unsigned lane) {
  return lfsr_at(plan, group, row, lane);
}

unsigned ssa_plan_lfsr_rows(const ssa_plan *plan, unsigned group) {
  const ssa_field_group *g = &plan->group[group];
  return g->lanes == 0 ? 0 : g->lfsr_count / g->lanes;
}

unsigned ssa_plan_lfsr_group(const ssa_plan *plan, unsigned lfsr) { return group_of(plan, lfsr); }

unsigned ssa_plan_lfsr_width(const ssa_plan *plan, unsigned lfsr) {
  return plan->group[ssa_plan_lfsr_group(plan, lfsr)].width;
}

uint64_t ssa_plan_lfsr_taps(const ssa_plan *plan, unsigned lfsr) {
  return plan->group[ssa_plan_lfsr_group(plan, lfsr)].taps;
}

uint64_t ssa_plan_lfsr_offset(const ssa_plan *plan, unsigned lfsr) {
  const ssa_field_group *s = &plan->group[SSA_GROUP_SCORE];
  if (lfsr < s->lfsr_count) return (uint64_t)lfsr * s->width;
  return (uint64_t)s->lfsr_count * s->width +
         (uint64_t)(lfsr - s->lfsr_count) * plan->group[SSA_GROUP_OUTPUT].width;
}

uint64_t ssa_plan_state_bits(const ssa_plan *plan) {
  return ssa_plan_lfsr_offset(plan, plan->lfsr_count);
}

uint64_t ssa_plan_random_bits(const ssa_plan *plan) {
  uint64_t total = 0;
  for (unsigned k = 0; k < SSA_GROUP_COUNT; k++) {
    const ssa_field_group *g = &plan->group[k];
    if (plan->params.random == SSA_RANDOM_SHARED) {
      /* the windows of a row's blocks tile [0, blocks * bits) around the LFSR */
      unsigned heads =
          ssa_plan_stage_share(plan, k) == SSA_SHARE_GLOBAL ? 1 : plan->params.heads;
      uint64_t windows = (uint64_t)heads * shared_blocks_per_head(plan, k) * g->bits;
      total += (uint64_t)g->lfsr_count * (windows < g->width ? windows : g->width);
    } else if (plan->params.random == SSA_RANDOM_SOBOL) {
      total += g->bits; /* the block's counter: log2 N + log2 D bits in all */
    } else {
      total += (uint64_t)g->majors * g->lanes * g->bits;
    }
  }
  return total;
}
