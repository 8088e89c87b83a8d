/* fpga_latency.c -- iCE40 latency with the inputs' loading (see fpga_latency.h). */
#include "fpga_latency.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "fpga_harness.h"
#include "synth.h"

/* "hx8k" -> "HX8K", as the part is named in data sheets. */
static void part_name(const char *device, char *out, size_t len) {
  const char *from = device != NULL ? device : "hx8k";
  size_t k = 0;
  for (; from[k] != '\0' && k + 1 < len; k++) out[k] = (char)toupper((unsigned char)from[k]);
  out[k] = '\0';
}

void ssa_fpga_latency_of(const ssa_design *d, unsigned steps, double fmax_mhz,
                         const char *device, ssa_fpga_latency *l) {
  memset(l, 0, sizeof *l);
  l->fits = 1;
  l->steps = steps;
  l->in_bits = ssa_fpga_harness_in_bits(d);
  l->in_pins = SSA_FPGA_HARNESS_IN_PINS;
  l->load_clocks = (l->in_bits + l->in_pins - 1) / l->in_pins;
  /* a design that is busy for longer than the load takes its next step only when ready */
  if (l->load_clocks < d->interval) l->load_clocks = d->interval;
  if (l->load_clocks == 0) l->load_clocks = 1;
  l->pipeline_clocks = d->latency;
  l->clocks = (unsigned long)steps * l->load_clocks + l->pipeline_clocks;
  l->fmax_mhz = fmax_mhz;
  l->us = l->clocks / fmax_mhz;
  part_name(device, l->device, sizeof l->device);
  snprintf(l->note, sizeof l->note,
           "(T x %u input bits / %u pin + %u pipeline) clocks / Fmax = (%u x %u + %u) / %.1f MHz "
           "= %lu clocks, %.3f us (iCE40 %s)", l->in_bits, l->in_pins, l->pipeline_clocks, steps,
           l->load_clocks, l->pipeline_clocks, fmax_mhz, l->clocks, l->us, l->device);
}

void ssa_fpga_latency_unfit(unsigned n, unsigned steps, const char *device, ssa_fpga_latency *l) {
  memset(l, 0, sizeof *l);
  l->steps = steps;
  part_name(device, l->device, sizeof l->device);
  snprintf(l->note, sizeof l->note, "not reproduced: N = %u does not fit an iCE40 %s", n,
           l->device);
}

int ssa_fpga_latency_measure(const ssa_design *d, unsigned n, unsigned steps, const char *device,
                             ssa_fpga_latency *l, ssa_error *err) {
  ssa_synth_opts o = {.flow = SSA_FLOW_ICE40, .ice40_device = device};
  ssa_synth_result r;
  int rc = ssa_synth_run(d, &o, &r, err);
  if (rc == SSA_SYNTH_TOO_LARGE) {
    ssa_fpga_latency_unfit(n, steps, device, l);
    return 0;
  }
  if (rc != 0) return -1;
  if (!(r.fmax_mhz > 0)) {
    ssa_synth_result_free(&r);
    return ssa_fail(err, "%s: nextpnr-ice40 reported no Fmax", d->top);
  }
  ssa_fpga_latency_of(d, steps, r.fmax_mhz, device, l);
  ssa_synth_result_free(&r);
  return 0;
}
