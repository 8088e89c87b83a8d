/* emit_block.h -- Verilog of the Spikformer-style encoder block (ssa_block):
 *   Q, K, V = LIF(Linear(X));  A = attention(Q, K, V);  Y = LIF(Linear_o(A)) | X;
 *   Z = LIF(fc2(LIF(fc1(Y)))) | Y
 * The residual '+' of the founding brief on spikes (docs/design.md section 2) is the saturating (Boolean) sum, OR, so the block's
 * output stays binary (docs/fixed-point.md). Each layer is a linear module of its own
 * (emit_linear.h) with its weights in it; the stages hand over by their valid pulses, so the
 * block's latency is the sum of theirs plus one clock for the attention and one for the
 * output register, and in_ready_o is low while a step is in flight. */
#ifndef SSA_EMIT_BLOCK_H
#define SSA_EMIT_BLOCK_H

#include "../core/design.h"
#include "emit_linear.h"

enum { SSA_BLOCK_Q, SSA_BLOCK_K, SSA_BLOCK_V, SSA_BLOCK_O, SSA_BLOCK_FC1, SSA_BLOCK_FC2,
       SSA_BLOCK_LAYERS };
extern const char *const ssa_block_layer_names[SSA_BLOCK_LAYERS];  /* "q", ..., "fc2" */

typedef struct ssa_block_spec {
  unsigned tokens, embed, hidden;
  ssa_linear_spec layer[SSA_BLOCK_LAYERS];
  const ssa_design *attention;   /* the attention block's design (top ssa_attention or
                                  * ssa_exact_attention, same ports), its files included */
} ssa_block_spec;

unsigned ssa_block_latency(const ssa_block_spec *s);
/* Writes ssa_block.v, a module per layer (ssa_block_q.v, ...), then the attention's files
 * and ssa_lif.v into d (files, ports, latency, interval); d->options is left to the caller. */
int ssa_emit_block(const ssa_block_spec *s, const char *options, ssa_design *d, ssa_error *err);

#endif
