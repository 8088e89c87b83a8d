/* reference.h -- the float reference of the SC attention: E[o_id] = (Q K^T V)[i,d] / (N D)
 * per head, the value every output's spike rate estimates without bias.
 * ssa_reference keeps, per output, the sum over the steps of (Q K^T V)[i,d] (per head: the
 * head's D columns of Q, K and V) in exact integers, computed with ANDs and popcounts of the
 * packed rows; the doubles are made only when ssa_reference_mean is asked. */
#ifndef SSA_REFERENCE_H
#define SSA_REFERENCE_H

#include <stdint.h>

#include "../core/bitmat.h"

#define SSA_REFERENCE_MAX_INNER 256u  /* min(N, D) at most this; the block's N, D <= 256 */

typedef struct ssa_reference {
  unsigned tokens, heads, dim;  /* N, H, D: the matrices are N x (H*D) */
  uint64_t steps;               /* steps added since init or clear */
  /* private: N x (H*D) sums (ssa_reference_sums), the 32-bit sums of the steps not yet moved
   * into them, and the scratch of one step */
  uint64_t *sum;
  uint32_t *pending, *table;
  unsigned pending_steps, flush_every;
  uint64_t *bits_a, *bits_b, *bits_c;
} ssa_reference;

/* All sums 0. -1 if no memory or a size is 0 or min(N, D) > SSA_REFERENCE_MAX_INNER (r is
 * then freed). */
int ssa_reference_init(ssa_reference *r, unsigned tokens, unsigned heads, unsigned dim);
void ssa_reference_free(ssa_reference *r);
void ssa_reference_clear(ssa_reference *r);  /* sums and steps back to 0 */
/* Adds one step's Q K^T V; q, k, v are N x (H*D). */
void ssa_reference_add_step(ssa_reference *r, const ssa_bitmat *q, const ssa_bitmat *k,
                            const ssa_bitmat *v);
/* N x (H*D), row-major like the matrices: the sum over the steps of (Q K^T V)[i, h*D + d] of
 * head h (each step's value at most N D), exact. Valid until the next add_step or clear. */
const uint64_t *ssa_reference_sums(ssa_reference *r);
/* out (N x (H*D) doubles) = sum / (N D steps), the mean of (Q K^T V)/(N D) over `steps`
 * steps (normally r->steps); all 0 when steps is 0. */
void ssa_reference_mean(ssa_reference *r, double *out, uint64_t steps);

#endif
