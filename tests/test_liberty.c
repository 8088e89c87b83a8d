/* test_liberty.c -- the Liberty reader and the built-in 45 nm cell table: cells of the real
 * NanGate 45 nm and SkyWater 130 nm libraries checked by hand against the files' text, unit
 * conversion on small hand-written libraries, every error message with its line, truncated and
 * mutated input that must never crash, gzip and plain input alike, and every row of the
 * built-in table against the NanGate file it was transcribed from.
 *
 * Usage: test_liberty parse|shared. The real libraries are not part of the project: they are
 * read from $SSA_SOURCE_ROOT/../shared/liberty by the shared group, which exits 77 (meson's SKIP,
 * tests/skip.h) when either is absent; the parse group needs nothing. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/lfsr.h"
#include "../synth/cell_table.h"
#include "../synth/liberty.h"
#include "skip.h"

#define NANGATE "nangate45_typ.lib.gz"
#define SKY130 "sky130hd_tt.lib.gz"

/* ---- helpers ---- */

static void assert_near(double got, double want, double rel, const char *what) {
  if (!(fabs(got - want) <= rel * fmax(fabs(want), 1e-12)))
    fail_msg("%s: %.17g, expected %.17g", what, got, want);
}

static const ssa_liberty_cell *must_find(const ssa_liberty *lib, const char *name) {
  const ssa_liberty_cell *c = ssa_liberty_find(lib, name);
  if (c == NULL) fail_msg("%s: no cell %s", lib->path, name);
  return c;
}

/* The path of a shared library file (main checks that it is there before the shared group).
 * Returns 0 when SSA_SOURCE_ROOT is not set. */
static int shared_file(const char *file, char *path, size_t size) {
  const char *root = getenv("SSA_SOURCE_ROOT");
  if (root == NULL) return 0;
  snprintf(path, size, "%s/../shared/liberty/%s", root, file);
  return 1;
}

static void shared_path(const char *file, char *path, size_t size) {
  if (!shared_file(file, path, size)) fail_msg("SSA_SOURCE_ROOT is not set");
}

static void read_shared(const char *file, ssa_liberty *lib) {
  char path[4096];
  shared_path(file, path, sizeof path);
  ssa_error err = {{0}};
  if (ssa_liberty_read(path, lib, &err) != 0) fail_msg("%s", err.msg);
}

/* Writes len bytes to a new temporary file; its name goes to path (at least 64 bytes). */
static void write_temp(const char *text, size_t len, char *path) {
  strcpy(path, "/tmp/ssa_test_liberty_XXXXXX");
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  FILE *f = fdopen(fd, "w");
  assert_non_null(f);
  assert_int_equal(fwrite(text, 1, len, f), len);
  assert_int_equal(fclose(f), 0);
}

static void parse_ok(const char *text, ssa_liberty *lib) {
  ssa_error err = {{0}};
  if (ssa_liberty_parse("t.lib", text, strlen(text), lib, &err) != 0)
    fail_msg("parse failed: %s", err.msg);
}

/* The text, written to a file, must fail with exactly "FILE:want" (want: "LINE: problem"). */
static void expect_error(const char *text, const char *want) {
  char path[64], full[1200];
  write_temp(text, strlen(text), path);
  ssa_liberty lib;
  memset(&lib, 0xa5, sizeof lib);  /* garbage: the reader must not rely on it */
  ssa_error err = {{0}};
  int rc = ssa_liberty_read(path, &lib, &err);
  unlink(path);
  if (rc == 0) fail_msg("no error for:\n%s", text);
  snprintf(full, sizeof full, "%s:%s", path, want);
  /* the temporary name differs from run to run: compare what follows it */
  if (strncmp(err.msg, path, strlen(path)) != 0 || strcmp(err.msg + strlen(path),
                                                          full + strlen(path)) != 0)
    fail_msg("message \"%s\", expected \"%s\"", err.msg, full);
  assert_null(lib.cells);
  assert_int_equal(lib.count, 0);
  ssa_liberty_free(&lib);  /* harmless after a failure */
}

/* ---- NanGate 45 nm, typical ---- */

/* Hand-checked against the file's text (units: 1nW, (1,ff), 1V, so no conversion):
 *   INV_X1:   area 0.532000, cell_leakage_power 14.353185, pin A capacitance 1.700230.
 *   NAND2_X1: area 0.798000, leakage 17.393360, A1 1.599032, A2 1.664199 -> mean 1.6316155.
 *     Energy: two internal_power groups on ZN (related pins A1, A2), Power_7_7 tables; the
 *     middle of a 7 x 7 table is row 4, entry 4:
 *       A1: fall_power 0.286746, rise_power 2.360539 -> 1.3236425
 *       A2: fall_power 0.177366, rise_power 3.078800 -> 1.628083
 *       mean 1.47586275 fJ.
 *   DFF_X1:   area 4.522000, leakage 79.112308, D 1.140290, CK 0.949653 -> mean 1.0449715.
 *     Clock: four internal_power groups on CK (`when` D, Q, QN), Hidden_power_7 tables, the
 *     middle is entry 4 of 7; a group without energy on one edge has a scalar 0.0:
 *       !D&!Q&QN: rise 2.538300 + fall 4.653631 = 7.191931
 *       !D&Q&!QN: rise 0.0      + fall 7.732922 = 7.732922
 *       D&!Q&QN:  rise 0.0      + fall 7.700613 = 7.700613
 *       D&Q&!QN:  rise 2.730149 + fall 4.421492 = 7.151641
 *       mean 7.44427675 fJ per clock cycle. */
