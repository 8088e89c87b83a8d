/* cmd_demo.c -- `ssa demo`: the whole flow on a built-in default, no input files needed.
 * Generates the default block, runs it on the three engines, shows that they agree bit for
 * bit, how fast each is, and how close the output rates come to the float reference. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/args.h"
#include "../golden/reference.h"
#include "../kinds/kinds.h"
#include "../sim/engine.h"
#include "../sim/stepped_run.h"
#include "commands.h"
#include "../common/clock.h"

#define DEMO_STEPS 10u         /* the published design's time steps */
#define DEMO_SPEED_STEPS 2000u /* a longer run for steps per second */
#define DEMO_RATE 0.5

static const char demo_help[] =
    "usage: ssa demo [--out DIR] [--cache DIR]\n"
    "\n"
    "Generates the default attention block (N=16 tokens, D=16, one head, reduce=mux,\n"
    "share=unit, random sobol, seed 1), runs 10 steps of rate-0.5 input spikes on the golden\n"
    "model, Verilator and Icarus, and prints whether they agree bit for bit, each engine's\n"
    "speed on a 2000-step run, and the output spike rates against the float reference.\n"
    "Leaves the RTL, the self-checking testbench and its vectors, the Icarus waveform\n"
    "(ssa_attention.fst) and its GTKWave save file in DIR (default ./ssa-demo).\n"
    "Then runs one small encoder block (N=8 tokens, E=16, 2 heads, MLP 32, random 8-bit\n"
    "weights written to DIR/block/block_weights.txt) for 10 steps on the three engines and\n"
    "prints each layer's output spike rate; its RTL and testbench go to DIR/block.\n";

typedef struct engine_result {
  int agrees;
  double seconds;
  ssa_mismatch mismatch;
} engine_result;

/* Runs one engine on r; *res says whether every output bit of every clock agreed. */
static int run_engine(ssa_engine e, const ssa_stepped_run *r, const ssa_engine_opts *opts,
                      engine_result *res, ssa_error *err) {
  uint64_t *actual = calloc((size_t)r->vectors.cycles * r->vectors.out_words + 1, sizeof *actual);
  if (actual == NULL) return ssa_fail(err, "out of memory");
  double start = ssa_seconds_now();
  int rc = ssa_engine_run(e, &r->vectors, opts, actual, err);
  res->seconds = e == SSA_ENGINE_GOLDEN ? r->golden_seconds : ssa_seconds_now() - start;
  if (rc == 0) res->agrees = !ssa_vectors_compare(&r->vectors, actual, &res->mismatch);
  free(actual);
  return rc;
}

static void progress(int on, const char *msg) {
  if (on) fprintf(stderr, "ssa: %s\n", msg);
}

/* The golden outputs' spike rates against the float reference, which is computed here only,
 * where it is printed. */
static int print_rates(const ssa_stepped_run *r, ssa_error *err) {
  const ssa_attention_params *p = r->params;
  unsigned e = p->heads * p->dim, steps = r->data.steps;
  size_t n = (size_t)p->tokens * e;
  double *reference = calloc(n, sizeof *reference);
  ssa_bitmat m[3];
  ssa_reference sums;
  unsigned made = 0;
  while (made < 3 && ssa_bitmat_init(&m[made], p->tokens, e) == 0) made++;
  if (reference == NULL || made < 3 || ssa_reference_init(&sums, p->tokens, p->heads, p->dim) != 0) {
    while (made > 0) ssa_bitmat_free(&m[--made]);
    free(reference);
    return ssa_fail(err, "out of memory");
  }
  static const char *const ports[3] = {"q_i", "k_i", "v_i"};
  for (unsigned t = 0; t < steps; t++) {
    for (unsigned b = 0; b < 3; b++)
      ssa_bitmat_from_flat(&m[b], ssa_step_in(&r->data, t, (unsigned)ssa_design_port_index(&r->design, ports[b])));
    ssa_reference_add_step(&sums, &m[0], &m[1], &m[2]);
  }
  ssa_reference_mean(&sums, reference, steps);
  ssa_reference_free(&sums);
  unsigned o = (unsigned)ssa_design_port_index(&r->design, "o_o");
  double rate_sum = 0, ref_sum = 0, sq = 0, var = 0;
  for (size_t k = 0; k < n; k++) {
    unsigned spikes = 0;
    for (unsigned t = 0; t < steps; t++) spikes += (unsigned)ssa_words_bit(ssa_step_out(&r->data, t, o), k);
    double rate = (double)spikes / steps, ref = reference[k];
    rate_sum += rate;
    ref_sum += ref;
    sq += (rate - ref) * (rate - ref);
    var += ref * (1 - ref) / steps;
  }
  printf("\nOutput spike rate against the float reference (Q K^T V)/(N D), T=%u steps:\n", steps);
  printf("  mean rate %.4f, mean reference %.4f over %zu outputs\n", rate_sum / n, ref_sum / n, n);
  printf("  RMS error %.4f; a binomial rate estimate at T=%u has RMS error %.4f\n", sqrt(sq / n),
         steps, sqrt(var / n));
  while (made > 0) ssa_bitmat_free(&m[--made]);
  free(reference);
  return 0;
}

