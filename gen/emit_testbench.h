/* emit_testbench.h -- the self-checking Verilog testbench of any generated design.
 * It plays one line of the input vector file per clock, checks every output port after every
 * rising edge against the expected file, optionally writes what it saw and a waveform. */
#ifndef SSA_EMIT_TESTBENCH_H
#define SSA_EMIT_TESTBENCH_H

#include <stddef.h>

#include "../core/design.h"

/* File names the testbench opens by default (in the directory vvp runs in). */
void ssa_testbench_names(const ssa_design *d, char *tb, char *in, char *expected, size_t len);
/* Returns the text (malloc'd) or NULL without memory. */
char *ssa_emit_testbench(const ssa_design *d, size_t *len);

#endif
