/* net.c -- the Fashion-MNIST classifier: shape, parameters, forward and backward (net.h). */
#include "net.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../common/args.h"
#include "../core/lfsr.h"

#include "../golden/attention.h"
#include "../core/bitmat.h"

void ssa_net_shape_default(ssa_net_shape *s, enum ssa_net_model model) {
  memset(s, 0, sizeof *s);
  s->model = model;
  s->embed = 64;
  s->heads = 4;
  s->hidden = 128;
  s->steps = model == SSA_NET_ANN ? 1 : 10;
  s->share = SSA_SHARE_UNIT;
  s->scale_shift = SSA_EXACT_DEFAULT_SCALE_SHIFT;
  s->attention_seed = 1;
  s->random = SSA_RANDOM_DEFAULT;
  s->lif_beta = 1.0;
  s->lif_reset = SSA_LIF_RESET_SUBTRACT;
}

static int is_power_of_two(unsigned x) { return x != 0 && (x & (x - 1)) == 0; }

int ssa_net_shape_check(const ssa_net_shape *s, ssa_error *err) {
  if (s->embed < 2 || s->embed > 256)
    return ssa_fail(err, "--embed %u: must be from 2 to 256", s->embed);
  if (s->heads < 1 || s->heads > SSA_MAX_HEADS || s->embed % s->heads != 0)
    return ssa_fail(err, "--heads %u: must divide --embed %u (1 to %u heads)", s->heads,
                    s->embed, SSA_MAX_HEADS);
  unsigned d = s->embed / s->heads;
  if (!is_power_of_two(d) || d < 2)
    return ssa_fail(err, "--embed %u --heads %u: D = E / H = %u is not a power of two >= 2",
                    s->embed, s->heads, d);
  if (s->hidden < 1 || s->hidden > SSA_LINEAR_MAX_WIDTH)
    return ssa_fail(err, "--hidden %u: must be from 1 to %u", s->hidden, SSA_LINEAR_MAX_WIDTH);
  if (s->steps < 1 || s->steps > SSA_NET_MAX_STEPS)
    return ssa_fail(err, "--steps %u: must be from 1 to %u", s->steps, SSA_NET_MAX_STEPS);
  if (s->model == SSA_NET_ANN && s->steps != 1)
    return ssa_fail(err, "--steps %u: the ANN runs one step", s->steps);
  if (s->scale_shift > SSA_EXACT_MAX_SCALE_SHIFT)
    return ssa_fail(err, "--scale-shift %u: must be from 0 to %u", s->scale_shift,
                    SSA_EXACT_MAX_SCALE_SHIFT);
  if (s->attention_seed == 0) return ssa_fail(err, "--attention-seed 0: must be non-zero");
  if (!(s->lif_beta >= 0 && s->lif_beta <= 1))
    return ssa_fail(err, "--lif-beta %g: must be from 0 to 1", s->lif_beta);
  return 0;
}

static const char *const model_names[] = {"ann", "snn-exact", "snn-sc"};
static const char *const attention_names[] = {"ann", "exact", "sc", "none"};

const char *ssa_net_model_name(enum ssa_net_model m) {
  return (unsigned)m < 3 ? model_names[m] : "?";
}

int ssa_net_model_parse(const char *text, enum ssa_net_model *out) {
  int m = ssa_name_index(model_names, 3, text);
  if (m >= 0) *out = (enum ssa_net_model)m;
  return m >= 0 ? 0 : -1;
}

const char *ssa_net_attention_name(enum ssa_net_attention a) {
  return (unsigned)a < 4 ? attention_names[a] : "?";
}

int ssa_net_attention_parse(const char *text, enum ssa_net_attention *out) {
  int a = ssa_name_index(attention_names, 4, text);
  if (a >= 0) *out = (enum ssa_net_attention)a;
  return a >= 0 ? 0 : -1;
}

enum ssa_net_attention ssa_net_model_attention(enum ssa_net_model m) {
  return m == SSA_NET_ANN ? SSA_NET_ATTENTION_ANN
         : m == SSA_NET_SNN_EXACT ? SSA_NET_ATTENTION_EXACT : SSA_NET_ATTENTION_SC;
}

