/* plan.h -- the attention design's parameters and its randomness plan.
 * The plan is the single description of every random bit in the hardware: which LFSRs exist,
 * their width, taps and seeds, and which bits each random number (select or threshold) takes;
 * or, with random=sobol, the block's Sobol counter and each number's constant.
 * The emitter turns it into Verilog; the golden model executes it. Nothing about randomness
 * is decided anywhere else. */
#ifndef SSA_PLAN_H
#define SSA_PLAN_H

#include <stdint.h>

#include "../common/error.h"

#define SSA_MAX_TOKENS 256u
#define SSA_MAX_DIM 256u
#define SSA_MAX_HEADS 16u

/* Lanes: numbers that sit side by side, one per LFSR. 64 so that the golden model holds one
 * bit of 64 LFSRs in one machine word (bit-sliced). */
#define SSA_PLAN_LANES 64u

enum ssa_reduce { SSA_REDUCE_MUX, SSA_REDUCE_COUNT };
/* Which units read one number. row-global: the score stage shares as row (one select per head
 * and row), the output stage as global (one select for the block): the datapath stays O(N D)
 * like global's, but rows see different score columns. */
enum ssa_share { SSA_SHARE_UNIT, SSA_SHARE_ROW, SSA_SHARE_GLOBAL, SSA_SHARE_ROW_GLOBAL };
/* Where the numbers come from (docs/randomness.md). lfsr: every number is fresh bits of the
 * plan's LFSRs, whole numbers per LFSR. sobol: every number is the block's low-discrepancy
 * select of the step (core/sobol.h, one counter for the block) XOR a constant of its slot.
 * packed: as lfsr, but a lane's numbers run on across its LFSRs, so only the last LFSR of a
 * lane has spare bits. shared: one LFSR per token row and stage for all heads and columns;
 * each block of units reads a rotation of its bits, XOR a constant of the unit's slot. */
enum ssa_random { SSA_RANDOM_LFSR, SSA_RANDOM_SOBOL, SSA_RANDOM_PACKED, SSA_RANDOM_SHARED };
/* The source a design and a training run take when none is named: sobol keeps the network's
 * accuracy (88.32 % against lfsr's 88.35 %, each trained in its plan) at 45 % of the lfsr unit
 * block's energy (docs/randomness.md, the frontier). Weights files that name no source are
 * lfsr: they were written before sobol existed (train/net_file.c). */
#define SSA_RANDOM_DEFAULT SSA_RANDOM_SOBOL

typedef struct ssa_attention_params {
  unsigned tokens;      /* N, power of two */
  unsigned dim;         /* D per head, power of two */
  unsigned heads;       /* H; the embedding is E = H * D columns */
  enum ssa_reduce reduce;
  enum ssa_share share;
  unsigned prng_width;  /* W */
  uint64_t seed;        /* master seed */
  enum ssa_random random;
} ssa_attention_params;

void ssa_attention_params_default(ssa_attention_params *p);
/* Checks ranges; the message names the option (e.g. "--tokens 12: not a power of two"). */
int ssa_attention_params_check(const ssa_attention_params *p, ssa_error *err);
extern const char *const ssa_reduce_names[];  /* "mux", "count", NULL: in enum order */
extern const char *const ssa_share_names[];   /* "unit", "row", "global", "row-global", NULL */
extern const char *const ssa_random_names[];  /* "lfsr", "sobol", "packed", "shared", NULL */
const char *ssa_random_name(enum ssa_random r);
const char *ssa_reduce_name(enum ssa_reduce r);
const char *ssa_share_name(enum ssa_share s);
unsigned ssa_log2(unsigned power_of_two);

/* Field groups: the score stage and the output stage each draw one kind of number. */
enum { SSA_GROUP_SCORE = 0, SSA_GROUP_OUTPUT = 1, SSA_GROUP_COUNT = 2 };

/* A group of `majors * lanes` numbers of `bits` bits, fresh every step. With random=lfsr
 * number (major, lane) takes bits [slot*bits, slot*bits + bits) of LFSR
 * first_lfsr + (major / slots) * lanes + lane, with slot = major % slots: whole numbers never
 * straddle two LFSRs. random=packed and random=shared place the bits otherwise
 * (ssa_plan_number_bit), always in the number's lane.
 *
 * The score group's LFSRs are W bits wide, the output group's W + 1. Both are maximal length,
 * so their periods 2^W - 1 and 2^(W+1) - 1 are coprime: over the joint period the pair of a
 * score LFSR's state and an output LFSR's state takes every value once. An output combines one
 * output number with score numbers, and so these are exactly independent, whatever the seeds.
 * (LFSRs of one group share a polynomial: as phases of one m-sequence they are linear images
 * of a single W-bit state, which is why no output combines two numbers of the output group;
 * reduce=count does combine several score numbers -- see docs/design.md section 4.5.) */
