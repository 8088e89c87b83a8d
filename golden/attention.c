/* attention.c -- bit-sliced golden model of the SC attention block (see attention.h).
 *
 * Layout: within a word, bits run over the 64 tokens i of a chunk. For head h the model keeps
 *   qcol[d]  bit i = Q[i, hD+d]          (64x64 bit transpose once per step)
 *   scol[j]  bit i = s_ij                (score stage result)
 *   ocol[d]  bit i = o_id                (output stage result, transposed back to rows)
 * A score word (j, chunk) has leaves qcol[d] & K[j,d] over d and is reduced by the select
 * planes of its numbers; an output word (d, chunk) has leaves scol[j] & V[j,d] over j.
 * Eight score words (eight j) or eight output words (eight d) go through the reduction
 * together as one slice (slice.h). Share modes differ only in where the planes come from
 * (plan.h), which is the point: the hardware builds different minimal circuits per mode, the
 * golden model one general one. */
#include "attention.h"

#include <stdlib.h>
#include <string.h>

#include "../core/lfsr.h"
#include "../core/sobol.h"
#include "slice.h"
#include "transpose.h"

/* The LFSRs of one group, bit-sliced: row r holds `lanes` LFSRs, one per bit of a word, and
 * eight rows share a slice, so slices[(r / 8) * width + k][r % 8] is state bit k of row r. */
typedef struct lfsr_rows {
  unsigned rows;
  unsigned width;
  unsigned tap_count;
  unsigned tap_bit[SSA_LFSR_MAX_WIDTH];
  ssa_slice *slices;    /* ceil(rows / 8) * width */
  ssa_slice *sequence;  /* scratch for advance_bank: 2 * width * ceil(rows / 8) */
} lfsr_rows;

struct ssa_golden_attention {
  const ssa_plan *plan;
  lfsr_rows bank[SSA_GROUP_COUNT];
  /* scratch, sized at creation */
  uint64_t *qcol;    /* D * chunks */
  uint64_t *scol;    /* N * chunks */
  uint64_t *ocol;    /* D * chunks */
  ssa_slice *leaves; /* max(N, D) */
  /* LFSR plans: where each bit of each unit's number sits in its bank, as a word index into
   * the slices: bit k of unit u's number at [u * bits + k]. Score units u = (h, c, j) are
   * numbered (h * chunks + c) * N + j, output units (h, c, d) (h * chunks + c) * D + d.
   * Worked out once from the plan (ssa_plan_number_bit). */
  size_t *number_at[SSA_GROUP_COUNT];
  /* random=sobol and random=shared: the offsets as planes, in the same order: word
   * [u * bits + k] bit lane = bit k of the offset of that lane's unit. */
  uint64_t *offset_planes[SSA_GROUP_COUNT];
  uint64_t step;
  unsigned select[SSA_GROUP_COUNT]; /* the step's selects (ssa_sobol_selects), set by step() */
};

static unsigned slice_blocks(unsigned rows) {
  return (rows + SSA_SLICE_WORDS - 1) / SSA_SLICE_WORDS;
}

static uint64_t *row_word(const lfsr_rows *b, unsigned row, unsigned k) {
  return (uint64_t *)&b->slices[(size_t)(row / SSA_SLICE_WORDS) * b->width + k] +
         row % SSA_SLICE_WORDS;
}

static void load_seeds(ssa_golden_attention *m) {
  const ssa_plan *plan = m->plan;
  for (unsigned g = 0; g < SSA_GROUP_COUNT; g++) {
    const ssa_field_group *grp = &plan->group[g];
    lfsr_rows *b = &m->bank[g];
    memset(b->slices, 0, sizeof *b->slices * ((size_t)slice_blocks(b->rows) * b->width));
    for (unsigned r = 0; r < b->rows; r++)
      for (unsigned lane = 0; lane < grp->lanes; lane++) {
        uint64_t seed = plan->seeds[ssa_plan_lfsr_at(plan, g, r, lane)];
        for (unsigned k = 0; k < b->width; k++) *row_word(b, r, k) |= ((seed >> k) & 1u) << lane;
      }
  }
}