int ssa_net_new(ssa_net *net, const ssa_net_shape *shape, ssa_error *err) {
  memset(net, 0, sizeof *net);
  if (ssa_net_shape_check(shape, err) != 0) return -1;
  net->shape = *shape;
  unsigned e = shape->embed, f = shape->hidden;
  const struct { const char *name; unsigned rows, cols; } t[SSA_T_COUNT] = {
      {"patch.weight", SSA_NET_PATCH_PIXELS, e}, {"patch.bias", 1, e},
      {"pos", SSA_NET_TOKENS, e},
      {"q.weight", e, e}, {"q.bias", 1, e}, {"k.weight", e, e}, {"k.bias", 1, e},
      {"v.weight", e, e}, {"v.bias", 1, e}, {"o.weight", e, e}, {"o.bias", 1, e},
      {"mlp1.weight", e, f}, {"mlp1.bias", 1, f}, {"mlp2.weight", f, e}, {"mlp2.bias", 1, e},
      {"head.weight", e, SSA_NET_CLASSES}, {"head.bias", 1, SSA_NET_CLASSES},
  };
  size_t offset = 0;
  for (unsigned k = 0; k < SSA_T_COUNT; k++) {
    net->tensor[k] = (ssa_net_tensor_info){t[k].name, t[k].rows, t[k].cols, offset};
    offset += (size_t)t[k].rows * t[k].cols;
  }
  net->count = offset;
  net->param = calloc(offset, sizeof *net->param);
  if (!net->param) return ssa_fail(err, "out of memory for %zu parameters", offset);
  return 0;
}

void ssa_net_free(ssa_net *net) {
  free(net->param);
  net->param = NULL;
}

/* Uniform in [-1, 1). */
static double uniform_pm1(uint64_t *state) {
  return (double)(ssa_splitmix64(state) >> 11) * 0x1.0p-52 - 1.0;
}

void ssa_net_init_random(ssa_net *net, uint64_t seed) {
  uint64_t state = seed;
  memset(net->param, 0, net->count * sizeof *net->param);
  for (unsigned k = 0; k < SSA_T_COUNT; k++) {
    const ssa_net_tensor_info *t = &net->tensor[k];
    ssa_real *p = net->param + t->offset;
    size_t n = (size_t)t->rows * t->cols;
    double bound;
    if (k == SSA_T_POS) bound = 0.1;
    else if (t->rows == 1) continue;  /* biases start at zero */
    else bound = sqrt(3.0 / t->rows);
    for (size_t i = 0; i < n; i++) p[i] = (ssa_real)(bound * uniform_pm1(&state));
  }
}

/* Activation layers, each with a per-step trace of its input (h) and output (s). */
enum layer { L_EMBED, L_Q, L_K, L_V, L_ATT, L_PROJ, L_MLP1, L_MLP2, L_COUNT };

struct ssa_net_run {
  const ssa_net *net;
  ssa_net_run_opts opts;
  unsigned n, e, f, d;         /* tokens, embedding, hidden, head dimension */
  size_t width[L_COUNT];       /* values per step of each layer */
  ssa_real *h[L_COUNT], *s[L_COUNT];  /* steps x width */
  ssa_real *v[L_COUNT];        /* LIF state (forward) or its gradient (backward) */
  ssa_real *y;                 /* steps x N E: the first residual sum */
  ssa_real *prob;              /* H x N x N softmax probabilities (ANN) */
  ssa_real *patches, *c0;      /* N x 49 input, N x E embedding current */
  ssa_real *feature;           /* E */
  ssa_real *cur, *dcur, *dx, *dy, *ds0, *dq, *dk, *dv, *dc0;  /* scratch, N x max(E, F) */
  ssa_real *score, *dscore;    /* N x N */
  ssa_lif_shape lif, lif_attention;
  /* the golden blocks and their bit matrices */
  ssa_plan plan;
  ssa_golden_attention *sc;
  ssa_golden_exact exact;
  int have_plan, have_exact;
  ssa_bitmat bq, bk, bv, bo;
  const ssa_spike_steps *override;
};

