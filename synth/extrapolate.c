/* extrapolate.c -- the a N^2 + b N extrapolation of a design's per-part figures (see
 * extrapolate.h). */
#include "extrapolate.h"

#include <string.h>

/* Through (n1, c1) and (n2, c2), n1 < n2, or through (n2, c2) alone when n1 is 0. */
static ssa_cell_fit fit_cells(double n1, double c1, double n2, double c2) {
  ssa_cell_fit f = {c2 / (n2 * n2), 0};
  if (n1 <= 0) return f;
  f.a = (c2 / n2 - c1 / n1) / (n2 - n1);
  f.b = c1 / n1 - f.a * n1;
  /* A negative term would predict shrinking parts: keep the other one alone. */
  if (f.a < 0) {
    f.a = 0;
    f.b = c2 / n2;
  } else if (f.b < 0) {
    f.a = c2 / (n2 * n2);
    f.b = 0;
  }
  return f;
}

void ssa_extrapolate(const ssa_size_figures *measured, unsigned count, unsigned n,
                     ssa_size_figures *out, ssa_cell_fit fit[SSA_PART_COUNT]) {
  /* The two largest measured sizes. */
  const ssa_size_figures *big = &measured[0], *next = NULL;
  for (unsigned k = 1; k < count; k++)
    if (measured[k].n > big->n) big = &measured[k];
  for (unsigned k = 0; k < count; k++)
    if (measured[k].n < big->n && (next == NULL || measured[k].n > next->n)) next = &measured[k];
  memset(out, 0, sizeof *out);
  out->n = n;
  for (unsigned p = 0; p < SSA_PART_COUNT; p++) {
    fit[p] = fit_cells(next != NULL ? next->n : 0, next != NULL ? next->cells[p] : 0, big->n,
                       big->cells[p]);
    out->cells[p] = fit[p].a * n * n + fit[p].b * n;
    /* Energy and area per cell of the largest measured size. */
    double per_cell = big->cells[p] > 0 ? out->cells[p] / big->cells[p] : 0;
    out->pj[p] = big->pj[p] * per_cell;
    out->area_um2[p] = big->area_um2[p] * per_cell;
  }
}