typedef struct ssa_field_group {
  const char *name;
  unsigned width;       /* LFSR width of this group */
  uint64_t taps;
  unsigned bits;        /* log2 of the range: a select in [0, 2^bits) */
  unsigned majors;
  unsigned lanes;
  unsigned slots;       /* numbers one LFSR gives per step: floor(W / bits) */
  unsigned first_lfsr;
  unsigned lfsr_count;  /* lfsr: lanes * ceil(majors / slots); packed: lanes *
                           ceil(majors * bits / width); shared: lanes * chunks; sobol: 0 */
  int spaced;           /* seeds at least `width` shifts apart on the m-sequence (plan.c) */
} ssa_field_group;

typedef struct ssa_plan {
  ssa_attention_params params;
  unsigned lfsr_count;
  uint64_t *seeds;      /* per LFSR, non-zero and distinct within its group */
  unsigned chunks;      /* ceil(N / lanes): token lanes per column */
  ssa_field_group group[SSA_GROUP_COUNT];
  /* random=sobol: no LFSRs (every group's lfsr_count is 0); the number of canonical slot k
   * (below) at step t, counted from reset, is the stage's select of ssa_sobol_selects(t) XOR
   * offsets[group][k]. random=shared: the bits ssa_plan_number_bit names, XOR offsets[group][k].
   * The offsets of each aligned block of 2^bits consecutive slots are a permutation of
   * [0, 2^bits) drawn from the master seed, so units of one row never read the same number:
   * with N and D powers of two a row's units sit in one block or fill whole blocks. NULL with
   * random=lfsr and random=packed. */
  unsigned *offsets[SSA_GROUP_COUNT];
} ssa_plan;

typedef struct ssa_field_ref {
  unsigned lfsr;  /* LFSR index */
  unsigned bit;   /* lowest state bit of the number */
} ssa_field_ref;

typedef struct ssa_number {
  unsigned major, lane;
} ssa_number;

int ssa_plan_build(ssa_plan *plan, const ssa_attention_params *p, ssa_error *err);
void ssa_plan_free(ssa_plan *plan);
/* A plan of one group (group 0, named `name`) of `count` numbers of `bits` bits, for banks
 * outside the attention block (the encoder's thresholds). Number k is ssa_plan_bank_number(k),
 * its slot k; group 1 is empty. random=lfsr and random=packed: from W-bit LFSRs laid out as
 * an attention plan's (64 lanes), seeds as for attention, from `seed`. random=sobol: no LFSRs;
 * number k at step t is the first Sobol dimension, reverse(t mod 2^bits) (core/sobol.h), XOR
 * offsets[0][k], the offsets drawn as an attention plan's: over every aligned 2^bits steps
 * each number takes every value once. random=shared is not a plan of a bank (refused). */
int ssa_plan_build_bank(ssa_plan *plan, const char *name, unsigned count, unsigned bits,
                        unsigned width, uint64_t seed, enum ssa_random random, ssa_error *err);
ssa_number ssa_plan_bank_number(unsigned k);
/* The slot (= k) of a bank's number n. */
unsigned ssa_plan_bank_slot(ssa_number n);

/* Which number the score unit (h, i, j) and the output unit (h, i, d) use. With share=row the
 * answer does not depend on j (or d); with share=global it is always (0, 0) (per stage:
 * ssa_plan_stage_share). */
ssa_number ssa_plan_score_number(const ssa_plan *plan, unsigned h, unsigned i, unsigned j);
ssa_number ssa_plan_output_number(const ssa_plan *plan, unsigned h, unsigned i, unsigned d);
/* random=lfsr (and banks): where number n's bits start; they run on to bit + bits - 1. */
ssa_field_ref ssa_plan_field(const ssa_plan *plan, unsigned group, ssa_number n);
/* Every LFSR plan (lfsr, packed, shared): the state bit that bit k (0 = least significant) of
 * number n reads. The LFSR is always in the number's lane (ssa_plan_lfsr_place(...).lane ==
 * n.lane), which is what lets the golden model read 64 tokens' numbers as one word.
 *   lfsr:    bit field.bit + k of field.lfsr (ssa_plan_field)
 *   packed:  with p = major * bits + k, bit p % width of the lane's LFSR in row p / width
 *   shared:  bit (start + k) % width of the lane's LFSR in row chunk, where the unit (h, column)
 *            is in block b = h * ceil(columns / 2^bits) + column / 2^bits and
 *            start = (b * bits) % width: units of one block share a window (their offsets
 *            differ), the first floor(width / bits) blocks of a row read disjoint windows. */
ssa_field_ref ssa_plan_number_bit(const ssa_plan *plan, unsigned group, ssa_number n, unsigned k);
/* Whether the numbers of the plan are XOR'ed with offsets[group] (sobol, shared). */
int ssa_plan_has_offsets(const ssa_plan *plan);

/* The lane layout of a group's LFSRs: row r holds `lanes` LFSRs side by side, LFSR
 * first_lfsr + r * lanes + lane (the golden model keeps one row in a word, lane = bit). */
