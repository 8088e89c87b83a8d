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

#define SSA_LIF_MIN_WIDTH 2u   /* 1 bit would leave no positive threshold */
#define SSA_LIF_MAX_WIDTH 32u  /* THRESHOLD must fit a Verilog integer parameter */
#define SSA_LIF_MAX_CURRENT_BITS 40u  /* |I| < 2^40 keeps every sum far inside int64_t */

enum ssa_lif_reset { SSA_LIF_RESET_ZERO, SSA_LIF_RESET_SUBTRACT };

typedef struct ssa_lif_params {
  unsigned width;            /* W: membrane bits, signed */
  unsigned leak_shift;       /* L: leak u >>> L per step, beta = 1 - 2^-L */
  int64_t threshold;         /* theta: spike when v >= theta */
  enum ssa_lif_reset reset;  /* what a spike leaves in the membrane */
} ssa_lif_params;

/* W = 16, L = 1, theta = 64, reset zero. */
void ssa_lif_params_default(ssa_lif_params *p);
/* 0 when every field is in range, else -1 with one line naming the CLI option:
 * "--width 1: must be from 2 to 32". */
int ssa_lif_params_check(const ssa_lif_params *p, ssa_error *err);

/* "zero" / "subtract" (the --reset values); "?" for a value outside the enum. */
const char *ssa_lif_reset_name(enum ssa_lif_reset r);
/* 0 and *out set for "zero" or "subtract"; -1 (and *out untouched) for any other text. */
int ssa_lif_reset_parse(const char *text, enum ssa_lif_reset *out);

/* One step of one neuron: updates *u, returns 1 on a spike. current is any value |I| < 2^40;
 * *u must be a membrane value of width p->width and p must pass ssa_lif_params_check.
 * It is ssa_lif_fire(p, u, ssa_lif_charge(p, *u, current)). */
int ssa_lif_step(const ssa_lif_params *p, int64_t *u, int64_t current);
/* The step's two halves: v, the membrane before the threshold (a trainer's surrogate gradient
 * needs it), then the threshold and reset, which set *u from v and return the spike. */
int64_t ssa_lif_charge(const ssa_lif_params *p, int64_t u, int64_t current);
int ssa_lif_fire(const ssa_lif_params *p, int64_t *u, int64_t v);

#endif
