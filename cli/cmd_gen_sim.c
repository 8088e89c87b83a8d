/* cmd_gen_sim.c -- `ssa gen KIND` and `ssa sim KIND` for every kind of the table (kinds/kind.h):
 * one command line, one set of files and checks, written once for all of them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/outfile.h"
#include "../sim/stepped_run.h"
#include "../common/args.h"
#include "commands.h"
#include "../kinds/kind.h"
#include "sim_options.h"
#include "sim_report.h"
#include "../common/clock.h"
#include "../gen/emit_util.h"

typedef struct kind_options {
  const ssa_kind *kind;
  void *params;
  const char *dir;                      /* gen */
  ssa_sim_options sim;                  /* sim */
} kind_options;

/* `ssa gen` or `ssa sim` with no kind, or --help for the command itself: the usage and the kinds
 * of the table. Returns 1 (status set) when that was asked for. */
static int kinds_help(int argc, char **argv, const char *cmd, const char *usage, const char *what,
                      int *status) {
  if (argc >= 1 && strcmp(argv[0], "--help") != 0 && strcmp(argv[0], "-h") != 0) return 0;
  printf("usage: ssa %s KIND %s\n\n%s\n\nKinds ('ssa %s KIND --help' for each one's options):\n", cmd,
         usage, what, cmd);
  for (unsigned k = 0; ssa_kind_at(k) != NULL; k++)
    printf("  %-16s %s\n", ssa_kind_at(k)->name, ssa_kind_at(k)->summary);
  *status = argc < 1 ? SSA_EXIT_USAGE : SSA_EXIT_OK;
  return 1;
}

static void print_gen_help(const ssa_kind *k) {
  char *design = ssa_kind_options_help(k);
  printf("usage: ssa gen %s [design options] [--out DIR] [--force]\n\n%s.\n\n", k->name,
         k->summary);
  printf("Writes into DIR (default: the current directory, created if missing) the design's\n"
         "Verilog (the top module first, then the primitives it instantiates), a self-checking\n"
         "testbench tb_<top>.v with golden vectors <top>_in.hex and <top>_expected.hex (%u steps\n"
         "of --rate %.1f stimulus, every clock) and a GTKWave save file <top>.gtkw. The same\n"
         "arguments always give byte-identical files; nothing is written on an error.\n"
         "A file of more than %zu MiB of Verilog is refused unless --force is given.\n\n"
         "Design options:\n%s\n", SSA_GEN_TB_STEPS, SSA_GEN_TB_RATE, SSA_EMIT_DEFAULT_LIMIT >> 20,
         design ? design : "");
  free(design);
}

static void print_sim_help(const ssa_kind *k) {
  char *design = ssa_kind_options_help(k);
  printf("usage: ssa sim %s [design options] (--input FILE | --rate P) [options]\n\n", k->name);
  printf("%s.\n\nSimulates it on one engine and compares every output bit of every clock with\n"
         "the golden model.\n%s\nOptions:\n"
         "  --engine E        golden, verilator or icarus (default golden)\n%s"
         "  --steps T         time steps (default: the steps in FILE, else 10)\n"
         "  --summary         print the counts described above instead of the outputs\n"
         "  --force           run even when the steps' inputs and outputs take more than 4.3 GB,\n"
         "                    or a generated file more than %zu MiB of Verilog\n"
         "  --out FILE        write the output there instead of standard output\n"
         "  --trace FILE.fst  write a waveform (verilator, icarus) and FILE.gtkw beside it\n"
         "  --cache DIR       Verilator model cache (default $SSA_CACHE_DIR, else ~/.cache/ssa)\n"
         "  --inject-fault T,I  flip expected output bit I of step T, to see the checker catch it\n\n"
         "Exit status: 0 outputs agree, 1 a mismatch or a tool failed, 2 bad usage or input.\n\n"
         "Design options:\n%s\n", k->summary, k->output_help, k->input_help,
         SSA_EMIT_DEFAULT_LIMIT >> 20, design ? design : "");
  free(design);
}

