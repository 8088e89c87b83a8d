/* emit_block.c -- Verilog of the encoder block (see emit_block.h). */
#include "emit_block.h"

#include <string.h>

#include "emit_util.h"
#include "rtl_sources.h"

const char *const ssa_block_layer_names[SSA_BLOCK_LAYERS] = {"q", "k", "v", "o", "fc1", "fc2"};

unsigned ssa_block_latency(const ssa_block_spec *s) {
  return ssa_linear_latency(&s->layer[SSA_BLOCK_Q]) + 1 + ssa_linear_latency(&s->layer[SSA_BLOCK_O]) +
         ssa_linear_latency(&s->layer[SSA_BLOCK_FC1]) +
         ssa_linear_latency(&s->layer[SSA_BLOCK_FC2]) + 1;
}

/* One linear stage: u_<layer> of module ssa_block_<layer>. */
static void emit_stage(FILE *f, const ssa_block_spec *s, unsigned k, const char *valid,
                       const char *x, const char *out_valid, const char *y) {
  const char *name = ssa_block_layer_names[k];
  ssa_out(f, "  ssa_block_%s u_%s (\n    .clk_i(clk_i), .rst_ni(rst_ni), .in_valid_i(%s),\n", name,
          name, valid);
  if (s->layer[k].fold != 0) ssa_out(f, "    .in_ready_o(unused_ready_%s),\n", name);
  ssa_out(f, "    .x_i(%s), .out_valid_o(%s), .y_o(%s));\n", x, out_valid, y);
}

static int emit_top(const ssa_block_spec *s, const char *options, ssa_design *d, ssa_error *err) {
  unsigned n = s->tokens, e = s->embed, m = s->hidden;
  ssa_emitter em;
  if (ssa_emitter_open(&em, err) != 0) return -1;
  FILE *f = em.f;
  ssa_emit_banner(f, "ssa_block.v", "Spikformer-style encoder block", "block", options);
  ssa_out(f, "//\n//   Q, K, V = LIF(Linear(X));  A = %s(Q, K, V);  Y = LIF(Linear_o(A)) | X;\n"
             "//   out = LIF(fc2(LIF(fc1(Y)))) | Y     ('|': the residual sum of spikes, saturated)\n",
          s->attention->top);
  ssa_out(f, "// tokens N %u, embedding E %u, MLP hidden M %u; layers (ssa_block_<name>.v):\n", n, e, m);
  for (unsigned k = 0; k < SSA_BLOCK_LAYERS; k++) {
    ssa_out(f, "// %s:\n", ssa_block_layer_names[k]);
    ssa_emit_linear_summary(f, &s->layer[k]);
  }
  ssa_out(f, "// Latency: %u clocks from in_valid_i to out_valid_o (q/k/v %u, attention 1, o %u, "
             "fc1 %u,\n//   fc2 %u, output register 1); in_ready_o is low meanwhile.\n"
             "// Ports: x_i and y_o are N x E spike matrices, bit n*E + c = token n, column c.\n\n",
          ssa_block_latency(s), ssa_linear_latency(&s->layer[SSA_BLOCK_Q]),
          ssa_linear_latency(&s->layer[SSA_BLOCK_O]), ssa_linear_latency(&s->layer[SSA_BLOCK_FC1]),
          ssa_linear_latency(&s->layer[SSA_BLOCK_FC2]));
  ssa_out(f, "`timescale 1ns / 1ps\n\n");
  ssa_emit_module_header(f, "ssa_block", d->ports, d->port_count, SSA_PORTS_COMPACT);
  ssa_out(f, "  reg           busy_q;\n  reg [%u:0] x_q;  // the step's input, for the first residual\n"
             "  wire          accept = in_valid_i & ~busy_q;\n", n * e - 1);
  for (unsigned k = 0; k < SSA_BLOCK_LAYERS; k++)
    if (s->layer[k].fold != 0) ssa_out(f, "  wire          unused_ready_%s;\n", ssa_block_layer_names[k]);
  ssa_out(f, "  wire          q_valid, k_valid, v_valid, a_valid, o_valid, h_valid, z_valid;\n"
             "  wire [%u:0] q, k, v, a, o, y_res;\n  wire [%u:0] h;\n  wire [%u:0] z;\n\n",
          n * e - 1, n * m - 1, n * e - 1);
  emit_stage(f, s, SSA_BLOCK_Q, "accept", "x_i", "q_valid", "q");
  emit_stage(f, s, SSA_BLOCK_K, "accept", "x_i", "k_valid", "k");
  emit_stage(f, s, SSA_BLOCK_V, "accept", "x_i", "v_valid", "v");
  ssa_out(f, "  // q, k and v finish together (same shape, same fold)\n"
             "  wire unused_kv_valid = k_valid ^ v_valid;\n"
             "  %s u_attention (\n    .clk_i(clk_i), .rst_ni(rst_ni), .in_valid_i(q_valid),\n"
             "    .q_i(q), .k_i(k), .v_i(v), .out_valid_o(a_valid), .o_o(a));\n",
          s->attention->top);
  emit_stage(f, s, SSA_BLOCK_O, "a_valid", "a", "o_valid", "o");
  ssa_out(f, "  assign y_res = o | x_q;\n");
  emit_stage(f, s, SSA_BLOCK_FC1, "o_valid", "y_res", "h_valid", "h");
  emit_stage(f, s, SSA_BLOCK_FC2, "h_valid", "h", "z_valid", "z");
  ssa_out(f, "\n  reg           out_valid_q;\n  reg [%u:0] y_q;\n\n"
             "  always @(posedge clk_i) begin\n    if (!rst_ni) begin\n"
             "      busy_q      <= 1'b0;\n      x_q         <= %u'd0;\n      y_q         <= %u'd0;\n"
             "      out_valid_q <= 1'b0;\n    end else begin\n      out_valid_q <= z_valid;\n"
             "      if (accept) begin\n        busy_q <= 1'b1;\n        x_q    <= x_i;\n      end\n"
             "      if (z_valid) begin\n        busy_q <= 1'b0;\n        y_q    <= z | y_res;\n"
             "      end\n    end\n  end\n\n"
             "  assign in_ready_o  = ~busy_q;\n  assign out_valid_o = out_valid_q;\n"
             "  assign y_o         = y_q;\nendmodule\n", n * e - 1, n * e, n * e);
  return ssa_emitter_close(&em, d, "ssa_block.v", err);
}

