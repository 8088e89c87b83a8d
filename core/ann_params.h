/* ann_params.h -- the parameters of the int8 ANN attention, the baseline a hardware engineer
 * would build against the SC block (kind `ann-attention`), and the integer arithmetic they
 * define. golden/ann_attention.c computes it; gen/emit_ann.c emits it; docs/design.md
 * section 3.3 says the same with the reasons.
 *
 * Per step (one attention), per head h (E = H D columns, N tokens), with int8 Q, K, V (two's
 * complement, -128 .. 127) and L = log2 N; S, m, x, e, R, r, P and A below are all the head's
 * own (P_ij is P^h_ij), and no state carries from one step to the next:
 *
 *   S_ij = sum_d Q[i,hD+d] K[j,hD+d]                exact, signed, 16 + log2 D bits
 *                                                   (-16256 D .. 16384 D = 2^(14 + log2 D))
 *
 * softmax `int` (in the style of I-BERT: base-2 exponent by shift and a table):
 *   m_i  = max_j S_ij
 *   x_ij = (m_i - S_ij) >> Z                        Z = --score-shift; x >= 0, m - S is
 *                                                   0 .. 32640 D, 15 + log2 D bits unsigned
 *   e_ij = (x_ij >> 4) >= 16 ? 0 : SSA_ANN_EXP2[x_ij & 15] >> (x_ij >> 4)
 *                                                   2^(-x/16) in 15 fraction bits, 0 .. 32768
 *   R_i  = sum_j e_ij                               32768 .. N 32768, 16 + L bits
 *   r_i  = floor(2^(24+L) / R_i)                    2^9 .. 2^(9+L), 10 + L bits
 *   P_ij = min(255, (e_ij r_i) >> (16 + L))         8-bit probability, unsigned; sum_j <= 256
 *
 * (every >> above shifts a non-negative value, so it is floor division by a power of two; the
 * guard on x >> 4 keeps the table's shift below 16. P reaches 256 before the clamp only in a
 * one-hot row: e = R = 32768, r = 2^(9+L). sum_j P_ij <= R_i r_i / 2^(16+L) <= 256.)
 *
 * softmax `none` (the SC block has no softmax either; Z is accepted and changes nothing):
 *   P_ij = S_ij                                     signed, 16 + log2 D bits
 *
 * then, both:
 *   A_id = sum_j P_ij V[j,hD+d]                     exact, signed: int -32768 .. 32512
 *                                                   (16 bits), none -2^(21+L+log2 D) ..
 *                                                   < 2^(21+L+log2 D) (22 + L + log2 D bits);
 *                                                   every partial sum stays in that range
 *   O[i,hD+d] = sat8((A_id + 2^(Y-1)) >>> Y)        Y = --out-shift (no rounding term when 0)
 *
 * where >>> is an arithmetic (flooring) shift, floor(a / 2^Y) also for negative a (-3 >>> 1 is
 * -2, not -1), and sat8 clamps to -128 .. 127; the sum A + 2^(Y-1) is exact (Y can exceed A's
 * width, and then O is 0). With the default Y neither mode saturates: int maps -32768 .. 32512
 * to -128 .. 127, none maps -2^(21+L+log2 D) to -128 and its largest A to 127. The 1/sqrt(D)
 * scale, log2(e) and the inputs' quantisation scales are folded into Q's scale and Z by
 * whoever quantises (`ssa capture` for the trained ANN); the hardware only shifts.
 *
 * Ports: q_i, k_i, v_i and o_o hold N x E int8 values; value (i, c) is bits
 * [(i*E + c)*8 +: 8]. Organisation --macs M: 0 is fully parallel (every product its own
 * multiplier, one attention per clock, latency 1); M >= 1 is M multiply-accumulate units
 * shared by a schedule, stated with its latency in the banner (in_ready_o low while busy). */
#ifndef SSA_ANN_PARAMS_H
#define SSA_ANN_PARAMS_H

#include <stdint.h>

#include "../common/error.h"

#define SSA_ANN_MAX_TOKENS 256u
#define SSA_ANN_MAX_DIM 256u
#define SSA_ANN_MAX_HEADS 16u
#define SSA_ANN_MAX_SCORE_SHIFT 24u
#define SSA_ANN_MAX_OUT_SHIFT 48u
#define SSA_ANN_EXP_FRACTION 4u     /* x's fraction bits: the table has 2^4 entries */
#define SSA_ANN_EXP_ONE 32768u      /* 2^0 in the exponent's 15 fraction bits */
#define SSA_ANN_PROB_MAX 255u

/* 2^(-f/16) in 15 fraction bits, round to nearest, f = 0 .. 15. */
extern const uint16_t SSA_ANN_EXP2[16];

enum ssa_ann_softmax { SSA_ANN_SOFTMAX_INT, SSA_ANN_SOFTMAX_NONE };
extern const char *const ssa_ann_softmax_names[];  /* "int", "none", NULL: in enum order */

typedef struct ssa_ann_attention_params {
  unsigned tokens;       /* N, power of two 2 .. 256 */
  unsigned dim;          /* D per head, power of two 2 .. 256 */
  unsigned heads;        /* H, 1 .. 16 */
  unsigned softmax;      /* enum ssa_ann_softmax (an option choice) */
  unsigned score_shift;  /* Z, 0 .. 24 (softmax int only) */
  unsigned out_shift;    /* Y, 0 .. 48; SSA_ANN_OUT_SHIFT_DEFAULT until prepared */
  unsigned macs;         /* M: 0 fully parallel, else a power of two 1 .. D */
} ssa_ann_attention_params;

#define SSA_ANN_OUT_SHIFT_DEFAULT 0xffffffffu

/* N = 16, D = 16, H = 1, softmax int, Z = 0, Y the default, M = 0. */
void ssa_ann_attention_params_default(ssa_ann_attention_params *p);
/* Y's default: 8 for softmax int (P sums to at most 256), 14 + log2 N + log2 D for none (the
 * largest |A|, 2^(21 + log2 N + log2 D), maps to 128). */
unsigned ssa_ann_default_out_shift(const ssa_ann_attention_params *p);
/* Fills Y when left at the default, then checks every field; -1 with one line naming the
 * option ("--macs 3: must be 0 or a power of two up to --dim 16"). Idempotent. */
int ssa_ann_attention_params_prepare(ssa_ann_attention_params *p, ssa_error *err);

/* Widths the arithmetic above implies (bits, signed ones including the sign). */
unsigned ssa_ann_log2(unsigned v);                                   /* v a power of two */
unsigned ssa_ann_score_bits(const ssa_ann_attention_params *p);      /* S: 16 + log2 D */
unsigned ssa_ann_prob_bits(const ssa_ann_attention_params *p);       /* P: 8 unsigned, or S's */
unsigned ssa_ann_acc_bits(const ssa_ann_attention_params *p);        /* A, signed, exact */

#endif