typedef struct ssa_lfsr_place {
  unsigned group;
  unsigned index;  /* within the group: lfsr - first_lfsr (the emitter's bank array index) */
  unsigned row;    /* index / lanes */
  unsigned lane;   /* index % lanes */
} ssa_lfsr_place;
/* Where LFSR `lfsr` (< lfsr_count) sits: its group, index in the group, row and lane. */
ssa_lfsr_place ssa_plan_lfsr_place(const ssa_plan *plan, unsigned lfsr);
/* The inverse: the LFSR at (row, lane) of a group. */
unsigned ssa_plan_lfsr_at(const ssa_plan *plan, unsigned group, unsigned row, unsigned lane);
/* Rows of the group's lane layout: lfsr_count / lanes (0 for an empty group). */
unsigned ssa_plan_lfsr_rows(const ssa_plan *plan, unsigned group);
/* The first token of lane chunk c: c * SSA_PLAN_LANES. Token i of an attention plan is in
 * chunk i / SSA_PLAN_LANES at lane i % SSA_PLAN_LANES, so the tokens of a chunk are its lanes
 * in order from this one (lane 0). */
unsigned ssa_plan_chunk_first_token(unsigned chunk);
/* Whether every token's unit of the stage reads the same number, the one in lane 0
 * (share=global): a lane-parallel executor broadcasts that lane's bit to all lanes. Always
 * inline: the golden model asks in its innermost loop, which must compile as before. */
static inline __attribute__((always_inline)) int ssa_plan_broadcast(const ssa_plan *plan,
                                                                    unsigned group) {
  return plan->params.share == SSA_SHARE_GLOBAL ||
         (plan->params.share == SSA_SHARE_ROW_GLOBAL && group == SSA_GROUP_OUTPUT);
}
/* How a stage shares: the share mode itself, except row-global (row for the score stage, global
 * for the output stage). Everything below follows the stage's share. */
enum ssa_share ssa_plan_stage_share(const ssa_plan *plan, unsigned group);

/* Units to numbers, the canonical enumeration of an attention plan (docs/design.md 4.3).
 * The units of a stage are (h, i, column): column j in [0, N) for the score stage, d in [0, D)
 * for the output stage. The numbers a stage draws are counted by their canonical slot k in
 * [0, ssa_plan_slot_count), a mixed-radix number of the coordinates the share mode keeps:
 *   unit:    k = (h * N + i) * columns + column       count H * N * columns
 *   row:     k = h * N + i                             count H * N
 *   global:  k = 0                                     count 1
 * Two units have the same slot exactly when they read the same number. The emitter's number
 * arrays (score_rnd[k], output_rnd[k]) are indexed by slot. */
/* Columns of a stage's units per head and row: N (score) or D (output). */
unsigned ssa_plan_columns(const ssa_plan *plan, unsigned group);
/* The number unit (h, i, column) of the stage reads: ssa_plan_score_number or
 * ssa_plan_output_number by group. */
ssa_number ssa_plan_unit_number(const ssa_plan *plan, unsigned group, unsigned h, unsigned i,
                                unsigned column);
/* How many distinct numbers the stage draws per step (the slot count above; = majors * lanes). */
unsigned ssa_plan_slot_count(const ssa_plan *plan, unsigned group);
/* The slot as a linear form of the unit's coordinates:
 *   k = h * per_head + i * per_row + column * per_column
 * unit: (N * columns, columns, 1); row: (N, 1, 0); global: (0, 0, 0). Each non-zero coefficient
 * is the next one times the extent of that next coordinate (mixed radix), which is what lets
 * the emitter write it as "(h*N + i)*N + j" over its generate variables. */
typedef struct ssa_slot_form {
  unsigned per_head, per_row, per_column;
} ssa_slot_form;
ssa_slot_form ssa_plan_slot_form(const ssa_plan *plan, unsigned group);
/* The canonical slot of unit (h, i, column): ssa_plan_slot_form applied. */
unsigned ssa_plan_unit_slot(const ssa_plan *plan, unsigned group, unsigned h, unsigned i,
                            unsigned column);
/* The number of slot k (< ssa_plan_slot_count): that of its unit with the coordinates the share
 * mode drops set to 0. */
ssa_number ssa_plan_slot_number(const ssa_plan *plan, unsigned group, unsigned slot);

/* The group an LFSR belongs to, its width and taps, and where its state sits in the flat bus
 * of all LFSR states (the RTL's `rnd`, LFSRs in index order). */
unsigned ssa_plan_lfsr_group(const ssa_plan *plan, unsigned lfsr);
unsigned ssa_plan_lfsr_width(const ssa_plan *plan, unsigned lfsr);
uint64_t ssa_plan_lfsr_taps(const ssa_plan *plan, unsigned lfsr);
uint64_t ssa_plan_lfsr_offset(const ssa_plan *plan, unsigned lfsr);
uint64_t ssa_plan_state_bits(const ssa_plan *plan);  /* width of that bus */
/* Random bits drawn per step: state bits read by at least one number (for sobol, the bits
 * of the block's counter). */
uint64_t ssa_plan_random_bits(const ssa_plan *plan);

#endif