static void test_nangate(void **state) {
  (void)state;
  ssa_liberty lib;
  read_shared(NANGATE, &lib);
  assert_int_equal(lib.count, 134);
  assert_string_equal(lib.name, "NangateOpenCellLibrary");
  assert_near(lib.nom_voltage_v, 1.1, 1e-15, "nom_voltage");
  assert_near(lib.leakage_unit_nw, 1, 0, "leakage unit");
  assert_near(lib.cap_unit_ff, 1, 0, "capacitance unit");
  assert_near(lib.energy_unit_fj, 1, 0, "energy unit");
  assert_near(lib.time_unit_ns, 1, 0, "time unit");

  const ssa_liberty_cell *inv = must_find(&lib, "INV_X1");
  assert_true(inv->area_um2 == 0.532);
  assert_true(inv->leakage_nw == 14.353185);
  assert_near(inv->input_cap_ff, 1.70023, 1e-12, "INV_X1 cap");
  assert_int_equal(inv->inputs, 1);
  assert_int_equal(inv->outputs, 1);
  assert_string_equal(inv->function, "!A");
  assert_false(inv->sequential);
  assert_true(inv->clock_energy_fj == 0);

  const ssa_liberty_cell *nand = must_find(&lib, "NAND2_X1");
  assert_true(nand->area_um2 == 0.798);
  assert_true(nand->leakage_nw == 17.39336);
  assert_near(nand->input_cap_ff, 1.6316155, 1e-12, "NAND2_X1 cap");
  assert_near(nand->energy_per_toggle_fj, 1.47586275, 1e-12, "NAND2_X1 energy");

  const ssa_liberty_cell *dff = must_find(&lib, "DFF_X1");
  assert_true(dff->area_um2 == 4.522);
  assert_true(dff->leakage_nw == 79.112308);
  assert_near(dff->input_cap_ff, 1.0449715, 1e-12, "DFF_X1 cap");
  assert_near(dff->clock_energy_fj, 7.44427675, 1e-12, "DFF_X1 clock energy");
  assert_true(dff->sequential && dff->is_flop);
  assert_int_equal(dff->inputs, 2);
  assert_int_equal(dff->outputs, 2);
  assert_string_equal(dff->output_pins, "Q QN");
  assert_true(ssa_liberty_cell_is_output(dff, "Q") && ssa_liberty_cell_is_output(dff, "QN"));
  assert_false(ssa_liberty_cell_is_output(dff, "CK") || ssa_liberty_cell_is_output(dff, "D"));
  assert_false(ssa_liberty_cell_is_output(dff, "") || ssa_liberty_cell_is_output(dff, "QN "));
  assert_string_equal(inv->output_pins, "ZN");

  /* a latch is sequential, not a flip-flop; a clock gate has no `clock : true` pin */
  const ssa_liberty_cell *latch = must_find(&lib, "DLH_X1");
  assert_true(latch->sequential && !latch->is_flop && latch->clock_energy_fj > 0);
  const ssa_liberty_cell *gate = must_find(&lib, "CLKGATE_X1");
  assert_true(gate->sequential && !gate->is_flop && gate->clock_energy_fj == 0);
  /* physical cells: no leakage figure at all gives the default, 0; dont_use is read */
  const ssa_liberty_cell *fill = must_find(&lib, "FILLCELL_X1");
  assert_true(fill->leakage_nw == 0 && fill->dont_use && fill->inputs == 0);
  assert_false(must_find(&lib, "INV_X1")->dont_use);
  ssa_liberty_free(&lib);
}

/* ---- SkyWater 130 nm hd, typical ---- */

/* Hand-checked against the file's text; units 1nW, (1.0, "pf") and 1V, so capacitances are
 * times 1000 and internal power tables are pJ (times 1000 to fJ):
 *   inv_1:   area 3.7536, cell_leakage_power 0.0053266820 nW, A 0.0023020 pF = 2.302 fF.
 *     Energy: one internal_power group on Y (related pin A), 7 x 7 tables, row 4 entry 4:
 *       fall_power -0.016724000, rise_power 0.0220691 -> mean 0.00267255 pJ = 2.67255 fJ.
 *     (Sky130's rise_power includes half the CV^2 of the load and fall_power subtracts it,
 *     so fall is negative; only their mean is the cell's own energy.)
 *   nand2_1: area 3.7536, leakage 0.0021179600, A 0.002315, B 0.002324 -> 2.3195 fF.
 *     Energy: A: (-0.011898200 + 0.0173876) / 2 = 0.0027447; B: (-0.011640800 + 0.0204341)
 *     / 2 = 0.00439665; mean 0.003570675 pJ = 3.570675 fJ.
 *   dfxtp_1: area 20.0192, leakage 0.0084386350, CLK 0.001794, D 0.001678 -> 1.736 fF.
 *     Clock: one group on CLK, power_inputs_1 (7 points), entry 4: rise 0.0174497 + fall
 *     0.0224266 = 0.0398763 pJ = 39.8763 fJ per cycle. */
static void test_sky130(void **state) {
  (void)state;
  ssa_liberty lib;
  read_shared(SKY130, &lib);
  assert_int_equal(lib.count, 428);
  assert_string_equal(lib.name, "sky130_fd_sc_hd__tt_025C_1v80");
  assert_near(lib.nom_voltage_v, 1.8, 1e-15, "nom_voltage");
  assert_near(lib.cap_unit_ff, 1000, 0, "capacitance unit");
  assert_near(lib.energy_unit_fj, 1000, 0, "energy unit");
  assert_near(lib.leakage_unit_nw, 1, 0, "leakage unit");

  const ssa_liberty_cell *inv = must_find(&lib, "sky130_fd_sc_hd__inv_1");
  assert_true(inv->area_um2 == 3.7536);
  assert_true(inv->leakage_nw == 0.005326682);
  assert_near(inv->input_cap_ff, 2.302, 1e-12, "inv_1 cap");
  assert_near(inv->energy_per_toggle_fj, 2.67255, 1e-12, "inv_1 energy");
  assert_string_equal(inv->function, "(!A)");

  const ssa_liberty_cell *nand = must_find(&lib, "sky130_fd_sc_hd__nand2_1");
  assert_true(nand->area_um2 == 3.7536);
  assert_true(nand->leakage_nw == 0.00211796);
  assert_near(nand->input_cap_ff, 2.3195, 1e-12, "nand2_1 cap");
  assert_near(nand->energy_per_toggle_fj, 3.570675, 1e-12, "nand2_1 energy");

  const ssa_liberty_cell *dff = must_find(&lib, "sky130_fd_sc_hd__dfxtp_1");
  assert_true(dff->area_um2 == 20.0192);
  assert_true(dff->leakage_nw == 0.008438635);
  assert_near(dff->input_cap_ff, 1.736, 1e-12, "dfxtp_1 cap");
  assert_near(dff->clock_energy_fj, 39.8763, 1e-12, "dfxtp_1 clock energy");
  assert_true(dff->sequential && dff->is_flop);
  assert_int_equal(dff->inputs, 2);
  assert_int_equal(dff->outputs, 1);
  assert_string_equal(dff->output_pins, "Q");

  /* a scan flop's test_cell group repeats its pins: they must not count twice */
  const ssa_liberty_cell *scan = must_find(&lib, "sky130_fd_sc_hd__sdfxtp_1");
  assert_int_equal(scan->inputs, 4);
  assert_int_equal(scan->outputs, 1);
  assert_string_equal(scan->output_pins, "Q");
  /* cells without outputs have an empty list */
  assert_string_equal(must_find(&lib, "sky130_fd_sc_hd__decap_3")->output_pins, "");
  ssa_liberty_free(&lib);
}

