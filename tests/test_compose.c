/* test_compose.c -- composition from measured parts (synth/compose.h, part_profile.h).
 *
 * Group "arithmetic": ssa_compose_price and ssa_profile_from on inputs worked out by hand in
 * the comments, with a three-cell library of round numbers (V = 1 V, so 1/2 C V^2 = C/2):
 *
 *   cell  inputs outputs  area um^2  leakage nW  input fF  E_toggle fJ  E_clock fJ
 *   A     2      1        2          10          1         3            -
 *   B     1      1        1          5           2         1            -
 *   F     2      2        5          20          1         4            6    (a flip-flop)
 *
 * Group "netlist" (Yosys and Verilator): the fast version of the validation of
 * docs/synthesis-and-energy.md -- compose N = 4 from a measured N = 2 and measure N = 4 --
 * with the bounds justified where they are asserted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <math.h>

#include "../common/process.h"
#include "../core/ann_params.h"
#include "../gen/emit_ann.h"
#include "../synth/cell_table.h"
#include "../synth/compose.h"
#include "../synth/subject.h"

static void assert_near(double got, double want, double rel, const char *what) {
  if (!(fabs(got - want) <= rel * fabs(want)))
    fail_msg("%s: got %.17g, want %.17g (relative tolerance %g)", what, got, want, rel);
}

/* ---- the library ---- */

static const ssa_liberty_cell cells[] = {
    {.name = "A", .output_pins = "Y", .inputs = 2, .outputs = 1, .area_um2 = 2, .leakage_nw = 10,
     .input_cap_ff = 1, .energy_per_toggle_fj = 3},
    {.name = "B", .output_pins = "Y", .inputs = 1, .outputs = 1, .area_um2 = 1, .leakage_nw = 5,
     .input_cap_ff = 2, .energy_per_toggle_fj = 1},
    {.name = "F", .output_pins = "Q QN", .inputs = 2, .outputs = 2, .area_um2 = 5,
     .leakage_nw = 20, .input_cap_ff = 1, .energy_per_toggle_fj = 4, .clock_energy_fj = 6,
     .sequential = 1, .is_flop = 1},
};
static const ssa_liberty lib = {.name = "round numbers", .nom_voltage_v = 1, .cells = cells,
                                .count = 3};

/* A profile part with `n` cell types: type, cells per instance, toggles per instance per clock
 * after the window's first, toggles per instance in its first clock. */
static void part(ssa_profile *p, const char *name, unsigned long instances, unsigned n,
                 const ssa_profile_cell *c) {
  ssa_profile_part *pp = &p->part[p->count++];
  snprintf(pp->name, sizeof pp->name, "%s", name);
  pp->instances = instances;
  pp->cells = malloc(n * sizeof *pp->cells);
  assert_non_null(pp->cells);
  memcpy(pp->cells, c, n * sizeof *c);
  pp->cell_types = n;
}

/* Base: part P, 4 instances, each 3 A (1.5 toggles per clock: 0.5 per cell) and 1 F (0.25);
 * part G, 2 instances of 1 A with 0.3 toggles per clock; the window's first clock toggles as
 * the others here (below, it does not).
 * Target: a window of 3 clocks for T = 3 steps, one clock per step (500 MHz: 2 ns per step):
 *   P  10 instances of 5 A, 1 F and 2 B; B is not in the base's P, so it takes P's mean rate
 *      (1.5 + 0.25) / (3 + 1) = 0.4375 per cell
 *   G  7 instances of 1 A: the base's cells, so its toggles are the base's per instance.
 * Cells: A 50 + 7 = 57, B 20, F 10.
 * C_load = input capacitance / outputs = (57 x 2 x 1 + 20 x 1 x 2 + 10 x 2 x 1)
 *          / (57 + 20 + 10 x 2) = 174 / 97 fF; 1/2 C V^2 = 87/97 fF x 1 V^2 = 0.896907 fJ.
 * Toggles per step: P: A 50 x 0.5 = 25, F 10 x 0.25 = 2.5, B 20 x 0.4375 = 8.75; G 7 x 0.3 = 2.1.
 * Dynamic (toggles x (E + 87/97)):
 *   P  25 x 3.896907 + 2.5 x 4.896907 + 8.75 x 1.896907 = 97.42268 + 12.24227 + 16.59794
 *      = 126.26289 fJ;   G  2.1 x 3.896907 = 8.18351 fJ
 * Clock: P's 10 F x 1 clock x 6 fJ = 60 fJ.
 * Leakage (cells x nW x 2 ns, 1 nW x 1 ns = 1e-3 fJ):
 *   P  (50 x 10 + 20 x 5 + 10 x 20) x 2 x 1e-3 = 1.6 fJ;   G  7 x 10 x 2e-3 = 0.14 fJ
 * Per step 126.26289 + 8.18351 + 60 + 1.6 + 0.14 = 196.18640 fJ; x T = 3: 588.55917 fJ.
 * Area: P 50 x 2 + 20 x 1 + 10 x 5 = 170, G 14: 184 um^2. */
