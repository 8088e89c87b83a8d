/* test_cli.c -- the `ssa` program as a user meets it: bad input gives one line naming the
 * problem, exit status 2 and no file left behind; generated files are deterministic and lint
 * clean; the generated testbench passes; the three engines print byte-identical output; a
 * mismatch is reported with cycle, output, values, seed, a reproducing command and a waveform.
 * The binary under test comes from $SSA_BIN (set by meson). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../common/process.h"
#include "run_ssa.h"
#include "textio.h"

static char workdir[4096];

/* Runs argv in `cwd`, capturing both streams (run_ssa.h). */
static result run_in(const char *cwd, const char *const *argv) {
  return run_captured(workdir, cwd, argv);
}

static result run(const char *const *argv) { return run_in(workdir, argv); }

static unsigned count_lines(const char *s) {
  unsigned n = 0;
  for (; *s; s++) n += *s == '\n';
  return n;
}

/* Number of entries in dir other than . and the capture files. */
static unsigned entries(const char *dir) {
  DIR *d = opendir(dir);
  if (d == NULL) return 0;
  unsigned n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) n += e->d_name[0] != '.';
  closedir(d);
  return n;
}

/* The Verilog files of a generated design in dir, sorted, into names (each malloc'd); the
 * testbench (tb_*.v) only when with_tb. The top module instantiates its part modules
 * (ssa_part_*.v, one file each), so the tools get every file gen wrote, not a fixed list. */
static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static unsigned verilog_files(const char *dir, int with_tb, char **names, unsigned max) {
  DIR *d = opendir(dir);
  if (d == NULL) fail_msg("cannot open %s", dir);
  unsigned n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    size_t len = strlen(e->d_name);
    if (len < 3 || strcmp(e->d_name + len - 2, ".v") != 0) continue;
    if (!with_tb && strncmp(e->d_name, "tb_", 3) == 0) continue;
    if (n == max) fail_msg("%s: more than %u Verilog files", dir, max);
    names[n] = strdup(e->d_name);
    assert_non_null(names[n]);
    n++;
  }
  closedir(d);
  qsort(names, n, sizeof *names, by_name);
  return n;
}

static void make_workdir(void) {
  assert_non_null(temp_dir(workdir, sizeof workdir, "ssa-test-cli"));
}

static int setup(void **state) {
  (void)state;
  make_workdir();
  return 0;
}

static int teardown(void **state) {
  (void)state;
  ssa_remove_tree(workdir);
  return 0;
}

