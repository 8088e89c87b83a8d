/* test_verilator.c -- the Verilator harness: models agree with the golden model bit for bit,
 * every port type (CData to VlWide) round-trips, the cache is reused, FST waveforms appear,
 * and a failing build names its step and log. Models land in $SSA_CACHE_DIR (meson sets it). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../kinds/kinds.h"
#include "../common/process.h"
#include "../gen/emit_attention.h"
#include "../golden/attention.h"
#include "../core/stimulus.h"
#include "../sim/verilator.h"
#include "textio.h"

#define STEPS 50u
#define RESET_CYCLES 2u

/* ---- one attention model beside its golden model ---- */

enum { P_RST, P_VALID, P_Q, P_K, P_V, P_OVALID, P_O, P_COUNT };
static const char *const port_names[P_COUNT] = {"rst_ni", "in_valid_i", "q_i", "k_i",
                                                "v_i", "out_valid_o", "o_o"};

typedef struct cosim {
  ssa_attention_params params;
  ssa_plan plan;
  ssa_design design;
  ssa_golden_attention *golden;
  ssa_vmodel *model;
  unsigned port[P_COUNT];
  ssa_bitmat q, k, v, o;
  size_t words;
  uint64_t *flat, *seen;
  ssa_rng rng;
  uint64_t seed;
} cosim;

static void cosim_open(cosim *c, const ssa_attention_params *p, uint64_t seed,
                       const ssa_verilator_opts *opts) {
  ssa_error err = {{0}};
  memset(c, 0, sizeof *c);
  c->params = *p;
  c->seed = seed;
  if (ssa_plan_build(&c->plan, p, &err) != 0 ||
      ssa_kind_emit(&ssa_kind_attention, p, &c->design, &err) != 0 ||
      ssa_golden_attention_new(&c->plan, &c->golden, &err) != 0)
    fail_msg("%s", err.msg);
  for (unsigned k = 0; k < P_COUNT; k++) {
    int index = ssa_design_port_index(&c->design, port_names[k]);
    assert_true(index >= 0);
    c->port[k] = (unsigned)index;
  }
  if (ssa_verilator_open(&c->design, opts, &c->model, &err) != 0) fail_msg("%s", err.msg);
  unsigned n = p->tokens, e = p->heads * p->dim;
  assert_int_equal(c->design.ports[c->port[P_Q]].width, n * e);
  assert_int_equal(ssa_bitmat_init(&c->q, n, e), 0);
  assert_int_equal(ssa_bitmat_init(&c->k, n, e), 0);
  assert_int_equal(ssa_bitmat_init(&c->v, n, e), 0);
  assert_int_equal(ssa_bitmat_init(&c->o, n, e), 0);
  c->words = ssa_flat_words(n, e);
  c->flat = calloc(c->words, sizeof *c->flat);
  c->seen = calloc(c->words, sizeof *c->seen);
  assert_non_null(c->flat);
  assert_non_null(c->seen);
  ssa_rng_seed(&c->rng, seed, SSA_STREAM_STIMULUS);
}

static void poke_bit(cosim *c, unsigned port, int bit) {
  uint64_t w = (uint64_t)bit;
  ssa_vmodel_poke(c->model, c->port[port], &w);
}

static uint64_t peek_bit(cosim *c, unsigned port) {
  uint64_t w = 0;
  ssa_vmodel_peek(c->model, c->port[port], &w);
  return w;
}

static void cosim_reset(cosim *c) {
  poke_bit(c, P_RST, 0);
  poke_bit(c, P_VALID, 0);
  for (unsigned k = 0; k < RESET_CYCLES; k++) {
    ssa_vmodel_cycle(c->model);
    assert_int_equal(peek_bit(c, P_OVALID), 0);
  }
  poke_bit(c, P_RST, 1);
}

