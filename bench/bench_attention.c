/* bench_attention.c -- golden-model throughput against the Verilator model of the same block.
 * Usage: bench_attention [TOKENS DIM [STEPS]]   (default: both 16x16 and 64x32, unit mode)
 *        bench_attention --golden-only TOKENS DIM STEPS   (the golden model alone, no Verilator)
 * Both run in this one process on the same inputs, so the ratio is measured under the same
 * machine load; the golden outputs are checked against Verilator's on every step. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kinds/kinds.h"
#include "../gen/emit_attention.h"
#include "../golden/attention.h"
#include "../core/stimulus.h"
#include "../sim/verilator.h"
#include "../common/clock.h"
#include "../common/clones.h"

static int bench(unsigned tokens, unsigned dim, unsigned steps, int golden_only) {
  ssa_attention_params p;
  ssa_attention_params_default(&p);
  p.tokens = tokens;
  p.dim = dim;
  ssa_plan plan;
  ssa_design design;
  ssa_error err;
  if (ssa_plan_build(&plan, &p, &err) != 0 || ssa_kind_emit(&ssa_kind_attention, &p, &design, &err) != 0) {
    fprintf(stderr, "bench: %s\n", err.msg);
    return 1;
  }
  unsigned e = p.heads * p.dim, inputs = 64; /* distinct input steps, cycled */
  size_t words = (size_t)tokens * e / 64 + 1;
  ssa_bitmat *in = calloc(3 * inputs, sizeof *in), o;
  ssa_rng rng;
  ssa_rng_seed(&rng, 7, 1);
  for (unsigned k = 0; k < 3 * inputs; k++) {
    ssa_bitmat_init(&in[k], tokens, e);
    ssa_rng_fill(&rng, &in[k], 0.5);
  }
  ssa_bitmat_init(&o, tokens, e);

  /* golden */
  ssa_golden_attention *g = NULL;
  ssa_golden_attention_new(&plan, &g, &err);
  unsigned long spikes = 0;
  double t0 = ssa_seconds_now();
  for (unsigned t = 0; t < steps; t++) {
    const ssa_bitmat *x = &in[3 * (t % inputs)];
    ssa_golden_attention_step(g, &x[0], &x[1], &x[2], &o);
    spikes += ssa_bitmat_popcount(&o);
  }
  double golden_s = ssa_seconds_now() - t0;
  if (golden_only) {
    printf("N=%-3u D=%-3u unit/mux  golden %10.0f steps/s %12.0f output spikes/s (golden only, "
           "%u steps)\n", tokens, dim, steps / golden_s, spikes / golden_s, steps);
    ssa_golden_attention_free(g);
    for (unsigned k = 0; k < 3 * inputs; k++) ssa_bitmat_free(&in[k]);
    free(in);
    ssa_bitmat_free(&o);
    ssa_design_free(&design);
    ssa_plan_free(&plan);
    return 0;
  }

  /* Verilator: same inputs, outputs compared with a fresh golden model every step */
  ssa_verilator_opts vopts = {.cache_dir = NULL, .trace = 0, .progress = 1};
  ssa_vmodel *m = NULL;
  if (ssa_verilator_open(&design, &vopts, &m, &err) != 0) {
    fprintf(stderr, "bench: %s\n", err.msg);
    return 1;
  }
  ssa_golden_attention_reset(g);
  uint64_t *flat = calloc(words, sizeof *flat), *seen = calloc(words, sizeof *seen);
  uint64_t one = 1, zero = 0;
  unsigned rst = (unsigned)ssa_design_port_index(&design, "rst_ni");
  unsigned valid = (unsigned)ssa_design_port_index(&design, "in_valid_i");
  unsigned q_port = (unsigned)ssa_design_port_index(&design, "q_i");
  unsigned o_port = (unsigned)ssa_design_port_index(&design, "o_o");
  ssa_vmodel_poke(m, rst, &zero);
  ssa_vmodel_poke(m, valid, &zero);
  ssa_vmodel_cycle(m);
  ssa_vmodel_poke(m, rst, &one);
  ssa_vmodel_poke(m, valid, &one);
  unsigned vl_cycles = steps < 20000 ? steps : 20000, mismatches = 0;
  double vl_s = 0;
  for (unsigned t = 0; t < vl_cycles; t++) {
    const ssa_bitmat *x = &in[3 * (t % inputs)];
    double a = ssa_seconds_now();
    for (unsigned b = 0; b < 3; b++) {
      ssa_bitmat_to_flat(&x[b], flat);
      ssa_vmodel_poke(m, q_port + b, flat); /* q_i, k_i, v_i are consecutive ports */
    }
    ssa_vmodel_cycle(m);
    ssa_vmodel_peek(m, o_port, seen);
    vl_s += ssa_seconds_now() - a;
    ssa_golden_attention_step(g, &x[0], &x[1], &x[2], &o);
    ssa_bitmat_to_flat(&o, flat);
    mismatches += memcmp(flat, seen, sizeof *flat * ((size_t)tokens * e / 64 + ((tokens * e) % 64 != 0))) != 0;
  }
  ssa_vmodel_close(m);
  double golden_sps = steps / golden_s, vl_cps = vl_cycles / vl_s;
  printf("N=%-3u D=%-3u unit/mux  golden %10.0f steps/s %12.0f output spikes/s | verilator %9.0f "
         "cycles/s | golden/verilator %.1fx | %u of %u verilator steps differ from golden\n",
         tokens, dim, golden_sps, spikes / golden_s, vl_cps, golden_sps / vl_cps, mismatches,
         vl_cycles);
  ssa_golden_attention_free(g);
  for (unsigned k = 0; k < 3 * inputs; k++) ssa_bitmat_free(&in[k]);
  free(in);
  ssa_bitmat_free(&o);
  free(flat);
  free(seen);
  ssa_design_free(&design);
  ssa_plan_free(&plan);
  return mismatches != 0;
}

/* Which clone of the golden model's hot loops this CPU runs (golden/slice.h). */
static const char *golden_isa(void) {
#ifdef SSA_HAVE_CLONES
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return "avx512f";
  if (__builtin_cpu_supports("avx2")) return "avx2";
#endif
  return "generic";
}

int main(int argc, char **argv) {
  printf("golden model hot loops: %s clone\n", golden_isa());
  if (argc == 5 && strcmp(argv[1], "--golden-only") == 0)
    return bench((unsigned)atoi(argv[2]), (unsigned)atoi(argv[3]), (unsigned)atoi(argv[4]), 1);
  if (argc >= 3) return bench((unsigned)atoi(argv[1]), (unsigned)atoi(argv[2]),
                              argc > 3 ? (unsigned)atoi(argv[3]) : 20000, 0);
  int rc = bench(16, 16, 200000, 0);
  rc |= bench(64, 32, 20000, 0);
  return rc;
}
