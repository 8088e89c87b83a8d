/* test_gate_sim.c -- synth/gate_sim.h, SSA's own gate-netlist simulator, on netlists written
 * here by hand in Yosys's JSON form: every gate against its truth table as Yosys's simcells.v
 * defines it; a two-level hierarchy with a flip-flop whose outputs and per-cell toggle counts,
 * per segment, were worked out by hand (below); and the netlists it must refuse. The counts of
 * real netlists are checked against Verilator's toggle coverage in test_synth.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/lfsr.h"
#include "../synth/gate_sim.h"

static void design_of(ssa_design *d, const char *top, const ssa_port *ports, unsigned count) {
  memset(d, 0, sizeof *d);
  snprintf(d->top, sizeof d->top, "%s", top);
  d->port_count = count;
  memcpy(d->ports, ports, count * sizeof *ports);
}

/* ---- every gate against its truth table ---- */

typedef struct gate_case {
  const char *type;
  const char *pins[4];
  int (*expected)(int a, int b, int c, int d);
} gate_case;

/* Yosys's simcells.v: A, B, C, D the inputs (S the select of the multiplexers, as c here). */
static int f_not(int a, int b, int c, int d) { (void)b, (void)c, (void)d; return !a; }
static int f_buf(int a, int b, int c, int d) { (void)b, (void)c, (void)d; return a; }
static int f_and(int a, int b, int c, int d) { (void)c, (void)d; return a && b; }
static int f_nand(int a, int b, int c, int d) { (void)c, (void)d; return !(a && b); }
static int f_or(int a, int b, int c, int d) { (void)c, (void)d; return a || b; }
static int f_nor(int a, int b, int c, int d) { (void)c, (void)d; return !(a || b); }
static int f_xor(int a, int b, int c, int d) { (void)c, (void)d; return a != b; }
static int f_xnor(int a, int b, int c, int d) { (void)c, (void)d; return a == b; }
static int f_andnot(int a, int b, int c, int d) { (void)c, (void)d; return a && !b; }
static int f_ornot(int a, int b, int c, int d) { (void)c, (void)d; return a || !b; }
static int f_mux(int a, int b, int s, int d) { (void)d; return s ? b : a; }
static int f_nmux(int a, int b, int s, int d) { (void)d; return !(s ? b : a); }
static int f_aoi3(int a, int b, int c, int d) { (void)d; return !((a && b) || c); }
static int f_oai3(int a, int b, int c, int d) { (void)d; return !((a || b) && c); }
static int f_aoi4(int a, int b, int c, int d) { return !((a && b) || (c && d)); }
static int f_oai4(int a, int b, int c, int d) { return !((a || b) && (c || d)); }

static const gate_case gates[] = {
  {"$_NOT_", {"A"}, f_not},           {"$_BUF_", {"A"}, f_buf},
  {"$_AND_", {"A", "B"}, f_and},      {"$_NAND_", {"A", "B"}, f_nand},
  {"$_OR_", {"A", "B"}, f_or},        {"$_NOR_", {"A", "B"}, f_nor},
  {"$_XOR_", {"A", "B"}, f_xor},      {"$_XNOR_", {"A", "B"}, f_xnor},
  {"$_ANDNOT_", {"A", "B"}, f_andnot}, {"$_ORNOT_", {"A", "B"}, f_ornot},
  {"$_MUX_", {"A", "B", "S"}, f_mux}, {"$_NMUX_", {"A", "B", "S"}, f_nmux},
  {"$_AOI3_", {"A", "B", "C"}, f_aoi3}, {"$_OAI3_", {"A", "B", "C"}, f_oai3},
  {"$_AOI4_", {"A", "B", "C", "D"}, f_aoi4}, {"$_OAI4_", {"A", "B", "C", "D"}, f_oai4},
};

/* One gate between a 4-bit input port (bits 3..6) and a 1-bit output (bit 7), run through all
 * 16 input values, one per clock. */