static ssa_real *alloc_reals(size_t n, int *failed) {
  ssa_real *p = calloc(n ? n : 1, sizeof *p);
  if (!p) *failed = 1;
  return p;
}

void ssa_net_run_opts_default(ssa_net_run_opts *o, const ssa_net *net) {
  memset(o, 0, sizeof *o);
  o->attention = ssa_net_model_attention(net->shape.model);
  o->share = net->shape.share;
  o->random = net->shape.random;
  o->steps = net->shape.steps;
}

void ssa_net_attention_params(const ssa_net *net, enum ssa_share share, enum ssa_random random,
                              ssa_attention_params *p) {
  ssa_attention_params_default(p);
  p->tokens = SSA_NET_TOKENS;
  p->dim = net->shape.embed / net->shape.heads;
  p->heads = net->shape.heads;
  p->share = share;
  p->random = random;
  p->seed = net->shape.attention_seed;
}

static int run_golden_init(ssa_net_run *r, ssa_error *err) {
  const ssa_net_shape *s = &r->net->shape;
  if (r->opts.attention == SSA_NET_ATTENTION_SC) {
    ssa_attention_params p;
    ssa_net_attention_params(r->net, r->opts.share, r->opts.random, &p);
    if (ssa_plan_build(&r->plan, &p, err) != 0) return -1;
    r->have_plan = 1;
    if (ssa_golden_attention_new(&r->plan, &r->sc, err) != 0) return -1;
  } else if (r->opts.attention == SSA_NET_ATTENTION_EXACT) {
    ssa_exact_attention_params p;
    ssa_exact_attention_params_default(&p);
    p.tokens = SSA_NET_TOKENS;
    p.dim = r->d;
    p.heads = s->heads;
    p.scale_shift = s->scale_shift;
    if (ssa_exact_attention_params_prepare(&p, err) != 0) return -1;
    if (ssa_golden_exact_init(&r->exact, &p, err) != 0) return -1;
    r->have_exact = 1;
  }
  if (ssa_bitmat_init(&r->bq, r->n, r->e) || ssa_bitmat_init(&r->bk, r->n, r->e) ||
      ssa_bitmat_init(&r->bv, r->n, r->e) || ssa_bitmat_init(&r->bo, r->n, r->e))
    return ssa_fail(err, "out of memory for the attention's spike matrices");
  return 0;
}

