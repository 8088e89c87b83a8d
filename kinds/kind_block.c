/* kind_block.c -- `ssa gen|sim block`: the Spikformer-style encoder block (emit_block.h) with
 * the SC attention or the exact spiking attention. Stimulus: the spike text format with one X
 * block of N tokens x E columns per step; output: one Y block of N x E spikes per step. */
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

static void defaults(void *params) {
  block_params *p = params;
  memset(p, 0, sizeof *p);
  p->tokens = 16;
  p->embed = 32;
  p->heads = 2;
  p->weight_bits = 8;
  p->fold = 8;
  p->attention = BLOCK_SSA;
  ssa_lif_params_default(&p->lif);
  ssa_attention_params_default(&p->sc);
  ssa_exact_attention_params_default(&p->exact);
}

static int option(ssa_cli *c, const char *opt, void *params, ssa_error *err) {
  block_params *p = params;
  static const char *const counts[] = {"--tokens", "--embed", "--heads", "--hidden",
                                       "--weight-bits", "--fold", "--scale-shift", NULL};
  unsigned *fields[] = {&p->tokens, &p->embed, &p->heads, &p->hidden, &p->weight_bits, &p->fold,
                        &p->exact.scale_shift};
  for (unsigned k = 0; counts[k] != NULL; k++) {
    if (strcmp(opt, counts[k]) != 0) continue;
    const char *v;
    unsigned long long n;
    if (ssa_cli_value(c, opt, &v, err) != 0 ||
        ssa_parse_unsigned(opt, v, 0xffffffffu, &n, err) != 0)
      return -1;
    *fields[k] = (unsigned)n;
    return 1;
  }
  if (strcmp(opt, "--weights") == 0) return ssa_cli_value(c, opt, &p->weights_path, err) == 0 ? 1 : -1;
  if (strcmp(opt, "--attention") == 0) {
    const char *v;
    if (ssa_cli_value(c, opt, &v, err) != 0) return -1;
    if (strcmp(v, "ssa") == 0) p->attention = BLOCK_SSA;
    else if (strcmp(v, "exact") == 0) p->attention = BLOCK_EXACT;
    else return ssa_fail(err, "--attention %s: must be ssa or exact", v);
    return 1;
  }
  /* the SC attention's own options; --tokens, --dim and --heads come from the block */
  static const char *const sc_options[] = {"--reduce", "--share", "--prng-width", "--seed", NULL};
  for (unsigned k = 0; sc_options[k] != NULL; k++)
    if (strcmp(opt, sc_options[k]) == 0) return ssa_cli_attention_option(c, opt, &p->sc, err);
  return ssa_cli_lif_option(c, opt, &p->lif, err);
}

static void release(void *params) {
  block_params *p = params;
  ssa_weights_free(&p->weights);
  ssa_plan_free(&p->plan);
  ssa_design_free(&p->attention_design);
}

static int prepare(void *params, ssa_error *err) {
  block_params *p = params;
  if (p->tokens < 2 || p->tokens > SSA_MAX_TOKENS || (p->tokens & (p->tokens - 1)) != 0)
    return ssa_fail(err, "--tokens %u: must be a power of two from 2 to %u", p->tokens, SSA_MAX_TOKENS);
  if (p->heads < 1 || p->heads > SSA_MAX_HEADS)
    return ssa_fail(err, "--heads %u: must be from 1 to %u", p->heads, SSA_MAX_HEADS);
  unsigned dim = p->embed / p->heads;
  if (p->embed % p->heads != 0 || dim < 2 || dim > SSA_MAX_DIM || (dim & (dim - 1)) != 0)
    return ssa_fail(err, "--embed %u: must be --heads %u times a power of two from 2 to %u",
                    p->embed, p->heads, SSA_MAX_DIM);
  if (p->hidden == 0) p->hidden = 4 * p->embed;
  if (p->embed > SSA_WEIGHTS_MAX_DIM || p->hidden > SSA_WEIGHTS_MAX_DIM)
    return ssa_fail(err, "--hidden %u: must be from 1 to %u", p->hidden, SSA_WEIGHTS_MAX_DIM);
  if (p->weight_bits < SSA_WEIGHTS_MIN_BITS || p->weight_bits > SSA_WEIGHTS_MAX_BITS)
    return ssa_fail(err, "--weight-bits %u: must be from %u to %u", p->weight_bits,
                    SSA_WEIGHTS_MIN_BITS, SSA_WEIGHTS_MAX_BITS);
  if (p->weights_path == NULL) return ssa_fail(err, "--weights FILE is required");
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
  if (p->attention == BLOCK_SSA) {
    rc = ssa_plan_build(&p->plan, &p->sc, err);
    if (rc == 0) rc = ssa_emit_attention(&p->plan, &p->attention_design, err);
  } else {
    p->exact.tokens = p->tokens;
    p->exact.dim = dim;
    p->exact.heads = p->heads;
    rc = ssa_exact_attention_params_prepare(&p->exact, err);
    if (rc == 0) rc = ssa_emit_exact_attention(&p->exact, &p->attention_design, err);
  }
  if (rc != 0) {
    release(p);
    return -1;
  }
  p->spec.attention = &p->attention_design;
  return 0;
}

