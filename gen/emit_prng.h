/* emit_prng.h -- Verilog of a plan's PRNG bank, shared by every emitter that draws random
 * numbers (attention, encoder): one ssa_lfsr instance per LFSR, its state one element of a
 * net array per group, and the state bits no number reads gathered so lint stays clean. */
#ifndef SSA_EMIT_PRNG_H
#define SSA_EMIT_PRNG_H

#include <stdint.h>
#include <stdio.h>

#include "../core/plan.h"
#include "emit_util.h"

/* "//   score  stage: 64 LFSRs of 16 bits, x^16 + ...; 1024 numbers of 4 bits;" and the seeds. */
void ssa_emit_prng_group_banner(FILE *f, const ssa_plan *plan, unsigned group);
/* For each group with LFSRs: `wire [W<tag>-1:0] <bank>[0:n-1]` and its instances, advanced on
 * `enable`. The module must declare localparams W<tag> and TAPS_<tag>. */
void ssa_emit_prng_bank(FILE *f, const ssa_plan *plan, const char *const bank[],
                        const char *const tag[], const char *enable);
/* Number n of a group as a Verilog expression over the group's net array bank[group]: one part
 * select where its bits run on in one LFSR, else a concatenation of runs, most significant
 * first (ssa_plan_number_bit). Marks the bits in used. */
void ssa_emit_number_bits(FILE *f, const ssa_plan *plan, unsigned group, ssa_number n,
                          const char *const bank[], uint64_t *used);
/* used[l]: state bits of LFSR l that some number reads; the rest go into `unused_rnd`. */
/* Opens the emitter of a module with a PRNG bank and the zeroed map of state bits its numbers
 * use (one word per LFSR, for ssa_emit_prng_unused); nothing to free on an error. */
int ssa_emitter_open_bank(ssa_emitter *e, const ssa_plan *plan, uint64_t **used, const char *module,
                          ssa_error *err);
void ssa_emit_prng_unused(FILE *f, const ssa_plan *plan, const uint64_t *used,
                          const char *const bank[]);

#endif