/* One clock; with valid, one golden step whose output must match every bit. An idle clock
 * (valid 0) must drop out_valid and must not advance the random numbers: the golden model is
 * not stepped, so a later mismatch would show it. */
static void cosim_clock(cosim *c, unsigned cycle, int valid) {
  if (valid) {
    ssa_rng_fill(&c->rng, &c->q, 0.5);
    ssa_rng_fill(&c->rng, &c->k, 0.5);
    ssa_rng_fill(&c->rng, &c->v, 0.5);
    ssa_bitmat_to_flat(&c->q, c->flat);
    ssa_vmodel_poke(c->model, c->port[P_Q], c->flat);
    ssa_bitmat_to_flat(&c->k, c->flat);
    ssa_vmodel_poke(c->model, c->port[P_K], c->flat);
    ssa_bitmat_to_flat(&c->v, c->flat);
    ssa_vmodel_poke(c->model, c->port[P_V], c->flat);
  }
  poke_bit(c, P_VALID, valid);
  ssa_vmodel_cycle(c->model);
  uint64_t out_valid = peek_bit(c, P_OVALID);
  if (out_valid != (uint64_t)valid)
    fail_msg("%s (seed %llu) cycle %u: out_valid_o %llu, expected %d", c->design.options,
             (unsigned long long)c->seed, cycle, (unsigned long long)out_valid, valid);
  if (!valid) return;
  ssa_golden_attention_step(c->golden, &c->q, &c->k, &c->v, &c->o);
  ssa_bitmat_to_flat(&c->o, c->flat);
  ssa_vmodel_peek(c->model, c->port[P_O], c->seen);
  size_t bits = (size_t)c->o.rows * c->o.cols;
  for (size_t b = 0; b < bits; b++)
    if (ssa_flat_get(c->flat, b) != ssa_flat_get(c->seen, b))
      fail_msg("%s (seed %llu) cycle %u: o_o[%zu] is %d, golden %d", c->design.options,
               (unsigned long long)c->seed, cycle, b, ssa_flat_get(c->seen, b),
               ssa_flat_get(c->flat, b));
}

static void cosim_close(cosim *c) {
  ssa_vmodel_close(c->model);
  ssa_golden_attention_free(c->golden);
  ssa_bitmat_free(&c->q);
  ssa_bitmat_free(&c->k);
  ssa_bitmat_free(&c->v);
  ssa_bitmat_free(&c->o);
  free(c->flat);
  free(c->seen);
  ssa_design_free(&c->design);
  ssa_plan_free(&c->plan);
}

/* Reset, then STEPS clocks of random inputs at rate 0.5; every 8th clock is idle. */
static void run_attention(const ssa_attention_params *p, uint64_t seed) {
  ssa_verilator_opts opts = {.cache_dir = NULL, .trace = 0, .progress = 0};
  cosim c;
  cosim_open(&c, p, seed, &opts);
  cosim_reset(&c);
  for (unsigned t = 0; t < STEPS; t++) cosim_clock(&c, RESET_CYCLES + t, t % 8 != 7);
  cosim_close(&c);
}

static ssa_attention_params params(unsigned tokens, unsigned dim, unsigned heads) {
  ssa_attention_params p;
  ssa_attention_params_default(&p);
  p.tokens = tokens;
  p.dim = dim;
  p.heads = heads;
  return p;
}

/* Ports of every width class Verilator gives its own C type (the last with a partial top
 * word); each case N, D, H, the reduce and share modes, and the seed of the random inputs. */
