/* op_energy.h -- operation-level energy and memory-access estimates of one attention head,
 * the form the published comparison uses: operation counts x per-operation energies
 * (Horowitz, ISSCC 2014, 45 nm, 0.9 V; docs/design.md section 8.3), and bits moved between an SRAM
 * and the block x the SRAM's energy per 64-bit access. Each estimate carries its formula, so a
 * report prints what it computed. Energies in pJ. */
#ifndef SSA_OP_ENERGY_H
#define SSA_OP_ENERGY_H

#include <stddef.h>

#include "../core/plan.h"

/* Horowitz 2014, 45 nm, 0.9 V. */
#define SSA_PJ_ADD8 0.03
#define SSA_PJ_ADD32 0.1
#define SSA_PJ_MUL8 0.2
#define SSA_PJ_MUL32 3.1
#define SSA_PJ_FADD16 0.4
#define SSA_PJ_FADD32 0.9
#define SSA_PJ_FMUL16 1.1
#define SSA_PJ_FMUL32 3.7
#define SSA_PJ_SRAM8K 10.0    /* per 64-bit read, 8 KB SRAM */
#define SSA_PJ_SRAM32K 20.0   /* 32 KB */
#define SSA_PJ_SRAM1M 100.0   /* 1 MB */

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

/* SRAM energy per 64-bit access for a working set of `bytes` (the smallest of Horowitz's
 * sizes that holds it). */
double ssa_sram_pj_per_access(double bytes);
/* Memory traffic. SC and exact spiking: every step reads Q, K, V (3 N D bits) and writes O
 * (N D bits); nothing else leaves the block (no N x N score matrix is stored). ANN: reads
 * Q, K, V as int8, writes the N x N int32 scores and reads them back for the softmax, writes
 * and reads the int8 probabilities, writes O as int8. */
void ssa_memory_spiking(unsigned n, unsigned d, unsigned steps, ssa_estimate *e);
void ssa_memory_ann(unsigned n, unsigned d, ssa_estimate *e);

#endif
