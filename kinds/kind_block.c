/* kind_block.c -- `ssa gen|sim block`: the Spikformer-style encoder block (emit_block.h) with
 * the SC attention or the exact spiking attention. Stimulus: the spike text format with one X
 * block of N tokens x E columns per step; output: one Y block of N x E spikes per step. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "../golden/attention.h"
#include "../golden/exact_attention.h"
#include "../golden/linear.h"
#include "../gen/emit_attention.h"
#include "../gen/emit_block.h"
#include "../gen/emit_exact.h"
#include "kinds.h"

enum block_attention { BLOCK_SSA, BLOCK_EXACT };

typedef struct block_params {
  unsigned tokens, embed, heads, hidden, weight_bits, fold;
  enum block_attention attention;
  ssa_lif_params lif;                /* every linear layer's neurons */
  ssa_attention_params sc;           /* --attention ssa: its design options */
  ssa_exact_attention_params exact;  /* --attention exact: its design options */
  const char *weights_path;
  /* built by prepare */
  ssa_weights weights;
  ssa_plan plan;
  ssa_block_spec spec;
  ssa_design attention_design;
} block_params;

/* The fields of the two attentions that are not block options (the exact attention's own
 * LIF); N, D and H of both come from the block in prepare. */
static void defaults(void *params) {
  block_params *p = params;
  ssa_attention_params_default(&p->sc);
  ssa_exact_attention_params_default(&p->exact);
}

static void release(void *params) {
  block_params *p = params;
  ssa_weights_free(&p->weights);
  ssa_plan_free(&p->plan);
  ssa_design_free(&p->attention_design);
}

static const char *const attention_names[] = {"ssa", "exact", NULL};

static int uses_sc(const void *params) { return ((const block_params *)params)->attention == BLOCK_SSA; }
static int uses_exact(const void *params) { return !uses_sc(params); }

static const ssa_option options[] = {
    SSA_OPTION_TOKENS(block_params, "tokens"),
    {.name = "--embed", .metavar = "E", .type = SSA_OPTION_UNSIGNED,
     .offset = offsetof(block_params, embed), .min = 2, .max = SSA_WEIGHTS_MAX_DIM, .def = 32,
     .help = "embedding columns, --heads times a power of two"},
    {.name = "--heads", .metavar = "H", .type = SSA_OPTION_UNSIGNED,
     .offset = offsetof(block_params, heads), .min = 1, .max = SSA_MAX_HEADS, .def = 2,
     .help = "attention heads"},
    {.name = "--hidden", .metavar = "M", .type = SSA_OPTION_UNSIGNED,
     .offset = offsetof(block_params, hidden), .min = 1, .max = SSA_WEIGHTS_MAX_DIM, .def = 0,
     .def_text = "4 E", .help = "MLP hidden size"},
    {.name = "--weights", .metavar = "FILE", .type = SSA_OPTION_STRING,
     .offset = offsetof(block_params, weights_path), .flags = SSA_OPTION_REQUIRED,
     .help = "layers q, k, v, o (E x E), fc1 (M x E), fc2 (E x M) (docs/weights-format.md; "
             "'ssa weights block' writes one)"},
    {.name = "--weight-bits", .metavar = "B", .type = SSA_OPTION_UNSIGNED,
     .offset = offsetof(block_params, weight_bits), .min = SSA_WEIGHTS_MIN_BITS,
     .max = SSA_WEIGHTS_MAX_BITS, .def = 8, .help = "signed weight width"},
    {.name = "--fold", .metavar = "F", .type = SSA_OPTION_UNSIGNED,
     .offset = offsetof(block_params, fold), .min = 0, .max = SSA_WEIGHTS_MAX_DIM, .def = 8,
     .help = "inputs per clock of every linear layer (0: parallel)"},
    SSA_OPTION_LIF(block_params, lif),
    {.name = "--attention", .metavar = "A", .type = SSA_OPTION_CHOICE,
     .offset = offsetof(block_params, attention), .choices = attention_names, .def = BLOCK_SSA,
     .help = "the SC attention (ssa) or Spikformer's exact spiking attention (exact)"},
    {.name = "--reduce", .metavar = "MODE", .type = SSA_OPTION_CHOICE,
     .offset = offsetof(block_params, sc.reduce), .choices = ssa_reduce_names,
     .def = SSA_REDUCE_MUX, .help = "the SC attention's reduction", .in_line = uses_sc},
    {.name = "--share", .metavar = "MODE", .type = SSA_OPTION_CHOICE,
     .offset = offsetof(block_params, sc.share), .choices = ssa_share_names, .def = SSA_SHARE_UNIT,
     .help = "the SC attention's sharing of random numbers", .in_line = uses_sc},
    {.name = "--random", .metavar = "SOURCE", .type = SSA_OPTION_CHOICE,
     .offset = offsetof(block_params, sc.random), .choices = ssa_random_names,
     .def = SSA_RANDOM_DEFAULT, .help = "the SC attention's random source: lfsr, sobol, packed or shared "
             "(ssa gen attention --help)",
     .in_line = uses_sc},
    {.name = "--prng-width", .metavar = "W", .type = SSA_OPTION_UNSIGNED,
     .offset = offsetof(block_params, sc.prng_width), .min = 4, .max = 31, .def = 16,
     .help = "the SC attention's score-stage LFSR width", .in_line = uses_sc},
    {.name = "--seed", .metavar = "S", .type = SSA_OPTION_U64, .offset = offsetof(block_params, sc.seed),
     .min = 0, .max = UINT64_MAX, .def = 1, .help = "the SC attention's master seed",
     .in_line = uses_sc},
    {.name = "--scale-shift", .metavar = "S", .type = SSA_OPTION_UNSIGNED,
     .offset = offsetof(block_params, exact.scale_shift), .min = 0,
     .max = SSA_EXACT_MAX_SCALE_SHIFT, .def = SSA_EXACT_DEFAULT_SCALE_SHIFT,
     .help = "the exact attention's scale 2^-S", .in_line = uses_exact},
    {0}};

