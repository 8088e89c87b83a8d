/* emit_exact.c -- Verilog of exact spiking attention, the Spikformer baseline (see
 * emit_exact.h). Only wiring: the scores are rtl/ssa_popcount.v, the neurons rtl/ssa_lif.v,
 * so the arithmetic the golden model mirrors is written once; the score, the sum and the
 * neuron are each a part (gen/emit_part.h), a module of its own. */
#include "emit_exact.h"

#include <string.h>

#include "emit_part.h"
#include "emit_util.h"
#include "rtl_sources.h"

static unsigned log2_u(unsigned v) { /* v a power of two */
  unsigned n = 0;
  while ((1u << n) < v) n++;
  return n;
}

void ssa_emit_exact_attention_summary(FILE *f, const ssa_exact_attention_params *p) {
  unsigned n = p->tokens, d = p->dim, h = p->heads, e = h * d, s = p->scale_shift;
  int subtract = p->lif.reset == SSA_LIF_RESET_SUBTRACT;
  ssa_out(f, "//\n// Parameters\n//   tokens N       %u\n//   dim D          %u (per head)\n"
             "//   heads H        %u\n//   embedding E    %u (= H * D)\n"
             "//   scale-shift s  %u (scale 2^-%u)\n", n, d, h, e, s, s);
  ssa_out(f, "//   LIF            width W %u, leak-shift L %u, threshold 2^s = %lld, reset %s\n",
          p->lif.width, p->lif.leak_shift, (long long)p->lif.threshold,
          ssa_lif_reset_name(p->lif.reset));
  ssa_out(f, "//\n// Per head h, each accepted step (golden/exact_attention.h, "
             "docs/fixed-point.md):\n"
             "//   S_ij = popcount(Q[i, hD +: D] & K[j, hD +: D])   0 .. D, %u bits\n"
             "//   A_id = sum over j with V[j, hD+d] = 1 of S_ij     0 .. N*D, %u bits\n",
          log2_u(d) + 1, ssa_exact_attention_sum_bits(p));
  ssa_out(f, "//   O[i, hD+d] = spike of LIF(A_id * 2^-s) at threshold 0.5. In fixed point with "
             "s+1 = %u\n//   fraction bits: current I = 2 * A = {1'b0, A, 1'b0} (%u bits, signed, "
             "exact) and\n//   threshold 2^s = %lld, both integers; one neuron per output:\n"
             "//   v = saturate_W(u - (u >>> L) + I); spike = v >= 2^s; u <= spike ? %s : v\n",
          s + 1, ssa_exact_attention_current_bits(p), (long long)p->lif.threshold,
          subtract ? "v - 2^s" : "0");
  ssa_out(f, "// Resources: H*N*N = %u popcounts of D bits, N*E = %u adders of N scores, N*E LIF "
             "neurons.\n", h * n * n, n * e);
  ssa_out(f, "// Latency: %u clock from in_valid_i to out_valid_o; one step per clock at full "
             "throughput.\n", SSA_EXACT_ATTENTION_LATENCY);
}

/* The ports of both attention kinds, in their designs' order. */
static void emit_ports(FILE *f, unsigned bits, const char *name) {
  static const char *const qkv[] = {"q_i", "k_i", "v_i"};
  ssa_design ports = {0};
  ssa_design_add_stream_ports(&ports, 0, qkv, 3, bits, "o_o", bits);
  ssa_emit_module_header(f, name, ports.ports, ports.port_count, SSA_PORTS_ALIGNED);
}

