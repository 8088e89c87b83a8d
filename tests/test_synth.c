/* test_synth.c -- synthesis and energy: the transistor count of a circuit counted by hand, the
 * PRNG / datapath / registers split, the gate netlist of every kind equal to the golden model
 * bit for bit (generic flow; the attention also through the NanGate Liberty flow), a checker
 * that sees a difference, energy that grows with activity, and the built-in table's area within
 * 25 % of the Liberty flow's.
 *
 * Usage: test_synth [generic|kinds|liberty]: one group per meson test, so they run in parallel. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../common/process.h"
#include "../core/weights.h"
#include "../synth/cell_table.h"
#include "../synth/measure.h"
#include "../synth/subject.h"
#include "textio.h"

static const char *source_root(void) {
  const char *root = getenv("SSA_SOURCE_ROOT");
  assert_non_null(root);
  return root;
}

/* A subject of `kind` from "--opt value ..." (at most 24 words), with a run of `steps` steps. */
static void subject(ssa_subject *s, const char *kind, const char *options, double rate,
                    unsigned steps) {
  char copy[4600], *argv[24];
  int argc = 0;
  snprintf(copy, sizeof copy, "%s", options);
  for (char *w = strtok(copy, " "); w != NULL && argc < 23; w = strtok(NULL, " ")) argv[argc++] = w;
  argv[argc] = NULL;
  ssa_error err;
  if (ssa_subject_init(s, kind, &err) != 0) fail_msg("%s", err.msg);
  ssa_cli cli;
  ssa_cli_init(&cli, argc, argv, "test");
  for (const char *opt; (opt = ssa_cli_next(&cli)) != NULL;)
    if (ssa_subject_option(s, &cli, opt, &err) != 1) fail_msg("%s %s: %s", kind, opt, err.msg);
  if (ssa_subject_prepare(s, &err) != 0 || ssa_subject_run(s, rate, steps, &err) != 0)
    fail_msg("%s %s: %s", kind, options, err.msg);
}

static ssa_measure_opts generic_opts(void) {
  ssa_measure_opts o = {.synth = {.flow = SSA_FLOW_GENERIC}, .library = ssa_cell_table_builtin(),
                        .clock_mhz = 500};
  return o;
}

/* ---- a circuit counted by hand ---- */

static const char tiny_v[] =
    "module tiny (\n"
    "  input  wire clk_i,\n"
    "  input  wire a_i,\n"
    "  input  wire b_i,\n"
    "  output wire y_o,\n"
    "  output wire n_o,\n"
    "  output reg  q_o\n"
    ");\n"
    "  assign y_o = a_i & b_i;\n"
    "  assign n_o = ~a_i;\n"
    "  always @(posedge clk_i) q_o <= b_i;\n"
    "endmodule\n";

/* y = a & b is NAND + NOT (4 + 2 transistors) in the cmos2 mapping, n = ~a a NOT (2), the flip-flop
 * 16 (Yosys's cmos cost of $_DFF_P_): 24. */
static void transistor_count_of_a_known_circuit(void **state) {
  (void)state;
  ssa_design d;
  memset(&d, 0, sizeof d);
  snprintf(d.top, sizeof d.top, "tiny");
  ssa_design_add_port(&d, "a_i", 1, 1);
  ssa_design_add_port(&d, "b_i", 1, 1);
  ssa_design_add_port(&d, "y_o", 1, 0);
  ssa_design_add_port(&d, "n_o", 1, 0);
  ssa_design_add_port(&d, "q_o", 1, 0);
  assert_int_equal(ssa_design_add_file(&d, "tiny.v", (char *)tiny_v, strlen(tiny_v), 0), 0);
  ssa_synth_opts o = {.flow = SSA_FLOW_GENERIC};
  ssa_synth_result r;
  ssa_error err;
  if (ssa_synth_run(&d, &o, &r, &err) != 0) fail_msg("%s", err.msg);
  assert_int_equal(r.total.transistors, 24);
  assert_int_equal(r.part[SSA_PART_REGISTERS].transistors, 16);
  assert_int_equal(r.part[SSA_PART_DATAPATH].transistors, 8);
  assert_int_equal(r.part[SSA_PART_PRNG].transistors, 0);
  /* The priced mapping: one AND, one NOT, one flip-flop. */
  assert_int_equal(r.total.cells_total, 3);
  assert_int_equal(r.part[SSA_PART_REGISTERS].flops, 1);
  double area;
  assert_int_equal(ssa_cells_area(r.total.cells, r.total.cell_types, ssa_cell_table_builtin(),
                                  &area, &err), 0);
  /* AND2_X1 1.064 + INV_X1 0.532 + DFF_X1 4.522 (docs/design.md section 8.2) */
  assert_true(area > 6.118 - 1e-9 && area < 6.118 + 1e-9);
  ssa_synth_result_free(&r);
  ssa_design_free(&d);
}

