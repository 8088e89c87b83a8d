/* extrapolate.c -- power-law extrapolation of a design's per-part figures (see extrapolate.h). */
#include "extrapolate.h"

#include <math.h>
#include <string.h>

void ssa_extrapolate(const ssa_size_figures *measured, unsigned count, unsigned n,
                     ssa_size_figures *out, double exponent[SSA_PART_COUNT]) {
  /* The two largest measured sizes. */
  const ssa_size_figures *big = &measured[0], *next = NULL;
  for (unsigned k = 1; k < count; k++)
    if (measured[k].n > big->n) big = &measured[k];
  for (unsigned k = 0; k < count; k++)
    if (measured[k].n < big->n && (next == NULL || measured[k].n > next->n)) next = &measured[k];
  memset(out, 0, sizeof *out);
  out->n = n;
  for (unsigned p = 0; p < SSA_PART_COUNT; p++) {
    double b = 2.0;
    if (next != NULL && big->cells[p] > 0 && next->cells[p] > 0)
      b = log(big->cells[p] / next->cells[p]) / log((double)big->n / next->n);
    exponent[p] = b;
    double scale = pow((double)n / big->n, b);
    out->cells[p] = big->cells[p] * scale;
    out->pj[p] = big->pj[p] * scale;
    out->area_um2[p] = big->area_um2[p] * scale;
  }
}