static void attention_port_widths(void **state) {
  (void)state;
  static const struct {
    unsigned tokens, dim, heads;
    enum ssa_reduce reduce;
    enum ssa_share share;
    uint64_t seed;
  } cases[] = {
      {4, 4, 1, SSA_REDUCE_MUX, SSA_SHARE_UNIT, 1},    /* 16-bit ports: SData */
      {16, 16, 1, SSA_REDUCE_MUX, SSA_SHARE_UNIT, 2},  /* 256-bit ports: VlWide<8> */
      {4, 8, 2, SSA_REDUCE_COUNT, SSA_SHARE_ROW, 3},   /* 4 x (2 * 8) = 64 bits: one QData */
      {4, 4, 5, SSA_REDUCE_MUX, SSA_SHARE_UNIT, 4},    /* 4 x (5 * 4) = 80 bits: VlWide<3> */
  };
  for (unsigned k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    ssa_attention_params p = params(cases[k].tokens, cases[k].dim, cases[k].heads);
    p.reduce = cases[k].reduce;
    p.share = cases[k].share;
    run_attention(&p, cases[k].seed);
  }
}

/* Two instances of one shared object, driven differently, stay independent. */
static void two_instances_at_once(void **state) {
  (void)state;
  ssa_attention_params p = params(4, 4, 1);
  ssa_verilator_opts opts = {.cache_dir = NULL, .trace = 0, .progress = 0};
  cosim a, b;
  cosim_open(&a, &p, 5, &opts);
  cosim_open(&b, &p, 6, &opts);
  assert_string_equal(ssa_vmodel_dir(a.model), ssa_vmodel_dir(b.model));
  cosim_reset(&a);
  cosim_reset(&b);
  for (unsigned t = 0; t < 20; t++) {
    cosim_clock(&a, RESET_CYCLES + t, 1);
    cosim_clock(&b, RESET_CYCLES + t, t % 3 != 0);
  }
  cosim_close(&a);
  cosim_close(&b);
}

/* The row of units is a hierarchical block (gen/emit_attention.c, sim/verilator.c) from 4096
 * score units (H*N*N) with reduce=mux, and from 4096 popcount inputs (2*H*N*N*D) with
 * reduce=count: a model closed before its first clock (the block's instances are made in the
 * first eval) closes cleanly, and two models at once, one with idle clocks, each match the
 * golden model on every bit. Below the sizes the row is flat. */
static void hierarchical_row_block(void **state) {
  (void)state;
  static const struct {
    unsigned tokens, dim, heads;
    enum ssa_reduce reduce;
    int block;
  } cases[] = {
      {32, 2, 1, SSA_REDUCE_MUX, 0},   /* 1024 units */
      {32, 2, 3, SSA_REDUCE_MUX, 0},   /* 3072 units */
      {64, 2, 1, SSA_REDUCE_MUX, 1},   /* 4096 units */
      {32, 2, 4, SSA_REDUCE_MUX, 1},   /* 4096 units */
      {16, 4, 1, SSA_REDUCE_COUNT, 0}, /* 2 * 256 * 4 = 2048 inputs */
      {16, 8, 1, SSA_REDUCE_COUNT, 1}, /* 2 * 256 * 8 = 4096 */
      {8, 8, 3, SSA_REDUCE_COUNT, 0},  /* 2 * 192 * 8 = 3072 */
      {8, 8, 4, SSA_REDUCE_COUNT, 1},  /* 2 * 256 * 8 = 4096 */
      {8, 16, 2, SSA_REDUCE_COUNT, 1}, /* 2 * 128 * 16 = 4096 */
  };
  for (unsigned c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    ssa_attention_params p = params(cases[c].tokens, cases[c].dim, cases[c].heads);
    p.reduce = cases[c].reduce;
    p.share = SSA_SHARE_UNIT;
    ssa_design d;
    ssa_error err = {{0}};
    if (ssa_kind_emit(&ssa_kind_attention, &p, &d, &err) != 0) fail_msg("%s", err.msg);
    const ssa_design_file *row = NULL;
    for (unsigned k = 0; k < d.file_count; k++)
      if (strcmp(d.files[k].name, "ssa_attention_row.v") == 0) row = &d.files[k];
    assert_non_null(row);
    int block = strstr(row->text, "/*verilator hier_block*/") != NULL;
    if (block != cases[c].block)
      fail_msg("N=%u D=%u H=%u %s: block %d, expected %d", cases[c].tokens, cases[c].dim,
               cases[c].heads, ssa_reduce_name(cases[c].reduce), block, cases[c].block);
    ssa_design_free(&d);
  }
  ssa_attention_params p = params(64, 2, 1);
  ssa_verilator_opts opts = {.cache_dir = NULL, .trace = 0, .progress = 0};
  cosim unrun, a, b;
  cosim_open(&unrun, &p, 7, &opts);
  cosim_close(&unrun);
  cosim_open(&a, &p, 8, &opts);
  cosim_open(&b, &p, 9, &opts);
  cosim_reset(&a);
  cosim_reset(&b);
  for (unsigned t = 0; t < STEPS; t++) {
    cosim_clock(&a, RESET_CYCLES + t, 1);
    cosim_clock(&b, RESET_CYCLES + t, t % 3 != 0);
  }
  cosim_close(&a);
  cosim_close(&b);
}