static void write_text(const char *name, const char *text) {
  char path[4200];
  snprintf(path, sizeof path, "%s/%s", workdir, name);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

/* Bad input: exit status 2, exactly one line on stderr, starting "ssa: " and containing
 * `expect`, nothing on stdout, and the work directory as empty as before. */
static void expect_usage_error(const char *const *argv, const char *expect) {
  unsigned before = entries(workdir);
  result r = run(argv);
  if (r.status != 2 || count_lines(r.err) != 1 || strncmp(r.err, "ssa: ", 5) != 0 ||
      strstr(r.err, expect) == NULL || r.out[0] != '\0')
    fail_msg("%s ...: status %d, stderr '%s', stdout '%.80s'; wanted status 2 and '%s'", argv[1],
             r.status, r.err, r.out, expect);
  assert_int_equal(entries(workdir), before);
  result_free(&r);
}

/* Each case: a command line (its words separated by single spaces), then what the one line it
 * must be refused with contains. */
typedef struct usage_case {
  const char *line, *want;
} usage_case;

static void expect_usage_errors(const usage_case *cases, size_t count) {
  for (size_t k = 0; k < count; k++) {
    char words[512];
    const char *argv[32];
    unsigned n = 0;
    snprintf(words, sizeof words, "%s", cases[k].line);
    for (char *w = strtok(words, " "); w != NULL && n < 31; w = strtok(NULL, " ")) argv[n++] = w;
    argv[n] = NULL;
    expect_usage_error(argv, cases[k].want);
  }
}

/* A bad value of an attention option: the same message from ssa gen and from ssa sim. */
static void expect_value_refused(const char *opt, const char *value, const char *expect) {
  const char *gen[] = {"ssa", "gen", "attention", opt, value, "--out", "out", NULL};
  expect_usage_error(gen, expect);
  const char *sim[] = {"ssa", "sim", "attention", "--rate", "0.5", opt, value, "--out", "o.txt",
                       NULL};
  expect_usage_error(sim, expect);
}

static void bad_design_options(void **state) {
  (void)state;
  struct {
    const char *opt, *value, *expect;
  } cases[] = {
      {"--tokens", "0", "--tokens 0: must be a power of two from 2 to 256"},
      {"--tokens", "-4", "--tokens -4: must not be negative"},
      {"--tokens", "12", "--tokens 12: must be a power of two from 2 to 256"},
      {"--tokens", "512", "--tokens 512: must be a power of two from 2 to 256"},
      {"--tokens", "1", "--tokens 1: must be a power of two"},
      {"--dim", "0", "--dim 0: must be a power of two from 2 to 256"},
      {"--dim", "-2", "--dim -2: must not be negative"},
      {"--dim", "24", "--dim 24: must be a power of two"},
      {"--dim", "1024", "--dim 1024: must be a power of two from 2 to 256"},
      {"--heads", "0", "--heads 0: must be from 1 to 16"},
      {"--heads", "17", "--heads 17: must be from 1 to 16"},
      {"--prng-width", "3", "--prng-width 3: must be from 4 to 31"},
      {"--prng-width", "32", "--prng-width 32: must be from 4 to 31"},
      {"--reduce", "add", "--reduce add: must be mux or count"},
      {"--share", "all", "--share all: must be unit, row, global or row-global"},
      {"--seed", "x1", "--seed x1: not a number"},
      {"--tokens", "abc", "--tokens abc: not a number"},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
    expect_value_refused(cases[k].opt, cases[k].value, cases[k].expect);
  /* the largest sizes need more distinct LFSR seeds than 16 bits hold */
  const char *big[] = {"ssa", "gen", "attention", "--tokens", "256", "--dim", "256", "--heads", "2",
                       "--random", "lfsr", "--out", "out", NULL};
  expect_usage_error(big, "distinct non-zero seeds");
}

/* Bad command lines: one line each naming the problem, exit status 2, nothing written. */
static void bad_command_lines(void **state) {
  (void)state;
  write_text("bad.lib", "library (bad) {\n  cell (INV) {\n    area : 1.0 ;\n    pin (A) {\n"
                        "      direction : input \"x\" ;\n    }\n  }\n}\n");
  write_text("cut.lib", "library (cut) {\n  cell (INV) {\n    area : 1.0 ;\n");
  write_text("bad.weights", "ssa-net 1\nmodel snn-sc\nembed 32\nheads 2\nhidden 64\n"
                            "steps 10\nshare diagonal\n");
  static const usage_case cases[] = {
      /* ssa gen and ssa sim */
      {"ssa gen attention --frobnicate 3",
       "unknown option '--frobnicate'"},
      {"ssa gen attention --tokens",
       "--tokens needs a value"},
      {"ssa gen softmax",
       "unknown kind 'softmax'"},
      /* numbers are decimal; an option is not a value */
      {"ssa gen attention --tokens 0x10",
       "--tokens 0x10: not a number"},
      {"ssa gen attention --tokens 010",
       "--tokens 010: must be a power of two from 2 to 256"},
      {"ssa gen attention --out --help",
       "--out needs a value, not the option '--help' (write --out=--help for a value that "
       "starts with --)"},
      {"ssa sim attention --rate 0.5 --out --summary",
       "--out needs a value, not the option '--summary'"},
      {"ssa frob",
       "unknown command 'frob'"},
      {"ssa sim attention --steps 4",
       "give exactly one of --input FILE and --rate P"},
      {"ssa sim attention --rate 0.5 --engine spice",
       "--engine spice: must be golden, verilator or icarus"},
      {"ssa sim attention --rate 1.5",
       "--rate 1.5: must be from 0 to 1"},
      {"ssa sim attention --rate 0.5 --steps 0",
       "--steps 0: must be at least 1"},
      {"ssa sim attention --tokens 256 --dim 256 --heads 16 --rate 0.5 --steps 1000000",
       "--steps 1000000: the inputs and outputs of 1000000 steps of this design take 524 GB"},
      {"ssa sim attention --rate 0.5 --trace x.fst",
       "--trace needs --engine verilator or icarus"},
      {"ssa sim attention --input absent.txt",
       "absent.txt: No such file or directory"},
      /* ssa synth / energy / report: bad flows, missing and malformed Liberty files, options
       * that do not go together */
      {"ssa synth attention --flow spice",
       "--flow spice: unknown flow (generic, liberty, ice40 or xilinx)"},
      {"ssa synth softmax",
       "unknown kind 'softmax'"},
      {"ssa energy",
       "energy: which kind?"},
      {"ssa synth lif --flow liberty",
       "--flow liberty needs --liberty FILE"},
      {"ssa synth lif --liberty absent.lib",
       "absent.lib: cannot open"},
      {"ssa energy lif --liberty bad.lib",
       "bad.lib:5:"},
      {"ssa synth lif --liberty cut.lib",
       "cut.lib:"},
      {"ssa synth lif --flow ice40 --liberty bad.lib",
       "--liberty applies to the liberty flow, not --flow ice40"},
      {"ssa energy lif --flow xilinx",
       "energy is estimated on an ASIC netlist"},
      {"ssa synth lif --flow ice40 --device ecp5",
       "--device ecp5: unknown iCE40 device"},
      {"ssa energy lif --steps 0",
       "--steps 0"},
      {"ssa report --sizes 8",
       "unknown option '--sizes'"},
      /* ssa train and ssa eval */
      {"ssa train --model cnn --out w",
       "--model cnn: expected ann, snn-exact or snn-sc"},
      {"ssa train --model ann",
       "train: --out FILE is required"},
      {"ssa train --model snn-sc --heads 3 --out w",
       "--heads 3: must divide --embed 64"},
      {"ssa train --model ann --steps 4 --out w",
       "--steps 4: the ANN runs one step"},
      {"ssa train --model ann --data absent --out w",
       "absent/train-images-idx3-ubyte.gz: cannot open"},
      /* 0 is refused, never read as "the default" */
      {"ssa train --model snn-sc --embed 0 --out w",
       "--embed 0: must be at least 1"},
      {"ssa train --model snn-sc --heads 0 --out w",
       "--heads 0: must be at least 1"},
      {"ssa train --model snn-sc --hidden 0 --out w",
       "--hidden 0: must be at least 1"},
      {"ssa train --model snn-sc --threads 0 --out w",
       "--threads 0: must be at least 1"},
      {"ssa eval --threads 0 --weights absent.weights",
       "--threads 0: must be at least 1"},
      {"ssa train --model snn-sc --lif-beta= --out w",
       "--lif-beta : expected a number from 0 to 1"},
      {"ssa weights block --embed 8 --hidden 0 --out w",
       "--hidden 0: must be at least 1"},
      {"ssa eval --weights absent.weights",
       "absent.weights"},
      {"ssa eval --weights bad.weights",
       "bad.weights:7: unknown share mode"},
  };
  expect_usage_errors(cases, sizeof cases / sizeof cases[0]);
}

/* A 2 x 2 design (--tokens 2 --dim 2): malformed spike files, each named with its line. */
static void bad_spike_files(void **state) {
  (void)state;
  struct {
    const char *text, *expect;
  } cases[] = {
      {"step 0\nQ\n01\n10\nK\n011\n10\nV\n11\n00\n", "bad.txt:6: row has 3 characters, expected 2"},
      {"step 0\nQ\n01\n1x\nK\n01\n10\nV\n11\n00\n", "bad.txt:4: bad character 'x'"},
      {"step 0\nQ\n01\n10\nK\n01\n10\nstep 1\n", "bad.txt:8: step 0 has no block V"},
      {"step 0\nQ\n01\n10\nK\n01\n10\nV\n11\n00\nstep 1\nQ\n01\n10\nK\n01\n", "bad.txt:17: end of file: step 1 ends after 1 of 2 rows of K"},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    write_text("bad.txt", cases[k].text);
    const char *sim[] = {"ssa", "sim", "attention", "--tokens", "2", "--dim", "2", "--input",
                         "bad.txt", "--out", "o.txt", NULL};
    expect_usage_error(sim, cases[k].expect);
    char path[4200];
    snprintf(path, sizeof path, "%s/bad.txt", workdir);
    unlink(path);
  }
}

/* The spiking-layer kinds: bad options, bad weights files and bad stimulus files, each one
 * line naming the option or file:line, exit status 2 and nothing written. */
static void bad_layer_inputs(void **state) {
  (void)state;
  write_text("w.txt", "layer linear 2 3\n1 -2 3\n4 5 -6\n");
  write_text("range.txt", "layer linear 2 3\n1 -2 3\n4 200 -6\n");
  write_text("twice.txt", "layer linear 1 1\n1\nlayer linear 1 1\n2\n");
  write_text("short.txt", "layer linear 3 3\n1 2 3\n4 5 6\n");
  write_text("block.txt", "layer q 2 2\n1 1\n1 1\nlayer k 2 2\n1 1\n1 1\nlayer v 2 2\n1 1\n1 1\n"
                          "layer o 2 2\n1 1\n1 1\nlayer fc1 8 2\n1 1\n1 1\n1 1\n1 1\n1 1\n1 1\n1 1\n1 1\n");
  write_text("cur.txt", "1 2 3\n4 x 6\n");
  write_text("few.txt", "1 2 3\n4 5\n");
  write_text("cut.txt", "1 2 3\n30 40 5");  /* cut inside its last number: 50 was 5 */
  write_text("big.txt", "1 2 40000\n");
  write_text("enc.txt", "255 256 0\n");
  static const struct {
    const char *argv[16];
    const char *expect;
  } cases[] = {
      {{"gen", "linear", "--inputs", "4", "--outputs", "2", "--weights", "w.txt"},
       "w.txt:1: layer linear is 2 x 3, the block needs 2 x 4"},
      {{"gen", "linear", "--inputs", "3", "--outputs", "2", "--weights", "range.txt"},
       "range.txt:3: weight 200 out of range for --weight-bits 8 (-128 to 127)"},
      {{"gen", "linear", "--inputs", "1", "--outputs", "1", "--weights", "twice.txt"},
       "twice.txt:3: layer linear already defined at line 1"},
      {{"gen", "linear", "--inputs", "3", "--outputs", "3", "--weights", "short.txt"},
       "short.txt:4: end of file: layer linear ends after 2 of 3 rows"},
      {{"gen", "linear", "--inputs", "3", "--outputs", "2", "--weights", "absent.txt"},
       "absent.txt: No such file or directory"},
      {{"gen", "linear", "--inputs", "3", "--outputs", "2"}, "--weights FILE is required"},
      {{"gen", "linear", "--inputs", "3", "--outputs", "2", "--weights", "w.txt", "--fold", "4"},
       "--fold 4: at most --inputs 3"},
      {{"gen", "block", "--tokens", "2", "--embed", "2", "--heads", "1", "--weights", "block.txt"},
       "block.txt: no layer 'fc2' (the block needs layers q, k, v, o, fc1, fc2)"},
      {{"gen", "block", "--tokens", "2", "--embed", "24", "--heads", "2", "--weights", "block.txt"},
       "--embed 24: must be --heads 2 times a power of two from 2 to 256"},
      {{"gen", "block", "--weights", "block.txt", "--attention", "softmax"},
       "--attention softmax: must be ssa or exact"},
      {{"gen", "lif", "--neurons", "0"}, "--neurons 0: must be from 1 to 4096"},
      {{"gen", "lif", "--width", "1"}, "--width 1: must be from 2 to 32"},
      {{"gen", "lif", "--reset", "half"}, "--reset half: must be zero or subtract"},
      {{"gen", "encoder", "--bits", "17"}, "--bits 17: must be from 1 to 16"},
      {{"gen", "encoder", "--bits", "12", "--prng-width", "8"},
       "--prng-width 8: narrower than the 12-bit random numbers"},
      {{"gen", "exact-attention", "--threshold", "3"}, "--threshold: not an option of exact-attention"},
      {{"sim", "lif", "--neurons", "3", "--input", "cur.txt"}, "cur.txt:2: 'x' is not an integer"},
      {{"sim", "lif", "--neurons", "3", "--input", "few.txt"}, "few.txt:2: expected 3 values, found 2"},
      {{"sim", "lif", "--neurons", "3", "--input", "cut.txt"},
       "cut.txt:2: the last line has no newline at its end (was the file cut?)"},
      {{"sim", "lif", "--neurons", "3", "--input", "big.txt"},
       "big.txt:1: value 40000 out of range for --width 16 (-32768 to 32767)"},
      {{"sim", "encoder", "--inputs", "3", "--input", "enc.txt"},
       "enc.txt:1: value 256 out of range for --bits 8 (0 to 255)"},
      {{"sim", "linear", "--inputs", "3", "--outputs", "2", "--weights", "w.txt", "--input", "cur.txt"},
       "cur.txt:1: "},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    const char *argv[24] = {"ssa"};
    unsigned n = 1;
    for (unsigned a = 0; cases[k].argv[a] != NULL; a++) argv[n++] = cases[k].argv[a];
    argv[n++] = "--out";
    argv[n++] = strcmp(cases[k].argv[0], "gen") == 0 ? "outdir" : "out.txt";
    argv[n] = NULL;
    expect_usage_error(argv, cases[k].expect);
  }
}

/* The shipped example weights and inputs (examples/) are valid and run. */
static void examples_run(void **state) {
  (void)state;
  const char *root = getenv("SSA_SOURCE_ROOT");
  assert_non_null(root);
  char w_lin[4200], x_lin[4200], w_blk[4200], x_blk[4200];
  snprintf(w_lin, sizeof w_lin, "%s/examples/linear_3x6.txt", root);
  snprintf(x_lin, sizeof x_lin, "%s/examples/linear_input.txt", root);
  snprintf(w_blk, sizeof w_blk, "%s/examples/block_e8.txt", root);
  snprintf(x_blk, sizeof x_blk, "%s/examples/block_input.txt", root);
  const char *linear[] = {"ssa", "sim", "linear", "--tokens", "2", "--inputs", "6", "--outputs", "3",
                          "--weight-bits", "4", "--weights", w_lin, "--threshold", "4", "--input",
                          x_lin, "--steps", "2", NULL};
  const char *block[] = {"ssa", "sim", "block", "--tokens", "4", "--embed", "8", "--heads", "2",
                         "--hidden", "16", "--weights", w_blk, "--threshold", "32", "--input", x_blk,
                         "--steps", "3", NULL};
  const char *const *runs[] = {linear, block};
  const char *expect[] = {"step 1\nY\n100\n100\n", "step 2\nY\n"};
  for (unsigned k = 0; k < 2; k++) {
    result r = run(runs[k]);
    if (r.status != 0 || strstr(r.out, expect[k]) == NULL)
      fail_msg("%s: status %d, stdout '%s', stderr '%s'", runs[k][2], r.status, r.out, r.err);
    result_free(&r);
  }
}

static void gen_into(const char *dir, const char *const *opts);
static int same_file(const char *a, const char *b);

/* Every spiking-layer kind: two runs with the same arguments write the same set of files,
 * byte for byte (run in the work directory, weights given by a relative path). */
static void layer_files_are_deterministic(void **state) {
  (void)state;
  const char *root = getenv("SSA_SOURCE_ROOT");
  assert_non_null(root);
  char src[4200];
  snprintf(src, sizeof src, "%s/examples/block_e8.txt", root);
  char *weights = slurp(src);
  write_text("block.txt", weights);
  free(weights);
  static const char *const kinds[][16] = {
      {"encoder", "--inputs", "5", "--bits", "3", NULL},
      {"lif", "--neurons", "3", "--reset", "subtract", NULL},
      {"linear", "--inputs", "8", "--outputs", "8", "--weights", "block.txt", "--layer", "q", "--fold",
       "3", NULL},
      {"exact-attention", "--tokens", "4", "--dim", "2", "--heads", "2", NULL},
      {"block", "--tokens", "4", "--embed", "8", "--heads", "2", "--hidden", "16", "--weights",
       "block.txt", NULL},
  };
  for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
    char dirs[2][4200];
    for (unsigned run_no = 0; run_no < 2; run_no++) {
      const char *argv[24] = {"ssa", "gen"};
      unsigned n = 2;
      for (unsigned a = 0; kinds[k][a] != NULL; a++) argv[n++] = kinds[k][a];
      char out[64];
      snprintf(out, sizeof out, "%s%u", kinds[k][0], run_no);
      argv[n++] = "--out";
      argv[n++] = out;
      argv[n] = NULL;
      result r = run(argv);
      if (r.status != 0) fail_msg("gen %s: %s", kinds[k][0], r.err);
      result_free(&r);
      snprintf(dirs[run_no], sizeof dirs[run_no], "%s/%s", workdir, out);
    }
    DIR *dir = opendir(dirs[0]);
    assert_non_null(dir);
    unsigned files = 0;
    for (struct dirent *e; (e = readdir(dir)) != NULL;) {
      if (e->d_name[0] == '.') continue;
      char pa[8600], pb[8600];
      snprintf(pa, sizeof pa, "%s/%s", dirs[0], e->d_name);
      snprintf(pb, sizeof pb, "%s/%s", dirs[1], e->d_name);
      if (!same_file(pa, pb)) fail_msg("gen %s: %s differs between two identical runs", kinds[k][0], e->d_name);
      files++;
    }
    closedir(dir);
    assert_int_equal(files, entries(dirs[1]));
    assert_true(files >= 6); /* top, primitive(s), testbench, two vector files, save file */
  }
}

static void gen_into(const char *dir, const char *const *opts) {
  const char *argv[32] = {"ssa", "gen", "attention", "--out", dir};
  unsigned n = 5;
  for (; *opts != NULL; opts++) argv[n++] = *opts;
  argv[n] = NULL;
  result r = run(argv);
  if (r.status != 0) fail_msg("gen failed: %s", r.err);
  result_free(&r);
}

static int same_file(const char *a, const char *b) {
  char *x = slurp(a), *y = slurp(b);
  int same = strcmp(x, y) == 0 && x[0] != '\0';
  free(x);
  free(y);
  return same;
}

static void generated_files_are_deterministic(void **state) {
  (void)state;
  const char *opts[] = {"--tokens", "8", "--dim", "4", "--heads", "2", "--reduce", "count",
                        "--random", "lfsr", NULL};
  gen_into("a", opts);
  gen_into("b", opts);
  const char *other[] = {"--tokens", "8", "--dim", "4", "--heads", "2", "--reduce", "count",
                         "--random", "lfsr", "--seed", "2", NULL};
  gen_into("c", other);
  /* count mode, share unit: its two parts are a score unit and a counting output unit, in a
   * row module */
  static const char *const files[] = {"ssa_attention.v", "ssa_attention_row.v", "ssa_lfsr.v",
                                      "ssa_popcount.v",
                                      "ssa_part_sc_count_score.v", "ssa_part_sc_count_output.v",
                                      "tb_ssa_attention.v", "ssa_attention_in.hex",
                                      "ssa_attention_expected.hex", "ssa_attention.gtkw"};
  char dir_a[4200];
  snprintf(dir_a, sizeof dir_a, "%s/a", workdir);
  assert_int_equal(entries(dir_a), sizeof files / sizeof files[0]);
  for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
    char pa[4400], pb[4400];
    snprintf(pa, sizeof pa, "%s/a/%s", workdir, files[k]);
    snprintf(pb, sizeof pb, "%s/b/%s", workdir, files[k]);
    if (!same_file(pa, pb)) fail_msg("%s differs between two identical runs", files[k]);
  }
  char pa[4400], pc[4400];
  snprintf(pa, sizeof pa, "%s/a/ssa_attention.v", workdir);
  snprintf(pc, sizeof pc, "%s/c/ssa_attention.v", workdir);
  assert_false(same_file(pa, pc));
  /* no timestamps or machine paths in the banner */
  char *text = slurp(pa);
  assert_null(strstr(text, workdir));
  assert_non_null(strstr(text, "// Regenerate: ssa gen attention --tokens 8 --dim 4 --heads 2 --reduce count"));
  assert_non_null(strstr(text, "// Latency: 1 clock"));
  free(text);
}

