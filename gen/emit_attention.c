/* emit_attention.c -- Verilog of the stochastic spiking attention block.
 * Wires the hand-written primitives of rtl/ (LFSR, popcount) according to the plan. Each
 * share and reduce mode gets the smallest circuit that realises it: share=unit builds the N*N
 * score units, share=row and share=global with reduce=mux only select what the output stage
 * will read (o_id = Q[i,r] & K[c,r] & V[c,d]), so global needs O(N*D) gates. */
#define _POSIX_C_SOURCE 200809L
#include "emit_attention.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/version.h"
#include "../golden/lfsr.h"
#include "rtl_sources.h"

static void out(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void out(FILE *f, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vfprintf(f, fmt, ap);
  va_end(ap);
}

void ssa_attention_options(const ssa_attention_params *p, char *buf, size_t len) {
  snprintf(buf, len, "--tokens %u --dim %u --heads %u --reduce %s --share %s --prng-width %u --seed %llu",
           p->tokens, p->dim, p->heads, ssa_reduce_name(p->reduce), ssa_share_name(p->share),
           p->prng_width, (unsigned long long)p->seed);
}

static void emit_banner(FILE *f, const ssa_plan *plan) {
  const ssa_attention_params *p = &plan->params;
  char opts[512];
  ssa_attention_options(p, opts, sizeof opts);
  out(f, "//\n// Randomness (gen/plan.c): %u LFSRs, each leaping its width in shifts per accepted "
      "step.\n", plan->lfsr_count);
  for (unsigned k = 0; k < SSA_GROUP_COUNT; k++) {
    const ssa_field_group *g = &plan->group[k];
    unsigned exps[6], n = ssa_lfsr_poly(g->width, exps);
    out(f, "//   %-6s stage: %u LFSRs of %u bits, x^%u", g->name, g->lfsr_count, g->width, exps[0]);
    for (unsigned e = 1; e < n; e++) out(f, exps[e] ? " + x^%u" : " + 1", exps[e]);
    out(f, "; %u numbers of %u bits;\n//     seeds %s\n", g->majors * g->lanes, g->bits,
        g->spaced ? "evenly spaced on the m-sequence, at least W shifts apart"
                  : "distinct but not spaced (too many LFSRs for this width): some overlap");
  }
  out(f, "//   Widths W and W+1 have coprime periods, so every output's select is independent of\n"
      "//   the score selects it reads. %llu of %llu random bits used per step.\n",
      (unsigned long long)ssa_plan_random_bits(plan), (unsigned long long)ssa_plan_state_bits(plan));
  out(f, "//\n// Latency: %u clock from in_valid_i to out_valid_o; one step per clock at full "
      "throughput.\n", SSA_ATTENTION_LATENCY);
  out(f, "// Ports: q_i, k_i, v_i and o_o are N x E spike matrices; bit (i*E + h*D + d) is token i,\n"
         "//   column h*D + d. Random numbers advance only on in_valid_i, so idle clocks change "
         "nothing.\n\n");
}

static void emit_ports(FILE *f, unsigned bits) {
  out(f, "`timescale 1ns / 1ps\n\nmodule ssa_attention (\n");
  out(f, "  input  wire %-12s clk_i,\n", "");
  out(f, "  input  wire %-12s rst_ni,\n", "");
  out(f, "  input  wire %-12s in_valid_i,\n", "");
  char range[32];
  snprintf(range, sizeof range, "[%u:0]", bits - 1);
  out(f, "  input  wire %-12s q_i,\n  input  wire %-12s k_i,\n  input  wire %-12s v_i,\n", range,
      range, range);
  out(f, "  output wire %-12s out_valid_o,\n", "");
  out(f, "  output wire %-12s o_o\n);\n", range);
}

static void emit_params(FILE *f, const ssa_plan *plan) {
  const ssa_attention_params *p = &plan->params;
  out(f, "  localparam integer N  = %u;\n", p->tokens);
  out(f, "  localparam integer D  = %u;\n", p->dim);
  out(f, "  localparam integer H  = %u;\n", p->heads);
  out(f, "  localparam integer E  = %u;  // H * D\n", p->heads * p->dim);
  out(f, "  localparam integer SB = %u;  // bits of a score-stage number, log2(D)\n",
      plan->group[SSA_GROUP_SCORE].bits);
  out(f, "  localparam integer OB = %u;  // bits of an output-stage number, log2(N)\n",
      plan->group[SSA_GROUP_OUTPUT].bits);
  for (unsigned k = 0; k < SSA_GROUP_COUNT; k++) {
    const ssa_field_group *g = &plan->group[k];
    const char *tag = k == SSA_GROUP_SCORE ? "S" : "O";
    out(f, "  localparam integer W%s = %u;  // %s-stage LFSR width\n", tag, g->width, g->name);
    out(f, "  localparam [W%s-1:0] TAPS_%s = %u'h%llx;\n", tag, tag, g->width,
        (unsigned long long)g->taps);
  }
  out(f, "\n");
}

/* The PRNG bank: one instance per LFSR, each with its own seed, its state one element of a net
 * array per stage (rnd_s, rnd_o). Arrays rather than one wide bus: a simulator that
 * propagates whole nets (Icarus) would otherwise copy the bus to every reader on every write. */
static const char *const bank_name[SSA_GROUP_COUNT] = {"rnd_s", "rnd_o"};
static const char *const width_name[SSA_GROUP_COUNT] = {"WS", "WO"};

static void emit_prng(FILE *f, const ssa_plan *plan) {
  out(f, "  // ---- PRNG bank: %u LFSRs, one leap per accepted step ----\n", plan->lfsr_count);
  for (unsigned g = 0; g < SSA_GROUP_COUNT; g++) {
    const ssa_field_group *grp = &plan->group[g];
    if (grp->lfsr_count == 0) continue;
    const char *tag = g == SSA_GROUP_SCORE ? "S" : "O";
    out(f, "  wire [%s-1:0] %s [0:%u];\n", width_name[g], bank_name[g], grp->lfsr_count - 1);
    for (unsigned k = 0; k < grp->lfsr_count; k++)
      out(f, "  ssa_lfsr #(.WIDTH(W%s), .TAPS(TAPS_%s), .SEED(%u'h%llx)) u_lfsr_%s_%u (\n"
             "    .clk_i(clk_i), .rst_ni(rst_ni), .en_i(in_valid_i), .state_o(%s[%u]));\n",
          tag, tag, grp->width, (unsigned long long)plan->seeds[grp->first_lfsr + k],
          g == SSA_GROUP_SCORE ? "s" : "o", k, bank_name[g], k);
  }
}

/* State bits no number reads (the remainder of W / bits, unused slots of a group's last row)
 * are collected into one unused_ signal so that lint stays clean without waivers. */
static void emit_unused(FILE *f, const ssa_plan *plan, uint64_t *used) {
  int first = 1;
  unsigned items = 0;
  for (unsigned l = 0; l < plan->lfsr_count; l++) {
    unsigned g = ssa_plan_lfsr_group(plan, l), width = plan->group[g].width;
    uint64_t spare = ~used[l] & ((((uint64_t)1) << width) - 1);
    while (spare != 0) {
      unsigned lo = (unsigned)__builtin_ctzll(spare), hi = lo;
      while (hi + 1 < width && ((spare >> (hi + 1)) & 1u)) hi++;
      spare &= ~(((((uint64_t)1) << (hi - lo + 1)) - 1) << lo);
      out(f, "%s%s%s[%u][%u +: %u]", first ? "  wire unused_rnd = ^{" : ",",
          (items % 4 == 3) ? "\n    " : " ", bank_name[g], l - plan->group[g].first_lfsr, lo,
          hi - lo + 1);
      first = 0;
      items++;
    }
  }
  if (!first) out(f, "};\n");
}

/* One net array per stage; entry k is the number of canonical unit k (unit: (h,i,j) or
 * (h,i,d); row: (h,i); global: the single number). */
static void emit_numbers(FILE *f, const ssa_plan *plan, unsigned group, const char *vec,
                         unsigned columns, uint64_t *used) {
  const ssa_attention_params *p = &plan->params;
  const ssa_field_group *g = &plan->group[group];
  unsigned per_row = p->share == SSA_SHARE_UNIT ? columns : 1;
  unsigned rows = p->share == SSA_SHARE_GLOBAL ? 1 : p->heads * p->tokens;
  unsigned count = rows * per_row;
  out(f, "\n  // ---- %s-stage numbers: %u of %u bits ----\n", g->name, count, g->bits);
  out(f, "  wire [%s-1:0] %s [0:%u];\n", group == SSA_GROUP_SCORE ? "SB" : "OB", vec, count - 1);
  for (unsigned r = 0; r < rows; r++)
    for (unsigned c = 0; c < per_row; c++) {
      unsigned h = r / p->tokens, i = r % p->tokens;
      ssa_number num = group == SSA_GROUP_SCORE ? ssa_plan_score_number(plan, h, i, c)
                                                : ssa_plan_output_number(plan, h, i, c);
      ssa_field_ref ref = ssa_plan_field(plan, group, num);
      used[ref.lfsr] |= ((((uint64_t)1) << g->bits) - 1) << ref.bit;
      out(f, "  assign %s[%u] = %s[%u][%u +: %u];\n", vec, r * per_row + c, bank_name[group],
          ref.lfsr - g->first_lfsr, ref.bit, g->bits);
    }
}

static void emit_head_gathers(FILE *f) {
  out(f, "      // this head's K and V as N rows of D bits\n");
  out(f, "      wire [N*D-1:0] k_head;\n      wire [N*D-1:0] v_head;\n");
  out(f, "      for (j = 0; j < N; j = j + 1) begin : g_gather\n");
  out(f, "        assign k_head[j*D +: D] = k_i[j*E + h*D +: D];\n");
  out(f, "        assign v_head[j*D +: D] = v_i[j*E + h*D +: D];\n      end\n");
}

/* Column d of V for head h, as g_head[h].g_v_col[d].v_c (bit j = V[j, h*D+d]). */
static void emit_v_columns(FILE *f) {
  out(f, "      for (d = 0; d < D; d = d + 1) begin : g_v_col\n");
  out(f, "        wire [N-1:0] v_c;\n");
  out(f, "        for (j = 0; j < N; j = j + 1) begin : g_v_bit\n");
  out(f, "          assign v_c[j] = v_i[j*E + h*D + d];\n        end\n      end\n");
}

/* The frame shared by the modes that build all N*N score units (mux/unit and count): heads,
 * V columns, rows with their score vector s_row, and the opening of score unit (i, j). */
static void emit_score_units_open(FILE *f) {
  out(f, "  genvar h, i, j, d;\n  generate\n    for (h = 0; h < H; h = h + 1) begin : g_head\n");
  emit_v_columns(f);
  out(f, "      for (i = 0; i < N; i = i + 1) begin : g_row\n");
  out(f, "        wire [D-1:0] q_row = q_i[i*E + h*D +: D];\n");
  out(f, "        wire [N-1:0] s_row;  // s_ij, j = 0 .. N-1\n");
  out(f, "        for (j = 0; j < N; j = j + 1) begin : g_score\n");
  out(f, "          wire [D-1:0]  k_row = k_i[j*E + h*D +: D];\n");
}

/* reduce=mux, share=unit: every score unit s_ij and output unit o_id with its own select. */
static void emit_mux_unit(FILE *f) {
  emit_score_units_open(f);
  out(f, "          wire [SB-1:0] sel   = score_rnd[(h*N + i)*N + j];\n");
  out(f, "          assign s_row[j] = q_row[sel] & k_row[sel];\n        end\n");
  out(f, "        for (d = 0; d < D; d = d + 1) begin : g_out\n");
  out(f, "          wire [OB-1:0] sel = output_rnd[(h*N + i)*D + d];\n");
  out(f, "          assign o_d[i*E + h*D + d] = s_row[sel] & g_v_col[d].v_c[sel];\n        end\n");
  out(f, "      end\n    end\n  endgenerate\n");
}

/* reduce=mux, share=row: row i reads only column c_i of its scores, so
 * o_id = Q[i,r_i] & K[c_i,r_i] & V[c_i,d]: three selects per row, no score matrix. */
static void emit_mux_row(FILE *f) {
  out(f, "  genvar h, i, j;\n  generate\n    for (h = 0; h < H; h = h + 1) begin : g_head\n");
  emit_head_gathers(f);
  out(f, "      for (i = 0; i < N; i = i + 1) begin : g_row\n");
  out(f, "        wire [SB-1:0] r     = score_rnd[h*N + i];\n");
  out(f, "        wire [OB-1:0] c     = output_rnd[h*N + i];\n");
  out(f, "        wire [D-1:0]  q_row = q_i[i*E + h*D +: D];\n");
  out(f, "        wire          s_ic  = q_row[r] & k_head[{c, r}];\n");
  out(f, "        wire [D-1:0]  v_row = v_head[{c, {SB{1'b0}}} +: D];\n");
  out(f, "        assign o_d[i*E + h*D +: D] = {D{s_ic}} & v_row;\n      end\n");
  out(f, "    end\n  endgenerate\n");
}

/* reduce=mux, share=global: one r and one c for the block: N column selects of Q, one bit of
 * K and one row of V per head, O(N*D) gates in all. */
static void emit_mux_global(FILE *f) {
  out(f, "  wire [SB-1:0] r = score_rnd[0];\n");
  out(f, "  wire [OB-1:0] c = output_rnd[0];\n");
  out(f, "  genvar h, i, j;\n  generate\n    for (h = 0; h < H; h = h + 1) begin : g_head\n");
  emit_head_gathers(f);
  out(f, "      wire         k_rc  = k_head[{c, r}];\n");
  out(f, "      wire [D-1:0] v_row = v_head[{c, {SB{1'b0}}} +: D];\n");
  out(f, "      for (i = 0; i < N; i = i + 1) begin : g_row\n");
  out(f, "        wire [D-1:0] q_row = q_i[i*E + h*D +: D];\n");
  out(f, "        assign o_d[i*E + h*D +: D] = {D{q_row[r] & k_rc}} & v_row;\n      end\n");
  out(f, "    end\n  endgenerate\n");
}

/* reduce=count: every unit counts its D (or N) products and fires when its threshold u is
 * below the count; sharing only shares u, the counts are inherent to the mode. */
static void emit_count(FILE *f, enum ssa_share share) {
  const char *su = share == SSA_SHARE_UNIT ? "(h*N + i)*N + j" : share == SSA_SHARE_ROW ? "h*N + i" : "0";
  const char *ou = share == SSA_SHARE_UNIT ? "(h*N + i)*D + d" : share == SSA_SHARE_ROW ? "h*N + i" : "0";
  emit_score_units_open(f);
  out(f, "          wire [SB-1:0] u     = score_rnd[%s];\n", su);
  out(f, "          wire [SB:0]   count;\n");
  out(f, "          ssa_popcount #(.WIDTH(D), .COUNT_WIDTH(SB + 1)) u_count (\n"
         "            .bits_i(q_row & k_row), .count_o(count));\n");
  out(f, "          assign s_row[j] = {1'b0, u} < count;\n        end\n");
  out(f, "        for (d = 0; d < D; d = d + 1) begin : g_out\n");
  out(f, "          wire [OB-1:0] u = output_rnd[%s];\n", ou);
  out(f, "          wire [OB:0]   count;\n");
  out(f, "          ssa_popcount #(.WIDTH(N), .COUNT_WIDTH(OB + 1)) u_count (\n"
         "            .bits_i(s_row & g_v_col[d].v_c), .count_o(count));\n");
  out(f, "          assign o_d[i*E + h*D + d] = {1'b0, u} < count;\n        end\n");
  out(f, "      end\n    end\n  endgenerate\n");
}

static void emit_output_register(FILE *f) {
  out(f, "\n  // ---- output register: the step's spikes one clock after in_valid_i ----\n");
  out(f, "  reg           out_valid_q;\n  reg [N*E-1:0] o_q;\n\n");
  out(f, "  always @(posedge clk_i) begin\n    if (!rst_ni) begin\n");
  out(f, "      out_valid_q <= 1'b0;\n      o_q         <= {(N*E){1'b0}};\n");
  out(f, "    end else begin\n      out_valid_q <= in_valid_i;\n");
  out(f, "      if (in_valid_i) begin\n        o_q <= o_d;\n      end\n    end\n  end\n\n");
  out(f, "  assign out_valid_o = out_valid_q;\n  assign o_o         = o_q;\nendmodule\n");
}

int ssa_emit_attention(const ssa_plan *plan, ssa_design *design, ssa_error *err) {
  const ssa_attention_params *p = &plan->params;
  unsigned bits = p->tokens * p->heads * p->dim;
  memset(design, 0, sizeof *design);
  uint64_t *used = calloc(plan->lfsr_count + 1, sizeof *used);
  size_t len = 0;
  char *text = NULL;
  FILE *f = open_memstream(&text, &len);
  if (f == NULL || used == NULL) {
    free(used);
    if (f != NULL) fclose(f);
    free(text);
    return ssa_fail(err, "out of memory while generating ssa_attention");
  }
  emit_banner(f, plan);
  emit_ports(f, bits);
  emit_params(f, plan);
  emit_prng(f, plan);
  emit_numbers(f, plan, SSA_GROUP_SCORE, "score_rnd", p->tokens, used);
  emit_numbers(f, plan, SSA_GROUP_OUTPUT, "output_rnd", p->dim, used);
  emit_unused(f, plan, used);
  out(f, "\n  // ---- datapath: reduce=%s, share=%s ----\n", ssa_reduce_name(p->reduce),
      ssa_share_name(p->share));
  out(f, "  wire [N*E-1:0] o_d;\n");
  if (p->reduce == SSA_REDUCE_COUNT) emit_count(f, p->share);
  else if (p->share == SSA_SHARE_UNIT) emit_mux_unit(f);
  else if (p->share == SSA_SHARE_ROW) emit_mux_row(f);
  else emit_mux_global(f);
  emit_output_register(f);
  free(used);
  if (fclose(f) != 0) {
    free(text);
    return ssa_fail(err, "out of memory while generating ssa_attention");
  }
  int rc = ssa_design_add_file(design, "ssa_attention.v", text, len, 1);
  rc |= ssa_design_add_file(design, "ssa_lfsr.v", (char *)ssa_rtl_lfsr, strlen(ssa_rtl_lfsr), 0);
  if (p->reduce == SSA_REDUCE_COUNT)
    rc |= ssa_design_add_file(design, "ssa_popcount.v", (char *)ssa_rtl_popcount,
                              strlen(ssa_rtl_popcount), 0);
  if (rc != 0) {
    ssa_design_free(design);
    return ssa_fail(err, "out of memory while generating ssa_attention");
  }
  snprintf(design->kind, sizeof design->kind, "attention");
  snprintf(design->top, sizeof design->top, "ssa_attention");
  design->latency = SSA_ATTENTION_LATENCY;
  ssa_design_add_port(design, "rst_ni", 1, 1);
  ssa_design_add_port(design, "in_valid_i", 1, 1);
  ssa_design_add_port(design, "q_i", bits, 1);
  ssa_design_add_port(design, "k_i", bits, 1);
  ssa_design_add_port(design, "v_i", bits, 1);
  ssa_design_add_port(design, "out_valid_o", 1, 0);
  ssa_design_add_port(design, "o_o", bits, 0);
  ssa_attention_options(p, design->options, sizeof design->options);
  return 0;
}
