/* emit_encoder.c -- Verilog of the encoder bank (see emit_encoder.h). The random numbers come
 * from the plan's PRNG bank (emit_prng.c), exactly as the golden model reads them. */
#include "emit_encoder.h"

#include <stdlib.h>
#include <string.h>

#include "emit_part.h"
#include "emit_prng.h"
#include "emit_util.h"
#include "rtl_sources.h"

static const char *const bank_name[SSA_GROUP_COUNT] = {"rnd", "rnd_unused"};
static const char *const bank_tag[SSA_GROUP_COUNT] = {"R", "X"};

/* random=sobol: the bank's select, a B-bit step counter (reset to 0) with its bits reversed
 * (the first Sobol dimension, core/sobol.h), as a part so that synthesis counts it as PRNG. */
static int emit_vdc_part(ssa_design *d, unsigned bits, ssa_error *err) {
  char params[16];
  snprintf(params, sizeof params, "B=%u", bits);
  ssa_emitter pe;
  if (ssa_part_open(&pe, "ssa_part_prng_vdc", "the bank's van der Corput select", params, err) != 0)
    return -1;
  FILE *f = pe.f;
  ssa_out(f, "module ssa_part_prng_vdc (\n");
  ssa_part_port(f, "input", 0, "clk_i", 0, "clock");
  ssa_part_port(f, "input", 0, "rst_ni", 0, "synchronous reset, active low: the counter to 0");
  ssa_part_port(f, "input", 0, "en_i", 0, "advance one step");
  ssa_part_port(f, "output", bits, "select_o", 1, "the step count's bits reversed");
  ssa_out(f, ");\n");
  ssa_part_step_counter(f, bits);
  for (unsigned k = 0; k < bits; k++)
    ssa_out(f, "  assign select_o[%u] = step_q[%u];\n", bits - 1 - k, k);
  ssa_out(f, "endmodule\n");
  return ssa_part_close(&pe, d, "ssa_part_prng_vdc", params, 1, err);
}

int ssa_emit_encoder(const ssa_encoder_params *p, const char *line, ssa_design *d,
                     ssa_error *err) {
  memset(d, 0, sizeof *d);
  const ssa_plan *plan = &p->plan;
  const ssa_field_group *g = &plan->group[0];
  unsigned m = p->inputs, b = p->bits;
  int sobol = p->random == SSA_RANDOM_SOBOL;
  uint64_t *used;
  ssa_emitter e;
  if (ssa_emitter_open_bank(&e, plan, &used, "ssa_encoder", err) != 0) return -1;
  FILE *f = e.f;
  snprintf(d->options, sizeof d->options, "%s", line);
  ssa_emit_banner(f, "ssa_encoder.v", "Bernoulli (rate) encoder bank", "encoder", d->options);
  ssa_out(f, "//\n// Parameters\n//   inputs M       %u\n//   bits B         %u\n"
             "//   prng-width W   %u\n//   seed           %llu\n", m, b, p->prng_width,
          (unsigned long long)p->seed);
  ssa_out(f, "//   random         %s\n", ssa_random_name(p->random));
  ssa_out(f, "//\n");
  if (sobol) {
    ssa_out(f, "// Randomness (core/plan.c): one %u-bit step counter, its bits reversed (van der "
               "Corput), XOR a\n//   constant per input: over every %u steps each number takes "
               "every value once.\n", b, 1u << b);
  } else {
    ssa_out(f, "// Randomness (core/plan.c): %u LFSRs, each leaping its width in shifts per "
               "accepted step.\n", plan->lfsr_count);
    ssa_emit_prng_group_banner(f, plan, 0);
  }
  ssa_out(f, "// Input m spikes when its number u_m < x_m: P(spike) = x_m / 2^B.\n"
             "// Latency: %u clock from in_valid_i to out_valid_o; one step per clock.\n"
             "// Ports: x_i holds input m in bits [m*B +: B] (unsigned); spike_o bit m is its "
             "spike.\n\n", SSA_ENCODER_LATENCY);
  static const char *const inputs[] = {"x_i"};
  ssa_design_add_stream_ports(d, 0, inputs, 1, m * b, "spike_o", m);
  ssa_out(f, "`timescale 1ns / 1ps\n\n");
  ssa_emit_module_header(f, "ssa_encoder", d->ports, d->port_count, SSA_PORTS_COMPACT);
  ssa_out(f, "  localparam integer M  = %u;\n  localparam integer B  = %u;\n", m, b);
  if (sobol) {
    ssa_out(f, "\n  // ---- the bank's select: one counter, advanced per accepted step ----\n"
               "  wire [B-1:0] vdc;\n  ssa_part_prng_vdc u_vdc (\n    .clk_i(clk_i), "
               ".rst_ni(rst_ni), .en_i(in_valid_i), .select_o(vdc));\n");
  } else {
    ssa_out(f, "  localparam integer WR = %u;  // LFSR width\n  localparam [WR-1:0] TAPS_R = "
               "%u'h%llx;\n\n", g->width, g->width, (unsigned long long)g->taps);
    ssa_emit_prng_bank(f, plan, bank_name, bank_tag, "in_valid_i");
  }
  ssa_out(f, "\n  // ---- one number per input, compared with its value ----\n"
             "  wire [M-1:0] spike_d;\n");
  for (unsigned k = 0; k < m; k++) {
    ssa_out(f, "  assign spike_d[%u] = ", k);
    if (sobol) ssa_out(f, "(vdc ^ %u'd%u)", b, plan->offsets[0][k]);
    else ssa_emit_number_bits(f, plan, 0, ssa_plan_bank_number(k), bank_name, used);
    ssa_out(f, " < x_i[%u +: B];\n", k * b);
  }
  ssa_emit_prng_unused(f, plan, used, bank_name);
  free(used);
  ssa_out(f, "\n");
  ssa_emit_step_register(f, "spike_o", "spike_q", "M", "spike_d", "{M{1'b0}}");
  int rc = ssa_emitter_close(&e, d, "ssa_encoder.v", err);
  if (rc == 0 && sobol) rc = emit_vdc_part(d, b, err);
  if (rc == 0 && sobol) rc = ssa_part_glue(d, "ssa_encoder", m + 1, err);
  if (rc == 0 && !sobol) rc = ssa_emit_add_primitive(d, "ssa_lfsr.v", ssa_rtl_lfsr, err);
  if (rc != 0) {
    ssa_design_free(d);
    return -1;
  }
  ssa_design_name(d, "encoder", "ssa_encoder", SSA_ENCODER_LATENCY);
  return 0;
}
