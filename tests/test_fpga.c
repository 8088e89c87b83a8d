/* test_fpga.c -- the FPGA timing harness and the nextpnr report reader: harness text (ports,
 * chain slices, determinism, errors), its exact cost for tree shapes counted by hand, Verilator
 * and Icarus lint of the harness around small and attention designs, an Icarus simulation
 * checked clock by clock against a model of chain, design and tree; report figures, the choice
 * of clock, skipped nested values, every kind of malformed JSON with its line and column, and
 * truncated reports that must never crash. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../kinds/kinds.h"
#include "../common/process.h"
#include "../core/design.h"
#include "../gen/emit_attention.h"
#include "../core/plan.h"
#include "../synth/fpga_harness.h"
#include "../synth/nextpnr_report.h"
#include "textio.h"

/* ---- small designs ---- */

/* Ports of a hand-made design tiny_top: rst_ni, [in_valid_i], a_i, [b_i], [out_valid_o], y_o.
 * Its Verilog registers y_o = {b_i, a_i} every clock and out_valid_o = in_valid_i (reset to 0),
 * so that outputs equal inputs one clock later. */
typedef struct tiny_shape {
  unsigned a, b;  /* widths of a_i and b_i (0: no b_i) */
  int valid;      /* has in_valid_i and out_valid_o */
} tiny_shape;

static char *tiny_verilog(tiny_shape s) {
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  assert_non_null(f);
  unsigned y = s.a + s.b;
  fprintf(f, "`timescale 1ns / 1ps\n\nmodule tiny_top (\n  input  wire clk_i,\n"
             "  input  wire rst_ni,\n");
  if (s.valid) fprintf(f, "  input  wire in_valid_i,\n");
  fprintf(f, "  input  wire [%u:0] a_i,\n", s.a - 1);
  if (s.b > 0) fprintf(f, "  input  wire [%u:0] b_i,\n", s.b - 1);
  if (s.valid) fprintf(f, "  output wire out_valid_o,\n");
  fprintf(f, "  output wire [%u:0] y_o\n);\n  reg [%u:0] y_q;\n", y - 1, y - 1);
  if (s.valid) fprintf(f, "  reg valid_q;\n");
  fprintf(f, "  always @(posedge clk_i) begin\n");
  if (s.valid) fprintf(f, "    if (!rst_ni) valid_q <= 1'b0;\n    else valid_q <= in_valid_i;\n");
  else fprintf(f, "    if (!rst_ni) y_q <= %u'd0;\n    else ", y);
  fprintf(f, s.b > 0 ? "    y_q <= {b_i, a_i};\n  end\n" : "    y_q <= a_i;\n  end\n");
  if (s.valid) fprintf(f, "  assign out_valid_o = valid_q;\n");
  fprintf(f, "  assign y_o = y_q;\nendmodule\n");
  assert_int_equal(fclose(f), 0);
  return text;
}

static void tiny_design(ssa_design *d, tiny_shape s) {
  memset(d, 0, sizeof *d);
  snprintf(d->kind, sizeof d->kind, "tiny");
  snprintf(d->top, sizeof d->top, "tiny_top");
  snprintf(d->options, sizeof d->options, "--a %u --b %u", s.a, s.b);
  d->latency = 1;
  ssa_design_add_port(d, "rst_ni", 1, 1);
  if (s.valid) ssa_design_add_port(d, "in_valid_i", 1, 1);
  ssa_design_add_port(d, "a_i", s.a, 1);
  if (s.b > 0) ssa_design_add_port(d, "b_i", s.b, 1);
  if (s.valid) ssa_design_add_port(d, "out_valid_o", 1, 0);
  ssa_design_add_port(d, "y_o", s.a + s.b, 0);
  char *text = tiny_verilog(s);
  assert_int_equal(ssa_design_add_file(d, "tiny_top.v", text, strlen(text), 1), 0);
}

/* A design of ports only (no Verilog): rst_ni, `in_bits` of data input in x_i, and outputs
 * split over out_valid_o, in_ready_o and y_o as given (0: no such port). */
static void shape_design(ssa_design *d, unsigned in_bits, unsigned valid, unsigned ready,
                         unsigned y) {
  memset(d, 0, sizeof *d);
  snprintf(d->top, sizeof d->top, "shape_top");
  ssa_design_add_port(d, "rst_ni", 1, 1);
  ssa_design_add_port(d, "in_valid_i", 1, 1);
  if (in_bits > 0) ssa_design_add_port(d, "x_i", in_bits, 1);
  if (valid > 0) ssa_design_add_port(d, "out_valid_o", valid, 0);
  if (ready > 0) ssa_design_add_port(d, "in_ready_o", ready, 0);
  if (y > 0) ssa_design_add_port(d, "y_o", y, 0);
}