/* Every mode: Verilator -Wall and Icarus -Wall print nothing, and the generated self-checking
 * testbench passes on Icarus. */
static void generated_rtl_is_lint_clean_and_self_checks(void **state) {
  (void)state;
  static const char *const modes[][2] = {{"mux", "unit"},   {"mux", "row"},   {"mux", "global"},
                                         {"count", "unit"}, {"count", "row"}, {"count", "global"}};
  for (unsigned m = 0; m < 6; m++) {
    char dir[4200], name[32];
    snprintf(name, sizeof name, "lint%u", m);
    snprintf(dir, sizeof dir, "%s/%s", workdir, name);
    const char *opts[] = {"--tokens", "8", "--dim", "4", "--heads", "2", "--reduce", modes[m][0],
                          "--share", modes[m][1], NULL};
    gen_into(name, opts);
    char *names[24];
    unsigned nv = verilog_files(dir, 0, names, 20);
    const char *lint[32] = {"verilator", "--lint-only", "-Wall", "--top-module", "ssa_attention"};
    for (unsigned k = 0; k < nv; k++) lint[5 + k] = names[k];
    lint[5 + nv] = NULL;
    result r = run_in(dir, lint);
    if (r.status != 0 || r.out[0] || r.err[0])
      fail_msg("%s/%s: verilator lint: %s%s", modes[m][0], modes[m][1], r.out, r.err);
    result_free(&r);
    const char *iv[32] = {"iverilog", "-g2005", "-Wall", "-o", "tb.vvp", "tb_ssa_attention.v"};
    for (unsigned k = 0; k < nv; k++) iv[6 + k] = names[k];
    iv[6 + nv] = NULL;
    r = run_in(dir, iv);
    if (r.status != 0 || r.out[0] || r.err[0])
      fail_msg("%s/%s: iverilog -Wall: %s%s", modes[m][0], modes[m][1], r.out, r.err);
    result_free(&r);
    for (unsigned k = 0; k < nv; k++) free(names[k]);
    const char *vvp[] = {"vvp", "-n", "tb.vvp", NULL};
    r = run_in(dir, vvp);
    /* 2 reset clocks + 16 steps + 1 clock of latency */
    if (r.status != 0 || strstr(r.out, "PASS 19 cycles") == NULL)
      fail_msg("%s/%s: testbench: %s%s", modes[m][0], modes[m][1], r.out, r.err);
    result_free(&r);
  }
}

