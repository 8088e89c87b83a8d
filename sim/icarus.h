/* icarus.h -- running a design's generated self-checking testbench with iverilog and vvp. */
#ifndef SSA_ICARUS_H
#define SSA_ICARUS_H

#include <stdint.h>

#include "vectors.h"

/* Compiles design + testbench in a temporary directory, plays the vectors and reads back the
 * outputs seen every cycle into `actual` (laid out like v->expected). `fst_path` (may be NULL)
 * asks for a waveform. The testbench's own verdict line ("PASS ..." or "MISMATCH ...") is
 * copied into `verdict`. */
int ssa_icarus_run(const ssa_vectors *v, const char *fst_path, uint64_t *actual, char *verdict,
                   size_t verdict_len, ssa_error *err);

#endif