/* Parses argv (after the kind) into o; *help set when --help was asked for. */
static int parse(int argc, char **argv, kind_options *o, int sim, int *help, ssa_error *err) {
  ssa_cli c;
  char command[64];
  snprintf(command, sizeof command, "%s %s", sim ? "sim" : "gen", o->kind->name);
  ssa_cli_init(&c, argc, argv, command);
  for (const char *opt; (opt = ssa_cli_next(&c)) != NULL;) {
    if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
      *help = 1;
      return 0;
    }
    int handled = ssa_kind_option(o->kind, &c, opt, o->params, err);
    if (handled == 0 && sim) handled = ssa_cli_sim_option(&c, opt, &o->sim, err);
    if (handled == 0 && !sim && strcmp(opt, "--force") == 0) {
      ssa_emit_set_limit(0);
      handled = 1;
    }
    if (handled == 0 && !sim && strcmp(opt, "--out") == 0)
      handled = ssa_cli_value(&c, opt, &o->dir, err) == 0 && ssa_cli_dir_check(o->dir, err) == 0
                    ? 1
                    : -1;
    if (handled == 0) return ssa_cli_unknown(&c, opt, err);
    if (handled < 0) return -1;
  }
  if (sim && ssa_sim_options_check(&o->sim, err) != 0) return -1;
  return ssa_kind_prepare(o->kind, o->params, err);
}

/* The command's own help when asked (or no kind given), else looks the kind up and parses;
 * returns -1 with the exit status in *status when done early. */
static int start(int argc, char **argv, kind_options *o, int sim, int *status) {
  if (sim ? kinds_help(argc, argv, "sim", "[design options] (--input FILE | --rate P) [options]",
                       "Simulates the design on one engine (golden, verilator, icarus) and "
                       "compares\nevery output bit of every clock with the golden model.", status)
          : kinds_help(argc, argv, "gen", "[design options] [--out DIR] [--force]",
                       "Writes the design's Verilog, the primitives it instantiates, a "
                       "self-checking\ntestbench with golden vectors and a GTKWave save file "
                       "into DIR.", status))
    return -1;
  ssa_error err;
  memset(o, 0, sizeof *o);
  o->dir = ".";
  ssa_sim_options_init(&o->sim);
  o->kind = ssa_kind_find(argv[0]);
  if (o->kind == NULL) {
    fprintf(stderr, "ssa: %s: unknown kind '%s' (kinds: %s)\n", sim ? "sim" : "gen", argv[0],
            ssa_kind_names());
    *status = SSA_EXIT_USAGE;
    return -1;
  }
  o->params = calloc(1, o->kind->params_size);
  if (o->params == NULL) {
    fprintf(stderr, "ssa: out of memory\n");
    *status = SSA_EXIT_FAIL;
    return -1;
  }
  ssa_kind_defaults(o->kind, o->params);
  int help = 0;
  if (parse(argc - 1, argv + 1, o, sim, &help, &err) != 0) {
    fprintf(stderr, "ssa: %s\n", err.msg);
    free(o->params);
    *status = SSA_EXIT_USAGE;
    return -1;
  }
  if (help) {
    if (sim) print_sim_help(o->kind);
    else print_gen_help(o->kind);
    o->kind->release(o->params);
    free(o->params);
    *status = SSA_EXIT_OK;
    return -1;
  }
  return 0;
}

static void finish(kind_options *o) {
  o->kind->release(o->params);
  free(o->params);
}

int ssa_cmd_gen(int argc, char **argv) {
  kind_options o;
  int status;
  if (start(argc, argv, &o, 0, &status) != 0) return status;
  ssa_error err;
  ssa_stepped_run run;
  status = SSA_EXIT_OK;
  if (ssa_stepped_run_init(&run, o.kind, o.params, NULL, SSA_GEN_TB_RATE, SSA_GEN_TB_STEPS, &err) != 0) {
    status = SSA_EXIT_USAGE;
  } else {
    if (ssa_write_design_files(&run.design, &run.vectors, o.dir, &err) != 0) status = SSA_EXIT_FAIL;
    ssa_stepped_run_free(&run);
  }
  if (status != SSA_EXIT_OK) fprintf(stderr, "ssa: %s\n", err.msg);
  finish(&o);
  return status;
}

static void sim_command(const kind_options *o, const ssa_stepped_run *r, char *buf, size_t len) {
  char opts[512];
  ssa_kind_line(o->kind, o->params, opts, sizeof opts);
  int n = snprintf(buf, len, "ssa sim %s %s --steps %u --engine %s", o->kind->name, opts,
                   r->data.steps, ssa_engine_name(o->sim.engine));
  if (n >= 0 && (size_t)n < len) ssa_sim_options_stimulus_args(&o->sim, buf, len);
}

