/* emit_attention.c -- Verilog of the stochastic spiking attention block.
 * Wires the hand-written primitives of rtl/ (LFSR, popcount) according to the plan. Each
 * share and reduce mode gets the smallest circuit that realises it: share=unit builds the N*N
 * score units, share=row and share=global with reduce=mux only select what the output stage
 * will read (o_id = Q[i,r] & K[c,r] & V[c,d]), so global needs O(N*D) gates. Every repeated
 * unit is a part (gen/emit_part.h): a module of its own whose text depends only on D, or on N
 * and D, so synthesis keeps it as hierarchy and composition prices it per instance. */
#define _POSIX_C_SOURCE 200809L
#include "emit_attention.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/version.h"
#include "../core/lfsr.h"
#include "../core/sobol.h"
#include "emit_part.h"
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
  out(f, "//   random       %s\n", ssa_random_name(p->random));
  out(f, "//   prng-width W %u (output-stage LFSRs: W + 1)\n//   seed         %llu\n",
      p->prng_width, (unsigned long long)p->seed);
  if (p->random == SSA_RANDOM_SOBOL) {
    out(f, "//\n// Randomness (core/plan.h, core/sobol.h): one %u-bit step counter for the block; "
        "the output\n//   select is its low %u bits reversed (van der Corput), the score select "
        "the top %u bits of\n//   its second Sobol dimension. Every number is one of these XOR a "
        "constant of its slot.\n",
        plan->group[SSA_GROUP_SCORE].bits + plan->group[SSA_GROUP_OUTPUT].bits,
        plan->group[SSA_GROUP_OUTPUT].bits, plan->group[SSA_GROUP_SCORE].bits);
  } else {
    out(f, "//\n// Randomness (core/plan.c): %u LFSRs, each leaping its width in shifts per "
        "accepted step.\n", plan->lfsr_count);
    if (p->random == SSA_RANDOM_PACKED)
      out(f, "//   packed: a lane's numbers run on across its LFSRs, whole or split in two.\n");
    if (p->random == SSA_RANDOM_SHARED)
      out(f, "//   shared: one LFSR per token row and stage; each block of units reads a "
          "rotation of its\n//   bits, XOR a constant of the unit's slot (core/plan.h).\n");
    for (unsigned k = 0; k < SSA_GROUP_COUNT; k++) ssa_emit_prng_group_banner(f, plan, k);
    out(f, "//   Widths W and W+1 have coprime periods, so every output's select is independent "
        "of\n//   the score selects it reads. %llu of %llu random bits used per step.\n",
        (unsigned long long)ssa_plan_random_bits(plan),
        (unsigned long long)ssa_plan_state_bits(plan));
  }
  out(f, "//\n// Latency: %u clock from in_valid_i to out_valid_o; one step per clock at full "
      "throughput.\n", SSA_ATTENTION_LATENCY);
  out(f, "// Ports: q_i, k_i, v_i and o_o are N x E spike matrices; bit (i*E + h*D + d) is token i,\n"
         "//   column h*D + d. %s only on in_valid_i, so idle clocks change nothing.\n\n",
      p->random == SSA_RANDOM_SOBOL ? "The counter advances" : "Random numbers advance");
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
  for (unsigned k = 0; k < SSA_GROUP_COUNT && p->random != SSA_RANDOM_SOBOL; k++) {
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
static const char *const sobol_name[SSA_GROUP_COUNT] = {"sobol_s", "sobol_o"};

/* random=sobol: the block's selects, from the one counter of part ssa_part_prng_sobol. */
static void emit_sobol_source(FILE *f) {
  out(f, "  // ---- the block's low-discrepancy selects: one counter, advanced per accepted step ----\n");
  out(f, "  wire [SB-1:0] sobol_s;\n  wire [OB-1:0] sobol_o;\n");
  out(f, "  ssa_part_prng_sobol u_sobol (\n    .clk_i(clk_i), .rst_ni(rst_ni), .en_i(in_valid_i),\n"
         "    .score_o(sobol_s), .output_o(sobol_o));\n");
}

/* The part: an SB+OB-bit step counter (reset to 0); output_o is its low OB bits reversed,
 * score_o[SB-1-i] the parity of the counter bits in row i of the Pascal matrix (core/sobol.h). */
static void sc_prng_sobol(FILE *f, unsigned score_bits, unsigned output_bits) {
  unsigned m = score_bits + output_bits;
  out(f, "module ssa_part_prng_sobol (\n");
  ssa_part_port(f, "input", 0, "clk_i", 0, "clock");
  ssa_part_port(f, "input", 0, "rst_ni", 0, "synchronous reset, active low: the counter to 0");
  ssa_part_port(f, "input", 0, "en_i", 0, "advance one step");
  ssa_part_port(f, "output", score_bits, "score_o", 0, "score-stage select of this step");
  ssa_part_port(f, "output", output_bits, "output_o", 1, "output-stage select of this step");
  out(f, ");\n");
  ssa_part_step_counter(f, m);
  for (unsigned k = 0; k < output_bits; k++)
    out(f, "  assign output_o[%u] = step_q[%u];\n", output_bits - 1 - k, k);
  for (unsigned i = 0; i < score_bits; i++)
    out(f, "  assign score_o[%u] = ^(step_q & %u'h%x);\n", score_bits - 1 - i, m,
        (unsigned)ssa_sobol_pascal_row(i, m));
  out(f, "endmodule\n");
}

/* One net array per stage; entry k is the number of canonical slot k (plan.h: unit (h,i,j) or
 * (h,i,d); row (h,i); global the single number), from its LFSR's entry of the group's bank. */
static void emit_numbers(FILE *f, const ssa_plan *plan, unsigned group, const char *vec,
                         uint64_t *used) {
  const ssa_field_group *g = &plan->group[group];
  unsigned count = ssa_plan_slot_count(plan, group);
  out(f, "\n  // ---- %s-stage numbers: %u of %u bits ----\n", g->name, count, g->bits);
  out(f, "  wire [%s-1:0] %s [0:%u];\n", group == SSA_GROUP_SCORE ? "SB" : "OB", vec, count - 1);
  for (unsigned k = 0; k < count && plan->params.random == SSA_RANDOM_SOBOL; k++)
    out(f, "  assign %s[%u] = %s ^ %u'd%u;\n", vec, k, sobol_name[group], g->bits,
        plan->offsets[group][k]);
  for (unsigned k = 0; k < count && plan->params.random != SSA_RANDOM_SOBOL; k++) {
    out(f, "  assign %s[%u] = ", vec, k);
    ssa_emit_number_bits(f, plan, group, ssa_plan_slot_number(plan, group, k), bank_name, used);
    if (ssa_plan_has_offsets(plan)) out(f, " ^ %u'd%u", g->bits, plan->offsets[group][k]);
    out(f, ";\n");
  }
}

/* A constant of `bits` bits as a Verilog literal, field c (of `field` bits) = value[c]. */
static void emit_fields_literal(FILE *f, const unsigned *value, unsigned fields, unsigned field) {
  unsigned bits = fields * field;
  out(f, "%u'h", bits);
  for (unsigned digit = (bits + 3) / 4; digit-- > 0;) {
    unsigned nibble = 0;
    for (unsigned b = 0; b < 4; b++) {
      unsigned at = digit * 4 + b;
      if (at < bits) nibble |= ((value[at / field] >> (at % field)) & 1u) << b;
    }
    out(f, "%x", nibble);
  }
}

/* The numbers of the units of each head's row, for ssa_attention_row: vec[h*N + i] holds unit
 * (h, i, c)'s number at [c*bits +: bits], c = 0 .. columns-1. The number of a slot is the one
 * emit_numbers would give it: the Sobol select XOR the slot's constant, or the LFSR bits the
 * plan names (XOR the constant with random=shared). One assign per row, so that a flat model
 * holds H*N statements here rather than one per unit. */
static int emit_row_numbers(FILE *f, const ssa_plan *plan, unsigned group, const char *vec,
                            uint64_t *used, ssa_error *err) {
  const ssa_field_group *g = &plan->group[group];
  unsigned n = plan->params.tokens, rows = plan->params.heads * n;
  unsigned cols = ssa_plan_columns(plan, group);
  ssa_slot_form form = ssa_plan_slot_form(plan, group);
  unsigned *offset = malloc(cols * sizeof *offset);
  if (offset == NULL) return ssa_fail(err, "out of memory while generating ssa_attention");
  out(f, "\n  // ---- %s-stage numbers of each row: unit c's %u bits at [c*%u +: %u] ----\n",
      g->name, g->bits, g->bits, g->bits);
  out(f, "  wire [%s-1:0] %s [0:H*N-1];\n", group == SSA_GROUP_SCORE ? "N*SB" : "D*OB", vec);
  for (unsigned r = 0; r < rows; r++) {
    unsigned first = (r / n) * form.per_head + (r % n) * form.per_row;
    for (unsigned c = 0; c < cols; c++) {
      unsigned slot = first + c * form.per_column;
      offset[c] = ssa_plan_has_offsets(plan) ? plan->offsets[group][slot] : 0;
    }
    out(f, "  assign %s[%u] = ", vec, r);
    if (plan->params.random == SSA_RANDOM_SOBOL) {
      out(f, "{%u{%s}} ^ ", cols, sobol_name[group]);
      emit_fields_literal(f, offset, cols, g->bits);
      out(f, ";\n");
      continue;
    }
    out(f, "{");
    for (unsigned c = cols; c-- > 0;) {
      unsigned slot = first + c * form.per_column;
      ssa_emit_number_bits(f, plan, group, ssa_plan_slot_number(plan, group, slot), bank_name,
                           used);
      out(f, c > 0 ? ", " : "}");
    }
    if (ssa_plan_has_offsets(plan)) {
      out(f, " ^ ");
      emit_fields_literal(f, offset, cols, g->bits);
    }
    out(f, ";\n");
  }
  free(offset);
  return 0;
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

/* The modes that build all N*N score units (reduce=mux with share=unit, and reduce=count) put
 * a head's row of them, N score units and D output units, in a module of its own,
 * ssa_attention_row (emit_row_module), instantiated H*N times with the row's numbers as two
 * vectors (emit_row_numbers). The row is not a part: synthesis flattens it, as it did the
 * generate block it replaced, so the netlist and its composition are those of the flat text.
 * It is there for Verilator, which repeats the code of every unit of a flat design (at N = 256,
 * D = 8: 3.2 million lines of C++ and 6.5 minutes to build); marked as a hierarchical block (from
 * the sizes of row_is_block), the row is verilated and compiled once (sim/verilator.c builds with
 * --hierarchical). */
static void emit_unit_rows(FILE *f) {
  out(f, "  genvar h, i;\n  generate\n    for (h = 0; h < H; h = h + 1) begin : g_head\n");
  out(f, "      // this head's K as N rows of D bits, and its V as D columns of N bits: wires\n"
         "      // only, each vector written whole by one process (Icarus would pass a vector\n"
         "      // built bit by bit to every reader once per bit)\n");
  out(f, "      reg [N*D-1:0] k_head;\n      reg [D*N-1:0] v_cols;\n      integer j, d;\n");
  out(f, "      always @* begin\n        for (j = 0; j < N; j = j + 1)\n"
         "          k_head[j*D +: D] = k_i[j*E + h*D +: D];\n      end\n");
  out(f, "      always @* begin\n        for (j = 0; j < N; j = j + 1)\n"
         "          for (d = 0; d < D; d = d + 1)\n"
         "            v_cols[d*N + j] = v_i[j*E + h*D + d];\n      end\n");
  out(f, "      for (i = 0; i < N; i = i + 1) begin : g_row\n");
  out(f, "        ssa_attention_row u_row (\n");
  out(f, "          .q_i(q_i[i*E + h*D +: D]), .k_i(k_head), .v_i(v_cols),\n");
  out(f, "          .score_rnd_i(score_rnd[h*N + i]), .output_rnd_i(output_rnd[h*N + i]),\n");
  out(f, "          .o_o(o_d[i*E + h*D +: D]));\n      end\n    end\n  endgenerate\n");
}

/* reduce=mux, share=row: row i reads only column c_i of its scores, so
 * o_id = Q[i,r_i] & K[c_i,r_i] & V[c_i,d]: per row a score select (the bit of Q and the bit
 * of K) and an output select (a row of V), no score matrix. */
static void emit_mux_row(FILE *f, const char *su, const char *ou) {
  out(f, "  genvar h, i, j;\n  generate\n    for (h = 0; h < H; h = h + 1) begin : g_head\n");
  emit_head_gathers(f);
  out(f, "      for (i = 0; i < N; i = i + 1) begin : g_row\n");
  out(f, "        wire s_ic;  // Q[i, r] & K[c, r]\n");
  out(f, "        ssa_part_sc_row_score u_score (\n"
         "          .q_i(q_i[i*E + h*D +: D]), .k_i(k_head), .r_i(score_rnd[%s]),\n"
         "          .c_i(output_rnd[%s]), .s_o(s_ic));\n", su, ou);
  out(f, "        ssa_part_sc_row_output u_out (\n"
         "          .s_i(s_ic), .v_i(v_head), .c_i(output_rnd[%s]), .o_o(o_d[i*E + h*D +: D]));\n"
         "      end\n", ou);
  out(f, "    end\n  endgenerate\n");
}

/* reduce=mux, share=global: one r and one c for the block: per head one select of a bit of K
 * and a row of V, per row a select of a bit of Q and D ANDs: O(N*D) gates in all. */
static void emit_mux_global(FILE *f, const char *su, const char *ou) {
  out(f, "  wire [SB-1:0] r = score_rnd[%s];\n", su);
  out(f, "  wire [OB-1:0] c = output_rnd[%s];\n", ou);
  out(f, "  genvar h, i, j;\n  generate\n    for (h = 0; h < H; h = h + 1) begin : g_head\n");
  emit_head_gathers(f);
  out(f, "      wire         k_rc;   // K[c, r]\n      wire [D-1:0] v_row;  // V[c, :]\n");
  out(f, "      ssa_part_sc_global_column u_column (\n"
         "        .k_i(k_head), .v_i(v_head), .r_i(r), .c_i(c), .k_o(k_rc), .v_o(v_row));\n");
  out(f, "      for (i = 0; i < N; i = i + 1) begin : g_row\n");
  out(f, "        ssa_part_sc_global_row u_row (\n"
         "          .q_i(q_i[i*E + h*D +: D]), .r_i(r), .k_i(k_rc), .v_i(v_row),\n"
         "          .o_o(o_d[i*E + h*D +: D]));\n      end\n");
  out(f, "    end\n  endgenerate\n");
}

/* reduce=mux, share=row-global: a score select r_i per row, one output select c for the block,
 * so o_id = Q[i,r_i] & K[c,r_i] & V[c,d]: per head the rows K[c, :] and V[c, :], per row a
 * select of a bit of Q and of K[c, :] and D ANDs: O(N*D) gates, as share=global. */
static void emit_mux_row_global(FILE *f, const char *su, const char *ou) {
  out(f, "  wire [OB-1:0] c = output_rnd[%s];\n", ou);
  out(f, "  genvar h, i, j;\n  generate\n    for (h = 0; h < H; h = h + 1) begin : g_head\n");
  emit_head_gathers(f);
  out(f, "      wire [D-1:0] k_row;  // K[c, :]\n      wire [D-1:0] v_row;  // V[c, :]\n");
  out(f, "      ssa_part_sc_row_global_column u_column (\n"
         "        .k_i(k_head), .v_i(v_head), .c_i(c), .k_o(k_row), .v_o(v_row));\n");
  out(f, "      for (i = 0; i < N; i = i + 1) begin : g_row\n");
  out(f, "        ssa_part_sc_row_global_row u_row (\n"
         "          .q_i(q_i[i*E + h*D +: D]), .r_i(score_rnd[%s]), .k_i(k_row), .v_i(v_row),\n"
         "          .o_o(o_d[i*E + h*D +: D]));\n      end\n", su);
  out(f, "    end\n  endgenerate\n");
}

/* ---- the parts: one module each (gen/emit_part.h), instantiated above ---- */

typedef struct part_dims {
  unsigned n, d, sb, ob;  /* N, D, log2(D), log2(N) */
} part_dims;

typedef struct part_spec {
  const char *module, *what;
  const char *deps;       /* what the text depends on: "D", "N" or "ND" */
  unsigned long count;    /* instances in the design */
  void (*body)(FILE *f, const part_dims *x);
} part_spec;

#define port ssa_part_port

/* reduce=mux, share=unit: s_ij = Q[i, r] & K[j, r] for the unit's own r. */
static void sc_score(FILE *f, const part_dims *x) {
  out(f, "module ssa_part_sc_score (\n");
  port(f, "input", x->d, "q_i", 0, "Q[i, hD +: D], D bits");
  port(f, "input", x->d, "k_i", 0, "K[j, hD +: D]");
  port(f, "input", x->sb, "rnd_i", 0, "r, the unit's score-stage number");
  port(f, "output", 0, "s_o", 1, "s_ij = Q[i, r] & K[j, r]");
  out(f, ");\n  assign s_o = q_i[rnd_i] & k_i[rnd_i];\nendmodule\n");
}

/* reduce=mux, share=unit: o_id = s_ic & V[c, hD+d] for the unit's own c. */
static void sc_output(FILE *f, const part_dims *x) {
  out(f, "module ssa_part_sc_output (\n");
  port(f, "input", x->n, "s_i", 0, "s_ij, j = 0 .. N-1, N bits");
  port(f, "input", x->n, "v_i", 0, "V[j, hD+d], j = 0 .. N-1");
  port(f, "input", x->ob, "rnd_i", 0, "c, the unit's output-stage number");
  port(f, "output", 0, "o_o", 1, "o_id = s_ic & V[c, hD+d]");
  out(f, ");\n  assign o_o = s_i[rnd_i] & v_i[rnd_i];\nendmodule\n");
}

/* reduce=count: s_ij = [u < popcount(Q[i, :] & K[j, :])], u the unit's threshold. */
static void sc_count_score(FILE *f, const part_dims *x) {
  out(f, "module ssa_part_sc_count_score (\n");
  port(f, "input", x->d, "q_i", 0, "Q[i, hD +: D], D bits");
  port(f, "input", x->d, "k_i", 0, "K[j, hD +: D]");
  port(f, "input", x->sb, "rnd_i", 0, "u, the unit's score-stage threshold");
  port(f, "output", 0, "s_o", 1, "s_ij = u < popcount(Q[i, :] & K[j, :])");
  out(f, ");\n  wire [%u:0] count;\n", x->sb);
  out(f, "  ssa_popcount #(.WIDTH(%u), .COUNT_WIDTH(%u)) u_count (\n"
         "    .bits_i(q_i & k_i), .count_o(count));\n", x->d, x->sb + 1);
  out(f, "  assign s_o = {1'b0, rnd_i} < count;\nendmodule\n");
}

/* reduce=count: o_id = [u < popcount(s_i: & V[:, hD+d])]. */
static void sc_count_output(FILE *f, const part_dims *x) {
  out(f, "module ssa_part_sc_count_output (\n");
  port(f, "input", x->n, "s_i", 0, "s_ij, j = 0 .. N-1, N bits");
  port(f, "input", x->n, "v_i", 0, "V[j, hD+d], j = 0 .. N-1");
  port(f, "input", x->ob, "rnd_i", 0, "u, the unit's output-stage threshold");
  port(f, "output", 0, "o_o", 1, "o_id = u < popcount(s_i: & V[:, hD+d])");
  out(f, ");\n  wire [%u:0] count;\n", x->ob);
  out(f, "  ssa_popcount #(.WIDTH(%u), .COUNT_WIDTH(%u)) u_count (\n"
         "    .bits_i(s_i & v_i), .count_o(count));\n", x->n, x->ob + 1);
  out(f, "  assign o_o = {1'b0, rnd_i} < count;\nendmodule\n");
}

/* reduce=mux, share=row: the row's score s_ic = Q[i, r] & K[c, r]; K[c, r] is bit c*D + r of
 * the head's K, so {c, r} indexes it. */
static void sc_row_score(FILE *f, const part_dims *x) {
  out(f, "module ssa_part_sc_row_score (\n");
  port(f, "input", x->d, "q_i", 0, "Q[i, hD +: D], D bits");
  port(f, "input", x->n * x->d, "k_i", 0, "the head's K, row j at [j*D +: D], N rows");
  port(f, "input", x->sb, "r_i", 0, "r, the row's score-stage number");
  port(f, "input", x->ob, "c_i", 0, "c, the row's output-stage number");
  port(f, "output", 0, "s_o", 1, "s_ic = Q[i, r] & K[c, r]");
  out(f, ");\n  assign s_o = q_i[r_i] & k_i[{c_i, r_i}];\nendmodule\n");
}

/* reduce=mux, share=row: the row's outputs O[i, hD+d] = s_ic & V[c, hD+d]. */
static void sc_row_output(FILE *f, const part_dims *x) {
  out(f, "module ssa_part_sc_row_output (\n");
  port(f, "input", 0, "s_i", 0, "s_ic, the row's score");
  port(f, "input", x->n * x->d, "v_i", 0, "the head's V, row j at [j*D +: D], N rows");
  port(f, "input", x->ob, "c_i", 0, "c, the row's output-stage number");
  port(f, "output", x->d, "o_o", 1, "O[i, hD +: D] = s_ic & V[c, hD +: D]");
  out(f, ");\n  assign o_o = {%u{s_i}} & v_i[{c_i, %u'b0} +: %u];\nendmodule\n", x->d, x->sb,
      x->d);
}

/* reduce=mux, share=global: per head, K[c, r] and the row V[c, :] for the block's r and c. */
static void sc_global_column(FILE *f, const part_dims *x) {
  out(f, "module ssa_part_sc_global_column (\n");
  port(f, "input", x->n * x->d, "k_i", 0, "the head's K, row j at [j*D +: D], N rows");
  port(f, "input", x->n * x->d, "v_i", 0, "the head's V, likewise");
  port(f, "input", x->sb, "r_i", 0, "r, the block's score-stage number");
  port(f, "input", x->ob, "c_i", 0, "c, the block's output-stage number");
  port(f, "output", 0, "k_o", 0, "K[c, r]");
  port(f, "output", x->d, "v_o", 1, "V[c, hD +: D]");
  out(f, ");\n  assign k_o = k_i[{c_i, r_i}];\n  assign v_o = v_i[{c_i, %u'b0} +: %u];\n"
         "endmodule\n", x->sb, x->d);
}

/* reduce=mux, share=global: a row's outputs O[i, hD+d] = Q[i, r] & K[c, r] & V[c, hD+d]. */
static void sc_global_row(FILE *f, const part_dims *x) {
  out(f, "module ssa_part_sc_global_row (\n");
  port(f, "input", x->d, "q_i", 0, "Q[i, hD +: D], D bits");
  port(f, "input", x->sb, "r_i", 0, "r, the block's score-stage number");
  port(f, "input", 0, "k_i", 0, "K[c, r]");
  port(f, "input", x->d, "v_i", 0, "V[c, hD +: D]");
  port(f, "output", x->d, "o_o", 1, "O[i, hD +: D]");
  out(f, ");\n  assign o_o = {%u{q_i[r_i] & k_i}} & v_i;\nendmodule\n", x->d);
}

/* reduce=mux, share=row-global: per head, the rows K[c, :] and V[c, :] for the block's c. */
static void sc_row_global_column(FILE *f, const part_dims *x) {
  out(f, "module ssa_part_sc_row_global_column (\n");
  port(f, "input", x->n * x->d, "k_i", 0, "the head's K, row j at [j*D +: D], N rows");
  port(f, "input", x->n * x->d, "v_i", 0, "the head's V, likewise");
  port(f, "input", x->ob, "c_i", 0, "c, the block's output-stage number");
  port(f, "output", x->d, "k_o", 0, "K[c, hD +: D]");
  port(f, "output", x->d, "v_o", 1, "V[c, hD +: D]");
  out(f, ");\n  assign k_o = k_i[{c_i, %u'b0} +: %u];\n  assign v_o = v_i[{c_i, %u'b0} +: %u];\n"
         "endmodule\n", x->sb, x->d, x->sb, x->d);
}

/* reduce=mux, share=row-global: a row's outputs O[i, hD+d] = Q[i, r] & K[c, r] & V[c, hD+d]
 * for the row's own r. */
static void sc_row_global_row(FILE *f, const part_dims *x) {
  out(f, "module ssa_part_sc_row_global_row (\n");
  port(f, "input", x->d, "q_i", 0, "Q[i, hD +: D], D bits");
  port(f, "input", x->sb, "r_i", 0, "r, the row's score-stage number");
  port(f, "input", x->d, "k_i", 0, "K[c, hD +: D]");
  port(f, "input", x->d, "v_i", 0, "V[c, hD +: D]");
  port(f, "output", x->d, "o_o", 1, "O[i, hD +: D]");
  out(f, ");\n  assign o_o = {%u{q_i[r_i] & k_i[r_i]}} & v_i;\nendmodule\n", x->d);
}

/* The parts of the mode, their instance counts, then the LFSRs by width and the glue (the
 * output register: N*E + 1 flip-flops with out_valid). */
static int emit_parts(const ssa_plan *plan, ssa_design *d, ssa_error *err) {
  const ssa_attention_params *p = &plan->params;
  part_dims x = {p->tokens, p->dim, plan->group[SSA_GROUP_SCORE].bits,
                 plan->group[SSA_GROUP_OUTPUT].bits};
  unsigned long n = p->tokens, h = p->heads, e = p->heads * p->dim;
  part_spec spec[2];
  if (p->reduce == SSA_REDUCE_COUNT) {
    spec[0] = (part_spec){"ssa_part_sc_count_score", "a score unit of the SC attention "
                          "(reduce=count)", "D", h * n * n, sc_count_score};
    spec[1] = (part_spec){"ssa_part_sc_count_output", "an output unit of the SC attention "
                          "(reduce=count)", "N", n * e, sc_count_output};
  } else if (p->share == SSA_SHARE_UNIT) {
    spec[0] = (part_spec){"ssa_part_sc_score", "a score unit of the SC attention (reduce=mux, "
                          "share=unit)", "D", h * n * n, sc_score};
    spec[1] = (part_spec){"ssa_part_sc_output", "an output unit of the SC attention "
                          "(reduce=mux, share=unit)", "N", n * e, sc_output};
  } else if (p->share == SSA_SHARE_ROW) {
    spec[0] = (part_spec){"ssa_part_sc_row_score", "a row's score select of the SC attention "
                          "(reduce=mux, share=row)", "ND", h * n, sc_row_score};
    spec[1] = (part_spec){"ssa_part_sc_row_output", "a row's output select of the SC "
                          "attention (reduce=mux, share=row)", "ND", h * n, sc_row_output};
  } else if (p->share == SSA_SHARE_ROW_GLOBAL) {
    spec[0] = (part_spec){"ssa_part_sc_row_global_column", "a head's rows of K and V of the SC "
                          "attention (reduce=mux, share=row-global)", "ND", h,
                          sc_row_global_column};
    spec[1] = (part_spec){"ssa_part_sc_row_global_row", "a row of the SC attention (reduce=mux, "
                          "share=row-global)", "D", h * n, sc_row_global_row};
  } else {
    spec[0] = (part_spec){"ssa_part_sc_global_column", "a head's column select of the SC "
                          "attention (reduce=mux, share=global)", "ND", h, sc_global_column};
    spec[1] = (part_spec){"ssa_part_sc_global_row", "a row of the SC attention (reduce=mux, "
                          "share=global)", "D", h * n, sc_global_row};
  }
  for (unsigned k = 0; k < 2; k++) {
    char params[32];
    if (strcmp(spec[k].deps, "ND") == 0) snprintf(params, sizeof params, "N=%u D=%u", x.n, x.d);
    else if (strcmp(spec[k].deps, "N") == 0) snprintf(params, sizeof params, "N=%u", x.n);
    else snprintf(params, sizeof params, "D=%u", x.d);
    ssa_emitter pe;
    if (ssa_part_open(&pe, spec[k].module, spec[k].what, params, err) != 0) return -1;
    spec[k].body(pe.f, &x);
    if (ssa_part_close(&pe, d, spec[k].module, params, spec[k].count, err) != 0) return -1;
  }
  if (plan->params.random == SSA_RANDOM_SOBOL) {
    unsigned sb = plan->group[SSA_GROUP_SCORE].bits, ob = plan->group[SSA_GROUP_OUTPUT].bits;
    char params[32];
    snprintf(params, sizeof params, "SB=%u OB=%u", sb, ob);
    ssa_emitter pe;
    if (ssa_part_open(&pe, "ssa_part_prng_sobol", "the block's low-discrepancy selects", params,
                      err) != 0)
      return -1;
    sc_prng_sobol(pe.f, sb, ob);
    if (ssa_part_close(&pe, d, "ssa_part_prng_sobol", params, 1, err) != 0) return -1;
  }
  for (unsigned g = 0; g < SSA_GROUP_COUNT; g++)
    if (plan->group[g].lfsr_count > 0 &&
        ssa_design_add_part(d, "ssa_lfsr", plan->group[g].lfsr_count, "WIDTH=%u",
                            plan->group[g].width) != 0)
      return ssa_fail(err, "ssa_attention: too many part types");
  return ssa_part_glue(d, "ssa_attention", n * e + 1, err);
}

/* Where the row becomes a hierarchical block for Verilator: from 4096 score units (H*N*N; N = 64,
 * one head) with reduce=mux, whose units are a few gates each; with reduce=count from 4096
 * popcount inputs (H*N*N*D of the score units' D-bit counts plus as many of the output units'
 * N-bit counts): a popcount tree is about ten times a mux unit's C++. Measured at -O0 (the
 * suite's level) on 2 cores, verilation and compile: count N=16 D=16 44 s flat, 8 s as a block;
 * count N=16 D=8 19 s and 2 s; but count N=8 D=8 H=2 (2048 inputs) 5 s flat, 7 s as a block,
 * and mux N=16 D=16 4.9 s flat, 5.8 s as a block. */
#define SSA_ROW_BLOCK_UNITS 4096
#define SSA_ROW_BLOCK_COUNT_INPUTS 4096

static int row_is_block(const ssa_attention_params *p) {
  unsigned long units = (unsigned long)p->heads * p->tokens * p->tokens;
  if (p->reduce == SSA_REDUCE_COUNT) return 2 * units * p->dim >= SSA_ROW_BLOCK_COUNT_INPUTS;
  return units >= SSA_ROW_BLOCK_UNITS;
}

/* ssa_attention_row.v: one head's row of units (see emit_unit_rows), its widths written out:
 * the text depends on N, D and the reduce mode, and a hierarchical block has no parameters. */
static int emit_row_module(const ssa_plan *plan, ssa_design *d, ssa_error *err) {
  const ssa_attention_params *p = &plan->params;
  unsigned n = p->tokens, dim = p->dim, sb = plan->group[SSA_GROUP_SCORE].bits,
           ob = plan->group[SSA_GROUP_OUTPUT].bits;
  int count = p->reduce == SSA_REDUCE_COUNT;
  ssa_emitter e;
  if (ssa_emitter_open(&e, err) != 0) return -1;
  FILE *f = e.f;
  out(f, "// ssa_attention_row.v -- one head's row of the SC attention's units: N score units\n"
         "// and D output units (reduce=%s); generated by ssa %s, do not edit.\n",
      ssa_reduce_name(p->reduce), SSA_VERSION);
  int block = row_is_block(p);
  out(f, "// Not a part: synthesis flattens it. In a large design it is a hierarchical block,\n"
         "// which Verilator builds once (row_is_block, gen/emit_attention.c). Its text depends\n"
         "// only on N=%u D=%u, the reduce mode and that (%s).\n"
         "`timescale 1ns / 1ps\n\nmodule ssa_attention_row (\n", n, dim,
      block ? "a block" : "flat");
  ssa_part_port(f, "input", dim, "q_i", 0, "Q[i, hD +: D]");
  ssa_part_port(f, "input", n * dim, "k_i", 0, "the head's K, row j at [j*D +: D], N rows");
  ssa_part_port(f, "input", dim * n, "v_i", 0, "the head's V, column d at [d*N +: N]");
  ssa_part_port(f, "input", n * sb, "score_rnd_i", 0, "score unit j's number at [j*SB +: SB]");
  ssa_part_port(f, "input", dim * ob, "output_rnd_i", 0, "output unit d's number at [d*OB +: OB]");
  ssa_part_port(f, "output", dim, "o_o", 1, "O[i, hD +: D]");
  out(f, ");\n");
  /* Small designs stay flat in Verilator: a hierarchical block costs a verilation of its own
   * (a few seconds), and a model that has run one stays loaded until its thread ends (the
   * block's wrapper names itself with $sformatf, whose buffer is thread_local). */
  if (block) out(f, "  /*verilator hier_block*/\n");
  out(f, "  localparam integer N  = %u;\n  localparam integer D  = %u;\n", n, dim);
  out(f, "  localparam integer SB = %u;\n  localparam integer OB = %u;\n\n", sb, ob);
  out(f, "  wire [N-1:0] s_row;  // s_ij, j = 0 .. N-1\n  genvar j, d;\n  generate\n");
  out(f, "    for (j = 0; j < N; j = j + 1) begin : g_score\n");
  out(f, "      %s u_score (\n", count ? "ssa_part_sc_count_score" : "ssa_part_sc_score");
  out(f, "        .q_i(q_i), .k_i(k_i[j*D +: D]), .rnd_i(score_rnd_i[j*SB +: SB]), "
         ".s_o(s_row[j]));\n    end\n");
  out(f, "    for (d = 0; d < D; d = d + 1) begin : g_out\n");
  out(f, "      %s u_out (\n", count ? "ssa_part_sc_count_output" : "ssa_part_sc_output");
  out(f, "        .s_i(s_row), .v_i(v_i[d*N +: N]), .rnd_i(output_rnd_i[d*OB +: OB]), "
         ".o_o(o_o[d]));\n    end\n  endgenerate\nendmodule\n");
  return ssa_emitter_close(&e, d, "ssa_attention_row.v", err);
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
  if (p->random == SSA_RANDOM_SOBOL) emit_sobol_source(f);
  else ssa_emit_prng_bank(f, plan, bank_name, bank_tag, "in_valid_i");
  int unit_rows = p->reduce == SSA_REDUCE_COUNT || p->share == SSA_SHARE_UNIT;
  if (unit_rows) {
    if (emit_row_numbers(f, plan, SSA_GROUP_SCORE, "score_rnd", used, err) != 0 ||
        emit_row_numbers(f, plan, SSA_GROUP_OUTPUT, "output_rnd", used, err) != 0) {
      free(used);
      ssa_emitter_abort(&e);
      return -1;
    }
  } else {
    emit_numbers(f, plan, SSA_GROUP_SCORE, "score_rnd", used);
    emit_numbers(f, plan, SSA_GROUP_OUTPUT, "output_rnd", used);
  }
  ssa_emit_prng_unused(f, plan, used, bank_name);
  out(f, "\n  // ---- datapath: reduce=%s, share=%s ----\n", ssa_reduce_name(p->reduce),
      ssa_share_name(p->share));
  out(f, "  wire [N*E-1:0] o_d;\n");
  if (unit_rows) {
    emit_unit_rows(f);  /* the rows index their numbers themselves (emit_row_numbers) */
  } else {
    /* the index of a unit's number in score_rnd and output_rnd, from the plan's slot form */
    char su[64], ou[64];
    slot_expr(su, sizeof su, plan, SSA_GROUP_SCORE, "j", "N");
    slot_expr(ou, sizeof ou, plan, SSA_GROUP_OUTPUT, "d", "D");
    if (p->share == SSA_SHARE_ROW) emit_mux_row(f, su, ou);
    else if (p->share == SSA_SHARE_ROW_GLOBAL) emit_mux_row_global(f, su, ou);
    else emit_mux_global(f, su, ou);
  }
  emit_output_register(f, bits);
  free(used);
  int rc = ssa_emitter_close(&e, design, "ssa_attention.v", err);
  if (rc == 0 && unit_rows) rc = emit_row_module(plan, design, err);
  if (rc == 0) rc = emit_parts(plan, design, err);
  if (rc == 0 && plan->lfsr_count > 0)
    rc = ssa_emit_add_primitive(design, "ssa_lfsr.v", ssa_rtl_lfsr, err);
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