/* Every LFSR is PRNG, its flip-flops too; the output register is registers. */
static void attention_split(void **state) {
  (void)state;
  ssa_subject s;
  subject(&s, "attention", "--tokens 4 --dim 4 --share global --random lfsr", 0.5, 1);
  ssa_synth_opts o = {.flow = SSA_FLOW_GENERIC};
  ssa_synth_result r;
  ssa_error err;
  if (ssa_synth_run(ssa_subject_design(&s), &o, &r, &err) != 0) fail_msg("%s", err.msg);
  ssa_plan plan;
  if (ssa_plan_build(&plan, ssa_subject_sc_params(&s), &err) != 0) fail_msg("%s", err.msg);
  unsigned long lfsr_bits = 0;
  for (unsigned k = 0; k < plan.lfsr_count; k++) lfsr_bits += ssa_plan_lfsr_width(&plan, k);
  ssa_plan_free(&plan);
  assert_int_equal(r.part[SSA_PART_PRNG].flops, lfsr_bits);
  /* o_q (N x D) and the valid bit. */
  assert_int_equal(r.part[SSA_PART_REGISTERS].flops, 4 * 4 + 1);
  assert_int_equal(r.total.flops, lfsr_bits + 17);
  unsigned long sum = 0;
  for (unsigned p = 0; p < SSA_PART_COUNT; p++) sum += r.part[p].cells_total;
  assert_int_equal(sum, r.total.cells_total);
  ssa_synth_result_free(&r);
  ssa_subject_free(&s);
}

/* The default source, sobol: the PRNG is the block's step counter of log2 N + log2 D bits
 * (docs/randomness.md, "What it is"), 3 + 2 = 5 flip-flops at N = 8, D = 4, in every share mode. */
static void attention_split_sobol(void **state) {
  (void)state;
  static const char *const shares[] = {"unit", "row", "global", "row-global"};
  for (unsigned k = 0; k < 4; k++) {
    char options[96];
    snprintf(options, sizeof options, "--tokens 8 --dim 4 --share %s", shares[k]);
    ssa_subject s;
    subject(&s, "attention", options, 0.5, 1);
    ssa_synth_opts o = {.flow = SSA_FLOW_GENERIC};
    ssa_synth_result r;
    ssa_error err;
    if (ssa_synth_run(ssa_subject_design(&s), &o, &r, &err) != 0) fail_msg("%s", err.msg);
    if (r.part[SSA_PART_PRNG].flops != 5)
      fail_msg("share %s: %lu PRNG flip-flops, expected 5", shares[k],
               (unsigned long)r.part[SSA_PART_PRNG].flops);
    assert_int_equal(r.part[SSA_PART_REGISTERS].flops, 8 * 4 + 1);
    ssa_synth_result_free(&r);
    ssa_subject_free(&s);
  }
}

/* ---- post-synthesis co-simulation ---- */

typedef struct kind_case {
  const char *kind, *options;
} kind_case;

static void netlist_equals_golden(const char *kind, const char *options, ssa_measure_opts o) {
  ssa_subject s;
  subject(&s, kind, options, 0.5, 8);
  ssa_measurement m;
  ssa_error err;
  int rc = ssa_measure(&s, &o, &m, &err);
  if (rc < 0) fail_msg("%s %s: %s", kind, options, err.msg);
  if (rc == 1)
    fail_msg("%s %s: the %s netlist differs from the golden model at clock %u, %s[%u]", kind,
             options, ssa_flow_name(o.synth.flow), m.activity.first.cycle,
             ssa_subject_design(&s)->ports[m.activity.first.port].name, m.activity.first.bit);
  /* Every cell output got a toggle count, and something toggled. */
  assert_int_equal(m.activity.nets_missing, 0);
  assert_true(m.activity.nets > 0);
  assert_true(m.energy.total.toggles > 0);
  assert_true(m.energy.per_step_fj > 0);
  ssa_measurement_free(&m);
  ssa_subject_free(&s);
}

