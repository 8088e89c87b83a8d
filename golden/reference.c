/* reference.c -- the reference of the normalised attention in exact integers (see reference.h).
 *
 * Per head, with the head's D columns of a row as 64-bit pieces, one of two associations of
 * the same integer product (Q K^T V)[i, d], whichever has the smaller inner matrix (B x B,
 * B = min(N, D)); the other dimension gives the max(N, D) "selectors":
 *   D <= N:  M = K^T V (D x D), M[c][d] = popcount(K^T_c AND V^T_d) over the N tokens; row i
 *            of the result = the sum of the rows M[c] for the columns c where Q_i spikes;
 *   D >  N:  S^T (N x N), S^T[j][i] = S_ij = popcount(K_j AND Q_i) over the D columns;
 *            column d of the result = the sum of the rows S^T[j] for the tokens j where
 *            V[j, d] spikes, i.e. sum over j with V[j, d] = 1 of S_ij.
 * The sums of rows go four selector bits at a time: each group of four table rows is stored
 * with its 16 subset sums, so a selector adds one vector row per four bits, whatever its
 * spikes. Every value is an exact integer: a step adds at most N D to an output, in 32-bit
 * pending sums that are moved into the 64-bit sums before they could overflow. */
#include "reference.h"

#include <stdlib.h>
#include <string.h>

#include "../common/clones.h"
#include "transpose.h"

#define REF_LANES 8u  /* uint32 lanes of one table vector, 32 bytes: one AVX2 register */
typedef uint32_t ref_vec __attribute__((vector_size(REF_LANES * sizeof(uint32_t))));

#define REF_CLONES SSA_CLONES("avx512f", "avx2", "default")
#define REF_INLINE static inline __attribute__((always_inline))

static unsigned words_for(unsigned bits) { return (bits + 63) / 64; }

/* The shape of the work (the same for every head). */
typedef struct geometry {
  int by_columns;   /* D <= N: the table is K^T V and the selectors are Q's rows */
  unsigned b;       /* B = min(N, D): table rows and row length */
  unsigned sel;     /* max(N, D): selectors, each b bits */
  unsigned vecs;    /* vectors per table row */
  unsigned groups;  /* groups of four table rows */
} geometry;

static geometry geometry_of(const ssa_reference *r) {
  geometry g;
  g.by_columns = r->dim <= r->tokens;
  g.b = g.by_columns ? r->dim : r->tokens;
  g.sel = g.by_columns ? r->tokens : r->dim;
  g.vecs = (g.b + REF_LANES - 1) / REF_LANES;
  g.groups = (g.b + 3) / 4;
  return g;
}

/* Bits c .. c + n - 1 (n <= 64) of a row, bit c in bit 0. */
REF_INLINE uint64_t bits_at(const uint64_t *row, unsigned c, unsigned n) {
  unsigned w = c / 64, s = c % 64;
  uint64_t x = row[w] >> s;
  if (s != 0 && s + n > 64) x |= row[w + 1] << (64 - s);
  return n == 64 ? x : x & (((uint64_t)1 << n) - 1);
}

/* The columns c0 .. c0 + width - 1 of every row of m, each row as words_for(width) words. */
static void extract_head(const ssa_bitmat *m, unsigned c0, unsigned width, uint64_t *out) {
  unsigned nw = words_for(width);
  if (c0 % 64 + width <= 64) {  /* within one word of each row: the block's heads */
    const uint64_t *w = m->w + c0 / 64;
    uint64_t mask = width == 64 ? ~(uint64_t)0 : ((uint64_t)1 << width) - 1;
    for (unsigned r = 0; r < m->rows; r++) out[r] = (w[(size_t)r * m->stride] >> (c0 % 64)) & mask;
    return;
  }
  for (unsigned r = 0; r < m->rows; r++) {
    const uint64_t *row = m->w + (size_t)r * m->stride;
    for (unsigned w = 0; w < nw; w++) {
      unsigned n = width - 64 * w < 64 ? width - 64 * w : 64;
      out[(size_t)r * nw + w] = bits_at(row, c0 + 64 * w, n);
    }
  }
}

