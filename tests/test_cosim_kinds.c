/* test_cosim_kinds.c -- every kind on all three engines: the golden model's vectors run on
 * Verilator and on Icarus, every output bit of every clock must agree, and the two simulators'
 * outputs must be identical. Stimulus files are written by the test and read through the
 * kinds' own readers, covering each kind's whole input range (negative and saturating
 * currents, every encoder value). Usage: test_cosim_kinds KIND [quick], or
 * test_cosim_kinds attention REDUCE SHARE [quick] for one mode of the SC attention's matrix;
 * one meson test per kind or mode so they run in parallel. Each design is also lint clean:
 * verilator --lint-only -Wall and iverilog -Wall print nothing. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/process.h"
#include "../gen/emit_testbench.h"
#include "../kinds/kinds.h"
#include "../core/lfsr.h"
#include "../core/weights.h"
#include "../sim/engine.h"
#include "../sim/stepped_run.h"

#define STEPS 12u
#define MAX_CASES 32

typedef struct cosim_case {
  const ssa_kind *kind;
  char options[256];   /* design options, space separated */
  char words[256];     /* options cut into words, which the parsed params point into */
  char input[64];      /* stimulus: "ints MIN MAX", or "rate P" */
  unsigned steps;      /* 0: STEPS */
  char name[300];
} cosim_case;

static cosim_case cases[MAX_CASES];
static struct CMUnitTest tests[MAX_CASES];
static char workdir[256];

/* The case's options into params; the words stay in the case (params point into them). */
static void parse_options(cosim_case *c, void *params) {
  ssa_error err = {{0}};
  snprintf(c->words, sizeof c->words, "%s", c->options);
  if (ssa_kind_parse_options(c->kind, params, c->words, &err) != 0) fail_msg("%s: %s", c->name, err.msg);
}

/* STEPS lines of `count` integers uniform on [min, max], the ends included on purpose. */
static void write_ints(const char *path, unsigned count, long long min, long long max, uint64_t seed) {
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fprintf(f, "# test stimulus\n");
  for (unsigned t = 0; t < STEPS; t++)
    for (unsigned k = 0; k < count; k++) {
      long long v;
      uint64_t r = ssa_splitmix64(&seed);
      if (r % 8 == 0) v = min;
      else if (r % 8 == 1) v = max;
      else v = min + (long long)((r >> 8) % (uint64_t)(max - min + 1));
      fprintf(f, k + 1 < count ? "%lld " : "%lld\n", v);
    }
  fclose(f);
}

static void run_engine(ssa_engine e, const ssa_stepped_run *r, uint64_t *actual) {
  ssa_error err = {{0}};
  ssa_engine_opts opts = {.cache_dir = NULL, .fst_path = NULL, .progress = 0};
  if (ssa_engine_run(e, &r->vectors, &opts, actual, &err) != 0) fail_msg("%s: %s", ssa_engine_name(e), err.msg);
  ssa_mismatch m;
  if (ssa_vectors_compare(&r->vectors, actual, &m)) {
    char where[256];
    ssa_stepped_run_describe(r, &m, where, sizeof where);
    fail_msg("%s: mismatch at %s: expected %d, actual %d", ssa_engine_name(e), where, m.expected, m.actual);
  }
}

static unsigned count_from(const char *options, const char *opt) {
  const char *at = strstr(options, opt);
  return at == NULL ? 0 : (unsigned)atoi(at + strlen(opt) + 1);
}

/* The design's files in a fresh directory pass `verilator --lint-only -Wall` and
 * `iverilog -g2005 -Wall` (its testbench included) with no output at all. */