/* The offsets of the chunk's 64 tokens' units as planes, one lane per token. */
static void locate_offsets(ssa_golden_attention *m, unsigned g) {
  const ssa_plan *plan = m->plan;
  unsigned columns = ssa_plan_columns(plan, g), bits = plan->group[g].bits;
  size_t unit = 0;
  for (unsigned h = 0; h < plan->params.heads; h++)
    for (unsigned c = 0; c < plan->chunks; c++)
      for (unsigned col = 0; col < columns; col++, unit++) {
        uint64_t *planes = &m->offset_planes[g][unit * bits];
        for (unsigned k = 0; k < bits; k++) planes[k] = 0;
        unsigned first = ssa_plan_chunk_first_token(c);
        for (unsigned lane = 0; lane < SSA_PLAN_LANES && first + lane < plan->params.tokens; lane++) {
          unsigned offset = plan->offsets[g][ssa_plan_unit_slot(plan, g, h, first + lane, col)];
          for (unsigned k = 0; k < bits; k++) planes[k] |= (uint64_t)((offset >> k) & 1u) << lane;
        }
      }
}

/* A unit's number for the 64 tokens of a chunk is the word of the row of the chunk's first
 * token (lane 0): the other tokens are the other lanes of the same row (plan.h). */
static void locate_numbers(ssa_golden_attention *m) {
  const ssa_plan *plan = m->plan;
  const ssa_attention_params *p = &plan->params;
  for (unsigned g = 0; g < SSA_GROUP_COUNT; g++) {
    const ssa_field_group *grp = &plan->group[g];
    unsigned columns = ssa_plan_columns(plan, g);
    if (grp->bits == 0) continue; /* N = 1 or D = 1: no numbers (not a supported size today) */
    if (ssa_plan_has_offsets(plan)) locate_offsets(m, g);
    if (p->random == SSA_RANDOM_SOBOL) continue;
    size_t unit = 0;
    for (unsigned h = 0; h < p->heads; h++)
      for (unsigned c = 0; c < plan->chunks; c++)
        for (unsigned col = 0; col < columns; col++, unit++) {
          ssa_number n = ssa_plan_unit_number(plan, g, h, ssa_plan_chunk_first_token(c), col);
          for (unsigned k = 0; k < grp->bits; k++) {
            ssa_field_ref ref = ssa_plan_number_bit(plan, g, n, k);
            const uint64_t *word =
                row_word(&m->bank[g], ssa_plan_lfsr_place(plan, ref.lfsr).row, ref.bit);
            m->number_at[g][unit * grp->bits + k] =
                (size_t)(word - (const uint64_t *)m->bank[g].slices);
          }
        }
  }
}

static void *alloc_slices(size_t count) {
  size_t bytes = sizeof(ssa_slice) * (count == 0 ? 1 : count);
  return aligned_alloc(sizeof(ssa_slice), bytes); /* a multiple of the alignment, as C11 asks */
}

int ssa_golden_attention_new(const ssa_plan *plan, ssa_golden_attention **out, ssa_error *err) {
  const ssa_attention_params *p = &plan->params;
  ssa_golden_attention *m = calloc(1, sizeof *m);
  if (m == NULL) return ssa_fail(err, "out of memory for the golden model");
  m->plan = plan;
  int ok = 1;
  for (unsigned g = 0; g < SSA_GROUP_COUNT; g++) {
    const ssa_field_group *grp = &plan->group[g];
    lfsr_rows *b = &m->bank[g];
    b->width = grp->width;
    for (unsigned k = 0; k < grp->width; k++)
      if ((grp->taps >> k) & 1u) b->tap_bit[b->tap_count++] = k;
    b->rows = ssa_plan_lfsr_rows(plan, g);
    b->slices = alloc_slices((size_t)slice_blocks(b->rows) * b->width);
    b->sequence = alloc_slices((size_t)slice_blocks(b->rows) * b->width * 2);
    ok = ok && b->slices != NULL && b->sequence != NULL;
  }
  for (unsigned g = 0; g < SSA_GROUP_COUNT; g++) {
    size_t units = (size_t)p->heads * plan->chunks * ssa_plan_columns(plan, g);
    m->number_at[g] = malloc(sizeof(size_t) * (units * plan->group[g].bits + 1));
    ok = ok && m->number_at[g] != NULL;
    if (ssa_plan_has_offsets(plan)) {
      m->offset_planes[g] = malloc(sizeof(uint64_t) * (units * plan->group[g].bits + 1));
      ok = ok && m->offset_planes[g] != NULL;
    }
  }
  if (ok) locate_numbers(m);
  unsigned widest = p->tokens > p->dim ? p->tokens : p->dim;
  m->qcol = malloc(sizeof(uint64_t) * p->dim * plan->chunks);
  m->scol = malloc(sizeof(uint64_t) * p->tokens * plan->chunks);
  m->ocol = malloc(sizeof(uint64_t) * p->dim * plan->chunks);
  m->leaves = alloc_slices(widest);
  if (!ok || m->qcol == NULL || m->scol == NULL || m->ocol == NULL || m->leaves == NULL) {
    ssa_golden_attention_free(m);
    return ssa_fail(err, "out of memory for the golden model");
  }
  load_seeds(m);
  m->step = 0;
  *out = m;
  return 0;
}