int ssa_net_run_new(const ssa_net *net, const ssa_net_run_opts *opts, ssa_net_run **out,
                    ssa_error *err) {
  *out = NULL;
  const ssa_net_shape *s = &net->shape;
  int spiking = net->shape.model != SSA_NET_ANN;
  enum ssa_net_attention a = opts->attention;  /* none suits every network */
  if (spiking && a == SSA_NET_ATTENTION_ANN)
    return ssa_fail(err, "--attention ann: a spiking network (%s) has no softmax attention",
                    ssa_net_model_name(s->model));
  if (!spiking && (a == SSA_NET_ATTENTION_EXACT || a == SSA_NET_ATTENTION_SC))
    return ssa_fail(err, "--attention %s: the ANN's attention is softmax (ann)",
                    ssa_net_attention_name(a));
  if (opts->steps < 1 || opts->steps > SSA_NET_MAX_STEPS || (!spiking && opts->steps != 1))
    return ssa_fail(err, "--steps %u: must be %s", opts->steps,
                    spiking ? "from 1 to 64" : "1 for the ANN");
  ssa_net_run *r = calloc(1, sizeof *r);
  if (!r) return ssa_fail(err, "out of memory");
  r->net = net;
  r->opts = *opts;
  r->n = SSA_NET_TOKENS;
  r->e = s->embed;
  r->f = s->hidden;
  r->d = s->embed / s->heads;
  size_t ne = (size_t)r->n * r->e, nf = (size_t)r->n * r->f, big = ne > nf ? ne : nf;
  unsigned steps = opts->steps;
  int failed = 0;
  for (unsigned l = 0; l < L_COUNT; l++) {
    r->width[l] = l == L_MLP1 ? nf : ne;
    r->h[l] = alloc_reals(steps * r->width[l], &failed);
    r->s[l] = alloc_reals(steps * r->width[l], &failed);
    r->v[l] = alloc_reals(r->width[l], &failed);
  }
  r->y = alloc_reals(steps * ne, &failed);
  r->prob = alloc_reals((size_t)s->heads * r->n * r->n, &failed);
  r->patches = alloc_reals((size_t)r->n * SSA_NET_PATCH_PIXELS, &failed);
  r->c0 = alloc_reals(ne, &failed);
  r->feature = alloc_reals(r->e, &failed);
  ssa_real **scratch[] = {&r->cur, &r->dcur, &r->dx, &r->dy, &r->ds0,
                          &r->dq,  &r->dk,   &r->dv, &r->dc0};
  for (unsigned k = 0; k < sizeof scratch / sizeof *scratch; k++)
    *scratch[k] = alloc_reals(big, &failed);
  r->score = alloc_reals((size_t)r->n * r->n, &failed);
  r->dscore = alloc_reals((size_t)r->n * r->n, &failed);
  if (failed) {
    ssa_net_run_free(r);
    return ssa_fail(err, "out of memory for the network's activations");
  }
  /* alpha 4 is Spikformer's sigmoid surrogate */
  r->lif = (ssa_lif_shape){(ssa_real)s->lif_beta, 1.0, 4.0, opts->smooth,
                           s->lif_reset == SSA_LIF_RESET_SUBTRACT};
  /* the exact block's LIF in real units: threshold 0.5, current (Q K^T V) 2^-s */
  /* (leak shift 1 is beta 1/2, reset zero: golden/exact_attention.h's defaults) */
  r->lif_attention = (ssa_lif_shape){0.5, 0.5, 4.0, opts->smooth, 0};
  if (spiking && run_golden_init(r, err) != 0) {
    ssa_net_run_free(r);
    return -1;
  }
  *out = r;
  return 0;
}

void ssa_net_run_free(ssa_net_run *r) {
  if (!r) return;
  for (unsigned l = 0; l < L_COUNT; l++) {
    free(r->h[l]);
    free(r->s[l]);
    free(r->v[l]);
  }
  ssa_real *owned[] = {r->y,  r->prob, r->patches, r->c0, r->feature, r->cur, r->dcur, r->dx,
                       r->dy, r->ds0,  r->dq,      r->dk, r->dv,      r->dc0, r->score,
                       r->dscore};
  for (unsigned k = 0; k < sizeof owned / sizeof *owned; k++) free(owned[k]);
  ssa_golden_attention_free(r->sc);
  if (r->have_plan) ssa_plan_free(&r->plan);
  if (r->have_exact) ssa_golden_exact_free(&r->exact);
  ssa_bitmat_free(&r->bq);
  ssa_bitmat_free(&r->bk);
  ssa_bitmat_free(&r->bv);
  ssa_bitmat_free(&r->bo);
  free(r);
}

void ssa_net_patches(const uint8_t *pixels, ssa_real *patches) {
  unsigned per_row = SSA_NET_SIDE / SSA_NET_PATCH;
  for (unsigned p = 0; p < SSA_NET_TOKENS; p++) {
    unsigned r0 = (p / per_row) * SSA_NET_PATCH, c0 = (p % per_row) * SSA_NET_PATCH;
    for (unsigned y = 0; y < SSA_NET_PATCH; y++)
      for (unsigned x = 0; x < SSA_NET_PATCH; x++)
        patches[p * SSA_NET_PATCH_PIXELS + y * SSA_NET_PATCH + x] =
            (ssa_real)pixels[(r0 + y) * SSA_NET_SIDE + c0 + x] / (ssa_real)255;
  }
}

unsigned ssa_net_predict(const ssa_real *logits) {
  unsigned best = 0;
  for (unsigned c = 1; c < SSA_NET_CLASSES; c++)
    if (logits[c] > logits[best]) best = c;
  return best;
}

static const ssa_real *param(const ssa_net_run *r, enum ssa_net_tensor t) {
  return r->net->param + r->net->tensor[t].offset;
}

