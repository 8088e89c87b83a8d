/* test_fpga_latency.c -- synth/fpga_latency.h: the latency of T steps with the inputs shifted
 * in, worked out by hand from the harness's timing (one pin, one bit per clock; the step taken
 * on the clock after its last bit, which already shifts the next step's first bit), and, in the
 * `place` group, a design placed and routed by nextpnr-ice40 and one too large for the part.
 * Groups: model (no tools), place (Yosys and nextpnr-ice40). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/design.h"
#include "../core/plan.h"
#include "../kinds/kinds.h"
#include "../synth/fpga_latency.h"
#include "skip.h"

static void assert_near(double got, double want, double rel, const char *what) {
  if (!(fabs(got - want) <= rel * fabs(want)))
    fail_msg("%s: got %.17g, want %.17g", what, got, want);
}

static void assert_note_has(const ssa_fpga_latency *l, const char *text) {
  if (strstr(l->note, text) == NULL) fail_msg("note '%s' does not contain '%s'", l->note, text);
}

/* A design with the attention's stream ports: rst_ni, in_valid_i, q_i, k_i, v_i (N D bits
 * each), out_valid_o, o_o; latency 1, a step every clock. */
static void attention_shape(ssa_design *d, unsigned n, unsigned dim) {
  static const char *const inputs[] = {"q_i", "k_i", "v_i"};
  memset(d, 0, sizeof *d);
  ssa_design_name(d, "attention", "ssa_attention", 1);
  d->interval = 1;
  ssa_design_add_stream_ports(d, 0, inputs, 3, n * dim, "o_o", n * dim);
}

/* N = 4, D = 32: B = 3 x 128 = 384 bits (rst_ni and in_valid_i come from pins, not the chain),
 * one pin: L = 384 clocks a step; T = 10: 10 x 384 + 1 = 3841 clocks; at 83.2 MHz
 * 3841 / 83.2 = 46.16586538461538 us.
 * N = 16, D = 32: B = 1536, 10 x 1536 + 1 = 15361 clocks; at 73.5 MHz 208.9931972789116 us.
 * T = 1: one load and the pipeline, 384 + 1 = 385 clocks. */
static void attention_latency(void **state) {
  (void)state;
  ssa_design d;
  ssa_fpga_latency l;
  attention_shape(&d, 4, 32);
  ssa_fpga_latency_of(&d, 10, 83.2, NULL, &l);
  assert_int_equal(l.fits, 1);
  assert_int_equal(l.in_bits, 384);
  assert_int_equal(l.in_pins, 1);
  assert_int_equal(l.load_clocks, 384);
  assert_int_equal(l.pipeline_clocks, 1);
  assert_int_equal(l.clocks, 3841);
  assert_near(l.us, 46.16586538461538, 1e-12, "N=4 us");
  assert_string_equal(l.device, "HX8K");
  assert_note_has(&l, "= (10 x 384 + 1) / 83.2 MHz = 3841 clocks, 46.166 us (iCE40 HX8K)");
  ssa_fpga_latency_of(&d, 1, 83.2, "hx8k", &l);
  assert_int_equal(l.clocks, 385);
  ssa_design_free(&d);

  attention_shape(&d, 16, 32);
  ssa_fpga_latency_of(&d, 10, 73.5, "hx8k", &l);
  assert_int_equal(l.in_bits, 1536);
  assert_int_equal(l.clocks, 15361);
  assert_near(l.us, 208.9931972789116, 1e-12, "N=16 us");
  ssa_design_free(&d);
}

/* A design busy for longer than its load: 3 input bits (L would be 3) but a step every 7
 * clocks and a latency of 7, T = 4: 4 x 7 + 7 = 35 clocks, 0.35 us at 100 MHz. */