static int prepare(void *params, ssa_error *err) {
  block_params *p = params;
  unsigned dim = p->embed / p->heads;
  if (p->embed % p->heads != 0 || dim < 2 || dim > SSA_MAX_DIM || (dim & (dim - 1)) != 0)
    return ssa_fail(err, "--embed %u: must be --heads %u times a power of two from 2 to %u",
                    p->embed, p->heads, SSA_MAX_DIM);
  if (p->hidden == 0) p->hidden = 4 * p->embed;
  if (p->embed > SSA_WEIGHTS_MAX_DIM || p->hidden > SSA_WEIGHTS_MAX_DIM)
    return ssa_fail(err, "--hidden %u: must be from 1 to %u", p->hidden, SSA_WEIGHTS_MAX_DIM);
  if (ssa_lif_params_check(&p->lif, err) != 0) return -1;
  p->sc.tokens = p->tokens;
  p->sc.dim = dim;
  p->sc.heads = p->heads;
  if (ssa_weights_read(p->weights_path, p->weight_bits, &p->weights, err) != 0) return -1;
  static const char needed[] = "q, k, v, o, fc1, fc2";
  for (unsigned k = 0; k < SSA_BLOCK_LAYERS; k++) {
    unsigned rows = k == SSA_BLOCK_FC1 ? p->hidden : p->embed;
    unsigned cols = k == SSA_BLOCK_FC2 ? p->hidden : p->embed;
    ssa_linear_spec *l = &p->spec.layer[k];
    if (ssa_weights_expect(&p->weights, ssa_block_layer_names[k], rows, cols, needed, &l->layer, err) != 0) {
      release(p);
      return -1;
    }
    l->tokens = p->tokens;
    l->weight_bits = p->weight_bits;
    l->fold = p->fold < cols ? p->fold : cols;
    l->lif = p->lif;
  }
  p->spec.tokens = p->tokens;
  p->spec.embed = p->embed;
  p->spec.hidden = p->hidden;
  int rc;
  char line[512];
  if (p->attention == BLOCK_SSA) {
    ssa_kind_line(&ssa_kind_attention, &p->sc, line, sizeof line);
    rc = ssa_plan_build(&p->plan, &p->sc, err);
    if (rc == 0) rc = ssa_emit_attention(&p->plan, line, &p->attention_design, err);
  } else {
    p->exact.tokens = p->tokens;
    p->exact.dim = dim;
    p->exact.heads = p->heads;
    rc = ssa_exact_attention_params_prepare(&p->exact, err);
    ssa_kind_line(&ssa_kind_exact_attention, &p->exact, line, sizeof line);
    if (rc == 0) rc = ssa_emit_exact_attention(&p->exact, line, &p->attention_design, err);
  }
  if (rc != 0) {
    release(p);
    return -1;
  }
  p->spec.attention = &p->attention_design;
  return 0;
}

