/* extrapolate.h -- figures of sizes too large to synthesize and simulate in a report's time,
 * from the sizes that were: per part (PRNG, datapath, registers), the cell count follows a
 * power law in N fitted through the two largest measured sizes (cells = a N^b), and the
 * energy and area per cell stay those of the largest measured size. With a single measured
 * size the exponent is 2 (an attention's units grow as N^2 at a fixed D). Every extrapolated
 * figure is labelled as such by the report. */
#ifndef SSA_EXTRAPOLATE_H
#define SSA_EXTRAPOLATE_H

#include "synth.h"

typedef struct ssa_size_figures {
  unsigned n;
  double cells[SSA_PART_COUNT];
  double pj[SSA_PART_COUNT];       /* gate-level energy per attention */
  double area_um2[SSA_PART_COUNT];
} ssa_size_figures;

/* From `count` measured sizes (any order, count >= 1) to size n. exponent[] receives the
 * fitted exponents (for the report). */
void ssa_extrapolate(const ssa_size_figures *measured, unsigned count, unsigned n,
                     ssa_size_figures *out, double exponent[SSA_PART_COUNT]);

#endif
