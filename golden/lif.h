/* lif.h -- the integer leaky integrate-and-fire (LIF) neuron, bit-exact with rtl/ssa_lif.v.
 * This comment is the definition; docs/fixed-point.md says the same with worked examples.
 *
 * State: the membrane u, a signed W-bit integer, 0 after reset. Input: a current I, a signed
 * integer of C bits (the RTL parameter CURRENT, 1 to 40; C is independent of W). One step:
 *
 *   sum   = u - (u >>> L) + I      exact: no intermediate wraps (the RTL computes it in
 *                                  max(W, C) + 1 bits, which always suffice)
 *   v     = sum saturated to [-2^(W-1), 2^(W-1) - 1]
 *   spike = (v >= theta)
 *   u     = spike ? (reset == zero ? 0 : v - theta) : v
 *
 * `>>>` is an arithmetic shift: it rounds toward minus infinity, so a negative membrane leaks
 * all the way to 0 (u = -1: -1 - (-1) = 0) while a positive one stops at 2^L - 1 (u = 1,
 * L = 1: 1 - 0 = 1). L = 0 leaks everything (u - u = 0): v is then I saturated.
 * Since theta <= 2^(W-1) - 1, a positively saturated v always spikes, and v - theta after a
 * spike lies in [0, 2^(W-1) - 1 - theta]: the reset never overflows.
 *
 * Parameter ranges (ssa_lif_params_check): W from 2 to 32, L from 0 to W - 1, theta from 1 to
 * 2^(W-1) - 1, reset zero or subtract. */
#ifndef SSA_LIF_H
#define SSA_LIF_H

#include <stdint.h>

#include "../common/error.h"
#include "../core/lif_params.h"

/* One step of one neuron: updates *u, returns 1 on a spike. current is any value |I| < 2^40;
 * *u must be a membrane value of width p->width and p must pass ssa_lif_params_check.
 * It is ssa_lif_fire(p, u, ssa_lif_charge(p, *u, current)). */
int ssa_lif_step(const ssa_lif_params *p, int64_t *u, int64_t current);
/* The step's two halves: v, the membrane before the threshold (a trainer's surrogate gradient
 * needs it), then the threshold and reset, which set *u from v and return the spike. */
int64_t ssa_lif_charge(const ssa_lif_params *p, int64_t u, int64_t current);
int ssa_lif_fire(const ssa_lif_params *p, int64_t *u, int64_t v);

#endif