static int emit(const void *params, const char *line, ssa_design *d, ssa_error *err) {
  const block_params *p = params;
  if (ssa_emit_block(&p->spec, line, d, err) != 0) return -1;
  snprintf(d->options, sizeof d->options, "%s", line);
  return 0;
}

/* The block's golden model: the layers' and the attention's golden models in the order of
 * the hardware's stages. */
typedef struct block_golden {
  ssa_golden_linear layer[SSA_BLOCK_LAYERS];
  ssa_golden_attention *sc;          /* --attention ssa */
  ssa_golden_exact exact;            /* --attention exact */
  int have_exact;
  size_t words_e, words_m;
  uint64_t *x, *q, *k, *v, *a, *o, *y, *h, *z;   /* flat N x E (h: N x M) */
  ssa_bitmat mq, mk, mv, ma;
} block_golden;

static void golden_free(block_golden *g) {
  for (unsigned k = 0; k < SSA_BLOCK_LAYERS; k++) ssa_golden_linear_free(&g->layer[k]);
  ssa_golden_attention_free(g->sc);
  if (g->have_exact) ssa_golden_exact_free(&g->exact);
  free(g->x);
  ssa_bitmat_free(&g->mq);
  ssa_bitmat_free(&g->mk);
  ssa_bitmat_free(&g->mv);
  ssa_bitmat_free(&g->ma);
}

static int golden_init(block_golden *g, const block_params *p, ssa_error *err) {
  memset(g, 0, sizeof *g);
  for (unsigned k = 0; k < SSA_BLOCK_LAYERS; k++)
    if (ssa_golden_linear_init(&g->layer[k], p->spec.layer[k].layer, &p->lif, p->tokens, err) != 0) {
      golden_free(g);
      return -1;
    }
  g->words_e = ssa_flat_words(p->tokens, p->embed);
  g->words_m = ssa_flat_words(p->tokens, p->hidden);
  g->x = calloc(8 * g->words_e + g->words_m, sizeof *g->x);
  int ok = g->x != NULL && ssa_bitmat_init(&g->mq, p->tokens, p->embed) == 0 &&
           ssa_bitmat_init(&g->mk, p->tokens, p->embed) == 0 &&
           ssa_bitmat_init(&g->mv, p->tokens, p->embed) == 0 &&
           ssa_bitmat_init(&g->ma, p->tokens, p->embed) == 0;
  if (!ok) {
    golden_free(g);
    return ssa_fail(err, "out of memory for the block's golden model");
  }
  uint64_t **parts[] = {&g->q, &g->k, &g->v, &g->a, &g->o, &g->y, &g->z};
  for (unsigned k = 0; k < 7; k++) *parts[k] = g->x + (k + 1) * g->words_e;
  g->h = g->x + 8 * g->words_e;
  int rc = p->attention == BLOCK_SSA ? ssa_golden_attention_new(&p->plan, &g->sc, err)
                                     : ssa_golden_exact_init(&g->exact, &p->exact, err);
  if (rc != 0) {
    golden_free(g);
    return -1;
  }
  g->have_exact = p->attention == BLOCK_EXACT;
  return 0;
}