static void engines_print_identical_output(void **state) {
  (void)state;
  char *outputs[3][2];
  static const char *const engines[] = {"golden", "verilator", "icarus"};
  for (unsigned e = 0; e < 3; e++)
    for (unsigned s = 0; s < 2; s++) {
      const char *argv[] = {"ssa", "sim", "attention", "--tokens", "4", "--dim", "8", "--share", "row",
                            "--rate", "0.6", "--steps", "12", "--engine", engines[e],
                            s ? "--summary" : NULL, NULL};
      result r = run(argv);
      if (r.status != 0) fail_msg("%s: status %d: %s", engines[e], r.status, r.err);
      outputs[e][s] = r.out;
      free(r.err);
    }
  for (unsigned s = 0; s < 2; s++) {
    assert_string_equal(outputs[0][s], outputs[1][s]);
    assert_string_equal(outputs[0][s], outputs[2][s]);
  }
  /* 12 steps of 4 rows of 8 characters, and a summary of 4 rows of 8 counts */
  assert_non_null(strstr(outputs[0][0], "step 11\nO\n"));
  assert_int_equal(count_lines(outputs[0][1]), 4);
  for (unsigned e = 0; e < 3; e++)
    for (unsigned s = 0; s < 2; s++) free(outputs[e][s]);
}

