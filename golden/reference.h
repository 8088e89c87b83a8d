/* reference.h -- the float reference of the SC attention: E[o_id] = (Q K^T V)[i,d] / (N D)
 * per head, the value every output's spike rate estimates without bias. */
#ifndef SSA_REFERENCE_H
#define SSA_REFERENCE_H

#include "../core/bitmat.h"

/* Adds the expectation of one step to acc (N x E doubles, row-major). */
void ssa_reference_attention_add(const ssa_bitmat *q, const ssa_bitmat *k, const ssa_bitmat *v,
                                 unsigned heads, unsigned dim, double *acc);

#endif
