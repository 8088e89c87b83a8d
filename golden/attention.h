/* attention.h -- the golden model of the stochastic spiking attention block.
 * It executes the randomness plan bit for bit as the generated RTL does: one call of
 * ssa_golden_attention_step is one accepted input (one clock with in_valid_i high).
 * The hot path is bit-sliced: one 64-bit word holds one bit of 64 LFSRs, or one score or
 * output of 64 tokens, and eight such words are processed as one vector slice (slice.h), so a
 * step costs a few vector operations per 512 units. */
#ifndef SSA_GOLDEN_ATTENTION_H
#define SSA_GOLDEN_ATTENTION_H

#include "../core/plan.h"
#include "../core/bitmat.h"

typedef struct ssa_golden_attention ssa_golden_attention;

/* The plan must outlive the model. */
int ssa_golden_attention_new(const ssa_plan *plan, ssa_golden_attention **out, ssa_error *err);
void ssa_golden_attention_free(ssa_golden_attention *m);
/* Back to the reset state: every LFSR at its seed. */
void ssa_golden_attention_reset(ssa_golden_attention *m);
/* One time step. q, k, v and o are N x E matrices (E = H * D). */
void ssa_golden_attention_step(ssa_golden_attention *m, const ssa_bitmat *q, const ssa_bitmat *k,
                               const ssa_bitmat *v, ssa_bitmat *o);
/* The current state of one LFSR (for tests). */
uint64_t ssa_golden_lfsr_state(const ssa_golden_attention *m, unsigned lfsr);

#endif
