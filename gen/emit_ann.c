/* emit_ann.c -- Verilog of the int8 ANN attention (see emit_ann.h; core/ann_params.h defines
 * the arithmetic bit for bit). Two organisations of the same arithmetic:
 *
 * --macs 0, fully parallel: one combinational datapath into one output register (latency 1,
 * a step every clock). Every product is a multiplier of its own, the row maximum a comparator
 * tree, each exponent a 16-entry table and a shift, each row's 2^(24+L) / R_i one divider
 * (restoring division unrolled: the folded form's divider, a stage per quotient bit). Each of
 * these units is a part (gen/emit_part.h, ssa_part_ann_*), declared with its instances so that
 * ssa compose can price the design from a smaller one (see emit_parts).
 *
 * --macs M >= 1: M multiply-accumulate units shared by a fixed schedule. The accepting edge
 * captures Q, K and V into registers; then, row after row in the order i = 0 .. N-1 and within
 * a row head h = 0 .. H-1 (so the output chunks come out in the order of o_o's bits):
 *   scores    N * C edges, C = D / M: S_ij for j = 0 .. N-1, M products a clock summed into an
 *             accumulator; the scores go into a register file and the running maximum
 *   exponents N edges (softmax int): e_ij, one per clock, into the row sum R_i
 *   reciprocal 10 + L edges (softmax int): r_i by a restoring divider, one quotient bit a clock
 *   outputs   C * N edges: for each chunk of M columns, for j = 0 .. N-1, P_ij (recomputed from
 *             S_ij by the same exponent unit and one e r multiplier) times V[j, chunk] into the
 *             M accumulators; the chunk is requantised into a working register on its last j.
 * Latency, from in_valid_i's edge to out_valid_o, and the interval between steps:
 *   int:  1 + N H (2 N C + N + 10 + L)        none: 1 + N H (2 N C)
 * Its parts are the MAC units, their requantisers and the one exponent unit and probability
 * multiplier; the rest, registers and schedule, is one datapath: the glue.
 * The last edge copies the working register (with its last chunk) into o_o, so o_o changes
 * only with out_valid_o; in_ready_o is low from the accepting edge to the last one. */
#include "emit_ann.h"

#include <stdarg.h>
#include <string.h>

#include "emit_part.h"
#include "emit_util.h"

#define VALUE_BITS 8u /* int8 Q, K, V, O */

/* The widths of ann_params.h and the ones an organisation adds, computed once. */
typedef struct ann_shape {
  unsigned n, d, h, e, l, ld, m, chunks; /* chunks: C = D / M clocks per dot product */
  int soft;                              /* softmax int */
  unsigned sb;  /* S, signed: 16 + log2 D */
  unsigned ab;  /* A, signed, exact */
  unsigned rsb; /* R, unsigned: 16 + L */
  unsigned rw;  /* r, unsigned: 10 + L */
  unsigned qw;  /* the rounding sum A + 2^(Y-1), signed: max(A, Y) + 1 */
  unsigned pvw; /* a product P V, signed: int 16 (|255 * -128| < 2^15), none 22 + log2 D */
  /* M units only: an accumulator serves S and A, a multiplier Q K and P V */
  unsigned acc; /* accumulator, signed: max(S, A) */
  unsigned pw;  /* the multiplier's first operand, signed: Q or P, P as 9 bits when unsigned */
  unsigned pr;  /* its product, signed: min(pw + 8, acc), wide enough for every value */
} ann_shape;

static unsigned max_u(unsigned a, unsigned b) { return a > b ? a : b; }
static unsigned min_u(unsigned a, unsigned b) { return a < b ? a : b; }
static unsigned bits_for(unsigned count) { /* a counter of 0 .. count-1, at least 1 bit */
  unsigned n = 1;
  while ((1u << n) < count) n++;
  return n;
}

static ann_shape shape_of(const ssa_ann_attention_params *p) {
  ann_shape s;
  s.n = p->tokens, s.d = p->dim, s.h = p->heads, s.e = p->heads * p->dim;
  s.l = ssa_ann_log2(p->tokens), s.ld = ssa_ann_log2(p->dim);
  s.m = p->macs, s.chunks = p->macs == 0 ? 1 : p->dim / p->macs;
  s.soft = p->softmax == SSA_ANN_SOFTMAX_INT;
  s.sb = ssa_ann_score_bits(p), s.ab = ssa_ann_acc_bits(p);
  s.rsb = 16 + s.l, s.rw = 10 + s.l;
  s.qw = max_u(s.ab, p->out_shift) + 1;
  s.pvw = s.soft ? 16 : 22 + s.ld;
  s.acc = max_u(s.sb, s.ab);
  s.pw = s.soft ? 9 : s.sb;
  s.pr = min_u(s.pw + 8, s.acc);
  return s;
}

/* Edges of one (row, head) in the folded schedule. */
static unsigned row_edges(const ann_shape *s) {
  return 2 * s->n * s->chunks + (s->soft ? s->n + s->rw : 0);
}

unsigned ssa_ann_attention_latency(const ssa_ann_attention_params *p) {
  if (p->macs == 0) return 1;
  ann_shape s = shape_of(p);
  return 1 + s.n * s.h * row_edges(&s);
}

unsigned ssa_ann_attention_interval(const ssa_ann_attention_params *p) {
  return ssa_ann_attention_latency(p); /* one step in flight at a time */
}

/* ---- banner ---- */