static int emit_layer(const ssa_block_spec *s, unsigned k, const char *options, ssa_design *d,
                      ssa_error *err) {
  char name[64], file[80], what[96];
  snprintf(name, sizeof name, "ssa_block_%s", ssa_block_layer_names[k]);
  snprintf(file, sizeof file, "%s.v", name);
  snprintf(what, sizeof what, "layer '%s' of the encoder block", ssa_block_layer_names[k]);
  ssa_emitter em;
  if (ssa_emitter_open(&em, err) != 0) return -1;
  ssa_emit_banner(em.f, file, what, "block", options);
  ssa_emit_linear_summary(em.f, &s->layer[k]);
  ssa_out(em.f, "\n`timescale 1ns / 1ps\n\n");
  ssa_emit_linear_module(em.f, &s->layer[k], name);
  return ssa_emitter_close(&em, d, file, err);
}

int ssa_emit_block(const ssa_block_spec *s, const char *options, ssa_design *d, ssa_error *err) {
  memset(d, 0, sizeof *d);
  static const char *const inputs[] = {"x_i"};
  ssa_design_add_stream_ports(d, 1, inputs, 1, s->tokens * s->embed, "y_o", s->tokens * s->embed);
  int rc = emit_top(s, options, d, err);
  for (unsigned k = 0; rc == 0 && k < SSA_BLOCK_LAYERS; k++) rc = emit_layer(s, k, options, d, err);
  /* the attention's own files (its top, then primitives), then the LIF primitives */
  for (unsigned k = 0; rc == 0 && k < s->attention->file_count; k++) {
    const ssa_design_file *file = &s->attention->files[k];
    if (ssa_design_add_file(d, file->name, file->text, file->len, 0) != 0)
      rc = ssa_fail(err, "out of memory while generating ssa_block");
  }
  if (rc == 0) rc = ssa_emit_add_lif(d, err);
  if (rc != 0) {
    ssa_design_free(d);
    return -1;
  }
  ssa_design_name(d, "block", "ssa_block", ssa_block_latency(s));
  d->interval = d->latency;
  return 0;
}
