/* kind_attention.c -- the SC attention block as a design kind: its options, its design
 * (gen/emit_attention.c), its golden model (golden/attention.c) and its stimulus. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kinds.h"

const char ssa_attention_options_help[] =
    "Design options:\n"
    "  --tokens N        tokens per step, a power of two from 2 to 256 (default 16)\n"
    "  --dim D           dimensions per head, a power of two from 2 to 256 (default 16)\n"
    "  --heads H         heads, 1 to 16 (default 1); ports carry N x (H*D) spikes\n"
    "  --reduce MODE     mux (random select) or count (popcount vs random threshold);\n"
    "                    default mux\n"
    "  --share MODE      unit (one random number per unit), row (one per row) or global\n"
    "                    (one per block); default unit\n"
    "  --prng-width W    score-stage LFSR width, 4 to 31 (default 16); output-stage LFSRs\n"
    "                    are W+1 bits, so the two stages have coprime periods\n"
    "  --seed S          master seed of every LFSR seed and of --rate stimulus (default 1)\n";

static int small_option(ssa_cli *c, const char *opt, unsigned *field, ssa_error *err) {
  const char *text = NULL;
  unsigned long long v;
  if (ssa_cli_value(c, opt, &text, err) != 0) return -1;
  if (ssa_parse_unsigned(opt, text, ~0ull, &v, err) != 0) return -1;
  *field = v > 0xffffffu ? 0xffffffu : (unsigned)v;
  return 1;
}

int ssa_cli_attention_option(ssa_cli *c, const char *opt, ssa_attention_params *p, ssa_error *err) {
  const char *text = NULL;
  if (strcmp(opt, "--tokens") == 0) return small_option(c, opt, &p->tokens, err);
  if (strcmp(opt, "--dim") == 0) return small_option(c, opt, &p->dim, err);
  if (strcmp(opt, "--heads") == 0) return small_option(c, opt, &p->heads, err);
  if (strcmp(opt, "--prng-width") == 0) return small_option(c, opt, &p->prng_width, err);
  if (strcmp(opt, "--seed") == 0) {
    unsigned long long v;
    if (ssa_cli_value(c, opt, &text, err) != 0) return -1;
    if (ssa_parse_unsigned(opt, text, ~0ull, &v, err) != 0) return -1;
    p->seed = v;
    return 1;
  }
  if (strcmp(opt, "--reduce") == 0) {
    if (ssa_cli_value(c, opt, &text, err) != 0) return -1;
    if (strcmp(text, "mux") == 0) p->reduce = SSA_REDUCE_MUX;
    else if (strcmp(text, "count") == 0) p->reduce = SSA_REDUCE_COUNT;
    else return ssa_fail(err, "--reduce %s: must be mux or count", text);
    return 1;
  }
  if (strcmp(opt, "--share") == 0) {
    if (ssa_cli_value(c, opt, &text, err) != 0) return -1;
    if (strcmp(text, "unit") == 0) p->share = SSA_SHARE_UNIT;
    else if (strcmp(text, "row") == 0) p->share = SSA_SHARE_ROW;
    else if (strcmp(text, "global") == 0) p->share = SSA_SHARE_GLOBAL;
    else return ssa_fail(err, "--share %s: must be unit, row or global", text);
    return 1;
  }
  return 0;
}
