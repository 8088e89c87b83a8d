/* exact_attention.c -- exact spiking attention, the Spikformer baseline: parameters and the
 * golden model (see exact_attention.h). This is the reference the RTL is checked against:
 * plain loops over i, j and the head's columns, a head's columns taken a word at a time
 * (popcount for Q K^T, set bits for S V) because snn-exact training runs it millions of times. */
#include "exact_attention.h"

#include <stdlib.h>
#include <string.h>

int ssa_golden_exact_init(ssa_golden_exact *g, const ssa_exact_attention_params *p,
                          ssa_error *err) {
  size_t outputs = (size_t)p->tokens * p->heads * p->dim;
  g->p = *p;
  g->membrane = calloc(outputs, sizeof *g->membrane);
  g->score = calloc((size_t)p->tokens * p->tokens, sizeof *g->score);
  g->charged = calloc(outputs, sizeof *g->charged);
  if (g->membrane == NULL || g->score == NULL || g->charged == NULL) {
    ssa_golden_exact_free(g);
    return ssa_fail(err, "out of memory for the exact attention model");
  }
  return 0;
}

void ssa_golden_exact_free(ssa_golden_exact *g) {
  free(g->membrane);
  free(g->score);
  free(g->charged);
  g->membrane = NULL;
  g->score = NULL;
  g->charged = NULL;
}

void ssa_golden_exact_reset(ssa_golden_exact *g) {
  size_t outputs = (size_t)g->p.tokens * g->p.heads * g->p.dim;
  memset(g->membrane, 0, outputs * sizeof *g->membrane);
}

/* A head's columns base .. base + dim - 1 of row r, in 64-bit pieces. dim is a power of two
 * and base a multiple of it, so a piece never straddles two words. */
static uint64_t head_piece(const ssa_bitmat *m, unsigned r, unsigned c, unsigned width) {
  uint64_t mask = width == 64 ? ~(uint64_t)0 : ((uint64_t)1 << width) - 1;
  return (m->w[(size_t)r * m->stride + c / 64] >> (c % 64)) & mask;
}

void ssa_golden_exact_step(ssa_golden_exact *g, const ssa_bitmat *q, const ssa_bitmat *k,
                           const ssa_bitmat *v, ssa_bitmat *o) {
  unsigned n = g->p.tokens, dim = g->p.dim, e = g->p.heads * dim;
  unsigned piece = dim < 64 ? dim : 64;
  for (unsigned h = 0; h < g->p.heads; h++) {
    unsigned base = h * dim;
    /* S = Q_h K_h^T: S[i][j] counts the columns where both spike */
    for (unsigned i = 0; i < n; i++)
      for (unsigned j = 0; j < n; j++) {
        unsigned s = 0;
        for (unsigned c = base; c < base + dim; c += piece)
          s += (unsigned)__builtin_popcountll(head_piece(q, i, c, piece) &
                                              head_piece(k, j, c, piece));
        g->score[(size_t)i * n + j] = s;
      }
    /* A = S V_h: row i adds S[i][j] to every column where V's row j spikes */
    int64_t a[SSA_EXACT_MAX_DIM];
    for (unsigned i = 0; i < n; i++) {
      memset(a, 0, dim * sizeof *a);
      for (unsigned j = 0; j < n; j++) {
        unsigned s = g->score[(size_t)i * n + j];
        for (unsigned c = base; c < base + dim; c += piece)
          for (uint64_t bits = head_piece(v, j, c, piece); bits != 0; bits &= bits - 1)
            a[c - base + (unsigned)__builtin_ctzll(bits)] += s;
      }
      for (unsigned d = 0; d < dim; d++) {
        /* A * 2^-s against 0.5, in s + 1 fraction bits: I = 2 * A, theta = 2^s */
        size_t x = (size_t)i * e + base + d;
        g->charged[x] = ssa_lif_charge(&g->p.lif, g->membrane[x], 2 * a[d]);
        ssa_bitmat_put(o, i, base + d, ssa_lif_fire(&g->p.lif, &g->membrane[x], g->charged[x]));
      }
    }
  }
}
