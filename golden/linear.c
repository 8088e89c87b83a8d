/* linear.c -- golden spiking linear layer (see linear.h). */
#include "linear.h"

#include <stdlib.h>
#include <string.h>

int ssa_golden_linear_init(ssa_golden_linear *g, const ssa_weight_layer *layer,
                           const ssa_lif_params *lif, unsigned tokens, ssa_error *err) {
  memset(g, 0, sizeof *g);
  g->layer = layer;
  g->lif = *lif;
  g->tokens = tokens;
  g->membrane = calloc((size_t)tokens * layer->rows, sizeof *g->membrane);
  return g->membrane == NULL ? ssa_fail(err, "out of memory for the linear layer") : 0;
}

void ssa_golden_linear_free(ssa_golden_linear *g) {
  free(g->membrane);
  g->membrane = NULL;
}

int64_t ssa_linear_current(const ssa_weight_layer *layer, unsigned o, const uint64_t *x,
                           size_t x_offset) {
  const int32_t *row = &layer->w[(size_t)o * layer->cols];
  int64_t sum = 0;
  for (unsigned i = 0; i < layer->cols; i++) {
    size_t bit = x_offset + i;
    if ((x[bit / 64] >> (bit % 64)) & 1u) sum += row[i];
  }
  return sum;
}

void ssa_golden_linear_step(ssa_golden_linear *g, const uint64_t *x, uint64_t *y) {
  unsigned in = g->layer->cols, out = g->layer->rows;
  for (unsigned n = 0; n < g->tokens; n++)
    for (unsigned o = 0; o < out; o++) {
      int64_t current = ssa_linear_current(g->layer, o, x, (size_t)n * in);
      int spike = ssa_lif_step(&g->lif, &g->membrane[(size_t)n * out + o], current);
      size_t bit = (size_t)n * out + o;
      uint64_t mask = (uint64_t)1 << (bit % 64);
      y[bit / 64] = spike ? (y[bit / 64] | mask) : (y[bit / 64] & ~mask);
    }
}