static void test_sorted_and_find(void **state) {
  (void)state;
  ssa_liberty lib;
  read_shared(NANGATE, &lib);
  for (size_t i = 1; i < lib.count; i++)
    assert_true(strcmp(lib.cells[i - 1].name, lib.cells[i].name) < 0);
  for (size_t i = 0; i < lib.count; i++)
    assert_ptr_equal(ssa_liberty_find(&lib, lib.cells[i].name), &lib.cells[i]);
  assert_null(ssa_liberty_find(&lib, "NAND2_X3"));
  assert_null(ssa_liberty_find(&lib, ""));
  assert_null(ssa_liberty_find(&lib, "ZZZ"));
  ssa_liberty_free(&lib);
  assert_null(ssa_liberty_find(&lib, "INV_X1"));  /* an emptied library has no cells */
  assert_null(ssa_liberty_find(NULL, "INV_X1"));
}

/* ---- gzip and plain ---- */

static void assert_same_cells(const ssa_liberty *a, const ssa_liberty *b) {
  assert_int_equal(a->count, b->count);
  for (size_t i = 0; i < a->count; i++) {
    const ssa_liberty_cell *x = &a->cells[i], *y = &b->cells[i];
    assert_string_equal(x->name, y->name);
    assert_string_equal(x->function, y->function);
    assert_true(x->area_um2 == y->area_um2 && x->leakage_nw == y->leakage_nw &&
                x->input_cap_ff == y->input_cap_ff &&
                x->energy_per_toggle_fj == y->energy_per_toggle_fj &&
                x->clock_energy_fj == y->clock_energy_fj && x->line == y->line);
  }
}

static void test_decompress(void **state) {
  (void)state;
  char src[4096], plain[64], copy[64];
  shared_path(NANGATE, src, sizeof src);
  ssa_error err = {{0}};
  write_temp("", 0, plain);
  if (ssa_liberty_decompress(src, plain, &err) != 0) fail_msg("%s", err.msg);
  /* the copy is plain text: it starts with the file's comment banner */
  FILE *f = fopen(plain, "rb");
  assert_non_null(f);
  char head[3] = {0};
  assert_int_equal(fread(head, 1, 2, f), 2);
  fclose(f);
  assert_string_equal(head, "/*");
  /* and reads exactly as the gzip'd file */
  ssa_liberty gz, text;
  read_shared(NANGATE, &gz);
  if (ssa_liberty_read(plain, &text, &err) != 0) fail_msg("%s", err.msg);
  assert_same_cells(&gz, &text);
  ssa_liberty_free(&text);
  /* a plain source is copied as it is */
  write_temp("", 0, copy);
  if (ssa_liberty_decompress(plain, copy, &err) != 0) fail_msg("%s", err.msg);
  if (ssa_liberty_read(copy, &text, &err) != 0) fail_msg("%s", err.msg);
  assert_same_cells(&gz, &text);
  ssa_liberty_free(&text);
  ssa_liberty_free(&gz);
  unlink(plain);
  unlink(copy);
  /* errors: a missing source (the target is not created), an impossible target */
  assert_int_equal(ssa_liberty_decompress("/nonexistent/x.lib.gz", copy, &err), -1);
  assert_string_equal(err.msg, "/nonexistent/x.lib.gz: cannot open (No such file or directory)");
  assert_int_equal(access(copy, F_OK), -1);
  assert_int_equal(ssa_liberty_decompress(src, "/nonexistent/dir/x.lib", &err), -1);
  assert_non_null(strstr(err.msg, "/nonexistent/dir/x.lib: no directory /nonexistent/dir"));
}

/* A gzip file cut in half: zlib's error reaches the message. */
static void test_truncated_gzip(void **state) {
  (void)state;
  char src[4096], path[64];
  shared_path(NANGATE, src, sizeof src);
  FILE *f = fopen(src, "rb");
  assert_non_null(f);
  size_t cap = 1u << 22, n;
  char *data = malloc(cap);
  assert_non_null(data);
  n = fread(data, 1, cap, f);
  fclose(f);
  assert_true(n > 1000 && n < cap);
  write_temp(data, n / 2, path);
  free(data);
  ssa_liberty lib;
  ssa_error err = {{0}};
  int rc = ssa_liberty_read(path, &lib, &err);
  unlink(path);
  assert_int_equal(rc, -1);
  char want[200];
  snprintf(want, sizeof want, "%s: read error (the file ends inside the gzip data)", path);
  assert_string_equal(err.msg, want);
  assert_null(lib.cells);
}

