/* test_extrapolate.c -- synth/extrapolate.h on inputs whose answer is worked out by hand in the
 * comments. The model (extrapolate.h): per part, cells(N) = a N^2 + b N (a, b >= 0) through the
 * two largest measured sizes (one measured size: b = 0), and the energy and area per cell of the
 * largest measured size. So a part whose energy is k x cells at every size, with cells exactly
 * a N^2 + b N, must come out at k (a N^2 + b N) at any N.
 *
 * The three parts are given different laws so that a mix-up between them shows:
 *   PRNG       cells 3 N^2 + 5 N   (N = 4: 48 + 20 = 68;  N = 8: 192 + 40 = 232)
 *   datapath   cells 7 N^2         (N = 4: 112;           N = 8: 448)
 *   registers  cells 11 N          (N = 4: 44;            N = 8: 88)
 * with energy per cell 0.5, 0.25, 1.5 pJ and area per cell 2, 3, 4 um^2. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../synth/extrapolate.h"

static void assert_near(double got, double want, double rel, const char *what) {
  double tol = rel * fabs(want);
  if (!(fabs(got - want) <= tol))
    fail_msg("%s: got %.17g, want %.17g (relative tolerance %g)", what, got, want, rel);
}

static const double PJ_PER_CELL[SSA_PART_COUNT] = {0.5, 0.25, 1.5};
static const double UM2_PER_CELL[SSA_PART_COUNT] = {2, 3, 4};

/* The laws above at size n. */
static ssa_size_figures law(unsigned n) {
  double N = n;
  ssa_size_figures f = {.n = n};
  f.cells[SSA_PART_PRNG] = 3 * N * N + 5 * N;
  f.cells[SSA_PART_DATAPATH] = 7 * N * N;
  f.cells[SSA_PART_REGISTERS] = 11 * N;
  for (unsigned p = 0; p < SSA_PART_COUNT; p++) {
    f.pj[p] = PJ_PER_CELL[p] * f.cells[p];
    f.area_um2[p] = UM2_PER_CELL[p] * f.cells[p];
  }
  return f;
}

/* N = 4 and 8 measured, extrapolated to N = 64:
 *   PRNG      a = (232/8 - 68/4) / (8 - 4) = (29 - 17) / 4 = 3,  b = 68/4 - 3 x 4 = 17 - 12 = 5;
 *             cells 3 x 4096 + 5 x 64 = 12288 + 320 = 12608, energy 0.5 x 12608 = 6304 pJ,
 *             area 2 x 12608 = 25216 um^2
 *   datapath  a = (448/8 - 112/4) / 4 = (56 - 28) / 4 = 7, b = 28 - 7 x 4 = 0;
 *             cells 7 x 4096 = 28672, energy 0.25 x 28672 = 7168 pJ, area 86016 um^2
 *   registers a = (88/8 - 44/4) / 4 = (11 - 11) / 4 = 0, b = 11 - 0 = 11;
 *             cells 11 x 64 = 704, energy 1.5 x 704 = 1056 pJ, area 2816 um^2 */
static const double CELLS_64[SSA_PART_COUNT] = {12608, 28672, 704};
static const double PJ_64[SSA_PART_COUNT] = {6304, 7168, 1056};
static const double UM2_64[SSA_PART_COUNT] = {25216, 86016, 2816};
static const double A_48[SSA_PART_COUNT] = {3, 7, 0};
static const double B_48[SSA_PART_COUNT] = {5, 0, 11};

static void check_64(const ssa_size_figures *out, const ssa_cell_fit fit[SSA_PART_COUNT]) {
  assert_int_equal(out->n, 64);
  for (unsigned p = 0; p < SSA_PART_COUNT; p++) {
    char what[64];
    /* The fit and the cell counts are exact in binary floating point (small integers). */
    snprintf(what, sizeof what, "part %u: a", p);
    assert_near(fit[p].a, A_48[p], 0, what);
    snprintf(what, sizeof what, "part %u: b", p);
    assert_near(fit[p].b, B_48[p], 0, what);
    snprintf(what, sizeof what, "part %u: cells", p);
    assert_near(out->cells[p], CELLS_64[p], 0, what);
    /* Energy and area go through a division by the N = 8 cell count: one rounding. */
    snprintf(what, sizeof what, "part %u: pJ", p);
    assert_near(out->pj[p], PJ_64[p], 1e-12, what);
    snprintf(what, sizeof what, "part %u: area", p);
    assert_near(out->area_um2[p], UM2_64[p], 1e-12, what);
  }
}

