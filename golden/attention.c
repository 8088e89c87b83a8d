/* attention.c -- bit-sliced golden model of the SC attention block (see attention.h).
 *
 * Layout: lanes run over tokens i. For head h the model keeps, per chunk of 64 tokens,
 *   qcol[d]  bit i = Q[i, hD+d]          (transposed once per step)
 *   scol[j]  bit i = s_ij                (score stage result)
 *   ocol[d]  bit i = o_id                (output stage result)
 * A score word (j, chunk) has leaves qcol[d] & K[j,d] over d and is reduced by the select
 * planes of its numbers; an output word (d, chunk) has leaves scol[j] & V[j,d] over j.
 * Share modes differ only in where the planes come from (plan.h), which is the point: the
 * hardware builds different minimal circuits per mode, the golden model one general one. */
#include "attention.h"

#include <stdlib.h>
#include <string.h>

#include "../golden/lfsr.h"

typedef struct lfsr_rows {
  unsigned rows;     /* bit-sliced rows of `lanes` LFSRs */
  unsigned width;
  unsigned tap_count;
  unsigned tap_bit[SSA_LFSR_MAX_WIDTH];
  uint64_t *words;   /* rows * width words: words[row * width + k] = state bit k, lane bit */
} lfsr_rows;

struct ssa_golden_attention {
  const ssa_plan *plan;
  lfsr_rows bank[SSA_GROUP_COUNT];
  /* scratch, sized at creation */
  uint64_t *qcol;    /* D * chunks */
  uint64_t *scol;    /* N * chunks */
  uint64_t *ocol;    /* D * chunks */
  uint64_t *vcol;    /* D: V transposed, used when N <= 64 */
  uint64_t *leaves;  /* max(N, D) */
  uint64_t planes[2][SSA_LFSR_MAX_WIDTH + 1];
};

static void load_seeds(ssa_golden_attention *m) {
  const ssa_plan *plan = m->plan;
  for (unsigned g = 0; g < SSA_GROUP_COUNT; g++) {
    const ssa_field_group *grp = &plan->group[g];
    lfsr_rows *b = &m->bank[g];
    memset(b->words, 0, sizeof *b->words * ((size_t)b->rows * b->width + 1));
    for (unsigned r = 0; r < b->rows; r++)
      for (unsigned lane = 0; lane < grp->lanes; lane++) {
        uint64_t seed = plan->seeds[grp->first_lfsr + r * grp->lanes + lane];
        for (unsigned k = 0; k < b->width; k++)
          b->words[(size_t)r * b->width + k] |= ((seed >> k) & 1u) << lane;
      }
  }
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
    b->rows = grp->lanes == 0 ? 0 : grp->lfsr_count / grp->lanes;
    b->words = malloc(sizeof(uint64_t) * ((size_t)b->rows * b->width + 1));
    ok = ok && b->words != NULL;
  }
  unsigned widest = p->tokens > p->dim ? p->tokens : p->dim;
  m->qcol = malloc(sizeof(uint64_t) * p->dim * plan->chunks);
  m->scol = malloc(sizeof(uint64_t) * p->tokens * plan->chunks);
  m->ocol = malloc(sizeof(uint64_t) * p->dim * plan->chunks);
  m->leaves = malloc(sizeof(uint64_t) * widest);
  m->vcol = malloc(sizeof(uint64_t) * p->dim);
  if (!ok || m->qcol == NULL || m->scol == NULL || m->ocol == NULL || m->leaves == NULL ||
      m->vcol == NULL) {
    ssa_golden_attention_free(m);
    return ssa_fail(err, "out of memory for the golden model");
  }
  load_seeds(m);
  *out = m;
  return 0;
}

void ssa_golden_attention_free(ssa_golden_attention *m) {
  if (m == NULL) return;
  for (unsigned g = 0; g < SSA_GROUP_COUNT; g++) free(m->bank[g].words);
  free(m->qcol);
  free(m->scol);
  free(m->ocol);
  free(m->leaves);
  free(m->vcol);
  free(m);
}

void ssa_golden_attention_reset(ssa_golden_attention *m) { load_seeds(m); }