static void test_missing_file(void **state) {
  (void)state;
  ssa_liberty lib;
  ssa_error err = {{0}};
  assert_int_equal(ssa_liberty_read("/nonexistent/cells.lib", &lib, &err), -1);
  assert_string_equal(err.msg, "/nonexistent/cells.lib: cannot open (No such file or directory)");
  assert_null(lib.cells);
  assert_int_equal(lib.count, 0);
}

/* ---- units and the definitions, on a small library with known numbers ---- */

/* Units pF, uW, ps; every figure below is worked out by hand in test_units. */
static const char units_lib[] =
    "/* a small library with known numbers */\n"
    "library (\"small\") {\n"
    "  time_unit : \"1ps\" ;\n"
    "  voltage_unit : \"1V\";\n"
    "  leakage_power_unit : \"1uW\";\n"
    "  capacitive_load_unit (1, pf);\n"
    "  nom_voltage : 0.9\n"                       /* no ';' at the end of a line */
    "  default_cell_leakage_power : 0.0005 ;\n"
    "  default_input_pin_cap : 0.004 ;\n"
    "  power_lut_template (p2x2) {\n"
    "    variable_1 : input_transition_time;\n"
    "    variable_2 : total_output_net_capacitance;\n"
    "    index_1 (\"0.1, 0.2\");\n"
    "    index_2 (\"0.001, 0.002\");\n"
    "  }\n"
    "  power_lut_template (p3) {\n"
    "    variable_1 : input_transition_time;\n"
    "    index_1 (\"1, 2, 3\");\n"
    "  }\n"
    "  cell (BUFX) {\n"
    "    area : 2.5;\n"
    "    cell_leakage_power : 0.002;\n"
    "    pin (A) { direction : input; capacitance : 0.0015; }\n"
    "    pin (Y) {\n"
    "      direction : output; function : \"A\";\n"
    "      internal_power () {\n"
    "        related_pin : \"A\";\n"
    "        rise_power (p2x2) { values (\"0.001, 0.002\", \"0.003, 0.004\"); }\n"
    "        fall_power (p2x2) { values (\"0.005, 0.006\", \\\n"
    "                                    \"0.007, \\\n"
    "0.008\"); }\n"
    "      }\n"
    "      internal_power () { power (scalar) { values (\"0.010\"); } }\n"
    "    }\n"
    "  };\n"
    "  cell (LEAKY) {\n"
    "    leakage_power () { when : \"A\"; value : 0.001; }\n"
    "    leakage_power () { when : \"!A\"; value : 0.003; }\n"
    "    pin (A, B) { direction : input; }\n"        /* two pins, the default capacitance */
    "  }\n"
    "  cell (FLOP) {\n"
    "    dont_use : true;\n"
    "    ff (IQ, IQN) { next_state : \"D\"; clocked_on : \"CK\"; }\n"
    "    pin (CK) {\n"
    "      direction : input; clock : \"true\"; capacitance : 0.002;\n"
    "      internal_power () {\n"
    "        rise_power (p3) { values (\"0.001, 0.002, 0.003\"); }\n"
    "        fall_power (p3) { values (\"0.004, 0.005, 0.006\"); }\n"
    "      }\n"
    "      internal_power () { rise_power (scalar) { values (\"0.003\"); } }\n"
    "    }\n"
    "    pin (D) { direction : input; rise_capacitance : 0.001; fall_capacitance : 0.003; }\n"
    "    pin (Q) { direction : output; function : \"IQ\"; }\n"
    "    test_cell () { pin (D) { direction : input; } pin (Q) { direction : output; } }\n"
    "  }\n"
    "  cell (CUBE) {\n"
    "    bus (D) {\n"
    "      direction : input; capacitance : 0.004;\n"
    "      pin (D[0]) { }\n"
    "      pin (D[1]) { capacitance : 0.002; }\n"
    "    }\n"
    "    pin (Y) {\n"
    "      direction : output;\n"
    "      internal_power () {\n"
    "        rise_power (unknown_template) {\n"
    "          index_1 (\"1, 2\"); index_2 (\"1, 2, 3\"); index_3 (\"1, 2\");\n"
    "          values (\"1, 2\", \"3, 4\", \"5, 6\", \"7, 8\", \"9, 10\", \"11, 12\");\n"
    "        }\n"
    "      }\n"
    "    }\n"
    "  }\n"
    "}\n";

