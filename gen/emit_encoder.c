/* emit_encoder.c -- Verilog of the encoder bank (see emit_encoder.h). The random numbers come
 * from the plan's PRNG bank (emit_prng.c), exactly as the golden model reads them. */
#include "emit_encoder.h"

#include <stdlib.h>
#include <string.h>

#include "emit_prng.h"
#include "emit_util.h"
#include "rtl_sources.h"

static const char *const bank_name[SSA_GROUP_COUNT] = {"rnd", "rnd_unused"};
static const char *const bank_tag[SSA_GROUP_COUNT] = {"R", "X"};

int ssa_emit_encoder(const ssa_encoder_params *p, const char *line, ssa_design *d,
                     ssa_error *err) {
  memset(d, 0, sizeof *d);
  const ssa_plan *plan = &p->plan;
  const ssa_field_group *g = &plan->group[0];
  unsigned m = p->inputs, b = p->bits;
  uint64_t *used;
  ssa_emitter e;
  if (ssa_emitter_open_bank(&e, plan, &used, "ssa_encoder", err) != 0) return -1;
  FILE *f = e.f;
  snprintf(d->options, sizeof d->options, "%s", line);
  ssa_emit_banner(f, "ssa_encoder.v", "Bernoulli (rate) encoder bank", "encoder", d->options);
  ssa_out(f, "//\n// Parameters\n//   inputs M       %u\n//   bits B         %u\n"
             "//   prng-width W   %u\n//   seed           %llu\n//\n", m, b, p->prng_width,
          (unsigned long long)p->seed);
  ssa_out(f, "// Randomness (core/plan.c): %u LFSRs, each leaping its width in shifts per accepted "
             "step.\n", plan->lfsr_count);
  ssa_emit_prng_group_banner(f, plan, 0);
  ssa_out(f, "// Input m spikes when its number u_m < x_m: P(spike) = x_m / 2^B.\n"
             "// Latency: %u clock from in_valid_i to out_valid_o; one step per clock.\n"
             "// Ports: x_i holds input m in bits [m*B +: B] (unsigned); spike_o bit m is its "
             "spike.\n\n", SSA_ENCODER_LATENCY);
  static const char *const inputs[] = {"x_i"};
  ssa_design_add_stream_ports(d, 0, inputs, 1, m * b, "spike_o", m);
  ssa_out(f, "`timescale 1ns / 1ps\n\n");
  ssa_emit_module_header(f, "ssa_encoder", d->ports, d->port_count, SSA_PORTS_COMPACT);
  ssa_out(f, "  localparam integer M  = %u;\n  localparam integer B  = %u;\n"
             "  localparam integer WR = %u;  // LFSR width\n  localparam [WR-1:0] TAPS_R = %u'h%llx;\n\n",
          m, b, g->width, g->width, (unsigned long long)g->taps);
  ssa_emit_prng_bank(f, plan, bank_name, bank_tag, "in_valid_i");
  ssa_out(f, "\n  // ---- one number per input, compared with its value ----\n"
             "  wire [M-1:0] spike_d;\n");
  for (unsigned k = 0; k < m; k++) {
    ssa_field_ref ref = ssa_plan_field(plan, 0, ssa_plan_bank_number(k));
    used[ref.lfsr] |= ((((uint64_t)1) << b) - 1) << ref.bit;
    ssa_out(f, "  assign spike_d[%u] = rnd[%u][%u +: B] < x_i[%u +: B];\n", k,
            ssa_plan_lfsr_place(plan, ref.lfsr).index, ref.bit, k * b);
  }
  ssa_emit_prng_unused(f, plan, used, bank_name);
  free(used);
  ssa_out(f, "\n");
  ssa_emit_step_register(f, "spike_o", "spike_q", "M", "spike_d", "{M{1'b0}}");
  if (ssa_emitter_close(&e, d, "ssa_encoder.v", err) != 0 ||
      ssa_emit_add_primitive(d, "ssa_lfsr.v", ssa_rtl_lfsr, err) != 0) {
    ssa_design_free(d);
    return -1;
  }
  ssa_design_name(d, "encoder", "ssa_encoder", SSA_ENCODER_LATENCY);
  return 0;
}
