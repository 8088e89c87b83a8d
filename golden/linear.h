/* linear.h -- golden model of the spiking linear layer: for each of N tokens,
 *   I_o = sum over inputs i that spiked of W[o, i]     (additions only, no multiplier)
 *   y_o = LIF_o(I_o)                                   (golden/lif.h, one neuron per token and o)
 * exactly as the generated RTL computes it, whatever its folding. */
#ifndef SSA_GOLDEN_LINEAR_H
#define SSA_GOLDEN_LINEAR_H

#include <stdint.h>

#include "lif.h"
#include "../core/weights.h"

typedef struct ssa_golden_linear {
  const ssa_weight_layer *layer;   /* O x I, must outlive the model */
  ssa_lif_params lif;
  unsigned tokens;
  int64_t *membrane;               /* tokens * O */
} ssa_golden_linear;

int ssa_golden_linear_init(ssa_golden_linear *g, const ssa_weight_layer *layer,
                           const ssa_lif_params *lif, unsigned tokens, ssa_error *err);
void ssa_golden_linear_free(ssa_golden_linear *g);
/* One step: x holds N x I spikes (bit n*I + i), y gets N x O spikes (bit n*O + o). */
void ssa_golden_linear_step(ssa_golden_linear *g, const uint64_t *x, uint64_t *y);
/* The current of output o for one token's input row (bit i of x at x_offset + i). */
int64_t ssa_linear_current(const ssa_weight_layer *layer, unsigned o, const uint64_t *x,
                           size_t x_offset);

#endif
