/* test_op_energy.c -- synth/op_energy.h against operation counts made by hand from the
 * formulas of op_energy.h and docs/synthesis-and-energy.md ("Operation level and memory"),
 * priced with Horowitz's 45 nm figures typed here from the paper (ISSCC 2014), not taken from
 * the header's macros:
 *   8-bit add 0.03 pJ, 32-bit add 0.1, 8-bit mult 0.2, 32-bit mult 3.1, fp32 add 0.9,
 *   fp32 mult 3.7; SRAM 64-bit access 10 pJ (8 KB), 20 pJ (32 KB), 100 pJ (1 MB).
 * Every count is also read back from the formula string the estimate carries (what a report
 * prints), so a wrong count shows even where the energies happen to agree. The SRAM power law
 * of synth/sram.h is checked against its least-squares fit worked out by hand, and the memory
 * traffic against bit counts made by hand. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../synth/op_energy.h"

static void assert_near(double got, double want, double rel, const char *what) {
  double tol = rel * fabs(want);
  if (!(fabs(got - want) <= tol))
    fail_msg("%s: got %.17g, want %.17g (relative tolerance %g)", what, got, want, rel);
}

static void assert_formula_has(const ssa_estimate *e, const char *text) {
  if (strstr(e->formula, text) == NULL)
    fail_msg("formula '%s' does not contain '%s'", e->formula, text);
}

/* ---- Horowitz's figures ---- */

static void horowitz_constants(void **state) {
  (void)state;
  assert_near(SSA_PJ_ADD8, 0.03, 0, "8-bit add");
  assert_near(SSA_PJ_ADD32, 0.1, 0, "32-bit add");
  assert_near(SSA_PJ_MUL8, 0.2, 0, "8-bit mult");
  assert_near(SSA_PJ_MUL32, 3.1, 0, "32-bit mult");
  assert_near(SSA_PJ_FADD32, 0.9, 0, "fp32 add");
  assert_near(SSA_PJ_FMUL32, 3.7, 0, "fp32 mult");
  assert_near(SSA_PJ_SRAM8K, 10, 0, "8 KB SRAM");
  assert_near(SSA_PJ_SRAM32K, 20, 0, "32 KB SRAM");
  assert_near(SSA_PJ_SRAM1M, 100, 0, "1 MB SRAM");
}

/* ---- SC attention ---- */

/* Gate costs picked so that each term of a total can be read off it: AND 1 fJ, MUX2 10 fJ,
 * random bit 100 fJ. */
static const ssa_sc_gate_costs COSTS = {.and_fj = 1, .mux_fj = 10, .random_bit_fj = 100};

/* N = 2, D = 2, T = 1, 3 random bits.
 *   ANDs: N^2 scores + N D outputs = 4 + 4 = 8.
 *   unit: each of the N^2 = 4 scores selects a Q bit and a K bit with a D-input mux (D-1 = 1
 *         MUX2): 4 x 2 x 1 = 8; each of the N D = 4 outputs an s bit and a V bit with an
 *         N-input mux (N-1 = 1): 4 x 2 x 1 = 8; 16 MUX2.
 *   row:  one Q select per row N (D-1) = 2, a K select per score N^2 (D-1) = 4, one s select
 *         per row N (N-1) = 2, a V select per output N D (N-1) = 4; 12 MUX2.
 *   global: one Q and one K column for every row 2 N (D-1) = 4, one s column N (N-1) = 2, one
 *         V row D (N-1) = 2; 8 MUX2.
 *   energy: unit 8 x 1 + 16 x 10 + 3 x 100 = 468 fJ = 0.468 pJ; row 8 + 120 + 300 = 428 fJ;
 *           global 8 + 80 + 300 = 388 fJ. */
/* N = 4, D = 8, T = 10, 5 random bits per step.
 *   ANDs: 16 + 32 = 48.
 *   unit: 16 scores x 2 x 7 = 224, 32 outputs x 2 x 3 = 192: 416 MUX2.
 *   row:  4 x 7 = 28, 16 x 7 = 112, 4 x 3 = 12, 32 x 3 = 96: 248 MUX2.
 *   global: 2 x 4 x 7 = 56, 4 x 3 = 12, 8 x 3 = 24: 92 MUX2.
 *   per step: unit 48 + 4160 + 500 = 4708 fJ, row 48 + 2480 + 500 = 3028 fJ,
 *             global 48 + 920 + 500 = 1468 fJ; x 10 steps: 47.08, 30.28, 14.68 pJ. */
