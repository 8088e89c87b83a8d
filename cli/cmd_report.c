/* cmd_report.c -- `ssa report`: the SC attention against the exact spiking attention and the
 * int8 ANN attention, and the published claims beside the project's figures (report.h). */
#include <stdio.h>
#include <string.h>

#include "../common/args.h"
#include "commands.h"
#include "../report/report.h"

static void print_help(void) {
  printf(
      "usage: ssa report [--out DIR] [--json FILE] [--liberty FILE] [--quick] [--cache DIR]\n"
      "\n"
      "Measures the SC attention (share=unit, row, global), the exact spiking attention and\n"
      "the int8 ANN attention at D=32 per head, T=10 steps, N in 8, 16, 32, 64: area, gate-level\n"
      "energy per attention (synthesized, the netlist simulated against the golden model and\n"
      "its toggles priced with the built-in NanGate 45 nm table), operation-level and\n"
      "memory-access energy (Horowitz 45 nm), iCE40 Fmax and latency, and the CPU time of a\n"
      "float attention and of the golden model; then sets the published claims (6.3x compute\n"
      "energy, 1.7x memory access, 48x latency) beside the project's ratios at N=64. Sizes\n"
      "too large to synthesize in the report's time are extrapolated, and every table says\n"
      "so. Takes about 10 minutes on two cores; progress on stderr.\n"
      "\n"
      "Writes into DIR (default ssa-report): report.md, sizes.csv, claims.csv, energy.png,\n"
      "area.png and report.json (its \"claims\" array: claim, published, measured,\n"
      "baseline).\n"
      "\n"
      "Options:\n"
      "  --out DIR         output directory (created if missing)\n"
      "  --json FILE       also write the JSON document to FILE\n"
      "  --liberty FILE    cross-check the built-in table's area against this library's\n"
      "                    (default: ../shared/liberty/nangate45_typ.lib.gz from the current\n"
      "                    directory when it exists, else no cross-check)\n"
      "  --no-liberty      skip the cross-check\n"
      "  --quick           tiny sizes (N 4 and 8, D 8): the same steps in seconds, for tests\n"
      "  --cache DIR       Verilator model cache (default $SSA_CACHE_DIR, else ~/.cache/ssa)\n"
      "\n"
      "Exit status: 0 done, 1 a netlist differs from the golden model or a tool failed,\n"
      "2 bad usage.\n");
}

int ssa_cmd_report(int argc, char **argv) {
  ssa_cli c;
  ssa_error err;
  const char *dir = "ssa-report", *json = NULL, *liberty = NULL, *cache = NULL;
  int quick = 0, no_liberty = 0;
  ssa_cli_init(&c, argc, argv, "report");
  for (const char *opt; (opt = ssa_cli_next(&c)) != NULL;) {
    int rc = 0;
    if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
      print_help();
      return SSA_EXIT_OK;
    } else if (strcmp(opt, "--out") == 0) {
      rc = ssa_cli_value(&c, opt, &dir, &err);
    } else if (strcmp(opt, "--json") == 0) {
      rc = ssa_cli_value(&c, opt, &json, &err);
    } else if (strcmp(opt, "--liberty") == 0) {
      rc = ssa_cli_value(&c, opt, &liberty, &err);
    } else if (strcmp(opt, "--cache") == 0) {
      rc = ssa_cli_value(&c, opt, &cache, &err);
    } else if (strcmp(opt, "--quick") == 0) {
      quick = 1;
    } else if (strcmp(opt, "--no-liberty") == 0) {
      no_liberty = 1;
    } else {
      rc = ssa_cli_unknown(&c, opt, &err);
    }
    if (rc != 0) {
      fprintf(stderr, "ssa: %s\n", err.msg);
      return SSA_EXIT_USAGE;
    }
  }
  ssa_report r;
  ssa_report_config_default(&r.config, quick);
  r.config.cache_dir = cache;
  if (!no_liberty) r.config.liberty_path = liberty != NULL ? liberty : ssa_default_liberty();
  int status = SSA_EXIT_OK;
  if (ssa_report_collect(&r, &err) != 0 || ssa_report_write(&r, dir, json, &err) != 0) {
    fprintf(stderr, "ssa: %s\n", err.msg);
    status = SSA_EXIT_FAIL;
  } else {
    printf("ssa report: %s/report.md (%.0f s)\n", dir, r.seconds);
    for (unsigned k = 0; k < 3; k++)
      printf("  %-15s published %5.1fx  this project %8.2fx  (vs %s)\n", r.claims[k].claim,
             r.claims[k].published, r.claims[k].measured, r.claims[k].baseline);
  }
  ssa_report_free(&r);
  return status;
}
