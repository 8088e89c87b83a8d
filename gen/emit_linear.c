/* emit_linear.c -- Verilog of the spiking linear layer (see emit_linear.h). */
#include "emit_linear.h"

#include <string.h>

#include "../core/weights.h"
#include "emit_util.h"

static unsigned ceil_div(unsigned a, unsigned b) { return (a + b - 1) / b; }
static unsigned bits_for(unsigned count) { /* width of a counter of 0 .. count-1, at least 1 */
  unsigned n = 1;
  while ((1u << n) < count) n++;
  return n;
}

unsigned ssa_linear_latency(const ssa_linear_spec *s) {
  /* folded: the accepting edge, then one edge per (token, chunk) */
  return s->fold == 0 ? 1 : s->tokens * ceil_div(s->layer->cols, s->fold) + 1;
}

unsigned ssa_linear_interval(const ssa_linear_spec *s) {
  return ssa_linear_latency(s);
}

void ssa_emit_linear_summary(FILE *f, const ssa_linear_spec *s) {
  unsigned in = s->layer->cols, out = s->layer->rows;
  unsigned a = ssa_linear_current_bits(in, s->weight_bits);
  ssa_out(f, "//   tokens N %u, inputs I %u, outputs O %u, weights %u-bit signed, currents %u-bit\n",
          s->tokens, in, out, s->weight_bits, a);
  ssa_out(f, "//   LIF: width %u, leak-shift %u, threshold %lld, reset %s\n", s->lif.width,
          s->lif.leak_shift, (long long)s->lif.threshold, ssa_lif_reset_name(s->lif.reset));
  if (s->fold == 0)
    ssa_out(f, "//   parallel: N*O adder trees of constant weights; latency 1, one step per clock\n");
  else
    ssa_out(f, "//   folded by %u: ROM of %u rows x %u weights, O accumulators; a step takes 1 + N * %u"
               " = %u clocks\n//   (the latency; in_ready_o is low meanwhile, so a step is accepted "
               "every %u clocks)\n", s->fold, ceil_div(in, s->fold), out * s->fold,
            ceil_div(in, s->fold), ssa_linear_latency(s), ssa_linear_interval(s));
}

static void emit_ports(FILE *f, const ssa_linear_spec *s, const char *name) {
  unsigned in = s->layer->cols, out = s->layer->rows;
  /* the ports of the linear kind's design (kinds/kind_linear.c), in_ready_o when folded */
  static const char *const inputs[] = {"x_i"};
  ssa_design ports = {0};
  ssa_design_add_stream_ports(&ports, s->fold != 0, inputs, 1, s->tokens * in, "y_o",
                              s->tokens * out);
  ssa_emit_module_header(f, name, ports.ports, ports.port_count, SSA_PORTS_COMPACT);
  ssa_out(f, "  localparam integer N = %u;  // tokens\n", s->tokens);
  if (s->fold != 0) ssa_out(f, "  localparam integer I = %u;  // inputs\n", in); /* folded only */
  ssa_out(f, "  localparam integer O = %u;  // outputs\n  localparam integer A = %u;  // current "
             "bits, signed\n", out, ssa_linear_current_bits(in, s->weight_bits));
}

static void emit_literal(FILE *f, unsigned bits, long long v) {
  if (v < 0) ssa_out(f, "-%u'sd%lld", bits, -v);
  else ssa_out(f, "%u'sd%lld", bits, v);
}

/* One LIF per (token, output), stepping on en_tok[n], fed with current(n, o). */
static void emit_neurons(FILE *f, const ssa_linear_spec *s, const char *enable,
                         const char *current) {
  ssa_out(f, "  genvar n, o;\n  generate\n    for (n = 0; n < N; n = n + 1) begin : g_token\n"
             "      for (o = 0; o < O; o = o + 1) begin : g_neuron\n"
             "        wire [%u:0] membrane;  // for waveforms\n"
             "        ssa_lif #(.WIDTH(%u), .CURRENT(A), .LEAK_SHIFT(%u), .THRESHOLD(%lld), "
             ".SUBTRACT(%d)) u_lif (\n"
             "          .clk_i(clk_i), .rst_ni(rst_ni), .en_i(%s), .current_i(%s),\n"
             "          .spike_o(spike_d[n*O + o]), .membrane_o(membrane));\n"
             "        wire unused_membrane = ^membrane;\n      end\n    end\n  endgenerate\n",
          s->lif.width - 1, s->lif.width, s->lif.leak_shift, (long long)s->lif.threshold,
          s->lif.reset == SSA_LIF_RESET_SUBTRACT, enable, current);
}

