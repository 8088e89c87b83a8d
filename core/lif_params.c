/* lif_params.c -- LIF parameters: defaults, ranges, names (see lif_params.h). */
#include "lif_params.h"

#include <stdio.h>
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

const char *const ssa_lif_reset_names[] = {"zero", "subtract", NULL};

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

