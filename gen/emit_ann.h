/* emit_ann.h -- Verilog of the int8 ANN attention (core/ann_params.h defines what it computes;
 * golden/ann_attention.h is the reference it is checked against). */
#ifndef SSA_EMIT_ANN_H
#define SSA_EMIT_ANN_H

#include "../common/error.h"
#include "../core/ann_params.h"
#include "../core/design.h"

/* Clocks from in_valid_i to out_valid_o, and from one accepted step to the next: 1 and 1 for
 * the fully parallel organisation (--macs 0), the schedule's length for M MAC units. */
unsigned ssa_ann_attention_latency(const ssa_ann_attention_params *p);
unsigned ssa_ann_attention_interval(const ssa_ann_attention_params *p);

/* The design ssa_ann_attention (file ssa_ann_attention.v) with its stream ports: rst_ni,
 * in_valid_i, in_ready_o (M >= 1 only), q_i, k_i, v_i (N E 8 bits each), out_valid_o, o_o;
 * latency and interval set, and its parts (ssa_part_ann_*.v, one file each) declared with
 * their instances and the glue's flip-flops. `line` is the banner's regeneration line. p must
 * be prepared. */
int ssa_emit_ann_attention(const ssa_ann_attention_params *p, const char *line, ssa_design *d,
                           ssa_error *err);

#endif