static void test_units(void **state) {
  (void)state;
  ssa_liberty lib;
  parse_ok(units_lib, &lib);
  assert_string_equal(lib.path, "t.lib");
  assert_string_equal(lib.name, "small");
  assert_int_equal(lib.count, 4);
  assert_near(lib.time_unit_ns, 0.001, 1e-15, "time unit");
  assert_near(lib.cap_unit_ff, 1000, 0, "capacitance unit");
  assert_near(lib.leakage_unit_nw, 1000, 0, "leakage unit");
  assert_near(lib.energy_unit_fj, 1000, 0, "energy unit");
  assert_near(lib.nom_voltage_v, 0.9, 1e-15, "nom_voltage");

  /* 0.002 uW = 2 nW; 0.0015 pF = 1.5 fF. Energy, in pJ: the first group's 2 x 2 tables have
   * an even count on both indexes, so the middle is the mean of all four entries: rise
   * 0.0025, fall 0.0065 (its second row continued over two lines), group 0.0045; the second
   * group's scalar `power` stands for both edges: 0.010. Mean 0.00725 pJ = 7.25 fJ. */
  const ssa_liberty_cell *buf = must_find(&lib, "BUFX");
  assert_true(buf->area_um2 == 2.5);
  assert_near(buf->leakage_nw, 2, 1e-12, "BUFX leakage");
  assert_near(buf->input_cap_ff, 1.5, 1e-12, "BUFX cap");
  assert_near(buf->energy_per_toggle_fj, 7.25, 1e-12, "BUFX energy");
  assert_string_equal(buf->function, "A");
  assert_int_equal(buf->line, 20);

  /* no cell_leakage_power: the mean of the states, (0.001 + 0.003) / 2 uW = 2 nW; pin (A, B)
   * is two input pins of the default 0.004 pF */
  const ssa_liberty_cell *leaky = must_find(&lib, "LEAKY");
  assert_near(leaky->leakage_nw, 2, 1e-12, "LEAKY leakage");
  assert_int_equal(leaky->inputs, 2);
  assert_near(leaky->input_cap_ff, 4, 1e-12, "LEAKY cap");
  assert_string_equal(leaky->output_pins, "");
  assert_false(ssa_liberty_cell_is_output(leaky, "A"));
  assert_true(leaky->area_um2 == 0 && leaky->energy_per_toggle_fj == 0);

  /* clock: group 1 rise 0.002 + fall 0.005 (the middle of 3 points), group 2 rise 0.003 and
   * no fall: mean 0.005 pJ = 5 fJ per cycle. D has only rise/fall capacitance: 0.002 pF. The
   * test_cell's pins are not the cell's. Leakage: the library default 0.0005 uW. */
  const ssa_liberty_cell *flop = must_find(&lib, "FLOP");
  assert_near(flop->clock_energy_fj, 5, 1e-12, "FLOP clock energy");
  assert_near(flop->input_cap_ff, 2, 1e-12, "FLOP cap");
  assert_near(flop->leakage_nw, 0.5, 1e-12, "FLOP leakage");
  assert_int_equal(flop->inputs, 2);
  assert_int_equal(flop->outputs, 1);
  assert_true(flop->sequential && flop->is_flop && flop->dont_use);
  assert_true(flop->energy_per_toggle_fj == 0);

  /* a bus counts through its pins, which take its direction and capacitance unless they give
   * their own: 4 and 2 fF. A 2 x 3 x 2 table (its own indexes; the template is unknown):
   * middle entries [0..1][1][0..1] = 3, 4, 9, 10, mean 6.5 pJ; rise only. */
  const ssa_liberty_cell *cube = must_find(&lib, "CUBE");
  assert_int_equal(cube->inputs, 2);
  assert_near(cube->input_cap_ff, 3, 1e-12, "CUBE cap");
  assert_near(cube->energy_per_toggle_fj, 6500, 1e-12, "CUBE energy");
  assert_string_equal(cube->output_pins, "Y");
  assert_string_equal(must_find(&lib, "FLOP")->output_pins, "Q");
  ssa_liberty_free(&lib);
  ssa_liberty_free(&lib);  /* twice is harmless */
}

/* Other units: 100mV, (10, ff), 10pW, and none at all (1 pF, 1 nW, 1 V, 1 ns). */
static void test_other_units(void **state) {
  (void)state;
  ssa_liberty lib;
  parse_ok("library (u) {\n"
           "  voltage_unit : \"100mV\"; capacitive_load_unit (10, ff);\n"
           "  leakage_power_unit : 10pW; time_unit : \"100ps\";\n"
           "  operating_conditions (typ) { voltage : 9; }\n"
           "  cell (X) {\n"
           "    cell_leakage_power : 3;\n"
           "    pin (A) { direction : inout; capacitance : 0.5; }\n"
           "    pin (Y) { direction : output;\n"
           "      internal_power () { power (scalar) { values (\"2\"); } } }\n"
           "  }\n"
           "}\n",
           &lib);
  assert_near(lib.voltage_unit_v, 0.1, 1e-15, "voltage unit");
  assert_near(lib.cap_unit_ff, 10, 0, "capacitance unit");
  assert_near(lib.leakage_unit_nw, 0.01, 1e-15, "leakage unit");
  assert_near(lib.time_unit_ns, 0.1, 1e-15, "time unit");
  /* 10 fF x (0.1 V)^2 = 0.1 fJ */
  assert_near(lib.energy_unit_fj, 0.1, 1e-15, "energy unit");
  /* no nom_voltage: the operating conditions' 9 x 100 mV */
  assert_near(lib.nom_voltage_v, 0.9, 1e-15, "voltage");
  const ssa_liberty_cell *x = must_find(&lib, "X");
  assert_near(x->leakage_nw, 0.03, 1e-12, "X leakage");
  assert_near(x->input_cap_ff, 5, 1e-12, "X cap");
  assert_near(x->energy_per_toggle_fj, 0.2, 1e-12, "X energy");
  assert_int_equal(x->inputs, 1);   /* an inout pin counts both ways */
  assert_int_equal(x->outputs, 2);
  assert_string_equal(x->output_pins, "A Y");
  assert_true(ssa_liberty_cell_is_output(x, "A") && ssa_liberty_cell_is_output(x, "Y"));
  ssa_liberty_free(&lib);

  parse_ok("library (defaults) { cell (X) { cell_leakage_power : 3;\n"
           "  pin (A) { direction : input; capacitance : 0.5; }\n"
           "  pin (Y) { direction : output;\n"
           "    internal_power () { power (scalar) { values (\"2\"); } } } } }",
           &lib);
  assert_near(lib.cap_unit_ff, 1000, 0, "default capacitance unit");
  assert_near(lib.leakage_unit_nw, 1, 0, "default leakage unit");
  assert_near(lib.voltage_unit_v, 1, 0, "default voltage unit");
  assert_true(lib.nom_voltage_v == 0);
  assert_near(lib.cells[0].input_cap_ff, 500, 1e-12, "cap in the default pF");
  assert_near(lib.cells[0].energy_per_toggle_fj, 2000, 1e-12, "energy in the default pJ");
  ssa_liberty_free(&lib);
}

/* Syntax the reader accepts: comments anywhere, quoted or bare names, no ';' at the end of a
 * line or before '}', continuations between arguments, "};", an empty library. */