/* The model exports only the shim's functions, so nothing pins it: closing unmaps it. */
static void close_unloads_the_model(void **state) {
  (void)state;
  ssa_attention_params p = params(4, 4, 1);
  ssa_verilator_opts opts = {.cache_dir = NULL, .trace = 0, .progress = 0};
  cosim c;
  cosim_open(&c, &p, 10, &opts);
  char so[4096 + 16], line[8192];
  snprintf(so, sizeof so, "%s/model.so", ssa_vmodel_dir(c.model));
  cosim_close(&c);
  FILE *maps = fopen("/proc/self/maps", "r");
  assert_non_null(maps);  /* Linux, the only platform SSA runs on, always has it */
  while (fgets(line, sizeof line, maps) != NULL)
    if (strstr(line, so) != NULL) fail_msg("%s is still mapped after ssa_vmodel_close", so);
  fclose(maps);
}

/* ---- every Verilator port type, through a hand-written design ---- */

static const unsigned widths[] = {1, 9, 32, 33, 64, 65, 96, 100};
#define WIDTH_COUNT (sizeof widths / sizeof widths[0])

static void widths_design(ssa_design *d) {
  memset(d, 0, sizeof *d);
  snprintf(d->kind, sizeof d->kind, "test");
  snprintf(d->top, sizeof d->top, "ssa_widths");
  char text[4096];
  size_t n = (size_t)snprintf(text, sizeof text, "`timescale 1ns / 1ps\n\nmodule ssa_widths (\n"
                                                 "  input  wire clk_i");
  for (unsigned k = 0; k < WIDTH_COUNT; k++)
    n += (size_t)snprintf(text + n, sizeof text - n, ",\n  input  wire [%u:0] w%u_i", widths[k] - 1,
                          widths[k]);
  for (unsigned k = 0; k < WIDTH_COUNT; k++)
    n += (size_t)snprintf(text + n, sizeof text - n, ",\n  output reg  [%u:0] w%u_o", widths[k] - 1,
                          widths[k]);
  n += (size_t)snprintf(text + n, sizeof text - n, "\n);\n  always @(posedge clk_i) begin\n");
  for (unsigned k = 0; k < WIDTH_COUNT; k++)
    n += (size_t)snprintf(text + n, sizeof text - n, "    w%u_o <= ~w%u_i;\n", widths[k],
                          widths[k]);
  n += (size_t)snprintf(text + n, sizeof text - n, "  end\nendmodule\n");
  assert_true(n < sizeof text);
  assert_int_equal(ssa_design_add_file(d, "ssa_widths.v", text, n, 0), 0);
  char name[32];
  for (int out = 0; out < 2; out++)
    for (unsigned k = 0; k < WIDTH_COUNT; k++) {
      snprintf(name, sizeof name, "w%u_%s", widths[k], out ? "o" : "i");
      ssa_design_add_port(d, name, widths[k], !out);
    }
  assert_int_equal(d->port_count, 2 * WIDTH_COUNT);
}

