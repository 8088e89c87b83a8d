/* emit_ann.c -- Verilog of the int8 ANN attention (see emit_ann.h; core/ann_params.h defines
 * the arithmetic bit for bit). Two organisations of the same arithmetic:
 *
 * --macs 0, fully parallel: one combinational datapath into one output register (latency 1,
 * a step every clock). Every product is a multiplier of its own, the row maximum a comparator
 * tree, each exponent a 16-entry table and a shift, each row's 2^(24+L) / R_i one divider
 * (restoring division unrolled: the folded form's divider, a stage per quotient bit).
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
 * The last edge copies the working register (with its last chunk) into o_o, so o_o changes
 * only with out_valid_o; in_ready_o is low from the accepting edge to the last one. */
#include "emit_ann.h"

#include <stdarg.h>
#include <string.h>

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

/* ---- functions shared by both organisations ---- */

static void emit_functions(FILE *f, const ssa_ann_attention_params *p, const ann_shape *s) {
  if (s->soft) {
    ssa_out(f, "  // 2^(-x/16) in 15 fraction bits: a 16-entry table of 2^(-f/16) and a right "
               "shift by x >> 4;\n  // 0 from x = 256 on\n"
               "  function [15:0] exp2_neg;\n    input [SB-1:0] x;\n    reg   [15:0]   t;\n"
               "    begin\n      case (x[3:0])\n");
    for (unsigned k = 0; k < 16; k++)
      ssa_out(f, "        4'd%u:%s t = 16'd%u;\n", k, k < 10 ? " " : "", SSA_ANN_EXP2[k]);
    ssa_out(f, "      endcase\n      exp2_neg = |x[SB-1:8] ? 16'd0 : t >> x[7:4];\n    end\n"
               "  endfunction\n\n");
  }
  ssa_out(f, "  // O = sat8((A + 2^(Y-1)) >>> Y), the shift flooring (arithmetic)\n"
             "  function [7:0] requant;\n    input [AB-1:0]    a;\n    reg signed [QW-1:0] t;\n"
             "    begin\n      t = $signed({{(QW-AB){a[AB-1]}}, a});\n");
  if (p->out_shift != 0)
    ssa_out(f, "      t = t + %u'sd%llu;\n      t = t >>> %u;\n", s->qw,
            1ull << (p->out_shift - 1), p->out_shift);
  ssa_out(f, "      if (t > 127) begin\n        requant = 8'h7f;\n"
             "      end else if (t < -128) begin\n        requant = 8'h80;\n"
             "      end else begin\n        requant = t[7:0];\n      end\n    end\n"
             "  endfunction\n\n");
}

static void emit_localparams(FILE *f, const ann_shape *s) {
  ssa_out(f, "  localparam integer N  = %u;\n  localparam integer D  = %u;\n"
             "  localparam integer H  = %u;\n  localparam integer E  = %u;  // H * D\n"
             "  localparam integer SB = %u;  // S, signed: 16 + log2 D\n"
             "  localparam integer AB = %u;  // A = sum_j P V, signed\n"
             "  localparam integer QW = %u;  // A + 2^(Y-1), signed: max(AB, Y) + 1\n",
          s->n, s->d, s->h, s->e, s->sb, s->ab, s->qw);
  if (s->soft)
    ssa_out(f, "  localparam integer L  = %u;   // log2 N\n"
               "  localparam integer RW = %u;  // r = 2^(24+L) / R: 10 + L\n"
               "  localparam integer RS = %u;  // R = sum_j e: 16 + L\n", s->l, s->rw, s->rsb);
}

/* `value` (a signed Verilog expression of `from` bits) as `to` bits: sign-extended by an
 * explicit concatenation (Verilator's -Wall flags an implicit extension), as it is when equal. */