/* A single-step input file is held for every step: same output as the file written out. */
static void single_step_input_is_held(void **state) {
  (void)state;
  write_text("one.txt", "# held\nstep 0\nQ\n0110\n1111\nK\n1010\n0111\nV\n1100\n0011\n");
  char many[2048] = "";
  for (unsigned t = 0; t < 5; t++) {
    char step[256];
    snprintf(step, sizeof step, "step %u\nQ\n0110\n1111\nK\n1010\n0111\nV\n1100\n0011\n", t);
    strcat(many, step);
  }
  write_text("many.txt", many);
  const char *a[] = {"ssa", "sim", "attention", "--tokens", "2", "--dim", "4", "--input", "one.txt",
                     "--steps", "5", "--summary", NULL};
  const char *b[] = {"ssa", "sim", "attention", "--tokens", "2", "--dim", "4", "--input", "many.txt",
                     "--summary", NULL};
  result ra = run(a), rb = run(b);
  assert_int_equal(ra.status, 0);
  assert_int_equal(rb.status, 0);
  assert_string_equal(ra.out, rb.out);
  result_free(&ra);
  result_free(&rb);
  const char *wrong[] = {"ssa", "sim", "attention", "--tokens", "2", "--dim", "4", "--input", "many.txt",
                         "--steps", "7", NULL};
  expect_usage_error(wrong, "--steps 7: many.txt has 5 steps");
}

/* The golden engine's check is a real one too: a flipped expected bit makes it exit 1 and name
 * the bit, never pass by comparing the model with itself (issue 15). */
static void golden_engine_catches_an_injected_fault(void **state) {
  (void)state;
  static const char *const kinds[][3] = {{"lif", "--neurons", "4"},
                                         {"encoder", "--inputs", "4"},
                                         {"attention", "--tokens", "2"}};
  for (unsigned k = 0; k < 3; k++) {
    const char *argv[] = {"ssa", "sim", kinds[k][0], kinds[k][1], kinds[k][2], "--rate", "0.5",
                          "--steps", "3", "--inject-fault", "1,0", NULL};
    result r = run(argv);
    if (r.status != 1 || strstr(r.err, "MISMATCH") == NULL ||
        strstr(r.err, "engine golden") == NULL)
      fail_msg("%s: status %d, stderr '%s'", kinds[k][0], r.status, r.err);
    result_free(&r);
  }
}

static void mismatch_is_reported_with_waveform(void **state) {
  (void)state;
  static const char *const engines[] = {"verilator", "icarus"};
  for (unsigned e = 0; e < 2; e++) {
    const char *argv[] = {"ssa", "sim", "attention", "--tokens", "4", "--dim", "4", "--rate", "0.5",
                          "--steps", "6", "--engine", engines[e], "--inject-fault", "3,5",
                          "--out", "o.txt", NULL};
    result r = run(argv);
    assert_int_equal(r.status, 1);
    if (strstr(r.err, "ssa: MISMATCH cycle 5 (result of step 3), o_o[5] = token 1, column 1 (head 0, d 1)") == NULL ||
        strstr(r.err, "seed 1)") == NULL || strstr(r.err, "expected") == NULL ||
        strstr(r.err, "ssa: reproduce: ssa sim attention --tokens 4 --dim 4") == NULL ||
        strstr(r.err, "--inject-fault 3,5 --trace ssa-mismatch.fst") == NULL ||
        strstr(r.err, "ssa: waveform: gtkwave ssa-mismatch.fst ssa-mismatch.gtkw") == NULL)
      fail_msg("%s: report: %s", engines[e], r.err);
    result_free(&r);
    char fst[4200], gtkw[4200], out[4200];
    snprintf(fst, sizeof fst, "%s/ssa-mismatch.fst", workdir);
    snprintf(gtkw, sizeof gtkw, "%s/ssa-mismatch.gtkw", workdir);
    snprintf(out, sizeof out, "%s/o.txt", workdir);
    struct stat st;
    assert_int_equal(stat(fst, &st), 0);
    assert_true(st.st_size > 0);
    char *save = slurp(gtkw);
    assert_non_null(strstr(save, "[dumpfile] \"ssa-mismatch.fst\""));
    assert_non_null(strstr(save, ".o_o[15:0]"));
    free(save);
    assert_int_not_equal(stat(out, &st), 0); /* no output file on a failed check */
    unlink(fst);
    unlink(gtkw);
  }
}

/* In workdir: a FIFO "fifo", a symbolic link "link" (to nothing) and a directory "adir". */
static void make_paths_that_are_not_files(void) {
  char path[4200];
  snprintf(path, sizeof path, "%s/fifo", workdir);
  assert_int_equal(mkfifo(path, 0644), 0);
  snprintf(path, sizeof path, "%s/link", workdir);
  assert_int_equal(symlink("target", path), 0);
  snprintf(path, sizeof path, "%s/adir", workdir);
  assert_int_equal(mkdir(path, 0755), 0);
}

