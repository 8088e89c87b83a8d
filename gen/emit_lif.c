/* emit_lif.c -- Verilog of the LIF array (see emit_lif.h). The neuron itself is the
 * hand-written primitive rtl/ssa_lif.v; this file only wires M of them and registers the
 * spikes, so the arithmetic is written once. */
#include "emit_lif.h"

#include <stdio.h>
#include <string.h>

#include "emit_util.h"

#include "rtl_sources.h"

/* `instance_params` for an ssa_lif with these settings and a current of `current` bits. */
static void lif_instance_params(FILE *f, const ssa_lif_params *lif, unsigned current) {
  ssa_out(f, "#(.WIDTH(%u), .CURRENT(%u), .LEAK_SHIFT(%u), .THRESHOLD(%lld), .SUBTRACT(%d))",
          lif->width, current, lif->leak_shift, (long long)lif->threshold,
          lif->reset == SSA_LIF_RESET_SUBTRACT);
}

int ssa_emit_lif_array(const ssa_lif_array_params *p, const char *line, ssa_design *d,
                       ssa_error *err) {
  memset(d, 0, sizeof *d);
  unsigned m = p->neurons, w = p->lif.width;
  ssa_emitter e;
  if (ssa_emitter_open(&e, err) != 0) return -1;
  FILE *f = e.f;
  snprintf(d->options, sizeof d->options, "%s", line);
  ssa_emit_banner(f, "ssa_lif_array.v", "array of leaky integrate-and-fire neurons", "lif",
                  d->options);
  ssa_out(f, "//\n// Parameters\n//   neurons M      %u\n//   width W        %u (membrane and "
             "current, signed)\n//   leak-shift L   %u\n//   threshold TH   %lld\n//   reset   "
             "       %s\n", m, w, p->lif.leak_shift, (long long)p->lif.threshold,
          ssa_lif_reset_name(p->lif.reset));
  ssa_out(f, "//\n// Each neuron, on a clock with in_valid_i (docs/fixed-point.md):\n"
             "//   v = saturate_W(u - (u >>> L) + I); spike = v >= TH; u <= spike ? %s : v\n",
          p->lif.reset == SSA_LIF_RESET_SUBTRACT ? "v - TH" : "0");
  ssa_out(f, "// Latency: %u clock from in_valid_i to out_valid_o; one step per clock.\n",
          SSA_LIF_LATENCY);
  ssa_out(f, "// Ports: current_i holds neuron m's current in bits [m*W +: W]; spike_o bit m is "
             "its spike.\n\n");
  static const char *const inputs[] = {"current_i"};
  ssa_design_add_stream_ports(d, 0, inputs, 1, m * w, "spike_o", m);
  ssa_out(f, "`timescale 1ns / 1ps\n\n");
  ssa_emit_module_header(f, "ssa_lif_array", d->ports, d->port_count, SSA_PORTS_COMPACT);
  ssa_out(f, "  localparam integer M = %u;\n  localparam integer W = %u;\n\n", m, w);
  ssa_out(f, "  wire [M-1:0] spike_d;\n  genvar n;\n  generate\n"
             "    for (n = 0; n < M; n = n + 1) begin : g_neuron\n"
             "      wire [W-1:0] membrane;  // for waveforms\n      ssa_lif ");
  lif_instance_params(f, &p->lif, w);
  ssa_out(f, " u_lif (\n        .clk_i(clk_i), .rst_ni(rst_ni), .en_i(in_valid_i),\n"
             "        .current_i(current_i[n*W +: W]), .spike_o(spike_d[n]), .membrane_o(membrane));\n"
             "      wire unused_membrane = ^membrane;\n    end\n  endgenerate\n\n");
  ssa_out(f, "\n");
  ssa_emit_step_register(f, "spike_o", "spike_q", "M", "spike_d", "{M{1'b0}}");
  if (ssa_emitter_close(&e, d, "ssa_lif_array.v", err) != 0 ||
      ssa_emit_add_lif(d, err) != 0) {
    ssa_design_free(d);
    return -1;
  }
  ssa_design_name(d, "lif", "ssa_lif_array", SSA_LIF_LATENCY);
  return 0;
}