static void sc_hand_counts(void **state) {
  (void)state;
  /* each case: N, D, T, the share mode, random bits and the energy in pJ; then the counts the
   * formula shows */
  static const struct {
    unsigned n, d, steps;
    enum ssa_share share;
    unsigned bits;
    double pj;
    const char *counts;
  } cases[] = {
      {2, 2, 1, SSA_SHARE_UNIT, 3, 0.468, "= 1 x [8 x 1.000 + 16 x 10.000 + 3 x 100.000] fJ"},
      {2, 2, 1, SSA_SHARE_ROW, 3, 0.428, "= 1 x [8 x 1.000 + 12 x 10.000 + 3 x 100.000] fJ"},
      {2, 2, 1, SSA_SHARE_GLOBAL, 3, 0.388, "= 1 x [8 x 1.000 + 8 x 10.000 + 3 x 100.000] fJ"},
      {4, 8, 10, SSA_SHARE_UNIT, 5, 47.08, "= 10 x [48 x 1.000 + 416 x 10.000 + 5 x 100.000] fJ"},
      {4, 8, 10, SSA_SHARE_ROW, 5, 30.28, "= 10 x [48 x 1.000 + 248 x 10.000 + 5 x 100.000] fJ"},
      {4, 8, 10, SSA_SHARE_GLOBAL, 5, 14.68, "= 10 x [48 x 1.000 + 92 x 10.000 + 5 x 100.000] fJ"},
  };
  for (unsigned k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    ssa_estimate e;
    ssa_op_energy_sc(cases[k].n, cases[k].d, cases[k].steps, cases[k].share, cases[k].bits,
                     &COSTS, &e);
    char what[32];
    snprintf(what, sizeof what, "SC N=%u D=%u", cases[k].n, cases[k].d);
    assert_near(e.pj, cases[k].pj, 1e-9, what);
    assert_formula_has(&e, cases[k].counts);
  }
}

/* The built-in gate costs from the NanGate rows of synth/cell_table.c (V = 1.1 V, V^2 = 1.21),
 * an operation = (E_int + 1/2 C_in V^2) / 2:
 *   AND  (2.77548025 + 0.5 x 0.9463875 x 1.21) / 2 = (2.77548025 + 0.5725644375) / 2
 *        = 1.67402234375 fJ
 *   MUX  (3.43846341667 + 0.5 x 1.270379 x 1.21) / 2 = (3.43846341667 + 0.768579295) / 2
 *        = 2.103521355835 fJ
 *   random bit: DFF clock 7.44427675 + half a DFF toggle (4.3719385 + 0.6322077575) / 2
 *        = 2.50207312875 + half an XOR toggle (3.038297125 + 1.4046880925) / 2 = 2.22149260875:
 *        12.1678424875 fJ
 * and N = 4, D = 8, T = 10, unit, 5 bits: 10 x (48 x 1.67402234375 + 416 x 2.103521355835
 *   + 5 x 12.1678424875) fJ = 10 x (80.3530725 + 875.06488402736 + 60.8392124375) fJ
 *   = 10.162571689648 pJ. */
static void sc_builtin_costs(void **state) {
  (void)state;
  ssa_sc_gate_costs c;
  ssa_sc_gate_costs_builtin(&c);
  assert_near(c.and_fj, 1.67402234375, 1e-9, "AND fJ");
  assert_near(c.mux_fj, 2.103521355835, 1e-9, "MUX fJ");
  assert_near(c.random_bit_fj, 12.1678424875, 1e-9, "random bit fJ");
  ssa_estimate e;
  ssa_op_energy_sc(4, 8, 10, SSA_SHARE_UNIT, 5, &c, &e);
  assert_near(e.pj, 10.162571689648, 1e-9, "SC N=4 D=8 built-in");
}

/* ---- exact spiking attention and int8 ANN attention ---- */

/* The estimates of one N, D and T (the ANN's take no T: one step). */
typedef void estimator(unsigned n, unsigned d, unsigned steps, ssa_estimate *e);

static void ann_operations(unsigned n, unsigned d, unsigned steps, ssa_estimate *e) {
  (void)steps;
  ssa_op_energy_ann(n, d, e);
}

