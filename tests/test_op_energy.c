/* test_op_energy.c -- synth/op_energy.h against operation counts made by hand from the
 * formulas of op_energy.h and docs/synthesis-and-energy.md ("Operation level and memory"),
 * priced with Horowitz's 45 nm figures typed here from the paper (ISSCC 2014), not taken from
 * the header's macros:
 *   8-bit add 0.03 pJ, 32-bit add 0.1, 8-bit mult 0.2, 32-bit mult 3.1, fp32 add 0.9,
 *   fp32 mult 3.7; SRAM 64-bit access 10 pJ (8 KB), 20 pJ (32 KB), 100 pJ (1 MB).
 * Every count is also read back from the formula string the estimate carries (what a report
 * prints), so a wrong count shows even where the energies happen to agree. */
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

/* ---- exact spiking attention, int8 ANN attention and memory ---- */

/* The estimates of one N, D and T (the ANN's take no T: one step). */
typedef void estimator(unsigned n, unsigned d, unsigned steps, ssa_estimate *e);

static void ann_operations(unsigned n, unsigned d, unsigned steps, ssa_estimate *e) {
  (void)steps;
  ssa_op_energy_ann(n, d, e);
}

static void ann_memory(unsigned n, unsigned d, unsigned steps, ssa_estimate *e) {
  (void)steps;
  ssa_memory_ann(n, d, e);
}

static void hand_counts(void **state) {
  (void)state;
  /* each case: the estimate at N, D and T, and its energy in pJ; then what its formula shows
   * ("": not checked) */
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
      /* Memory, spiking: 3 N D bits read + N D written per step; working set one step's Q, K, V,
       * O = 4 N D / 8 bytes.
       *   N = 2, D = 2, T = 1: 16 bits, 2 bytes (8 KB): 16 / 64 x 10 = 2.5 pJ.
       *   N = 4, D = 8, T = 10: 128 bits x 10 = 1280, 16 bytes: 1280 / 64 x 10 = 200 pJ.
       *   N = 256, D = 64, T = 1: 65536 bits, 8192 bytes (just 8 KB): 1024 x 10 = 10240 pJ.
       *   N = 257, D = 64, T = 1: 65792 bits, 8224 bytes (32 KB): 1028 x 20 = 20560 pJ. */
      {ssa_memory_spiking, 2, 2, 1, 2.5,
       "(2-byte working set) = 1 x 16 / 64 x 10 pJ", "spiking N=2 D=2"},
      {ssa_memory_spiking, 4, 8, 10, 200,
       "(16-byte working set) = 10 x 128 / 64 x 10 pJ", "spiking N=4 D=8"},
      {ssa_memory_spiking, 256, 64, 1, 10240,
       "", "spiking N=256 D=64"},
      {ssa_memory_spiking, 257, 64, 1, 20560,
       "(8224-byte working set)", "spiking N=257 D=64"},
      /* Memory, int8 ANN: Q, K, V read as int8 (3 N D x 8 bits), the int32 scores written and
       * read (2 N^2 x 32), the int8 probabilities written and read (2 N^2 x 8), O written as int8
       * (N D x 8); working set 3 N D + 4 N^2 + N^2 + N D bytes.
       *   N = 2, D = 2 (N D = 4, N^2 = 4): 96 + 256 + 64 + 32 = 448 bits; 12 + 16 + 4 + 4 = 36
       *     bytes (8 KB): 448 / 64 x 10 = 70 pJ.
       *   N = 4, D = 8 (N D = 32, N^2 = 16): 768 + 1024 + 256 + 256 = 2304 bits; 96 + 64 + 16 +
       *     32 = 208 bytes: 36 x 10 = 360 pJ.
       *   N = 64, D = 32, the report's claim size (N D = 2048, N^2 = 4096): 49152 + 262144 +
       *     65536 + 16384 = 393216 bits; 6144 + 16384 + 4096 + 2048 = 28672 bytes (32 KB):
       *     6144 x 20 = 122880 pJ.
       *   N = 128, D = 32 (N D = 4096, N^2 = 16384): 98304 + 1048576 + 262144 + 32768 = 1441792
       *     bits; 12288 + 65536 + 16384 + 4096 = 98304 bytes (1 MB): 22528 x 100 = 2252800 pJ. */
      {ann_memory, 2, 2, 1, 70,
       "(36-byte working set) = 448 / 64 x 10 pJ", "ANN memory N=2 D=2"},
      {ann_memory, 4, 8, 1, 360,
       "(208-byte working set) = 2304 / 64 x 10 pJ", "ANN memory N=4 D=8"},
      {ann_memory, 64, 32, 1, 122880,
       "(28672-byte working set) = 393216 / 64 x 20 pJ", "ANN memory N=64 D=32"},
      {ann_memory, 128, 32, 1, 2252800,
       "(98304-byte working set) = 1441792 / 64 x 100 pJ", "ANN memory N=128 D=32"},
  };
  for (unsigned k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    ssa_estimate e;
    cases[k].estimate(cases[k].n, cases[k].d, cases[k].steps, &e);
    assert_near(e.pj, cases[k].pj, 1e-9, cases[k].what);
    assert_formula_has(&e, cases[k].formula);
  }
}

/* ---- memory ---- */

/* The smallest of 8 KB, 32 KB, 1 MB that holds the working set (KB = 1024 bytes). Above 1 MB
 * nothing holds it and the 1 MB figure is kept. */
static void sram_sizes(void **state) {
  (void)state;
  assert_near(ssa_sram_pj_per_access(1), 10, 0, "1 byte");
  assert_near(ssa_sram_pj_per_access(8192), 10, 0, "8 KB");
  assert_near(ssa_sram_pj_per_access(8193), 20, 0, "8 KB + 1");
  assert_near(ssa_sram_pj_per_access(32768), 20, 0, "32 KB");
  assert_near(ssa_sram_pj_per_access(32769), 100, 0, "32 KB + 1");
  assert_near(ssa_sram_pj_per_access(1048576), 100, 0, "1 MB");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(horowitz_constants),
      cmocka_unit_test(sc_hand_counts),
      cmocka_unit_test(sc_builtin_costs),
      cmocka_unit_test(hand_counts),
      cmocka_unit_test(sram_sizes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