static void interval_bound(void **state) {
  (void)state;
  static const char *const inputs[] = {"a_i"};
  ssa_design d;
  memset(&d, 0, sizeof d);
  ssa_design_name(&d, "test", "slow_top", 7);
  d.interval = 7;
  ssa_design_add_stream_ports(&d, 1, inputs, 1, 3, "y_o", 2);
  ssa_fpga_latency l;
  ssa_fpga_latency_of(&d, 4, 100, NULL, &l);
  assert_int_equal(l.in_bits, 3);
  assert_int_equal(l.load_clocks, 7);
  assert_int_equal(l.clocks, 35);
  assert_near(l.us, 0.35, 1e-12, "slow design us");
  ssa_design_free(&d);
}

/* Nothing placed: no figure, and the sentence the report prints. */
static void unfit(void **state) {
  (void)state;
  ssa_fpga_latency l;
  ssa_fpga_latency_unfit(64, 10, NULL, &l);
  assert_int_equal(l.fits, 0);
  assert_true(l.us == 0 && l.clocks == 0 && l.fmax_mhz == 0);
  assert_string_equal(l.note, "not reproduced: N = 64 does not fit an iCE40 HX8K");
  ssa_fpga_latency_unfit(8, 10, "lp8k", &l);
  assert_string_equal(l.note, "not reproduced: N = 8 does not fit an iCE40 LP8K");
}

/* ---- place and route ---- */

static void sc_attention(ssa_design *d, unsigned n, unsigned dim, enum ssa_share share) {
  ssa_attention_params p;
  ssa_attention_params_default(&p);
  p.tokens = n;
  p.dim = dim;
  p.share = share;
  ssa_plan plan;
  memset(d, 0, sizeof *d);
  ssa_error err = {{0}};
  if (ssa_plan_build(&plan, &p, &err) != 0 || ssa_kind_emit(&ssa_kind_attention, &p, d, &err) != 0)
    fail_msg("attention: %s", err.msg);
  ssa_plan_free(&plan);
}

/* N = 2, D = 2 (global) places on the HX8K: B = 12 bits, T = 10: 10 x 12 + 1 = 121 clocks at
 * whatever Fmax nextpnr reaches. N = 16, D = 32 (global) needs 2257 flip-flops (bench figures:
 * ssa synth --flow ice40), more than an HX1K's 1280 logic cells. */
static void placed(void **state) {
  (void)state;
  ssa_design d;
  ssa_fpga_latency l;
  ssa_error err = {{0}};
  sc_attention(&d, 2, 2, SSA_SHARE_GLOBAL);
  if (ssa_fpga_latency_measure(&d, 2, 10, NULL, &l, &err) != 0) fail_msg("%s", err.msg);
  assert_int_equal(l.fits, 1);
  assert_int_equal(l.in_bits, 12);
  assert_int_equal(l.clocks, 121);
  if (!(l.fmax_mhz > 10 && l.fmax_mhz < 1000)) fail_msg("Fmax %g MHz", l.fmax_mhz);
  assert_near(l.us, 121 / l.fmax_mhz, 1e-12, "us = clocks / Fmax");
  ssa_design_free(&d);

  sc_attention(&d, 16, 32, SSA_SHARE_GLOBAL);
  if (ssa_fpga_latency_measure(&d, 16, 10, "hx1k", &l, &err) != 0) fail_msg("%s", err.msg);
  assert_int_equal(l.fits, 0);
  assert_string_equal(l.note, "not reproduced: N = 16 does not fit an iCE40 HX1K");
  ssa_design_free(&d);
}

int main(int argc, char **argv) {
  static const char *const groups[] = {"model", "place", NULL};
  const char *group = ssa_test_group(argc, argv, groups);
  if (group == NULL) return 2;
  const struct CMUnitTest model[] = {
      cmocka_unit_test(attention_latency),
      cmocka_unit_test(interval_bound),
      cmocka_unit_test(unfit),
  };
  const struct CMUnitTest place[] = {
      cmocka_unit_test(placed),
  };
  if (strcmp(group, "model") == 0) return cmocka_run_group_tests(model, NULL, NULL);
  return cmocka_run_group_tests(place, NULL, NULL);
}
