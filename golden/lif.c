/* lif.c -- the integer LIF neuron: parameter check, reset names, one step (see lif.h). */
#include "lif.h"

#include <string.h>

void ssa_lif_params_default(ssa_lif_params *p) {
  p->width = 16;
  p->leak_shift = 1;
  p->threshold = 64;
  p->reset = SSA_LIF_RESET_ZERO;
}

int ssa_lif_params_check(const ssa_lif_params *p, ssa_error *err) {
  /* width first: the other two ranges are stated in terms of it */
  if (p->width < SSA_LIF_MIN_WIDTH || p->width > SSA_LIF_MAX_WIDTH)
    return ssa_fail(err, "--width %u: must be from %u to %u", p->width, SSA_LIF_MIN_WIDTH,
                    SSA_LIF_MAX_WIDTH);
  if (p->leak_shift >= p->width)
    return ssa_fail(err, "--leak-shift %u: must be from 0 to %u (below --width)", p->leak_shift,
                    p->width - 1);
  int64_t max = ((int64_t)1 << (p->width - 1)) - 1;
  if (p->threshold < 1 || p->threshold > max)
    return ssa_fail(err, "--threshold %lld: must be from 1 to %lld (2^(W-1) - 1)",
                    (long long)p->threshold, (long long)max);
  if (p->reset != SSA_LIF_RESET_ZERO && p->reset != SSA_LIF_RESET_SUBTRACT)
    return ssa_fail(err, "--reset %d: must be zero or subtract", (int)p->reset);
  return 0;
}

const char *ssa_lif_reset_name(enum ssa_lif_reset r) {
  switch (r) {
    case SSA_LIF_RESET_ZERO: return "zero";
    case SSA_LIF_RESET_SUBTRACT: return "subtract";
  }
  return "?";
}

int ssa_lif_reset_parse(const char *text, enum ssa_lif_reset *out) {
  if (strcmp(text, "zero") == 0) *out = SSA_LIF_RESET_ZERO;
  else if (strcmp(text, "subtract") == 0) *out = SSA_LIF_RESET_SUBTRACT;
  else return -1;
  return 0;
}

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