static void golden_step(block_golden *g, const block_params *p, const uint64_t *x, uint64_t *out) {
  memcpy(g->x, x, g->words_e * sizeof *x);
  ssa_golden_linear_step(&g->layer[SSA_BLOCK_Q], g->x, g->q);
  ssa_golden_linear_step(&g->layer[SSA_BLOCK_K], g->x, g->k);
  ssa_golden_linear_step(&g->layer[SSA_BLOCK_V], g->x, g->v);
  ssa_bitmat_from_flat(&g->mq, g->q);
  ssa_bitmat_from_flat(&g->mk, g->k);
  ssa_bitmat_from_flat(&g->mv, g->v);
  if (p->attention == BLOCK_SSA) ssa_golden_attention_step(g->sc, &g->mq, &g->mk, &g->mv, &g->ma);
  else ssa_golden_exact_step(&g->exact, &g->mq, &g->mk, &g->mv, &g->ma);
  ssa_bitmat_to_flat(&g->ma, g->a);
  ssa_golden_linear_step(&g->layer[SSA_BLOCK_O], g->a, g->o);
  for (size_t w = 0; w < g->words_e; w++) g->y[w] = g->o[w] | g->x[w];
  ssa_golden_linear_step(&g->layer[SSA_BLOCK_FC1], g->y, g->h);
  ssa_golden_linear_step(&g->layer[SSA_BLOCK_FC2], g->h, g->z);
  for (size_t w = 0; w < g->words_e; w++) out[w] = g->z[w] | g->y[w];
}

static int golden(const void *params, ssa_step_data *s, ssa_error *err) {
  const block_params *p = params;
  block_golden g;
  if (golden_init(&g, p, err) != 0) return -1;
  int in = ssa_design_port_index(s->design, "x_i"), out = ssa_design_port_index(s->design, "y_o");
  for (unsigned t = 0; t < s->steps; t++)
    golden_step(&g, p, ssa_step_in(s, t, (unsigned)in), ssa_step_out(s, t, (unsigned)out));
  golden_free(&g);
  return 0;
}

const char *const ssa_block_stage_names[SSA_BLOCK_STAGES] = {
    "q", "k", "v", "attention", "o", "y = o | x", "fc1", "fc2", "out = fc2 | y"};

static unsigned long ones(const uint64_t *w, size_t words) {
  unsigned long n = 0;
  for (size_t k = 0; k < words; k++) n += (unsigned long)__builtin_popcountll(w[k]);
  return n;
}

int ssa_block_stage_rates(const void *params, const ssa_step_data *s,
                          double rates[SSA_BLOCK_STAGES], ssa_error *err) {
  const block_params *p = params;
  block_golden g;
  if (golden_init(&g, p, err) != 0) return -1;
  uint64_t *out = calloc(g.words_e + 1, sizeof *out);
  if (out == NULL) {
    golden_free(&g);
    return ssa_fail(err, "out of memory");
  }
  unsigned long count[SSA_BLOCK_STAGES] = {0};
  int in = ssa_design_port_index(s->design, "x_i");
  for (unsigned t = 0; t < s->steps; t++) {
    golden_step(&g, p, ssa_step_in(s, t, (unsigned)in), out);
    const uint64_t *stage[SSA_BLOCK_STAGES] = {g.q, g.k, g.v, g.a, g.o, g.y, g.h, g.z, out};
    for (unsigned k = 0; k < SSA_BLOCK_STAGES; k++)
      count[k] += ones(stage[k], k == 6 ? g.words_m : g.words_e);
  }
  for (unsigned k = 0; k < SSA_BLOCK_STAGES; k++)
    rates[k] = (double)count[k] / ((double)s->steps * p->tokens * (k == 6 ? p->hidden : p->embed));
  free(out);
  golden_free(&g);
  return 0;
}

static const char *const x_port[] = {"x_i"};

static void io(const void *params, ssa_kind_io *io) {
  const block_params *p = params;
  *io = (ssa_kind_io){.in_blocks = "X", .in_ports = x_port, .in_rows = p->tokens,
                      .in_cols = p->embed, .out_port = "y_o", .out_block = 'Y', .out_headers = 1,
                      .out_rows = p->tokens, .out_cols = p->embed, .row_noun = "token",
                      .col_noun = "column"};
}

const ssa_kind ssa_kind_block = {
    SSA_KIND_ENTRY("block",
                   "Spikformer-style encoder block: Q/K/V, attention, projection, MLP, residuals",
                   block_params),
    .input_help = "  --input FILE      spike text format: 'step t', then an X block of N lines of E\n"
                  "                    '0'/'1'; a single step is held for every step\n"
                  "  --rate P          instead of --input: i.i.d. spikes with probability P\n",
    .output_help = "Prints the spike text format: per step a Y block of N lines of E characters,\n"
                   "or with --summary one line per token of E spike counts.\n",
    .defaults = defaults,
    .io = io,
};