static uint64_t word_mask(unsigned width, unsigned word) {
  unsigned bits = width - 64 * word;
  return bits >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << bits) - 1;
}

/* Inputs carry garbage above their width: the harness masks it (peeking an input shows it
 * clean), and each output, the inverse of its input, must be exact in every word, with the
 * word after the last one untouched. */
static void every_port_type(void **state) {
  (void)state;
  ssa_design d;
  widths_design(&d);
  ssa_error err = {{0}};
  ssa_verilator_opts opts = {.cache_dir = NULL, .trace = 0, .progress = 0};
  ssa_vmodel *m = NULL;
  if (ssa_verilator_open(&d, &opts, &m, &err) != 0) fail_msg("%s", err.msg);
  ssa_rng rng;
  ssa_rng_seed(&rng, 9, 1);
  uint64_t in[WIDTH_COUNT][3], seen[3];
  const uint64_t guard = 0xdeadbeefcafef00dull;
  for (unsigned cycle = 0; cycle < 20; cycle++) {
    for (unsigned k = 0; k < WIDTH_COUNT; k++) {
      for (unsigned w = 0; w < 3; w++)
        in[k][w] = cycle == 0 ? ~(uint64_t)0 : cycle == 1 ? 0 : ssa_rng_next(&rng);
      ssa_vmodel_poke(m, k, in[k]);
    }
    ssa_vmodel_cycle(m);
    for (unsigned k = 0; k < WIDTH_COUNT; k++) {
      unsigned words = (widths[k] + 63) / 64;
      for (int out = 0; out < 2; out++) {
        seen[0] = seen[1] = seen[2] = guard;
        ssa_vmodel_peek(m, out ? WIDTH_COUNT + k : k, seen);
        for (unsigned w = 0; w < words; w++) {
          uint64_t want = (out ? ~in[k][w] : in[k][w]) & word_mask(widths[k], w);
          if (seen[w] != want)
            fail_msg("cycle %u: %u-bit %s word %u is %016llx, expected %016llx", cycle, widths[k],
                     out ? "output" : "input", w, (unsigned long long)seen[w],
                     (unsigned long long)want);
        }
        assert_true(seen[words] == guard);
      }
    }
  }
  ssa_vmodel_close(m);
  ssa_design_free(&d);
}

/* ---- the cache ---- */

/* A private cache under $TMPDIR that borrows the Verilator runtime of the shared cache (by
 * symlink, so that its 20 s compile is not repeated): only this test writes there. */
static void private_cache(char *dir, size_t len) {
  assert_non_null(temp_dir(dir, len, "ssa-test-verilator"));
  char vdir[4096], shared[4096], from[4096 + 256], to[4096 + 256];
  snprintf(vdir, sizeof vdir, "%s/verilator", dir);
  assert_int_equal(mkdir(vdir, 0755), 0);
  const char *cache = getenv("SSA_CACHE_DIR");
  if (cache == NULL || cache[0] != '/') return;  /* then the runtime gets built here */
  snprintf(shared, sizeof shared, "%s/verilator", cache);
  DIR *d = opendir(shared);
  if (d == NULL) return;
  struct dirent *e;
  while ((e = readdir(d)) != NULL)
    if (strncmp(e->d_name, "libverilated-", 13) == 0 && strchr(e->d_name, '.') == NULL) {
      snprintf(from, sizeof from, "%s/%s", shared, e->d_name);
      snprintf(to, sizeof to, "%s/%s", vdir, e->d_name);
      assert_int_equal(symlink(from, to), 0);
    }
  closedir(d);
}