static void test_syntax_variants(void **state) {
  (void)state;
  ssa_liberty lib;
  parse_ok("/* head */ library(\"q\"){/* c */cell(\"A\"){area:1/* c */;\n"
           "pin(\"Z\"){direction:\"output\"}}\n"
           "  cell (B) {\n"
           "    area : 2\n"
           "    define (x, y, \\\n"
           "            z);\n"
           "  };\n"
           "  cell (C) { area : 3 }\n"
           "  cell (D) { pin (Y1, Y2) { direction : output; }\n"
           "             bus (Q) { direction : output; pin (Q[0]) { } pin (Q[1]) { } } }\n"
           "}\n"
           "/* trailing comment */\n",
           &lib);
  assert_int_equal(lib.count, 4);
  assert_true(must_find(&lib, "A")->area_um2 == 1 && must_find(&lib, "A")->outputs == 1);
  /* pin (Y1, Y2) is two pins; a bus's pins are its members */
  const ssa_liberty_cell *d = must_find(&lib, "D");
  assert_int_equal(d->outputs, 4);
  assert_string_equal(d->output_pins, "Y1 Y2 Q[0] Q[1]");
  assert_true(ssa_liberty_cell_is_output(d, "Q[1]") && !ssa_liberty_cell_is_output(d, "Q"));
  assert_true(must_find(&lib, "B")->area_um2 == 2 && must_find(&lib, "C")->area_um2 == 3);
  ssa_liberty_free(&lib);
  parse_ok("library (empty) { }", &lib);
  assert_int_equal(lib.count, 0);
  assert_null(lib.cells);
  ssa_liberty_free(&lib);
}

/* ---- malformed input: each message names the file and the line ---- */

/* Text that must fail with exactly "FILE:want", want naming the line: "LINE: problem". */
typedef struct error_case {
  const char *text, *want;
} error_case;

/* Each case: the input, then the line and the message. */
static const error_case read_errors[] = {
    /* braces */
    /* a missing '}': found at the end of the file, the line after the last */
    {"library (x) {\n  cell (A) {\n    area : 1;\n}\n",
     "5: the file ends inside group 'library' opened at line 1 (missing '}')"},
    {"library (x) {\n  cell (A) {\n    area : 1;\n",
     "4: the file ends inside group 'cell' opened at line 2 (missing '}')"},
    /* one '}' too many */
    {"library (x) {\n  cell (A) { }\n}\n}\n",
     "4: '}' without a matching '{'"},
    {"library (x) {\n  cell (A) { } }\n}\n",
     "3: '}' without a matching '{'"},
    {"library (x) {\n  cell (A) { {\n}\n",
     "2: expected an attribute or a group, found '{'"},
    /* statements */
    /* a missing ';' before more text on the same line */
    {"library (x) {\n  cell (A) { area : 1.0 cell_leakage_power : 2; }\n}\n",
     "2: expected ';' after attribute 'area', found 'cell_leakage_power'"},
    {"library (x) {\n  technology (cmos) delay_model : table_lookup;\n}\n",
     "2: expected ';' after attribute 'technology', found 'delay_model'"},
    /* a missing ':' */
    {"library (x) {\n  cell (A) {\n    area 1.0 ;\n  }\n}\n",
     "3: expected ':' or '(' after 'area', found '1.0'"},
    /* a missing value */
    {"library (x) {\n  cell (A) {\n    area : ;\n  }\n}\n",
     "3: expected a value after 'area :', found ';'"},
    /* a missing ')' */
    {"library (x) {\n  cell (A {\n  }\n}\n",
     "2: expected ')' to close the arguments of 'cell', found '{'"},
    /* garbage */
    {"library (x) {\n  @@@ ###\n}\n",
     "2: expected ':' or '(' after '@@@', found '###'"},
    {"library (x) {\n  cell (A) {\n  \x01\x02\n}\n",
     "3: unexpected byte 0x01"},
    {"library (x) {\n\n  ) \n}\n",
     "3: expected an attribute or a group, found ')'"},
    {"library (x) {\n  cell (A) { area : 1 \\ 2; }\n}\n",
     "2: stray '\\' (a backslash continues a line only at its end)"},
    {"library (x) {\n  \"name\" : 1;\n}\n",
     "2: expected an attribute or a group, found \"name\""},
    /* input cut short */
    {"library (x) {\n  cell (A) {\n    pin (Y) {\n      function : \"(A1 &",
     "4: string never closed"},
    {"library (x) {\n  /* units\n  time_unit : \"1ns\";\n",
     "2: comment never closed"},
    {"library (x) {\n  cell (A) {\n    area :",
     "3: expected a value after 'area :', found the end of the file"},
    {"library (x) {\n  cell (A",
     "2: expected ')' to close the arguments of 'cell', found the end of the file"},
    {"",
     "1: no library group"},
    {"/* only a comment */\n",
     "2: no library group"},
    /* the groups of a library */
    {"cell (A) { }\n",
     "1: expected a library group, found group 'cell'"},
    {"\ndelay_model : table_lookup;\n",
     "2: expected a library group, found attribute 'delay_model'"},
    {"library (x) { }\nlibrary (y) { }\n",
     "2: a second library group (one library per file)"},
    {"library () { }\n",
     "1: library group without a name"},
    {"library (x) {\n  cell () { }\n}\n",
     "2: cell group without a name"},
    {"library (x) {\n  cell (A) { area : 1; }\n  cell (B) { }\n  cell (A) { }\n}\n",
     "4: cell 'A' defined twice (first at line 2)"},
    {"library (x) {\n"
     " cell (a_name_that_is_much_too_long_for_any_real_library_cell_0123456789) { }\n}\n",
     "2: cell name 'a_name_that_is_much_too_long_for_any_rea...' is longer than 63 characters"},
    /* attribute values */
    {"library (x) {\n  cell (A) {\n    area : abc;\n  }\n}\n",
     "3: area: 'abc' is not a number"},
    {"library (x) {\n  cell (A) {\n    area : 1.5x;\n  }\n}\n",
     "3: area: '1.5x' is not a number"},
    {"library (x) {\n  cell (A) {\n    area (1.5);\n  }\n}\n",
     "3: 'area' takes one value ('area : value ;')"},
    {"library (x) {\n  cell (A) { dont_use : maybe; }\n}\n",
     "2: dont_use: expected true or false, found 'maybe'"},
    {"library (x) {\n  cell (A) { pin (Y) { direction : sideways; } }\n}\n",
     "2: direction: 'sideways', expected input, output, inout or internal"},
    {"library (x) {\n  leakage_power_unit : \"1xW\";\n}\n",
     "2: leakage_power_unit: cannot read the unit '1xW'"},
    {"library (x) {\n  time_unit : \"1ns\";\n  voltage_unit : \"1A\";\n}\n",
     "3: voltage_unit: cannot read the unit '1A'"},
    {"library (x) {\n  capacitive_load_unit (1, nf);\n}\n",
     "2: capacitive_load_unit: unit 'nf', expected ff or pf"},
    {"library (x) {\n  capacitive_load_unit : 1ff;\n}\n",
     "2: capacitive_load_unit: expected (NUMBER, ff) or (NUMBER, pf)"},
};

