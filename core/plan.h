/* plan.h -- the attention design's parameters and its randomness plan.
 * The plan is the single description of every random bit in the hardware: which LFSRs exist,
 * their width, taps and seeds, and which bits each random number (select or threshold) takes.
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
enum ssa_share { SSA_SHARE_UNIT, SSA_SHARE_ROW, SSA_SHARE_GLOBAL };

typedef struct ssa_attention_params {
  unsigned tokens;      /* N, power of two */
  unsigned dim;         /* D per head, power of two */
  unsigned heads;       /* H; the embedding is E = H * D columns */
  enum ssa_reduce reduce;
  enum ssa_share share;
  unsigned prng_width;  /* W */
  uint64_t seed;        /* master seed */
} ssa_attention_params;

void ssa_attention_params_default(ssa_attention_params *p);
/* Checks ranges; the message names the option (e.g. "--tokens 12: not a power of two"). */
int ssa_attention_params_check(const ssa_attention_params *p, ssa_error *err);
extern const char *const ssa_reduce_names[];  /* "mux", "count", NULL: in enum order */
extern const char *const ssa_share_names[];   /* "unit", "row", "global", NULL */
const char *ssa_reduce_name(enum ssa_reduce r);
const char *ssa_share_name(enum ssa_share s);
unsigned ssa_log2(unsigned power_of_two);

/* Field groups: the score stage and the output stage each draw one kind of number. */
enum { SSA_GROUP_SCORE = 0, SSA_GROUP_OUTPUT = 1, SSA_GROUP_COUNT = 2 };

/* A group of `majors * lanes` numbers of `bits` bits, fresh every step. Number (major, lane)
 * takes bits [slot*bits, slot*bits + bits) of LFSR first_lfsr + (major / slots) * lanes + lane,
 * with slot = major % slots: whole numbers never straddle two LFSRs.
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
  unsigned lfsr_count;  /* lanes * ceil(majors / slots); 0 when bits == 0 */
  int spaced;           /* seeds at least `width` shifts apart on the m-sequence (plan.c) */
} ssa_field_group;

typedef struct ssa_plan {
  ssa_attention_params params;
  unsigned lfsr_count;
  uint64_t *seeds;      /* per LFSR, non-zero and distinct within its group */
  unsigned chunks;      /* ceil(N / lanes): token lanes per column */
  ssa_field_group group[SSA_GROUP_COUNT];
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
/* A plan of one group (group 0, named `name`) of `count` numbers of `bits` bits from W-bit
 * LFSRs, for banks outside the attention block (the encoder's thresholds). Number k is
 * ssa_plan_bank_number(k); group 1 is empty. Seeds as for attention, from `seed`. */
int ssa_plan_build_bank(ssa_plan *plan, const char *name, unsigned count, unsigned bits,
                        unsigned width, uint64_t seed, ssa_error *err);
ssa_number ssa_plan_bank_number(unsigned k);

/* Which number the score unit (h, i, j) and the output unit (h, i, d) use. With share=row the
 * answer does not depend on j (or d); with share=global it is always (0, 0). */
ssa_number ssa_plan_score_number(const ssa_plan *plan, unsigned h, unsigned i, unsigned j);
ssa_number ssa_plan_output_number(const ssa_plan *plan, unsigned h, unsigned i, unsigned d);
ssa_field_ref ssa_plan_field(const ssa_plan *plan, unsigned group, ssa_number n);
/* The group an LFSR belongs to, its width and taps, and where its state sits in the flat bus
 * of all LFSR states (the RTL's `rnd`, LFSRs in index order). */
unsigned ssa_plan_lfsr_group(const ssa_plan *plan, unsigned lfsr);
unsigned ssa_plan_lfsr_width(const ssa_plan *plan, unsigned lfsr);
uint64_t ssa_plan_lfsr_taps(const ssa_plan *plan, unsigned lfsr);
uint64_t ssa_plan_lfsr_offset(const ssa_plan *plan, unsigned lfsr);
uint64_t ssa_plan_state_bits(const ssa_plan *plan);  /* width of that bus */
/* Random bits drawn per step (bits actually consumed by numbers). */
uint64_t ssa_plan_random_bits(const ssa_plan *plan);

#endif