static void price_by_hand(void **state) {
  (void)state;
  ssa_profile base = {0}, target = {0};
  snprintf(base.design, sizeof base.design, "base");
  snprintf(target.design, sizeof target.design, "target");
  const ssa_profile_cell bp[] = {{"A", 3, 1.5, 1.5}, {"F", 1, 0.25, 0.25}},
                         bg[] = {{"A", 1, 0.3, 0.3}};
  part(&base, "P", 4, 2, bp);
  part(&base, "G", 2, 1, bg);
  const ssa_profile_cell tp[] = {{"A", 5, 0, 0}, {"B", 2, 0, 0}, {"F", 1, 0, 0}},
                         tg[] = {{"A", 1, 0, 0}};
  part(&target, "P", 10, 3, tp);
  part(&target, "G", 7, 1, tg);
  ssa_composition c;
  ssa_error err;
  if (ssa_compose_price(&base, &target, 3, 3, &lib, 500, &c, &err) != 0) fail_msg("%s", err.msg);
  assert_int_equal(c.count, 2);
  assert_near(c.load_ff, 174.0 / 97.0, 1e-12, "C_load");
  const ssa_composed_part *p = &c.part[0], *g = &c.part[1];
  assert_string_equal(p->name, "P");
  assert_int_equal(p->same, 0);
  assert_int_equal(g->same, 1);
  assert_near(p->cells, 80, 1e-12, "P cells");
  assert_near(p->flops, 10, 1e-12, "P flip-flops");
  assert_near(p->toggles, 36.25, 1e-12, "P toggles");
  assert_near(g->toggles, 2.1, 1e-12, "G toggles");
  double s = 87.0 / 97.0;
  assert_near(p->dynamic_fj, 25 * (3 + s) + 2.5 * (4 + s) + 8.75 * (1 + s), 1e-12, "P dynamic");
  assert_near(p->dynamic_fj, 126.26289, 1e-6, "P dynamic (the decimals above)");
  assert_near(g->dynamic_fj, 8.18351, 1e-6, "G dynamic");
  assert_near(p->clock_fj, 60, 1e-12, "P clock");
  assert_near(g->clock_fj, 0, 1e-12, "G clock");
  assert_near(p->leakage_fj, 1.6, 1e-12, "P leakage");
  assert_near(g->leakage_fj, 0.14, 1e-12, "G leakage");
  assert_near(c.per_step_fj, 196.18640, 1e-6, "per step");
  assert_near(c.per_attention_fj, 588.55917, 1e-6, "per attention");
  assert_near(c.total.area_um2, 184, 1e-12, "area");
  assert_near(c.total.cells, 87, 1e-12, "cells");
  /* the split: no LFSR, so no PRNG; F the registers (dynamic 2.5 x (4 + 87/97), clock 60,
   * leakage 10 x 20 x 2e-3), A and B the datapath */
  assert_near(c.split[SSA_PART_PRNG].cells, 0, 1e-12, "PRNG cells");
  assert_near(c.split[SSA_PART_REGISTERS].cells, 10, 1e-12, "register cells");
  assert_near(c.split[SSA_PART_REGISTERS].dynamic_fj + c.split[SSA_PART_REGISTERS].clock_fj +
                  c.split[SSA_PART_REGISTERS].leakage_fj,
              2.5 * (4 + s) + 60 + 0.4, 1e-12, "register energy");
  assert_near(c.split[SSA_PART_DATAPATH].cells, 77, 1e-12, "datapath cells");
  /* Two clocks per step (a window of 6 clocks for the 3 steps): toggles, clock energy and
   * leakage double, C_load does not. */
  ssa_composition c2;
  if (ssa_compose_price(&base, &target, 6, 3, &lib, 500, &c2, &err) != 0) fail_msg("%s", err.msg);
  assert_near(c2.per_step_fj, 2 * 196.18640, 1e-6, "per step at two clocks");
  ssa_profile_free(&base);
  ssa_profile_free(&target);
}

