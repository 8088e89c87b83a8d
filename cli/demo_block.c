/* demo_block.c -- the second half of `ssa demo`: one small encoder block with random weights
 * (written beside its RTL, so the run can be repeated with `ssa sim block`), run on the three
 * engines, with each layer's output spike rate. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/outfile.h"
#include "../core/weights.h"
#include "../sim/engine.h"
#include "../sim/stepped_run.h"
#include "commands.h"
#include "../gen/emit_block.h"
#include "../kinds/kinds.h"
#include "../common/clock.h"

#define BLOCK_TOKENS 8u
#define BLOCK_EMBED 16u
#define BLOCK_HIDDEN 32u
#define BLOCK_STEPS 10u
#define BLOCK_RATE 0.3

static int write_weights(const char *path, ssa_error *err) {
  const char *names[SSA_BLOCK_LAYERS];
  unsigned rows[SSA_BLOCK_LAYERS], cols[SSA_BLOCK_LAYERS];
  for (unsigned k = 0; k < SSA_BLOCK_LAYERS; k++) {
    names[k] = ssa_block_layer_names[k];
    rows[k] = k == SSA_BLOCK_FC1 ? BLOCK_HIDDEN : BLOCK_EMBED;
    cols[k] = k == SSA_BLOCK_FC2 ? BLOCK_HIDDEN : BLOCK_EMBED;
  }
  ssa_weights w;
  if (ssa_weights_random(&w, 8, SSA_BLOCK_LAYERS, names, rows, cols, 1, err) != 0) return -1;
  ssa_outfile of = {0};
  int rc = ssa_outfile_open(&of, path, err);
  if (rc == 0) {
    ssa_weights_write(of.fp, &w, "ssa demo: random 8-bit weights, ssa weights block --embed 16 "
                                 "--hidden 32 --seed 1");
    rc = ssa_outfile_commit(&of, err);
  }
  ssa_weights_free(&w);
  return rc;
}

int ssa_demo_block(const char *dir, const char *cache, int verbose, ssa_error *err) {
  char sub[4096], weights[4200], options[4600];
  snprintf(sub, sizeof sub, "%s/block", dir);
  snprintf(weights, sizeof weights, "%s/block_weights.txt", sub);
  snprintf(options, sizeof options, "--tokens %u --embed %u --heads 2 --hidden %u --fold 4 "
           "--threshold 32 --weights %s", BLOCK_TOKENS, BLOCK_EMBED, BLOCK_HIDDEN, weights);
  const ssa_kind *k = ssa_kind_find("block");
  void *params = calloc(1, k->params_size);
  if (params == NULL) return ssa_fail(err, "out of memory");
  int status = -1, prepared = 0;
  ssa_stepped_run run;
  int have_run = 0;
  uint64_t *actual = NULL;
  if (ssa_cli_make_dir(sub, err) != 0 || write_weights(weights, err) != 0) goto done;
  if (ssa_kind_parse_options(k, params, options, err) != 0) goto done;
  prepared = 1;
  if (verbose) fprintf(stderr, "ssa: generating the encoder block\n");
  if (ssa_stepped_run_init(&run, k, params, NULL, BLOCK_RATE, BLOCK_STEPS, err) != 0) goto done;
  have_run = 1;
  if (ssa_write_design_files(&run.design, &run.vectors, sub, err) != 0) goto done;
  actual = calloc((size_t)run.vectors.cycles * run.vectors.out_words + 1, sizeof *actual);
  if (actual == NULL) {
    ssa_fail(err, "out of memory");
    goto done;
  }
  int agree[3] = {1, 1, 1};
  double seconds[3] = {run.golden_seconds, 0, 0};
  for (unsigned e = 1; e < 3; e++) {
    ssa_engine_opts opts = {.cache_dir = cache, .fst_path = NULL, .progress = verbose};
    if (verbose) fprintf(stderr, "ssa: running the block on %s\n", ssa_engine_name((ssa_engine)e));
    double start = ssa_seconds_now();
    if (ssa_engine_run((ssa_engine)e, &run.vectors, &opts, actual, err) != 0) goto done;
    if (e == SSA_ENGINE_VERILATOR) { /* again, on the cached model, for its speed */
      opts.progress = 0;
      start = ssa_seconds_now();
      if (ssa_engine_run((ssa_engine)e, &run.vectors, &opts, actual, err) != 0) goto done;
    }
    seconds[e] = ssa_seconds_now() - start;
    ssa_mismatch m;
    agree[e] = !ssa_vectors_compare(&run.vectors, actual, &m);
  }
  double rates[SSA_BLOCK_STAGES];
  if (ssa_block_stage_rates(params, &run.data, rates, err) != 0) goto done;
  printf("\nEncoder block: %s\n", run.design.options);
  printf("%u steps of rate-%.1f input spikes, %u clocks (latency %u per step), checked bit for "
         "bit\n\n", BLOCK_STEPS, BLOCK_RATE, run.vectors.cycles, run.design.latency);
  printf("  %-10s %-24s %s\n", "engine", "10-step run", "steps/s");
  for (unsigned e = 0; e < 3; e++)
    printf("  %-10s %-24s %.3g\n", ssa_engine_name((ssa_engine)e),
           e == 0 ? "reference" : agree[e] ? "agrees with golden" : "MISMATCH",
           BLOCK_STEPS / (seconds[e] > 0 ? seconds[e] : 1e-9));
  printf("  (Verilator: the cached model, build excluded; Icarus: iverilog compile included)\n");
  printf("\nOutput spike rate per layer:\n");
  for (unsigned s = 0; s < SSA_BLOCK_STAGES; s++)
    printf("  %-14s %.3f\n", ssa_block_stage_names[s], rates[s]);
  printf("\nFiles in %s/: block_weights.txt, the RTL (ssa_block.v, ...) and tb_ssa_block.v\n", sub);
  status = agree[1] && agree[2] ? 0 : 1;
done:
  free(actual);
  if (have_run) ssa_stepped_run_free(&run);
  if (prepared) k->release(params);
  free(params);
  return status;
}
