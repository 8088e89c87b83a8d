/* sram.h -- the energy of one 64-bit SRAM access as one stated function of the array's size and
 * supply voltage, so that every design a comparison prices pays the same per access.
 *
 * Horowitz (ISSCC 2014, 45 nm, 0.9 V) gives three points: 8 KB 10 pJ, 32 KB 20 pJ, 1 MB 100 pJ
 * (KB = 1024 bytes). Between them the cost grows as a power of the size, as CACTI's does (bit
 * lines and word lines grow as the square root of the capacity), so the function is the least-
 * squares line through the three points in log-log:
 *
 *   E(S, V) = E0 x (S / S0)^b x (V / 0.9 V)^2
 *
 * with S0 = 64 KiB, the geometric mean of the three sizes, E0 = (10 x 20 x 100)^(1/3) =
 * 27.144 pJ, the geometric mean of the three energies (a least-squares line passes through the
 * means), and b = log2(5000) / 26 = 0.4726 (just under CACTI's 0.5). It is within 2.2 % of each
 * point (8 KB +1.6 %, 32 KB -2.2 %, 1 MB +0.6 %). Outside 8 KB .. 1 MB the same law is used,
 * with no point of Horowitz's to check it.
 *
 * (V / 0.9)^2: dynamic energy goes as C V^2, so an array at the cell library's voltage (the
 * built-in NanGate 45 nm table's is 1.1 V: ssa_cell_table_builtin()->nom_voltage_v) costs
 * (1.1 / 0.9)^2 = 1.494 times Horowitz's figure, and logic and memory are priced at one voltage. */
#ifndef SSA_SRAM_H
#define SSA_SRAM_H

/* Horowitz's figures: pJ per 64-bit access of an SRAM of 8 KB, 32 KB and 1 MB, at 0.9 V. */
#define SSA_PJ_SRAM8K 10.0
#define SSA_PJ_SRAM32K 20.0
#define SSA_PJ_SRAM1M 100.0
#define SSA_SRAM_HOROWITZ_V 0.9

typedef struct ssa_sram_fit {
  double ref_bytes;   /* S0 */
  double ref_pj;      /* E0: the energy of a 64-bit access at S0 and 0.9 V */
  double exponent;    /* b */
} ssa_sram_fit;

/* The fit through Horowitz's three points (computed from them, not typed in). */
void ssa_sram_fit_horowitz(ssa_sram_fit *f);

/* E(bytes, volts): pJ per 64-bit access of an array of `bytes` at supply `volts`. */
double ssa_sram_access_pj(double bytes, double volts);

#endif
