/* capture.c -- a trained network's attention inputs as hardware stimulus (see capture.h). */
#include "capture.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/exact_params.h"
#include "../golden/ann_attention.h"
#include "../kinds/kinds.h"

#define INT8_FULL 127.0
#define MAX_SCORE_SHIFT SSA_ANN_MAX_SCORE_SHIFT

static int check_images(const ssa_dataset *test, unsigned images, ssa_error *err) {
  if (images == 0) return ssa_fail(err, "--images 0: capture at least one image");
  if (images > test->count)
    return ssa_fail(err, "--images %u: the test set has %u", images, test->count);
  return 0;
}

static const uint8_t *image_pixels(const ssa_dataset *test, unsigned image) {
  return test->pixels + (size_t)image * SSA_FMNIST_SIDE * SSA_FMNIST_SIDE;
}

int ssa_capture_spikes(const ssa_net *net, const ssa_dataset *test, unsigned images,
                       unsigned steps, ssa_spike_steps *qkv, ssa_error *err) {
  memset(qkv, 0, sizeof *qkv);
  if (net->shape.model == SSA_NET_ANN)
    return ssa_fail(err, "the ANN's attention takes numbers, not spikes (ssa_capture_ann)");
  if (check_images(test, images, err) != 0) return -1;
  ssa_net_run_opts ro;
  ssa_net_run_opts_default(&ro, net);
  ro.steps = steps;  /* ssa_net_run_new checks the range */
  ssa_net_run *run;
  if (ssa_net_run_new(net, &ro, &run, err) != 0) return -1;
  ssa_real *patches = calloc((size_t)SSA_NET_TOKENS * SSA_NET_PATCH_PIXELS, sizeof *patches);
  int rc = patches != NULL ? ssa_spike_steps_init(qkv, "QKV", SSA_NET_TOKENS, net->shape.embed,
                                                  err)
                           : ssa_fail(err, "out of memory");
  for (unsigned image = 0; rc == 0 && image < images; image++) {
    ssa_real logits[SSA_NET_CLASSES];
    ssa_net_patches(image_pixels(test, image), patches);
    ssa_net_forward(run, patches, logits);
    ssa_spike_steps one, o;
    if (ssa_net_run_attention_trace(run, &one, &o, err) != 0) {
      rc = -1;
      break;
    }
    for (unsigned t = 0; rc == 0 && t < one.steps; t++) {
      ssa_bitmat *step = ssa_spike_steps_append(qkv);
      if (step == NULL) rc = ssa_fail(err, "out of memory for %u images' spikes", images);
      for (unsigned b = 0; rc == 0 && b < 3; b++) ssa_bitmat_copy(&step[b], ssa_spike_block(&one, t, b));
    }
    ssa_spike_steps_free(&one);
    ssa_spike_steps_free(&o);
  }
  if (rc != 0) ssa_spike_steps_free(qkv);
  free(patches);
  ssa_net_run_free(run);
  return rc;
}

const char *ssa_capture_kind(const ssa_net *net) {
  return ssa_net_model_attention(net->shape.model) == SSA_NET_ATTENTION_EXACT
             ? ssa_kind_exact_attention.name
             : ssa_kind_attention.name;
}

int ssa_capture_design_options(const ssa_net *net, char *buf, size_t len, ssa_error *err) {
  enum ssa_net_attention a = ssa_net_model_attention(net->shape.model);
  if (a == SSA_NET_ATTENTION_SC) {
    ssa_attention_params p;
    ssa_net_attention_params(net, net->shape.share, net->shape.random, &p);
    ssa_kind_line(&ssa_kind_attention, &p, buf, len);
    return 0;
  }
  if (a != SSA_NET_ATTENTION_EXACT)
    return ssa_fail(err, "the %s network has no spiking attention", ssa_net_model_name(net->shape.model));
  /* the exact block as train/net.c builds it: the kind's defaults with the network's shape */
  ssa_exact_attention_params p;
  ssa_exact_attention_params_default(&p);
  p.tokens = SSA_NET_TOKENS;
  p.dim = net->shape.embed / net->shape.heads;
  p.heads = net->shape.heads;
  p.scale_shift = net->shape.scale_shift;
  if (ssa_exact_attention_params_prepare(&p, err) != 0) return -1;
  ssa_kind_line(&ssa_kind_exact_attention, &p, buf, len);
  return 0;
}