/* The type (S_IFMT bits) of workdir/name, not following a link; 0 if there is none. */
static unsigned path_type(const char *name) {
  char path[4200];
  struct stat st;
  snprintf(path, sizeof path, "%s/%s", workdir, name);
  return lstat(path, &st) == 0 ? (unsigned)(st.st_mode & S_IFMT) : 0u;
}

/* An output path that is not a regular file -- a FIFO, a symbolic link, a directory -- is
 * refused before any work, with exit 2 and nothing written, and is left as it was (a rename
 * would have replaced it with a regular file); a path in no directory too. "-" is standard
 * output. */
static void outputs_only_replace_regular_files(void **state) {
  (void)state;
  make_paths_that_are_not_files();
  static const usage_case cases[] = {
      {"ssa sim lif --neurons 2 --rate 0.5 --out fifo", "fifo: not a regular file (a FIFO)"},
      {"ssa sim lif --neurons 2 --rate 0.5 --out link", "link: not a regular file (a symbolic link)"},
      {"ssa sim lif --neurons 2 --rate 0.5 --out adir", "adir: not a regular file (a directory)"},
      {"ssa sim lif --neurons 2 --rate 0.5 --out nodir/o.txt", "nodir/o.txt: no directory nodir"},
      {"ssa train --model ann --out fifo", "fifo: not a regular file (a FIFO)"},
      {"ssa weights linear --inputs 2 --outputs 2 --out link", "link: not a regular file"},
      {"ssa synth lif --json adir", "adir: not a regular file (a directory)"},
      {"ssa report --quick --json fifo", "fifo: not a regular file (a FIFO)"},
  };
  expect_usage_errors(cases, sizeof cases / sizeof cases[0]);
  assert_int_equal(path_type("fifo"), S_IFIFO);
  assert_int_equal(path_type("link"), S_IFLNK);
  assert_int_equal(path_type("adir"), S_IFDIR);
  const char *dash[] = {"ssa", "sim", "lif", "--neurons", "2", "--rate", "0.5", "--steps", "3",
                        "--out", "-", NULL};
  result r = run(dash);
  assert_int_equal(r.status, 0);
  assert_non_null(strstr(r.out, "ssa sim lif"));  /* the output's header comment */
  assert_int_equal(path_type("-"), 0);
  result_free(&r);
}

/* A regular file with a second name is refused (the rename would leave the other name the old
 * file), and left as it was; one with one name is replaced and keeps its mode. */
static void outputs_keep_links_and_modes(void **state) {
  (void)state;
  char one[4200], two[4200], moded[4200];
  snprintf(one, sizeof one, "%s/one", workdir);
  snprintf(two, sizeof two, "%s/two", workdir);
  snprintf(moded, sizeof moded, "%s/moded", workdir);
  FILE *f = fopen(one, "w");
  assert_non_null(f);
  fputs("old\n", f);
  fclose(f);
  assert_int_equal(link(one, two), 0);
  static const usage_case linked[] = {
      {"ssa sim lif --neurons 2 --rate 0.5 --out two", "two: has 2 hard links"}};
  expect_usage_errors(linked, 1);
  char *text = slurp(one);
  assert_string_equal(text, "old\n");
  free(text);
  f = fopen(moded, "w");
  assert_non_null(f);
  fclose(f);
  assert_int_equal(chmod(moded, 0640), 0);
  const char *argv[] = {"ssa", "sim", "lif", "--neurons", "2", "--rate", "0.5", "--steps", "3",
                        "--out", "moded", NULL};
  result r = run(argv);
  assert_int_equal(r.status, 0);
  result_free(&r);
  struct stat st;
  assert_int_equal(stat(moded, &st), 0);
  assert_int_equal(st.st_mode & 07777, 0640);
  assert_true(st.st_size > 0);
}

/* A directory to fill (--out DIR) is checked while parsing, before any work: a regular file,
 * or a new name in no directory, is a usage error. So are counts of 0 that used to mean "the
 * default". */
static void output_directories_checked_first(void **state) {
  (void)state;
  char path[4200];
  snprintf(path, sizeof path, "%s/afile", workdir);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fclose(f);
  static const usage_case cases[] = {
      {"ssa gen lif --neurons 2 --out afile", "afile: exists and is not a directory"},
      {"ssa gen lif --neurons 2 --out nodir/sub", "nodir/sub: no directory nodir to make it in"},
      {"ssa report --quick --out nodir/sub/", "nodir/sub/: no directory nodir to make it in"},
      {"ssa report --quick --out afile", "afile: exists and is not a directory"},
      {"ssa demo --out nodir/sub", "nodir/sub: no directory nodir"},
      {"ssa accuracy --out afile", "afile: exists and is not a directory"},
      {"ssa accuracy --limit 0", "--limit 0: must be at least 1"},
      {"ssa accuracy --threads 0", "--threads 0: must be at least 1"},
      {"ssa eval --limit 0", "--limit 0: must be at least 1"},
      {"ssa train --model ann --steps 0", "--steps 0: must be at least 1"},
  };
  expect_usage_errors(cases, sizeof cases / sizeof cases[0]);
  snprintf(path, sizeof path, "%s/nodir", workdir);
  struct stat st;
  assert_int_not_equal(stat(path, &st), 0);
}

/* An input that is not a regular file is refused at once with exit 2: a FIFO blocked the open
 * until a writer came (a hang before), a directory is no file. Every reader: integer lines,
 * spike files, layer weights, network weights, Liberty. */
static void inputs_must_be_regular_files(void **state) {
  (void)state;
  make_paths_that_are_not_files();
  static const usage_case cases[] = {
      {"ssa sim lif --neurons 3 --input fifo", "fifo: not a regular file (a FIFO or pipe)"},
      {"ssa sim attention --tokens 2 --dim 2 --input fifo", "fifo: not a regular file (a FIFO"},
      {"ssa gen linear --inputs 2 --outputs 2 --weights fifo", "fifo: not a regular file (a FIFO"},
      {"ssa eval --weights fifo", "fifo: not a regular file (a FIFO or pipe)"},
      {"ssa energy lif --liberty fifo", "fifo: not a regular file (a FIFO or pipe)"},
      {"ssa synth lif --liberty adir", "adir: not a regular file (a directory)"},
  };
  expect_usage_errors(cases, sizeof cases / sizeof cases[0]);
}