static void gate_truth_tables(void **state) {
  (void)state;
  const ssa_port ports[] = {{"in_i", 4, 1}, {"y_o", 1, 0}};
  ssa_design d;
  design_of(&d, "g", ports, 2);
  for (size_t k = 0; k < sizeof gates / sizeof gates[0]; k++) {
    const gate_case *g = &gates[k];
    char conns[256] = "";
    for (unsigned p = 0; p < 4 && g->pins[p] != NULL; p++)
      snprintf(conns + strlen(conns), sizeof conns - strlen(conns), "\"%s\": [%u], ", g->pins[p],
               3 + p);
    char json[1024];
    snprintf(json, sizeof json,
             "{\"modules\": {\"g\": {\"ports\": {\"clk_i\": {\"direction\": \"input\", "
             "\"bits\": [2]}, \"in_i\": {\"direction\": \"input\", \"bits\": [3, 4, 5, 6]}, "
             "\"y_o\": {\"direction\": \"output\", \"bits\": [7]}}, \"cells\": {\"x\": "
             "{\"type\": \"%s\", \"connections\": {%s\"Y\": [7]}}}}}}", g->type, conns);
    ssa_vectors v;
    ssa_error err;
    if (ssa_vectors_init(&v, &d, 16, &err) != 0) fail_msg("%s", err.msg);
    for (unsigned c = 0; c < 16; c++) ssa_vectors_in(&v, c, 0)[0] = c;
    uint64_t actual[16] = {0};
    ssa_gate_sim_result r;
    if (ssa_gate_sim_run("g.json", json, &v, NULL, 0, actual, &r, &err) != 0)
      fail_msg("%s: %s", g->type, err.msg);
    for (unsigned c = 0; c < 16; c++) {
      int want = g->expected(c & 1, c >> 1 & 1, c >> 2 & 1, c >> 3 & 1);
      if ((int)actual[c] != want)
        fail_msg("%s with inputs %u: %d, its truth table says %d", g->type, c, (int)actual[c],
                 want);
    }
    ssa_gate_sim_free(&r);
    ssa_vectors_free(&v);
  }
}

/* ---- a hierarchy, a flip-flop and the toggle counts ---- */

/* Two half adders (module "half": s = x ^ z, c = x & z) in a chain and a flip-flop that
 * toggles through an inverter:
 *   u1: x = a_i, z = b_i[0] -> s1, c1      u2: x = b_i[1], z = s1 -> s2, c2
 *   y_o = {c1, c2, s2}                      q_o = Q, D = ~Q  */
static const char hierarchy_json[] =
    "{\"modules\": {"
    "\"half\": {\"ports\": {\"x\": {\"direction\": \"input\", \"bits\": [2]},"
    "  \"z\": {\"direction\": \"input\", \"bits\": [3]},"
    "  \"s\": {\"direction\": \"output\", \"bits\": [4]},"
    "  \"c\": {\"direction\": \"output\", \"bits\": [5]}},"
    " \"cells\": {\"x1\": {\"type\": \"$_XOR_\", \"connections\": {\"A\": [2], \"B\": [3], "
    "\"Y\": [4]}},"
    "  \"a1\": {\"type\": \"$_AND_\", \"connections\": {\"A\": [2], \"B\": [3], \"Y\": [5]}}}},"
    "\"t\": {\"ports\": {\"clk_i\": {\"direction\": \"input\", \"bits\": [2]},"
    "  \"a_i\": {\"direction\": \"input\", \"bits\": [3]},"
    "  \"b_i\": {\"direction\": \"input\", \"bits\": [4, 5]},"
    "  \"y_o\": {\"direction\": \"output\", \"bits\": [6, 7, 11]},"
    "  \"q_o\": {\"direction\": \"output\", \"bits\": [8]}},"
    " \"cells\": {"
    "  \"u1\": {\"type\": \"half\", \"connections\": {\"x\": [3], \"z\": [4], \"s\": [10], "
    "\"c\": [11]}},"
    "  \"u2\": {\"type\": \"half\", \"connections\": {\"x\": [5], \"z\": [10], \"s\": [6], "
    "\"c\": [7]}},"
    "  \"n\": {\"type\": \"$_NOT_\", \"connections\": {\"A\": [8], \"Y\": [12]}},"
    "  \"f\": {\"type\": \"$_DFF_P_\", \"connections\": {\"C\": [2], \"D\": [12], \"Q\": [8]}}"
    "}}}}";