void ssa_emit_exact_attention_module(FILE *f, const ssa_exact_attention_params *p,
                                     const char *module_name) {
  unsigned bits = p->tokens * p->heads * p->dim;
  emit_ports(f, bits, module_name);
  ssa_out(f, "  localparam integer N  = %u;\n  localparam integer D  = %u;\n"
             "  localparam integer H  = %u;\n  localparam integer E  = %u;  // H * D\n",
          p->tokens, p->dim, p->heads, p->heads * p->dim);
  ssa_out(f, "  localparam integer SB = %u;  // bits of a score S_ij in 0 .. D: log2(D) + 1\n"
             "  localparam integer AB = %u;  // bits of a sum A_id in 0 .. N*D: log2(N*D) + 1\n\n",
          log2_u(p->dim) + 1, ssa_exact_attention_sum_bits(p));
  ssa_out(f, "  // ---- datapath: scores, sums, one LIF neuron per output (i, h, d), each a part "
             "----\n"
             "  wire [N*E-1:0] o_d;  // this step's spikes, bit i*E + h*D + d\n"
             "  genvar h, i, j, d;\n  generate\n"
             "    for (h = 0; h < H; h = h + 1) begin : g_head\n"
             "      for (i = 0; i < N; i = i + 1) begin : g_row\n"
             "        wire [D-1:0]    q_row = q_i[i*E + h*D +: D];\n"
             "        wire [N*SB-1:0] s_row;  // S_ij at [j*SB +: SB]\n"
             "        for (j = 0; j < N; j = j + 1) begin : g_score\n"
             "          ssa_part_exact_score u_score (\n"
             "            .q_i(q_row), .k_i(k_i[j*E + h*D +: D]), .s_o(s_row[j*SB +: SB]));\n"
             "        end\n"
             "        for (d = 0; d < D; d = d + 1) begin : g_out\n"
             "          wire [N-1:0]  v_col;  // V[j, hD+d], j = 0 .. N-1\n"
             "          wire [AB-1:0] sum;    // A_id\n"
             "          for (j = 0; j < N; j = j + 1) begin : g_v\n"
             "            assign v_col[j] = v_i[j*E + h*D + d];\n"
             "          end\n"
             "          ssa_part_exact_sum u_sum (.s_i(s_row), .v_i(v_col), .sum_o(sum));\n"
             "          ssa_part_exact_lif u_lif (\n"
             "            .clk_i(clk_i), .rst_ni(rst_ni), .en_i(in_valid_i), .sum_i(sum),\n"
             "            .spike_o(o_d[i*E + h*D + d]));\n"
             "        end\n      end\n    end\n  endgenerate\n\n");
  /* a sized zero, not {(N*E){1'b0}}: Verilator flags replications beyond 8k bits */
  char zero[32];
  snprintf(zero, sizeof zero, "%u'd0", bits);
  ssa_out(f, "  // ---- output register: the step's spikes one clock after in_valid_i ----\n");
  ssa_emit_step_register(f, "o_o", "o_q", "N*E", "o_d", zero);
}

/* ---- the parts (gen/emit_part.h) ---- */

/* S_ij = popcount(Q[i, hD +: D] & K[j, hD +: D]): D bits in, log2(D) + 1 out. */
static void exact_score(FILE *f, unsigned d, unsigned sb) {
  ssa_out(f, "module ssa_part_exact_score (\n");
  ssa_part_port(f, "input", d, "q_i", 0, "Q[i, hD +: D], D bits");
  ssa_part_port(f, "input", d, "k_i", 0, "K[j, hD +: D]");
  ssa_part_port(f, "output", sb, "s_o", 1, "S_ij = popcount(Q[i, :] & K[j, :])");
  ssa_out(f, ");\n");
  ssa_out(f, "  ssa_popcount #(.WIDTH(%u), .COUNT_WIDTH(%u)) u_count (.bits_i(q_i & k_i), "
             ".count_o(s_o));\nendmodule\n", d, sb);
}

/* A_id = sum over j with V[j, hD+d] = 1 of S_ij. */
static void exact_sum(FILE *f, unsigned n, unsigned sb, unsigned ab) {
  ssa_out(f, "module ssa_part_exact_sum (\n");
  ssa_part_port(f, "input", n * sb, "s_i", 0, "S_ij at [j*SB +: SB], j = 0 .. N-1");
  ssa_part_port(f, "input", n, "v_i", 0, "V[j, hD+d]");
  ssa_part_port(f, "output", ab, "sum_o", 1, "A_id = sum of the S_ij whose V[j, hD+d] is 1");
  ssa_out(f, ");\n");
  /* AB - SB = log2(N) >= 1: the zero extension below is never a zero replication */
  ssa_out(f, "  localparam integer N  = %u;\n  localparam integer SB = %u;\n"
             "  localparam integer AB = %u;\n\n"
             "  reg [AB-1:0] sum;\n  integer k;\n  always @* begin\n    sum = {AB{1'b0}};\n"
             "    for (k = 0; k < N; k = k + 1) begin\n      if (v_i[k]) begin\n"
             "        sum = sum + {{(AB-SB){1'b0}}, s_i[k*SB +: SB]};\n      end\n    end\n"
             "  end\n  assign sum_o = sum;\nendmodule\n", n, sb, ab);
}

/* The output's LIF neuron fed with the current 2 * A_id. */
static void exact_lif(FILE *f, const ssa_exact_attention_params *p, unsigned ab) {
  ssa_out(f, "module ssa_part_exact_lif (\n");
  ssa_part_port(f, "input", 0, "clk_i", 0, "the block's clock");
  ssa_part_port(f, "input", 0, "rst_ni", 0, "its reset: the membrane to 0");
  ssa_part_port(f, "input", 0, "en_i", 0, "in_valid_i: the neuron steps");
  ssa_part_port(f, "input", ab, "sum_i", 0, "A_id");
  ssa_part_port(f, "output", 0, "spike_o", 1, "the spike of this step");
  ssa_out(f, ");\n");
  ssa_out(f, "  wire [%u:0] membrane;  // for waveforms\n"
             "  // current 2 * A, signed: A shifted left by one under a zero sign bit\n"
             "  ssa_lif #(\n"
             "    .WIDTH(%u), .CURRENT(%u), .LEAK_SHIFT(%u), .THRESHOLD(%lld), .SUBTRACT(%d)\n"
             "  ) u_lif (\n"
             "    .clk_i(clk_i), .rst_ni(rst_ni), .en_i(en_i), .current_i({1'b0, sum_i, 1'b0}),\n"
             "    .spike_o(spike_o), .membrane_o(membrane));\n"
             "  wire unused_membrane = ^membrane;\nendmodule\n",
          p->lif.width - 1, p->lif.width, ab + 2, p->lif.leak_shift, (long long)p->lif.threshold,
          p->lif.reset == SSA_LIF_RESET_SUBTRACT);
}

