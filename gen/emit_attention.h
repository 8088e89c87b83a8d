/* emit_attention.h -- Verilog of the stochastic spiking attention block (ssa_attention). */
#ifndef SSA_EMIT_ATTENTION_H
#define SSA_EMIT_ATTENTION_H

#include <stddef.h>

#include "../core/design.h"
#include "../core/plan.h"

/* Clocks from in_valid_i to out_valid_o: the datapath is combinational into one register. */
#define SSA_ATTENTION_LATENCY 1u

/* `line` is the generator options that rebuild the design ("--tokens 16 --dim 16 ...", from
 * the kind's option table), for the banner. */
int ssa_emit_attention(const ssa_plan *plan, const char *line, ssa_design *design,
                       ssa_error *err);

#endif
