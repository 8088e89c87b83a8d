/* emit_lif.h -- Verilog of the LIF array (ssa_lif_array): M neurons of rtl/ssa_lif.v fed with
 * signed W-bit currents, all stepping on in_valid_i. */
#ifndef SSA_EMIT_LIF_H
#define SSA_EMIT_LIF_H

#include "../core/lif_params.h"
#include "../core/design.h"

#define SSA_LIF_MAX_NEURONS 4096u
#define SSA_LIF_LATENCY 1u

typedef struct ssa_lif_array_params {
  unsigned neurons;        /* M */
  ssa_lif_params lif;
} ssa_lif_array_params;

/* `line`: the options that rebuild the design, for the banner. */
int ssa_emit_lif_array(const ssa_lif_array_params *p, const char *line, ssa_design *d,
                       ssa_error *err);

#endif