void ssa_golden_attention_free(ssa_golden_attention *m) {
  if (m == NULL) return;
  for (unsigned g = 0; g < SSA_GROUP_COUNT; g++) {
    free(m->bank[g].slices);
    free(m->bank[g].sequence);
    free(m->number_at[g]);
    free(m->offset_planes[g]);
  }
  free(m->qcol);
  free(m->scol);
  free(m->ocol);
  free(m->leaves);
  free(m);
}

void ssa_golden_attention_reset(ssa_golden_attention *m) {
  load_seeds(m);
  m->step = 0;
}

uint64_t ssa_golden_lfsr_state(const ssa_golden_attention *m, unsigned lfsr) {
  if (lfsr >= m->plan->lfsr_count) return 0;
  ssa_lfsr_place at = ssa_plan_lfsr_place(m->plan, lfsr);
  const lfsr_rows *b = &m->bank[at.group];
  uint64_t state = 0;
  for (unsigned k = 0; k < b->width; k++) state |= ((*row_word(b, at.row, k) >> at.lane) & 1u) << k;
  return state;
}

/* W shifts of every LFSR of the group. Per block of eight rows, x[0..W) holds the state
 * oldest bit first and the next W bits of the sequence follow; the tail becomes the new state.
 * The blocks advance side by side so that their serial chains of feedback overlap. */
SSA_SLICE_CLONES
static void advance_bank(lfsr_rows *b) {
  unsigned w = b->width, blocks = slice_blocks(b->rows);
  ssa_slice *x = b->sequence;
  for (unsigned blk = 0; blk < blocks; blk++)
    for (unsigned k = 0; k < w; k++) x[(size_t)(w - 1 - k) * blocks + blk] = b->slices[blk * w + k];
  /* Flat over (t, block): a tap `tap_bit` bits back is (1 + tap_bit) * blocks slices back. */
  size_t back[SSA_LFSR_MAX_WIDTH], end = (size_t)2 * w * blocks;
  for (unsigned n = 0; n < b->tap_count; n++) back[n] = (size_t)(1 + b->tap_bit[n]) * blocks;
  if (b->tap_count == 2) /* the table's polynomials have 2 or 4 taps: those loops unrolled */
    for (size_t at = (size_t)w * blocks; at < end; at++) x[at] = x[at - back[0]] ^ x[at - back[1]];
  else if (b->tap_count == 4)
    for (size_t at = (size_t)w * blocks; at < end; at++)
      x[at] = x[at - back[0]] ^ x[at - back[1]] ^ x[at - back[2]] ^ x[at - back[3]];
  else
    for (size_t at = (size_t)w * blocks; at < end; at++) {
      ssa_slice fb = x[at - back[0]];
      for (unsigned n = 1; n < b->tap_count; n++) fb ^= x[at - back[n]];
      x[at] = fb;
    }
  for (unsigned blk = 0; blk < blocks; blk++)
    for (unsigned k = 0; k < w; k++)
      b->slices[blk * w + k] = x[(size_t)(2 * w - 1 - k) * blocks + blk];
}