static void test_read_errors(void **state) {
  (void)state;
  for (size_t k = 0; k < sizeof read_errors / sizeof read_errors[0]; k++)
    expect_error(read_errors[k].text, read_errors[k].want);
}

static void test_error_nesting(void **state) {
  (void)state;
  char deep[2048] = "library (x) {\n";
  for (int i = 0; i < 40; i++) strcat(deep, "g () {");
  strcat(deep, "\n");
  expect_error(deep, "2: groups nested more than 32 deep");
}

/* Power tables inside one internal_power group of a library with the template t2 (2 x 2). */
static void test_error_tables(void **state) {
  (void)state;
  static const char head[] =
      "library (x) {\n"
      "  power_lut_template (t2) { index_1 (\"1, 2\"); index_2 (\"1, 2\"); }\n"
      "  cell (A) { pin (Y) { direction : output; internal_power () {\n";
  /* each case: the table, then the line and the message */
  static const error_case tables[] = {
      {"    rise_power (t2) { values (\"1, 2\", \"3, 4\", \"5, 6\"); }\n",
       "4: power table has 6 values, its indexes give 2 x 2 x 1"},
      {"    rise_power (t2) { values (\"1, 2\", \"3\"); }\n",
       "4: values: row 2 has 1 numbers, row 1 has 2"},
      {"    rise_power (t2) { values (\"1, 2\",\n \"3, x\"); }\n",
       "5: values: 'x' is not a number"},
      {"    rise_power (t2) { index_1 (\"1, a\"); }\n",
       "4: index_1: 'a' is not a number"},
      {"    rise_power (t2) { }\n",
       "4: power table without values"},
      {"    rise_power (t2) { values : 1; }\n",
       "4: values: expected values (\"NUMBERS\", ...)"},
  };
  for (size_t k = 0; k < sizeof tables / sizeof tables[0]; k++) {
    char text[1024];
    snprintf(text, sizeof text, "%s%s  } } }\n}\n", head, tables[k].text);
    expect_error(text, tables[k].want);
  }
}

/* Every prefix of a valid library, and random byte changes, must give a library or exactly one
 * line naming the file and a line, and never crash (the sanitizer build checks the rest). */
static void test_mutations(void **state) {
  (void)state;
  size_t len = strlen(units_lib);
  char *text = malloc(len);
  assert_non_null(text);
  ssa_liberty lib;
  ssa_error err;
  size_t last_brace = (size_t)(strrchr(units_lib, '}') - units_lib);
  for (size_t n = 0; n <= last_brace; n++) {
    err.msg[0] = '\0';
    if (ssa_liberty_parse("t.lib", units_lib, n, &lib, &err) == 0)
      fail_msg("a prefix of %zu bytes parsed", n);
    if (strncmp(err.msg, "t.lib:", 6) != 0 || strchr(err.msg, '\n') != NULL)
      fail_msg("prefix %zu: bad message \"%s\"", n, err.msg);
    assert_null(lib.cells);
  }
  uint64_t rng = 7;
  unsigned ok = 0;
  for (unsigned iter = 0; iter < 3000; iter++) {
    memcpy(text, units_lib, len);
    unsigned changes = 1 + (unsigned)(ssa_splitmix64(&rng) % 3);
    for (unsigned k = 0; k < changes; k++) {
      static const char pool[] = "(){}:;,\"\\/*\n x0.9-";
      size_t at = (size_t)(ssa_splitmix64(&rng) % len);
      uint64_t r = ssa_splitmix64(&rng);
      text[at] = r % 4 == 0 ? (char)(r >> 8) : pool[(r >> 8) % (sizeof pool - 1)];
    }
    if (ssa_liberty_parse("t.lib", text, len, &lib, &err) == 0) {
      ok++;
      ssa_liberty_free(&lib);
    } else {
      assert_null(lib.cells);
      if (strncmp(err.msg, "t.lib:", 6) != 0 || strchr(err.msg, '\n') != NULL)
        fail_msg("iteration %u: bad message \"%s\"", iter, err.msg);
    }
  }
  free(text);
  assert_true(ok > 0 && ok < 3000);  /* both outcomes were exercised */
}

/* ---- the built-in table ---- */

/* docs/design.md section 8.2: NanGate 45 nm area (um^2) / leakage (nW). */
static void test_builtin_design_figures(void **state) {
  (void)state;
  static const struct { const char *type, *cell; double area, leakage; } want[] = {
      {"$_NOT_", "INV_X1", 0.532, 14.4},   {"$_NAND_", "NAND2_X1", 0.798, 17.4},
      {"$_NOR_", "NOR2_X1", 0.798, 21.2},  {"$_AND_", "AND2_X1", 1.064, 25.1},
      {"$_XOR_", "XOR2_X1", 1.596, 36.2},  {"$_MUX_", "MUX2_X1", 1.862, 35.9},
      {"$_DFF_P_", "DFF_X1", 4.522, 79.1},
  };
  const ssa_liberty *lib = ssa_cell_table_builtin();
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    const ssa_liberty_cell *c = must_find(lib, want[i].type);
    assert_string_equal(ssa_cell_table_cell(want[i].type), want[i].cell);
    if (c->area_um2 != want[i].area || c->leakage_nw != want[i].leakage)
      fail_msg("%s: %g um^2 / %g nW, docs/design.md says %g / %g", want[i].cell, c->area_um2,
               c->leakage_nw, want[i].area, want[i].leakage);
  }
  assert_true(lib->nom_voltage_v == SSA_CELL_TABLE_VOLTAGE_V);
  assert_true(lib->nom_voltage_v == 1.1);
}

