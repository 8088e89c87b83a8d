/* cmd_weights.c -- `ssa weights`: writes a random valid weights file for a linear layer or an
 * encoder block (uniform weights over the whole range, from a seed), the quickest way to a
 * design that `ssa gen linear` and `ssa gen block` accept. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/outfile.h"
#include "../core/weights.h"
#include "../common/args.h"
#include "commands.h"

static const char weights_help[] =
    "usage: ssa weights linear --inputs I --outputs O [--layer NAME] [options] --out FILE\n"
    "       ssa weights block --embed E [--hidden M] [options] --out FILE\n"
    "\n"
    "Writes a weights file (docs/weights-format.md) with every weight drawn uniformly over\n"
    "the signed range of --weight-bits from --seed: the same arguments give the same file.\n"
    "  linear: one layer NAME (default 'linear') of O x I.\n"
    "  block:  the layers of an encoder block of embedding E and MLP hidden size M (default\n"
    "          4 E): q, k, v, o of E x E, fc1 of M x E, fc2 of E x M.\n"
    "\n"
    "Options:\n"
    "  --weight-bits B   signed weight width (default 8, 2 to 16)\n"
    "  --seed S          seed of the weights (default 1)\n"
    "  --out FILE        the file to write (required; written whole or not at all)\n"
    "\n";

int ssa_cmd_weights(int argc, char **argv) {
  ssa_error err;
  if (argc < 1 || strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0) {
    fputs(weights_help, argc < 1 ? stderr : stdout);
    return argc < 1 ? SSA_EXIT_USAGE : SSA_EXIT_OK;
  }
  int block = strcmp(argv[0], "block") == 0;
  if (!block && strcmp(argv[0], "linear") != 0) {
    fprintf(stderr, "ssa: weights: unknown kind '%s' (kinds: linear, block)\n", argv[0]);
    return SSA_EXIT_USAGE;
  }
  unsigned inputs = 0, outputs = 0, embed = 0, hidden = 0, bits = 8;
  unsigned long long seed = 1;
  const char *layer = "linear", *out = NULL;
  ssa_cli c;
  ssa_cli_init(&c, argc - 1, argv + 1, block ? "weights block" : "weights linear");
  for (const char *opt; (opt = ssa_cli_next(&c)) != NULL;) {
    if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
      fputs(weights_help, stdout);
      return SSA_EXIT_OK;
    }
    const char *v = NULL;
    unsigned long long n = 0;
    unsigned *field = NULL;
    if (!block && strcmp(opt, "--inputs") == 0) field = &inputs;
    else if (!block && strcmp(opt, "--outputs") == 0) field = &outputs;
    else if (block && strcmp(opt, "--embed") == 0) field = &embed;
    else if (block && strcmp(opt, "--hidden") == 0) field = &hidden;
    else if (strcmp(opt, "--weight-bits") == 0) field = &bits;
    else if (strcmp(opt, "--seed") != 0 && strcmp(opt, "--out") != 0 &&
             (block || strcmp(opt, "--layer") != 0)) {
      ssa_cli_unknown(&c, opt, &err);
      fprintf(stderr, "ssa: %s\n", err.msg);
      return SSA_EXIT_USAGE;
    }
    int rc = ssa_cli_value(&c, opt, &v, &err);
    if (rc == 0 && field != NULL) {
      rc = ssa_parse_unsigned(opt, v, 0xffffffffu, &n, &err);
      /* every one is a size: 0 would be read as "not given" below */
      if (rc == 0 && n == 0) rc = ssa_fail(&err, "%s 0: must be at least 1", opt);
      *field = (unsigned)n;
    } else if (rc == 0 && strcmp(opt, "--seed") == 0) {
      rc = ssa_parse_unsigned(opt, v, ~0ull, &seed, &err);
    } else if (rc == 0 && strcmp(opt, "--out") == 0) {
      rc = ssa_outfile_check(v, &err);
      out = v;
    } else if (rc == 0) {
      layer = v;
    }
    if (rc != 0) {
      fprintf(stderr, "ssa: %s\n", err.msg);
      return SSA_EXIT_USAGE;
    }
  }
  if (hidden == 0) hidden = 4 * embed;
  const char *names[6] = {layer};
  unsigned rows[6] = {outputs}, cols[6] = {inputs}, count = 1;
  if (block) {
    static const char *const block_names[6] = {"q", "k", "v", "o", "fc1", "fc2"};
    count = 6;
    for (unsigned k = 0; k < count; k++) {
      names[k] = block_names[k];
      rows[k] = k == 4 ? hidden : embed;
      cols[k] = k == 5 ? hidden : embed;
    }
  }
  const char *missing = out == NULL ? "--out FILE" : NULL;
  if (missing == NULL && !block && inputs == 0) missing = "--inputs I";
  if (missing == NULL && !block && outputs == 0) missing = "--outputs O";
  if (missing == NULL && block && embed == 0) missing = "--embed E";
  if (missing != NULL) {
    fprintf(stderr, "ssa: weights %s: %s is required\n", argv[0], missing);
    return SSA_EXIT_USAGE;
  }
  for (unsigned k = 0; k < count; k++)
    if (rows[k] > SSA_WEIGHTS_MAX_DIM || cols[k] > SSA_WEIGHTS_MAX_DIM) {
      fprintf(stderr, "ssa: weights %s: a layer of %u x %u is beyond the maximum of %u x %u\n",
              argv[0], rows[k], cols[k], SSA_WEIGHTS_MAX_DIM, SSA_WEIGHTS_MAX_DIM);
      return SSA_EXIT_USAGE;
    }
  ssa_weights w;
  if (ssa_weights_random(&w, bits, count, names, rows, cols, seed, &err) != 0) {
    fprintf(stderr, "ssa: %s\n", err.msg);
    return SSA_EXIT_USAGE;
  }
  char comment[256];
  if (block)
    snprintf(comment, sizeof comment, "random weights: ssa weights block --embed %u --hidden %u "
             "--weight-bits %u --seed %llu", embed, hidden, bits, seed);
  else
    snprintf(comment, sizeof comment, "random weights: ssa weights linear --inputs %u --outputs %u "
             "--layer %s --weight-bits %u --seed %llu", inputs, outputs, layer, bits, seed);
  ssa_outfile of = {0};
  int rc = ssa_outfile_open(&of, out, &err);
  if (rc == 0) {
    ssa_weights_write(of.fp, &w, comment);
    rc = ssa_outfile_commit(&of, &err);
  }
  ssa_weights_free(&w);
  if (rc != 0) {
    fprintf(stderr, "ssa: %s\n", err.msg);
    return SSA_EXIT_FAIL;
  }
  return SSA_EXIT_OK;
}