int ssa_emit_exact_attention_parts(const ssa_exact_attention_params *p, ssa_design *d,
                                   ssa_error *err) {
  unsigned n = p->tokens, dim = p->dim, sb = log2_u(dim) + 1;
  unsigned ab = ssa_exact_attention_sum_bits(p);
  unsigned long outputs = (unsigned long)n * p->heads * dim;
  char params[96];
  ssa_emitter e;
  snprintf(params, sizeof params, "D=%u", dim);
  if (ssa_part_open(&e, "ssa_part_exact_score", "a score of the exact spiking attention",
                    params, err) != 0)
    return -1;
  exact_score(e.f, dim, sb);
  if (ssa_part_close(&e, d, "ssa_part_exact_score", params,
                     (unsigned long)p->heads * n * n, err) != 0)
    return -1;
  snprintf(params, sizeof params, "N=%u D=%u", n, dim);
  if (ssa_part_open(&e, "ssa_part_exact_sum", "an output's sum of the exact spiking attention",
                    params, err) != 0)
    return -1;
  exact_sum(e.f, n, sb, ab);
  if (ssa_part_close(&e, d, "ssa_part_exact_sum", params, outputs, err) != 0) return -1;
  snprintf(params, sizeof params, "AB=%u W=%u L=%u TH=%lld reset=%s", ab, p->lif.width,
           p->lif.leak_shift, (long long)p->lif.threshold, ssa_lif_reset_name(p->lif.reset));
  if (ssa_part_open(&e, "ssa_part_exact_lif", "an output's LIF neuron of the exact spiking "
                    "attention", params, err) != 0)
    return -1;
  exact_lif(e.f, p, ab);
  if (ssa_part_close(&e, d, "ssa_part_exact_lif", params, outputs, err) != 0) return -1;
  /* its current, the sum of N scores, grows with N: so do its spikes and membrane swings */
  ssa_design_part_size_dependent(d, "ssa_part_exact_lif");
  /* the glue: the output register, N*E + 1 flip-flops with out_valid */
  return ssa_part_glue(d, "ssa_exact_attention", outputs + 1, err);
}

static int has_file(const ssa_design *d, const char *name) {
  for (unsigned k = 0; k < d->file_count; k++)
    if (strcmp(d->files[k].name, name) == 0) return 1;
  return 0;
}

int ssa_emit_exact_attention_primitives(ssa_design *d, ssa_error *err) {
  if (!has_file(d, "ssa_popcount.v") &&
      ssa_emit_add_primitive(d, "ssa_popcount.v", ssa_rtl_popcount, err) != 0)
    return -1;
  return ssa_emit_add_lif(d, err); /* ssa_lif.v and the files it needs, each once */
}

int ssa_emit_exact_attention(const ssa_exact_attention_params *p, const char *line,
                             ssa_design *d, ssa_error *err) {
  unsigned bits = p->tokens * p->heads * p->dim;
  memset(d, 0, sizeof *d);
  ssa_emitter e;
  if (ssa_emitter_open(&e, err) != 0) return -1;
  snprintf(d->options, sizeof d->options, "%s", line);
  ssa_emit_banner(e.f, "ssa_exact_attention.v", "exact spiking attention",
                  "exact-attention", d->options);
  ssa_out(e.f, "// The Spikformer baseline: (Q K^T V) * 2^-s into LIF neurons, deterministic.\n");
  ssa_emit_exact_attention_summary(e.f, p);
  ssa_out(e.f, "// Ports: q_i, k_i, v_i and o_o are N x E spike matrices; bit (i*E + h*D + d) is "
               "token i,\n//   column h*D + d, as in ssa_attention. The neurons step only on "
               "in_valid_i, so idle clocks\n//   change nothing; o_o holds the last step's spikes "
               "(zero after reset).\n\n`timescale 1ns / 1ps\n\n");
  ssa_emit_exact_attention_module(e.f, p, "ssa_exact_attention");
  if (ssa_emitter_close(&e, d, "ssa_exact_attention.v", err) != 0 ||
      ssa_emit_exact_attention_parts(p, d, err) != 0 ||
      ssa_emit_exact_attention_primitives(d, err) != 0) {
    ssa_design_free(d);
    return -1;
  }
  ssa_design_name(d, "exact-attention", "ssa_exact_attention", SSA_EXACT_ATTENTION_LATENCY);
  static const char *const qkv[] = {"q_i", "k_i", "v_i"};
  ssa_design_add_stream_ports(d, 0, qkv, 3, bits, "o_o", bits);
  return 0;
}
