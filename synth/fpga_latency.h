/* fpga_latency.h -- the latency of one attention of T steps on an iCE40, for a design placed and
 * routed inside the FPGA timing harness (fpga_harness.h), loading its inputs included.
 *
 * The harness feeds the design's data inputs from a shift chain loaded through
 * SSA_FPGA_HARNESS_IN_PINS pins (one: si_i), so a step's B input bits (3 N D for an attention)
 * take ceil(B / pins) clocks to shift in. The design takes a step on the clock after its bits
 * are in, and that same clock already shifts in the next step's first bits: the design sees
 * the chain as it was before the edge. So step t (from 0) is accepted on clock (t + 1) L + 1,
 * with L = max(ceil(B / pins), the design's interval), and the last result is out after
 *
 *   clocks = T x L + latency          (latency: the design's clocks from in_valid_i to
 *                                      out_valid_o, 1 for the attention kinds)
 *   time   = clocks / Fmax            (Fmax: nextpnr-ice40's figure for the harnessed design)
 *
 * Not counted: reset (it can overlap the first load: the chain is not reset), and reading the
 * outputs out: the harness folds them into one XOR bit; a serial readout of the last step's
 * N D output bits through as many pins would add ceil(N D / pins) clocks. */
#ifndef SSA_FPGA_LATENCY_H
#define SSA_FPGA_LATENCY_H

#include "../common/error.h"
#include "../core/design.h"

typedef struct ssa_fpga_latency {
  int fits;                  /* 0: not placed (too large); only `note` says anything */
  unsigned steps;            /* T */
  unsigned in_bits;          /* B: data input bits of one step */
  unsigned in_pins;          /* bits shifted in per clock */
  unsigned load_clocks;      /* L, per step */
  unsigned pipeline_clocks;  /* the design's latency */
  unsigned long clocks;      /* T x L + latency */
  double fmax_mhz;
  double us;                 /* clocks / Fmax */
  char device[16];           /* "HX8K" */
  char note[256];            /* the formula with its numbers, or "not reproduced: ..." */
} ssa_fpga_latency;

/* The latency of T steps of d at fmax_mhz (> 0) on `device` (NULL: hx8k), through the
 * harness's SSA_FPGA_HARNESS_IN_PINS pins. */
void ssa_fpga_latency_of(const ssa_design *d, unsigned steps, double fmax_mhz,
                         const char *device, ssa_fpga_latency *l);

/* No figure: "not reproduced: N = <n> does not fit an iCE40 <DEVICE>". */
void ssa_fpga_latency_unfit(unsigned n, unsigned steps, const char *device, ssa_fpga_latency *l);

/* Places and routes d in the harness on an iCE40 `device` (NULL: hx8k; ssa_synth_run, ice40
 * flow) and fills *l with ssa_fpga_latency_of at the measured Fmax; when d does not fit, with
 * ssa_fpga_latency_unfit (n: the token count the note names). 0 either way; -1 when a tool
 * failed (err). */
int ssa_fpga_latency_measure(const ssa_design *d, unsigned n, unsigned steps, const char *device,
                             ssa_fpga_latency *l, ssa_error *err);

#endif