int ssa_cmd_demo(int argc, char **argv) {
  ssa_error err;
  const char *dir = "ssa-demo", *cache = NULL;
  ssa_cli c;
  ssa_cli_init(&c, argc, argv, "demo");
  for (const char *opt; (opt = ssa_cli_next(&c)) != NULL;) {
    int rc = 0;
    if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
      printf("%s", demo_help);
      return SSA_EXIT_OK;
    } else if (strcmp(opt, "--out") == 0) {
      rc = ssa_cli_value(&c, opt, &dir, &err);
      if (rc == 0) rc = ssa_cli_dir_check(dir, &err);
    }
    else if (strcmp(opt, "--cache") == 0) rc = ssa_cli_value(&c, opt, &cache, &err);
    else rc = ssa_cli_unknown(&c, opt, &err);
    if (rc != 0) {
      fprintf(stderr, "ssa: %s\n", err.msg);
      return SSA_EXIT_USAGE;
    }
  }
  int verbose = ssa_cli_progress();
  ssa_attention_params p;
  ssa_attention_params_default(&p);
  ssa_stepped_run run, speed;
  memset(&run, 0, sizeof run);
  memset(&speed, 0, sizeof speed);
  int status = SSA_EXIT_FAIL;
  char fst[4096];
  snprintf(fst, sizeof fst, "%s/ssa_attention.fst", dir);
  engine_result res[3][2];
  memset(res, 0, sizeof res);
  progress(verbose, "generating the default block and its golden vectors");
  /* the speed run is the same design (no second Verilator build) on 2000 steps */
  if (ssa_stepped_run_init(&run, &ssa_kind_attention, &p, NULL, DEMO_RATE, DEMO_STEPS, &err) != 0 ||
      ssa_write_design_files(&run.design, &run.vectors, dir, &err) != 0 ||
      ssa_stepped_run_init(&speed, &ssa_kind_attention, &p, NULL, DEMO_RATE, DEMO_SPEED_STEPS,
                           &err) != 0)
    goto done;
  for (unsigned e = 0; e < 3; e++) {
    ssa_engine_opts opts = {.cache_dir = cache, .fst_path = NULL, .progress = verbose};
    char msg[128];
    snprintf(msg, sizeof msg, "running %s", ssa_engine_name((ssa_engine)e));
    progress(verbose, msg);
    /* the 10-step run leaves the Icarus waveform the generated .gtkw opens */
    if (e == SSA_ENGINE_ICARUS) opts.fst_path = fst;
    if (run_engine((ssa_engine)e, &run, &opts, &res[e][0], &err) != 0) goto done;
    opts.fst_path = NULL;
    opts.progress = 0;
    if (run_engine((ssa_engine)e, &speed, &opts, &res[e][1], &err) != 0) goto done;
  }
  printf("ssa demo: stochastic spiking attention, %s\n", run.design.options);
  printf("%u steps of rate-%.1f input spikes; %u clocks checked bit for bit, %u output bits each\n\n",
         DEMO_STEPS, DEMO_RATE, run.vectors.cycles, run.design.ports[ssa_design_port_index(&run.design, "o_o")].width);
  printf("  %-10s %-24s %-26s %s\n", "engine", "10-step run", "2000-step run", "steps/s");
  for (unsigned e = 0; e < 3; e++) {
    const char *a = e == 0 ? "reference" : res[e][0].agrees ? "agrees with golden" : "MISMATCH";
    const char *b = e == 0 ? "reference" : res[e][1].agrees ? "agrees with golden" : "MISMATCH";
    printf("  %-10s %-24s %-26s %.3g\n", ssa_engine_name((ssa_engine)e), a, b,
           DEMO_SPEED_STEPS / (res[e][1].seconds > 0 ? res[e][1].seconds : 1e-9));
  }
  printf("  (Verilator: the cached model, build excluded; Icarus: iverilog compile included)\n");
  if (print_rates(&run, &err) != 0) goto done;
  printf("\nFiles in %s/: ", dir);
  for (unsigned k = 0; k < run.design.file_count; k++) printf("%s ", run.design.files[k].name);
  printf("tb_ssa_attention.v ssa_attention_in.hex ssa_attention_expected.hex ssa_attention.fst "
         "ssa_attention.gtkw\n");
  printf("Waveform: gtkwave %s/ssa_attention.fst %s/ssa_attention.gtkw\n", dir, dir);
  status = res[1][0].agrees && res[2][0].agrees && res[1][1].agrees && res[2][1].agrees
               ? SSA_EXIT_OK : SSA_EXIT_FAIL;
  fflush(stdout);
  {
    int block = ssa_demo_block(dir, cache, verbose, &err);
    if (block < 0) {
      status = SSA_EXIT_FAIL;
      fprintf(stderr, "ssa: %s\n", err.msg);
      goto done_quiet;
    }
    if (block != 0) status = SSA_EXIT_FAIL;
  }
  if (status != SSA_EXIT_OK) fprintf(stderr, "ssa: demo: the engines disagree (see above)\n");
done:
  if (status == SSA_EXIT_FAIL && err.msg[0] != '\0' && res[1][0].seconds == 0)
    fprintf(stderr, "ssa: %s\n", err.msg);
done_quiet:
  ssa_stepped_run_free(&run);
  ssa_stepped_run_free(&speed);
  return status;
}