static void expect_lint_clean(const cosim_case *c, const ssa_design *d) {
  char dir[400], log[460];
  snprintf(dir, sizeof dir, "%s/lint-%p", workdir, (const void *)c);
  snprintf(log, sizeof log, "%s.log", dir);
  assert_int_equal(mkdir(dir, 0777), 0);
  ssa_error err = {{0}};
  const char *files[SSA_MAX_DESIGN_FILES + 1];
  for (unsigned k = 0; k < d->file_count; k++) {
    char path[500];
    snprintf(path, sizeof path, "%s/%s", dir, d->files[k].name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fwrite(d->files[k].text, 1, d->files[k].len, f);
    fclose(f);
    files[k] = d->files[k].name;
  }
  size_t tb_len = 0;
  char *tb = ssa_emit_testbench(d, &tb_len), tb_name[128], tb_path[600];
  assert_non_null(tb);
  ssa_testbench_names(d, tb_name, NULL, NULL, sizeof tb_name);
  snprintf(tb_path, sizeof tb_path, "%s/%s", dir, tb_name);
  FILE *f = fopen(tb_path, "w");
  assert_non_null(f);
  fwrite(tb, 1, tb_len, f);
  fclose(f);
  free(tb);
  const char *lint[SSA_MAX_DESIGN_FILES + 8] = {"verilator", "--lint-only", "-Wall", "--top-module", d->top};
  const char *iv[SSA_MAX_DESIGN_FILES + 8] = {"iverilog", "-g2005", "-Wall", "-o", "tb.vvp", tb_name};
  unsigned nl = 5, ni = 6;
  for (unsigned k = 0; k < d->file_count; k++) lint[nl++] = iv[ni++] = files[k];
  lint[nl] = iv[ni] = NULL;
  for (int tool = 0; tool < 2; tool++) {
    remove(log);
    if (ssa_run_tool("lint", tool == 0 ? lint : iv, dir, log, &err) != 0) fail_msg("%s: %s", c->name, err.msg);
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(ssa_read_file(log, &text, &len, &err), 0);
    if (len != 0) fail_msg("%s: %s says: %s", c->name, tool == 0 ? "verilator -Wall" : "iverilog -Wall", text);
    free(text);
  }
}

static void engines_agree(void **state) {
  cosim_case *c = *state;
  void *params = calloc(1, c->kind->params_size);
  assert_non_null(params);
  parse_options(c, params);
  ssa_error err = {{0}};
  ssa_stepped_run r;
  char path[400];
  long long min, max;
  double rate;
  const char *input = NULL;
  if (sscanf(c->input, "ints %lld %lld", &min, &max) == 2) {
    unsigned count = count_from(c->options, strcmp(c->kind->name, "lif") == 0 ? "--neurons" : "--inputs");
    snprintf(path, sizeof path, "%s/%p.txt", workdir, (const void *)c);
    write_ints(path, count, min, max, (uint64_t)(uintptr_t)c->name[0] + count);
    input = path;
    rate = 0;
  } else {
    assert_int_equal(sscanf(c->input, "rate %lf", &rate), 1);
  }
  unsigned steps = c->steps != 0 ? c->steps : STEPS;
  if (ssa_stepped_run_init(&r, c->kind, params, input, rate, steps, &err) != 0) fail_msg("%s", err.msg);
  expect_lint_clean(c, &r.design);
  size_t words = (size_t)r.vectors.cycles * r.vectors.out_words + 1;
  uint64_t *verilated = calloc(words, sizeof *verilated), *icarus = calloc(words, sizeof *icarus);
  assert_non_null(verilated);
  assert_non_null(icarus);
  run_engine(SSA_ENGINE_VERILATOR, &r, verilated);
  run_engine(SSA_ENGINE_ICARUS, &r, icarus);
  assert_memory_equal(verilated, icarus, words * sizeof *verilated);
  /* not trivially silent, not trivially saturated: some output spiked and some did not */
  unsigned long ones = 0, bits = 0;
  for (unsigned t = 0; t < r.data.steps; t++)
    for (unsigned p = 0; p < r.design.port_count; p++) {
      const ssa_port *port = &r.design.ports[p];
      if (port->is_input || strcmp(port->name, "out_valid_o") == 0 || strcmp(port->name, "in_ready_o") == 0)
        continue;
      for (unsigned b = 0; b < port->width; b++) ones += (unsigned)ssa_words_bit(ssa_step_out(&r.data, t, p), b);
      bits += port->width;
    }
  if (ones == 0 || ones == bits) fail_msg("%s: %lu of %lu output bits spiked", c->name, ones, bits);
  free(verilated);
  free(icarus);
  ssa_stepped_run_free(&r);
  c->kind->release(params);
  free(params);
}

static unsigned add(unsigned n, const char *kind, const char *options, const char *input) {
  cosim_case *c = &cases[n];
  c->kind = ssa_kind_find(kind);
  snprintf(c->options, sizeof c->options, "%s", options);
  snprintf(c->input, sizeof c->input, "%s", input);
  snprintf(c->name, sizeof c->name, "%s %s (%s)", kind, options, input);
  tests[n] = (struct CMUnitTest){c->name, engines_agree, NULL, NULL, c};
  return n + 1;
}

/* A weights file of an encoder block: q, k, v, o of E x E, fc1 of 2E x E, fc2 of E x 2E. */
static const char *block_weights_file(unsigned embed, uint64_t seed) {
  static char paths[8][300];
  static unsigned used;
  char *path = paths[used++ % 8];
  snprintf(path, 300, "%s/block%u_%llu.txt", workdir, embed, (unsigned long long)seed);
  const char *names[6] = {"q", "k", "v", "o", "fc1", "fc2"};
  unsigned rows[6] = {embed, embed, embed, embed, 2 * embed, embed};
  unsigned cols[6] = {embed, embed, embed, embed, embed, 2 * embed};
  ssa_weights w;
  ssa_error err;
  if (ssa_weights_random(&w, 8, 6, names, rows, cols, seed, &err) != 0) return path;
  FILE *f = fopen(path, "w");
  if (f != NULL) {
    ssa_weights_write(f, &w, NULL);
    fclose(f);
  }
  ssa_weights_free(&w);
  return path;
}

static unsigned add_block(unsigned n, unsigned tokens, unsigned embed, unsigned heads, unsigned fold,
                          const char *attention, unsigned steps, uint64_t seed) {
  char options[256];
  snprintf(options, sizeof options, "--tokens %u --embed %u --heads %u --hidden %u --fold %u "
           "--threshold 32 --weights %s %s", tokens, embed, heads, 2 * embed, fold,
           block_weights_file(embed, seed), attention);
  n = add(n, "block", options, "rate 0.3");
  cases[n - 1].steps = steps;
  return n;
}

/* A weights file of one random layer `outputs` x `inputs` in the work directory. */
static const char *weights_file(unsigned outputs, unsigned inputs, unsigned bits, uint64_t seed) {
  static char paths[MAX_CASES][300];
  static unsigned used;
  char *path = paths[used++ % MAX_CASES];
  snprintf(path, 300, "%s/w%u_%u_%u_%llu.txt", workdir, outputs, inputs, bits, (unsigned long long)seed);
  FILE *f = fopen(path, "w");
  if (f == NULL) return path;
  fprintf(f, "layer linear %u %u\n", outputs, inputs);
  for (unsigned o = 0; o < outputs; o++)
    for (unsigned i = 0; i < inputs; i++) {
      long long range = 1ll << bits, v = (long long)(ssa_splitmix64(&seed) % (uint64_t)range) - range / 2;
      if (outputs * inputs == 1) v = range / 2 - 1; /* the lone weight positive, so it can spike */
      fprintf(f, i + 1 < inputs ? "%lld " : "%lld\n", v);
    }
  fclose(f);
  return path;
}

static unsigned add_linear(unsigned n, unsigned tokens, unsigned inputs, unsigned outputs,
                           unsigned fold, unsigned bits, const char *lif, uint64_t seed) {
  char options[256];
  snprintf(options, sizeof options, "--tokens %u --inputs %u --outputs %u --fold %u --weight-bits %u "
           "--weights %s %s", tokens, inputs, outputs, fold, bits,
           weights_file(outputs, inputs, bits, seed), lif);
  return add(n, "linear", options, "rate 0.3");
}

/* The SC attention's lfsr plan in one (reduce, share) mode (the default plan, sobol, has
 * add_sobol below): each of N, D = 2, 4, 8, 16 with one head,
 * both as N and as D, square and not (eight of the sixteen pairs, to keep the suite's time),
 * a wider non-square case and two heads at two sizes (16 x 16 with two heads is left out: its
 * count-mode model alone takes minutes to compile); each with a seed of its own. Rate-0.5
 * inputs keep every score and output probability away from 0 and 1 on average. */
static unsigned add_attention(unsigned n, const char *reduce, const char *share, int quick) {
  static const unsigned pairs[][3] = {{2, 2, 1},  {4, 4, 1}, {8, 8, 1}, {16, 16, 1},
                                      {2, 16, 1}, {16, 2, 1}, {4, 8, 1}, {8, 4, 1}};
  static const unsigned extra[][3] = {{8, 32, 1}, {2, 4, 2}, {8, 8, 2}};
  unsigned shapes[11][3], count = 0;
  for (unsigned k = 0; k < 8; k++) memcpy(shapes[count++], pairs[k], sizeof pairs[k]);
  for (unsigned k = 0; k < 3; k++) memcpy(shapes[count++], extra[k], sizeof extra[k]);
  if (quick) {
    shapes[0][0] = 4, shapes[0][1] = 8, shapes[0][2] = 2;
    count = 1;
  }
  for (unsigned k = 0; k < count; k++) {
    char options[256];
    snprintf(options, sizeof options, "--tokens %u --dim %u --heads %u --reduce %s --share %s "
             "--random lfsr --seed %u", shapes[k][0], shapes[k][1], shapes[k][2], reduce, share, 1000 + n);
    n = add(n, "attention", options, "rate 0.5");
  }
  return n;
}

/* random=sobol in every (reduce, share) mode: 2 x 2, 8 x 4 with two heads and 4 x 16, for 70
 * steps, past the block counter's period N * D (4, 32, 64), so its wrap is compared too. */
static unsigned add_sobol(unsigned n) {
  static const char *const reduces[] = {"mux", "count"},
                           *const shares[] = {"unit", "row", "global", "row-global"};
  static const unsigned shapes[][3] = {{2, 2, 1}, {8, 4, 2}, {4, 16, 1}};
  for (unsigned r = 0; r < 2; r++)
    for (unsigned s = 0; s < 4; s++)
      for (unsigned k = 0; k < 3; k++) {
        char options[256];
        snprintf(options, sizeof options, "--tokens %u --dim %u --heads %u --reduce %s --share %s "
                 "--random sobol --seed %u", shapes[k][0], shapes[k][1], shapes[k][2], reduces[r],
                 shares[s], 2000 + n);
        n = add(n, "attention", options, "rate 0.5");
        cases[n - 1].steps = 70;
      }
  return n;
}

/* random=packed or random=shared in every (reduce, share) mode, 40 steps: 2 x 2; 8 x 4 with
 * two heads (packed: output numbers split across 17-bit LFSRs); 8 x 8 with three heads at
 * W = 7 (packed: score numbers split across 7-bit LFSRs; shared: the third head's windows go
 * round both LFSRs). */
static unsigned add_lfsr_plan(unsigned n, const char *random) {
  static const char *const reduces[] = {"mux", "count"},
                           *const shares[] = {"unit", "row", "global", "row-global"};
  static const unsigned shapes[][4] = {{2, 2, 1, 16}, {8, 4, 2, 16}, {8, 8, 3, 7}};
  for (unsigned r = 0; r < 2; r++)
    for (unsigned s = 0; s < 4; s++)
      for (unsigned k = 0; k < 3; k++) {
        char options[256];
        snprintf(options, sizeof options, "--tokens %u --dim %u --heads %u --prng-width %u "
                 "--reduce %s --share %s --random %s --seed %u", shapes[k][0], shapes[k][1],
                 shapes[k][2], shapes[k][3], reduces[r], shares[s], random, 3000 + n);
        n = add(n, "attention", options, "rate 0.5");
        cases[n - 1].steps = 40;
      }
  return n;
}

int main(int argc, char **argv) {
  int attention = argc >= 4 && strcmp(argv[1], "attention") == 0;
  if (argc < 2 || (strcmp(argv[1], "attention") == 0 && !attention)) {
    fprintf(stderr, "usage: test_cosim_kinds encoder|lif|linear|exact-attention|block|"
                    "ann-attention [quick]\n"
                    "       test_cosim_kinds attention mux|count unit|row|global|row-global [quick] (lfsr)\n"
                    "       test_cosim_kinds attention-sobol|attention-packed|attention-shared\n");
    return 2;
  }
  const char *tmp = getenv("TMPDIR");
  snprintf(workdir, sizeof workdir, "%s/ssa-cosim-kinds-XXXXXX", tmp ? tmp : "/tmp");
  if (mkdtemp(workdir) == NULL) return 2;
  int quick = argc > (attention ? 4 : 2) && strcmp(argv[attention ? 4 : 2], "quick") == 0;
  unsigned n = 0;
  if (attention) {
    n = add_attention(n, argv[2], argv[3], quick);
  } else if (strcmp(argv[1], "attention-sobol") == 0) {
    n = add_sobol(n);
  } else if (strcmp(argv[1], "attention-packed") == 0) {
    n = add_lfsr_plan(n, "packed");
  } else if (strcmp(argv[1], "attention-shared") == 0) {
    n = add_lfsr_plan(n, "shared");
  } else if (strcmp(argv[1], "lif") == 0) {
    n = add(n, "lif", "--neurons 8 --width 16 --leak-shift 1 --threshold 64 --reset zero", "ints -32768 32767");
    if (!quick) {
      n = add(n, "lif", "--neurons 1 --width 8 --leak-shift 0 --threshold 127 --reset subtract", "ints -128 127");
      n = add(n, "lif", "--neurons 33 --width 4 --leak-shift 3 --threshold 3 --reset subtract", "ints -8 7");
      n = add(n, "lif", "--neurons 5 --width 32 --leak-shift 31 --threshold 2147483647 --reset zero",
              "ints -2147483648 2147483647");
      n = add(n, "lif", "--neurons 70 --width 2 --leak-shift 1 --threshold 1 --reset zero", "ints -2 1");
      n = add(n, "lif", "--neurons 16 --width 12 --leak-shift 2 --threshold 100 --reset subtract", "ints -300 300");
    }
  } else if (strcmp(argv[1], "block") == 0) {
    n = add_block(n, 4, 8, 2, 4, "--attention ssa", 6, 1);
    if (!quick) {
      /* the sizes: N = 16, E = 32, H = 2 over 16 steps, with either attention */
      n = add_block(n, 16, 32, 2, 8, "--attention ssa", 16, 2);
      n = add_block(n, 16, 32, 2, 8, "--attention exact --scale-shift 4", 16, 3);
      n = add_block(n, 4, 8, 1, 0, "--attention ssa --reduce count --share row", 8, 4);
      n = add_block(n, 4, 8, 2, 4, "--attention ssa --share global --random lfsr", 12, 6);
      n = add_block(n, 8, 16, 2, 3, "--attention exact --reset subtract --leak-shift 2", 8, 5);
    }
  } else if (strcmp(argv[1], "exact-attention") == 0) {
    /* scale shifts chosen for a mix of spikes at rate 0.5: E[A] = N*D/8, so the default 2^3
     * all but silences N = D = 2 and saturates N = D = 16 */
    n = add(n, "exact-attention", "--tokens 4 --dim 8 --heads 1", "rate 0.5");
    if (!quick) {
      n = add(n, "exact-attention", "--tokens 2 --dim 2 --heads 1 --scale-shift 1", "rate 0.5");
      n = add(n, "exact-attention", "--tokens 2 --dim 2 --heads 1 --scale-shift 0 --leak-shift 0 "
              "--reset subtract", "rate 0.5");
      n = add(n, "exact-attention", "--tokens 8 --dim 4 --heads 2 --scale-shift 4 --leak-shift 2",
              "rate 0.5");
      n = add(n, "exact-attention", "--tokens 8 --dim 4 --heads 2 --width 6 --leak-shift 2 "
              "--reset subtract", "rate 0.5");
      n = add(n, "exact-attention", "--tokens 16 --dim 16 --heads 1 --scale-shift 6", "rate 0.5");
      n = add(n, "exact-attention", "--tokens 8 --dim 32 --heads 1 --scale-shift 7 --width 20 "
              "--leak-shift 3 --reset subtract", "rate 0.5");
      n = add(n, "exact-attention", "--tokens 4 --dim 4 --heads 3", "rate 0.5");
    }
  } else if (strcmp(argv[1], "ann-attention") == 0) {
    /* Both organisations (M = 0 parallel; M units: 1, 2 and D), both softmax modes, score
     * shifts 0 and 5, one and two heads. On these stimuli, at rate 0.5 and Z = 0 every row's
     * weights are one 255 (the clamp) and zeros (x >= 256); Z = 5 and the narrow value ranges
     * of rates 0.1 and 0.9 spread the weights over several columns in a quarter to nine tenths
     * of the rows. --out-shift 3, 12 and 0 saturate outputs both ways; 0 has no rounding term. */
    n = add(n, "ann-attention", "--tokens 4 --dim 4 --macs 2 --score-shift 5", "rate 0.5");
    if (!quick) {
      n = add(n, "ann-attention", "--tokens 4 --dim 8 --heads 2 --macs 0", "rate 0.5");
      n = add(n, "ann-attention", "--tokens 2 --dim 2 --macs 0 --softmax none", "rate 0.9");
      n = add(n, "ann-attention", "--tokens 8 --dim 4 --heads 2 --macs 1", "rate 0.1");
      n = add(n, "ann-attention", "--tokens 2 --dim 8 --macs 8 --softmax none --out-shift 12",
              "rate 0.5");
      n = add(n, "ann-attention", "--tokens 8 --dim 2 --macs 2 --score-shift 5 --out-shift 3",
              "rate 0.9");
      n = add(n, "ann-attention", "--tokens 4 --dim 2 --heads 2 --macs 0 --score-shift 5 "
              "--out-shift 0", "rate 0.1");
    }
  } else if (strcmp(argv[1], "encoder") == 0) {
    n = add(n, "encoder", "--inputs 8 --bits 8", "ints 0 255");
    if (!quick) {
      n = add(n, "encoder", "--inputs 1 --bits 1 --prng-width 4 --seed 3 --random lfsr", "ints 0 1");
      n = add(n, "encoder", "--inputs 70 --bits 4 --prng-width 16 --seed 9 --random lfsr", "ints 0 15");
      n = add(n, "encoder", "--inputs 130 --bits 16 --prng-width 17 --seed 5 --random lfsr", "ints 0 65535");
      n = add(n, "encoder", "--inputs 64 --bits 5 --prng-width 31 --seed 77 --random lfsr", "ints 0 31");
      /* packed: 200 numbers of 5 bits from 9-bit LFSRs, most split across two; sobol: one
       * counter, past its period 2^4, and 16 bits wide */
      n = add(n, "encoder", "--inputs 200 --bits 5 --prng-width 9 --random packed --seed 4",
              "ints 0 31");
      n = add(n, "encoder", "--inputs 70 --bits 4 --random sobol --seed 8", "ints 0 15");
      n = add(n, "encoder", "--inputs 130 --bits 16 --random sobol --seed 6", "ints 0 65535");
    }
  } else {
    const char *lif = "--width 16 --leak-shift 1 --threshold 64 --reset zero";
    n = add_linear(n, 2, 8, 5, 0, 8, lif, 1);
    n = add_linear(n, 2, 10, 4, 3, 8, lif, 2);
    if (!quick) {
      n = add_linear(n, 1, 1, 1, 0, 2, "--width 4 --leak-shift 1 --threshold 1 --reset subtract", 3);
      n = add_linear(n, 1, 1, 1, 1, 2, "--width 4 --leak-shift 1 --threshold 1 --reset subtract", 3);
      n = add_linear(n, 4, 16, 16, 0, 8, lif, 4);
      n = add_linear(n, 4, 16, 16, 16, 8, lif, 4);
      n = add_linear(n, 3, 33, 9, 4, 6, "--width 10 --leak-shift 2 --threshold 20 --reset subtract", 5);
      n = add_linear(n, 1, 7, 3, 1, 16, "--width 32 --leak-shift 4 --threshold 40000 --reset zero", 6);
      n = add_linear(n, 16, 32, 32, 8, 8, lif, 7);
      /* a realistic size: I = O = 384 folded by 16, 25 clocks per step */
      n = add_linear(n, 1, 384, 384, 16, 8, "--width 16 --leak-shift 1 --threshold 400 --reset zero", 8);
    }
  }
  char group[64];
  snprintf(group, sizeof group, "cosim %s%s%s%s%s", argv[1], attention ? " " : "",
           attention ? argv[2] : "", attention ? "/" : "", attention ? argv[3] : "");
  int rc = _cmocka_run_group_tests(group, tests, n, NULL, NULL);
  ssa_remove_tree(workdir);
  return rc;
}