static void netlist_of_kind(void **state) {
  const kind_case *c = *state;
  netlist_equals_golden(c->kind, c->options, generic_opts());
}

/* The NanGate library of ../shared/liberty, which the liberty group needs; its path goes to
 * path. */
static void read_nangate(char *path, size_t size, ssa_liberty *lib) {
  snprintf(path, size, "%s/../shared/liberty/nangate45_typ.lib.gz", source_root());
  ssa_error err;
  if (ssa_liberty_read(path, lib, &err) != 0) fail_msg("%s", err.msg);
}

static void liberty_netlist(void **state) {
  (void)state;
  char path[4200];
  ssa_liberty lib;
  read_nangate(path, sizeof path, &lib);
  ssa_measure_opts o = {.synth = {.flow = SSA_FLOW_LIBERTY, .liberty = &lib,
                                  .liberty_path = path},
                        .library = &lib, .clock_mhz = 500};
  netlist_equals_golden("attention", "--tokens 4 --dim 4 --share unit", o);
  netlist_equals_golden("attention", "--tokens 4 --dim 4 --share unit --random lfsr", o);
  netlist_equals_golden("lif", "--neurons 4", o);
  ssa_liberty_free(&lib);
}

/* A flipped expected bit must come back as a mismatch on that clock. */
static void checker_sees_a_difference(void **state) {
  (void)state;
  ssa_subject s;
  subject(&s, "attention", "--tokens 4 --dim 4 --share unit", 0.5, 8);
  ssa_error err;
  if (ssa_stepped_run_inject(&s.run, 3, 5, &err) != 0) fail_msg("%s", err.msg);
  ssa_measure_opts o = generic_opts();
  ssa_measurement m;
  int rc = ssa_measure(&s, &o, &m, &err);
  if (rc < 0) fail_msg("%s", err.msg);
  assert_int_equal(rc, 1);
  assert_int_equal(m.activity.first.cycle, ssa_stepped_result_cycle(&s.run, 3));
  assert_int_equal(m.activity.first.bit, 5);
  ssa_measurement_free(&m);
  ssa_subject_free(&s);
}

/* SSA's own gate simulator (gate_sim.h) and Verilator's toggle coverage count every part's and
 * every part type's toggles alike, over the steady window, its first clock and the whole run,
 * on netlists where Verilator's model settles each net once per clock (the SC block, the exact
 * attention). Where it does not -- the ANN's arithmetic parts, kept as modules that Verilator
 * does not inline -- Verilator also counts the changes of a net on its way to its settled value
 * (bench/RESULTS.md), and the two may differ. */
static void gate_sim_counts_equal_verilator(void **state) {
  (void)state;
  /* sobol (the default) and lfsr: the gate simulator builds the LFSRs itself (gate_sim.c) */
  const kind_case cases[] = {{"attention", "--tokens 4 --dim 4 --share unit"},
                             {"attention", "--tokens 4 --dim 4 --share unit --random lfsr"},
                             {"exact-attention", "--tokens 2 --dim 4"}};
  for (unsigned k = 0; k < 3; k++) {
    ssa_measurement m[2];
    for (int verilator = 0; verilator < 2; verilator++) {
      ssa_subject s;
      subject(&s, cases[k].kind, cases[k].options, 0.5, 8);
      ssa_measure_opts o = generic_opts();
      o.gate_sim_verilator = verilator;
      ssa_error err;
      if (ssa_measure(&s, &o, &m[verilator], &err) != 0) fail_msg("%s", err.msg);
      ssa_subject_free(&s);
    }
    const ssa_activity *a = &m[0].activity, *b = &m[1].activity;
    const ssa_activity_counts *ca[3] = {&a->steady, &a->opening, &a->run};
    const ssa_activity_counts *cb[3] = {&b->steady, &b->opening, &b->run};
    assert_int_equal(a->nets, b->nets);
    for (unsigned w = 0; w < 3; w++) {
      unsigned long long total = 0;
      for (unsigned p = 0; p < SSA_PART_COUNT; p++) {
        if (ca[w]->toggles[p] != cb[w]->toggles[p])
          fail_msg("%s %s: %s toggles %llu by gate_sim, %llu by Verilator", cases[k].kind,
                   cases[k].options, ssa_part_name(p), ca[w]->toggles[p], cb[w]->toggles[p]);
        total += ca[w]->toggles[p];
      }
      assert_true(w == 1 || total > 0);
      for (unsigned g = 0; g < m[0].synth.group_count; g++)
        assert_int_equal(ca[w]->group_toggles[g], cb[w]->group_toggles[g]);
    }
    ssa_measurement_free(&m[0]);
    ssa_measurement_free(&m[1]);
  }
}