/* random=sobol: the step's select, as all-ones or all-zero planes, XOR each unit's offsets. */
static void gather_sobol_planes(const ssa_golden_attention *m, unsigned group, size_t unit,
                                unsigned count, ssa_slice *planes) {
  const ssa_plan *plan = m->plan;
  unsigned bits = plan->group[group].bits, select = m->select[group];
  const uint64_t *offsets = &m->offset_planes[group][unit * bits];
  for (unsigned k = 0; k < bits; k++) {
    ssa_slice plane = ssa_slice_splat(0);
    uint64_t common = (uint64_t)0 - ((select >> k) & 1u);
    for (unsigned u = 0; u < count; u++) plane[u] = common ^ offsets[u * bits + k];
    planes[k] = plane;
  }
}

/* Select planes of up to eight numbers, those of units unit .. unit + count - 1 (number_at's
 * order): planes[k][u] bit lane = bit k of the number of unit u for that lane; units past
 * `count` get zero planes. A broadcast stage (ssa_plan_broadcast, share=global) has one number,
 * in lane 0, for every lane; so do its offsets. */
SSA_SLICE_INLINE void gather_planes(const ssa_golden_attention *m, unsigned group, size_t unit,
                                    unsigned count, ssa_slice *planes) {
  unsigned bits = m->plan->group[group].bits;
  if (m->plan->params.random == SSA_RANDOM_SOBOL) {
    gather_sobol_planes(m, group, unit, count, planes);
    return;
  }
  const uint64_t *words = (const uint64_t *)m->bank[group].slices;
  const size_t *at = &m->number_at[group][unit * bits];
  const uint64_t *offsets =
      m->offset_planes[group] != NULL ? &m->offset_planes[group][unit * bits] : NULL;
  int broadcast = ssa_plan_broadcast(m->plan, group);
  for (unsigned k = 0; k < bits; k++) {
    ssa_slice plane = ssa_slice_splat(0);
    for (unsigned u = 0; u < count; u++) {
      uint64_t word = words[at[u * bits + k]];
      if (offsets != NULL) word ^= offsets[u * bits + k];
      plane[u] = broadcast ? (uint64_t)0 - (word & 1u) : word;
    }
    planes[k] = plane;
  }
}

/* reduce=mux: leaf number `select` of 2^bits, per lane. Destroys the leaves. */
SSA_SLICE_INLINE void mux_tree(ssa_slice *x, unsigned bits, const ssa_slice *planes,
                               ssa_slice *out) {
  unsigned n = 1u << bits;
  for (unsigned k = 0; k < bits; k++) {
    n >>= 1;
    ssa_slice p = planes[k];
    for (unsigned a = 0; a < n; a++) x[a] = x[2 * a] ^ ((x[2 * a] ^ x[2 * a + 1]) & p);
  }
  *out = x[0];
}

/* reduce=count: fire where u < popcount(leaves), u = the lane's number in [0, 2^bits).
 * After a leaves the count is at most a, so leaf a can only carry into bits below
 * bit_length(a + 1): the ripple stops there without looking at the data. */
SSA_SLICE_INLINE void count_compare(const ssa_slice *x, unsigned bits, const ssa_slice *planes,
                                    ssa_slice *out) {
  unsigned n = 1u << bits, reach = 1;
  ssa_slice cnt[SSA_LFSR_MAX_WIDTH + 1];
  for (unsigned k = 0; k <= bits; k++) cnt[k] = ssa_slice_splat(0);
  for (unsigned a = 0; a < n; a++) {
    if ((a + 1) >> reach) reach++;
    ssa_slice carry = x[a];
    for (unsigned k = 0; k < reach; k++) {
      ssa_slice t = cnt[k] & carry;
      cnt[k] ^= carry;
      carry = t;
    }
  }
  ssa_slice lt = ssa_slice_splat(0), eq = ssa_slice_splat(~(uint64_t)0);
  for (unsigned k = bits + 1; k-- > 0;) {
    ssa_slice u = k < bits ? planes[k] : ssa_slice_splat(0);
    lt |= eq & ~u & cnt[k];
    eq &= ~(u ^ cnt[k]);
  }
  *out = lt;
}

