/* test_cosim_attention.c -- the three engines agree bit for bit, every output of every clock.
 * Usage: test_cosim_attention REDUCE SHARE [quick]. For each size of the matrix the golden
 * model's vectors run on Verilator and on Icarus; ssa_vectors_compare must find no difference,
 * and the two simulators' outputs must be identical to each other. Split by mode so that meson
 * runs the modes in parallel. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kinds/kinds.h"
#include "../sim/engine.h"
#include "../sim/stepped_run.h"

#define STEPS 12u
#define MAX_CASES 64

typedef struct cosim_case {
  ssa_attention_params params;
  char name[96];
} cosim_case;

static cosim_case cases[MAX_CASES];
static struct CMUnitTest tests[MAX_CASES];

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

static void engines_agree(void **state) {
  const cosim_case *c = *state;
  ssa_error err = {{0}};
  ssa_stepped_run r;
  /* rate 0.5 inputs: every score and output probability away from 0 and 1 on average */
  if (ssa_stepped_run_init(&r, &ssa_kind_attention, &c->params, NULL, 0.5, STEPS, &err) != 0)
    fail_msg("%s", err.msg);
  size_t words = (size_t)r.vectors.cycles * r.vectors.out_words + 1;
  uint64_t *verilated = calloc(words, sizeof *verilated), *icarus = calloc(words, sizeof *icarus);
  assert_non_null(verilated);
  assert_non_null(icarus);
  run_engine(SSA_ENGINE_VERILATOR, &r, verilated);
  run_engine(SSA_ENGINE_ICARUS, &r, icarus);
  assert_memory_equal(verilated, icarus, words * sizeof *verilated);
  /* the outputs are not trivially all zero: some output spiked */
  unsigned long spikes = 0;
  unsigned o = (unsigned)ssa_design_port_index(&r.design, "o_o");
  for (unsigned t = 0; t < STEPS; t++)
    for (unsigned b = 0; b < r.design.ports[o].width; b++) spikes += ssa_words_bit(ssa_step_out(&r.data, t, o), b);
  assert_true(spikes > 0);
  free(verilated);
  free(icarus);
  ssa_stepped_run_free(&r);
}

static unsigned add_case(unsigned n, enum ssa_reduce reduce, enum ssa_share share, unsigned tokens,
                         unsigned dim, unsigned heads) {
  cosim_case *c = &cases[n];
  ssa_attention_params_default(&c->params);
  c->params.tokens = tokens;
  c->params.dim = dim;
  c->params.heads = heads;
  c->params.reduce = reduce;
  c->params.share = share;
  c->params.seed = 1000 + n;
  snprintf(c->name, sizeof c->name, "%s/%s N=%u D=%u H=%u", ssa_reduce_name(reduce),
           ssa_share_name(share), tokens, dim, heads);
  tests[n] = (struct CMUnitTest){c->name, engines_agree, NULL, NULL, c};
  return n + 1;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: test_cosim_attention mux|count unit|row|global [quick]\n");
    return 2;
  }
  enum ssa_reduce reduce = strcmp(argv[1], "count") == 0 ? SSA_REDUCE_COUNT : SSA_REDUCE_MUX;
  enum ssa_share share = strcmp(argv[2], "row") == 0      ? SSA_SHARE_ROW
                         : strcmp(argv[2], "global") == 0 ? SSA_SHARE_GLOBAL
                                                          : SSA_SHARE_UNIT;
  int quick = argc > 3 && strcmp(argv[3], "quick") == 0;
  static const unsigned sizes[] = {2, 4, 8, 16};
  unsigned n = 0;
  if (quick) {
    n = add_case(n, reduce, share, 4, 8, 2);
  } else {
    /* every (N, D) pair with one head, a non-square case, and two heads at two sizes (16 x 16
     * with two heads is left out: its count-mode model alone takes minutes to compile) */
    for (unsigned a = 0; a < 4; a++)
      for (unsigned b = 0; b < 4; b++) n = add_case(n, reduce, share, sizes[a], sizes[b], 1);
    n = add_case(n, reduce, share, 8, 32, 1);
    n = add_case(n, reduce, share, 2, 4, 2);
    n = add_case(n, reduce, share, 8, 8, 2);
  }
  char group[64];
  snprintf(group, sizeof group, "cosim %s/%s", argv[1], argv[2]);
  return _cmocka_run_group_tests(group, tests, n, NULL, NULL);
}