static char *emit_ok(const ssa_design *d, size_t *len) {
  char *text = NULL;
  ssa_error err = {{0}};
  if (ssa_fpga_harness_emit(d, &text, len, &err) != 0) fail_msg("harness: %s", err.msg);
  assert_non_null(text);
  assert_int_equal(strlen(text), *len);
  return text;
}

/* The harness text of a tiny design of shape s (the design stays in d). */
static char *tiny_harness(ssa_design *d, tiny_shape s, size_t *len) {
  tiny_design(d, s);
  return emit_ok(d, len);
}

static void assert_contains(const char *text, const char *want) {
  if (strstr(text, want) == NULL) fail_msg("harness lacks \"%s\":\n%s", want, text);
}

static void assert_lacks(const char *text, const char *unwanted) {
  if (strstr(text, unwanted) != NULL) fail_msg("harness has \"%s\":\n%s", unwanted, text);
}

/* ---- harness text ---- */

static void test_harness_text(void **state) {
  (void)state;
  ssa_design d;
  size_t len = 0;
  char *text = tiny_harness(&d, (tiny_shape){2, 3, 1}, &len);
  assert_true(strncmp(text, "// ssa_fpga_harness.v -- FPGA timing harness", 44) == 0);
  assert_contains(text, "// Wraps tiny_top of: ssa gen tiny --a 2 --b 3\n");
  assert_contains(text, "\nmodule ssa_fpga_harness (\n  input  wire clk_i,\n  input  wire rst_ni,\n"
                        "  input  wire in_valid_i,\n  input  wire si_i,\n  output wire so_o\n);");
  /* the chain: 5 bits, a_i at the bottom */
  assert_contains(text, "reg [4:0] chain_q;");
  assert_contains(text, "chain_q <= {chain_q[3:0], si_i};");
  assert_contains(text, "tiny_top u_dut (");
  assert_contains(text, "(chain_q[1:0])");
  assert_contains(text, "(chain_q[4:2])");
  assert_contains(text, ".rst_ni      (rst_ni)");
  assert_contains(text, ".in_valid_i  (in_valid_i)");
  /* tree leaves: out_valid_o at bit 0, then y_o; 6 bits padded to 8 */
  assert_contains(text, "wire [7:0] xor0_w = {2'b0, dut_y_o, dut_out_valid_o};");
  assert_contains(text, "assign so_o = xor2_q[0];");
  assert_contains(text, "// Chain flip-flops: 5. Tree levels: 2, flip-flops: 3, XOR LUTs: 3.");
  /* one emission is byte-identical to the next */
  size_t len2 = 0;
  char *again = emit_ok(&d, &len2);
  assert_int_equal(len, len2);
  assert_memory_equal(text, again, len);
  free(again);
  free(text);
  ssa_design_free(&d);
}

static void test_harness_optional_pins(void **state) {
  (void)state;
  ssa_design d;
  /* no in_valid_i: no such pin; a single data bit: the chain is one flip-flop */
  size_t len = 0;
  char *text = tiny_harness(&d, (tiny_shape){1, 0, 0}, &len);
  assert_lacks(text, "in_valid_i");
  assert_contains(text, "reg [0:0] chain_q;");
  assert_contains(text, "chain_q <= si_i;");
  assert_contains(text, "(chain_q[0])");
  assert_contains(text, "wire [3:0] xor0_w = {3'b0, dut_y_o};");
  assert_contains(text, "assign so_o = xor1_q[0];");
  free(text);
  ssa_design_free(&d);

  /* no data inputs: no chain and no si_i; in_ready_o is a leaf like any output */
  shape_design(&d, 0, 1, 1, 2);
  text = emit_ok(&d, &len);
  assert_lacks(text, "si_i");
  assert_lacks(text, "chain_q");
  assert_contains(text, "wire [3:0] xor0_w = {dut_y_o, dut_in_ready_o, dut_out_valid_o};");
  free(text);
}

static void expect_emit_error(const ssa_design *d, const char *want) {
  char *text = (char *)d;  /* garbage: must become NULL */
  size_t len = 7;
  ssa_error err = {{0}};
  assert_int_equal(ssa_fpga_harness_emit(d, &text, &len, &err), -1);
  assert_null(text);
  assert_int_equal(len, 0);
  assert_string_equal(err.msg, want);
}

static void test_harness_errors(void **state) {
  (void)state;
  ssa_design d;
  shape_design(&d, 8, 0, 0, 0);
  expect_emit_error(&d, "fpga harness: shape_top has no outputs");
  shape_design(&d, 8, 1, 0, 0);
  d.ports[2].width = 0;
  expect_emit_error(&d, "fpga harness: shape_top: port x_i has width 0");
  shape_design(&d, 8, 1, 0, 0);
  ssa_design_add_port(&d, "clk_i", 1, 1);
  expect_emit_error(&d, "fpga harness: shape_top: clk_i is implicit and must not be listed as "
                        "a port");
  shape_design(&d, 8, 1, 0, 0);
  d.top[0] = '\0';
  expect_emit_error(&d, "fpga harness: the design has no top module name");
}