/* ---- energy ---- */

static double energy_at(const char *kind, const char *options, double rate, double *dynamic) {
  ssa_subject s;
  subject(&s, kind, options, rate, 16);
  ssa_measure_opts o = generic_opts();
  ssa_measurement m;
  ssa_error err;
  if (ssa_measure(&s, &o, &m, &err) != 0) fail_msg("%s", err.msg);
  double e = m.energy.per_step_fj;
  *dynamic = m.energy.total.dynamic_fj;
  ssa_measurement_free(&m);
  ssa_subject_free(&s);
  return e;
}

/* All-zero inputs leave the datapath still (only the PRNG and the clock cost); rate 0.5 moves
 * it. The same design, so clock and leakage are equal and the difference is all dynamic. */
static void energy_grows_with_activity(void **state) {
  (void)state;
  static const kind_case cases[] = {{"attention", "--tokens 4 --dim 4 --share unit"},
                                    {"encoder", "--inputs 8 --bits 4"}};
  for (unsigned k = 0; k < 2; k++) {
    double d0, d5;
    double e0 = energy_at(cases[k].kind, cases[k].options, 0.0, &d0);
    double e5 = energy_at(cases[k].kind, cases[k].options, 0.5, &d5);
    if (!(e0 < e5 && d0 < d5))
      fail_msg("%s: energy per step %.3f fJ at rate 0, %.3f fJ at rate 0.5", cases[k].kind, e0,
               e5);
  }
}

/* The built-in table (priced generic gates) against the NanGate Liberty flow: within 25 %. */
static void builtin_area_agrees_with_liberty(void **state) {
  (void)state;
  char path[4200];
  ssa_liberty lib;
  read_nangate(path, sizeof path, &lib);
  ssa_error err;
  static const char *const designs[][2] = {{"attention", "--tokens 8 --dim 8 --share unit"},
                                           {"attention", "--tokens 16 --dim 16 --share global"},
                                           {"exact-attention", "--tokens 2 --dim 4"}};
  for (unsigned k = 0; k < 3; k++) {
    ssa_subject s;
    subject(&s, designs[k][0], designs[k][1], 0.5, 1);
    double area[2];
    for (unsigned f = 0; f < 2; f++) {
      ssa_synth_opts o = {.flow = f ? SSA_FLOW_LIBERTY : SSA_FLOW_GENERIC,
                          .liberty = f ? &lib : NULL, .liberty_path = f ? path : NULL};
      ssa_synth_result r;
      if (ssa_synth_run(ssa_subject_design(&s), &o, &r, &err) != 0 ||
          ssa_cells_area(r.total.cells, r.total.cell_types, f ? &lib : ssa_cell_table_builtin(),
                         &area[f], &err) != 0)
        fail_msg("%s", err.msg);
      if (f == 1 && (area[1] < r.yosys_area_um2 * (1 - 1e-6) ||
                     area[1] > r.yosys_area_um2 * (1 + 1e-6)))
        fail_msg("%s: our Liberty area %.3f, Yosys's %.3f", designs[k][1], area[1],
                 r.yosys_area_um2);
      ssa_synth_result_free(&r);
    }
    double ratio = area[0] / area[1];
    print_message("%s %s: built-in %.1f um^2, NanGate Liberty %.1f um^2 (%+.1f%%)\n",
                  designs[k][0], designs[k][1], area[0], area[1], 100 * (ratio - 1));
    if (ratio < 0.75 || ratio > 1.25) fail_msg("areas differ by more than 25 %%");
    ssa_subject_free(&s);
  }
  ssa_liberty_free(&lib);
}

