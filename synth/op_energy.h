/* op_energy.h -- operation-level energy and memory-access estimates of one attention head,
 * the form the published comparison uses: operation counts x per-operation energies
 * (Horowitz, ISSCC 2014, 45 nm, 0.9 V; docs/design.md section 8.3), and bits moved between an SRAM
 * and the block x the SRAM's energy per 64-bit access. Each estimate carries its formula, so a
 * report prints what it computed. Energies in pJ. */
#ifndef SSA_OP_ENERGY_H
#define SSA_OP_ENERGY_H

#include <stddef.h>

#include "../core/plan.h"
#include "sram.h"

/* Horowitz 2014, 45 nm, 0.9 V. */
#define SSA_PJ_ADD8 0.03
#define SSA_PJ_ADD32 0.1
#define SSA_PJ_MUL8 0.2
#define SSA_PJ_MUL32 3.1
#define SSA_PJ_FADD16 0.4
#define SSA_PJ_FADD32 0.9
#define SSA_PJ_FMUL16 1.1
#define SSA_PJ_FMUL32 3.7
/* Its SRAM figures (SSA_PJ_SRAM8K, 32K, 1M) are in sram.h, with the fit through them. */

typedef struct ssa_estimate {
  double pj;
  char formula[640];   /* how pj was computed, with the numbers put in */
} ssa_estimate;

/* What an SC attention costs per operation: the 1-bit gates priced from a cell library
 * (energy per output toggle, fJ, at an output toggle probability of 1/2) and one fresh
 * random bit priced as one LFSR flip-flop clocked (clock energy + one toggle of it). */
typedef struct ssa_sc_gate_costs {
  double and_fj, mux_fj, random_bit_fj;
} ssa_sc_gate_costs;

/* The SC gate costs from the built-in 45 nm table (its $_AND_, $_MUX_, $_XOR_ and $_DFF_P_
 * rows): a gate's output toggles with probability 1/2 and drives one gate input, so an
 * operation costs (E_int + 1/2 C_in V^2) / 2; a random bit is one LFSR flip-flop clocked plus
 * half a toggle of it and of one feedback XOR. */
void ssa_sc_gate_costs_builtin(ssa_sc_gate_costs *c);

/* SC attention (reduce=mux), T steps. A score s_ij = Q[i, r] AND K[j, r] picks a Q bit and a K
 * bit with D-input multiplexers (D-1 MUX2 each), an output o_id = s[i, c] AND V[c, d] an s bit
 * and a V bit with N-input ones; what sharing a select saves depends on the mode:
 *   unit    2 N^2 (D-1) + 2 N D (N-1) MUX2   (every unit selects both bits)
 *   row     N (D-1) + N^2 (D-1) + N (N-1) + N D (N-1)   (one Q bit and one s bit per row)
 *   global  2 N (D-1) + N (N-1) + D (N-1)    (one column of Q and K, one of s, one row of V)
 * plus N^2 + N D ANDs and the plan's `random_bits` fresh bits per step. */
void ssa_op_energy_sc(unsigned n, unsigned d, unsigned steps, enum ssa_share share,
                      unsigned long random_bits, const ssa_sc_gate_costs *c, ssa_estimate *e);
/* Exact spiking attention (Spikformer), T steps: per step N^2*D ANDs and 32-bit adds for
 * Q K^T, N^2*D 32-bit adds for (Q K^T) V (V binary: add or skip), N*D LIF updates (2 32-bit
 * adds and a compare counted as an add). */
void ssa_op_energy_exact(unsigned n, unsigned d, unsigned steps, ssa_estimate *e);
/* int8 ANN attention, once: Q K^T and P V as int8 MACs (8-bit mult + 32-bit add), scaling
 * by 1/sqrt(D) as one 32-bit multiply per score, softmax as an operation-count estimate (not
 * RTL): per score one exp (degree-4 polynomial: 4 fp32 mult + 4 fp32 add), one fp32 add to
 * the row sum and one fp32 mult by the row's reciprocal, per row a reciprocal (4 fp32 mult +
 * 4 fp32 add, Newton). */
void ssa_op_energy_ann(unsigned n, unsigned d, ssa_estimate *e);

/* ---- memory ----
 * Bits moved between the activation SRAM and the attention block, for one head of N tokens
 * and D columns, priced from ONE array (ssa_activation_buffer) so that every design pays the
 * same per access and a ratio of two designs is a ratio of their traffic. The array's energy
 * per 64-bit access is synth/sram.h's power law at the array's size and supply voltage. */

/* The activation buffer: its size holds the largest working set of the designs compared,
 *   spiking (SC and exact), one step's Q, K, V and O bits   4 N D / 8 bytes
 *   int8 ANN, row by row                Q, K, V, O int8    4 N D bytes
 *   int8 ANN, spilling        those + N^2 int32 scores + N^2 int8 probabilities
 *                                                          4 N D + 5 N^2 bytes
 * which is the spilling ANN's for every N and D: 4 N D + 5 N^2 bytes. */
typedef struct ssa_activation_buffer {
  double bytes;
  double volts;
  double pj_per_access;   /* one 64-bit access: ssa_sram_access_pj(bytes, volts) */
  char formula[200];      /* how pj_per_access was computed, with the numbers put in */
} ssa_activation_buffer;

void ssa_activation_buffer_init(ssa_activation_buffer *b, unsigned n, unsigned d, double volts);

/* Spiking (SC and exact), T steps: every step reads Q, K, V (3 N D bits) and writes O (N D
 * bits); no N x N matrix leaves the block. */
void ssa_traffic_spiking(const ssa_activation_buffer *b, unsigned n, unsigned d, unsigned steps,
                         ssa_estimate *e);
/* int8 ANN that computes the softmax row by row, keeping a row's N scores in registers: reads
 * Q, K, V as int8 once (3 N D x 8 bits), writes O as int8 (N D x 8). */
void ssa_traffic_ann_rowwise(const ssa_activation_buffer *b, unsigned n, unsigned d,
                             ssa_estimate *e);
/* int8 ANN that spills: as row by row, and also writes and reads back the N^2 int32 scores
 * (2 N^2 x 32 bits) and the N^2 int8 probabilities (2 N^2 x 8). */
void ssa_traffic_ann_spilling(const ssa_activation_buffer *b, unsigned n, unsigned d,
                              ssa_estimate *e);

#endif
