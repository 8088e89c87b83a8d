/* emit_attention.c -- Verilog of the stochastic spiking attention block.
 * Wires the hand-written primitives of rtl/ (LFSR, popcount) according to the plan. Each
 * share and reduce mode gets the smallest circuit that realises it: share=unit builds the N*N
 * score units, share=row and share=global with reduce=mux only select what the output stage
 * will read (o_id = Q[i,r] & K[c,r] & V[c,d]), so global needs O(N*D) gates. */
#define _POSIX_C_SOURCE 200809L
#include "emit_attention.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/lfsr.h"
#include "emit_prng.h"
#include "emit_util.h"
#include "rtl_sources.h"

#define out ssa_out

static void emit_banner(FILE *f, const ssa_plan *plan, const char *opts) {
  const ssa_attention_params *p = &plan->params;
  ssa_emit_banner(f, "ssa_attention.v", "stochastic spiking attention", "attention", opts);
  out(f, "//\n// Parameters\n");
  out(f, "//   tokens N     %u\n//   dim D        %u (per head)\n//   heads H      %u\n", p->tokens,
      p->dim, p->heads);
  out(f, "//   embedding E  %u (= H * D)\n//   reduce       %s\n//   share        %s\n",
      p->heads * p->dim, ssa_reduce_name(p->reduce), ssa_share_name(p->share));
  out(f, "//   prng-width W %u (output-stage LFSRs: W + 1)\n//   seed         %llu\n",
      p->prng_width, (unsigned long long)p->seed);
  out(f, "//\n// Randomness (gen/plan.c): %u LFSRs, each leaping its width in shifts per accepted "
      "step.\n", plan->lfsr_count);
  for (unsigned k = 0; k < SSA_GROUP_COUNT; k++) ssa_emit_prng_group_banner(f, plan, k);
  out(f, "//   Widths W and W+1 have coprime periods, so every output's select is independent of\n"
      "//   the score selects it reads. %llu of %llu random bits used per step.\n",
      (unsigned long long)ssa_plan_random_bits(plan), (unsigned long long)ssa_plan_state_bits(plan));
  out(f, "//\n// Latency: %u clock from in_valid_i to out_valid_o; one step per clock at full "
      "throughput.\n", SSA_ATTENTION_LATENCY);
  out(f, "// Ports: q_i, k_i, v_i and o_o are N x E spike matrices; bit (i*E + h*D + d) is token i,\n"
         "//   column h*D + d. Random numbers advance only on in_valid_i, so idle clocks change "
         "nothing.\n\n");
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

static const char *const bank_name[SSA_GROUP_COUNT] = {"rnd_s", "rnd_o"};
static const char *const bank_tag[SSA_GROUP_COUNT] = {"S", "O"};

/* One net array per stage; entry k is the number of canonical slot k (plan.h: unit (h,i,j) or
 * (h,i,d); row (h,i); global the single number), from its LFSR's entry of the group's bank. */
static void emit_numbers(FILE *f, const ssa_plan *plan, unsigned group, const char *vec,
                         uint64_t *used) {
  const ssa_field_group *g = &plan->group[group];
  unsigned count = ssa_plan_slot_count(plan, group);
  out(f, "\n  // ---- %s-stage numbers: %u of %u bits ----\n", g->name, count, g->bits);
  out(f, "  wire [%s-1:0] %s [0:%u];\n", group == SSA_GROUP_SCORE ? "SB" : "OB", vec, count - 1);
  for (unsigned k = 0; k < count; k++) {
    ssa_field_ref ref = ssa_plan_field(plan, group, ssa_plan_slot_number(plan, group, k));
    used[ref.lfsr] |= ((((uint64_t)1) << g->bits) - 1) << ref.bit;
    out(f, "  assign %s[%u] = %s[%u][%u +: %u];\n", vec, k, bank_name[group],
        ssa_plan_lfsr_place(plan, ref.lfsr).index, ref.bit, g->bits);
  }
}

/* The canonical slot of the unit at generate variables (h, i, `col`) as a Verilog expression,
 * built from the plan's form k = h*per_head + i*per_row + col*per_column (ssa_plan_slot_form)
 * in Horner form, e.g. "(h*N + i)*N + j". The form is mixed radix, so the ratio of two
 * consecutive non-zero coefficients is the extent of the inner variable and is written as that
 * variable's localparam (N for i, `cols` for col); a ratio that is not (no plan makes one) would
 * be written as a numeral, and coefficients that do not divide as a plain sum. "0" when the slot
 * depends on no variable (share=global). */
static void slot_expr(char *buf, size_t size, const ssa_plan *plan, unsigned group,
                      const char *col, const char *cols) {
  ssa_slot_form form = ssa_plan_slot_form(plan, group);
  const struct {
    const char *var, *extent_name;
    unsigned coef, extent;
  } all[3] = {{"h", "H", form.per_head, plan->params.heads},
              {"i", "N", form.per_row, plan->params.tokens},
              {col, cols, form.per_column, ssa_plan_columns(plan, group)}};
  unsigned n = 0, at[3], horner = 1;
  for (unsigned t = 0; t < 3; t++)
    if (all[t].coef != 0) at[n++] = t;
  for (unsigned k = 0; k + 1 < n; k++)
    horner = horner && all[at[k]].coef % all[at[k + 1]].coef == 0;
  horner = horner && n > 0 && all[at[n - 1]].coef == 1;
  size_t len = 0;
#define APPEND(...) len += (size_t)snprintf(buf + len, len < size ? size - len : 0, __VA_ARGS__)
  buf[0] = '\0';
  if (n == 0) APPEND("0");
  for (unsigned k = 0; !horner && k < n; k++) /* a form no plan makes: a plain sum */
    APPEND("%s%s*%u", k == 0 ? "" : " + ", all[at[k]].var, all[at[k]].coef);
  for (unsigned k = 0; horner && k + 2 < n; k++) APPEND("(");
  for (unsigned k = 0; horner && k < n; k++) {
    unsigned t = at[k];
    if (k == 0) {
      APPEND("%s", all[t].var);
      continue;
    }
    unsigned ratio = all[at[k - 1]].coef / all[t].coef;
    if (k >= 2) APPEND(")");
    if (ratio == all[t].extent) APPEND("*%s + %s", all[t].extent_name, all[t].var);
    else APPEND("*%u + %s", ratio, all[t].var);
  }
#undef APPEND
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
static void emit_mux_unit(FILE *f, const char *su, const char *ou) {
  emit_score_units_open(f);
  out(f, "          wire [SB-1:0] sel   = score_rnd[%s];\n", su);
  out(f, "          assign s_row[j] = q_row[sel] & k_row[sel];\n        end\n");
  out(f, "        for (d = 0; d < D; d = d + 1) begin : g_out\n");
  out(f, "          wire [OB-1:0] sel = output_rnd[%s];\n", ou);
  out(f, "          assign o_d[i*E + h*D + d] = s_row[sel] & g_v_col[d].v_c[sel];\n        end\n");
  out(f, "      end\n    end\n  endgenerate\n");
}

/* reduce=mux, share=row: row i reads only column c_i of its scores, so
 * o_id = Q[i,r_i] & K[c_i,r_i] & V[c_i,d]: three selects per row, no score matrix. */
static void emit_mux_row(FILE *f, const char *su, const char *ou) {
  out(f, "  genvar h, i, j;\n  generate\n    for (h = 0; h < H; h = h + 1) begin : g_head\n");
  emit_head_gathers(f);
  out(f, "      for (i = 0; i < N; i = i + 1) begin : g_row\n");
  out(f, "        wire [SB-1:0] r     = score_rnd[%s];\n", su);
  out(f, "        wire [OB-1:0] c     = output_rnd[%s];\n", ou);
  out(f, "        wire [D-1:0]  q_row = q_i[i*E + h*D +: D];\n");
  out(f, "        wire          s_ic  = q_row[r] & k_head[{c, r}];\n");
  out(f, "        wire [D-1:0]  v_row = v_head[{c, {SB{1'b0}}} +: D];\n");
  out(f, "        assign o_d[i*E + h*D +: D] = {D{s_ic}} & v_row;\n      end\n");
  out(f, "    end\n  endgenerate\n");
}

/* reduce=mux, share=global: one r and one c for the block: N column selects of Q, one bit of
 * K and one row of V per head, O(N*D) gates in all. */
static void emit_mux_global(FILE *f, const char *su, const char *ou) {
  out(f, "  wire [SB-1:0] r = score_rnd[%s];\n", su);
  out(f, "  wire [OB-1:0] c = output_rnd[%s];\n", ou);
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
static void emit_count(FILE *f, const char *su, const char *ou) {
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

static void emit_output_register(FILE *f, unsigned bits) {
  char zero[32];
  snprintf(zero, sizeof zero, "%u'd0", bits);
  out(f, "\n  // ---- output register: the step's spikes one clock after in_valid_i ----\n");
  ssa_emit_step_register(f, "o_o", "o_q", "N*E", "o_d", zero);
}

int ssa_emit_attention(const ssa_plan *plan, const char *line, ssa_design *design,
                       ssa_error *err) {
  const ssa_attention_params *p = &plan->params;
  unsigned bits = p->tokens * p->heads * p->dim;
  memset(design, 0, sizeof *design);
  uint64_t *used;
  ssa_emitter e;
  if (ssa_emitter_open_bank(&e, plan, &used, "ssa_attention", err) != 0) return -1;
  FILE *f = e.f;
  static const char *const qkv[] = {"q_i", "k_i", "v_i"};
  ssa_design_add_stream_ports(design, 0, qkv, 3, bits, "o_o", bits);
  emit_banner(f, plan, line);
  out(f, "`timescale 1ns / 1ps\n\n");
  ssa_emit_module_header(f, "ssa_attention", design->ports, design->port_count, SSA_PORTS_ALIGNED);
  emit_params(f, plan);
  ssa_emit_prng_bank(f, plan, bank_name, bank_tag, "in_valid_i");
  emit_numbers(f, plan, SSA_GROUP_SCORE, "score_rnd", used);
  emit_numbers(f, plan, SSA_GROUP_OUTPUT, "output_rnd", used);
  ssa_emit_prng_unused(f, plan, used, bank_name);
  out(f, "\n  // ---- datapath: reduce=%s, share=%s ----\n", ssa_reduce_name(p->reduce),
      ssa_share_name(p->share));
  out(f, "  wire [N*E-1:0] o_d;\n");
  /* the index of a unit's number in score_rnd and output_rnd, from the plan's slot form */
  char su[64], ou[64];
  slot_expr(su, sizeof su, plan, SSA_GROUP_SCORE, "j", "N");
  slot_expr(ou, sizeof ou, plan, SSA_GROUP_OUTPUT, "d", "D");
  if (p->reduce == SSA_REDUCE_COUNT) emit_count(f, su, ou);
  else if (p->share == SSA_SHARE_UNIT) emit_mux_unit(f, su, ou);
  else if (p->share == SSA_SHARE_ROW) emit_mux_row(f, su, ou);
  else emit_mux_global(f, su, ou);
  emit_output_register(f, bits);
  free(used);
  int rc = ssa_emitter_close(&e, design, "ssa_attention.v", err);
  if (rc == 0) rc = ssa_emit_add_primitive(design, "ssa_lfsr.v", ssa_rtl_lfsr, err);
  if (rc == 0 && p->reduce == SSA_REDUCE_COUNT)
    rc = ssa_emit_add_primitive(design, "ssa_popcount.v", ssa_rtl_popcount, err);
  if (rc != 0) {
    ssa_design_free(design);
    return -1;
  }
  ssa_design_name(design, "attention", "ssa_attention", SSA_ATTENTION_LATENCY);
  snprintf(design->options, sizeof design->options, "%s", line);
  return 0;
}