/* ---- cost ---- */

static void expect_cost(unsigned in_bits, unsigned valid, unsigned ready, unsigned y,
                        unsigned flops, unsigned luts, unsigned depth) {
  ssa_design d;
  shape_design(&d, in_bits, valid, ready, y);
  unsigned got_flops = 0, got_luts = 0;
  ssa_fpga_harness_cost(&d, &got_flops, &got_luts);
  if (got_flops != flops || got_luts != luts || ssa_fpga_harness_depth(&d) != depth)
    fail_msg("in %u, outputs %u+%u+%u: %u flops %u luts depth %u, expected %u %u %u", in_bits,
             valid, ready, y, got_flops, got_luts, ssa_fpga_harness_depth(&d), flops, luts,
             depth);
}

/* Trees counted by hand: level widths, then flip-flops (nodes) and LUTs (nodes of 2+ bits). */
static void test_harness_cost(void **state) {
  (void)state;
  expect_cost(0, 0, 0, 1, 1, 0, 1);   /* 1 -> 1 (a plain register) */
  expect_cost(0, 0, 0, 2, 1, 1, 1);   /* 2 -> 1 */
  expect_cost(0, 0, 0, 4, 1, 1, 1);   /* 4 -> 1 */
  expect_cost(0, 0, 0, 5, 3, 2, 2);   /* 5 -> 2 (4 + 1: one LUT) -> 1 */
  expect_cost(0, 0, 0, 6, 3, 3, 2);   /* 6 -> 2 (4 + 2) -> 1 */
  expect_cost(0, 0, 0, 16, 5, 5, 2);  /* 16 -> 4 -> 1 */
  expect_cost(0, 0, 0, 17, 8, 6, 3);  /* 17 -> 5 (4 LUTs + 1) -> 2 (1 LUT + 1) -> 1 */
  /* 300 -> 75 -> 19 (18 + one of 3) -> 5 (4 + one of 3) -> 2 (1 + 1) -> 1 */
  expect_cost(0, 0, 0, 300, 75 + 19 + 5 + 2 + 1, 75 + 19 + 5 + 1 + 1, 5);
  /* the same 300 bits over three ports */
  expect_cost(0, 1, 1, 298, 102, 101, 5);
  /* 16x16 attention: 768 data bits; 257 -> 65 (64 + 1) -> 17 (16 + 1) -> 5 (4 + 1) -> 2 -> 1 */
  expect_cost(768, 1, 0, 256, 768 + 65 + 17 + 5 + 2 + 1, 64 + 16 + 4 + 1 + 1, 5);
  /* the chain is one flip-flop per data bit, and no LUT; rst_ni and in_valid_i cost nothing */
  expect_cost(5, 0, 0, 4, 5 + 1, 1, 1);
  expect_cost(1, 0, 0, 1, 1 + 1, 0, 1);
  /* 4^4 = 256 -> 64 -> 16 -> 4 -> 1; one more bit adds a level */
  expect_cost(0, 0, 0, 256, 85, 85, 4);
  expect_cost(0, 0, 0, 257, 65 + 17 + 5 + 2 + 1, 64 + 16 + 4 + 1 + 1, 5);
  /* NULL outputs are allowed */
  ssa_design d;
  shape_design(&d, 3, 1, 0, 3);
  unsigned flops = 0;
  ssa_fpga_harness_cost(&d, &flops, NULL);
  assert_int_equal(flops, 3 + 1);
}

/* ---- tools ---- */

typedef struct workdir {
  char path[4096];
} workdir;

static void workdir_make(workdir *w) {
  assert_non_null(temp_dir(w->path, sizeof w->path, "ssa-test-fpga"));
}

static void write_in(const workdir *w, const char *name, const char *text, size_t len) {
  char path[4096 + 64];
  snprintf(path, sizeof path, "%s/%s", w->path, name);
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(text, 1, len, f), len);
  assert_int_equal(fclose(f), 0);
}

/* Runs a tool in the work dir; its output goes to `log` there, which is returned (malloc'd). */
static char *run_in(const workdir *w, const char *const argv[], const char *log) {
  char log_path[4096 + 64];
  snprintf(log_path, sizeof log_path, "%s/%s", w->path, log);
  ssa_error err = {{0}};
  int rc = ssa_run_tool("test_fpga", argv, w->path, log_path, &err);
  char *text = NULL;
  if (ssa_read_file(log_path, &text, NULL, NULL) != 0) text = NULL;
  if (rc != 0) fail_msg("%s\n%s", err.msg, text != NULL ? text : "");
  assert_non_null(text);
  return text;
}

