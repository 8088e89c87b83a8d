/* attention_shape.h -- what the two attention kinds, SC (core/plan.h) and exact
 * (core/exact_params.h), have in common: N tokens, D columns per head and H heads, with the
 * same defaults and the same checks. */
#ifndef SSA_ATTENTION_SHAPE_H
#define SSA_ATTENTION_SHAPE_H

#include "../common/error.h"

/* N = 16, D = 16, H = 1. */
void ssa_attention_shape_default(unsigned *tokens, unsigned *dim, unsigned *heads);
/* N and D powers of two from 2 to their maximum, H from 1 to its maximum; -1 with a message
 * naming the option ("--tokens 12: must be a power of two from 2 to 256"). */
int ssa_attention_shape_check(unsigned tokens, unsigned dim, unsigned heads, unsigned max_tokens,
                              unsigned max_dim, unsigned max_heads, ssa_error *err);

#endif