static const ssa_gate_sim_cell *cell_of(const ssa_gate_sim_result *r, const char *module,
                                        const char *type) {
  for (size_t k = 0; k < r->cell_count; k++)
    if (strcmp(r->modules[r->cells[k].module], module) == 0 &&
        strcmp(r->cells[k].type, type) == 0)
      return &r->cells[k];
  fail_msg("no %s in %s", type, module);
  return NULL;
}

static void hierarchy_and_toggles(void **state) {
  (void)state;
  const ssa_port ports[] = {{"a_i", 1, 1}, {"b_i", 2, 1}, {"y_o", 3, 0}, {"q_o", 1, 0}};
  ssa_design d;
  design_of(&d, "t", ports, 4);
  ssa_vectors v;
  ssa_error err;
  if (ssa_vectors_init(&v, &d, 4, &err) != 0) fail_msg("%s", err.msg);
  const unsigned a[4] = {1, 1, 0, 1}, b[4] = {0, 1, 2, 3};
  for (unsigned c = 0; c < 4; c++) {
    ssa_vectors_in(&v, c, 0)[0] = a[c];
    ssa_vectors_in(&v, c, 1)[0] = b[c];
  }
  uint64_t actual[8] = {0};
  ssa_gate_sim_result r;
  const unsigned marks[1] = {2};
  if (ssa_gate_sim_run("t.json", hierarchy_json, &v, marks, 1, actual, &r, &err) != 0)
    fail_msg("%s", err.msg);
  /* By hand, inputs as seen after each clock's edge, state after it:
   *   clock  a b1 b0 | s1 c1 | s2 c2 | y_o (c1 c2 s2) | Q
   *   0      1 0  0  | 1  0  | 1  0  | 001 = 1        | 1
   *   1      1 0  1  | 0  1  | 0  0  | 100 = 4        | 0
   *   2      0 1  0  | 0  0  | 1  0  | 001 = 1        | 1
   *   3      1 1  1  | 0  1  | 1  0  | 101 = 5        | 0  */
  const uint64_t y[4] = {1, 4, 1, 5}, q[4] = {1, 0, 1, 0};
  for (unsigned c = 0; c < 4; c++) {
    assert_int_equal(*ssa_vectors_out(&v, actual, c, 2), y[c]);
    assert_int_equal(*ssa_vectors_out(&v, actual, c, 3), q[c]);
  }
  assert_int_equal(r.instances, 6);  /* 2 x (XOR, AND), NOT, DFF */
  assert_int_equal(r.cell_count, 4);
  assert_int_equal(r.segments, 2);
  /* Toggles against the previous clock (before clock 0 everything is 0, and the first settling
   * counts with clock 0), both instances summed; segment 0 is clocks 0-1, segment 1 clocks 2-3:
   *   XOR: s1 at 0, 1; s2 at 0, 1, 2            -> 4, 1
   *   AND: c1 at 1, 2, 3; c2 never               -> 1, 2
   *   DFF: Q at every clock                      -> 2, 2
   *   NOT: ~Q: the first settling, then every clock -> 3, 2 */
  const ssa_gate_sim_cell *x = cell_of(&r, "half", "$_XOR_"), *n = cell_of(&r, "t", "$_NOT_");
  const ssa_gate_sim_cell *and = cell_of(&r, "half", "$_AND_"), *f = cell_of(&r, "t", "$_DFF_P_");
  assert_int_equal(x->toggles[0], 4);
  assert_int_equal(x->toggles[1], 1);
  assert_int_equal(and->toggles[0], 1);
  assert_int_equal(and->toggles[1], 2);
  assert_int_equal(f->toggles[0], 2);
  assert_int_equal(f->toggles[1], 2);
  assert_int_equal(n->toggles[0], 3);
  assert_int_equal(n->toggles[1], 2);
  ssa_gate_sim_free(&r);
  ssa_vectors_free(&v);
}