/* `bits` is log2 of N or D, 1..8: each case is compiled with it constant, so the loops unroll. */
SSA_SLICE_INLINE void reduce(const ssa_golden_attention *m, ssa_slice *leaves, unsigned bits,
                             const ssa_slice *planes, ssa_slice *out) {
#define SSA_REDUCE_CASE(B)                                                  \
  case B:                                                                   \
    if (m->plan->params.reduce == SSA_REDUCE_MUX)                           \
      mux_tree(leaves, B, planes, out);                                     \
    else                                                                    \
      count_compare(leaves, B, planes, out);                                \
    return;
  switch (bits) {
    SSA_REDUCE_CASE(1)
    SSA_REDUCE_CASE(2)
    SSA_REDUCE_CASE(3)
    SSA_REDUCE_CASE(4)
    SSA_REDUCE_CASE(5)
    SSA_REDUCE_CASE(6)
    SSA_REDUCE_CASE(7)
    SSA_REDUCE_CASE(8)
    default:
      break;
  }
#undef SSA_REDUCE_CASE
  if (m->plan->params.reduce == SSA_REDUCE_MUX)
    mux_tree(leaves, bits, planes, out);
  else
    count_compare(leaves, bits, planes, out);
}

/* Bits [col, col + D) of row r; D is a power of two, so for D <= 64 they sit in one word. */
SSA_SLICE_INLINE uint64_t head_bits(const ssa_bitmat *a, unsigned r, unsigned col, unsigned dim) {
  uint64_t w = a->w[(size_t)r * a->stride + col / 64] >> (col % 64);
  return dim >= 64 ? w : w & ((((uint64_t)1) << dim) - 1);
}

static unsigned min_u(unsigned a, unsigned b) { return a < b ? a : b; }

/* One 64 x 64 tile of a head's N x D: tokens first .. first + tokens - 1 (chunk c's lanes) by
 * columns base .. base + span - 1 of the head. */
typedef struct tile {
  unsigned first, tokens, span;
} tile;

static tile tile_at(const ssa_golden_attention *m, unsigned c, unsigned base) {
  unsigned first = ssa_plan_chunk_first_token(c);
  return (tile){first, min_u(64, m->plan->params.tokens - first),
                min_u(64, m->plan->params.dim - base)};
}

/* qcol[d * chunks + c] bit i = Q[first + i, h * dim + d], first = the chunk's first token: bit i
 * is lane i, as in the LFSR rows */
static void transpose_q(ssa_golden_attention *m, const ssa_bitmat *q, unsigned h) {
  unsigned dim = m->plan->params.dim, chunks = m->plan->chunks;
  _Alignas(64) uint64_t block[64];
  for (unsigned c = 0; c < chunks; c++)
    for (unsigned base = 0; base < dim; base += 64) {
      tile t = tile_at(m, c, base);
      for (unsigned i = 0; i < 64; i++)
        block[i] = i < t.tokens ? head_bits(q, t.first + i, h * dim + base, dim) : 0;
      ssa_transpose64(block);
      for (unsigned d = 0; d < t.span; d++) m->qcol[(base + d) * chunks + c] = block[d];
    }
}

/* The inverse for the result: o[first + i, h * dim + d] = bit i of ocol[d * chunks + c]. */
static void store_output(const ssa_golden_attention *m, unsigned h, ssa_bitmat *o) {
  unsigned dim = m->plan->params.dim, chunks = m->plan->chunks;
  _Alignas(64) uint64_t block[64];
  for (unsigned c = 0; c < chunks; c++)
    for (unsigned base = 0; base < dim; base += 64) {
      tile t = tile_at(m, c, base);
      unsigned col = h * dim + base;
      for (unsigned d = 0; d < 64; d++) block[d] = d < t.span ? m->ocol[(base + d) * chunks + c] : 0;
      ssa_transpose64(block);
      for (unsigned i = 0; i < t.tokens; i++)
        o->w[(size_t)(t.first + i) * o->stride + col / 64] |= block[i] << (col % 64);
    }
}