/* The window's first clock weighs 1/T: base G of 1 A per instance, 0.9 toggles in the first
 * clock and 0.3 per later clock; a target of 7 instances, T = 3 steps in 3 clocks: per step
 * 7 x (0.9 + 2 x 0.3) / 3 = 3.5 toggles; with T = 6 in 6 clocks 7 x (0.9 + 5 x 0.3) / 6 = 2.8. */
static void first_clock_weighs_one_step(void **state) {
  (void)state;
  ssa_profile base = {0}, target = {0};
  const ssa_profile_cell bg[] = {{"A", 1, 0.3, 0.9}}, tg[] = {{"A", 1, 0, 0}};
  part(&base, "G", 2, 1, bg);
  part(&target, "G", 7, 1, tg);
  ssa_composition c;
  ssa_error err;
  if (ssa_compose_price(&base, &target, 3, 3, &lib, 500, &c, &err) != 0) fail_msg("%s", err.msg);
  assert_near(c.part[0].toggles, 3.5, 1e-12, "T = 3");
  if (ssa_compose_price(&base, &target, 6, 6, &lib, 500, &c, &err) != 0) fail_msg("%s", err.msg);
  assert_near(c.part[0].toggles, 2.8, 1e-12, "T = 6");
  /* a part measured at the target's size: its toggles per instance per clock as they are,
   * 7 x 0.4 x 6 / 6 = 2.8 whatever the base says */
  target.part[0].measured = 1;
  target.part[0].cells[0].toggles = 0.4;
  if (ssa_compose_price(&base, &target, 6, 6, &lib, 500, &c, &err) != 0) fail_msg("%s", err.msg);
  assert_near(c.part[0].toggles, 2.8, 1e-12, "measured");
  assert_int_equal(c.part[0].measured, 1);
  assert_int_equal(c.part[0].same, 0);
  ssa_profile_free(&base);
  ssa_profile_free(&target);
}

/* A target part with no counterpart in the base is an error naming it. */
static void missing_part_is_an_error(void **state) {
  (void)state;
  ssa_profile base = {0}, target = {0};
  const ssa_profile_cell a[] = {{"A", 1, 0.5, 0.5}};
  part(&base, "P", 1, 1, a);
  part(&target, "Q", 1, 1, a);
  ssa_composition c = {0};
  ssa_error err;
  assert_int_equal(ssa_compose_price(&base, &target, 1, 1, &lib, 500, &c, &err), -1);
  assert_non_null(strstr(err.msg, "part Q"));
  ssa_profile_free(&base);
  ssa_profile_free(&target);
}

/* A kind whose emitter declares no parts cannot be composed: said before anything is measured
 * (no tool runs). */
static void kind_without_parts_is_an_error(void **state) {
  (void)state;
  ssa_compose_opts o = {.base_tokens = 2, .steps = 10, .rate = 0.5,
                        .measure = {.synth = {.flow = SSA_FLOW_GENERIC},
                                    .library = ssa_cell_table_builtin(), .clock_mhz = 500}};
  ssa_composition c;
  ssa_error err;
  assert_int_equal(ssa_compose("lif", "--neurons 4", &o, &c, &err), -1);
  assert_non_null(strstr(err.msg, "lif declares no parts"));
}

/* ---- a profile from a measurement, by hand ---- */