/* Extrapolates the measured sizes to N = 64: the answer the laws give (check_64). */
static void expect_64(const ssa_size_figures *measured, unsigned count) {
  ssa_size_figures out;
  ssa_cell_fit fit[SSA_PART_COUNT];
  ssa_extrapolate(measured, count, 64, &out, fit);
  check_64(&out, fit);
}

static void two_sizes(void **state) {
  (void)state;
  ssa_size_figures m[2] = {law(4), law(8)};
  expect_64(m, 2);
}

/* "Any order", and only the two largest sizes count: N = 2 is given absurd figures (1000 cells,
 * 10^6 pJ per part) and placed between the others; N = 4 is given 100 pJ per cell, which must
 * not matter either, since energy per cell is the largest size's (N = 8). The answer is that of
 * two_sizes. */
static void two_largest_any_order(void **state) {
  (void)state;
  ssa_size_figures m[3] = {law(8), law(2), law(4)};
  for (unsigned p = 0; p < SSA_PART_COUNT; p++) {
    m[1].cells[p] = 1000;
    m[1].pj[p] = 1e6;
    m[1].area_um2[p] = 1e6;
    m[2].pj[p] = 100 * m[2].cells[p];
    m[2].area_um2[p] = 100 * m[2].cells[p];
  }
  expect_64(m, 3);
}

/* At a measured size the fit passes through the measured figures: N = 8 gives 232, 448, 88
 * cells and the measured energies 116, 112, 132 pJ (per-cell ratio exactly 1); N = 4 gives 68,
 * 112, 44 cells (interpolation through both points) and energy per cell of N = 8, which the
 * laws make the same: 34, 28, 66 pJ. */
static void at_measured_sizes(void **state) {
  (void)state;
  ssa_size_figures m[2] = {law(4), law(8)};
  ssa_size_figures out;
  ssa_cell_fit fit[SSA_PART_COUNT];
  static const double cells8[] = {232, 448, 88}, pj8[] = {116, 112, 132};
  static const double cells4[] = {68, 112, 44}, pj4[] = {34, 28, 66};
  ssa_extrapolate(m, 2, 8, &out, fit);
  for (unsigned p = 0; p < SSA_PART_COUNT; p++) {
    assert_near(out.cells[p], cells8[p], 0, "cells at N = 8");
    assert_near(out.pj[p], pj8[p], 0, "pJ at N = 8");
  }
  ssa_extrapolate(m, 2, 4, &out, fit);
  for (unsigned p = 0; p < SSA_PART_COUNT; p++) {
    assert_near(out.cells[p], cells4[p], 0, "cells at N = 4");
    assert_near(out.pj[p], pj4[p], 1e-12, "pJ at N = 4");
  }
}

/* One measured size (N = 8): b = 0, a = cells / 64, so every part scales as N^2:
 *   PRNG      a = 232/64 = 3.625, cells at 64: 3.625 x 4096 = 14848, energy 116 x 64 = 7424,
 *             area 464 x 64 = 29696
 *   datapath  a = 448/64 = 7,     cells 28672, energy 112 x 64 = 7168, area 1344 x 64 = 86016
 *   registers a = 88/64 = 1.375,  cells 5632,  energy 132 x 64 = 8448, area 352 x 64 = 22528
 * (the registers, truly 11 N, are overstated 8x: what one size cannot tell). Two entries of the
 * same N are one size: {8, 8} must give the same. */