/* The same columns transposed: out[c] (words_for(rows) words) has bit r set where m[r][c0 + c]
 * is, 64 x 64 blocks at a time. */
static void transpose_head(const ssa_bitmat *m, unsigned c0, unsigned width, uint64_t *out) {
  _Alignas(64) uint64_t a[64];
  unsigned nw = words_for(m->rows);
  for (unsigned cb = 0; cb < width; cb += 64) {
    unsigned cn = width - cb < 64 ? width - cb : 64;
    for (unsigned rb = 0; rb < m->rows; rb += 64) {
      unsigned rn = m->rows - rb < 64 ? m->rows - rb : 64;
      if (rn < 64) memset(a + rn, 0, sizeof *a * (64 - rn));
      unsigned c = c0 + cb;
      if (c % 64 + cn <= 64) {
        const uint64_t *w = m->w + (size_t)rb * m->stride + c / 64;
        uint64_t mask = cn == 64 ? ~(uint64_t)0 : ((uint64_t)1 << cn) - 1;
        for (unsigned r = 0; r < rn; r++) a[r] = (w[(size_t)r * m->stride] >> (c % 64)) & mask;
      } else {
        for (unsigned r = 0; r < rn; r++) a[r] = bits_at(m->w + (size_t)(rb + r) * m->stride, c, cn);
      }
      ssa_transpose64(a);
      for (unsigned c = 0; c < cn; c++) out[(size_t)(cb + c) * nw + rb / 64] = a[c];
    }
  }
}

/* The table: row x < b, lane y < b is popcount(a_x AND b_y) over nw words, stored as the
 * single-row entry (x % 4 = k: entry 2^k) of group x / 4; then every group's other entries,
 * entry m = the sum of the rows of the bits of m. Entry 0 and the lanes and rows past b are
 * zero from init and never written. */
/* Entry m of every group = entry m & (m - 1) + entry m & -m, `vecs` vectors each. */
REF_INLINE void group_sums(ref_vec *table, unsigned groups, unsigned vecs) {
  for (unsigned grp = 0; grp < groups; grp++) {
    ref_vec *e = table + (size_t)grp * 16 * vecs;
    for (unsigned m = 3; m < 16; m++) {
      if ((m & (m - 1)) == 0) continue;
      const ref_vec *lo = e + (size_t)(m & (m - 1)) * vecs, *one = e + (size_t)(m & -m) * vecs;
      for (unsigned v = 0; v < vecs; v++) e[(size_t)m * vecs + v] = lo[v] + one[v];
    }
  }
}

REF_CLONES static void build_table(const geometry *g, const uint64_t *a, const uint64_t *b,
                                   unsigned nw, ref_vec *table) {
  unsigned rows = g->b, vecs = g->vecs, groups = g->groups;  /* locals: table may alias g */
  for (unsigned x = 0; x < rows; x++) {
    uint32_t *row = (uint32_t *)(table + ((size_t)(x / 4) * 16 + (1u << (x % 4))) * vecs);
    const uint64_t *ax = a + (size_t)x * nw;
    if (nw == 1) {
      uint64_t a0 = ax[0];
#pragma GCC unroll 8
      for (unsigned y = 0; y < rows; y++) row[y] = (uint32_t)__builtin_popcountll(a0 & b[y]);
    } else {
      for (unsigned y = 0; y < rows; y++) {
        uint32_t s = 0;
        for (unsigned w = 0; w < nw; w++)
          s += (uint32_t)__builtin_popcountll(ax[w] & b[(size_t)y * nw + w]);
        row[y] = s;
      }
    }
  }
  switch (vecs) {  /* constant row lengths for the common sizes */
    case 1: group_sums(table, groups, 1); break;
    case 2: group_sums(table, groups, 2); break;
    case 4: group_sums(table, groups, 4); break;
    default: group_sums(table, groups, vecs); break;
  }
}