static void hand_counts(void **state) {
  (void)state;
  /* each case: the estimate at N, D and T, and its energy in pJ; then what its formula shows */
  static const struct {
    estimator *estimate;
    unsigned n, d, steps;
    double pj;
    const char *formula, *what;
  } cases[] = {
      /* Exact spiking attention. Per step: N^2 D adds for Q K^T, N^2 D for (Q K^T) V, N D LIF
       * updates of 3 adds each.
       *   N = 2, D = 2, T = 1: 8 + 8 + 3 x 4 = 28 adds x 0.1 = 2.8 pJ.
       *   N = 4, D = 8, T = 10: 128 + 128 + 3 x 32 = 352 adds per step, 3520 x 0.1 = 352 pJ. */
      {ssa_op_energy_exact, 2, 2, 1, 2.8,
       "= 1 x 28 x 0.10 pJ", "exact N=2 D=2"},
      {ssa_op_energy_exact, 4, 8, 10, 352,
       "= 10 x 352 x 0.10 pJ", "exact N=4 D=8"},
      /* int8 ANN attention. MACs 2 N^2 D (Q K^T and P V) x (8-bit mult 0.2 + 32-bit add 0.1 =
       * 0.3 pJ); N^2 scalings x 3.1 pJ; softmax per score exp (4 fmul + 4 fadd) + row-sum add +
       * reciprocal mult = 5 fmul + 5 fadd = 5 x 3.7 + 5 x 0.9 = 23 pJ, per row a Newton
       * reciprocal 4 fmul + 4 fadd = 18.4 pJ.
       *   N = 2, D = 2: 16 MACs x 0.3 = 4.8; 4 x 3.1 = 12.4; softmax 4 x 23 + 2 x 18.4 = 92 +
       *     36.8 = 128.8; total 146 pJ.
       *   N = 4, D = 8: 256 MACs x 0.3 = 76.8; 16 x 3.1 = 49.6; softmax 16 x 23 + 4 x 18.4 = 368
       *     + 73.6 = 441.6; total 568 pJ. */
      {ann_operations, 2, 2, 1, 146,
       "= 16 x 0.30 + 4 x 3.10 + 128.8 pJ", "ANN N=2 D=2"},
      {ann_operations, 4, 8, 1, 568,
       "= 256 x 0.30 + 16 x 3.10 + 441.6 pJ", "ANN N=4 D=8"},
  };
  for (unsigned k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    ssa_estimate e;
    cases[k].estimate(cases[k].n, cases[k].d, cases[k].steps, &e);
    assert_near(e.pj, cases[k].pj, 1e-9, cases[k].what);
    assert_formula_has(&e, cases[k].formula);
  }
}

/* ---- the SRAM power law (synth/sram.h) ---- */

/* The least-squares line through Horowitz's points in log-log, worked out by hand. The sizes
 * are 2^13, 2^15 and 2^20 bytes, so in doublings from their geometric mean 2^16 = 64 KiB they
 * sit at x = -3, -1, +4 (sum of squares 26). The slope of ln E per doubling is
 *   (-3 ln 10 - 1 ln 20 + 4 ln 100) / 26 = ln(10^8 / (10^3 x 20)) / 26 = ln 5000 / 26,
 * so the exponent of the size is b = log2(5000) / 26 = 12.28771237954945 / 26
 * = 0.4726043222903634, and the line passes through the geometric means: S0 = 65536 bytes,
 * E0 = (10 x 20 x 100)^(1/3) = 20000^(1/3) = 27.144176165949062 pJ. */
static void sram_fit(void **state) {
  (void)state;
  ssa_sram_fit f;
  ssa_sram_fit_horowitz(&f);
  assert_near(f.exponent, 0.4726043222903634, 1e-12, "exponent b");
  assert_near(f.ref_bytes, 65536, 1e-12, "S0");
  assert_near(f.ref_pj, 27.144176165949062, 1e-12, "E0");
  assert_near(ssa_sram_access_pj(65536, 0.9), 27.144176165949062, 1e-12, "E(S0, 0.9 V)");
}

/* E(S, 0.9 V) = E0 x 2^(b x doublings from 64 KiB):
 *   8 KB   E0 x 2^(-3 b) = E0 / 2.671853 = 10.15950232269649 pJ   (Horowitz 10: +1.6 %)
 *   32 KB  E0 x 2^(-b)   = 19.561789809937935 pJ                  (20: -2.2 %)
 *   1 MB   E0 x 2^(4 b)  = 100.63498207621552 pJ                  (100: +0.6 %)
 * so the fit stays within 2.2 % of every point it was fitted to. */