/* A gen whose files cannot be written leaves no directory it made. The directory is made at
 * the end of a relative path of 4 070 characters, so that it fits PATH_MAX (4 096) and the
 * files inside it do not (ENAMETOOLONG). The path is built and removed here: it is too deep
 * for the teardown's walk. */
static void failed_gen_leaves_no_directory(void **state) {
  (void)state;
  static char deep[4200];
  char made[64][4200];
  unsigned levels = 0;
  int n = snprintf(deep, sizeof deep, "%s/deep", workdir);
  assert_int_equal(mkdir(deep, 0755), 0);
  size_t base = (size_t)n - strlen("deep");
  while (strlen(deep + base) < 4070) {
    size_t room = 4070 - strlen(deep + base) - 1, len = room < 250 ? room : 250;
    size_t at = strlen(deep);
    deep[at] = '/';
    memset(deep + at + 1, 'd', len);
    deep[at + 1 + len] = '\0';
    if (mkdir(deep, 0755) != 0) fail_msg("mkdir of a %zu-character path failed", strlen(deep));
    snprintf(made[levels++], sizeof made[0], "%s", deep + base);
  }
  char out[4200];
  snprintf(out, sizeof out, "%s/x", deep + base);
  const char *argv[] = {"ssa", "gen", "attention", "--tokens", "2", "--dim", "2", "--out", out,
                        NULL};
  result r = run(argv);  /* in workdir: the path is relative */
  int status = r.status;
  result_free(&r);
  /* the relative paths from workdir, where ssa ran */
  char cwd[4200];
  assert_non_null(getcwd(cwd, sizeof cwd));
  assert_int_equal(chdir(workdir), 0);
  struct stat st;
  int left = stat(out, &st) == 0;
  if (left) rmdir(out);
  for (unsigned k = levels; k-- > 0;) rmdir(made[k]);
  rmdir("deep");
  assert_int_equal(chdir(cwd), 0);
  if (status != 1) fail_msg("gen into a too-long path: status %d, not 1", status);
  if (left) fail_msg("a failed gen left the directory it made");
}

/* The first entry of workdir whose name starts with `prefix`, into name; 0 if none. */
static int find_entry(const char *prefix, char *name, size_t len) {
  DIR *d = opendir(workdir);
  assert_non_null(d);
  int found = 0;
  for (struct dirent *e; !found && (e = readdir(d)) != NULL;)
    if (strncmp(e->d_name, prefix, strlen(prefix)) == 0) {
      snprintf(name, len, "%s", e->d_name);
      found = 1;
    }
  closedir(d);
  return found;
}

/* A run killed with SIGTERM or SIGINT while it writes its output (ssa weights of 6 layers of
 * 4096 x 4096, about ten seconds) leaves no NAME.tmp.XXXXXX behind and dies of the signal. */
static void killed_run_leaves_no_temporary(void **state) {
  (void)state;
  static const int signals[] = {SIGTERM, SIGINT};
  for (unsigned k = 0; k < 2; k++) {
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
      int null = open("/dev/null", O_WRONLY);
      if (null < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0 || chdir(workdir) != 0) _exit(126);
      const char *argv[] = {"ssa", "weights", "block", "--embed", "4096", "--hidden", "4096",
                            "--out", "big.txt", NULL};
      execv(getenv("SSA_BIN"), (char *const *)argv);
      _exit(127);
    }
    char name[256];
    int seen = 0;
    for (unsigned wait_ms = 0; !seen && wait_ms < 20000; wait_ms += 10) {
      seen = find_entry("big.txt.tmp.", name, sizeof name);
      if (!seen) nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
    }
    if (!seen) fail_msg("no big.txt.tmp.* appeared within 20 s");
    assert_int_equal(kill(pid, signals[k]), 0);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (!WIFSIGNALED(status) || WTERMSIG(status) != signals[k])
      fail_msg("signal %d: the run ended with status 0x%x, not killed by it", signals[k], status);
    if (find_entry("big.txt", name, sizeof name)) fail_msg("signal %d left %s", signals[k], name);
  }
}

/* Processes whose working directory is `dir` or below it, by /proc/PID/cwd. */
static unsigned processes_in(const char *dir) {
  unsigned n = 0;
  DIR *d = opendir("/proc");
  assert_non_null(d);
  for (struct dirent *e; (e = readdir(d)) != NULL;) {
    if (e->d_name[0] < '1' || e->d_name[0] > '9') continue;
    char link[300], cwd[4200];
    snprintf(link, sizeof link, "/proc/%s/cwd", e->d_name);
    ssize_t len = readlink(link, cwd, sizeof cwd - 1);
    if (len <= 0) continue;
    cwd[len] = '\0';
    n += strncmp(cwd, dir, strlen(dir)) == 0;
  }
  closedir(d);
  return n;
}

/* A synthesis killed while Yosys runs (TMPDIR is workdir) stops Yosys and leaves no
 * ssa-synth-XXXXXX directory (common/cleanup.h); before, both stayed. */
static void killed_synthesis_leaves_nothing(void **state) {
  (void)state;
  fflush(NULL);
  pid_t pid = fork();
  if (pid == 0) {
    int null = open("/dev/null", O_WRONLY);
    if (null < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0 || chdir(workdir) != 0 ||
        setenv("TMPDIR", workdir, 1) != 0)
      _exit(126);
    const char *argv[] = {"ssa", "synth", "attention", "--tokens", "32", "--dim", "32",
                          "--random", "lfsr", NULL};
    execv(getenv("SSA_BIN"), (char *const *)argv);
    _exit(127);
  }
  char name[256], dir[4400] = "";
  unsigned inside = 0;
  for (unsigned wait_ms = 0; inside == 0 && wait_ms < 60000; wait_ms += 10) {
    if (dir[0] == '\0' && find_entry("ssa-synth-", name, sizeof name))
      snprintf(dir, sizeof dir, "%s/%s", workdir, name);
    if (dir[0] != '\0') inside = processes_in(dir);
    if (inside == 0) nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
  }
  if (inside == 0) fail_msg("no tool ran in an ssa-synth-* directory within 60 s");
  assert_int_equal(kill(pid, SIGTERM), 0);
  int status = 0;
  assert_int_equal(waitpid(pid, &status, 0), pid);
  if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGTERM)
    fail_msg("the run ended with status 0x%x, not killed by SIGTERM", status);
  assert_int_equal(processes_in(dir), 0);
  if (find_entry("ssa-synth-", name, sizeof name)) fail_msg("SIGTERM left %s", name);
}

/* A command whose standard output cannot be written (here /dev/full) fails, whichever it is:
 * help text, a simulation's spikes, an evaluation's result alike (cli/main.c). */