/* A design declaring part ssa_part_x (3 instances), 2 LFSRs of width 4 and the glue (5
 * flip-flops), with a synthesis and an activity over a window of 10 clocks of 10 steps, its
 * first clock apart (of 10 clocks, 9 after the first):
 *   ssa_part_x    3 instances, 12 A in all, 60 toggles of which 6 in the first clock:
 *                 per instance 4 A, first 6/3 = 2, later (60 - 6)/3/9 = 2 per clock
 *   ssa_lfsr W=4  2 instances, 8 F and 2 B; F 40 toggles (4 first), B 10 (1 first):
 *                 per instance 4 F (first 2, later 36/2/9 = 2), 1 B (first 0.5, later 0.5)
 *   glue          5 F and 1 A; F 20 toggles (2 first), A 14 (5 first): per unit (flip-flop)
 *                 1 F (first 0.4, later 18/5/9 = 0.4), 0.2 A (first 1, later 9/5/9 = 0.2) */
typedef struct fixture {
  ssa_design d;
  ssa_synth_result r;
  ssa_activity a;
} fixture;

static void counts(ssa_synth_part *p, const char *type, unsigned long n) {
  ssa_error err;
  if (ssa_cell_counts_add(&p->cells, &p->cell_types, type, n, &err) != 0) fail_msg("%s", err.msg);
  p->cells_total += n;
  if (strcmp(type, "F") == 0) p->flops += n;
}

static void fixture_make(fixture *x) {
  memset(x, 0, sizeof *x);
  snprintf(x->d.top, sizeof x->d.top, "top");
  assert_int_equal(ssa_design_add_part(&x->d, "ssa_part_x", 3, "D=%u", 4u), 0);
  assert_int_equal(ssa_design_add_part(&x->d, "ssa_lfsr", 2, "WIDTH=%u", 4u), 0);
  assert_int_equal(ssa_design_add_part(&x->d, "top", 5, "flip-flops"), 0);
  const char *names[3] = {"ssa_part_x", "ssa_lfsr W=4", SSA_GLUE_NAME};
  unsigned long inst[3] = {3, 2, 1};
  for (unsigned g = 0; g < 3; g++) {
    snprintf(x->r.group[g].name, sizeof x->r.group[g].name, "%s", names[g]);
    x->r.group[g].instances = inst[g];
  }
  x->r.group_count = 3;
  counts(&x->r.group[0].cells, "A", 12);
  counts(&x->a.steady.group[0], "A", 60);
  counts(&x->a.opening.group[0], "A", 6);
  counts(&x->r.group[1].cells, "B", 2);
  counts(&x->r.group[1].cells, "F", 8);
  counts(&x->a.steady.group[1], "B", 10);
  counts(&x->a.steady.group[1], "F", 40);
  counts(&x->a.opening.group[1], "B", 1);
  counts(&x->a.opening.group[1], "F", 4);
  counts(&x->r.group[2].cells, "A", 1);
  counts(&x->r.group[2].cells, "F", 5);
  counts(&x->a.steady.group[2], "A", 14);
  counts(&x->a.steady.group[2], "F", 20);
  counts(&x->a.opening.group[2], "A", 5);
  counts(&x->a.opening.group[2], "F", 2);
  x->a.steady.cycles = 10;
  x->a.opening.cycles = 1;
  x->a.steps = 10;
}

static void fixture_free(fixture *x) {
  ssa_synth_result_free(&x->r);
  ssa_activity_free(&x->a);
}

static void expect_cell(const ssa_profile_part *p, unsigned k, const char *type, double cells,
                        double toggles, double first) {
  assert_string_equal(p->cells[k].type, type);
  assert_near(p->cells[k].cells, cells, 1e-12, type);
  assert_near(p->cells[k].toggles, toggles, 1e-12, type);
  assert_near(p->cells[k].first, first, 1e-12, type);
}