/* pending row x += the sum of the table rows of the set bits of selector x (b bits), with
 * `vecs` vectors per row: a constant in the instances below, so the row stays in registers. */
REF_INLINE void select_add_rows(const geometry *g, const uint64_t *sel, const ref_vec *table,
                                ref_vec *pending, unsigned vecs) {
  unsigned nw = words_for(g->b);
  for (unsigned x = 0; x < g->sel; x++) {
    const uint64_t *s = sel + (size_t)x * nw;
    ref_vec *p = pending + (size_t)x * vecs;
    ref_vec acc[8];
    for (unsigned v = 0; v < vecs; v++) acc[v] = p[v];
    for (unsigned w = 0; w < nw; w++) {
      uint64_t bits = s[w];
      const ref_vec *t = table + (size_t)w * 16 * 16 * vecs;  /* 16 groups of 16 entries a word */
      for (unsigned grp = 0; grp < 16 && grp < g->groups - 16 * w; grp++, bits >>= 4) {
        const ref_vec *e = t + ((size_t)grp * 16 + (bits & 15)) * vecs;
        for (unsigned v = 0; v < vecs; v++) acc[v] += e[v];
      }
    }
    for (unsigned v = 0; v < vecs; v++) p[v] = acc[v];
  }
}

/* The same for longer rows, one vector column at a time. */
REF_INLINE void select_add_columns(const geometry *g, const uint64_t *sel, const ref_vec *table,
                                   ref_vec *pending) {
  unsigned nw = words_for(g->b), vecs = g->vecs, groups = g->groups;
  size_t entry[(SSA_REFERENCE_MAX_INNER + 3) / 4];  /* per group: its entry's first vector */
  for (unsigned x = 0; x < g->sel; x++) {
    const uint64_t *s = sel + (size_t)x * nw;
    for (unsigned grp = 0; grp < groups; grp++)
      entry[grp] = ((size_t)grp * 16 + ((s[grp / 16] >> (4 * (grp % 16))) & 15)) * vecs;
    ref_vec *p = pending + (size_t)x * vecs;
    for (unsigned v = 0; v < vecs; v++) {
      ref_vec acc = p[v];
      for (unsigned grp = 0; grp < groups; grp++) acc += table[entry[grp] + v];
      p[v] = acc;
    }
  }
}

REF_CLONES static void select_add(const geometry *g, const uint64_t *sel, const ref_vec *table,
                                  ref_vec *pending) {
  switch (g->vecs) {
    case 1: select_add_rows(g, sel, table, pending, 1); break;
    case 2: select_add_rows(g, sel, table, pending, 2); break;
    case 4: select_add_rows(g, sel, table, pending, 4); break;
    case 8: select_add_rows(g, sel, table, pending, 8); break;
    default: select_add_columns(g, sel, table, pending); break;
  }
}

/* Moves the pending sums into the 64-bit sums. */
static void flush(ssa_reference *r) {
  if (r->pending_steps == 0) return;
  geometry g = geometry_of(r);
  unsigned e = r->heads * r->dim;
  ref_vec *pending = (ref_vec *)r->pending;
  for (unsigned h = 0; h < r->heads; h++)
    for (unsigned x = 0; x < g.sel; x++) {
      ref_vec *p = pending + ((size_t)h * g.sel + x) * g.vecs;
      for (unsigned y = 0; y < g.b; y++) {
        /* D <= N: selector x is token i, lane y column d; otherwise the other way round */
        size_t at = g.by_columns ? (size_t)x * e + h * r->dim + y : (size_t)y * e + h * r->dim + x;
        r->sum[at] += p[y / REF_LANES][y % REF_LANES];
      }
      memset(p, 0, sizeof *p * g.vecs);
    }
  r->pending_steps = 0;
}

static void *zeroed_vectors(size_t count) {
  void *p = aligned_alloc(sizeof(ref_vec), (count == 0 ? 1 : count) * sizeof(ref_vec));
  if (p != NULL) memset(p, 0, (count == 0 ? 1 : count) * sizeof(ref_vec));
  return p;
}