static void emit_parallel(FILE *f, const ssa_linear_spec *s) {
  const ssa_weight_layer *w = s->layer;
  unsigned in = w->cols, out = w->rows, a = ssa_linear_current_bits(in, s->weight_bits);
  ssa_out(f, "\n  // ---- currents: constant weights added where the input spiked ----\n"
             "  wire signed [A-1:0] current [0:N*O-1];\n");
  for (unsigned n = 0; n < s->tokens; n++)
    for (unsigned o = 0; o < out; o++) {
      ssa_out(f, "  assign current[%u] =", n * out + o);
      unsigned terms = 0;
      for (unsigned i = 0; i < in; i++) {
        int32_t v = w->w[(size_t)o * in + i];
        if (v == 0) continue;
        ssa_out(f, "%s(x_i[%u] ? ", terms % 4 == 3 ? "\n      + " : terms ? " + " : " ", n * in + i);
        emit_literal(f, a, v);
        ssa_out(f, " : %u'sd0)", a);
        terms++;
      }
      if (terms == 0) ssa_out(f, " {A{1'b0}}");
      ssa_out(f, ";\n");
    }
  ssa_out(f, "\n  wire [N*O-1:0] spike_d;\n");
  emit_neurons(f, s, "in_valid_i", "current[n*O + o]");
  char zero[32];
  snprintf(zero, sizeof zero, "%u'd0", s->tokens * out);
  ssa_out(f, "\n");
  ssa_emit_step_register(f, "y_o", "y_q", "N*O", "spike_d", zero);
}

/* ROM row c: weight (o, c*F + f) at bits [(o*F + f)*b +: b], zero past the last input. */
static void emit_rom(FILE *f, const ssa_linear_spec *s, unsigned chunks, unsigned chunk_bits) {
  const ssa_weight_layer *w = s->layer;
  unsigned in = w->cols, out = w->rows, b = s->weight_bits, fold = s->fold;
  unsigned row_bits = out * fold * b;
  ssa_out(f, "\n  // ---- weight ROM: row c holds W[o, c*F + f] at bits [(o*F + f)*B +: B] ----\n"
             "  reg [O*F*B-1:0] rom_row;\n  always @* begin\n    case (chunk_q)\n");
  for (unsigned c = 0; c < chunks; c++) {
    ssa_out(f, "      %u'd%u: rom_row = %u'h", chunk_bits, c, row_bits);
    /* hex digits from the most significant: digit k covers bits [4k, 4k+4) */
    for (unsigned k = (row_bits + 3) / 4; k-- > 0;) {
      unsigned digit = 0;
      for (unsigned bit = 0; bit < 4; bit++) {
        unsigned pos = 4 * k + bit;
        if (pos >= row_bits) continue;
        unsigned slot = pos / b, o = slot / fold, i = c * fold + slot % fold;
        int32_t v = i < in ? w->w[(size_t)o * in + i] : 0;
        digit |= (((uint32_t)v >> (pos % b)) & 1u) << bit;
      }
      ssa_out(f, "%x", digit);
    }
    ssa_out(f, ";\n");
  }
  /* sized zeros, not replications: Verilator flags replications beyond 8k bits */
  ssa_out(f, "      default: rom_row = %u'd0;\n    endcase\n  end\n", row_bits);
}