/* scol[j * chunks + c] for head h, eight j at a time. */
SSA_SLICE_CLONES
static void score_stage(ssa_golden_attention *m, const ssa_bitmat *k, unsigned h) {
  const ssa_plan *plan = m->plan;
  unsigned n = plan->params.tokens, dim = plan->params.dim, chunks = plan->chunks;
  unsigned bits = plan->group[SSA_GROUP_SCORE].bits;
  ssa_slice planes[SSA_LFSR_MAX_WIDTH], one = ssa_slice_splat(1), result;
  for (unsigned c = 0; c < chunks; c++)
    for (unsigned j0 = 0; j0 < n; j0 += SSA_SLICE_WORDS) {
      unsigned count = min_u(SSA_SLICE_WORDS, n - j0);
      gather_planes(m, SSA_GROUP_SCORE, ((size_t)h * chunks + c) * n + j0, count, planes);
      for (unsigned base = 0; base < dim; base += 64) {
        ssa_slice kbits = ssa_slice_splat(0);
        for (unsigned u = 0; u < count; u++) kbits[u] = head_bits(k, j0 + u, h * dim + base, dim);
        for (unsigned d = 0; d < min_u(64, dim - base); d++)
          m->leaves[base + d] =
              ssa_slice_splat(m->qcol[(base + d) * chunks + c]) & -((kbits >> d) & one);
      }
      reduce(m, m->leaves, bits, planes, &result);
      for (unsigned u = 0; u < count; u++) m->scol[(j0 + u) * chunks + c] = result[u];
    }
}

/* ocol[d * chunks + c] for head h, eight d at a time. */
SSA_SLICE_CLONES
static void output_stage(ssa_golden_attention *m, const ssa_bitmat *v, unsigned h) {
  const ssa_plan *plan = m->plan;
  unsigned n = plan->params.tokens, dim = plan->params.dim, chunks = plan->chunks;
  unsigned bits = plan->group[SSA_GROUP_OUTPUT].bits;
  ssa_slice planes[SSA_LFSR_MAX_WIDTH], one = ssa_slice_splat(1), shift = ssa_slice_splat(0), result;
  for (unsigned c = 0; c < chunks; c++)
    for (unsigned d0 = 0; d0 < dim; d0 += SSA_SLICE_WORDS) {
      unsigned count = min_u(SSA_SLICE_WORDS, dim - d0), base = d0 - d0 % 64;
      gather_planes(m, SSA_GROUP_OUTPUT, ((size_t)h * chunks + c) * dim + d0, count, planes);
      for (unsigned u = 0; u < SSA_SLICE_WORDS; u++) shift[u] = d0 % 64 + u;
      for (unsigned j = 0; j < n; j++) {
        ssa_slice vbits = ssa_slice_splat(head_bits(v, j, h * dim + base, dim));
        m->leaves[j] = ssa_slice_splat(m->scol[j * chunks + c]) & -((vbits >> shift) & one);
      }
      reduce(m, m->leaves, bits, planes, &result);
      for (unsigned u = 0; u < count; u++) m->ocol[(d0 + u) * chunks + c] = result[u];
    }
}

void ssa_golden_attention_step(ssa_golden_attention *m, const ssa_bitmat *q, const ssa_bitmat *k,
                               const ssa_bitmat *v, ssa_bitmat *o) {
  ssa_bitmat_clear(o);
  if (m->plan->params.random == SSA_RANDOM_SOBOL)
    ssa_sobol_selects(m->step, m->plan->group[SSA_GROUP_SCORE].bits,
                      m->plan->group[SSA_GROUP_OUTPUT].bits, &m->select[SSA_GROUP_SCORE],
                      &m->select[SSA_GROUP_OUTPUT]);
  for (unsigned h = 0; h < m->plan->params.heads; h++) {
    transpose_q(m, q, h);
    score_stage(m, k, h);
    output_stage(m, v, h);
    store_output(m, h, o);
  }
  for (unsigned g = 0; g < SSA_GROUP_COUNT; g++) advance_bank(&m->bank[g]);
  m->step++;
}