static void options(const void *params, char *buf, size_t len) {
  const block_params *p = params;
  char lif[160];
  ssa_lif_options(&p->lif, lif, sizeof lif);
  int n = snprintf(buf, len, "--tokens %u --embed %u --heads %u --hidden %u --weights %s "
                   "--weight-bits %u --fold %u %s --attention %s", p->tokens, p->embed, p->heads,
                   p->hidden, p->weights_path, p->weight_bits, p->fold, lif,
                   p->attention == BLOCK_SSA ? "ssa" : "exact");
  if (n > 0 && (size_t)n < len && p->attention == BLOCK_SSA)
    snprintf(buf + n, len - (size_t)n, " --reduce %s --share %s --prng-width %u --seed %llu",
             ssa_reduce_name(p->sc.reduce), ssa_share_name(p->sc.share), p->sc.prng_width,
             (unsigned long long)p->sc.seed);
  else if (n > 0 && (size_t)n < len)
    snprintf(buf + n, len - (size_t)n, " --scale-shift %u", p->exact.scale_shift);
}

static int emit(const void *params, ssa_design *d, ssa_error *err) {
  const block_params *p = params;
  char opts[512];
  options(p, opts, sizeof opts);
  if (ssa_emit_block(&p->spec, opts, d, err) != 0) return -1;
  snprintf(d->options, sizeof d->options, "%s", opts);
  return 0;
}

static int read_input(const void *params, const ssa_design *d, const char *path, unsigned steps,
                      ssa_step_data *s, ssa_error *err) {
  const block_params *p = params;
  static const char *const ports[] = {"x_i"};
  return ssa_kind_read_spikes(d, path, steps, "X", ports, p->tokens, p->embed, s, err);
}

/* --rate P: i.i.d. input spikes from the stimulus stream of the attention's master seed. */
static int random_input(const void *params, const ssa_design *d, unsigned steps, double rate,
                        ssa_step_data *s, ssa_error *err) {
  const block_params *p = params;
  static const char *const ports[] = {"x_i"};
  return ssa_kind_random_spikes(d, steps, rate, p->sc.seed, 1, ports, p->tokens, p->embed, s, err);
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

static void write_output(FILE *f, const void *params, const ssa_step_data *s, int summary,
                         const char *comment) {
  const block_params *p = params;
  int port = ssa_design_port_index(s->design, "y_o");
  ssa_write_step_spikes(f, s, (unsigned)port, p->tokens, p->embed, summary, 1, 'Y', comment);
}

static uint64_t seed_of(const void *params) { return ((const block_params *)params)->sc.seed; }

static void describe_bit(const void *params, const ssa_design *d, unsigned port, unsigned bit,
                         char *buf, size_t len) {
  const block_params *p = params;
  (void)d;
  (void)port;
  snprintf(buf, len, "token %u, column %u", bit / p->embed, bit % p->embed);
}

const ssa_kind ssa_kind_block = {
    .name = "block",
    .summary = "Spikformer-style encoder block: Q/K/V, attention, projection, MLP, residuals",
    .options_help =
        "  --tokens N        tokens, a power of two (default 16, 2 to 256)\n"
        "  --embed E         embedding columns, H times a power of two (default 32)\n"
        "  --heads H         attention heads (default 2)\n"
        "  --hidden M        MLP hidden size (default 4 E)\n"
        "  --weights FILE    layers q, k, v, o (E x E), fc1 (M x E), fc2 (E x M)\n"
        "                    (docs/weights-format.md; 'ssa weights block' writes one)\n"
        "  --weight-bits B   signed weight width (default 8, 2 to 16)\n"
        "  --fold F          inputs per clock of every linear layer (default 8; 0: parallel)\n"
        "  --attention A     ssa (the SC attention, default) or exact (Spikformer's)\n"
        "  --reduce, --share, --prng-width, --seed   the SC attention's options\n"
        "  --scale-shift S   the exact attention's scale 2^-S (default 3)\n"
        "  --width, --leak-shift, --threshold, --reset   the linear layers' LIF neurons\n",
    .input_help = "  --input FILE      spike text format: 'step t', then an X block of N lines of E\n"
                  "                    '0'/'1'; a single step is held for every step\n"
                  "  --rate P          instead of --input: i.i.d. spikes with probability P\n",
    .output_help = "Prints the spike text format: per step a Y block of N lines of E characters,\n"
                   "or with --summary one line per token of E spike counts.\n",
    .params_size = sizeof(block_params),
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