int ssa_capture_ann(const ssa_net *net, const ssa_dataset *test, unsigned images,
                    ssa_ann_capture *c, ssa_error *err) {
  memset(c, 0, sizeof *c);
  if (net->shape.model != SSA_NET_ANN)
    return ssa_fail(err, "the %s network's attention takes spikes (ssa_capture_spikes)",
                    ssa_net_model_name(net->shape.model));
  if (check_images(test, images, err) != 0) return -1;
  ssa_net_run_opts ro;
  ssa_net_run_opts_default(&ro, net);
  ssa_net_run *run;
  if (ssa_net_run_new(net, &ro, &run, err) != 0) return -1;
  c->images = images;
  c->tokens = SSA_NET_TOKENS;
  c->heads = net->shape.heads;
  c->dim = net->shape.embed / net->shape.heads;
  size_t ne = (size_t)c->tokens * net->shape.embed, all = ne * images;
  double **tensor[4] = {&c->q, &c->k, &c->v, &c->o};
  ssa_real *one[4] = {NULL};
  ssa_real *patches = calloc((size_t)SSA_NET_TOKENS * SSA_NET_PATCH_PIXELS, sizeof *patches);
  int rc = patches != NULL ? 0 : -1;
  for (unsigned x = 0; x < 4; x++) {
    *tensor[x] = calloc(all, sizeof **tensor[x]);
    one[x] = calloc(ne, sizeof *one[x]);
    if (*tensor[x] == NULL || one[x] == NULL) rc = -1;
  }
  if (rc != 0) rc = ssa_fail(err, "out of memory for %u images' attention", images);
  for (unsigned image = 0; rc == 0 && image < images; image++) {
    ssa_real logits[SSA_NET_CLASSES];
    ssa_net_patches(image_pixels(test, image), patches);
    ssa_net_forward(run, patches, logits);
    rc = ssa_net_run_ann_qkv(run, one[0], one[1], one[2], one[3], err);
    for (unsigned x = 0; rc == 0 && x < 4; x++)
      for (size_t i = 0; i < ne; i++) (*tensor[x])[(size_t)image * ne + i] = (double)one[x][i];
  }
  for (unsigned x = 0; x < 4; x++) free(one[x]);
  free(patches);
  ssa_net_run_free(run);
  if (rc != 0) ssa_ann_capture_free(c);
  return rc;
}

void ssa_ann_capture_free(ssa_ann_capture *c) {
  free(c->q);
  free(c->k);
  free(c->v);
  free(c->o);
  memset(c, 0, sizeof *c);
}

static size_t values_of(const ssa_ann_capture *c) {
  return (size_t)c->images * c->tokens * c->heads * c->dim;
}

static double max_abs(const double *x, size_t n) {
  double m = 0.0;
  for (size_t i = 0; i < n; i++) m = fabs(x[i]) > m ? fabs(x[i]) : m;
  return m;
}

/* round(x / scale), which the scales keep within -127 .. 127 (clamped against rounding in the
 * last place of a division). */
static void quantise(const double *x, size_t n, double scale, int8_t *out) {
  for (size_t i = 0; i < n; i++) {
    double r = nearbyint(x[i] / scale);
    out[i] = (int8_t)(r > INT8_FULL ? INT8_FULL : r < -INT8_FULL ? -INT8_FULL : r);
  }
}