static void failed_stdout_write_fails(void **state) {
  (void)state;
  static const char *const commands[][8] = {
      {"gen", "attention", "--help", NULL},
      {"sim", "lif", "--neurons", "4", "--rate", "0.5", NULL},
      {"help", NULL},
  };
  for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++) {
    const char *argv[16] = {"sh", "-c", "exec \"$SSA_BIN\" \"$@\" > /dev/full", "sh"};
    unsigned n = 4;
    for (unsigned j = 0; commands[k][j] != NULL; j++) argv[n++] = commands[k][j];
    argv[n] = NULL;
    result r = run(argv);
    if (r.status != 1 || strstr(r.err, "standard output: write failed") == NULL)
      fail_msg("ssa %s %s > /dev/full: status %d, stderr '%s'", commands[k][0], commands[k][1],
               r.status, r.err);
    result_free(&r);
  }
}

static void help_is_true(void **state) {
  (void)state;
  const char *help[] = {"ssa", "help", NULL};
  result r = run(help);
  assert_int_equal(r.status, 0);
  assert_non_null(strstr(r.out, "gen KIND"));
  result_free(&r);
  /* every kind is listed once by each command that takes a KIND (the list comes from the kind
   * table; it once read "attention, attention, encoder, ...") */
  static const char *const kinds[] = {"attention", "encoder", "lif", "linear", "exact-attention",
                                      "block", "ann-attention"};
  const char *lists[][4] = {{"ssa", "gen", "--help", NULL},
                            {"ssa", "sim", "--help", NULL},
                            {"ssa", "synth", "--help", NULL},
                            {"ssa", "energy", "--help", NULL}};
  for (unsigned l = 0; l < 4; l++) {
    r = run(lists[l]);
    assert_int_equal(r.status, 0);
    for (unsigned k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
      /* the kinds are listed one a line ("  attention   summary") or on one "KIND: a, b;" line */
      unsigned found = 0;
      size_t len = strlen(kinds[k]);
      for (const char *line = r.out; *line != '\0';) {
        const char *end = strchr(line, '\n');
        if (end == NULL) end = line + strlen(line);
        if (strncmp(line, "KIND: ", 6) == 0) {
          for (const char *w = line + 6; w < end;) {
            size_t n = strcspn(w, ",;\n");
            found += n == len && strncmp(w, kinds[k], len) == 0;
            w += n;
            w += strspn(w, ", ");
            if (*w == ';') break;
          }
        } else if (strncmp(line, "  ", 2) == 0 && line[2] != ' ') {
          found += strncmp(line + 2, kinds[k], len) == 0 && line[2 + len] == ' ';
        }
        line = *end == '\n' ? end + 1 : end;
      }
      if (found != 1)
        fail_msg("ssa %s --help names kind %s %u times, wanted once:\n%s", lists[l][1], kinds[k],
                 found, r.out);
    }
    result_free(&r);
  }
  /* every kind's own help lists its options and the stimulus it reads */
  const char *kind_help[][5] = {{"ssa", "gen", "lif", "--help", NULL},
                                {"ssa", "sim", "encoder", "--help", NULL},
                                {"ssa", "sim", "linear", "--help", NULL}};
  const char *expect[] = {"--neurons M", "--bits B", "--fold F"};
  for (unsigned k = 0; k < 3; k++) {
    r = run(kind_help[k]);
    assert_int_equal(r.status, 0);
    if (strstr(r.out, expect[k]) == NULL) fail_msg("ssa %s %s --help lacks %s", kind_help[k][1], kind_help[k][2], expect[k]);
    result_free(&r);
  }
  const char *tool_help[][4] = {{"ssa", "synth", "--help", NULL},
                                {"ssa", "energy", "lif", "--help"},
                                {"ssa", "help", "report", NULL}};
  const char *tool_expect[] = {"--flow F", "--steps T", "claims"};
  for (unsigned k = 0; k < 3; k++) {
    const char *argv[5] = {tool_help[k][0], tool_help[k][1], tool_help[k][2], tool_help[k][3],
                           NULL};
    r = run(argv);
    assert_int_equal(r.status, 0);
    if (strstr(r.out, tool_expect[k]) == NULL) fail_msg("%s help lacks %s", tool_help[k][1], tool_expect[k]);
    result_free(&r);
  }
  const char *sim_help[] = {"ssa", "sim", "attention", "--help", NULL};
  r = run(sim_help);
  assert_int_equal(r.status, 0);
  assert_non_null(strstr(r.out, "--inject-fault"));
  assert_non_null(strstr(r.out, "--tokens N"));
  result_free(&r);
  const char *none[] = {"ssa", NULL};
  r = run(none);
  assert_int_equal(r.status, 2);
  result_free(&r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(bad_design_options, setup, teardown),
      cmocka_unit_test_setup_teardown(bad_command_lines, setup, teardown),
      cmocka_unit_test_setup_teardown(bad_spike_files, setup, teardown),
      cmocka_unit_test_setup_teardown(bad_layer_inputs, setup, teardown),
      cmocka_unit_test_setup_teardown(examples_run, setup, teardown),
      cmocka_unit_test_setup_teardown(layer_files_are_deterministic, setup, teardown),
      cmocka_unit_test_setup_teardown(generated_files_are_deterministic, setup, teardown),
      cmocka_unit_test_setup_teardown(generated_rtl_is_lint_clean_and_self_checks, setup, teardown),
      cmocka_unit_test_setup_teardown(engines_print_identical_output, setup, teardown),
      cmocka_unit_test_setup_teardown(single_step_input_is_held, setup, teardown),
      cmocka_unit_test_setup_teardown(mismatch_is_reported_with_waveform, setup, teardown),
      cmocka_unit_test_setup_teardown(help_is_true, setup, teardown),
      cmocka_unit_test_setup_teardown(failed_stdout_write_fails, setup, teardown),
      cmocka_unit_test_setup_teardown(outputs_only_replace_regular_files, setup, teardown),
      cmocka_unit_test_setup_teardown(outputs_keep_links_and_modes, setup, teardown),
      cmocka_unit_test_setup_teardown(output_directories_checked_first, setup, teardown),
      cmocka_unit_test_setup_teardown(killed_run_leaves_no_temporary, setup, teardown),
      cmocka_unit_test_setup_teardown(killed_synthesis_leaves_nothing, setup, teardown),
      cmocka_unit_test_setup_teardown(failed_gen_leaves_no_directory, setup, teardown),
      cmocka_unit_test_setup_teardown(inputs_must_be_regular_files, setup, teardown),
      cmocka_unit_test_setup_teardown(golden_engine_catches_an_injected_fault, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