/* Writes the design's files and its harness into w; returns the argument list of the files. */
static void write_design(const workdir *w, const ssa_design *d, const char **files,
                         unsigned *count) {
  size_t len = 0;
  char *harness = emit_ok(d, &len);
  write_in(w, "ssa_fpga_harness.v", harness, len);
  free(harness);
  files[0] = "ssa_fpga_harness.v";
  for (unsigned k = 0; k < d->file_count; k++) {
    write_in(w, d->files[k].name, d->files[k].text, d->files[k].len);
    files[k + 1] = d->files[k].name;
  }
  *count = d->file_count + 1;
}

/* Verilator --lint-only -Wall and iverilog -Wall print nothing for the harness with d. */
static void lint(const ssa_design *d) {
  workdir w;
  workdir_make(&w);
  const char *files[SSA_MAX_DESIGN_FILES + 1];
  unsigned count = 0;
  write_design(&w, d, files, &count);
  const char *vl[8 + SSA_MAX_DESIGN_FILES] = {"verilator", "--lint-only", "-Wall", "--top-module",
                                              "ssa_fpga_harness"};
  const char *iv[8 + SSA_MAX_DESIGN_FILES] = {"iverilog", "-Wall", "-o", "lint.vvp"};
  for (unsigned k = 0; k < count; k++) vl[5 + k] = iv[4 + k] = files[k];
  char *log = run_in(&w, vl, "verilator.log");
  if (log[0] != '\0') fail_msg("verilator warns:\n%s", log);
  free(log);
  log = run_in(&w, iv, "iverilog.log");
  if (log[0] != '\0') fail_msg("iverilog warns:\n%s", log);
  free(log);
  ssa_remove_tree(w.path);
}

static void test_harness_lint_tiny(void **state) {
  (void)state;
  static const tiny_shape shapes[] = {{2, 3, 1}, {1, 0, 0}, {13, 50, 1}};
  for (unsigned k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
    ssa_design d;
    tiny_design(&d, shapes[k]);
    lint(&d);
    ssa_design_free(&d);
  }
}

static void test_harness_lint_attention(void **state) {
  (void)state;
  static const enum ssa_share shares[] = {SSA_SHARE_UNIT, SSA_SHARE_GLOBAL};
  for (unsigned k = 0; k < 2; k++) {
    ssa_attention_params p;
    ssa_attention_params_default(&p);
    p.tokens = 4;
    p.dim = 4;
    p.share = shares[k];
    ssa_plan plan;
    ssa_design d;
    memset(&d, 0, sizeof d);
    ssa_error err = {{0}};
    if (ssa_plan_build(&plan, &p, &err) != 0 || ssa_kind_emit(&ssa_kind_attention, &p, &d, &err) != 0)
      fail_msg("attention: %s", err.msg);
    ssa_plan_free(&plan);
    lint(&d);
    ssa_design_free(&d);
  }
}

/* ---- simulation ---- */

static unsigned parity(uint64_t v) {
  unsigned p = 0;
  for (; v != 0; v &= v - 1) p ^= 1;
  return p;
}

/* xorshift64: the stimulus, fixed by the seed */
static uint64_t next_random(uint64_t *s) {
  *s ^= *s << 13;
  *s ^= *s >> 7;
  *s ^= *s << 17;
  return *s;
}

/* Simulates the harness around tiny_top with Icarus, feeding random si_i and in_valid_i, and
 * checks every clock against a model: the data inputs of u_dut equal the chain (the first bit
 * shifted in at the top, a_i at the bottom) and so_o is the parity of the outputs `depth`
 * clocks before. */