/* ---- an LFSR left a black box, built from its parameters ---- */

static void binary(char *out, uint64_t v, unsigned bits) {
  for (unsigned k = 0; k < bits; k++) out[k] = (char)('0' + (v >> (bits - 1 - k) & 1u));
  out[bits] = '\0';
}

/* The cell Yosys writes for an ssa_lfsr read with -lib (synth.c, the surroundings of parts):
 * type ssa_lfsr, its parameters as binary strings. Its state after each clock against
 * core/lfsr.h's leap, the RTL's convention: reset loads SEED, an enabled clock leaps WIDTH
 * shifts, a disabled one holds. */
static void lfsr_black_box(void **state) {
  (void)state;
  enum { W = 8, CLOCKS = 12 };
  const uint64_t taps = ssa_lfsr_taps(W), seed = 0xa7;
  char width_s[40], taps_s[40], seed_s[40], json[2048];
  binary(width_s, W, 32);
  binary(taps_s, taps, W);
  binary(seed_s, seed, W);
  snprintf(json, sizeof json,
           "{\"modules\": {"
           "\"ssa_lfsr\": {\"attributes\": {\"blackbox\": \"00000000000000000000000000000001\"},"
           " \"ports\": {}, \"cells\": {}},"
           "\"t\": {\"ports\": {\"clk_i\": {\"direction\": \"input\", \"bits\": [2]},"
           "  \"rst_ni\": {\"direction\": \"input\", \"bits\": [3]},"
           "  \"en_i\": {\"direction\": \"input\", \"bits\": [4]},"
           "  \"s_o\": {\"direction\": \"output\", \"bits\": [5, 6, 7, 8, 9, 10, 11, 12]}},"
           " \"cells\": {\"u\": {\"type\": \"ssa_lfsr\", \"parameters\": {\"WIDTH\": \"%s\","
           " \"TAPS\": \"%s\", \"SEED\": \"%s\"}, \"connections\": {\"clk_i\": [2], "
           "\"rst_ni\": [3], \"en_i\": [4], \"state_o\": [5, 6, 7, 8, 9, 10, 11, 12]}}}}}}",
           width_s, taps_s, seed_s);
  const ssa_port ports[] = {{"rst_ni", 1, 1}, {"en_i", 1, 1}, {"s_o", W, 0}};
  ssa_design d;
  design_of(&d, "t", ports, 3);
  ssa_vectors v;
  ssa_error err;
  if (ssa_vectors_init(&v, &d, CLOCKS, &err) != 0) fail_msg("%s", err.msg);
  const unsigned rst_n[CLOCKS] = {0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1};
  const unsigned en[CLOCKS] = {1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 1, 0};
  for (unsigned c = 0; c < CLOCKS; c++) {
    ssa_vectors_in(&v, c, 0)[0] = rst_n[c];
    ssa_vectors_in(&v, c, 1)[0] = en[c];
  }
  uint64_t actual[CLOCKS];
  ssa_gate_sim_result r;
  if (ssa_gate_sim_run("t.json", json, &v, NULL, 0, actual, &r, &err) != 0)
    fail_msg("%s", err.msg);
  /* A clock's edge takes the inputs of the clock before (the harness's registers): before
   * clock 0 they are all 0, so reset. */
  uint64_t expect = 0;
  for (unsigned c = 0; c < CLOCKS; c++) {
    unsigned r_n = c > 0 ? rst_n[c - 1] : 0, e = c > 0 ? en[c - 1] : 0;
    expect = !r_n ? seed : e ? ssa_lfsr_leap(expect, taps, W) : expect;
    assert_int_equal(*ssa_vectors_out(&v, actual, c, 2), expect);
  }
  ssa_gate_sim_free(&r);
  ssa_vectors_free(&v);
}

