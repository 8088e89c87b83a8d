/* sram.c -- SRAM energy per access as a power law of the size (see sram.h). */
#include "sram.h"

#include <math.h>

/* The three points: an SRAM of this many bytes, pJ per 64-bit access. */
static const struct {
  double bytes, pj;
} HOROWITZ[] = {{8 * 1024.0, SSA_PJ_SRAM8K},
                {32 * 1024.0, SSA_PJ_SRAM32K},
                {1024 * 1024.0, SSA_PJ_SRAM1M}};

#define POINTS (sizeof HOROWITZ / sizeof HOROWITZ[0])

void ssa_sram_fit_horowitz(ssa_sram_fit *f) {
  double mx = 0, my = 0;
  for (unsigned k = 0; k < POINTS; k++) {
    mx += log(HOROWITZ[k].bytes) / POINTS;
    my += log(HOROWITZ[k].pj) / POINTS;
  }
  double sxy = 0, sxx = 0;
  for (unsigned k = 0; k < POINTS; k++) {
    double dx = log(HOROWITZ[k].bytes) - mx;
    sxy += dx * (log(HOROWITZ[k].pj) - my);
    sxx += dx * dx;
  }
  /* the least-squares line passes through the point of means: S0, E0 are the geometric means */
  f->ref_bytes = exp(mx);
  f->ref_pj = exp(my);
  f->exponent = sxy / sxx;
}

double ssa_sram_access_pj(double bytes, double volts) {
  ssa_sram_fit f;
  ssa_sram_fit_horowitz(&f);
  double v = volts / SSA_SRAM_HOROWITZ_V;
  return f.ref_pj * pow(bytes / f.ref_bytes, f.exponent) * v * v;
}
