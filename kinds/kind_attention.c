/* kind_attention.c -- `ssa gen|sim|synth|energy attention`: the SC attention block as a design
 * kind. Its design is gen/emit_attention.c's, its golden model golden/attention.c's, both
 * reading one randomness plan (core/plan.h) built from the options. Stimulus and output are
 * the attention-shaped kinds' (kinds.h): Q, K, V blocks of N x E spikes in, an O block out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../gen/emit_attention.h"
#include "../golden/attention.h"
#include "kinds.h"

const char ssa_attention_options_help[] =
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

static void defaults(void *params) { ssa_attention_params_default(params); }

static int option(ssa_cli *c, const char *opt, void *params, ssa_error *err) {
  return ssa_cli_attention_option(c, opt, params, err);
}

static int prepare(void *params, ssa_error *err) { return ssa_attention_params_check(params, err); }

static void release(void *params) { (void)params; }

static void options(const void *params, char *buf, size_t len) {
  ssa_attention_options(params, buf, len);
}

static int emit(const void *params, ssa_design *d, ssa_error *err) {
  ssa_plan plan;
  if (ssa_plan_build(&plan, params, err) != 0) return -1;
  int rc = ssa_emit_attention(&plan, d, err);
  ssa_plan_free(&plan);
  return rc;
}

static ssa_qkv_shape shape(const ssa_attention_params *p) {
  return (ssa_qkv_shape){p->tokens, p->heads, p->dim};
}

static int read_input(const void *params, const ssa_design *d, const char *path, unsigned steps,
                      ssa_step_data *s, ssa_error *err) {
  return ssa_kind_read_qkv(d, path, steps, shape(params), s, err);
}

/* --rate P: i.i.d. Q, K, V spikes from the stimulus stream of the master seed. */
static int random_input(const void *params, const ssa_design *d, unsigned steps, double rate,
                        ssa_step_data *s, ssa_error *err) {
  const ssa_attention_params *p = params;
  return ssa_kind_random_qkv(d, steps, rate, p->seed, shape(p), s, err);
}

static void golden_step(void *model, const ssa_bitmat *q, const ssa_bitmat *k, const ssa_bitmat *v,
                        ssa_bitmat *o) {
  ssa_golden_attention_step(model, q, k, v, o);
}

static int golden(const void *params, ssa_step_data *s, ssa_error *err) {
  ssa_plan plan;
  ssa_golden_attention *g = NULL;
  if (ssa_plan_build(&plan, params, err) != 0) return -1;
  int rc = ssa_golden_attention_new(&plan, &g, err);
  if (rc == 0) rc = ssa_kind_golden_qkv(s, shape(params), golden_step, g, err);
  ssa_golden_attention_free(g);
  ssa_plan_free(&plan);
  return rc;
}

static void write_output(FILE *f, const void *params, const ssa_step_data *s, int summary,
                         const char *comment) {
  ssa_kind_write_o(f, s, shape(params), summary, comment);
}

static void describe_bit(const void *params, const ssa_design *d, unsigned port, unsigned bit,
                         char *buf, size_t len) {
  (void)d;
  (void)port;
  ssa_kind_describe_o_bit(shape(params), bit, buf, len);
}

static uint64_t seed_of(const void *params) { return ((const ssa_attention_params *)params)->seed; }

const ssa_kind ssa_kind_attention = {
    .name = "attention",
    .summary = "stochastic spiking attention: SC score and output units on the plan's LFSRs",
    .options_help = ssa_attention_options_help,
    .input_help = "  --input FILE      spike text format: 'step t', then Q, K and V blocks of N\n"
                  "                    lines of H*D '0'/'1'; a single step is held for every step\n"
                  "  --rate P          instead of --input: i.i.d. spikes with probability P from\n"
                  "                    the seed\n",
    .output_help = "Prints the spike text format: per step an O block of N lines of H*D\n"
                   "characters, or with --summary one line per token of H*D spike counts.\n",
    .params_size = sizeof(ssa_attention_params),
    .drain_cycles = 1,
    .defaults = defaults,
    .option = option,
    .prepare = prepare,
    .release = release,
    .options = options,
    .emit = emit,
    .read_input = read_input,
    .random_input = random_input,
    .golden = golden,
    .write_output = write_output,
    .seed_of = seed_of,
    .describe_bit = describe_bit,
};