static void simulate(tiny_shape s, uint64_t seed) {
  ssa_design d;
  tiny_design(&d, s);
  const unsigned in = s.a + s.b, depth = ssa_fpga_harness_depth(&d);
  const unsigned clocks = in + depth + 48;
  assert_true(in + 1 <= 64);
  workdir w;
  workdir_make(&w);
  const char *files[SSA_MAX_DESIGN_FILES + 2];
  unsigned count = 0;
  write_design(&w, &d, files, &count);

  /* testbench: one step() per clock, the values right after the edge printed */
  char *tb = NULL;
  size_t tb_len = 0;
  FILE *f = open_memstream(&tb, &tb_len);
  assert_non_null(f);
  fprintf(f, "`timescale 1ns / 1ps\n\nmodule tb;\n  reg clk = 1'b0, rst_n = 1'b0, in_valid = 1'b0, "
             "si = 1'b0;\n  wire so;\n  integer t = 0;\n"
             "  ssa_fpga_harness dut (.clk_i(clk), .rst_ni(rst_n), %s.si_i(si), .so_o(so));\n"
             "  always #5 clk = ~clk;\n"
             "  task step(input r, input v, input x);\n    begin\n"
             "      rst_n = r;\n      in_valid = v;\n      si = x;\n"
             "      @(posedge clk);\n      #1;\n      $display(\"%%0d %%b %%b\", t, so, %s);\n"
             "      t = t + 1;\n    end\n  endtask\n  initial begin\n",
          s.valid ? ".in_valid_i(in_valid), " : "",
          s.b > 0 ? "{dut.u_dut.b_i, dut.u_dut.a_i}" : "dut.u_dut.a_i");
  uint64_t rnd = seed, *leaves = calloc(clocks, sizeof *leaves);
  unsigned *stim = calloc(clocks, sizeof *stim);
  assert_non_null(leaves);
  assert_non_null(stim);
  for (unsigned t = 0; t < clocks; t++) {
    uint64_t r = next_random(&rnd);
    unsigned rst_n = t >= 2, valid = s.valid ? (unsigned)(r & 1) : 0, si = (unsigned)(r >> 1 & 1);
    stim[t] = rst_n | valid << 1 | si << 2;
    fprintf(f, "    step(1'b%u, 1'b%u, 1'b%u);\n", rst_n, valid, si);
  }
  fprintf(f, "    $finish;\n  end\nendmodule\n");
  assert_int_equal(fclose(f), 0);
  write_in(&w, "tb.v", tb, tb_len);
  free(tb);
  const char *iv[8 + SSA_MAX_DESIGN_FILES] = {"iverilog", "-Wall", "-o", "sim.vvp", "tb.v"};
  for (unsigned k = 0; k < count; k++) iv[5 + k] = files[k];
  free(run_in(&w, iv, "iverilog.log"));
  const char *vvp[] = {"vvp", "-n", "sim.vvp", NULL};
  char *log = run_in(&w, vvp, "vvp.log");

  /* the model: chain, then tiny_top's registers, then the tree's pipeline */
  const uint64_t mask = in == 64 ? ~0ull : (1ull << in) - 1;
  uint64_t chain = 0, y = 0;
  unsigned valid_q = 0, shifted = 0, checked = 0;
  const char *line = log;
  for (unsigned t = 0; t < clocks; t++) {
    unsigned rst_n = stim[t] & 1, valid = stim[t] >> 1 & 1, si = stim[t] >> 2 & 1;
    y = s.valid || rst_n ? chain : 0;  /* the chain of before the edge (y_q is reset without
                                        * out_valid_o) */
    valid_q = rst_n ? valid : 0;
    chain = (chain << 1 | si) & mask;
    shifted++;
    leaves[t] = (s.valid ? y << 1 | valid_q : y);
    unsigned got_t = 0;
    char so = 0, inputs[80] = "";
    if (line == NULL || sscanf(line, "%u %c %79s", &got_t, &so, inputs) != 3 || got_t != t)
      fail_msg("vvp output ends or is garbled at clock %u:\n%s", t, log);
    line = strchr(line, '\n');
    if (line != NULL) line++;
    if (shifted >= in) {  /* the chain holds no unknown bits */
      assert_int_equal(strlen(inputs), in);
      uint64_t got = strtoull(inputs, NULL, 2);
      if (got != chain)
        fail_msg("clock %u: u_dut data inputs %s, expected %llx", t, inputs,
                 (unsigned long long)chain);
    }
    if (t >= in + depth) {  /* so_o comes from outputs of a full chain */
      char want = (char)('0' + parity(leaves[t - depth]));
      if (so != want) fail_msg("clock %u: so_o %c, expected %c (seed %llu)", t, so, want,
                               (unsigned long long)seed);
      checked++;
    }
  }
  assert_true(checked >= 48);
  free(log);
  free(leaves);
  free(stim);
  ssa_remove_tree(w.path);
  ssa_design_free(&d);
}

static void test_harness_simulation(void **state) {
  (void)state;
  simulate((tiny_shape){7, 14, 1}, 1);   /* 22 outputs: 22 -> 6 -> 2 -> 1, ragged nodes */
  simulate((tiny_shape){13, 50, 1}, 2);  /* 64 outputs: 64 -> 16 -> 4 -> 1, full nodes */
  simulate((tiny_shape){1, 0, 0}, 3);    /* one input bit, one output bit: depth 1 */
  simulate((tiny_shape){2, 3, 0}, 4);    /* 5 outputs: 5 -> 2 -> 1 */
}

/* ---- the nextpnr report ---- */

/* As nextpnr-ice40 0.4 writes it (one line), with a critical path's nested objects and arrays,
 * a second, slower clock the reader must pass over, and escapes in strings. */