uint64_t ssa_golden_lfsr_state(const ssa_golden_attention *m, unsigned lfsr) {
  const ssa_plan *plan = m->plan;
  for (unsigned g = 0; g < SSA_GROUP_COUNT; g++) {
    const ssa_field_group *grp = &plan->group[g];
    if (lfsr < grp->first_lfsr || lfsr >= grp->first_lfsr + grp->lfsr_count) continue;
    unsigned row = (lfsr - grp->first_lfsr) / grp->lanes, lane = (lfsr - grp->first_lfsr) % grp->lanes;
    const lfsr_rows *b = &m->bank[g];
    uint64_t state = 0;
    for (unsigned k = 0; k < b->width; k++)
      state |= ((b->words[(size_t)row * b->width + k] >> lane) & 1u) << k;
    return state;
  }
  return 0;
}

/* W shifts of every LFSR of a bit-sliced row. x[0..W) holds the state oldest bit first, the
 * next W bits of the sequence follow; the tail becomes the new state. */
static void leap_row(const lfsr_rows *b, uint64_t *st) {
  unsigned w = b->width;
  uint64_t x[2 * SSA_LFSR_MAX_WIDTH];
  for (unsigned k = 0; k < w; k++) x[w - 1 - k] = st[k];
  for (unsigned t = 0; t < w; t++) {
    uint64_t fb = 0;
    for (unsigned n = 0; n < b->tap_count; n++) fb ^= x[w + t - 1 - b->tap_bit[n]];
    x[w + t] = fb;
  }
  for (unsigned k = 0; k < w; k++) st[k] = x[2 * w - 1 - k];
}

static void advance_bank(ssa_golden_attention *m) {
  for (unsigned g = 0; g < SSA_GROUP_COUNT; g++)
    for (unsigned r = 0; r < m->bank[g].rows; r++)
      leap_row(&m->bank[g], &m->bank[g].words[(size_t)r * m->bank[g].width]);
}

/* Select planes of the numbers of one word: planes[k] bit lane = bit k of that lane's number.
 * share=global has a single number, broadcast to every lane. */
static const uint64_t *fetch_planes(ssa_golden_attention *m, unsigned group, ssa_number n,
                                    unsigned which) {
  const ssa_plan *plan = m->plan;
  const ssa_field_group *grp = &plan->group[group];
  const uint64_t *st = &m->bank[group].words[(size_t)(n.major / grp->slots) * grp->width +
                                             (n.major % grp->slots) * grp->bits];
  uint64_t *planes = m->planes[which];
  for (unsigned k = 0; k < grp->bits; k++)
    planes[k] = plan->params.share == SSA_SHARE_GLOBAL ? (uint64_t)0 - (st[k] & 1u) : st[k];
  return planes;
}

/* reduce=mux: leaf number `select` of 2^bits, per lane. Destroys leaves. */
static uint64_t mux_tree(uint64_t *x, unsigned bits, const uint64_t *planes) {
  unsigned n = 1u << bits;
  for (unsigned k = 0; k < bits; k++) {
    n >>= 1;
    uint64_t p = planes[k];
    for (unsigned a = 0; a < n; a++) x[a] = x[2 * a] ^ ((x[2 * a] ^ x[2 * a + 1]) & p);
  }
  return x[0];
}

/* reduce=count: fire where u < popcount(leaves), u = the lane's number in [0, 2^bits). */
static uint64_t count_compare(const uint64_t *x, unsigned bits, const uint64_t *planes) {
  unsigned n = 1u << bits;
  uint64_t cnt[SSA_LFSR_MAX_WIDTH + 1] = {0};
  for (unsigned a = 0; a < n; a++) {
    uint64_t carry = x[a];
    for (unsigned k = 0; k <= bits && carry != 0; k++) {
      uint64_t t = cnt[k] & carry;
      cnt[k] ^= carry;
      carry = t;
    }
  }
  uint64_t lt = 0, eq = ~(uint64_t)0;
  for (unsigned k = bits + 1; k-- > 0;) {
    uint64_t u = k < bits ? planes[k] : 0;
    lt |= eq & ~u & cnt[k];
    eq &= ~(u ^ cnt[k]);
  }
  return lt;
}

