/* cmd_sim.c -- `ssa sim attention`: run one engine on a stimulus, check it against the golden
 * model on every clock, print the output spikes (or their counts). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/outfile.h"
#include "../kinds/kinds.h"
#include "../sim/engine.h"
#include "../common/args.h"
#include "commands.h"
#include "sim_options.h"
#include "sim_report.h"
#include "../common/clock.h"

static const char sim_help[] =
    "usage: ssa sim attention [design options] (--input FILE | --rate P) [options]\n"
    "       ssa sim encoder|lif|linear ... (see ssa sim KIND --help)\n"
    "\n"
    "Simulates the block on one engine and compares every output bit of every clock with the\n"
    "golden model. Prints the output spikes in the spike text format (an O block of N lines\n"
    "of H*D characters per step); the three engines print byte-identical output.\n"
    "\n"
    "Options:\n"
    "  --engine E        golden, verilator or icarus (default golden)\n"
    "  --input FILE      input spikes: 'step t' then Q, K, V blocks of N lines of H*D '0'/'1';\n"
    "                    a single step is held for every step\n"
    "  --rate P          instead of --input: i.i.d. spikes with probability P from the seed\n"
    "  --steps T         time steps (default: the steps in FILE, else 10)\n"
    "  --summary         print per output row the number of steps each output spiked\n"
    "  --out FILE        write the output there instead of standard output\n"
    "  --trace FILE.fst  write a waveform (verilator, icarus) and FILE.gtkw beside it\n"
    "  --cache DIR       Verilator model cache (default $SSA_CACHE_DIR, else ~/.cache/ssa)\n"
    "  --inject-fault T,I  flip expected output bit I of step T, to see the checker catch it\n"
    "\n"
    "Exit status: 0 outputs agree, 1 a mismatch or a tool failed, 2 bad usage or input.\n"
    "On a mismatch it prints the clock, output, expected and actual values, the seed and a\n"
    "command that reproduces it, and writes a waveform (FST) with a GTKWave save file.\n"
    "\n";

typedef struct sim_options {
  ssa_attention_params params;
  ssa_sim_options sim;
} sim_options;

static int parse_options(int argc, char **argv, sim_options *o, int *help, ssa_error *err) {
  ssa_cli c;
  ssa_cli_init(&c, argc, argv, "sim attention");
  for (const char *opt; (opt = ssa_cli_next(&c)) != NULL;) {
    if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
      *help = 1;
      return 0;
    }
    int handled = ssa_cli_attention_option(&c, opt, &o->params, err);
    if (handled < 0) return -1;
    if (handled) continue;
    handled = ssa_cli_sim_option(&c, opt, &o->sim, err);
    if (handled < 0) return -1;
    if (handled == 0) return ssa_cli_unknown(&c, opt, err);
  }
  if (ssa_sim_options_check(&o->sim, err) != 0) return -1;
  return ssa_attention_params_check(&o->params, err);
}

static void reproduce_command(const sim_options *o, const ssa_attention_run *r, char *buf,
                              size_t len) {
  int n = snprintf(buf, len, "ssa sim attention %s --steps %u --engine %s", r->design.options,
                   r->steps, ssa_engine_name(o->sim.engine));
  if (n >= 0 && (size_t)n < len) ssa_sim_options_stimulus_args(&o->sim, buf, len);
}

static void report_mismatch(const sim_options *o, const ssa_attention_run *r, const ssa_mismatch *m,
                            const ssa_engine_opts *eopts) {
  char where[256], cmd[1536];
  ssa_attention_run_describe(r, m, where, sizeof where);
  reproduce_command(o, r, cmd, sizeof cmd);
  ssa_sim_subject s = {&r->design, &r->vectors, o->sim.engine, o->params.seed, 1, cmd, o->sim.trace, where};
  ssa_report_mismatch(&s, m, eopts);
}

static int write_output(const sim_options *o, const ssa_attention_run *r, const ssa_spike_steps *out,
                        ssa_error *err) {
  ssa_outfile of = {0};
  FILE *f = stdout;
  if (o->sim.out != NULL) {
    if (ssa_outfile_open(&of, o->sim.out, err) != 0) return -1;
    f = of.fp;
  }
  if (o->sim.summary) ssa_spikes_write_summary(f, out, 0);
  else {
    char comment[700];
    snprintf(comment, sizeof comment, "ssa sim attention %s --steps %u\noutput spikes O: %u tokens x %u "
             "columns per step", r->design.options, r->steps, out->rows, out->cols);
    ssa_spikes_write(f, out, comment);
  }
  if (o->sim.out != NULL) return ssa_outfile_commit(&of, err);
  return fflush(stdout) == 0 ? 0 : ssa_fail(err, "standard output: write failed");
}

int ssa_cmd_sim(int argc, char **argv) {
  ssa_error err;
  if (argc < 1 || strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0) {
    printf("%s%s", sim_help, ssa_attention_options_help);
    return argc < 1 ? SSA_EXIT_USAGE : SSA_EXIT_OK;
  }
  if (strcmp(argv[0], "attention") != 0) return ssa_cmd_sim_kind(argc, argv);
  sim_options o;
  memset(&o, 0, sizeof o);
  ssa_attention_params_default(&o.params);
  ssa_sim_options_init(&o.sim);
  int help = 0;
  if (parse_options(argc - 1, argv + 1, &o, &help, &err) != 0) {
    fprintf(stderr, "ssa: %s\n", err.msg);
    return SSA_EXIT_USAGE;
  }
  if (help) {
    printf("%s%s", sim_help, ssa_attention_options_help);
    return SSA_EXIT_OK;
  }
  ssa_spike_steps stimulus;
  unsigned e = o.params.heads * o.params.dim;
  unsigned steps = o.sim.steps != 0 ? o.sim.steps : 10;
  if (o.sim.input != NULL) {
    if (ssa_spikes_read(o.sim.input, "QKV", o.params.tokens, e, &stimulus, &err) != 0) {
      fprintf(stderr, "ssa: %s\n", err.msg);
      return SSA_EXIT_USAGE;
    }
    if (o.sim.steps == 0 && stimulus.steps > 1) steps = stimulus.steps;
    if (stimulus.steps > 1 && stimulus.steps != steps) {
      fprintf(stderr, "ssa: --steps %u: %s has %u steps (a single-step file is held for any "
              "number of steps)\n", steps, o.sim.input, stimulus.steps);
      ssa_spike_steps_free(&stimulus);
      return SSA_EXIT_USAGE;
    }
  } else if (ssa_attention_random_input(&o.params, steps, o.sim.rate, &stimulus, &err) != 0) {
    fprintf(stderr, "ssa: %s\n", err.msg);
    return SSA_EXIT_USAGE;
  }
  ssa_attention_run run;
  int rc = ssa_attention_run_init(&run, &o.params, &stimulus, steps, &err);
  ssa_spike_steps_free(&stimulus);
  if (rc != 0) {
    fprintf(stderr, "ssa: %s\n", err.msg);
    return SSA_EXIT_USAGE;
  }
  if (o.sim.inject && ssa_attention_run_inject(&run, o.sim.inject_step, o.sim.inject_index, &err) != 0) {
    fprintf(stderr, "ssa: %s\n", err.msg);
    ssa_attention_run_free(&run);
    return SSA_EXIT_USAGE;
  }
  int status = SSA_EXIT_FAIL;
  ssa_engine_opts eopts = {.cache_dir = o.sim.cache, .fst_path = o.sim.trace,
                           .progress = ssa_cli_progress()};
  uint64_t *actual = calloc((size_t)run.vectors.cycles * run.vectors.out_words + 1, sizeof *actual);
  ssa_spike_steps out = {0};
  ssa_mismatch m;
  double start = ssa_seconds_now();
  if (actual == NULL) ssa_fail(&err, "out of memory");
  else if (ssa_engine_run(o.sim.engine, &run.vectors, &eopts, actual, &err) != 0) {
  } else if (ssa_vectors_compare(&run.vectors, actual, &m)) {
    report_mismatch(&o, &run, &m, &eopts);
    err.msg[0] = '\0';
  } else if (o.sim.trace != NULL &&
             ssa_write_run_gtkw(o.sim.trace, &run.design, &run.vectors, o.sim.engine, -1,
                                "ssa sim attention", &err) != 0) {
  } else if (ssa_attention_run_outputs(&run, actual, &out, &err) == 0 &&
             write_output(&o, &run, &out, &err) == 0) {
    status = SSA_EXIT_OK;
    if (eopts.progress)
      fprintf(stderr, "ssa: %s: %u steps, %u clocks, every output bit agrees with the golden "
              "model (%.3f s)\n", ssa_engine_name(o.sim.engine), run.steps, run.vectors.cycles,
              ssa_seconds_now() - start);
  }
  if (status != SSA_EXIT_OK && err.msg[0] != '\0') fprintf(stderr, "ssa: %s\n", err.msg);
  ssa_spike_steps_free(&out);
  free(actual);
  ssa_attention_run_free(&run);
  return status;
}