static const char real_report[] =
    "{\"critical_paths\": [{\"from\": \"posedge clk_i$SB_IO_IN_$glb_clk\", \"path\": [{\"delay\": "
    "0.54000002145767212, \"from\": {\"cell\": \"u_dut.o_d_SB_LUT4_O_LC\", \"loc\": [11, 13], "
    "\"port\": \"CLK\"}, \"to\": {\"cell\": \"u_dut.state\\\"d\\u00e9\", \"loc\": [16, 16], "
    "\"port\": \"O\"}, \"type\": \"clk-to-q\"}, {\"budget\": 11.406000137329102, \"delay\": "
    "-1.6e-1, \"used\": 99, \"fmax\": {\"x\": 1}}], \"to\": \"posedge clk_i\"}], "
    "\"fmax\": {\"spi_clk\": {\"achieved\": 40.5, \"constraint\": 10}, "
    "\"clk_i$SB_IO_IN_$glb_clk\": {\"achieved\": 85.42627716064453, \"constraint\": 12}}, "
    "\"utilization\": {\"ICESTORM_LC\": {\"available\": 7680, \"used\": 1765}, \"ICESTORM_PLL\": "
    "{\"available\": 2, \"used\": 0}, \"ICESTORM_RAM\": {\"available\": 32, \"used\": 3}, "
    "\"SB_GB\": {\"available\": 8, \"used\": 3}, \"SB_IO\": {\"available\": 256, \"used\": 5}, "
    "\"SB_WARMBOOT\": {\"available\": 1, \"used\": 0}}}\n";

/* Parses a copy of exactly len bytes, so that the sanitizers catch any read past the end. */
static int parse_n(const char *text, size_t len, ssa_nextpnr_report *r, ssa_error *err) {
  char *copy = malloc(len > 0 ? len : 1);
  assert_non_null(copy);
  memcpy(copy, text, len);
  int rc = ssa_nextpnr_report_parse("t.json", copy, len, r, err);
  free(copy);
  return rc;
}

static void parse_ok(const char *text, ssa_nextpnr_report *r) {
  ssa_error err = {{0}};
  if (parse_n(text, strlen(text), r, &err) != 0) fail_msg("report: %s", err.msg);
}

static void expect_error(const char *text, const char *want) {
  ssa_nextpnr_report r;
  memset(&r, 0xa5, sizeof r);
  ssa_error err = {{0}};
  assert_int_equal(parse_n(text, strlen(text), &r, &err), -1);
  assert_string_equal(err.msg, want);
  assert_int_equal(r.lc_used, 0);  /* zeroed on failure */
  assert_true(r.fmax_mhz == 0);
}

static void test_report_read_file(void **state) {
  (void)state;
  workdir w;
  workdir_make(&w);
  write_in(&w, "report.json", real_report, strlen(real_report));
  char path[4096 + 64];
  snprintf(path, sizeof path, "%s/report.json", w.path);
  ssa_nextpnr_report r;
  ssa_error err = {{0}};
  if (ssa_nextpnr_report_read(path, &r, &err) != 0) fail_msg("%s", err.msg);
  /* the clock named clk_i, though spi_clk is slower */
  assert_string_equal(r.clock, "clk_i$SB_IO_IN_$glb_clk");
  assert_true(r.fmax_mhz == 85.42627716064453);
  assert_true(r.constraint_mhz == 12);
  assert_int_equal(r.lc_used, 1765);
  assert_int_equal(r.lc_available, 7680);
  assert_int_equal(r.ram_used, 3);
  assert_int_equal(r.ram_available, 32);
  assert_int_equal(r.io_used, 5);
  assert_int_equal(r.io_available, 256);
  assert_int_equal(r.dsp_used, 0);  /* the HX8K has none */
  assert_int_equal(r.dsp_available, 0);
  ssa_remove_tree(w.path);

  /* a missing file names itself */
  snprintf(path, sizeof path, "%s/report.json", w.path);
  assert_int_equal(ssa_nextpnr_report_read(path, &r, &err), -1);
  assert_non_null(strstr(err.msg, path));
  assert_non_null(strstr(err.msg, "No such file"));
}

static const char util_tail[] =
    "\"utilization\": {\"ICESTORM_LC\": {\"available\": 5280, \"used\": 0},\n"
    "  \"ICESTORM_RAM\": {\"available\": 30, \"used\": 0},\n"
    "  \"SB_IO\": {\"used\": 0, \"available\": 96}";

/* A report whose "fmax" object is `fmax` (with the utilization above): the clock the reader
 * picks, and that clock's Fmax and constraint. */
static void expect_clock(const char *fmax, const char *clock, double mhz, double constraint) {
  char text[2048];
  snprintf(text, sizeof text, "{\"fmax\": %s, %s}}", fmax, util_tail);
  ssa_nextpnr_report r;
  parse_ok(text, &r);
  assert_string_equal(r.clock, clock);
  assert_true(r.fmax_mhz == mhz && r.constraint_mhz == constraint);
}

