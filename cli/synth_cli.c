/* synth_cli.c -- option parsing for `ssa synth` and `ssa energy` (see synth_cli.h). */
#include "synth_cli.h"

#include <string.h>

#include "../common/json.h"
#include "../common/outfile.h"
#include "../synth/cell_table.h"

/* `OPT N` with N from 1 to 100000; `zero` says why 0 is refused. */
static int positive_value(ssa_cli *cli, const char *opt, const char *zero, unsigned long long *n,
                          ssa_error *err) {
  const char *v;
  if (ssa_cli_value(cli, opt, &v, err) != 0 || ssa_parse_unsigned(opt, v, 100000, n, err) != 0)
    return -1;
  if (*n == 0) return ssa_fail(err, "%s 0: %s", opt, zero);
  return 0;
}

static int option(ssa_synth_cli *c, ssa_cli *cli, const char *opt, int energy, ssa_error *err) {
  const char *v;
  unsigned long long n;
  if (strcmp(opt, "--flow") == 0) {
    if (ssa_cli_value(cli, opt, &v, err) != 0) return -1;
    if (ssa_flow_parse(v, &c->synth.flow) != 0)
      return ssa_fail(err, "--flow %s: unknown flow (generic, liberty, ice40 or xilinx)", v);
    return 1;
  }
  if (strcmp(opt, "--liberty") == 0) {
    if (ssa_cli_value(cli, opt, &c->synth.liberty_path, err) != 0) return -1;
    return 1;
  }
  if (strcmp(opt, "--device") == 0) {
    if (ssa_cli_value(cli, opt, &v, err) != 0) return -1;
    if (strcmp(v, "hx8k") != 0 && strcmp(v, "hx1k") != 0 && strcmp(v, "up5k") != 0 &&
        strcmp(v, "lp8k") != 0 && strcmp(v, "lp1k") != 0)
      return ssa_fail(err, "--device %s: unknown iCE40 device (hx8k, hx1k, lp8k, lp1k, up5k)", v);
    c->synth.ice40_device = v;
    return 1;
  }
  if (strcmp(opt, "--json") == 0)  /* checked before the synthesis, not after */
    return ssa_cli_value(cli, opt, &c->json, err) == 0 && ssa_outfile_check(c->json, err) == 0
               ? 1
               : -1;
  if (strcmp(opt, "--work") == 0)
    return ssa_cli_value(cli, opt, &c->synth.work_dir, err) == 0 ? 1 : -1;
  if (!energy) return 0;
  if (strcmp(opt, "--cache") == 0) return ssa_cli_value(cli, opt, &c->cache, err) == 0 ? 1 : -1;
  if (strcmp(opt, "--steps") == 0) {
    if (positive_value(cli, opt, "at least one step", &n, err) != 0) return -1;
    c->steps = (unsigned)n;
    c->steps_given = 1;
    return 1;
  }
  if (strcmp(opt, "--rate") == 0) {
    if (ssa_cli_value(cli, opt, &v, err) != 0 || ssa_parse_rate(opt, v, &c->rate, err) != 0)
      return -1;
    c->rate_given = 1;
    return 1;
  }
  if (strcmp(opt, "--input") == 0) return ssa_cli_value(cli, opt, &c->input, err) == 0 ? 1 : -1;
  if (strcmp(opt, "--gate-sim") == 0) {
    if (ssa_cli_value(cli, opt, &v, err) != 0) return -1;
    if (strcmp(v, "ssa") != 0 && strcmp(v, "verilator") != 0)
      return ssa_fail(err, "--gate-sim %s: unknown gate simulator (ssa or verilator)", v);
    c->gate_sim_verilator = strcmp(v, "verilator") == 0;
    return 1;
  }
  if (strcmp(opt, "--clock") == 0) {
    if (positive_value(cli, opt, "the clock must be above 0 MHz", &n, err) != 0) return -1;
    c->clock_mhz = (double)n;
    return 1;
  }
  return 0;
}