static void open_small(const char *cache, int trace, ssa_vmodel **m) {
  ssa_attention_params p = params(2, 2, 1);
  p.seed = 0x7e57cac4eull;  /* a design of its own */
  ssa_plan plan;
  ssa_design d;
  ssa_error err = {{0}};
  if (ssa_plan_build(&plan, &p, &err) != 0 || ssa_kind_emit(&ssa_kind_attention, &p, &d, &err) != 0)
    fail_msg("%s", err.msg);
  ssa_verilator_opts opts = {.cache_dir = cache, .trace = trace, .progress = 0};
  if (ssa_verilator_open(&d, &opts, m, &err) != 0) fail_msg("%s", err.msg);
  ssa_design_free(&d);
  ssa_plan_free(&plan);
}

/* A build creates (and renames away) a temporary directory in verilator/, which moves that
 * directory's mtime. With the mtime set far in the past, a second open that leaves it there
 * did not build. */
static void cache_is_reused(void **state) {
  (void)state;
  char cache[4096], vdir[4096 + 16], so[4096 + 128];
  private_cache(cache, sizeof cache);
  snprintf(vdir, sizeof vdir, "%s/verilator", cache);
  ssa_vmodel *m = NULL;
  open_small(cache, 0, &m);
  char dir[4096];
  snprintf(dir, sizeof dir, "%s", ssa_vmodel_dir(m));
  ssa_vmodel_close(m);
  /* <cache>/verilator/<top>-<16 hex digits> */
  size_t prefix = strlen(vdir) + strlen("/ssa_attention-");
  assert_true(strncmp(dir, vdir, strlen(vdir)) == 0);
  assert_int_equal(strlen(dir), prefix + 16);
  assert_int_equal(strspn(dir + prefix, "0123456789abcdef"), 16);
  snprintf(so, sizeof so, "%s/model.so", dir);
  struct stat before, after, vstat;
  assert_int_equal(stat(so, &before), 0);

  const struct timespec old[2] = {{1000000000, 0}, {1000000000, 0}};
  assert_int_equal(utimensat(AT_FDCWD, vdir, old, 0), 0);
  open_small(cache, 0, &m);
  assert_string_equal(ssa_vmodel_dir(m), dir);
  ssa_vmodel_close(m);
  assert_int_equal(stat(vdir, &vstat), 0);
  assert_int_equal((long long)vstat.st_mtime, 1000000000LL);
  assert_int_equal(stat(so, &after), 0);
  assert_true(before.st_ino == after.st_ino);
  ssa_remove_tree(cache);
}

/* ---- waveforms ---- */

static void trace_writes_fst(void **state) {
  (void)state;
  char dir[4096], fst[4096 + 16];
  assert_non_null(temp_dir(dir, sizeof dir, "ssa-test-fst"));
  snprintf(fst, sizeof fst, "%s/wave.fst", dir);
  ssa_attention_params p = params(4, 4, 1);
  ssa_verilator_opts opts = {.cache_dir = NULL, .trace = 1, .progress = 0};
  ssa_error err = {{0}};
  cosim c;
  cosim_open(&c, &p, 7, &opts);
  const char *mdir = ssa_vmodel_dir(c.model);
  assert_string_equal(mdir + strlen(mdir) - 6, "-trace");
  if (ssa_vmodel_trace(c.model, fst, &err) != 0) fail_msg("%s", err.msg);
  assert_int_equal(ssa_vmodel_trace(c.model, fst, &err), -1);
  assert_non_null(strstr(err.msg, "already"));
  cosim_reset(&c);
  for (unsigned t = 0; t < 10; t++) cosim_clock(&c, RESET_CYCLES + t, 1);
  cosim_close(&c);

  struct stat st;
  assert_int_equal(stat(fst, &st), 0);
  assert_true(st.st_size > 0);
  /* An FST file opens with its header block: type FST_BL_HDR (0), then the block's length,
   * 329 bytes, as a big-endian 64-bit number. */
  unsigned char head[9];
  FILE *f = fopen(fst, "rb");
  assert_non_null(f);
  assert_int_equal(fread(head, 1, sizeof head, f), sizeof head);
  fclose(f);
  static const unsigned char expected[9] = {0, 0, 0, 0, 0, 0, 0, 0x01, 0x49};
  assert_memory_equal(head, expected, sizeof head);
  ssa_remove_tree(dir);
}