static const char *widened(char *buf, size_t len, const char *value, const char *msb,
                           unsigned from, unsigned to, const char *to_name, const char *from_name) {
  if (from == to) snprintf(buf, len, "%s", value);
  else snprintf(buf, len, "$signed({{(%s-%s){%s}}, %s})", to_name, from_name, msb, value);
  return buf;
}

/* P = min(255, (e r) >> (16 + L)) as wires: one 16 x RW multiplier and a clamp. */
static void emit_prob(FILE *f, const char *indent, const char *e, const char *r, const char *p) {
  ssa_out(f, "%swire [RW+15:0] er = %s * %s;\n"
             "%swire          unused_er = |er[L+15:0];  // below P's unit\n"
             "%sassign %s = |er[RW+15:L+24] ? 8'd255 : er[L+16 +: 8];\n",
          indent, e, r, indent, indent, p);
}

/* x = diff >> Z as Verilog: nothing to write when Z is 0. */
static const char *shifted(char *buf, size_t len, const char *what, unsigned z) {
  if (z == 0) snprintf(buf, len, "%s", what);
  else snprintf(buf, len, "%s >> %u", what, z);
  return buf;
}

/* ---- --macs 0: one combinational datapath into the output register ---- */

static void emit_parallel(FILE *f, const ssa_ann_attention_params *p, const ann_shape *s) {
  char x[128];
  ssa_out(f, "  localparam integer PV = %u;  // a product P V, signed\n\n", s->pvw);
  emit_functions(f, p, s);
  ssa_out(f, "  // ---- datapath: per head h and row i, the scores, the softmax, the outputs ----"
             "\n  wire [N*E*8-1:0] o_d;  // this step's O, value (i, c) at [(i*E + c)*8 +: 8]\n"
             "  genvar h, i, j, d;\n  generate\n"
             "    for (h = 0; h < H; h = h + 1) begin : g_head\n"
             "      for (i = 0; i < N; i = i + 1) begin : g_row\n"
             "        // S_ij: D multipliers 8 x 8 and their sum\n"
             "        wire [N*SB-1:0] s_row;  // S_ij at [j*SB +: SB]\n"
             "        for (j = 0; j < N; j = j + 1) begin : g_score\n"
             "          reg signed [SB-1:0] dot;\n          reg signed [15:0]   prod;\n"
             "          integer k;\n          always @* begin\n            dot = {SB{1'b0}};\n"
             "            for (k = 0; k < D; k = k + 1) begin\n"
             "              prod = $signed(q_i[(i*E + h*D + k)*8 +: 8])\n"
             "                   * $signed(k_i[(j*E + h*D + k)*8 +: 8]);\n"
             "              dot  = dot + $signed({{(SB-16){prod[15]}}, prod});\n"
             "            end\n          end\n"
             "          assign s_row[j*SB +: SB] = dot;\n        end\n");
  if (s->soft) {
    ssa_out(f, "        // m_i: a comparator tree, node k = max(node 2k, node 2k+1), the leaves "
               "from N on\n        reg [2*N*SB-1:0] tree;\n        integer          t;\n"
               "        always @* begin\n          tree = {(2*N*SB){1'b0}};\n"
               "          tree[N*SB +: N*SB] = s_row;\n"
               "          for (t = N - 1; t >= 1; t = t - 1) begin\n"
               "            tree[t*SB +: SB] = $signed(tree[2*t*SB +: SB]) > "
               "$signed(tree[(2*t+1)*SB +: SB])\n"
               "                             ? tree[2*t*SB +: SB] : tree[(2*t+1)*SB +: SB];\n"
               "          end\n        end\n"
               "        wire [SB-1:0] row_max = tree[SB +: SB];\n");
    ssa_out(f, "        // e_ij of x = (m_i - S_ij) >> Z; the difference is >= 0 and below 2^SB\n"
               "        wire [N*16-1:0] e_row;\n"
               "        for (j = 0; j < N; j = j + 1) begin : g_exp\n"
               "          wire [SB-1:0] diff = row_max - s_row[j*SB +: SB];\n"
               "          assign e_row[j*16 +: 16] = exp2_neg(%s);\n        end\n",
            shifted(x, sizeof x, "diff", p->score_shift));
    ssa_out(f, "        // R_i, then r_i = 2^(24+L) / R_i by one divider: restoring division "
               "unrolled, a stage\n        // per quotient bit (the folded form's divider, "
               "stage by stage). R_i >= 2^15 > 2^14, the\n        // dividend's bits above the "
               "quotient's, so those start the remainder; each stage shifts\n"
               "        // in one of the 10 + L zero bits below. 2 rem - R_i lies in (-R_i, R_i): "
               "RS+1 bits hold it.\n"
               "        reg [RS-1:0] row_sum;\n        integer      u;\n        always @* begin\n"
               "          row_sum = {RS{1'b0}};\n          for (u = 0; u < N; u = u + 1) begin\n"
               "            row_sum = row_sum + {{(RS-16){1'b0}}, e_row[u*16 +: 16]};\n"
               "          end\n        end\n"
               "        reg [RW-1:0] recip;  // r_i\n"
               "        reg [RS-1:0] rem;    // the partial remainder, below R_i\n"
               "        reg [RS:0]   trial;  // 2 rem - R_i, negative when the quotient bit is 0\n"
               "        integer      b;\n        always @* begin\n"
               "          rem = %u'd16384;  // 2^(24+L) >> (10+L)\n"
               "          for (b = RW - 1; b >= 0; b = b - 1) begin\n"
               "            trial    = {rem, 1'b0} - {1'b0, row_sum};\n"
               "            recip[b] = ~trial[RS];\n"
               "            rem      = trial[RS] ? {rem[RS-2:0], 1'b0} : trial[RS-1:0];\n"
               "          end\n        end\n"
               "        // P_ij: one 16 x RW multiplier each and a clamp\n"
               "        wire [N*8-1:0] p_row;\n"
               "        for (j = 0; j < N; j = j + 1) begin : g_prob\n", s->rsb);
    emit_prob(f, "          ", "e_row[j*16 +: 16]", "recip", "p_row[j*8 +: 8]");
    ssa_out(f, "        end\n");
  } else {
    ssa_out(f, "        wire [N*SB-1:0] p_row = s_row;  // softmax none: P = S\n");
  }
  ssa_out(f, "        // A_id: N multipliers and their sum, requantised\n"
             "        for (d = 0; d < D; d = d + 1) begin : g_out\n"
             "          reg signed [AB-1:0] acc;\n          reg signed [PV-1:0] prod;\n"
             "          integer k;\n          always @* begin\n            acc = {AB{1'b0}};\n"
             "            for (k = 0; k < N; k = k + 1) begin\n"
             "              prod = %s\n"
             "                   * $signed(v_i[(k*E + h*D + d)*8 +: 8]);\n"
             "              acc  = acc + %s;\n            end\n          end\n"
             "          assign o_d[(i*E + h*D + d)*8 +: 8] = requant(acc);\n        end\n"
             "      end\n    end\n  endgenerate\n\n",
          s->soft ? "$signed({1'b0, p_row[k*8 +: 8]})" : "$signed(p_row[k*SB +: SB])",
          widened(x, sizeof x, "prod", "prod[PV-1]", s->pvw, s->ab, "AB", "PV"));
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
               "P_ij V[j, c]\n  reg         busy_q;\n  reg  [1:0]  phase_q;\n");
  else
    ssa_out(f, "  // ---- control: accept a step, then per row i and head h the two phases ----\n"
               "  localparam [0:0] PH_SCORE = 1'b0;  // S_ij for j = 0 .. N-1, C clocks each\n"
               "  localparam [0:0] PH_OUT   = 1'b1;  // per chunk c of M columns, j = 0 .. N-1: "
               "P_ij V[j, c]\n  reg         busy_q;\n  reg  [0:0]  phase_q;\n");
  ssa_out(f, "  reg  [%u:0]  i_q;  // row i\n  reg  [%u:0]  h_q;  // head h\n"
             "  reg  [%u:0]  j_q;  // column j of S, row j of K and V\n"
             "  reg  [%u:0]  c_q;  // chunk of M values, C of them in a head's D\n",
          ib - 1, hb - 1, ib - 1, cb - 1);
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

