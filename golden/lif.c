/* lif.c -- the integer LIF neuron: parameter check, reset names, one step (see lif.h). */
#include "lif.h"

#include <string.h>

/* x >>> s, rounding toward minus infinity like Verilog's >>> on a signed value. C leaves >> of
 * a negative value implementation-defined, so negatives go through ~x = -x - 1 >= 0:
 * floor(x / 2^s) = -(floor((-x - 1) / 2^s)) - 1 for x < 0. */
static int64_t shift_floor(int64_t x, unsigned s) {
  return x >= 0 ? x >> s : ~(~x >> s);
}

int64_t ssa_lif_charge(const ssa_lif_params *p, int64_t u, int64_t current) {
  int64_t max = ((int64_t)1 << (p->width - 1)) - 1, min = -max - 1;
  /* |u - (u >>> L)| <= 2^31 and |I| < 2^40: the exact sum fits int64_t with room to spare */
  int64_t v = u - shift_floor(u, p->leak_shift) + current;
  if (v > max) v = max;
  if (v < min) v = min;
  return v;
}

int ssa_lif_fire(const ssa_lif_params *p, int64_t *u, int64_t v) {
  int spike = v >= p->threshold;
  if (spike) v = p->reset == SSA_LIF_RESET_SUBTRACT ? v - p->threshold : 0;
  *u = v;
  return spike;
}

int ssa_lif_step(const ssa_lif_params *p, int64_t *u, int64_t current) {
  return ssa_lif_fire(p, u, ssa_lif_charge(p, *u, current));
}