static void emit_folded(FILE *f, const ssa_linear_spec *s) {
  unsigned in = s->layer->cols, fold = s->fold, chunks = ceil_div(in, fold);
  unsigned token_bits = bits_for(s->tokens), chunk_bits = bits_for(chunks);
  ssa_out(f, "  localparam integer B = %u;  // weight bits\n  localparam integer F = %u;  // inputs "
             "per clock\n  localparam integer C = %u;  // clocks per token, ceil(I / F)\n"
             "  localparam integer P = C * F;  // a token's inputs, padded\n\n", s->weight_bits,
          fold, chunks);
  ssa_out(f, "  // ---- control: accept a step, then token after token, F inputs per clock ----\n"
             "  reg           busy_q;\n  reg [%u:0]     token_q;\n  reg [%u:0]     chunk_q;\n"
             "  reg [N*P-1:0] x_q;  // the step's inputs, shifted right by F every clock\n"
             "  wire          accept     = in_valid_i & ~busy_q;\n"
             "  wire          last_chunk = chunk_q == %u'd%u;\n"
             "  wire          last_token = token_q == %u'd%u;\n"
             "  wire [F-1:0]  x_now      = x_q[F-1:0];\n  wire [N*P-1:0] x_padded;\n",
          token_bits - 1, chunk_bits - 1, chunk_bits, chunks - 1, token_bits, s->tokens - 1);
  ssa_out(f, "  genvar t;\n  generate\n    for (t = 0; t < N; t = t + 1) begin : g_pad\n");
  if (chunks * fold > in)
    ssa_out(f, "      assign x_padded[t*P +: P] = {{(P-I){1'b0}}, x_i[t*I +: I]};\n");
  else
    ssa_out(f, "      assign x_padded[t*P +: P] = x_i[t*I +: I];\n");
  ssa_out(f, "    end\n  endgenerate\n");
  emit_rom(f, s, chunks, chunk_bits);
  ssa_out(f, "\n  // ---- O accumulators: F weights added per clock where the input spiked ----\n"
             "  wire signed [A-1:0] current [0:O-1];  // a token's full sum, on its last clock\n"
             "  genvar g;\n  generate\n    for (g = 0; g < O; g = g + 1) begin : g_acc\n"
             "      reg signed [A-1:0] acc_q;\n      reg signed [A-1:0] partial;\n"
             "      integer k;\n      always @* begin\n        partial = acc_q;\n"
             "        for (k = 0; k < F; k = k + 1) begin\n"
             "          if (x_now[k]) begin\n"
             "            partial = partial + {{(A-B){rom_row[(g*F + k)*B + B - 1]}}, "
             "rom_row[(g*F + k)*B +: B]};\n          end\n        end\n      end\n"
             "      assign current[g] = partial;\n"
             "      always @(posedge clk_i) begin\n        if (!rst_ni || accept || (busy_q && last_chunk)) begin\n"
             "          acc_q <= {A{1'b0}};\n        end else if (busy_q) begin\n"
             "          acc_q <= partial;\n        end\n      end\n    end\n  endgenerate\n");
  ssa_out(f, "\n  // ---- neurons: O LIF cores; token n's O membranes sit in entry n of a memory per\n"
             "  // output and step on the token's last clock ----\n"
             "  wire [O-1:0]   spike_now;  // the current token's spikes, on its last clock\n"
             "  wire [N-1:0]   en_token;\n  wire [N*O-1:0] y_next;\n  reg  [N*O-1:0] y_work_q;\n");
  for (unsigned n = 0; n < s->tokens; n++)
    ssa_out(f, "  assign en_token[%u] = busy_q & last_chunk & (token_q == %u'd%u);\n", n, token_bits, n);
  ssa_out(f, "  generate\n    for (t = 0; t < N; t = t + 1) begin : g_next\n"
             "      assign y_next[t*O +: O] = en_token[t] ? spike_now : y_work_q[t*O +: O];\n"
             "    end\n    for (g = 0; g < O; g = g + 1) begin : g_neuron\n"
             "      reg  [%u:0] membrane_q [0:N-1];  // token n's membrane of output g\n"
             "      wire [%u:0] membrane_next;\n      integer n;\n"
             "      ssa_lif_core #(.WIDTH(%u), .CURRENT(A), .LEAK_SHIFT(%u), .THRESHOLD(%lld), "
             ".SUBTRACT(%d)) u_lif (\n"
             "        .membrane_i(membrane_q[token_q]), .current_i(current[g]),\n"
             "        .spike_o(spike_now[g]), .membrane_o(membrane_next));\n"
             "      always @(posedge clk_i) begin\n        if (!rst_ni) begin\n"
             "          for (n = 0; n < N; n = n + 1) begin\n            membrane_q[n] <= %u'd0;\n"
             "          end\n        end else if (busy_q && last_chunk) begin\n"
             "          membrane_q[token_q] <= membrane_next;\n        end\n      end\n"
             "    end\n  endgenerate\n",
          s->lif.width - 1, s->lif.width - 1, s->lif.width, s->lif.leak_shift,
          (long long)s->lif.threshold, s->lif.reset == SSA_LIF_RESET_SUBTRACT, s->lif.width);
  ssa_out(f, "\n  reg           out_valid_q;\n  reg [N*O-1:0] y_q;\n\n"
             "  always @(posedge clk_i) begin\n    if (!rst_ni) begin\n"
             "      busy_q      <= 1'b0;\n      token_q     <= %u'd0;\n      chunk_q     <= %u'd0;\n"
             "      x_q         <= %u'd0;\n      y_work_q    <= %u'd0;\n"
             "      y_q         <= %u'd0;\n      out_valid_q <= 1'b0;\n"
             "    end else begin\n      out_valid_q <= 1'b0;\n"
             "      if (accept) begin\n        busy_q  <= 1'b1;\n        token_q <= %u'd0;\n"
             "        chunk_q <= %u'd0;\n        x_q     <= x_padded;\n"
             "      end else if (busy_q) begin\n        x_q <= x_q >> F;\n"
             "        if (last_chunk) begin\n          chunk_q  <= %u'd0;\n"
             "          token_q  <= last_token ? %u'd0 : token_q + %u'd1;\n"
             "          y_work_q <= y_next;\n"
             "          if (last_token) begin\n            busy_q      <= 1'b0;\n"
             "            y_q         <= y_next;\n            out_valid_q <= 1'b1;\n          end\n"
             "        end else begin\n          chunk_q <= chunk_q + %u'd1;\n        end\n"
             "      end\n    end\n  end\n\n"
             "  assign in_ready_o  = ~busy_q;\n  assign out_valid_o = out_valid_q;\n"
             "  assign y_o         = y_q;\nendmodule\n",
          token_bits, chunk_bits, s->tokens * chunks * fold, s->tokens * s->layer->rows,
          s->tokens * s->layer->rows, token_bits, chunk_bits, chunk_bits, token_bits, token_bits,
          chunk_bits);
}

void ssa_emit_linear_module(FILE *f, const ssa_linear_spec *s, const char *name) {
  emit_ports(f, s, name);
  if (s->fold == 0) emit_parallel(f, s);
  else emit_folded(f, s);
}