static uint64_t reduce(const ssa_golden_attention *m, uint64_t *leaves, unsigned bits,
                       const uint64_t *planes) {
  return m->plan->params.reduce == SSA_REDUCE_MUX ? mux_tree(leaves, bits, planes)
                                                  : count_compare(leaves, bits, planes);
}

static uint64_t ones_if(int bit) { return (uint64_t)0 - (uint64_t)(bit & 1); }

/* Bits [col, col + D) of row r; D is a power of two, so for D <= 64 they sit in one word. */
static uint64_t head_bits(const ssa_bitmat *a, unsigned r, unsigned col, unsigned dim) {
  uint64_t w = a->w[(size_t)r * a->stride + col / 64] >> (col % 64);
  return dim >= 64 ? w : w & ((((uint64_t)1) << dim) - 1);
}

static void transpose_head(const ssa_bitmat *a, unsigned h, unsigned n, unsigned dim,
                           unsigned chunks, uint64_t *col) {
  memset(col, 0, sizeof *col * dim * chunks);
  for (unsigned i = 0; i < n; i++) {
    uint64_t lane_bit = (uint64_t)1 << (i % 64);
    for (unsigned base = 0; base < dim; base += 64) {
      uint64_t bits = head_bits(a, i, h * dim + base, dim);
      while (bits != 0) {
        unsigned d = base + (unsigned)__builtin_ctzll(bits);
        bits &= bits - 1;
        col[d * chunks + i / 64] |= lane_bit;
      }
    }
  }
}

void ssa_golden_attention_step(ssa_golden_attention *m, const ssa_bitmat *q, const ssa_bitmat *k,
                               const ssa_bitmat *v, ssa_bitmat *o) {
  const ssa_plan *plan = m->plan;
  const ssa_attention_params *p = &plan->params;
  unsigned n = p->tokens, dim = p->dim, chunks = plan->chunks;
  unsigned sbits = plan->group[SSA_GROUP_SCORE].bits, obits = plan->group[SSA_GROUP_OUTPUT].bits;
  uint64_t *leaves = m->leaves;

  ssa_bitmat_clear(o);
  for (unsigned h = 0; h < p->heads; h++) {
    transpose_head(q, h, n, dim, chunks, m->qcol);
    if (n <= 64) transpose_head(v, h, n, dim, 1, m->vcol); /* vcol[d] bit j = V[j, hD+d] */
    for (unsigned j = 0; j < n; j++) {
      for (unsigned c = 0; c < chunks; c++) {
        const uint64_t *planes =
            fetch_planes(m, SSA_GROUP_SCORE, ssa_plan_score_number(plan, h, c * 64, j), 0);
        for (unsigned base = 0; base < dim; base += 64) {
          uint64_t kbits = head_bits(k, j, h * dim + base, dim);
          unsigned span = dim - base < 64 ? dim - base : 64;
          for (unsigned d = 0; d < span; d++)
            leaves[base + d] = m->qcol[(base + d) * chunks + c] & ones_if((int)(kbits >> d));
        }
        m->scol[j * chunks + c] = reduce(m, leaves, sbits, planes);
      }
    }
    for (unsigned d = 0; d < dim; d++)
      for (unsigned c = 0; c < chunks; c++) {
        const uint64_t *planes =
            fetch_planes(m, SSA_GROUP_OUTPUT, ssa_plan_output_number(plan, h, c * 64, d), 1);
        for (unsigned j = 0; j < n; j++)
          leaves[j] = m->scol[j * chunks + c] & ones_if(n <= 64 ? (int)(m->vcol[d] >> j)
                                                                : ssa_bitmat_get(v, j, h * dim + d));
        m->ocol[d * chunks + c] = reduce(m, leaves, obits, planes);
      }
    /* back to rows: only the spikes cost anything */
    for (unsigned d = 0; d < dim; d++)
      for (unsigned c = 0; c < chunks; c++)
        for (uint64_t bits = m->ocol[d * chunks + c]; bits != 0; bits &= bits - 1) {
          unsigned i = c * 64 + (unsigned)__builtin_ctzll(bits);
          o->w[(size_t)i * o->stride + (h * dim + d) / 64] |= (uint64_t)1 << ((h * dim + d) % 64);
        }
  }
  advance_bank(m);
}