/* One line of the arithmetic: the formula, then from column 50 its widths. */
static void emit_step(FILE *f, const char *formula, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void emit_step(FILE *f, const char *formula, const char *fmt, ...) {
  char widths[160];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(widths, sizeof widths, fmt, ap);
  va_end(ap);
  ssa_out(f, "//   %-45s %s\n", formula, widths);
}

static void emit_summary(FILE *f, const ssa_ann_attention_params *p, const ann_shape *s) {
  char formula[64];
  ssa_out(f, "//\n// Parameters\n//   tokens N       %u (L = log2 N = %u)\n"
             "//   dim D          %u (per head)\n//   heads H        %u\n"
             "//   embedding E    %u (= H * D)\n", s->n, s->l, s->d, s->h, s->e);
  if (s->soft)
    ssa_out(f, "//   softmax        int, score-shift Z %u\n", p->score_shift);
  else
    ssa_out(f, "//   softmax        none (P = S)\n");
  ssa_out(f, "//   out-shift Y    %u\n", p->out_shift);
  if (s->m == 0) ssa_out(f, "//   macs M         0 (fully parallel)\n");
  else ssa_out(f, "//   macs M         %u (multiply-accumulate units, C = D / M = %u)\n", s->m,
               s->chunks);
  ssa_out(f, "//\n// Arithmetic per head h (core/ann_params.h), exact integers, widths in bits:\n");
  emit_step(f, "S_ij = sum_d Q[i,hD+d] K[j,hD+d]", "8 x 8 -> 16-bit products; S signed %u",
            s->sb);
  if (s->soft) {
    emit_step(f, "m_i  = max_j S_ij", "signed %u", s->sb);
    snprintf(formula, sizeof formula, "x_ij = (m_i - S_ij) >> %u", p->score_shift);
    emit_step(f, formula, "unsigned %u (m_i - S_ij < 2^%u)", s->sb, 15 + s->ld);
    emit_step(f, "e_ij = x >= 256 ? 0 : T[x & 15] >> (x >> 4)", "unsigned 16, 0 .. 32768");
    ssa_out(f, "//          T[f] = 2^(-f/16) in 15 fraction bits, f = 0 .. 15:");
    for (unsigned k = 0; k < 16; k++)
      ssa_out(f, "%s %u", k % 8 == 0 ? "\n//           " : "", SSA_ANN_EXP2[k]);
    ssa_out(f, "\n");
    emit_step(f, "R_i  = sum_j e_ij", "unsigned %u, 2^15 .. 2^%u", s->rsb, 15 + s->l);
    snprintf(formula, sizeof formula, "r_i  = floor(2^%u / R_i)", 24 + s->l);
    emit_step(f, formula, "unsigned %u, 2^9 .. 2^%u", s->rw, 9 + s->l);
    snprintf(formula, sizeof formula, "P_ij = min(255, (e_ij r_i) >> %u)", 16 + s->l);
    emit_step(f, formula, "16 x %u -> %u-bit product; P unsigned 8", s->rw, 16 + s->rw);
    emit_step(f, "A_id = sum_j P_ij V[j,hD+d]", "9 x 8 -> 16-bit products (P as signed 9);");
    emit_step(f, "", "A signed %u", s->ab);
  } else {
    emit_step(f, "P_ij = S_ij", "signed %u", s->sb);
    emit_step(f, "A_id = sum_j P_ij V[j,hD+d]", "%u x 8 -> %u-bit products; A signed %u", s->sb,
              s->pvw, s->ab);
  }
  if (p->out_shift == 0) {
    emit_step(f, "O    = sat8(A)", "signed 8 (-128 .. 127)");
  } else {
    snprintf(formula, sizeof formula, "O    = sat8((A + 2^%u) >>> %u)", p->out_shift - 1,
             p->out_shift);
    emit_step(f, formula, "rounding sum signed %u; O signed 8", s->qw);
  }
  ssa_out(f, "//   (>>> floors; sums wrap modulo 2^width, exact because every result fits its "
             "width)\n");
}

static void emit_resources_parallel(FILE *f, const ann_shape *s) {
  unsigned hn = s->h * s->n, hnn = hn * s->n;
  ssa_out(f, "// Resources (fully parallel, combinational into one register):\n"
             "//   multipliers  %u of 8 x 8 (scores, H N N D)", hnn * s->d);
  if (s->soft)
    ssa_out(f, ", %u of 16 x %u (e r, H N N),\n//                %u of 9 x 8 (P V, N N E)\n",
            hnn, s->rw, s->n * s->n * s->e);
  else
    ssa_out(f, ",\n//                %u of %u x 8 (P V, N N E)\n", s->n * s->n * s->e, s->sb);
  ssa_out(f, "//   adders       %u of %u bits (score sums, H N N (D-1)), %u of %u bits (P V sums, "
             "N E (N-1)),\n//                %u of %u bits (rounding, N E)\n",
          hnn * (s->d - 1), s->sb, s->n * s->e * (s->n - 1), s->ab, s->n * s->e, s->qw);
  if (s->soft)
    ssa_out(f, "//   softmax      %u comparators of %u bits (max trees, H N (N-1)), %u "
               "subtractors of %u bits,\n//                %u exponent tables (16 entries) with "
               "shifters, %u adders of %u bits (row sums),\n//                %u dividers "
               "(one per row, H N: %u restoring stages, each a %u-bit subtractor\n"
               "//                and a mux), %u clamps to 255\n",
            hn * (s->n - 1), s->sb, hnn, s->sb, hnn, hn * (s->n - 1), s->rsb, hn, s->rw,
            s->rsb + 1, hnn);
  ssa_out(f, "//   registers    %u (o_o, N E 8) + 1 (out_valid_o)\n"
             "// Latency: 1 clock from in_valid_i to out_valid_o; one step per clock.\n",
          s->n * s->e * VALUE_BITS);
}

static void emit_resources_folded(FILE *f, const ann_shape *s, unsigned latency) {
  unsigned acc = s->acc, nev = s->n * s->e * VALUE_BITS;
  ssa_out(f, "// Resources (M = %u multiply-accumulate unit%s and a schedule):\n"
             "//   multipliers  %u of %u x 8 (the MACs: Q K in the scores, P V in the outputs)",
          s->m, s->m == 1 ? "" : "s", s->m, s->pw);
  if (s->soft) ssa_out(f, ", 1 of 16 x %u (e r)", s->rw);
  ssa_out(f, "\n//   adders       %u of %u bits (accumulators)", s->m, acc);
  if (s->m > 1) ssa_out(f, " + %u of %u bits (a score's M products summed)", s->m - 1, acc);
  ssa_out(f, ",\n//                %u of %u bits (rounding)\n", s->m, s->qw);
  if (s->soft)
    ssa_out(f, "//   softmax      1 comparator of %u bits (running max), 1 subtractor of %u bits, "
               "1 exponent table\n//                with shifter, 1 adder of %u bits (row sum), 1 "
               "restoring divider (a %u-bit\n//                subtractor, one quotient bit a "
               "clock), 1 clamp to 255\n", s->sb, s->sb, s->rsb, s->rsb + 1);
  ssa_out(f, "//   registers    %u (Q, K, V captured), %u (o_o's working copy), %u (o_o),\n"
             "//                %u (scores, N x %u), %u (accumulators, M x %u),\n",
          3 * nev, nev, nev, s->n * s->sb, s->sb, s->m * acc, acc);
  if (s->soft)
    ssa_out(f, "//                %u (max), %u (R), %u (remainder), %u (r),\n", s->sb, s->rsb,
            s->rsb, s->rw);
  ssa_out(f, "//                and the schedule's counters\n"
             "// Schedule, per row i and within it per head h (edges):\n"
             "//   %u scores (N C: S_ij, M products a clock, j = 0 .. N-1)\n", s->n * s->chunks);
  if (s->soft)
    ssa_out(f, "//   %u exponents (N: e_ij into R_i), %u reciprocal (10 + L: one quotient bit "
               "each)\n", s->n, s->rw);
  ssa_out(f, "//   %u outputs (C N: per chunk of M columns, j = 0 .. N-1, P_ij V[j, chunk] into "
             "the M MACs)\n", s->chunks * s->n);
  ssa_out(f, "// Latency: 1 + N H (%s) = 1 + %u x %u = %u clocks from in_valid_i\n"
             "//   to out_valid_o; in_ready_o is low meanwhile, so a step is accepted every %u "
             "clocks.\n",
          s->soft ? "2 N C + N + 10 + L" : "2 N C", s->n * s->h, row_edges(s), latency, latency);
}

/* ---- helpers ---- */

static void emit_localparams(FILE *f, const ann_shape *s) {
  ssa_out(f, "  localparam integer N  = %u;\n  localparam integer D  = %u;\n"
             "  localparam integer H  = %u;\n  localparam integer E  = %u;  // H * D\n"
             "  localparam integer SB = %u;  // S, signed: 16 + log2 D\n"
             "  localparam integer AB = %u;  // A = sum_j P V, signed\n",
          s->n, s->d, s->h, s->e, s->sb, s->ab);
  if (s->soft)
    ssa_out(f, "  localparam integer RW = %u;  // r = 2^(24+L) / R: 10 + L\n"
               "  localparam integer RS = %u;  // R = sum_j e: 16 + L\n", s->rw, s->rsb);
}

/* `value` (a signed Verilog expression of `from` bits) as `to` bits: sign-extended by an
 * explicit concatenation (Verilator's -Wall flags an implicit extension), as it is when equal. */
static const char *widened(char *buf, size_t len, const char *value, const char *msb,
                           unsigned from, unsigned to, const char *to_name, const char *from_name) {
  if (from == to) snprintf(buf, len, "%s", value);
  else snprintf(buf, len, "$signed({{(%s-%s){%s}}, %s})", to_name, from_name, msb, value);
  return buf;
}

/* x = diff >> Z as Verilog: nothing to write when Z is 0. */
static const char *shifted(char *buf, size_t len, const char *what, unsigned z) {
  if (z == 0) snprintf(buf, len, "%s", what);
  else snprintf(buf, len, "%s >> %u", what, z);
  return buf;
}

/* ---- the parts (gen/emit_part.h): the units both organisations repeat, each a module whose
 * text depends only on the parameters it is declared with ---- */

/* S_ij = sum_d Q[i,hD+d] K[j,hD+d]: D multipliers 8 x 8 and their sum. Depends on D. */
static void part_score(FILE *f, const ssa_ann_attention_params *p, const ann_shape *s) {
  (void)p;
  ssa_out(f, "module ssa_part_ann_score (\n");
  ssa_part_port(f, "input", s->d * VALUE_BITS, "q_i", 0, "Q[i, hD +: D], int8 d at [d*8 +: 8]");
  ssa_part_port(f, "input", s->d * VALUE_BITS, "k_i", 0, "K[j, hD +: D], likewise");
  ssa_part_port(f, "output", s->sb, "s_o", 1, "S_ij, signed");
  ssa_out(f, ");\n  localparam integer D  = %u;\n  localparam integer SB = %u;  // 16 + log2 D\n\n"
             "  reg signed [SB-1:0] dot;\n  reg signed [15:0]   prod;\n  integer k;\n"
             "  always @* begin\n    dot = {SB{1'b0}};\n    for (k = 0; k < D; k = k + 1) begin\n"
             "      prod = $signed(q_i[k*8 +: 8]) * $signed(k_i[k*8 +: 8]);\n"
             "      dot  = dot + $signed({{(SB-16){prod[15]}}, prod});\n    end\n  end\n"
             "  assign s_o = dot;\nendmodule\n", s->d, s->sb);
}

/* One node of a row's comparator tree: the larger of two scores. Depends on D. */
static void part_max(FILE *f, const ssa_ann_attention_params *p, const ann_shape *s) {
  (void)p;
  ssa_out(f, "module ssa_part_ann_max (\n");
  ssa_part_port(f, "input", s->sb, "a_i", 0, "a score or a subtree's maximum, signed");
  ssa_part_port(f, "input", s->sb, "b_i", 0, "another");
  ssa_part_port(f, "output", s->sb, "max_o", 1, "the larger");
  ssa_out(f, ");\n  assign max_o = $signed(a_i) > $signed(b_i) ? a_i : b_i;\nendmodule\n");
}

/* e_ij = 2^(-x/16) of x = (m_i - S_ij) >> Z: a 16-entry table and a shift. Depends on D, Z. */
static void part_exp(FILE *f, const ssa_ann_attention_params *p, const ann_shape *s) {
  char x[64];
  ssa_out(f, "module ssa_part_ann_exp (\n");
  ssa_part_port(f, "input", s->sb, "max_i", 0, "m_i, the row's largest score");
  ssa_part_port(f, "input", s->sb, "s_i", 0, "S_ij");
  ssa_part_port(f, "output", 16, "e_o", 1, "e_ij, 15 fraction bits, 0 .. 32768");
  ssa_out(f, ");\n  localparam integer SB = %u;  // 16 + log2 D\n\n"
             "  // 2^(-x/16) in 15 fraction bits: a 16-entry table of 2^(-f/16) and a right "
             "shift by x >> 4;\n  // 0 from x = 256 on\n"
             "  function [15:0] exp2_neg;\n    input [SB-1:0] x;\n    reg   [15:0]   t;\n"
             "    begin\n      case (x[3:0])\n", s->sb);
  for (unsigned k = 0; k < 16; k++)
    ssa_out(f, "        4'd%u:%s t = 16'd%u;\n", k, k < 10 ? " " : "", SSA_ANN_EXP2[k]);
  ssa_out(f, "      endcase\n      exp2_neg = |x[SB-1:8] ? 16'd0 : t >> x[7:4];\n    end\n"
             "  endfunction\n\n"
             "  wire [SB-1:0] diff = max_i - s_i;  // m_i - S_ij: >= 0, below 2^SB\n"
             "  assign e_o = exp2_neg(%s);\nendmodule\n",
          shifted(x, sizeof x, "diff", p->score_shift));
}

/* R_i = sum_j e_ij. Depends on N. */
static void part_row_sum(FILE *f, const ssa_ann_attention_params *p, const ann_shape *s) {
  (void)p;
  ssa_out(f, "module ssa_part_ann_row_sum (\n");
  ssa_part_port(f, "input", s->n * 16, "e_i", 0, "e_ij at [j*16 +: 16], j = 0 .. N-1");
  ssa_part_port(f, "output", s->rsb, "sum_o", 1, "R_i, 2^15 .. 2^(15+L)");
  /* RS - 16 = log2 N >= 1: the extension is never a zero replication */
  ssa_out(f, ");\n  localparam integer N  = %u;\n  localparam integer RS = %u;  // 16 + log2 N\n\n"
             "  reg [RS-1:0] sum;\n  integer      u;\n  always @* begin\n"
             "    sum = {RS{1'b0}};\n    for (u = 0; u < N; u = u + 1) begin\n"
             "      sum = sum + {{(RS-16){1'b0}}, e_i[u*16 +: 16]};\n    end\n  end\n"
             "  assign sum_o = sum;\nendmodule\n", s->n, s->rsb);
}

/* r_i = floor(2^(24+L) / R_i): restoring division unrolled, a stage per quotient bit (the
 * folded form's divider, stage by stage). Depends on N. */
static void part_recip(FILE *f, const ssa_ann_attention_params *p, const ann_shape *s) {
  (void)p;
  ssa_out(f, "module ssa_part_ann_recip (\n");
  ssa_part_port(f, "input", s->rsb, "sum_i", 0, "R_i, at least 2^15");
  ssa_part_port(f, "output", s->rw, "recip_o", 1, "r_i = 2^(24+L) / R_i, 2^9 .. 2^(9+L)");
  ssa_out(f, ");\n  localparam integer RW = %u;  // 10 + L\n  localparam integer RS = %u;  "
             "// 16 + L\n\n"
             "  // R_i >= 2^15 > 2^14, the dividend's bits above the quotient's, so those start "
             "the\n  // remainder; each stage shifts in one of the 10 + L zero bits below. "
             "2 rem - R_i lies in\n  // (-R_i, R_i): RS+1 bits hold it.\n"
             "  reg [RW-1:0] recip;\n  reg [RS-1:0] rem;    // the partial remainder, below R_i\n"
             "  reg [RS:0]   trial;  // 2 rem - R_i, negative when the quotient bit is 0\n"
             "  integer      b;\n  always @* begin\n"
             "    rem = %u'd16384;  // 2^(24+L) >> (10+L)\n"
             "    for (b = RW - 1; b >= 0; b = b - 1) begin\n"
             "      trial    = {rem, 1'b0} - {1'b0, sum_i};\n      recip[b] = ~trial[RS];\n"
             "      rem      = trial[RS] ? {rem[RS-2:0], 1'b0} : trial[RS-1:0];\n"
             "    end\n  end\n  assign recip_o = recip;\nendmodule\n", s->rw, s->rsb, s->rsb);
}

/* P_ij = min(255, (e_ij r_i) >> (16 + L)): a 16 x RW multiplier and a clamp. Depends on N. */
static void part_prob(FILE *f, const ssa_ann_attention_params *p, const ann_shape *s) {
  (void)p;
  ssa_out(f, "module ssa_part_ann_prob (\n");
  ssa_part_port(f, "input", 16, "e_i", 0, "e_ij");
  ssa_part_port(f, "input", s->rw, "r_i", 0, "r_i");
  ssa_part_port(f, "output", 8, "p_o", 1, "P_ij, unsigned");
  ssa_out(f, ");\n  localparam integer L  = %u;   // log2 N\n  localparam integer RW = %u;  "
             "// 10 + L\n\n"
             "  wire [RW+15:0] er = e_i * r_i;\n"
             "  wire           unused_er = |er[L+15:0];  // below P's unit\n"
             "  assign p_o = |er[RW+15:L+24] ? 8'd255 : er[L+16 +: 8];\nendmodule\n",
          s->l, s->rw);
}

/* A_id = sum_j P_ij V[j,hD+d]: N multipliers and their sum. Depends on N, and for softmax
 * none (P = S, wider products) on D. */
static void part_out(FILE *f, const ssa_ann_attention_params *p, const ann_shape *s) {
  char x[128];
  (void)p;
  ssa_out(f, "module ssa_part_ann_out (\n");
  if (s->soft) ssa_part_port(f, "input", s->n * 8, "p_i", 0, "P_ij at [j*8 +: 8], unsigned");
  else ssa_part_port(f, "input", s->n * s->sb, "p_i", 0, "P_ij = S_ij at [j*SB +: SB], signed");
  ssa_part_port(f, "input", s->n * 8, "v_i", 0, "V[j, hD+d] at [j*8 +: 8]");
  ssa_part_port(f, "output", s->ab, "a_o", 1, "A_id, signed");
  ssa_out(f, ");\n  localparam integer N  = %u;\n", s->n);
  if (!s->soft) ssa_out(f, "  localparam integer SB = %u;  // 16 + log2 D\n", s->sb);
  ssa_out(f, "  localparam integer AB = %u;  // A, signed\n"
             "  localparam integer PV = %u;  // a product P V, signed\n\n"
             "  reg signed [AB-1:0] acc;\n  reg signed [PV-1:0] prod;\n  integer k;\n"
             "  always @* begin\n    acc = {AB{1'b0}};\n    for (k = 0; k < N; k = k + 1) begin\n"
             "      prod = %s * $signed(v_i[k*8 +: 8]);\n      acc  = acc + %s;\n    end\n"
             "  end\n  assign a_o = acc;\nendmodule\n",
          s->ab, s->pvw, s->soft ? "$signed({1'b0, p_i[k*8 +: 8]})" : "$signed(p_i[k*SB +: SB])",
          widened(x, sizeof x, "prod", "prod[PV-1]", s->pvw, s->ab, "AB", "PV"));
}

/* O = sat8((A + 2^(Y-1)) >>> Y), the shift flooring (arithmetic). Depends on A's width, Y. */
static void part_requant(FILE *f, const ssa_ann_attention_params *p, const ann_shape *s) {
  ssa_out(f, "module ssa_part_ann_requant (\n");
  ssa_part_port(f, "input", s->ab, "a_i", 0, "A, signed");
  ssa_part_port(f, "output", 8, "o_o", 1, "O, int8");
  ssa_out(f, ");\n  localparam integer AB = %u;  // A, signed\n"
             "  localparam integer QW = %u;  // A + 2^(Y-1), signed: max(AB, Y) + 1\n\n"
             "  reg signed [QW-1:0] t;\n  reg        [7:0]    o;\n  always @* begin\n"
             "    t = $signed({{(QW-AB){a_i[AB-1]}}, a_i});\n", s->ab, s->qw);
  if (p->out_shift != 0)
    ssa_out(f, "    t = t + %u'sd%llu;\n    t = t >>> %u;\n", s->qw, 1ull << (p->out_shift - 1),
            p->out_shift);
  ssa_out(f, "    if (t > 127) begin\n      o = 8'h7f;\n    end else if (t < -128) begin\n"
             "      o = 8'h80;\n    end else begin\n      o = t[7:0];\n    end\n  end\n"
             "  assign o_o = o;\nendmodule\n");
}

/* One multiply-accumulate unit of --macs M: Q K while scoring, P V in the output phase.
 * Depends on its operand, product and accumulator widths (PW, PR, ACC). */
static void part_mac(FILE *f, const ssa_ann_attention_params *p, const ann_shape *s) {
  char x[128];
  (void)p;
  ssa_out(f, "module ssa_part_ann_mac (\n");
  ssa_part_port(f, "input", 0, "scoring_i", 0, "1: Q K (scores), 0: P V (outputs)");
  ssa_part_port(f, "input", 8, "q_i", 0, "Q[i, c], int8");
  ssa_part_port(f, "input", s->pw, "p_i", 0, "P_ij, signed");
  ssa_part_port(f, "input", 8, "k_i", 0, "K[j, c], int8");
  ssa_part_port(f, "input", 8, "v_i", 0, "V[j, c], int8");
  ssa_part_port(f, "input", s->acc, "acc_i", 0, "the accumulator, signed");
  ssa_part_port(f, "output", s->pr, "prod_o", 0, "its product, signed");
  ssa_part_port(f, "output", s->acc, "acc_o", 1, "the accumulator plus the product");
  ssa_out(f, ");\n  localparam integer PW  = %u;  // the first operand, signed\n"
             "  localparam integer PR  = %u;  // the product, signed: min(PW + 8, ACC)\n"
             "  localparam integer ACC = %u;  // the accumulator, signed: max(SB, AB)\n\n"
             "  wire signed [PW-1:0] a = scoring_i ? $signed({{(PW-8){q_i[7]}}, q_i}) "
             ": $signed(p_i);\n"
             "  wire signed [7:0]    b = scoring_i ? k_i : v_i;\n"
             "  wire signed [PR-1:0] prod = a * b;\n"
             "  wire signed [ACC-1:0] sum = $signed(acc_i) + %s;\n"
             "  assign prod_o = prod;\n  assign acc_o  = sum;\nendmodule\n",
          s->pw, s->pr, s->acc, widened(x, sizeof x, "prod", "prod[PR-1]", s->pr, s->acc,
                                        "ACC", "PR"));
}

/* Writes part `module` (body `body`) into d and declares `count` instances of it. */
static int emit_one_part(const ssa_ann_attention_params *p, const ann_shape *s, ssa_design *d,
                         const char *module, const char *what,
                         void (*body)(FILE *, const ssa_ann_attention_params *,
                                      const ann_shape *),
                         unsigned long count, const char *params, ssa_error *err) {
  ssa_emitter e;
  if (ssa_part_open(&e, module, what, params, err) != 0) return -1;
  body(e.f, p, s);
  return ssa_part_close(&e, d, module, params, count, err);
}

/* The flip-flops of the folded top, the glue's unit (see emit_folded_registers): Q, K, V
 * captured, the working copy of o_o less its last chunk's place (never read, so synthesis
 * drops it), o_o, the row's scores, the accumulators, the control (busy, phase, out_valid and
 * the counters) and the softmax's registers. */
static unsigned long folded_flops(const ann_shape *s) {
  unsigned long nev = (unsigned long)s->n * s->e * VALUE_BITS;
  unsigned long flops = 3 * nev + (nev - s->m * VALUE_BITS) + nev + (unsigned long)s->n * s->sb +
                        (unsigned long)s->m * s->acc;
  flops += 1 + (s->soft ? 2 : 1) + 1; /* busy, phase, out_valid */
  flops += 2 * bits_for(s->n) + (s->h > 1 ? bits_for(s->h) : 0) +
           (s->chunks > 1 ? bits_for(s->chunks) : 0); /* i, j, h, c: see emit_folded_control */
  if (s->soft) flops += bits_for(s->rw) + s->sb + 2 * s->rsb + s->rw; /* b, max, R, rem, r */
  return flops;
}

/* The parts of the organisation and their instances, then the glue (docs/synthesis-and-
 * energy.md, "Parts"). --macs 0 repeats every unit of the arithmetic: per head and row, N
 * scores, a comparator tree of N - 1 nodes, N exponents, a row sum, a divider and N
 * probabilities, and per output a dot product of N and a requantiser; the glue is the output
 * register. --macs M is one scheduled datapath: its M MAC units and their requantisers, the
 * one exponent unit and probability multiplier it shares (the same modules as --macs 0's)
 * are parts; the registers, the schedule, the running maximum, the row sum and the
 * sequential divider are the glue, whose unit is the top's flip-flops. */
static int emit_parts(const ssa_ann_attention_params *p, const ann_shape *s, ssa_design *d,
                      ssa_error *err) {
  unsigned long h = s->h, n = s->n, rows = h * n, scores = h * n * n, outputs = n * s->e;
  char pd[32], pdz[32], pn[32], pout[48], pq[32], pmac[48];
  snprintf(pd, sizeof pd, "D=%u", s->d);
  snprintf(pdz, sizeof pdz, "D=%u Z=%u", s->d, p->score_shift);
  snprintf(pn, sizeof pn, "N=%u", s->n);
  if (s->soft) snprintf(pout, sizeof pout, "N=%u softmax=int", s->n);
  else snprintf(pout, sizeof pout, "N=%u D=%u softmax=none", s->n, s->d);
  snprintf(pq, sizeof pq, "AB=%u Y=%u", s->ab, p->out_shift);
  snprintf(pmac, sizeof pmac, "PW=%u PR=%u ACC=%u", s->pw, s->pr, s->acc);
  if (s->m == 0) {
    if (emit_one_part(p, s, d, "ssa_part_ann_score", "a score of the int8 ANN attention", part_score,
                      scores, pd, err) != 0)
      return -1;
    if (s->soft &&
        (emit_one_part(p, s, d, "ssa_part_ann_max", "a node of a row's comparator tree of the "
                       "int8 ANN attention", part_max, rows * (n - 1), pd, err) != 0 ||
         emit_one_part(p, s, d, "ssa_part_ann_exp", "a score's exponent of the int8 ANN "
                       "attention", part_exp, scores, pdz, err) != 0 ||
         emit_one_part(p, s, d, "ssa_part_ann_row_sum", "a row's sum of exponents of the int8 "
                       "ANN attention", part_row_sum, rows, pn, err) != 0 ||
         emit_one_part(p, s, d, "ssa_part_ann_recip", "a row's reciprocal (unrolled restoring "
                       "divider) of the int8 ANN attention", part_recip, rows, pn, err) != 0 ||
         emit_one_part(p, s, d, "ssa_part_ann_prob", "a probability of the int8 ANN attention",
                       part_prob, scores, pn, err) != 0))
      return -1;
    if (emit_one_part(p, s, d, "ssa_part_ann_out", "an output's dot product of the int8 ANN "
                      "attention", part_out, outputs, pout, err) != 0 ||
        emit_one_part(p, s, d, "ssa_part_ann_requant", "a requantiser of the int8 ANN attention",
                      part_requant, outputs, pq, err) != 0)
      return -1;
    /* the glue: the output register, N E 8 flip-flops and out_valid */
    return ssa_part_glue(d, "ssa_ann_attention", outputs * VALUE_BITS + 1, err);
  }
  if (emit_one_part(p, s, d, "ssa_part_ann_mac", "a multiply-accumulate unit of the int8 ANN "
                    "attention", part_mac, s->m, pmac, err) != 0 ||
      emit_one_part(p, s, d, "ssa_part_ann_requant", "a requantiser of the int8 ANN attention",
                    part_requant, s->m, pq, err) != 0)
    return -1;
  if (s->soft &&
      (emit_one_part(p, s, d, "ssa_part_ann_exp", "a score's exponent of the int8 ANN attention",
                     part_exp, 1, pdz, err) != 0 ||
       emit_one_part(p, s, d, "ssa_part_ann_prob", "a probability of the int8 ANN attention",
                     part_prob, 1, pn, err) != 0))
    return -1;
  return ssa_part_glue(d, "ssa_ann_attention", folded_flops(s), err);
}

/* ---- --macs 0: one combinational datapath into the output register ---- */

static void emit_parallel(FILE *f, const ann_shape *s) {
  ssa_out(f, "\n  // ---- datapath: per head h and row i, the scores, the softmax, the outputs, "
             "each unit a part ----\n"
             "  wire [N*E*8-1:0] o_d;  // this step's O, value (i, c) at [(i*E + c)*8 +: 8]\n"
             "  genvar h, i, j, d%s;\n  generate\n"
             "    for (h = 0; h < H; h = h + 1) begin : g_head\n"
             "      for (i = 0; i < N; i = i + 1) begin : g_row\n"
             "        wire [N*SB-1:0] s_row;  // S_ij at [j*SB +: SB]\n"
             "        for (j = 0; j < N; j = j + 1) begin : g_score\n"
             "          ssa_part_ann_score u_score (\n"
             "            .q_i(q_i[(i*E + h*D)*8 +: D*8]), .k_i(k_i[(j*E + h*D)*8 +: D*8]),\n"
             "            .s_o(s_row[j*SB +: SB]));\n        end\n", s->soft ? ", t" : "");
  if (s->soft) {
    ssa_out(f, "        // m_i: a comparator tree, node t = max(node 2t, node 2t+1) at "
               "[(t-1)*SB +: SB], the\n        // leaves (the scores) from N on\n"
               "        wire [(2*N-1)*SB-1:0] tree;\n"
               "        assign tree[(N-1)*SB +: N*SB] = s_row;\n"
               "        for (t = N - 1; t >= 1; t = t - 1) begin : g_max\n"
               "          ssa_part_ann_max u_max (\n"
               "            .a_i(tree[(2*t-1)*SB +: SB]), .b_i(tree[2*t*SB +: SB]),\n"
               "            .max_o(tree[(t-1)*SB +: SB]));\n        end\n"
               "        wire [SB-1:0] row_max = tree[0 +: SB];\n"
               "        // e_ij, R_i, r_i = 2^(24+L) / R_i (one divider a row), P_ij\n"
               "        wire [N*16-1:0] e_row;\n"
               "        for (j = 0; j < N; j = j + 1) begin : g_exp\n"
               "          ssa_part_ann_exp u_exp (\n"
               "            .max_i(row_max), .s_i(s_row[j*SB +: SB]), .e_o(e_row[j*16 +: 16]));\n"
               "        end\n"
               "        wire [RS-1:0] row_sum;\n        wire [RW-1:0] recip;\n"
               "        ssa_part_ann_row_sum u_row_sum (.e_i(e_row), .sum_o(row_sum));\n"
               "        ssa_part_ann_recip u_recip (.sum_i(row_sum), .recip_o(recip));\n"
               "        wire [N*8-1:0] p_row;\n"
               "        for (j = 0; j < N; j = j + 1) begin : g_prob\n"
               "          ssa_part_ann_prob u_prob (\n"
               "            .e_i(e_row[j*16 +: 16]), .r_i(recip), .p_o(p_row[j*8 +: 8]));\n"
               "        end\n");
  } else {
    ssa_out(f, "        wire [N*SB-1:0] p_row = s_row;  // softmax none: P = S\n");
  }
  ssa_out(f, "        // A_id and O[i, hD+d]\n"
             "        for (d = 0; d < D; d = d + 1) begin : g_out\n"
             "          wire [N*8-1:0] v_col;  // V[j, hD+d] at [j*8 +: 8]\n"
             "          wire [AB-1:0]  acc;    // A_id\n"
             "          for (j = 0; j < N; j = j + 1) begin : g_v\n"
             "            assign v_col[j*8 +: 8] = v_i[(j*E + h*D + d)*8 +: 8];\n"
             "          end\n"
             "          ssa_part_ann_out u_out (.p_i(p_row), .v_i(v_col), .a_o(acc));\n"
             "          ssa_part_ann_requant u_requant (.a_i(acc), .o_o(o_d[(i*E + h*D + d)*8 +: "
             "8]));\n        end\n      end\n    end\n  endgenerate\n\n");
  /* a sized zero, not a replication: Verilator flags replications beyond 8k bits */
  char zero[32];
  snprintf(zero, sizeof zero, "%u'd0", s->n * s->e * VALUE_BITS);
  ssa_out(f, "  // ---- output register: the step's O one clock after in_valid_i ----\n");
  ssa_emit_step_register(f, "o_o", "o_q", "N*E*8", "o_d", zero);
}

/* ---- --macs M: M multiply-accumulate units and the schedule of the file's header ---- */

static void emit_folded_control(FILE *f, const ann_shape *s) {
  unsigned ib = bits_for(s->n), hb = bits_for(s->h), cb = bits_for(s->chunks);
  if (s->soft)
    ssa_out(f, "  // ---- control: accept a step, then per row i and head h the four phases ----\n"
               "  localparam [1:0] PH_SCORE = 2'd0;  // S_ij for j = 0 .. N-1, C clocks each\n"
               "  localparam [1:0] PH_EXP   = 2'd1;  // e_ij into R_i, one a clock\n"
               "  localparam [1:0] PH_DIV   = 2'd2;  // r_i, one quotient bit a clock\n"
               "  localparam [1:0] PH_OUT   = 2'd3;  // per chunk c of M columns, j = 0 .. N-1: "
               "P_ij V[j, c]\n  reg         busy_q;\n"
               "  (* fsm_encoding = \"none\" *)  // binary: the glue's flip-flops as declared\n"
               "  reg  [1:0]  phase_q;\n");
  else
    ssa_out(f, "  // ---- control: accept a step, then per row i and head h the two phases ----\n"
               "  localparam [0:0] PH_SCORE = 1'b0;  // S_ij for j = 0 .. N-1, C clocks each\n"
               "  localparam [0:0] PH_OUT   = 1'b1;  // per chunk c of M columns, j = 0 .. N-1: "
               "P_ij V[j, c]\n  reg         busy_q;\n"
               "  (* fsm_encoding = \"none\" *)  // binary: the glue's flip-flops as declared\n"
               "  reg  [0:0]  phase_q;\n");
  /* a counter of one value is a constant, not a register that synthesis may or may not
   * remove: the glue's flip-flops are declared (folded_flops) */
  ssa_out(f, "  reg  [%u:0]  i_q;  // row i\n", ib - 1);
  if (s->h > 1) ssa_out(f, "  reg  [%u:0]  h_q;  // head h\n", hb - 1);
  else ssa_out(f, "  wire [0:0]  h_q = 1'b0;  // head h: one head\n");
  ssa_out(f, "  reg  [%u:0]  j_q;  // column j of S, row j of K and V\n", ib - 1);
  if (s->chunks > 1)
    ssa_out(f, "  reg  [%u:0]  c_q;  // chunk of M values, C of them in a head's D\n", cb - 1);
  else ssa_out(f, "  wire [0:0]  c_q = 1'b0;  // chunk of M values: one, M = D\n");
  if (s->soft) ssa_out(f, "  reg  [%u:0]  b_q;  // quotient bit\n", bits_for(s->rw) - 1);
  ssa_out(f, "  wire        accept = in_valid_i & ~busy_q;\n"
             "  wire        last_j = j_q == %u'd%u;\n"
             "  wire        last_c = c_q == %u'd%u;\n  wire        last_h = h_q == %u'd%u;\n"
             "  wire        last_i = i_q == %u'd%u;\n",
          ib, s->n - 1, cb, s->chunks - 1, hb, s->h - 1, ib, s->n - 1);
  if (s->soft)
    ssa_out(f, "  wire        first_j = j_q == %u'd0;\n  wire        last_b = b_q == %u'd%u;\n",
            ib, bits_for(s->rw), s->rw - 1);
  ssa_out(f, "  wire        scoring = phase_q == PH_SCORE;\n\n");
}

static void emit_folded_datapath(FILE *f, const ann_shape *s) {
  char x[128];
  unsigned acc = s->acc, pr = s->pr;
  ssa_out(f, "  // ---- operands: the step's Q, K, V, captured on the accepting edge; chunk "
             "(t, h, c) of a\n  // matrix is its M values [t, hD + cM +: M], chunk number "
             "(t*H + h)*C + c ----\n"
             "  reg  [N*E*8-1:0] q_q;\n  reg  [N*E*8-1:0] k_q;\n  reg  [N*E*8-1:0] v_q;\n"
             "  wire [31:0]      i_n = {%u'd0, i_q};  // the counters as numbers\n"
             "  wire [31:0]      j_n = {%u'd0, j_q};\n  wire [31:0]      h_n = {%u'd0, h_q};\n"
             "  wire [31:0]      c_n = {%u'd0, c_q};\n"
             "  wire [31:0]      row_chunk = (i_n*H + h_n)*C + c_n;  // (i, h, c): of Q, and of "
             "O\n"
             "  wire [31:0]      col_chunk = (j_n*H + h_n)*C + c_n;  // (j, h, c): of K and of "
             "V\n"
             "  wire [CW-1:0]    q_chunk = q_q[row_chunk*CW +: CW];\n"
             "  wire [CW-1:0]    k_chunk = k_q[col_chunk*CW +: CW];\n"
             "  wire [CW-1:0]    v_chunk = v_q[col_chunk*CW +: CW];\n\n"
             "  // ---- the row's scores S_ij, j at [j*SB +: SB] ----\n"
             "  reg  [N*SB-1:0]  s_q;\n  wire [SB-1:0]    s_now = s_q[j_q*SB +: SB];\n",
          32 - bits_for(s->n), 32 - bits_for(s->n), 32 - bits_for(s->h), 32 - bits_for(s->chunks));
  if (s->soft) {
    ssa_out(f, "\n  // ---- softmax: one exponent unit, in the exponent phase and again in the "
               "output phase ----\n"
               "  reg  [SB-1:0]    max_q;  // the running maximum, then m_i\n"
               "  wire [15:0]      e_now;  // e_ij of m_i - S_ij\n"
               "  ssa_part_ann_exp u_exp (.max_i(max_q), .s_i(s_now), .e_o(e_now));\n"
               "  reg  [RS-1:0]    rsum_q;  // R_i\n");
    ssa_out(f, "  // r_i = 2^(24+L) / R_i by restoring division: the dividend's top bits, 2^14 < "
               "R_i, start the\n  // remainder; its 10 + L low bits are zeros, shifted in one a "
               "clock, each giving a quotient\n  // bit. 2 rem - R_i lies in (-R_i, R_i): RS+1 "
               "bits hold it, the top one its sign.\n"
               "  reg  [RS-1:0]    rem_q;    // the partial remainder, below R_i\n"
               "  reg  [RW-1:0]    recip_q;  // r_i once the division is done\n"
               "  wire [RS:0]      rem_shift = {rem_q, 1'b0};\n"
               "  wire [RS:0]      trial     = rem_shift - {1'b0, rsum_q};\n"
               "  wire             q_bit     = ~trial[RS];\n"
               "  wire [RS-1:0]    rem_next  = q_bit ? trial[RS-1:0] : rem_shift[RS-1:0];\n"
               "  wire [7:0]       p_now;  // P_ij\n"
               "  ssa_part_ann_prob u_prob (.e_i(e_now), .r_i(recip_q), .p_o(p_now));\n");
  }
  ssa_out(f, "\n  // ---- M multiply-accumulate units: Q K while scoring, P V in the output "
             "phase ----\n"
             "  reg  [M*ACC-1:0] acc_q;\n"
             "  wire [M*ACC-1:0] acc_next;  // each accumulator plus its unit's product\n");
  ssa_out(f, "  wire [M*PR-1:0]  prods;     // each unit's product\n"
             "  wire [CW-1:0]    o_chunk;   // the chunk's M outputs, requantised, on its last "
             "j\n  genvar m;\n  generate\n"
             "    for (m = 0; m < M; m = m + 1) begin : g_mac\n"
             "      ssa_part_ann_mac u_mac (\n"
             "        .scoring_i(scoring), .q_i(q_chunk[m*8 +: 8]), .p_i(%s),\n"
             "        .k_i(k_chunk[m*8 +: 8]), .v_i(v_chunk[m*8 +: 8]), .acc_i(acc_q[m*ACC +: ACC]),\n"
             "        .prod_o(prods[m*PR +: PR]), .acc_o(acc_next[m*ACC +: ACC]));\n"
             "      ssa_part_ann_requant u_requant (.a_i(acc_next[m*ACC +: AB]), "
             ".o_o(o_chunk[m*8 +: 8]));\n"
             "    end\n  endgenerate\n",
          s->soft ? "{1'b0, p_now}" : "s_now");
  if (s->m > 1)
    ssa_out(f, "  // a partial S_ij: unit 0's accumulator and product plus the other units' "
               "products\n  reg signed [ACC-1:0] dot;\n  integer              u;\n"
               "  always @* begin\n    dot = $signed(acc_next[0 +: ACC]);\n"
               "    for (u = 1; u < M; u = u + 1) begin\n"
               "      dot = dot + %s;\n    end\n  end\n",
            widened(x, sizeof x, "prods[u*PR +: PR]", "prods[u*PR + PR-1]", pr, acc, "ACC", "PR"));
  else
    ssa_out(f, "  wire [ACC-1:0]   dot = acc_next[0 +: ACC];  // a partial S_ij\n"
               "  wire             unused_prods = ^prods;  // one unit: its sum is the "
               "accumulator's\n");
  ssa_out(f, "  wire [SB-1:0]    s_new = dot[SB-1:0];\n");
  if (s->acc > s->sb)
    ssa_out(f, "  wire             unused_dot = |dot[ACC-1:SB];  // S fits SB bits\n");
}

static void emit_folded_registers(FILE *f, const ann_shape *s) {
  unsigned ib = bits_for(s->n), hb = bits_for(s->h), cb = bits_for(s->chunks);
  unsigned bits = s->n * s->e * VALUE_BITS;
  ssa_out(f, "\n  // ---- O: chunks in a working register, in o_o's order; the last one goes "
             "straight to o_o ----\n"
             "  reg  [N*E*8-1:0] o_work_q;\n  reg  [N*E*8-1:0] o_q;\n  reg              "
             "out_valid_q;\n"
             "  wire             unused_o_work = |o_work_q[N*E*8-1 -: CW];  // the last chunk's "
             "place\n\n");
  /* control and o_o reset; the datapath's registers are written before they are read in every
   * step, so they go without */
  char c_next[96] = "", h_next[96] = "";
  if (s->chunks > 1) snprintf(c_next, sizeof c_next, "c_q <= last_c ? %u'd0 : c_q + %u'd1;", cb, cb);
  if (s->h > 1) snprintf(h_next, sizeof h_next, "h_q     <= last_h ? %u'd0 : h_q + %u'd1;", hb, hb);
  ssa_out(f, "  always @(posedge clk_i) begin\n    if (!rst_ni) begin\n"
             "      busy_q      <= 1'b0;\n      phase_q     <= PH_SCORE;\n"
             "      i_q         <= %u'd0;\n", ib);
  if (s->h > 1) ssa_out(f, "      h_q         <= %u'd0;\n", hb);
  ssa_out(f, "      j_q         <= %u'd0;\n", ib);
  if (s->chunks > 1) ssa_out(f, "      c_q         <= %u'd0;\n", cb);
  if (s->soft) ssa_out(f, "      b_q         <= %u'd0;\n", bits_for(s->rw));
  ssa_out(f, "      o_q         <= %u'd0;\n      out_valid_q <= 1'b0;\n"
             "    end else begin\n      out_valid_q <= 1'b0;\n"
             "      if (accept) begin\n        busy_q <= 1'b1;\n"
             "      end else if (busy_q) begin\n        case (phase_q)\n"
             "          PH_SCORE: begin\n%s%s%s"
             "            if (last_c) begin\n              j_q <= last_j ? %u'd0 : j_q + %u'd1;\n"
             "              if (last_j) phase_q <= %s;\n            end\n          end\n",
          bits, c_next[0] ? "            " : "", c_next, c_next[0] ? "\n" : "", ib, ib,
          s->soft ? "PH_EXP" : "PH_OUT");
  if (s->soft)
    ssa_out(f, "          PH_EXP: begin\n            j_q <= last_j ? %u'd0 : j_q + %u'd1;\n"
               "            b_q <= %u'd0;\n            if (last_j) phase_q <= PH_DIV;\n"
               "          end\n          PH_DIV: begin\n            b_q <= b_q + %u'd1;\n"
               "            if (last_b) phase_q <= PH_OUT;\n          end\n",
            ib, ib, bits_for(s->rw), bits_for(s->rw));
  ssa_out(f, "          default: begin  // PH_OUT\n"
             "            j_q <= last_j ? %u'd0 : j_q + %u'd1;\n"
             "            if (last_j) begin\n%s%s%s"
             "              if (last_c) begin\n                phase_q <= PH_SCORE;\n"
             "%s%s%s"
             "                if (last_h) begin\n"
             "                  i_q <= last_i ? %u'd0 : i_q + %u'd1;\n"
             "                  if (last_i) begin  // the step's last edge\n"
             "                    busy_q      <= 1'b0;\n                    out_valid_q <= 1'b1;\n"
             "                    o_q         <= {o_chunk, o_work_q[N*E*8-CW-1:0]};\n"
             "                  end\n                end\n              end\n            end\n"
             "          end\n        endcase\n      end\n    end\n  end\n\n",
          ib, ib, c_next[0] ? "              " : "", c_next, c_next[0] ? "\n" : "",
          h_next[0] ? "                " : "", h_next, h_next[0] ? "\n" : "", ib, ib);
  ssa_out(f, "  always @(posedge clk_i) begin\n    if (accept) begin\n"
             "      q_q   <= q_i;\n      k_q   <= k_i;\n      v_q   <= v_i;\n"
             "      acc_q <= {(M*ACC){1'b0}};\n    end else if (busy_q) begin\n"
             "      case (phase_q)\n        PH_SCORE: begin\n          if (last_c) begin\n"
             "            s_q[j_q*SB +: SB] <= s_new;\n");
  if (s->soft)
    ssa_out(f, "            if (first_j || $signed(s_new) > $signed(max_q)) max_q <= s_new;\n");
  ssa_out(f, "            acc_q <= {(M*ACC){1'b0}};\n          end else begin\n"
             "            acc_q[0 +: ACC] <= dot;\n          end\n        end\n");
  if (s->soft)
    ssa_out(f, "        PH_EXP: begin\n"
               "          rsum_q <= (first_j ? {RS{1'b0}} : rsum_q) + {{(RS-16){1'b0}}, e_now};\n"
               "          rem_q  <= %u'd16384;  // 2^(24+L) >> (10+L)\n        end\n"
               "        PH_DIV: begin\n          rem_q   <= rem_next;\n"
               "          recip_q <= {recip_q[RW-2:0], q_bit};\n        end\n", s->rsb);
  ssa_out(f, "        default: begin  // PH_OUT\n          if (last_j) begin\n"
             "            o_work_q[row_chunk*CW +: CW] <= o_chunk;\n"
             "            acc_q <= {(M*ACC){1'b0}};\n          end else begin\n"
             "            acc_q <= acc_next;\n          end\n        end\n      endcase\n"
             "    end\n  end\n\n"
             "  assign in_ready_o  = ~busy_q;\n  assign out_valid_o = out_valid_q;\n"
             "  assign o_o         = o_q;\nendmodule\n");
}

static void emit_folded(FILE *f, const ann_shape *s) {
  ssa_out(f, "  localparam integer M   = %u;  // multiply-accumulate units\n"
             "  localparam integer C   = D / M;  // %u: chunks of a head's row, clocks of a score\n"
             "  localparam integer CW  = M * 8;  // bits of a chunk of M int8 values\n"
             "  localparam integer ACC = %u;  // accumulator, signed: max(SB, AB)\n"
             "  localparam integer PR  = %u;  // a unit's product, signed: min(PW + 8, ACC), "
             "PW = %u (Q, or %s)\n\n",
          s->m, s->chunks, s->acc, s->pr, s->pw, s->soft ? "P as 9 bits" : "P = S");
  emit_folded_control(f, s);
  emit_folded_datapath(f, s);
  emit_folded_registers(f, s);
}

int ssa_emit_ann_attention(const ssa_ann_attention_params *p, const char *line, ssa_design *d,
                           ssa_error *err) {
  ann_shape s = shape_of(p);
  unsigned bits = s.n * s.e * VALUE_BITS, latency = ssa_ann_attention_latency(p);
  static const char *const qkv[] = {"q_i", "k_i", "v_i"};
  memset(d, 0, sizeof *d);
  ssa_emitter e;
  if (ssa_emitter_open(&e, err) != 0) return -1;
  snprintf(d->options, sizeof d->options, "%s", line);
  ssa_emit_banner(e.f, "ssa_ann_attention.v", "int8 ANN attention", "ann-attention",
                  d->options);
  ssa_out(e.f, "// The conventional baseline: O = requantise(softmax_int(Q K^T) V) per head, "
               "int8 in and out.\n");
  emit_summary(e.f, p, &s);
  if (s.m == 0) emit_resources_parallel(e.f, &s);
  else emit_resources_folded(e.f, &s, latency);
  ssa_out(e.f, "// Ports: q_i, k_i, v_i and o_o hold N x E int8 values, two's complement; value "
               "(i, c) is bits\n//   [(i*E + c)*8 +: 8]. o_o holds the last result (zero after "
               "reset)%s.\n\n`timescale 1ns / 1ps\n\n",
          s.m == 0 ? "" : "; in_valid_i is ignored\n//   while in_ready_o is low");
  ssa_design ports = {0};
  ssa_design_add_stream_ports(&ports, s.m != 0, qkv, 3, bits, "o_o", bits);
  ssa_emit_module_header(e.f, "ssa_ann_attention", ports.ports, ports.port_count,
                         SSA_PORTS_ALIGNED);
  emit_localparams(e.f, &s);
  if (s.m == 0) emit_parallel(e.f, &s);
  else emit_folded(e.f, &s);
  if (ssa_emitter_close(&e, d, "ssa_ann_attention.v", err) != 0 ||
      emit_parts(p, &s, d, err) != 0) {
    ssa_design_free(d);
    return -1;
  }
  ssa_design_name(d, "ann-attention", "ssa_ann_attention", latency);
  d->interval = ssa_ann_attention_interval(p);
  ssa_design_add_stream_ports(d, s.m != 0, qkv, 3, bits, "o_o", bits);
  return 0;
}