static void sram_points(void **state) {
  (void)state;
  static const struct {
    double bytes, fit, horowitz;
  } points[] = {{8192, 10.15950232269649, 10},
                {32768, 19.561789809937935, 20},
                {1048576, 100.63498207621552, 100}};
  for (unsigned k = 0; k < 3; k++) {
    double e = ssa_sram_access_pj(points[k].bytes, 0.9);
    assert_near(e, points[k].fit, 1e-12, "fit at a Horowitz size");
    assert_near(e, points[k].horowitz, 0.022, "fit against Horowitz");
  }
  /* four times the size costs 4^b = 1.9273 times as much: the square-root-like growth */
  assert_near(ssa_sram_access_pj(4000, 0.9) / ssa_sram_access_pj(1000, 0.9),
              pow(4, 0.4726043222903634), 1e-12, "E(4 S) / E(S)");
}

/* Dynamic energy goes as V^2: at the NanGate table's 1.1 V an access costs (1.1 / 0.9)^2 =
 * 1.21 / 0.81 = 1.4938271604938271 times as much; at 64 KiB 27.144176165949062 x 1.4938...
 * = 40.548707605923916 pJ. */
static void sram_voltage(void **state) {
  (void)state;
  assert_near(ssa_sram_access_pj(65536, 1.1), 40.548707605923916, 1e-12, "E(S0, 1.1 V)");
  assert_near(ssa_sram_access_pj(1234, 1.1) / ssa_sram_access_pj(1234, 0.9), 1.21 / 0.81, 1e-12,
              "V^2 scaling");
  assert_near(ssa_sram_access_pj(1234, 0.45) / ssa_sram_access_pj(1234, 0.9), 0.25, 1e-12,
              "half the voltage, a quarter of the energy");
}

/* ---- memory traffic from one activation buffer ---- */

/* The buffer holds 4 N D + 5 N^2 bytes (the spilling ANN's Q, K, V, O int8, int32 scores,
 * int8 probabilities), which is at least the row-by-row ANN's 4 N D and the spiking side's
 * 4 N D / 8:
 *   N = 4, D = 8:   128 + 80 = 208 bytes;
 *   N = 64, D = 32: 8192 + 20480 = 28672 bytes, E = E0 x (28672 / 65536)^b = 27.144176 x
 *     0.4375^0.4726043 = 18.36544024019554 pJ at 0.9 V, x 1.21 / 0.81 = 27.434793445230376 pJ
 *     at 1.1 V. */
static void buffer_size(void **state) {
  (void)state;
  ssa_activation_buffer b;
  ssa_activation_buffer_init(&b, 4, 8, 0.9);
  assert_near(b.bytes, 208, 0, "N=4 D=8 bytes");
  ssa_activation_buffer_init(&b, 64, 32, 0.9);
  assert_near(b.bytes, 28672, 0, "N=64 D=32 bytes");
  assert_near(b.pj_per_access, 18.36544024019554, 1e-12, "N=64 D=32 0.9 V");
  ssa_activation_buffer_init(&b, 64, 32, 1.1);
  assert_near(b.pj_per_access, 27.434793445230376, 1e-12, "N=64 D=32 1.1 V");
  if (strstr(b.formula, "(28672 B / 65536 B)^0.4726 x (1.10 V / 0.9 V)^2 = 27.435 pJ") == NULL)
    fail_msg("buffer formula '%s'", b.formula);
}

/* Traffic counted by hand, priced from a buffer of 10 pJ per access so that the pJ read as
 * accesses x 10:
 *   N = 2, D = 2 (N D = 4, N^2 = 4), T = 1:
 *     spiking    T x 4 N D = 16 bits, 0.25 accesses: 2.5 pJ
 *     row by row 4 N D x 8 = 128 bits, 2 accesses: 20 pJ
 *     spilling   128 + 2 x 4 x 32 + 2 x 4 x 8 = 128 + 256 + 64 = 448 bits, 7 accesses: 70 pJ
 *   N = 4, D = 8 (N D = 32, N^2 = 16; N and D differ, so N^2 and N D cannot stand in for each
 *   other), T = 10:
 *     spiking    10 x 128 = 1280 bits, 20 accesses: 200 pJ
 *     row by row 128 x 8 = 1024 bits, 16 accesses: 160 pJ
 *     spilling   1024 + 2 x 16 x 32 + 2 x 16 x 8 = 1024 + 1024 + 256 = 2304 bits, 36 accesses:
 *                360 pJ
 *   N = 64, D = 32 (N D = 2048, N^2 = 4096), T = 10, the report's claim size:
 *     spiking    10 x 8192 = 81920 bits, 1280 accesses: 12800 pJ
 *     row by row 8192 x 8 = 65536 bits, 1024 accesses: 10240 pJ (0.8 x the spiking side)
 *     spilling   65536 + 262144 + 65536 = 393216 bits, 6144 accesses: 61440 pJ (4.8 x) */