static void test_report_clocks(void **state) {
  (void)state;
  char text[2048];
  ssa_nextpnr_report r;
  /* no fmax (a design without a clock) is no error; UltraPlus DSPs are read */
  snprintf(text, sizeof text, "{%s, \"ICESTORM_DSP\": {\"available\": 8, \"used\": 2}}}",
           util_tail);
  parse_ok(text, &r);
  assert_true(r.fmax_mhz == 0 && r.constraint_mhz == 0);
  assert_string_equal(r.clock, "");
  assert_int_equal(r.lc_available, 5280);
  assert_int_equal(r.io_available, 96);
  assert_int_equal(r.dsp_used, 2);
  assert_int_equal(r.dsp_available, 8);
  /* an empty fmax too */
  snprintf(text, sizeof text, "{\"fmax\": {}, %s}}", util_tail);
  parse_ok(text, &r);
  assert_true(r.fmax_mhz == 0);
  /* no clock named clk_i: the slowest; a tie keeps the first */
  expect_clock("{\"a\": {\"achieved\": 50, \"constraint\": 12}, \"b\": {\"constraint\": 6, "
               "\"achieved\": 3.25e1}, \"c\": {\"achieved\": 32.5, \"constraint\": 1}}",
               "b", 32.5, 6);
  /* several named clk_i: the slowest of them, even when another clock is slower still */
  expect_clock("{\"x\": {\"achieved\": 1, \"constraint\": 1}, \"clk_i\": {\"achieved\": 90, "
               "\"constraint\": 12}, \"u_pll.clk_i\": {\"achieved\": 70.5, \"constraint\": 24}}",
               "u_pll.clk_i", 70.5, 24);
  /* key escapes are decoded before matching; unknown members, values and keys are skipped */
  snprintf(text, sizeof text, "{\"f\\u006dax\": {\"clk\\u005fi\": {\"achieved\": 0, "
           "\"constraint\": 0.0, \"extra\": [true, false, null, {}, []]}}, \"\\ud83d\\ude00\": "
           "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\", \"n\": [-0, 0.5, 1E+2, 1e-2], %s}}", util_tail);
  parse_ok(text, &r);
  assert_string_equal(r.clock, "clk_i");
  assert_true(r.fmax_mhz == 0);
  /* any amount of JSON whitespace */
  parse_ok(" \t\r\n{ \"utilization\" : { \"ICESTORM_LC\" : { \"used\" : 1 , \"available\" : 2 } ,"
           "\"ICESTORM_RAM\":{\"used\":0,\"available\":0},\"SB_IO\":{\"used\":0,\"available\":0}"
           "} } \r\n",
           &r);
  assert_int_equal(r.lc_used, 1);
}

static void test_report_syntax_errors(void **state) {
  (void)state;
  expect_error("", "t.json:1:1: expected a value (object, array, string, number, true, false "
                   "or null), found the end of the file");
  expect_error("{\n  \"fmax\" {}}", "t.json:2:10: expected ':' after an object key");
  expect_error("{\"a\": 1,}", "t.json:1:9: expected a string key");
  expect_error("{\"a\": 1 \"b\": 2}", "t.json:1:9: expected ',' or '}' after an object member");
  expect_error("[1, 2", "t.json:1:6: expected ',' or ']' after an array element, found the end "
                        "of the file");
  expect_error("[1 2]", "t.json:1:4: expected ',' or ']' after an array element");
  expect_error("{a: 1}", "t.json:1:2: expected a string key");
  expect_error("{\"a\": 01}", "t.json:1:7: number with a leading zero");
  expect_error("{\"a\": 1.}", "t.json:1:9: expected a digit after '.'");
  expect_error("{\"a\": 1e}", "t.json:1:9: expected a digit in the exponent");
  expect_error("{\"a\": -}", "t.json:1:8: expected a digit");
  expect_error("{\"a\": +1}", "t.json:1:7: expected a value (object, array, string, number, "
                              "true, false or null)");
  expect_error("{\"a\": tru}", "t.json:1:7: expected a value (object, array, string, number, "
                               "true, false or null)");
  expect_error("{\"a\": \"x}", "t.json:1:7: string not closed before the end of the file");
  expect_error("{\"a\": \"x\ny\"}", "t.json:1:9: control character in a string (write it "
                                    "\\u00XX)");
  expect_error("{\"a\": \"\\x\"}", "t.json:1:8: unknown escape in a string (JSON has \\\" \\\\ "
                                   "\\/ \\b \\f \\n \\r \\t \\uXXXX)");
  expect_error("{\"a\": \"\\u12g4\"}", "t.json:1:12: expected 4 hex digits after \\u");
  expect_error("{\"a\": \"\\ud800\"}", "t.json:1:8: high surrogate without a low one");
  expect_error("{\"a\": \"\\ud800\\u0041\"}", "t.json:1:8: high surrogate without a low one");
  expect_error("{\"a\": \"\\udc00\"}", "t.json:1:8: low surrogate without a high one");
  expect_error("{} {}", "t.json:1:4: text after the end of the JSON value");
  expect_error("{\n\n  \"a\": [1,\n   2,\n   ]}", "t.json:5:4: expected a value (object, array, "
                                                "string, number, true, false or null)");
  char deep[200];
  memset(deep, '[', 65);
  deep[65] = '\0';
  expect_error(deep, "t.json:1:65: nesting deeper than 64 levels");
  char number[128] = "[";
  memset(number + 1, '1', 101);
  number[102] = ']';
  number[103] = '\0';
  expect_error(number, "t.json:1:2: number longer than 100 characters");
}

