/* kind_exact.c -- `ssa gen|sim exact-attention`: exact spiking attention, the Spikformer
 * baseline (golden/exact_attention.h, emit_exact.h). Stimulus and output exactly as
 * `ssa sim attention`: the spike text format with Q, K, V blocks of N x E per step in, an O
 * block of N x E per step out. Deterministic: no seed. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "../golden/exact_attention.h"
#include "../gen/emit_exact.h"
#include "kinds.h"

static void defaults(void *params) { ssa_exact_attention_params_default(params); }

/* The LIF options but --threshold, which --scale-shift sets (threshold 0.5 = 2^s); the width
 * default depends on N and D (set by prepare when left 0). */
static const ssa_option options[] = {
    SSA_OPTION_ATTENTION_SHAPE(ssa_exact_attention_params, "heads (E = H * D columns)"),
    {.name = "--scale-shift", .metavar = "S", .type = SSA_OPTION_UNSIGNED,
     .offset = offsetof(ssa_exact_attention_params, scale_shift), .min = 0,
     .max = SSA_EXACT_MAX_SCALE_SHIFT, .def = SSA_EXACT_DEFAULT_SCALE_SHIFT,
     .help = "scale 2^-S (3: 0.125); the LIF threshold 0.5 is 2^S against the current "
             "2 * (Q K^T V), and 2^S <= 2^(W-1) - 1"},
    {.name = "--width", .metavar = "W", .type = SSA_OPTION_UNSIGNED,
     .offset = offsetof(ssa_exact_attention_params, lif.width), .min = SSA_LIF_MIN_WIDTH,
     .max = SSA_LIF_MAX_WIDTH, .def = 0,
     .def_text = "the smallest W >= 16 with 2 * N * D <= 2^(W-1) - 1, so the current alone "
                 "never saturates",
     .help = "membrane bits, signed"},
    SSA_OPTION_LIF_LEAK(ssa_exact_attention_params, lif),
    SSA_OPTION_LIF_RESET(ssa_exact_attention_params, lif),
    {.name = "--threshold", .type = SSA_OPTION_REFUSED,
     .help = "not an option of exact-attention; the threshold is 2^s, set by --scale-shift"},
    {0}};

static int prepare(void *params, ssa_error *err) {
  return ssa_exact_attention_params_prepare(params, err);
}

static void release(void *params) { (void)params; }

static int emit(const void *params, const char *line, ssa_design *d, ssa_error *err) {
  return ssa_emit_exact_attention(params, line, d, err);
}

static void golden_step(void *model, const ssa_bitmat *q, const ssa_bitmat *k, const ssa_bitmat *v,
                        ssa_bitmat *o) {
  ssa_golden_exact_step(model, q, k, v, o);
}

static int golden(const void *params, ssa_step_data *s, ssa_error *err) {
  ssa_golden_exact g;
  if (ssa_golden_exact_init(&g, params, err) != 0) return -1;
  int rc = ssa_kind_golden_qkv(s, *(const ssa_qkv_shape *)params, golden_step, &g, err);
  ssa_golden_exact_free(&g);
  return rc;
}

const ssa_kind ssa_kind_exact_attention = {
    SSA_KIND_ENTRY("exact-attention",
                   "exact spiking attention (Spikformer baseline), LIF((Q K^T V) * 2^-s)",
                   ssa_exact_attention_params),
    .defaults = defaults,
    SSA_QKV_IO,
};