static ssa_real *at(ssa_real *trace, const ssa_net_run *r, enum layer l, unsigned t) {
  return trace + (size_t)t * r->width[l];
}

/* The activation of layer l at step t on the current in r->cur (or `current`). */
static void activate(ssa_net_run *r, enum layer l, unsigned t, const ssa_real *current) {
  ssa_real *h = at(r->h[l], r, l, t), *s = at(r->s[l], r, l, t);
  if (r->net->shape.model == SSA_NET_ANN) {
    memcpy(h, current, r->width[l] * sizeof *h);
    ssa_relu_forward(h, s, r->width[l]);
  } else {
    ssa_lif_forward(l == L_ATT ? &r->lif_attention : &r->lif, current, r->v[l], h, s,
                    r->width[l]);
  }
}

/* Spikes (0 or 1 as numbers) to bits and back, a whole word at a time. */
static void to_bitmat(const ssa_real *spikes, ssa_bitmat *m) {
  for (unsigned i = 0; i < m->rows; i++) {
    const ssa_real *row = spikes + (size_t)i * m->cols;
    uint64_t *words = m->w + (size_t)i * m->stride;
    for (unsigned w = 0; w < m->stride; w++) {
      unsigned first = w * 64, last = first + 64 < m->cols ? first + 64 : m->cols;
      uint64_t word = 0;
      for (unsigned c = first; c < last; c++) word |= (uint64_t)(row[c] != 0) << (c - first);
      words[w] = word;
    }
  }
}

static void from_bitmat(const ssa_bitmat *m, ssa_real *spikes) {
  for (unsigned i = 0; i < m->rows; i++) {
    ssa_real *row = spikes + (size_t)i * m->cols;
    const uint64_t *words = m->w + (size_t)i * m->stride;
    for (unsigned c = 0; c < m->cols; c++) row[c] = (ssa_real)((words[c / 64] >> (c % 64)) & 1u);
  }
}

/* The exact block on the golden model. The backward pass needs the membrane before the
 * threshold (h): the golden model keeps it (in units of 2^-(s+1): threshold 2^s is 0.5). */
static void exact_attention_step(ssa_net_run *r, unsigned t, const ssa_real *q,
                                 const ssa_real *k, const ssa_real *v) {
  ssa_real *h = at(r->h[L_ATT], r, L_ATT, t), *s = at(r->s[L_ATT], r, L_ATT, t);
  to_bitmat(q, &r->bq);
  to_bitmat(k, &r->bk);
  to_bitmat(v, &r->bv);
  ssa_golden_exact_step(&r->exact, &r->bq, &r->bk, &r->bv, &r->bo);
  from_bitmat(&r->bo, s);
  double unit = ldexp(1.0, -(int)r->net->shape.scale_shift - 1);
  for (size_t x = 0; x < r->width[L_ATT]; x++)
    h[x] = (ssa_real)((double)r->exact.charged[x] * unit);
}

static void attention_step(ssa_net_run *r, unsigned t) {
  const ssa_real *q = at(r->s[L_Q], r, L_Q, t), *k = at(r->s[L_K], r, L_K, t),
                 *v = at(r->s[L_V], r, L_V, t);
  ssa_real *o = at(r->s[L_ATT], r, L_ATT, t);
  unsigned heads = r->net->shape.heads;
  if (r->override) {
    from_bitmat(ssa_spike_block(r->override, t, 0), o);
    return;
  }
  switch (r->opts.attention) {
    case SSA_NET_ATTENTION_NONE:
      memset(o, 0, r->width[L_ATT] * sizeof *o);
      break;
    case SSA_NET_ATTENTION_ANN:
      ssa_softmax_attention_forward(q, k, v, o, r->prob, r->n, heads, r->d);
      break;
    case SSA_NET_ATTENTION_SC:
      if (r->opts.smooth) {  /* the expectation: what backward differentiates */
        ssa_qktv_forward(q, k, v, o, r->score, r->n, heads, r->d,
                         (ssa_real)1 / (ssa_real)(r->n * r->d));
      } else {
        to_bitmat(q, &r->bq);
        to_bitmat(k, &r->bk);
        to_bitmat(v, &r->bv);
        ssa_golden_attention_step(r->sc, &r->bq, &r->bk, &r->bv, &r->bo);
        from_bitmat(&r->bo, o);
      }
      break;
    case SSA_NET_ATTENTION_EXACT:
      if (r->opts.smooth) {
        ssa_qktv_forward(q, k, v, r->cur, r->score, r->n, heads, r->d,
                         (ssa_real)ldexp(1.0, -(int)r->net->shape.scale_shift));
        activate(r, L_ATT, t, r->cur);
      } else {
        exact_attention_step(r, t, q, k, v);
      }
      break;
  }
}