static void trace_needs_traced_model(void **state) {
  (void)state;
  ssa_attention_params p = params(4, 4, 1);
  ssa_verilator_opts opts = {.cache_dir = NULL, .trace = 0, .progress = 0};
  ssa_error err = {{0}};
  cosim c;
  cosim_open(&c, &p, 8, &opts);
  assert_int_equal(ssa_vmodel_trace(c.model, "/tmp/never-written.fst", &err), -1);
  assert_non_null(strstr(err.msg, "without tracing"));
  cosim_close(&c);

  opts.trace = 1;
  cosim_open(&c, &p, 8, &opts);
  assert_int_equal(ssa_vmodel_trace(c.model, "/nonexistent-dir/wave.fst", &err), -1);
  assert_non_null(strstr(err.msg, "/nonexistent-dir/wave.fst"));
  cosim_close(&c);
}

/* ---- failures ---- */

static void bad_verilog_names_step_and_log(void **state) {
  (void)state;
  char cache[4096];
  private_cache(cache, sizeof cache);
  ssa_design d;
  memset(&d, 0, sizeof d);
  snprintf(d.top, sizeof d.top, "ssa_broken");
  static const char text[] = "module ssa_broken (input wire clk_i);\n  this is not verilog\n"
                             "endmodule\n";
  assert_int_equal(ssa_design_add_file(&d, "ssa_broken.v", (char *)text, sizeof text - 1, 0), 0);
  ssa_verilator_opts opts = {.cache_dir = cache, .trace = 0, .progress = 0};
  ssa_error err = {{0}};
  ssa_vmodel *m = NULL;
  assert_int_equal(ssa_verilator_open(&d, &opts, &m, &err), -1);
  assert_null(m);
  assert_non_null(strstr(err.msg, "verilating ssa_broken"));
  const char *log = strstr(err.msg, "see ");
  assert_non_null(log);
  struct stat st;
  assert_int_equal(stat(log + 4, &st), 0);
  assert_true(st.st_size > 0);
  ssa_design_free(&d);
  ssa_remove_tree(cache);
}

static void bad_names_are_refused(void **state) {
  (void)state;
  ssa_design d;
  memset(&d, 0, sizeof d);
  snprintf(d.top, sizeof d.top, "bad top");
  ssa_error err = {{0}};
  ssa_vmodel *m = NULL;
  assert_int_equal(ssa_verilator_open(&d, NULL, &m, &err), -1);
  assert_non_null(strstr(err.msg, "bad top"));
  snprintf(d.top, sizeof d.top, "ssa_ok");
  static const char text[] = "module ssa_ok (input wire clk_i);\nendmodule\n";
  assert_int_equal(ssa_design_add_file(&d, "../ssa_ok.v", (char *)text, sizeof text - 1, 0), 0);
  assert_int_equal(ssa_verilator_open(&d, NULL, &m, &err), -1);
  assert_non_null(strstr(err.msg, "../ssa_ok.v"));
  ssa_design_free(&d);
}

int main(void) {
  /* The cosim tests come first: they leave the runtime in the shared cache for the rest. */
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(attention_port_widths),
      cmocka_unit_test(two_instances_at_once),
      cmocka_unit_test(hierarchical_row_block),
      cmocka_unit_test(close_unloads_the_model),
      cmocka_unit_test(every_port_type),
      cmocka_unit_test(cache_is_reused),
      cmocka_unit_test(trace_writes_fst),
      cmocka_unit_test(trace_needs_traced_model),
      cmocka_unit_test(bad_verilog_names_step_and_log),
      cmocka_unit_test(bad_names_are_refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