static void emit_folded_datapath(FILE *f, const ssa_ann_attention_params *p, const ann_shape *s) {
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
               "  wire [SB-1:0]    diff = max_q - s_now;  // m_i - S_ij: >= 0, below 2^SB\n"
               "  wire [15:0]      e_now = exp2_neg(%s);\n"
               "  reg  [RS-1:0]    rsum_q;  // R_i\n",
            shifted(x, sizeof x, "diff", p->score_shift));
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
               "  wire [7:0]       p_now;  // P_ij\n");
    emit_prob(f, "  ", "e_now", "recip_q", "p_now");
  }
  ssa_out(f, "\n  // ---- M multiply-accumulate units: Q K while scoring, P V in the output "
             "phase ----\n"
             "  reg  [M*ACC-1:0] acc_q;\n"
             "  wire [M*ACC-1:0] acc_next;  // each accumulator plus its unit's product\n");
  if (s->m > 1) ssa_out(f, "  wire [M*PR-1:0]  prods;\n");
  ssa_out(f, "  wire [CW-1:0]    o_chunk;   // the chunk's M outputs, requantised, on its last "
             "j\n  genvar m;\n  generate\n"
             "    for (m = 0; m < M; m = m + 1) begin : g_mac\n"
             "      wire signed [PW-1:0] a = scoring\n"
             "                             ? $signed({{(PW-8){q_chunk[m*8+7]}}, "
             "q_chunk[m*8 +: 8]})\n"
             "                             : %s;\n"
             "      wire signed [7:0]    b = scoring ? k_chunk[m*8 +: 8] : v_chunk[m*8 +: 8];\n"
             "      wire signed [PR-1:0] prod = a * b;\n",
          s->soft ? "$signed({1'b0, p_now})" : "$signed(s_now)");
  if (s->m > 1) ssa_out(f, "      assign prods[m*PR +: PR] = prod;\n");
  ssa_out(f, "      assign acc_next[m*ACC +: ACC] = $signed(acc_q[m*ACC +: ACC])\n"
             "                                    + %s;\n"
             "      assign o_chunk[m*8 +: 8] = requant(acc_next[m*ACC +: AB]);\n"
             "    end\n  endgenerate\n",
          widened(x, sizeof x, "prod", "prod[PR-1]", pr, acc, "ACC", "PR"));
  if (s->m > 1)
    ssa_out(f, "  // a partial S_ij: unit 0's accumulator and product plus the other units' "
               "products\n  reg signed [ACC-1:0] dot;\n  integer              u;\n"
               "  always @* begin\n    dot = $signed(acc_next[0 +: ACC]);\n"
               "    for (u = 1; u < M; u = u + 1) begin\n"
               "      dot = dot + %s;\n    end\n  end\n",
            widened(x, sizeof x, "prods[u*PR +: PR]", "prods[u*PR + PR-1]", pr, acc, "ACC", "PR"));
  else
    ssa_out(f, "  wire [ACC-1:0]   dot = acc_next[0 +: ACC];  // a partial S_ij\n");
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
  ssa_out(f, "  always @(posedge clk_i) begin\n    if (!rst_ni) begin\n"
             "      busy_q      <= 1'b0;\n      phase_q     <= PH_SCORE;\n"
             "      i_q         <= %u'd0;\n      h_q         <= %u'd0;\n"
             "      j_q         <= %u'd0;\n      c_q         <= %u'd0;\n",
          ib, hb, ib, cb);
  if (s->soft) ssa_out(f, "      b_q         <= %u'd0;\n", bits_for(s->rw));
  ssa_out(f, "      o_q         <= %u'd0;\n      out_valid_q <= 1'b0;\n"
             "    end else begin\n      out_valid_q <= 1'b0;\n"
             "      if (accept) begin\n        busy_q <= 1'b1;\n"
             "      end else if (busy_q) begin\n        case (phase_q)\n"
             "          PH_SCORE: begin\n            c_q <= last_c ? %u'd0 : c_q + %u'd1;\n"
             "            if (last_c) begin\n              j_q <= last_j ? %u'd0 : j_q + %u'd1;\n"
             "              if (last_j) phase_q <= %s;\n            end\n          end\n",
          bits, cb, cb, ib, ib, s->soft ? "PH_EXP" : "PH_OUT");
  if (s->soft)
    ssa_out(f, "          PH_EXP: begin\n            j_q <= last_j ? %u'd0 : j_q + %u'd1;\n"
               "            b_q <= %u'd0;\n            if (last_j) phase_q <= PH_DIV;\n"
               "          end\n          PH_DIV: begin\n            b_q <= b_q + %u'd1;\n"
               "            if (last_b) phase_q <= PH_OUT;\n          end\n",
            ib, ib, bits_for(s->rw), bits_for(s->rw));
  ssa_out(f, "          default: begin  // PH_OUT\n"
             "            j_q <= last_j ? %u'd0 : j_q + %u'd1;\n"
             "            if (last_j) begin\n              c_q <= last_c ? %u'd0 : c_q + %u'd1;\n"
             "              if (last_c) begin\n                phase_q <= PH_SCORE;\n"
             "                h_q     <= last_h ? %u'd0 : h_q + %u'd1;\n"
             "                if (last_h) begin\n"
             "                  i_q <= last_i ? %u'd0 : i_q + %u'd1;\n"
             "                  if (last_i) begin  // the step's last edge\n"
             "                    busy_q      <= 1'b0;\n                    out_valid_q <= 1'b1;\n"
             "                    o_q         <= {o_chunk, o_work_q[N*E*8-CW-1:0]};\n"
             "                  end\n                end\n              end\n            end\n"
             "          end\n        endcase\n      end\n    end\n  end\n\n",
          ib, ib, cb, cb, hb, hb, ib, ib);
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

