/* extrapolate.h -- figures of sizes too large to synthesize and simulate in a report's time,
 * from the sizes that were. An attention at a fixed D has units that grow as N^2 (the N x N
 * scores, the N-input output multiplexers) and parts that grow as N (a row of registers, one
 * select per row), so per part (PRNG, datapath, registers) the cell count is fitted as
 *
 *     cells(N) = a N^2 + b N,   a, b >= 0,
 *
 * through the two largest measured sizes (one measured size: b = 0), and the energy and area
 * per cell stay those of the largest measured size. Every extrapolated figure is labelled as
 * such by the report, with a and b. */
#ifndef SSA_EXTRAPOLATE_H
#define SSA_EXTRAPOLATE_H

#include "synth.h"

typedef struct ssa_size_figures {
  unsigned n;
  double cells[SSA_PART_COUNT];
  double pj[SSA_PART_COUNT];       /* gate-level energy per attention */
  double area_um2[SSA_PART_COUNT];
} ssa_size_figures;

typedef struct ssa_cell_fit {
  double a, b;    /* cells = a N^2 + b N */
} ssa_cell_fit;

/* From `count` measured sizes (any order, count >= 1) to size n; fit[] receives the fitted
 * coefficients of each part (for the report). */
void ssa_extrapolate(const ssa_size_figures *measured, unsigned count, unsigned n,
                     ssa_size_figures *out, ssa_cell_fit fit[SSA_PART_COUNT]);

#endif