static void one_size(void **state) {
  (void)state;
  static const double a[] = {3.625, 7, 1.375}, cells[] = {14848, 28672, 5632};
  static const double pj[] = {7424, 7168, 8448}, um2[] = {29696, 86016, 22528};
  ssa_size_figures m[2] = {law(8), law(8)};
  for (unsigned count = 1; count <= 2; count++) {
    ssa_size_figures out;
    ssa_cell_fit fit[SSA_PART_COUNT];
    ssa_extrapolate(m, count, 64, &out, fit);
    assert_int_equal(out.n, 64);
    for (unsigned p = 0; p < SSA_PART_COUNT; p++) {
      assert_near(fit[p].a, a[p], 0, "a, one size");
      assert_near(fit[p].b, 0, 0, "b, one size");
      assert_near(out.cells[p], cells[p], 0, "cells, one size");
      assert_near(out.pj[p], pj[p], 1e-12, "pJ, one size");
      assert_near(out.area_um2[p], um2[p], 1e-12, "area, one size");
    }
  }
}

/* The a, b >= 0 clamps (extrapolate.h). One pJ and one um^2 per cell at N = 8.
 *   PRNG: N = 4 100 cells (25 per N), N = 8 120 cells (15 per N): a = (15 - 25) / 4 = -2.5 < 0,
 *         so a = 0 and b = 120/8 = 15: at N = 64, 15 x 64 = 960 cells, 960 x 1 = 960 pJ.
 *   datapath: N = 4 16 cells (4 per N), N = 8 128 (16 per N): a = (16 - 4) / 4 = 3,
 *         b = 4 - 3 x 4 = -8 < 0, so b = 0 and a = 128/64 = 2: 2 x 4096 = 8192 cells, 8192 pJ.
 *   registers: no cells at either size (and 5 pJ at N = 8, e.g. leakage of nothing): a = b = 0,
 *         0 cells and 0 pJ (not 0/0). */
static void clamps(void **state) {
  (void)state;
  ssa_size_figures m[2] = {{.n = 4}, {.n = 8}};
  m[0].cells[SSA_PART_PRNG] = 100;
  m[1].cells[SSA_PART_PRNG] = 120;
  m[0].cells[SSA_PART_DATAPATH] = 16;
  m[1].cells[SSA_PART_DATAPATH] = 128;
  for (unsigned p = 0; p < SSA_PART_COUNT; p++) {
    m[1].pj[p] = m[1].cells[p];
    m[1].area_um2[p] = m[1].cells[p];
  }
  m[1].pj[SSA_PART_REGISTERS] = 5;
  ssa_size_figures out;
  ssa_cell_fit fit[SSA_PART_COUNT];
  ssa_extrapolate(m, 2, 64, &out, fit);
  assert_near(fit[SSA_PART_PRNG].a, 0, 0, "PRNG a clamped");
  assert_near(fit[SSA_PART_PRNG].b, 15, 0, "PRNG b");
  assert_near(out.cells[SSA_PART_PRNG], 960, 0, "PRNG cells");
  assert_near(out.pj[SSA_PART_PRNG], 960, 1e-12, "PRNG pJ");
  assert_near(fit[SSA_PART_DATAPATH].a, 2, 0, "datapath a");
  assert_near(fit[SSA_PART_DATAPATH].b, 0, 0, "datapath b clamped");
  assert_near(out.cells[SSA_PART_DATAPATH], 8192, 0, "datapath cells");
  assert_near(out.pj[SSA_PART_DATAPATH], 8192, 1e-12, "datapath pJ");
  assert_near(fit[SSA_PART_REGISTERS].a, 0, 0, "registers a");
  assert_near(fit[SSA_PART_REGISTERS].b, 0, 0, "registers b");
  assert_near(out.cells[SSA_PART_REGISTERS], 0, 0, "registers cells");
  assert_near(out.pj[SSA_PART_REGISTERS], 0, 0, "registers pJ");
  assert_near(out.area_um2[SSA_PART_REGISTERS], 0, 0, "registers area");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(two_sizes),     cmocka_unit_test(two_largest_any_order),
      cmocka_unit_test(at_measured_sizes), cmocka_unit_test(one_size),
      cmocka_unit_test(clamps),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