static void traffic_hand_counts(void **state) {
  (void)state;
  ssa_activation_buffer b = {.bytes = 1000, .volts = 0.9, .pj_per_access = 10,
                             .formula = "10 pJ"};
  static const struct {
    unsigned n, d, steps;
    double spiking, rowwise, spilling;
    const char *spiking_counts, *rowwise_counts, *spilling_counts;
  } cases[] = {
      {2, 2, 1, 2.5, 20, 70, "= 1 x 16 / 64 x 10.000 pJ", "= 128 / 64 x 10.000 pJ",
       "= 448 / 64 x 10.000 pJ"},
      {4, 8, 10, 200, 160, 360, "= 10 x 128 / 64 x 10.000 pJ", "= 1024 / 64 x 10.000 pJ",
       "= 2304 / 64 x 10.000 pJ"},
      {64, 32, 10, 12800, 10240, 61440, "= 10 x 8192 / 64 x 10.000 pJ",
       "= 65536 / 64 x 10.000 pJ", "= 393216 / 64 x 10.000 pJ"},
  };
  for (unsigned k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    ssa_estimate e;
    ssa_traffic_spiking(&b, cases[k].n, cases[k].d, cases[k].steps, &e);
    assert_near(e.pj, cases[k].spiking, 1e-12, "spiking traffic");
    assert_formula_has(&e, cases[k].spiking_counts);
    assert_formula_has(&e, "1000-byte activation buffer");
    ssa_traffic_ann_rowwise(&b, cases[k].n, cases[k].d, &e);
    assert_near(e.pj, cases[k].rowwise, 1e-12, "row-by-row ANN traffic");
    assert_formula_has(&e, cases[k].rowwise_counts);
    ssa_traffic_ann_spilling(&b, cases[k].n, cases[k].d, &e);
    assert_near(e.pj, cases[k].spilling, 1e-12, "spilling ANN traffic");
    assert_formula_has(&e, cases[k].spilling_counts);
  }
}

/* The claim size priced like for like: one buffer at the cell library's 1.1 V for all three,
 * so the ratios are those of the traffic (0.8 and 4.8) and the pJ are accesses x
 * 27.434793445230376: spiking 1280 x = 35116.53560989488 pJ. */
static void traffic_one_buffer(void **state) {
  (void)state;
  ssa_activation_buffer b;
  ssa_activation_buffer_init(&b, 64, 32, 1.1);
  ssa_estimate sc, rowwise, spilling;
  ssa_traffic_spiking(&b, 64, 32, 10, &sc);
  ssa_traffic_ann_rowwise(&b, 64, 32, &rowwise);
  ssa_traffic_ann_spilling(&b, 64, 32, &spilling);
  assert_near(sc.pj, 35116.53560989488, 1e-12, "spiking N=64 1.1 V");
  assert_near(rowwise.pj / sc.pj, 0.8, 1e-12, "row-by-row ANN / spiking");
  assert_near(spilling.pj / sc.pj, 4.8, 1e-12, "spilling ANN / spiking");
  assert_formula_has(&sc, "28672-byte activation buffer (4 N D + 5 N^2) at 1.10 V");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(horowitz_constants),
      cmocka_unit_test(sc_hand_counts),
      cmocka_unit_test(sc_builtin_costs),
      cmocka_unit_test(hand_counts),
      cmocka_unit_test(sram_fit),
      cmocka_unit_test(sram_points),
      cmocka_unit_test(sram_voltage),
      cmocka_unit_test(buffer_size),
      cmocka_unit_test(traffic_hand_counts),
      cmocka_unit_test(traffic_one_buffer),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
