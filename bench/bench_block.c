/* bench_block.c -- simulation speed of the encoder block on each engine.
 * Usage: bench_block WEIGHTS [STEPS]   (N=16, E=32, H=2, M=2E from the weights file, fold 8;
 * both attentions). The golden model's time is its own (ssa_stepped_run_init measures it);
 * Verilator runs the cached model (a first, untimed run builds it); Icarus includes its
 * compile. Every engine's outputs are compared with the golden model's, every clock. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kinds/kinds.h"
#include "../sim/engine.h"
#include "../sim/stepped_run.h"
#include "../common/clock.h"

static int bench(const char *weights, const char *attention, unsigned steps) {
  const ssa_kind *k = ssa_kind_find("block");
  void *params = calloc(1, k->params_size);
  char options[512];
  ssa_error err = {{0}};
  snprintf(options, sizeof options, "--tokens 16 --embed 32 --heads 2 --hidden 64 --fold 8 "
           "--threshold 32 --weights %s --attention %s", weights, attention);
  ssa_stepped_run r;
  if (params == NULL || ssa_kind_parse_options(k, params, options, &err) != 0 ||
      ssa_stepped_run_init(&r, k, params, NULL, 0.3, steps, &err) != 0) {
    fprintf(stderr, "bench_block: %s\n", err.msg);
    return 1;
  }
  uint64_t *actual = calloc((size_t)r.vectors.cycles * r.vectors.out_words + 1, sizeof *actual);
  ssa_engine_opts opts = {.cache_dir = NULL, .fst_path = NULL, .progress = 0};
  double speed[3] = {steps / r.golden_seconds, 0, 0};
  int agree[3] = {1, 1, 1};
  for (unsigned e = 1; e < 3; e++) {
    if (e == SSA_ENGINE_VERILATOR && ssa_engine_run((ssa_engine)e, &r.vectors, &opts, actual, &err) != 0)
      break; /* builds the model */
    double start = ssa_seconds_now();
    if (ssa_engine_run((ssa_engine)e, &r.vectors, &opts, actual, &err) != 0) break;
    speed[e] = steps / (ssa_seconds_now() - start);
    ssa_mismatch m;
    agree[e] = !ssa_vectors_compare(&r.vectors, actual, &m);
  }
  printf("block N=16 E=32 H=2 M=64 fold 8, --attention %-5s (%u clocks per step): golden %.0f "
         "steps/s | verilator %.1f steps/s%s | icarus %.2f steps/s%s\n", attention,
         r.design.latency, speed[0], speed[1], agree[1] ? "" : " (MISMATCH)", speed[2],
         agree[2] ? "" : " (MISMATCH)");
  free(actual);
  ssa_stepped_run_free(&r);
  k->release(params);
  free(params);
  return err.msg[0] != '\0' || !agree[1] || !agree[2];
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: bench_block WEIGHTS [STEPS]\n");
    return 2;
  }
  unsigned steps = argc > 2 ? (unsigned)atoi(argv[2]) : 64;
  return bench(argv[1], "ssa", steps) | bench(argv[1], "exact", steps);
}