int ssa_ann_quantise(const ssa_ann_capture *c, ssa_ann_quant *q, ssa_error *err) {
  memset(q, 0, sizeof *q);
  size_t n = values_of(c);
  /* a tensor that is zero everywhere quantises to zeros at any scale: 1 keeps the division
   * defined */
  double mq = max_abs(c->q, n), mk = max_abs(c->k, n), mv = max_abs(c->v, n);
  q->s_k = mk > 0.0 ? mk / INT8_FULL : 1.0;
  q->s_v = mv > 0.0 ? mv / INT8_FULL : 1.0;
  q->s_q_full = mq > 0.0 ? mq / INT8_FULL : 1.0;
  /* log2(e) / sqrt(D): the float softmax's exponent, in log2 units, per unit of S_float */
  double per_score = 1.0 / (log(2.0) * sqrt((double)c->dim));
  double needed = q->s_q_full * q->s_k * per_score;  /* log2 units per S_int, full-range Q */
  if (ldexp(1.0, -4) < needed)
    return ssa_fail(err, "Q and K are too large for the int8 softmax: one score LSB would be "
                    "%.3g in log2 units, the exponent's coarsest is 2^-4 (--score-shift 0)",
                    needed);
  /* the largest Z whose LSB 2^-(Z+4) still covers the full-range LSB: Q's scale only grows,
   * by less than 2, so no Q clips and as few of its bits as possible go unused */
  unsigned z = 0;
  while (z < MAX_SCORE_SHIFT && ldexp(1.0, -(int)(z + 5)) >= needed) z++;
  q->score_shift = z;
  q->s_q = ldexp(1.0, -(int)(z + 4)) / (q->s_k * per_score);
  q->q_max = (int)nearbyint(mq / q->s_q);
  q->q = malloc(n ? n : 1);
  q->k = malloc(n ? n : 1);
  q->v = malloc(n ? n : 1);
  if (q->q == NULL || q->k == NULL || q->v == NULL) {
    ssa_ann_quant_free(q);
    return ssa_fail(err, "out of memory for the quantised attention");
  }
  quantise(c->q, n, q->s_q, q->q);
  quantise(c->k, n, q->s_k, q->k);
  quantise(c->v, n, q->s_v, q->v);
  return 0;
}

void ssa_ann_quant_free(ssa_ann_quant *q) {
  free(q->q);
  free(q->k);
  free(q->v);
  memset(q, 0, sizeof *q);
}

int ssa_ann_check(const ssa_ann_capture *c, const ssa_ann_quant *q, unsigned score_shift,
                  ssa_ann_error *out, ssa_error *err) {
  memset(out, 0, sizeof *out);
  ssa_ann_attention_params p;
  ssa_ann_attention_params_default(&p);
  p.tokens = c->tokens;
  p.dim = c->dim;
  p.heads = c->heads;
  p.softmax = SSA_ANN_SOFTMAX_INT;
  p.score_shift = score_shift;
  /* Y's default for softmax int is 8: P sums to at most 256, so O_int is the weighted mean
   * of V_int and O_int s_v is directly comparable with the float O */
  if (ssa_ann_attention_params_prepare(&p, err) != 0) return -1;
  ssa_golden_ann g;
  if (ssa_golden_ann_init(&g, &p, err) != 0) return -1;
  size_t ne = (size_t)c->tokens * c->heads * c->dim;
  int8_t *o = malloc(ne);
  if (o == NULL) {
    ssa_golden_ann_free(&g);
    return ssa_fail(err, "out of memory");
  }
  out->o_max = max_abs(c->o, values_of(c));
  double sum = 0.0, worst = 0.0;
  for (unsigned image = 0; image < c->images; image++) {
    size_t at = (size_t)image * ne;
    ssa_golden_ann_step(&g, q->q + at, q->k + at, q->v + at, o);
    for (size_t x = 0; x < ne; x++) {
      double e = fabs((double)o[x] * q->s_v - c->o[at + x]);
      sum += e;
      worst = e > worst ? e : worst;
    }
  }
  double scale = out->o_max > 0.0 ? out->o_max : 1.0;
  out->mean = sum / (double)values_of(c) / scale;
  out->max = worst / scale;
  free(o);
  ssa_golden_ann_free(&g);
  return 0;
}

void ssa_ann_quant_write(FILE *f, const ssa_ann_capture *c, const ssa_ann_quant *q) {
  size_t ne = (size_t)c->tokens * c->heads * c->dim;
  for (unsigned image = 0; image < c->images; image++) {
    const int8_t *tensor[3] = {q->q, q->k, q->v};
    for (unsigned x = 0; x < 3; x++)
      for (size_t i = 0; i < ne; i++)
        fprintf(f, x + i == 0 ? "%d" : " %d", tensor[x][(size_t)image * ne + i]);
    fputc('\n', f);
  }
}