static void emit_folded(FILE *f, const ssa_ann_attention_params *p, const ann_shape *s) {
  ssa_out(f, "  localparam integer M   = %u;  // multiply-accumulate units\n"
             "  localparam integer C   = D / M;  // %u: chunks of a head's row, clocks of a score\n"
             "  localparam integer CW  = M * 8;  // bits of a chunk of M int8 values\n"
             "  localparam integer ACC = %u;  // accumulator, signed: max(SB, AB)\n"
             "  localparam integer PW  = %u;  // the units' first operand, signed: Q, or %s\n"
             "  localparam integer PR  = %u;  // their product, signed: min(PW + 8, ACC), every "
             "use's value fits\n\n",
          s->m, s->chunks, s->acc, s->pw, s->soft ? "P as 9 bits" : "P = S", s->pr);
  emit_functions(f, p, s);
  emit_folded_control(f, s);
  emit_folded_datapath(f, p, s);
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
  if (s.m == 0) emit_parallel(e.f, p, &s);
  else emit_folded(e.f, p, &s);
  if (ssa_emitter_close(&e, d, "ssa_ann_attention.v", err) != 0) {
    ssa_design_free(d);
    return -1;
  }
  ssa_design_name(d, "ann-attention", "ssa_ann_attention", latency);
  d->interval = ssa_ann_attention_interval(p);
  ssa_design_add_stream_ports(d, s.m != 0, qkv, 3, bits, "o_o", bits);
  return 0;
}