static void profile_by_hand(void **state) {
  (void)state;
  fixture x;
  fixture_make(&x);
  ssa_profile p;
  ssa_error err;
  if (ssa_profile_from(&x.d, &x.r, &x.a, "fixture", &p, &err) != 0) fail_msg("%s", err.msg);
  assert_int_equal(p.count, 3);
  const ssa_profile_part *part = ssa_profile_find(&p, "ssa_part_x");
  assert_non_null(part);
  assert_int_equal(part->instances, 3);
  assert_string_equal(part->params, "D=4");
  expect_cell(part, 0, "A", 4, 2, 2);
  part = ssa_profile_find(&p, "ssa_lfsr W=4");
  assert_non_null(part);
  expect_cell(part, 0, "B", 1, 0.5, 0.5);
  expect_cell(part, 1, "F", 4, 2, 2);
  part = ssa_profile_find(&p, SSA_GLUE_NAME);
  assert_non_null(part);
  assert_int_equal(part->instances, 5);
  expect_cell(part, 0, "A", 0.2, 0.2, 1);
  expect_cell(part, 1, "F", 1, 0.4, 0.4);
  /* the text form gives the same profile back */
  char dir[] = "/tmp/test_compose-XXXXXX", path[64];
  assert_non_null(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/p.txt", dir);
  if (ssa_profile_write(&p, path, &err) != 0) fail_msg("%s", err.msg);
  char *text;
  size_t len;
  if (ssa_read_file(path, &text, &len, &err) != 0) fail_msg("%s", err.msg);
  ssa_profile q;
  if (ssa_profile_parse(path, text, &q, &err) != 0) fail_msg("%s", err.msg);
  free(text);
  ssa_remove_tree(dir);
  assert_int_equal(q.count, p.count);
  assert_int_equal(q.cycles, 10);
  for (unsigned k = 0; k < p.count; k++) {
    assert_string_equal(q.part[k].name, p.part[k].name);
    assert_int_equal(q.part[k].instances, p.part[k].instances);
    assert_int_equal(q.part[k].cell_types, p.part[k].cell_types);
    for (size_t c = 0; c < p.part[k].cell_types; c++)
      expect_cell(&q.part[k], (unsigned)c, p.part[k].cells[c].type, p.part[k].cells[c].cells,
                  p.part[k].cells[c].toggles, p.part[k].cells[c].first);
  }
  ssa_profile_free(&q);
  ssa_profile_free(&p);
  fixture_free(&x);
}

/* An emitter that declares a wrong count, or forgets a part, is caught. */
static void wrong_declarations_are_errors(void **state) {
  (void)state;
  fixture x;
  fixture_make(&x);
  x.d.parts[0].count = 4;  /* synthesis found 3 */
  ssa_profile p;
  ssa_error err;
  assert_int_equal(ssa_profile_from(&x.d, &x.r, &x.a, "fixture", &p, &err), -1);
  assert_non_null(strstr(err.msg, "ssa_part_x has 3 instances"));
  x.d.parts[0].count = 3;
  x.d.parts[2].count = 6;  /* the glue has 5 flip-flops */
  assert_int_equal(ssa_profile_from(&x.d, &x.r, &x.a, "fixture", &p, &err), -1);
  assert_non_null(strstr(err.msg, "5 flip-flops"));
  x.d.parts[2].count = 5;
  x.d.part_count = 2;      /* the glue undeclared */
  assert_int_equal(ssa_profile_from(&x.d, &x.r, &x.a, "fixture", &p, &err), -1);
  assert_non_null(strstr(err.msg, "does not declare"));
  fixture_free(&x);
}

/* ---- the ANN attention's declared parts, counted by hand ---- */

/* The part `module` of d has `count` instances (0: d declares no such part). */
static void expect_part(const ssa_design *d, const char *module, unsigned long count) {
  const ssa_design_part *p = ssa_design_find_part(d, module, NULL);
  if (count == 0) {
    if (p != NULL) fail_msg("%s: declared (%lu instances), expected none", module, p->count);
    return;
  }
  if (p == NULL) fail_msg("%s: not declared, expected %lu instances", module, count);
  if (p->count != count) fail_msg("%s: %lu instances, expected %lu", module, p->count, count);
}

static void ann_design(ssa_design *d, unsigned n, unsigned dim, unsigned h, unsigned softmax,
                       unsigned macs) {
  ssa_ann_attention_params p;
  ssa_ann_attention_params_default(&p);
  p.tokens = n, p.dim = dim, p.heads = h, p.softmax = softmax, p.macs = macs;
  ssa_error err;
  if (ssa_ann_attention_params_prepare(&p, &err) != 0 ||
      ssa_emit_ann_attention(&p, "test", d, &err) != 0)
    fail_msg("%s", err.msg);
}

/* --macs 0, N = 4, D = 2, H = 1 (E = 2), softmax int: per (head, query, key) a score, an
 * exponent and a probability, H N N = 16; per (head, row) N - 1 = 3 nodes of the max tree
 * (12), a row sum and a divider (4 each); per output (N E = 8) a dot product of N and a
 * requantiser; the glue, the output register: N E 8 + out_valid = 65 flip-flops. Softmax none
 * keeps the scores, dot products and requantisers only. --macs 2 (D = 4): its 2 MAC units and
 * their 2 requantisers, the one exponent unit and the one probability multiplier; the glue is
 * every register of N = 2, D = 4, H = 1 (NEV = N E 8 = 64 bits, S 18 bits, A 16, so an
 * accumulator of 18; R and the remainder 17 bits, r 11): Q, K, V 3 NEV = 192, o_o 64 and its
 * working copy 64 - M 8 = 48, the scores N 18 = 36, the accumulators 2 x 18 = 36, busy,
 * out_valid and the phase (2), the counters i, j (1 bit each) and c (C = 2: 1; H = 1 has no
 * head counter, a constant) and the
 * quotient bit b (11 values: 4), the maximum 18, R 17, the remainder 17, r 11: 450. */
static void ann_parts_by_hand(void **state) {
  (void)state;
  ssa_design d;
  ann_design(&d, 4, 2, 1, SSA_ANN_SOFTMAX_INT, 0);
  expect_part(&d, "ssa_part_ann_score", 16);
  expect_part(&d, "ssa_part_ann_max", 12);
  expect_part(&d, "ssa_part_ann_exp", 16);
  expect_part(&d, "ssa_part_ann_row_sum", 4);
  expect_part(&d, "ssa_part_ann_recip", 4);
  expect_part(&d, "ssa_part_ann_prob", 16);
  expect_part(&d, "ssa_part_ann_out", 8);
  expect_part(&d, "ssa_part_ann_requant", 8);
  expect_part(&d, "ssa_part_ann_mac", 0);
  expect_part(&d, "ssa_ann_attention", 65);
  assert_int_equal(d.part_count, 9);
  /* the widths that grow with N are in the params of the parts that hold them */
  assert_string_equal(ssa_design_find_part(&d, "ssa_part_ann_recip", NULL)->params, "N=4");
  assert_string_equal(ssa_design_find_part(&d, "ssa_part_ann_score", NULL)->params, "D=2");
  ssa_design_free(&d);
  ann_design(&d, 4, 2, 1, SSA_ANN_SOFTMAX_NONE, 0);
  expect_part(&d, "ssa_part_ann_score", 16);
  expect_part(&d, "ssa_part_ann_exp", 0);
  expect_part(&d, "ssa_part_ann_out", 8);
  expect_part(&d, "ssa_part_ann_requant", 8);
  expect_part(&d, "ssa_ann_attention", 65);
  assert_int_equal(d.part_count, 4);
  ssa_design_free(&d);
  ann_design(&d, 2, 4, 1, SSA_ANN_SOFTMAX_INT, 2);
  expect_part(&d, "ssa_part_ann_mac", 2);
  expect_part(&d, "ssa_part_ann_requant", 2);
  expect_part(&d, "ssa_part_ann_exp", 1);
  expect_part(&d, "ssa_part_ann_prob", 1);
  expect_part(&d, "ssa_part_ann_score", 0);
  expect_part(&d, "ssa_ann_attention", 450);
  assert_int_equal(d.part_count, 5);
  ssa_design_free(&d);
}

/* ---- the netlist group: compose N = 4 from N = 2 against the measured N = 4 ---- */

static void compose_against_measurement(const char *kind, const char *options, int at_size) {
  ssa_compose_opts o = {.base_tokens = 2, .steps = 10, .rate = 0.5, .at_size = at_size,
                        .measure = {.synth = {.flow = SSA_FLOW_GENERIC},
                                    .library = ssa_cell_table_builtin(), .clock_mhz = 500}};
  ssa_composition c;
  ssa_error err;
  if (ssa_compose(kind, options, &o, &c, &err) != 0) fail_msg("%s %s: %s", kind, options, err.msg);
  /* the same design measured whole */
  ssa_subject s;
  if (ssa_subject_init(&s, kind, &err) != 0) fail_msg("%s", err.msg);
  char copy[256], *argv[16];
  int argc = 0;
  snprintf(copy, sizeof copy, "%s", options);
  for (char *w = strtok(copy, " "); w != NULL && argc < 15; w = strtok(NULL, " ")) argv[argc++] = w;
  ssa_cli cli;
  ssa_cli_init(&cli, argc, argv, "test");
  for (const char *opt; (opt = ssa_cli_next(&cli)) != NULL;)
    if (ssa_subject_option(&s, &cli, opt, &err) != 1) fail_msg("%s: %s", opt, err.msg);
  if (ssa_subject_prepare(&s, &err) != 0 || ssa_subject_run(&s, 0.5, 10, &err) != 0)
    fail_msg("%s", err.msg);
  ssa_measurement m;
  if (ssa_measure(&s, &o.measure, &m, &err) != 0) fail_msg("%s %s: %s", kind, options, err.msg);
  ssa_compose_error e[SSA_SYNTH_MAX_GROUPS + 1];
  if (ssa_compose_compare(&c, &m.energy, e, &err) != 0) fail_msg("%s", err.msg);
  const ssa_compose_error *total = &e[c.count];
  printf("%s %s: composed %.3f pJ/step, %.1f um^2; measured %.3f pJ/step, %.1f um^2\n", kind,
         options, total->composed_pj, total->composed_um2, total->measured_pj,
         total->measured_um2);
  /* Area: a part of the base's parameters has the base's cells per instance, and one whose
   * parameters differ is synthesized alone: ABC maps a module depending on the order of its
   * cells, which depends on the names generated for the rest of the design, so a part's cells
   * in two designs can differ by a cell or two -- the largest difference seen, the exact
   * score unit at D = 4, 12 cells alone against 13 in the design, 5.4 % of its area. The
   * LFSRs (whose cells depend a little on their seeds) and the glue (per flip-flop) are the
   * base's. So each part within 6 %, and the total, where these are a few cells in
   * thousands, within 1 %. */
  for (unsigned k = 0; k < c.count; k++) assert_near(e[k].composed_um2, e[k].measured_um2, 0.06,
                                                     e[k].name);
  assert_near(total->composed_um2, total->measured_um2, 0.01, "total area");
  /* Energy: the parts of the base's cells (the score units, LFSRs, glue) differ from the
   * measurement by sampling error -- 10 steps of a 4-token design against 64 of a 2-token
   * one -- and, in the SC attention, the part whose cells change with N (the output units'
   * N-input selects) by how its cells' toggle rates change from 2 to 4 inputs; the exact
   * attention's sums and neurons are measured at N = 4 (part_sim.h). The LFSRs, whose activity
   * barely depends on the stimulus, carry most of the SC energy at these sizes. Seen: within
   * 2 %; the bound is the validation's 5 % (bench/RESULTS.md). */
  assert_near(total->composed_pj, total->measured_pj, 0.05, "total energy per step");
  ssa_measurement_free(&m);
  ssa_subject_free(&s);
}

static void compose_sc_unit(void **state) {
  (void)state;
  compose_against_measurement("attention", "--tokens 4 --dim 4 --share unit --random lfsr", 0);
}

/* The default source, sobol, has no LFSRs to carry the energy: its selects' and datapath's
 * toggle rates at N = 2 are not those at N = 4 (seen: +14.7 % composed from the base's rates),
 * so it is composed as the report composes it, every part's activity measured at size (seen:
 * +3.9 %, the rest the glue's and the counter's rates taken from the base). */
static void compose_sc_unit_sobol(void **state) {
  (void)state;
  compose_against_measurement("attention", "--tokens 4 --dim 4 --share unit --random sobol", 1);
}

static void compose_exact(void **state) {
  (void)state;
  compose_against_measurement("exact-attention", "--tokens 4 --dim 4", 0);
}

/* The folded ANN (--macs 1, D = 2) at N = 4 from N = 2, against its measured netlist: its MAC,
 * requantiser, exponent and probability parts have the base's parameters, so their cells are
 * the base's; the glue -- most of it the registers, whose count the emitter declares and
 * synthesis checks (part_profile.c) -- takes the base's cells per flip-flop, and its schedule's
 * multiplexers grow a little faster than its flip-flops (N = 4: 1.9 % more area measured than
 * composed), so the total area within 3 %. Energy: the parts' rates come from N = 2, where a
 * probability is larger (256 / N on average) and so are the P V products, so the small parts
 * are off by up to 46 %, but the glue carries 85 % of the energy; seen +1.9 %, bound the
 * validation's 5 %. (--macs 0 is not here: its whole netlist at N = 4 takes 13 minutes of
 * synthesis; docs/synthesis-and-energy.md gives its composition's error.) */
static void compose_ann_folded(void **state) {
  (void)state;
  const char *options = "--tokens 4 --dim 2 --macs 1";
  ssa_compose_opts o = {.base_tokens = 2, .steps = 10, .rate = 0.5,
                        .measure = {.synth = {.flow = SSA_FLOW_GENERIC},
                                    .library = ssa_cell_table_builtin(), .clock_mhz = 500}};
  ssa_composition c;
  ssa_error err;
  if (ssa_compose("ann-attention", options, &o, &c, &err) != 0) fail_msg("%s", err.msg);
  ssa_subject s;
  char copy[64], *argv[8];
  int argc = 0;
  snprintf(copy, sizeof copy, "%s", options);
  for (char *w = strtok(copy, " "); w != NULL && argc < 7; w = strtok(NULL, " ")) argv[argc++] = w;
  ssa_cli cli;
  ssa_cli_init(&cli, argc, argv, "test");
  if (ssa_subject_init(&s, "ann-attention", &err) != 0) fail_msg("%s", err.msg);
  for (const char *opt; (opt = ssa_cli_next(&cli)) != NULL;)
    if (ssa_subject_option(&s, &cli, opt, &err) != 1) fail_msg("%s: %s", opt, err.msg);
  if (ssa_subject_prepare(&s, &err) != 0 || ssa_subject_run(&s, 0.5, 10, &err) != 0)
    fail_msg("%s", err.msg);
  ssa_measurement m;
  if (ssa_measure(&s, &o.measure, &m, &err) != 0) fail_msg("%s", err.msg);
  ssa_compose_error e[SSA_SYNTH_MAX_GROUPS + 1];
  if (ssa_compose_compare(&c, &m.energy, e, &err) != 0) fail_msg("%s", err.msg);
  const ssa_compose_error *total = &e[c.count];
  printf("ann-attention %s: composed %.3f pJ/step, %.1f um^2; measured %.3f pJ/step, %.1f um^2\n",
         options, total->composed_pj, total->composed_um2, total->measured_pj,
         total->measured_um2);
  for (unsigned k = 0; k < c.count; k++)
    if (strcmp(e[k].name, SSA_GLUE_NAME) != 0) assert_near(e[k].composed_um2, e[k].measured_um2, 0.06,
                                                    e[k].name);
  assert_near(total->composed_um2, total->measured_um2, 0.03, "total area");
  assert_near(total->composed_pj, total->measured_pj, 0.05, "total energy per step");
  ssa_measurement_free(&m);
  ssa_subject_free(&s);
}

int main(int argc, char **argv) {
  const char *group = argc > 1 ? argv[1] : "arithmetic";
  if (strcmp(group, "arithmetic") == 0) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(price_by_hand),
        cmocka_unit_test(first_clock_weighs_one_step),
        cmocka_unit_test(missing_part_is_an_error),
        cmocka_unit_test(kind_without_parts_is_an_error),
        cmocka_unit_test(profile_by_hand),
        cmocka_unit_test(wrong_declarations_are_errors),
        cmocka_unit_test(ann_parts_by_hand),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
  }
  if (strcmp(group, "netlist") == 0) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(compose_sc_unit),
        cmocka_unit_test(compose_sc_unit_sobol),
        cmocka_unit_test(compose_exact),
        cmocka_unit_test(compose_ann_folded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
  }
  fprintf(stderr, "usage: test_compose [arithmetic|netlist]\n");
  return 2;
}