int ssa_reference_init(ssa_reference *r, unsigned tokens, unsigned heads, unsigned dim) {
  memset(r, 0, sizeof *r);
  r->tokens = tokens;
  r->heads = heads;
  r->dim = dim;
  geometry g = geometry_of(r);
  unsigned nwn = words_for(tokens), nwd = words_for(dim);
  size_t words = (size_t)dim * nwn + (size_t)tokens * nwd + 1;  /* either plan's largest */
  r->flush_every = (unsigned)(UINT32_MAX / ((uint64_t)tokens * dim));
  r->sum = calloc((size_t)tokens * heads * dim, sizeof *r->sum);
  r->bits_a = malloc(sizeof *r->bits_a * words);
  r->bits_b = malloc(sizeof *r->bits_b * words);
  r->bits_c = malloc(sizeof *r->bits_c * words);
  r->table = zeroed_vectors((size_t)g.groups * 16 * g.vecs);
  r->pending = zeroed_vectors((size_t)heads * g.sel * g.vecs);
  if (tokens == 0 || dim == 0 || heads == 0 || g.b > SSA_REFERENCE_MAX_INNER ||
      r->sum == NULL || r->bits_a == NULL || r->bits_b == NULL || r->bits_c == NULL ||
      r->table == NULL || r->pending == NULL) {
    ssa_reference_free(r);
    return -1;
  }
  return 0;
}

void ssa_reference_free(ssa_reference *r) {
  free(r->sum);
  free(r->bits_a);
  free(r->bits_b);
  free(r->bits_c);
  free(r->table);
  free(r->pending);
  memset(r, 0, sizeof *r);
}

void ssa_reference_clear(ssa_reference *r) {
  geometry g = geometry_of(r);
  memset(r->sum, 0, sizeof *r->sum * r->tokens * r->heads * r->dim);
  memset(r->pending, 0, sizeof(ref_vec) * r->heads * g.sel * g.vecs);
  r->pending_steps = 0;
  r->steps = 0;
}

void ssa_reference_add_step(ssa_reference *r, const ssa_bitmat *q, const ssa_bitmat *k,
                            const ssa_bitmat *v) {
  if (r->pending_steps == r->flush_every) flush(r);
  geometry g = geometry_of(r);
  unsigned n = r->tokens, dim = r->dim;
  ref_vec *table = (ref_vec *)r->table, *pending = (ref_vec *)r->pending;
  for (unsigned h = 0; h < r->heads; h++) {
    unsigned c0 = h * dim;
    if (g.by_columns) {
      transpose_head(k, c0, dim, r->bits_a);  /* K^T: dim rows of n bits */
      transpose_head(v, c0, dim, r->bits_b);  /* V^T */
      build_table(&g, r->bits_a, r->bits_b, words_for(n), table);  /* M = K^T V */
      extract_head(q, c0, dim, r->bits_c);    /* Q_i selects rows of M */
    } else {
      extract_head(k, c0, dim, r->bits_a);
      extract_head(q, c0, dim, r->bits_b);
      build_table(&g, r->bits_a, r->bits_b, words_for(dim), table);  /* S^T */
      transpose_head(v, c0, dim, r->bits_c);  /* V^T_d selects rows of S^T */
    }
    select_add(&g, r->bits_c, table, pending + (size_t)h * g.sel * g.vecs);
  }
  r->pending_steps++;
  r->steps++;
}

const uint64_t *ssa_reference_sums(ssa_reference *r) {
  flush(r);
  return r->sum;
}

void ssa_reference_mean(ssa_reference *r, double *out, uint64_t steps) {
  const uint64_t *sum = ssa_reference_sums(r);
  size_t count = (size_t)r->tokens * r->heads * r->dim;
  double div = (double)r->tokens * r->dim * (double)steps;
  for (size_t x = 0; x < count; x++) out[x] = steps == 0 ? 0.0 : (double)sum[x] / div;
}
