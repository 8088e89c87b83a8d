/* emit_part.h -- a design's parts as modules of their own (core/design.h, ssa_design_part):
 * each in its own file ssa_part_NAME.v, whose text depends only on the parameters it is
 * declared with, so that synthesis can keep it as hierarchy and composition (synth/compose.h)
 * can find the same module in a design of another size. The emitters write the module body;
 * this writes the banner and records the instances. */
#ifndef SSA_EMIT_PART_H
#define SSA_EMIT_PART_H

#include "emit_util.h"

/* Opens the file of part `module` ("ssa_part_sc_score") and writes its banner: what it is and
 * `params` (no design options: they would make the text differ between sizes). */
int ssa_part_open(ssa_emitter *e, const char *module, const char *what, const char *params,
                  ssa_error *err);
/* Adds the file to d as MODULE.v and declares `count` instances of the part. */
int ssa_part_close(ssa_emitter *e, ssa_design *d, const char *module, const char *params,
                   unsigned long count, ssa_error *err);
/* One port line of a part's header: DIR ("input", "output") wire [WIDTH-1:0] (no range when
 * width is 0: a scalar) NAME, a comma unless `last`, and the comment, in lined-up columns. */
void ssa_part_port(FILE *f, const char *dir, unsigned width, const char *name, int last,
                   const char *comment);
/* The body of a PRNG part's step counter: `reg [bits-1:0] step_q`, reset to 0 by rst_ni and
 * advanced by en_i (ports clk_i, rst_ni, en_i), then a blank line. */
void ssa_part_step_counter(FILE *f, unsigned bits);
/* Declares the top module's own cells, the glue, with its flip-flops as their unit. */
int ssa_part_glue(ssa_design *d, const char *top, unsigned long flops, ssa_error *err);

#endif