static int write_output(const kind_options *o, const ssa_stepped_run *r, const ssa_step_data *out,
                        ssa_error *err) {
  ssa_outfile of = {0};
  FILE *f = stdout;
  if (o->sim.out != NULL) {
    if (ssa_outfile_open(&of, o->sim.out, err) != 0) return -1;
    f = of.fp;
  }
  char opts[512], comment[700];
  ssa_kind_line(o->kind, o->params, opts, sizeof opts);
  snprintf(comment, sizeof comment, "ssa sim %s %s --steps %u", o->kind->name, opts, r->data.steps);
  ssa_kind_write_output(o->kind, f, o->params, out, o->sim.summary, comment);
  if (o->sim.out != NULL) return ssa_outfile_commit(&of, err);
  return fflush(stdout) == 0 && !ferror(stdout) ? 0 : ssa_fail(err, "standard output: write failed");
}

int ssa_cmd_sim(int argc, char **argv) {
  kind_options o;
  int status;
  if (start(argc, argv, &o, 1, &status) != 0) return status;
  ssa_error err;
  ssa_stepped_run run;
  if (ssa_stepped_run_init_golden(&run, o.kind, o.params, o.sim.input, o.sim.rate, o.sim.steps,
                                  &err) != 0) {
    fprintf(stderr, "ssa: %s\n", err.msg);
    finish(&o);
    return SSA_EXIT_USAGE;
  }
  /* The golden engine is the model itself: with nothing to compare (no fault injected) and no
   * waveform, its outputs are the golden outputs, and no clock-by-clock vectors are needed. */
  if (o.sim.engine == SSA_ENGINE_GOLDEN && !o.sim.inject && o.sim.trace == NULL) {
    status = write_output(&o, &run, &run.data, &err) == 0 ? SSA_EXIT_OK : SSA_EXIT_FAIL;
    if (status != SSA_EXIT_OK) fprintf(stderr, "ssa: %s\n", err.msg);
    ssa_stepped_run_free(&run);
    finish(&o);
    return status;
  }
  if (ssa_stepped_run_schedule(&run, &err) != 0) {
    fprintf(stderr, "ssa: %s\n", err.msg);
    finish(&o);
    return SSA_EXIT_FAIL;
  }
  status = SSA_EXIT_FAIL;
  ssa_engine_opts eopts = {.cache_dir = o.sim.cache, .fst_path = o.sim.trace,
                           .progress = ssa_cli_progress()};
  uint64_t *actual = calloc((size_t)run.vectors.cycles * run.vectors.out_words + 1, sizeof *actual);
  ssa_step_data out = {0};
  ssa_mismatch m;
  double t0 = ssa_seconds_now();
  err.msg[0] = '\0';
  if (actual == NULL) ssa_fail(&err, "out of memory");
  else if (ssa_engine_run(o.sim.engine, &run.vectors, &eopts, actual, &err) != 0) {
  } else if (o.sim.inject &&
             ssa_stepped_run_inject(&run, o.sim.inject_step, o.sim.inject_index, &err) != 0) {
    /* after the run, so that the golden engine, whose outputs are the expected ones, is
     * caught by the checker too */
    status = SSA_EXIT_USAGE;
  } else if (ssa_vectors_compare(&run.vectors, actual, &m)) {
    char where[256], cmd[1536];
    ssa_stepped_run_describe(&run, &m, where, sizeof where);
    sim_command(&o, &run, cmd, sizeof cmd);
    uint64_t seed;
    int has_seed = ssa_kind_seed(o.kind, o.params, &seed);
    ssa_sim_subject s = {&run.design, &run.vectors, o.sim.engine, seed, has_seed, cmd,
                         o.sim.trace, where};
    ssa_report_mismatch(&s, &m, &eopts);
  } else if (o.sim.trace != NULL && ssa_write_run_gtkw(o.sim.trace, &run.design, &run.vectors, o.sim.engine,
                                                   -1, "ssa sim", &err) != 0) {
  } else if (ssa_stepped_run_outputs(&run, actual, &out, &err) == 0 &&
             write_output(&o, &run, &out, &err) == 0) {
    status = SSA_EXIT_OK;
    if (eopts.progress)
      fprintf(stderr, "ssa: %s: %u steps, %u clocks, every output bit agrees with the golden "
              "model (%.3f s)\n", ssa_engine_name(o.sim.engine), run.data.steps, run.vectors.cycles,
              ssa_seconds_now() - t0);
  }
  if (status != SSA_EXIT_OK && err.msg[0] != '\0') fprintf(stderr, "ssa: %s\n", err.msg);
  ssa_step_data_free(&out);
  free(actual);
  ssa_stepped_run_free(&run);
  finish(&o);
  return status;
}