void ssa_net_forward(ssa_net_run *r, const ssa_real *patches, ssa_real *logits) {
  unsigned n = r->n, e = r->e, f = r->f, steps = r->opts.steps;
  size_t ne = (size_t)n * e;
  memcpy(r->patches, patches, (size_t)n * SSA_NET_PATCH_PIXELS * sizeof *patches);
  for (unsigned l = 0; l < L_COUNT; l++) memset(r->v[l], 0, r->width[l] * sizeof *r->v[l]);
  if (r->sc) ssa_golden_attention_reset(r->sc);
  if (r->have_exact) ssa_golden_exact_reset(&r->exact);

  ssa_linear_forward(patches, param(r, SSA_T_PATCH_W), param(r, SSA_T_PATCH_B), r->c0, n,
                     SSA_NET_PATCH_PIXELS, e);
  const ssa_real *pos = param(r, SSA_T_POS);
  for (size_t x = 0; x < ne; x++) r->c0[x] += pos[x];
  memset(r->feature, 0, e * sizeof *r->feature);

  static const enum ssa_net_tensor qkv_w[3] = {SSA_T_Q_W, SSA_T_K_W, SSA_T_V_W};
  for (unsigned t = 0; t < steps; t++) {
    activate(r, L_EMBED, t, r->c0);
    const ssa_real *x = at(r->s[L_EMBED], r, L_EMBED, t);
    for (unsigned p = 0; p < 3; p++) {
      ssa_linear_forward(x, param(r, qkv_w[p]), param(r, qkv_w[p] + 1), r->cur, n, e, e);
      activate(r, (enum layer)(L_Q + p), t, r->cur);
    }
    attention_step(r, t);
    ssa_linear_forward(at(r->s[L_ATT], r, L_ATT, t), param(r, SSA_T_O_W),
                       param(r, SSA_T_O_B), r->cur, n, e, e);
    activate(r, L_PROJ, t, r->cur);
    ssa_real *y = r->y + t * ne;
    const ssa_real *a = at(r->s[L_PROJ], r, L_PROJ, t);
    for (size_t k = 0; k < ne; k++) y[k] = x[k] + a[k];
    ssa_linear_forward(y, param(r, SSA_T_MLP1_W), param(r, SSA_T_MLP1_B), r->cur, n, e, f);
    activate(r, L_MLP1, t, r->cur);
    ssa_linear_forward(at(r->s[L_MLP1], r, L_MLP1, t), param(r, SSA_T_MLP2_W),
                       param(r, SSA_T_MLP2_B), r->cur, n, f, e);
    activate(r, L_MLP2, t, r->cur);
    const ssa_real *m = at(r->s[L_MLP2], r, L_MLP2, t);
    for (unsigned i = 0; i < n; i++)
      for (unsigned c = 0; c < e; c++) r->feature[c] += y[i * e + c] + m[i * e + c];
  }
  ssa_real scale = (ssa_real)1 / (ssa_real)(steps * n);
  for (unsigned c = 0; c < e; c++) r->feature[c] *= scale;
  ssa_linear_forward(r->feature, param(r, SSA_T_HEAD_W), param(r, SSA_T_HEAD_B), logits, 1, e,
                     SSA_NET_CLASSES);
}