/* ---- netlists it must refuse ---- */

static void refused(const char *cells, const char *why) {
  const ssa_port ports[] = {{"a_i", 1, 1}, {"y_o", 1, 0}};
  ssa_design d;
  design_of(&d, "t", ports, 2);
  char json[2048];
  snprintf(json, sizeof json,
           "{\"modules\": {\"t\": {\"ports\": {\"clk_i\": {\"direction\": \"input\", "
           "\"bits\": [2]}, \"a_i\": {\"direction\": \"input\", \"bits\": [3]}, \"y_o\": "
           "{\"direction\": \"output\", \"bits\": [4]}}, \"cells\": {%s}}}}", cells);
  ssa_vectors v;
  ssa_error err;
  if (ssa_vectors_init(&v, &d, 2, &err) != 0) fail_msg("%s", err.msg);
  uint64_t actual[2];
  ssa_gate_sim_result r;
  int rc = ssa_gate_sim_run("t.json", json, &v, NULL, 0, actual, &r, &err);
  ssa_vectors_free(&v);
  if (rc == 0) fail_msg("accepted a netlist with %s", why);
  if (strstr(err.msg, why) == NULL) fail_msg("'%s' does not say '%s'", err.msg, why);
}

static void bad_netlists(void **state) {
  (void)state;
  refused("\"l\": {\"type\": \"$_DLATCH_P_\", \"connections\": {\"E\": [3], \"D\": [3], "
          "\"Q\": [4]}}", "not one the gate simulator knows");
  refused("\"n1\": {\"type\": \"$_NOT_\", \"connections\": {\"A\": [5], \"Y\": [4]}}, "
          "\"n2\": {\"type\": \"$_NOT_\", \"connections\": {\"A\": [4], \"Y\": [5]}}",
          "combinational loop");
  refused("\"n1\": {\"type\": \"$_NOT_\", \"connections\": {\"A\": [3], \"Y\": [4]}}, "
          "\"n2\": {\"type\": \"$_BUF_\", \"connections\": {\"A\": [3], \"Y\": [4]}}",
          "driven already");
  refused("\"f\": {\"type\": \"$_DFF_P_\", \"connections\": {\"C\": [3], \"D\": [3], "
          "\"Q\": [4]}}", "clocked by another net");
  refused("\"n\": {\"type\": \"$_NOT_\", \"connections\": {\"A\": [3, 3], \"Y\": [4]}}",
          "no single-bit pin A");
  refused("\"u\": {\"type\": \"ssa_lfsr\", \"parameters\": {\"WIDTH\": \"10\", \"TAPS\": "
          "\"11\"}, \"connections\": {\"clk_i\": [2], \"rst_ni\": [3], \"en_i\": [3], "
          "\"state_o\": [4, 5]}}", "has no parameter SEED");
  refused("\"u\": {\"type\": \"ssa_lfsr\", \"parameters\": {\"WIDTH\": \"10\", \"TAPS\": "
          "\"11\", \"SEED\": \"01\"}, \"connections\": {\"clk_i\": [2], \"rst_ni\": [3], "
          "\"en_i\": [3], \"state_o\": [4]}}", "pin state_o does not have 2 bits");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(gate_truth_tables),
      cmocka_unit_test(hierarchy_and_toggles),
      cmocka_unit_test(lfsr_black_box),
      cmocka_unit_test(bad_netlists),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
