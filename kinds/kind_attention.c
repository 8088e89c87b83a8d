/* kind_attention.c -- `ssa gen|sim|synth|energy attention`: the SC attention block as a design
 * kind. Its design is gen/emit_attention.c's, its golden model golden/attention.c's, both
 * reading one randomness plan (core/plan.h) built from the options. Stimulus and output are
 * the attention-shaped kinds' (kinds.h): Q, K, V blocks of N x E spikes in, an O block out. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../gen/emit_attention.h"
#include "../golden/attention.h"
#include "kinds.h"

static const ssa_option options[] = {
    SSA_OPTION_ATTENTION_SHAPE(ssa_attention_params, "heads (the ports carry N x (H*D) spikes)"),
    {.name = "--reduce", .metavar = "MODE", .type = SSA_OPTION_CHOICE,
     .offset = offsetof(ssa_attention_params, reduce), .choices = ssa_reduce_names,
     .def = SSA_REDUCE_MUX,
     .help = "a random select (mux) or a popcount against a random threshold (count)"},
    {.name = "--share", .metavar = "MODE", .type = SSA_OPTION_CHOICE,
     .offset = offsetof(ssa_attention_params, share), .choices = ssa_share_names,
     .def = SSA_SHARE_UNIT,
     .help = "one random number per unit, per row, or one for the whole block (global); "
             "row-global: a score select per row and one output select for the block"},
    {.name = "--random", .metavar = "SOURCE", .type = SSA_OPTION_CHOICE,
     .offset = offsetof(ssa_attention_params, random), .choices = ssa_random_names,
     .def = SSA_RANDOM_DEFAULT,
     .help = "where the numbers come from (docs/randomness.md): fresh bits of LFSRs, whole "
             "numbers per LFSR (lfsr); one Sobol counter for the block, each number its select "
             "XOR a constant (sobol); LFSRs with numbers run on across them (packed); one LFSR "
             "per token row, each block of units reading a rotation of its bits XOR a constant "
             "(shared)"},
    SSA_OPTION_PRNG_WIDTH(ssa_attention_params, prng_width, 4, 31,
                          "score-stage LFSR width; output-stage LFSRs are W+1 bits, so the two "
                          "stages have coprime periods"),
    SSA_OPTION_SEED(ssa_attention_params, seed,
                    "master seed of every LFSR seed or Sobol constant, and of --rate stimulus"),
    {0}};

static int prepare(void *params, ssa_error *err) { return ssa_attention_params_check(params, err); }

static void release(void *params) { (void)params; }

static int emit(const void *params, const char *line, ssa_design *d, ssa_error *err) {
  ssa_plan plan;
  if (ssa_plan_build(&plan, params, err) != 0) return -1;
  int rc = ssa_emit_attention(&plan, line, d, err);
  ssa_plan_free(&plan);
  return rc;
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
  if (rc == 0) rc = ssa_kind_golden_qkv(s, *(const ssa_qkv_shape *)params, golden_step, g, err);
  ssa_golden_attention_free(g);
  ssa_plan_free(&plan);
  return rc;
}

const ssa_kind ssa_kind_attention = {
    SSA_KIND_ENTRY("attention",
                   "stochastic spiking attention: SC units on the plan's LFSRs or Sobol counter",
                   ssa_attention_params),
    .drain_cycles = 1,
    SSA_QKV_IO,
};