static void test_builtin_lookup(void **state) {
  (void)state;
  const ssa_liberty *lib = ssa_cell_table_builtin();
  static const char *const types[] = {"$_NOT_", "$_BUF_", "$_AND_", "$_NAND_", "$_OR_",
                                      "$_NOR_", "$_XOR_", "$_XNOR_", "$_MUX_", "$_AOI3_",
                                      "$_OAI3_", "$_AOI4_", "$_OAI4_", "$_DFF_P_", "$_DFF_N_"};
  assert_int_equal(lib->count, sizeof types / sizeof types[0]);
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
    assert_non_null(ssa_liberty_find(lib, types[i]));
    assert_non_null(ssa_cell_table_cell(types[i]));
  }
  for (size_t i = 1; i < lib->count; i++)
    assert_true(strcmp(lib->cells[i - 1].name, lib->cells[i].name) < 0);
  assert_string_equal(ssa_cell_table_cell("$_AOI3_"), "AOI21_X1");
  assert_string_equal(ssa_cell_table_cell("$_DFF_N_"), "DFF_X1");
  assert_null(ssa_liberty_find(lib, "$_ANDNOT_"));
  assert_null(ssa_cell_table_cell("$_ANDNOT_"));
  assert_null(ssa_cell_table_cell("INV_X1"));
  const ssa_liberty_cell *dff = ssa_liberty_find(lib, "$_DFF_P_");
  assert_true(dff->is_flop && dff->sequential && dff->clock_energy_fj > 0);
  const ssa_liberty_cell *nand = ssa_liberty_find(lib, "$_NAND_");
  assert_true(nand->clock_energy_fj == 0);
  /* output pins as a Yosys generic netlist names them */
  assert_true(ssa_liberty_cell_is_output(dff, "Q") && !ssa_liberty_cell_is_output(dff, "C"));
  assert_true(ssa_liberty_cell_is_output(nand, "Y") && !ssa_liberty_cell_is_output(nand, "A"));
}

/* Every row against the NanGate file read now: the constants were transcribed correctly. */
static void test_builtin_matches_nangate(void **state) {
  (void)state;
  ssa_liberty ng;
  read_shared(NANGATE, &ng);
  const ssa_liberty *lib = ssa_cell_table_builtin();
  assert_true(lib->nom_voltage_v == ng.nom_voltage_v);
  for (size_t i = 0; i < lib->count; i++) {
    const ssa_liberty_cell *row = &lib->cells[i];
    const ssa_liberty_cell *c = must_find(&ng, ssa_cell_table_cell(row->name));
    char what[128];
    if (row->area_um2 != c->area_um2)
      fail_msg("%s: area %.17g, %s has %.17g", row->name, row->area_um2, c->name, c->area_um2);
    /* leakage is given to 0.1 nW */
    if (fabs(row->leakage_nw - round(c->leakage_nw * 10) / 10) > 1e-9)
      fail_msg("%s: leakage %g, %s has %g", row->name, row->leakage_nw, c->name, c->leakage_nw);
    snprintf(what, sizeof what, "%s input capacitance", row->name);
    assert_near(row->input_cap_ff, c->input_cap_ff, 1e-6, what);
    snprintf(what, sizeof what, "%s energy per toggle", row->name);
    assert_near(row->energy_per_toggle_fj, c->energy_per_toggle_fj, 1e-6, what);
    snprintf(what, sizeof what, "%s clock energy", row->name);
    assert_near(row->clock_energy_fj, c->clock_energy_fj, 1e-6, what);
    assert_string_equal(row->function, c->function);
    assert_int_equal(row->inputs, c->inputs);
    assert_int_equal(row->outputs, c->outputs);
    assert_int_equal(row->sequential, c->sequential);
    assert_int_equal(row->is_flop, c->is_flop);
    assert_int_equal(row->dont_use, c->dont_use);
  }
  ssa_liberty_free(&ng);
}

int main(int argc, char **argv) {
  static const char *const groups[] = {"parse", "shared", NULL};
  const char *group = ssa_test_group(argc, argv, groups);
  if (group == NULL) return 2;
  if (strcmp(group, "shared") == 0) {
    static const char *const files[] = {NANGATE, SKY130};
    for (unsigned k = 0; k < 2; k++) {
      char path[4096];
      if (!shared_file(files[k], path, sizeof path)) {
        printf("SKIP: SSA_SOURCE_ROOT is not set (run through meson test)\n");
        return SSA_TEST_SKIP;
      }
      if (!ssa_test_have("a shared Liberty library", path)) return SSA_TEST_SKIP;
    }
    const struct CMUnitTest shared[] = {
        cmocka_unit_test(test_nangate),
        cmocka_unit_test(test_sky130),
        cmocka_unit_test(test_sorted_and_find),
        cmocka_unit_test(test_decompress),
        cmocka_unit_test(test_truncated_gzip),
        cmocka_unit_test(test_builtin_matches_nangate),
    };
    return cmocka_run_group_tests_name("liberty shared", shared, NULL, NULL);
  }
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_missing_file),
      cmocka_unit_test(test_units),
      cmocka_unit_test(test_other_units),
      cmocka_unit_test(test_syntax_variants),
      cmocka_unit_test(test_read_errors),
      cmocka_unit_test(test_error_nesting),
      cmocka_unit_test(test_error_tables),
      cmocka_unit_test(test_mutations),
      cmocka_unit_test(test_builtin_design_figures),
      cmocka_unit_test(test_builtin_lookup),
  };
  return cmocka_run_group_tests_name("liberty parse", tests, NULL, NULL);
}
