/* emit_exact.h -- Verilog of exact spiking attention, the Spikformer baseline
 * (ssa_exact_attention; semantics in golden/exact_attention.h). The ports and their bit layout
 * are those of the SC block ssa_attention, and so is the latency (1), so the two are
 * interchangeable: per head, N*N popcounts (rtl/ssa_popcount.v) give the scores S_ij, one
 * adder per output (i, d) sums the S_ij whose V[j, d] spiked, and one LIF neuron
 * (rtl/ssa_lif.v) per output steps on in_valid_i; the spikes are registered. */
#ifndef SSA_EMIT_EXACT_H
#define SSA_EMIT_EXACT_H

#include <stddef.h>
#include <stdio.h>

#include "../core/exact_params.h"
#include "../core/design.h"

/* Clocks from in_valid_i to out_valid_o: combinational datapath into the neurons and one
 * register, as ssa_attention. */
#define SSA_EXACT_ATTENTION_LATENCY 1u

/* A comment block (lines starting "//") with the parameters, the fixed-point mapping, the
 * resources and the latency, for banners. p must be prepared. */
void ssa_emit_exact_attention_summary(FILE *f, const ssa_exact_attention_params *p);
/* The module `module_name` (ports clk_i, rst_ni, in_valid_i, q_i, k_i, v_i, out_valid_o, o_o,
 * as ssa_attention) without a file banner or `timescale; it instantiates the parts
 * (ssa_emit_exact_attention_parts). p must be prepared. */
void ssa_emit_exact_attention_module(FILE *f, const ssa_exact_attention_params *p,
                                     const char *module_name);
/* Adds the parts the module instantiates (gen/emit_part.h), each a file ssa_part_exact_*.v:
 * a score (popcount of D bits, H*N*N of them), a sum of N scores and a LIF neuron (N*E each),
 * and declares them with the glue (the output register). p must be prepared. */
int ssa_emit_exact_attention_parts(const ssa_exact_attention_params *p, ssa_design *d,
                                   ssa_error *err);
/* Adds the primitives the parts instantiate (ssa_popcount.v; ssa_lif.v with the files it
 * needs, ssa_emit_add_lif) to d, skipping any file d already holds, so a larger design can
 * call it beside its other primitives. */
int ssa_emit_exact_attention_primitives(ssa_design *d, ssa_error *err);
/* The whole design: ssa_exact_attention.v with its banner (`line`: the options that rebuild
 * it), then the parts and the primitives; ports as ssa_attention. */
int ssa_emit_exact_attention(const ssa_exact_attention_params *p, const char *line,
                             ssa_design *d, ssa_error *err);

#endif