int ssa_synth_cli_parse(ssa_synth_cli *c, const char *command, int argc, char **argv,
                        int energy, ssa_error *err) {
  memset(c, 0, sizeof *c);
  c->synth.flow = SSA_FLOW_GENERIC;
  c->synth.progress = ssa_cli_progress();
  c->steps = SSA_KIND_DEFAULT_STEPS;
  c->rate = 0.5;
  c->clock_mhz = SSA_ENERGY_DEFAULT_CLOCK_MHZ;
  if (argc < 1 || argv[0][0] == '-') {
    for (int k = 0; k < argc; k++)
      if (strcmp(argv[k], "--help") == 0 || strcmp(argv[k], "-h") == 0) return 1;
    return ssa_fail(err, "%s: which kind? (attention, %s)", command, ssa_kind_names());
  }
  if (ssa_subject_init(&c->subject, argv[0], err) != 0) return -1;
  ssa_cli cli;
  char name[64];
  snprintf(name, sizeof name, "%s %s", command, argv[0]);
  ssa_cli_init(&cli, argc - 1, argv + 1, name);
  int rc = 0;
  for (const char *opt; rc == 0 && (opt = ssa_cli_next(&cli)) != NULL;) {
    if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
      ssa_subject_free(&c->subject);
      return 1;
    }
    int handled = option(c, &cli, opt, energy, err);
    if (handled == 0) handled = ssa_subject_option(&c->subject, &cli, opt, err);
    if (handled == 0) rc = ssa_cli_unknown(&cli, opt, err);
    if (handled < 0) rc = -1;
  }
  if (rc == 0 && c->input != NULL && c->rate_given)
    rc = ssa_fail(err, "%s: give one of --input FILE and --rate P, not both", name);
  if (rc == 0) rc = ssa_subject_prepare(&c->subject, err);
  /* --liberty alone means the liberty flow; with another flow it would be ignored: an error. */
  if (rc == 0 && c->synth.liberty_path != NULL && c->synth.flow == SSA_FLOW_GENERIC)
    c->synth.flow = SSA_FLOW_LIBERTY;
  if (rc == 0 && c->synth.flow == SSA_FLOW_LIBERTY && c->synth.liberty_path == NULL)
    rc = ssa_fail(err, "%s: --flow liberty needs --liberty FILE", name);
  if (rc == 0 && c->synth.flow != SSA_FLOW_LIBERTY && c->synth.liberty_path != NULL)
    rc = ssa_fail(err, "%s: --liberty applies to the liberty flow, not --flow %s", name,
                  ssa_flow_name(c->synth.flow));
  if (rc == 0 && energy && c->synth.flow != SSA_FLOW_GENERIC && c->synth.flow != SSA_FLOW_LIBERTY)
    rc = ssa_fail(err, "%s: energy is estimated on an ASIC netlist: --flow generic or liberty",
                  name);
  if (rc == 0 && c->synth.liberty_path != NULL) {
    rc = ssa_liberty_read(c->synth.liberty_path, &c->liberty, err);
    if (rc == 0) {
      c->has_liberty = 1;
      c->synth.liberty = &c->liberty;
    }
  }
  if (rc != 0) ssa_synth_cli_free(c);
  return rc;
}

int ssa_synth_cli_start(ssa_synth_cli *c, const char *command, int argc, char **argv, int energy,
                        void (*print_help)(void)) {
  ssa_error err;
  int rc = ssa_synth_cli_parse(c, command, argc, argv, energy, &err);
  if (rc == 1) {
    print_help();
    return SSA_EXIT_OK;
  }
  if (rc == 0) {
    if (energy && c->input != NULL)
      rc = ssa_subject_run_input(&c->subject, c->input, c->steps_given ? c->steps : 0, &err);
    else
      rc = ssa_subject_run(&c->subject, energy ? c->rate : 0.5, energy ? c->steps : 1, &err);
    if (rc == 0 && energy) c->steps = ssa_subject_steps(&c->subject);
    if (rc != 0) ssa_synth_cli_free(c);
  }
  if (rc != 0) {
    fprintf(stderr, "ssa: %s\n", err.msg);
    return SSA_EXIT_USAGE;
  }
  return -1;
}

FILE *ssa_synth_cli_json_begin(const ssa_synth_cli *c, const char *path, ssa_outfile *of,
                               ssa_error *err) {
  memset(of, 0, sizeof *of);
  if (ssa_outfile_open(of, path, err) != 0) return NULL;
  FILE *f = of->fp;
  char opts[512];
  ssa_subject_options(&c->subject, opts, sizeof opts);
  fprintf(f, "{\n  \"kind\": ");
  ssa_json_string(f, ssa_subject_kind(&c->subject));
  fprintf(f, ",\n  \"options\": ");
  ssa_json_string(f, opts);
  return f;
}

void ssa_synth_cli_free(ssa_synth_cli *c) {
  ssa_subject_free(&c->subject);
  if (c->has_liberty) ssa_liberty_free(&c->liberty);
  c->has_liberty = 0;
}

const ssa_liberty *ssa_synth_cli_library(const ssa_synth_cli *c) {
  return c->has_liberty ? &c->liberty : ssa_cell_table_builtin();
}
