/* cmd_report.c -- `ssa report`: the SC attention against the exact spiking attention and the
 * int8 ANN attention, and the published claims beside the project's figures (report.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/args.h"
#include "../common/outfile.h"
#include "../common/process.h"
#include "commands.h"
#include "../report/report.h"

static void print_help(void) {
  printf(
      "usage: ssa report [--out DIR] [--json FILE] [--liberty FILE | --no-liberty] [--quick]\n"
      "                  [--validation FILE] [--images K] [--data DIR] [--cache DIR]\n"
      "                  [--jobs J]\n"
      "\n"
      "Sets the published claims of the SC attention (6.3x compute energy, 1.7x memory\n"
      "access, 48x latency) beside the project's figures, like for like, at D=32 per head,\n"
      "T=10 steps, --rate 0.5, N in 8, 16 and 64:\n"
      "  compute energy  gate level against gate level, one library and voltage (the\n"
      "                  built-in NanGate 45 nm table): the SC block in each share mode\n"
      "                  against the int8 ANN attention (fully parallel) with softmax int\n"
      "                  and none, and the exact spiking attention; each design measured\n"
      "                  (netlist synthesized and simulated against the golden model) at the\n"
      "                  sizes the report can afford and composed from measured parts\n"
      "                  (ssa compose) at the others\n"
      "  memory access   bits moved, priced from one SRAM model for both sides: spiking\n"
      "                  against the ANN row by row and the ANN spilling its scores\n"
      "  latency         iCE40 place and route with the inputs shifted in, at the largest N\n"
      "                  each share mode places, against OpenBLAS on this CPU at the same N\n"
      "  compute energy, trained activity\n"
      "                  the same at the trained networks' size (N=16, D=16, 4 heads) on\n"
      "                  the Q, K, V they produce on the first K Fashion-MNIST test images\n"
      "                  (models/*.weights, as 'ssa capture' writes them): the SC block in\n"
      "                  its trained mode, the exact attention and the int8 ANN\n"
      "  randomness frontier\n"
      "                  every --random source and --share mode of the SC block: measured at\n"
      "                  N=16, D=16 and composed at N=64, D=32, the PRNG's share of energy and\n"
      "                  area, and the snn-sc network's test accuracy in that plan (trained\n"
      "                  in it when models/snn-sc-SHARE-RANDOM.weights exists)\n"
      "Every figure names its level (gate, operation, fpga, cpu) and basis (measured,\n"
      "composed, model, none), every claim row its verdict; the composition's validation\n"
      "(composed against whole netlists) is read from docs/composition-validation.json.\n"
      "The measurements run side by side, one process each (--jobs). The first run took\n"
      "11 minutes on two cores and up to 13.4 GB (the ANN composed at N=64, which runs\n"
      "alone); the parts measured at size are cached for the next (bench/RESULTS.md).\n"
      "Progress on stderr.\n"
      "\n"
      "Writes into DIR (default ssa-report): report.md, sizes.csv, claims.csv,\n"
      "validation.csv, frontier.csv, energy.png, area.png, frontier.png (energy against\n"
      "accuracy, when the dataset is there) and report.json (its \"claims\" array: for each\n"
      "claim and N both sides' figures with level and basis, the ratio and the verdict; its\n"
      "\"frontier\" array: every plan's figures).\n"
      "\n"
      "Options:\n"
      "  --out DIR         output directory (created if missing)\n"
      "  --json FILE       also write the JSON document to FILE\n"
      "  --liberty FILE    cross-check the built-in table's area against this library's\n"
      "                    (default: ../shared/liberty/nangate45_typ.lib.gz from the current\n"
      "                    directory when it exists, else no cross-check)\n"
      "  --no-liberty      skip the cross-check\n"
      "  --validation FILE the composition validation (default\n"
      "                    docs/composition-validation.json, reported as missing when it is\n"
      "                    not there; a FILE given here must exist)\n"
      "  --quick           tiny sizes (N 2 and 4, D 2): the same steps in minutes, for tests\n"
      "                    (the trained networks' activity left out)\n"
      "  --images K        test images whose activity drives the trained rows (default 8;\n"
      "                    0 leaves them out)\n"
      "  --data DIR        the Fashion-MNIST set (default /usr/share/datasets/fashion-mnist,\n"
      "                    Debian's dataset-fashion-mnist; without it the rows say so)\n"
      "  --cache DIR       Verilator model cache and composition profiles (default\n"
      "                    $SSA_CACHE_DIR, else ~/.cache/ssa)\n"
      "  --jobs J          measurements side by side, each in a process of its own\n"
      "                    (default: one per processor); the CPU timings run alone after\n"
      "                    them\n"
      "\n"
      "Exit status: 0 done, 1 a netlist differs from the golden model or a tool failed,\n"
      "2 bad usage.\n");
}

int ssa_cmd_report(int argc, char **argv) {
  ssa_cli c;
  ssa_error err;
  const char *dir = "ssa-report", *json = NULL, *liberty = NULL, *cache = NULL;
  const char *validation = NULL;
  const char *data = NULL;
  int quick = 0, no_liberty = 0, images = -1;
  unsigned jobs = 0;
  ssa_cli_init(&c, argc, argv, "report");
  for (const char *opt; (opt = ssa_cli_next(&c)) != NULL;) {
    int rc = 0;
    if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
      print_help();
      return SSA_EXIT_OK;
    } else if (strcmp(opt, "--out") == 0) {
      rc = ssa_cli_value(&c, opt, &dir, &err);
      if (rc == 0) rc = ssa_cli_dir_check(dir, &err);
    } else if (strcmp(opt, "--json") == 0) {
      rc = ssa_cli_value(&c, opt, &json, &err);
      if (rc == 0) rc = ssa_outfile_check(json, &err);
    } else if (strcmp(opt, "--liberty") == 0) {
      rc = ssa_cli_value(&c, opt, &liberty, &err);
    } else if (strcmp(opt, "--validation") == 0) {
      rc = ssa_cli_value(&c, opt, &validation, &err);
    } else if (strcmp(opt, "--cache") == 0) {
      rc = ssa_cli_value(&c, opt, &cache, &err);
    } else if (strcmp(opt, "--quick") == 0) {
      quick = 1;
    } else if (strcmp(opt, "--no-liberty") == 0) {
      no_liberty = 1;
    } else if (strcmp(opt, "--data") == 0) {
      rc = ssa_cli_value(&c, opt, &data, &err);
    } else if (strcmp(opt, "--images") == 0) {
      const char *v;
      unsigned long long n;
      rc = ssa_cli_value(&c, opt, &v, &err);
      if (rc == 0) rc = ssa_parse_unsigned(opt, v, 10000, &n, &err);
      if (rc == 0) images = (int)n;
    } else if (strcmp(opt, "--jobs") == 0) {
      const char *v;
      unsigned long long n;
      rc = ssa_cli_value(&c, opt, &v, &err);
      if (rc == 0) rc = ssa_parse_unsigned(opt, v, 256, &n, &err);
      if (rc == 0 && n == 0) rc = ssa_fail(&err, "--jobs 0: must be at least 1");
      if (rc == 0) jobs = (unsigned)n;
    } else {
      rc = ssa_cli_unknown(&c, opt, &err);
    }
    if (rc != 0) {
      fprintf(stderr, "ssa: %s\n", err.msg);
      return SSA_EXIT_USAGE;
    }
  }
  /* a file asked for by name must be there; the default one may be missing (the report says
   * so) */
  char *text = NULL;
  if (validation != NULL && ssa_read_file(validation, &text, NULL, &err) != 0) {
    fprintf(stderr, "ssa: --validation %s\n", err.msg);
    return SSA_EXIT_USAGE;
  }
  free(text);
  ssa_report r;
  ssa_report_config_default(&r.config, quick);
  r.config.cache_dir = cache;
  r.config.jobs = jobs;
  if (images >= 0) r.config.trained_images = (unsigned)images;
  if (data != NULL) r.config.data_dir = data;
  if (validation != NULL) r.config.validation_path = validation;
  if (!no_liberty) r.config.liberty_path = liberty != NULL ? liberty : ssa_default_liberty();
  int status = SSA_EXIT_OK;
  if (ssa_report_collect(&r, &err) != 0 || ssa_report_write(&r, dir, json, &err) != 0) {
    fprintf(stderr, "ssa: %s\n", err.msg);
    status = SSA_EXIT_FAIL;
  } else {
    printf("ssa report: %s/report.md (%.0f s)\n", dir, r.seconds);
    for (unsigned k = 0; k < r.claim_count; k++) {
      const ssa_report_claim *x = &r.claims[k];
      if (x->claim != SSA_CLAIM_LATENCY && x->claim != SSA_CLAIM_COMPUTE_TRAINED &&
          x->n != r.config.claim_n)
        continue;
      printf("  %-14s N=%-3u published %4.3gx  this project ", ssa_report_claim_name(x->claim),
             x->n, x->published);
      if (x->ratio > 0) printf("%8.3gx", x->ratio);
      else printf("%9s", "-");
      printf("  %s vs %s: %s\n", x->sc.key, x->baseline.key, x->verdict);
    }
  }
  ssa_report_free(&r);
  return status;
}