/* Backward of layer l's activation at step t: dcur = dL/d(input current) from ds. */
static void deactivate(ssa_net_run *r, enum layer l, unsigned t, const ssa_real *ds,
                       ssa_real *dcur) {
  size_t w = r->width[l];
  if (r->net->shape.model == SSA_NET_ANN) {
    memset(dcur, 0, w * sizeof *dcur);
    ssa_relu_backward(at(r->h[l], r, l, t), ds, dcur, w);
  } else {
    memset(dcur, 0, w * sizeof *dcur);
    ssa_lif_backward(l == L_ATT ? &r->lif_attention : &r->lif, at(r->h[l], r, l, t),
                     at(r->s[l], r, l, t), ds, r->v[l], dcur, w);
  }
}

static ssa_real *grad_of(const ssa_net_run *r, ssa_real *grad, enum ssa_net_tensor t) {
  return grad + r->net->tensor[t].offset;
}

void ssa_net_backward(ssa_net_run *r, const ssa_real *dlogits, ssa_real *grad) {
  unsigned n = r->n, e = r->e, f = r->f, steps = r->opts.steps, heads = r->net->shape.heads;
  size_t ne = (size_t)n * e, nf = (size_t)n * f;
  ssa_real dfeature[256];
  memset(dfeature, 0, e * sizeof *dfeature);
  ssa_linear_backward(r->feature, param(r, SSA_T_HEAD_W), dlogits, grad_of(r, grad, SSA_T_HEAD_W),
                      grad_of(r, grad, SSA_T_HEAD_B), dfeature, 1, e, SSA_NET_CLASSES);
  ssa_real scale = (ssa_real)1 / (ssa_real)(steps * n);
  for (unsigned c = 0; c < e; c++) dfeature[c] *= scale;
  for (unsigned l = 0; l < L_COUNT; l++) memset(r->v[l], 0, r->width[l] * sizeof *r->v[l]);
  memset(r->dc0, 0, ne * sizeof *r->dc0);

  static const enum ssa_net_tensor qkv_w[3] = {SSA_T_Q_W, SSA_T_K_W, SSA_T_V_W};
  for (unsigned t = steps; t-- > 0;) {
    /* Z = Y + M: both get dfeature at every token */
    for (unsigned i = 0; i < n; i++) memcpy(r->dy + i * e, dfeature, e * sizeof *dfeature);
    deactivate(r, L_MLP2, t, r->dy, r->dcur);
    memset(r->dx, 0, nf * sizeof *r->dx);
    ssa_linear_backward(at(r->s[L_MLP1], r, L_MLP1, t), param(r, SSA_T_MLP2_W), r->dcur,
                        grad_of(r, grad, SSA_T_MLP2_W), grad_of(r, grad, SSA_T_MLP2_B), r->dx,
                        n, f, e);
    deactivate(r, L_MLP1, t, r->dx, r->dcur);
    ssa_linear_backward(r->y + t * ne, param(r, SSA_T_MLP1_W), r->dcur,
                        grad_of(r, grad, SSA_T_MLP1_W), grad_of(r, grad, SSA_T_MLP1_B), r->dy,
                        n, e, f);
    /* Y = X + act(O W_o + b_o) */
    memcpy(r->ds0, r->dy, ne * sizeof *r->ds0);
    deactivate(r, L_PROJ, t, r->dy, r->dcur);
    memset(r->dx, 0, ne * sizeof *r->dx);
    ssa_linear_backward(at(r->s[L_ATT], r, L_ATT, t), param(r, SSA_T_O_W), r->dcur,
                        grad_of(r, grad, SSA_T_O_W), grad_of(r, grad, SSA_T_O_B), r->dx, n, e,
                        e);
    const ssa_real *q = at(r->s[L_Q], r, L_Q, t), *k = at(r->s[L_K], r, L_K, t),
                   *v = at(r->s[L_V], r, L_V, t);
    memset(r->dq, 0, ne * sizeof *r->dq);
    memset(r->dk, 0, ne * sizeof *r->dk);
    memset(r->dv, 0, ne * sizeof *r->dv);
    switch (r->opts.attention) {
      case SSA_NET_ATTENTION_NONE:  /* O = 0 does not depend on Q, K, V */
        break;
      case SSA_NET_ATTENTION_ANN:
        ssa_softmax_attention_backward(q, k, v, r->prob, r->dx, r->dq, r->dk, r->dv, r->dscore,
                                       n, heads, r->d);
        break;
      case SSA_NET_ATTENTION_SC:  /* straight through: the gradient of the expectation */
        ssa_qktv_backward(q, k, v, r->dx, r->dq, r->dk, r->dv, r->score, r->dscore, n, heads,
                          r->d, (ssa_real)1 / (ssa_real)(n * r->d));
        break;
      case SSA_NET_ATTENTION_EXACT:
        deactivate(r, L_ATT, t, r->dx, r->dcur);
        ssa_qktv_backward(q, k, v, r->dcur, r->dq, r->dk, r->dv, r->score, r->dscore, n, heads,
                          r->d, (ssa_real)ldexp(1.0, -(int)r->net->shape.scale_shift));
        break;
    }
    const ssa_real *x = at(r->s[L_EMBED], r, L_EMBED, t);
    ssa_real *dqkv[3] = {r->dq, r->dk, r->dv};
    for (unsigned p = 0; p < 3; p++) {
      deactivate(r, (enum layer)(L_Q + p), t, dqkv[p], r->dcur);
      ssa_linear_backward(x, param(r, qkv_w[p]), r->dcur, grad_of(r, grad, qkv_w[p]),
                          grad_of(r, grad, qkv_w[p] + 1), r->ds0, n, e, e);
    }
    deactivate(r, L_EMBED, t, r->ds0, r->dcur);
    for (size_t k2 = 0; k2 < ne; k2++) r->dc0[k2] += r->dcur[k2];
  }
  ssa_linear_backward(r->patches, param(r, SSA_T_PATCH_W), r->dc0,
                      grad_of(r, grad, SSA_T_PATCH_W), grad_of(r, grad, SSA_T_PATCH_B), NULL, n,
                      SSA_NET_PATCH_PIXELS, e);
  ssa_real *dpos = grad_of(r, grad, SSA_T_POS);
  for (size_t k2 = 0; k2 < ne; k2++) dpos[k2] += r->dc0[k2];
}

