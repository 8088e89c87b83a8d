/* bench_golden.c -- golden-model throughput alone, for builds forced to one vector ISA.
 * Usage: bench_golden TOKENS DIM STEPS   (share=unit, reduce=mux, W=16, rate-0.5 inputs)
 * bench/run compiles it with the golden sources three times (-DSSA_SLICE_CLONES= with no
 * -march, -march=haswell, -march=skylake-avx512) to show what each clone of the hot loops
 * gives; bench_attention measures the clone the CPU picks against Verilator. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "../core/plan.h"
#include "../golden/attention.h"
#include "../core/stimulus.h"

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: bench_golden TOKENS DIM STEPS\n");
    return 2;
  }
  ssa_attention_params p;
  ssa_attention_params_default(&p);
  p.tokens = (unsigned)atoi(argv[1]);
  p.dim = (unsigned)atoi(argv[2]);
  unsigned steps = (unsigned)atoi(argv[3]);
  ssa_plan plan;
  ssa_error err;
  ssa_golden_attention *g = NULL;
  if (ssa_plan_build(&plan, &p, &err) != 0 || ssa_golden_attention_new(&plan, &g, &err) != 0) {
    fprintf(stderr, "bench_golden: %s\n", err.msg);
    return 2;
  }
  ssa_bitmat in[3], o;
  ssa_rng rng;
  ssa_rng_seed(&rng, 7, 1);
  for (int k = 0; k < 3; k++) {
    ssa_bitmat_init(&in[k], p.tokens, p.dim);
    ssa_rng_fill(&rng, &in[k], 0.5);
  }
  ssa_bitmat_init(&o, p.tokens, p.dim);
  struct timespec a, b;
  unsigned long spikes = 0;
  clock_gettime(CLOCK_MONOTONIC, &a);
  for (unsigned t = 0; t < steps; t++) {
    ssa_golden_attention_step(g, &in[0], &in[1], &in[2], &o);
    spikes += ssa_bitmat_popcount(&o);
  }
  clock_gettime(CLOCK_MONOTONIC, &b);
  double seconds = (double)(b.tv_sec - a.tv_sec) + 1e-9 * (double)(b.tv_nsec - a.tv_nsec);
  printf("N=%u D=%u golden %.0f steps/s (%lu output spikes)\n", p.tokens, p.dim, steps / seconds,
         spikes);
  ssa_golden_attention_free(g);
  for (int k = 0; k < 3; k++) ssa_bitmat_free(&in[k]);
  ssa_bitmat_free(&o);
  ssa_plan_free(&plan);
  return 0;
}