static void test_report_content_errors(void **state) {
  (void)state;
  char text[2048];
  expect_error("{}", "t.json: no utilization.ICESTORM_LC (not a report of nextpnr-ice40 "
                     "--report?)");
  expect_error("[{\"utilization\": {}}]", "t.json: no utilization.ICESTORM_LC (not a report of "
                                          "nextpnr-ice40 --report?)");
  expect_error("{\"utilization\": {\"ICESTORM_LC\": {\"used\": 1, \"available\": 2}}}",
               "t.json: no utilization.ICESTORM_RAM (not a report of nextpnr-ice40 --report?)");
  expect_error("{\"utilization\": [1]}", "t.json:1:17: utilization is not an object");
  expect_error("{\"utilization\": {\"SB_IO\": 3}}", "t.json:1:27: utilization.SB_IO is not an "
                                                   "object");
  expect_error("{\"utilization\": {\"SB_IO\": {\"used\": \"5\"}}}",
               "t.json:1:36: utilization.SB_IO.used is not a number");
  expect_error("{\"utilization\": {\"SB_IO\": {\"used\": 2.5}}}",
               "t.json:1:36: utilization.SB_IO.used is 2.5, expected a whole number from 0 to "
               "4294967295");
  expect_error("{\"utilization\": {\"SB_IO\": {\"used\": -1}}}",
               "t.json:1:36: utilization.SB_IO.used is -1, expected a whole number from 0 to "
               "4294967295");
  expect_error("{\"utilization\": {\"SB_IO\": {\"used\": 4294967296}}}",
               "t.json:1:36: utilization.SB_IO.used is 4.29497e+09, expected a whole number "
               "from 0 to 4294967295");
  expect_error("{\"utilization\": {\"SB_IO\": {\"used\": 1}}}",
               "t.json: utilization.SB_IO has no \"available\"");
  expect_error("{\"utilization\": {\"SB_IO\": {\"available\": 1}}}",
               "t.json: utilization.SB_IO has no \"used\"");
  expect_error("{\"fmax\": 85}", "t.json:1:10: fmax is not an object");
  expect_error("{\"fmax\": {\"clk_i\": [85]}}", "t.json:1:20: fmax.clk_i is not an object");
  expect_error("{\"fmax\": {\"clk_i\": {\"achieved\": null}}}",
               "t.json:1:33: fmax.clk_i.achieved is not a number");
  expect_error("{\"fmax\": {\"clk_i\": {\"achieved\": -5}}}",
               "t.json:1:33: fmax.clk_i.achieved is -5, expected a frequency of 0 MHz or more");
  expect_error("{\"fmax\": {\"clk_i\": {\"achieved\": 1e999}}}",
               "t.json:1:33: fmax.clk_i.achieved is inf, expected a frequency of 0 MHz or more");
  snprintf(text, sizeof text, "{\"fmax\": {\"clk_i\": {\"constraint\": 12}}, %s}}", util_tail);
  expect_error(text, "t.json: fmax.clk_i has no \"achieved\"");
  snprintf(text, sizeof text, "{\"fmax\": {\"clk_i\": {\"achieved\": 12}}, %s}}", util_tail);
  expect_error(text, "t.json: fmax.clk_i has no \"constraint\"");
}

/* Every truncation of a report fails cleanly (the sanitizers watch the reads), and so does
 * every single-byte change that makes it malformed; none may crash. */
static void test_report_mutations(void **state) {
  (void)state;
  size_t len = strlen(real_report);
  ssa_nextpnr_report r;
  ssa_error err;
  for (size_t n = 0; n + 1 < len; n++)  /* the last byte is the newline */
    assert_int_equal(parse_n(real_report, n, &r, &err), -1);
  char *copy = malloc(len);
  assert_non_null(copy);
  static const char bytes[] = "{}[]\":,\\0 a-.e\x01\xff";
  for (size_t k = 0; k < len; k++)
    for (size_t b = 0; b + 1 < sizeof bytes; b++) {
      memcpy(copy, real_report, len);
      copy[k] = bytes[b];
      int rc = ssa_nextpnr_report_parse("m.json", copy, len, &r, &err);
      assert_true(rc == 0 || rc == -1);
      if (rc != 0) assert_true(strncmp(err.msg, "m.json", 6) == 0);
    }
  free(copy);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_harness_text),
      cmocka_unit_test(test_harness_optional_pins),
      cmocka_unit_test(test_harness_errors),
      cmocka_unit_test(test_harness_cost),
      cmocka_unit_test(test_harness_lint_tiny),
      cmocka_unit_test(test_harness_lint_attention),
      cmocka_unit_test(test_harness_simulation),
      cmocka_unit_test(test_report_read_file),
      cmocka_unit_test(test_report_clocks),
      cmocka_unit_test(test_report_syntax_errors),
      cmocka_unit_test(test_report_content_errors),
      cmocka_unit_test(test_report_mutations),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