int ssa_net_run_ann_qkv(const ssa_net_run *r, ssa_real *q, ssa_real *k, ssa_real *v, ssa_real *o,
                        ssa_error *err) {
  if (r->net->shape.model != SSA_NET_ANN)
    return ssa_fail(err, "the %s network's attention is spiking: its trace is spikes",
                    ssa_net_model_name(r->net->shape.model));
  size_t bytes = (size_t)r->n * r->e * sizeof *q;  /* step 0, the ANN's only step */
  memcpy(q, r->s[L_Q], bytes);
  memcpy(k, r->s[L_K], bytes);
  memcpy(v, r->s[L_V], bytes);
  memcpy(o, r->s[L_ATT], bytes);
  return 0;
}

void ssa_net_run_override_attention(ssa_net_run *r, const ssa_spike_steps *o) {
  r->override = o;
}

int ssa_net_run_attention_trace(const ssa_net_run *r, ssa_spike_steps *qkv, ssa_spike_steps *o,
                                ssa_error *err) {
  if (r->net->shape.model == SSA_NET_ANN)
    return ssa_fail(err, "the ANN has no spiking attention to trace");
  if (ssa_spike_steps_init(qkv, "QKV", r->n, r->e, err) != 0) return -1;
  if (ssa_spike_steps_init(o, "O", r->n, r->e, err) != 0) {
    ssa_spike_steps_free(qkv);
    return -1;
  }
  static const enum layer blocks[3] = {L_Q, L_K, L_V};
  for (unsigned t = 0; t < r->opts.steps; t++) {
    ssa_bitmat *in = ssa_spike_steps_append(qkv), *out = ssa_spike_steps_append(o);
    if (!in || !out) {
      ssa_spike_steps_free(qkv);
      ssa_spike_steps_free(o);
      return ssa_fail(err, "out of memory for the attention trace");
    }
    for (unsigned b = 0; b < 3; b++)
      to_bitmat(r->s[blocks[b]] + (size_t)t * r->width[blocks[b]], &in[b]);
    to_bitmat(r->s[L_ATT] + (size_t)t * r->width[L_ATT], out);
  }
  return 0;
}