/* The smallest encoder block worth the name (E = 4, one head, MLP 4, 3-bit weights): its gate
 * netlist is 5 000 cells where the shipped E = 8 example's is 30 000, minutes of compiling. */
static int write_block_weights(char *dir, size_t len, char *path, size_t path_len) {
  if (temp_dir(dir, len, "ssa-test-synth") == NULL) return -1;
  snprintf(path, path_len, "%s/block_e4.txt", dir);
  const char *names[6] = {"q", "k", "v", "o", "fc1", "fc2"};
  unsigned rows[6] = {4, 4, 4, 4, 4, 4}, cols[6] = {4, 4, 4, 4, 4, 4};
  ssa_weights w;
  ssa_error err;
  if (ssa_weights_random(&w, 3, 6, names, rows, cols, 3, &err) != 0) return -1;
  FILE *f = fopen(path, "w");
  if (f != NULL) {
    ssa_weights_write(f, &w, NULL);
    fclose(f);
  }
  ssa_weights_free(&w);
  return f != NULL ? 0 : -1;
}

int main(int argc, char **argv) {
  const char *group = argc > 1 ? argv[1] : "generic";
  static char linear[4400], block[4400], weights_dir[4096], weights[4200];
  if (write_block_weights(weights_dir, sizeof weights_dir, weights, sizeof weights) != 0) {
    fprintf(stderr, "test_synth: cannot write the block's weights\n");
    return 1;
  }
  snprintf(linear, sizeof linear, "--tokens 2 --inputs 6 --outputs 3 --weight-bits 4 --weights "
           "%s/examples/linear_3x6.txt --threshold 4", source_root());
  snprintf(block, sizeof block, "--tokens 2 --embed 4 --heads 1 --hidden 4 --weight-bits 3 "
           "--weights %s --threshold 4 --width 8 --fold 4 --share global --prng-width 8",
           weights);
  /* One design per kind (the attention twice: mux and count, one and two heads, sobol and
   * lfsr); the same attention as the other groups', so its netlist model comes from the
   * Verilator cache. The
   * ANN attention with one MAC unit: 2 800 cells, where its parallel form has 11 000. */
  static kind_case kinds[] = {{"attention", "--tokens 4 --dim 4 --share unit"},
                              {"attention", "--tokens 4 --dim 4 --share row --reduce count --heads 2 --random lfsr"},
                              {"encoder", "--inputs 8 --bits 4"},
                              {"lif", "--neurons 6"},
                              {"linear", NULL},
                              {"exact-attention", "--tokens 2 --dim 4"},
                              {"block", NULL},
                              {"ann-attention", "--tokens 2 --dim 2 --macs 1"}};
  kinds[4].options = linear;
  kinds[6].options = block;
  if (strcmp(group, "generic") == 0) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(transistor_count_of_a_known_circuit),
        cmocka_unit_test(attention_split),
        cmocka_unit_test(attention_split_sobol),
        cmocka_unit_test(checker_sees_a_difference),
        cmocka_unit_test(gate_sim_counts_equal_verilator),
        cmocka_unit_test(energy_grows_with_activity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
  }
  if (strcmp(group, "kinds") == 0) {
    struct CMUnitTest tests[8];
    for (unsigned k = 0; k < 8; k++)
      tests[k] = (struct CMUnitTest){kinds[k].kind, netlist_of_kind, NULL, NULL, &kinds[k]};
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    ssa_remove_tree(weights_dir);
    return failed;
  }
  ssa_remove_tree(weights_dir);
  if (strcmp(group, "liberty") == 0) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(liberty_netlist),
        cmocka_unit_test(builtin_area_agrees_with_liberty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
  }
  fprintf(stderr, "usage: test_synth generic|kinds|liberty\n");
  return 2;
}
