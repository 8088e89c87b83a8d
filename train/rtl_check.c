/* rtl_check.c -- the network's attention run as RTL, image by image (see rtl_check.h). */
#include "rtl_check.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../common/clock.h"
#include "../kinds/kinds.h"
#include "../sim/stepped_run.h"
#include "../sim/verilator.h"

#define DEFAULT_BATCH 25u
#define DEFAULT_EVERY 50u

void ssa_rtl_check_opts_default(ssa_rtl_check_opts *o) {
  memset(o, 0, sizeof *o);
  o->engine = SSA_ENGINE_VERILATOR;
  o->share = SSA_SHARE_UNIT;
  o->random = SSA_RANDOM_DEFAULT;
  o->steps = 10;
  o->count = 200;
}

int ssa_rtl_check_passed(const ssa_rtl_check_result *r) {
  return r->matched == r->images && r->trace_mismatches == 0 &&
         r->predictions_equal == r->images && r->logits_equal == r->images;
}

/* One image on its way through the check. */
typedef struct pending {
  unsigned image;
  unsigned label, golden_pred;
  ssa_real golden_logits[SSA_NET_CLASSES];
  ssa_stepped_run run;
  int have_run;
  uint64_t *actual;  /* the engine's outputs, laid out like run.vectors.expected */
} pending;

typedef struct checker {
  const ssa_net *net;
  const ssa_dataset *test;
  const ssa_rtl_check_opts *o;
  ssa_rtl_check_result *res;
  ssa_attention_params params;
  ssa_net_run *run;
  ssa_real *patches;
  ssa_vmodel *model;             /* Verilator: opened once, for the first image's design */
  ssa_stepped_run *reference;  /* the first image's run: every later design must equal it */
  ssa_stepped_run first_run;
  pending *batch;
  unsigned batch_size, batch_used;
} checker;

static void pending_clear(pending *p) {
  if (p->have_run) ssa_stepped_run_free(&p->run);
  free(p->actual);
  memset(p, 0, sizeof *p);
}

static void note_mismatch(ssa_rtl_check_result *res, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void note_mismatch(ssa_rtl_check_result *res, const char *fmt, ...) {
  if (res->first_mismatch[0] != '\0') return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(res->first_mismatch, sizeof res->first_mismatch, fmt, ap);
  va_end(ap);
}

static int same_design(const ssa_design *a, const ssa_design *b) {
  if (strcmp(a->top, b->top) != 0 || a->file_count != b->file_count ||
      a->port_count != b->port_count)
    return 0;
  for (unsigned k = 0; k < a->file_count; k++)
    if (a->files[k].len != b->files[k].len || strcmp(a->files[k].name, b->files[k].name) != 0 ||
        memcmp(a->files[k].text, b->files[k].text, a->files[k].len) != 0)
      return 0;
  for (unsigned k = 0; k < a->port_count; k++)
    if (a->ports[k].width != b->ports[k].width || a->ports[k].is_input != b->ports[k].is_input ||
        strcmp(a->ports[k].name, b->ports[k].name) != 0)
      return 0;
  return 1;
}

/* The network's Q, K, V trace as the attention run's stimulus. */
static int fill_trace(void *ctx, const ssa_design *d, ssa_step_data *s, ssa_error *err) {
  const ssa_spike_steps *qkv = ctx;
  static const char *const ports[3] = {"q_i", "k_i", "v_i"};
  if (ssa_step_data_init(s, d, qkv->steps, err) != 0) return -1;
  for (unsigned t = 0; t < qkv->steps; t++)
    for (unsigned b = 0; b < 3; b++)
      ssa_bitmat_to_flat(ssa_spike_block(qkv, t, b),
                         ssa_step_in(s, t, (unsigned)ssa_design_port_index(d, ports[b])));
  return 0;
}

/* Output port o_o of every step of s as an O block per step. */
static int o_steps(const ssa_step_data *s, const ssa_spike_steps *shape, ssa_spike_steps *out,
                   ssa_error *err) {
  if (ssa_spike_steps_init(out, "O", shape->rows, shape->cols, err) != 0) return -1;
  unsigned port = (unsigned)ssa_design_port_index(s->design, "o_o");
  for (unsigned t = 0; t < s->steps; t++) {
    ssa_bitmat *m = ssa_spike_steps_append(out);
    if (m == NULL) {
      ssa_spike_steps_free(out);
      return ssa_fail(err, "out of memory");
    }
    ssa_bitmat_from_flat(m, ssa_step_out(s, t, port));
  }
  return 0;
}

/* Forward with the golden block, the trace, the attention run and its comparison with the
 * trace; the engine comes later. */
static int prepare(checker *c, unsigned image, pending *p, ssa_error *err) {
  ssa_rtl_check_result *res = c->res;
  memset(p, 0, sizeof *p);
  p->image = image;
  p->label = c->test->labels[image];
  ssa_real logits[SSA_NET_CLASSES];
  ssa_net_patches(c->test->pixels + (size_t)image * SSA_FMNIST_SIDE * SSA_FMNIST_SIDE,
                  c->patches);
  ssa_net_run_override_attention(c->run, NULL);
  ssa_net_forward(c->run, c->patches, logits);
  p->golden_pred = ssa_net_predict(logits);
  memcpy(p->golden_logits, logits, sizeof logits);
  ssa_spike_steps qkv, o;
  if (ssa_net_run_attention_trace(c->run, &qkv, &o, err) != 0) return -1;
  ssa_spike_steps run_o = {0};
  int rc = qkv.steps == c->o->steps
               ? ssa_stepped_run_init_from(&p->run, &ssa_kind_attention, &c->params, fill_trace, &qkv, err)
               : ssa_fail(err, "image %u: the trace has %u steps, the check %u", image, qkv.steps,
                          c->o->steps);
  if (rc == 0) {
    p->have_run = 1;
    rc = o_steps(&p->run.data, &o, &run_o, err);
  }
  if (rc == 0) {
    int same = 1;
    for (unsigned t = 0; t < c->o->steps; t++) {
      const ssa_bitmat *net_o = ssa_spike_block(&o, t, 0);
      res->o_spikes += ssa_bitmat_popcount(net_o);
      res->o_bits += (unsigned long long)net_o->rows * net_o->cols;
      for (unsigned b = 0; b < 3; b++)
        res->qkv_spikes += ssa_bitmat_popcount(ssa_spike_block(&qkv, t, b));
      if (same && !ssa_bitmat_equal(net_o, ssa_spike_block(&run_o, t, 0))) {
        same = 0;
        note_mismatch(res, "image %u: step %u: the attention run's golden O differs from the "
                      "network's O trace", image, t);
      }
    }
    if (!same) res->trace_mismatches++;
    const ssa_rtl_check_opts *op = c->o;
    if (op->inject && op->inject_image == image &&
        ssa_stepped_run_inject(&p->run, op->inject_step, op->inject_index, err) != 0)
      rc = -1;
  }
  if (rc == 0 && c->reference != NULL && !same_design(&c->reference->design, &p->run.design))
    rc = ssa_fail(err, "image %u: the attention design differs from the first image's", image);
  if (rc == 0) {
    const ssa_vectors *v = &p->run.vectors;
    p->actual = calloc((size_t)v->cycles * v->out_words + 1, sizeof *p->actual);
    if (p->actual == NULL) rc = ssa_fail(err, "out of memory");
  }
  ssa_spike_steps_free(&run_o);
  ssa_spike_steps_free(&qkv);
  ssa_spike_steps_free(&o);
  return rc;
}

/* The comparison, the RTL-run prediction and the totals for one simulated image. */
static int finish(checker *c, pending *p, ssa_error *err) {
  ssa_rtl_check_result *res = c->res;
  const ssa_vectors *v = &p->run.vectors;
  const ssa_design *d = &p->run.design;
  unsigned out_bits = 0;
  for (unsigned k = 0; k < d->port_count; k++)
    if (!d->ports[k].is_input) out_bits += d->ports[k].width;
  res->clocks += v->cycles;
  res->bits += (unsigned long long)v->cycles * out_bits;
  ssa_mismatch m;
  if (ssa_vectors_compare(v, p->actual, &m)) {
    char where[256];
    ssa_stepped_run_describe(&p->run, &m, where, sizeof where);
    note_mismatch(res, "image %u (%s): %s: expected %d, actual %d", p->image,
                  ssa_engine_name(c->o->engine), where, m.expected, m.actual);
  } else {
    res->matched++;
  }
  ssa_step_data rtl_data;
  ssa_spike_steps rtl_o, shape = {.rows = c->params.tokens, .cols = c->params.heads * c->params.dim};
  if (ssa_stepped_run_outputs(&p->run, p->actual, &rtl_data, err) != 0) return -1;
  int rc = o_steps(&rtl_data, &shape, &rtl_o, err);
  ssa_step_data_free(&rtl_data);
  if (rc != 0) return -1;
  ssa_real logits[SSA_NET_CLASSES];
  ssa_net_patches(c->test->pixels + (size_t)p->image * SSA_FMNIST_SIDE * SSA_FMNIST_SIDE,
                  c->patches);
  ssa_net_run_override_attention(c->run, &rtl_o);
  ssa_net_forward(c->run, c->patches, logits);
  ssa_net_run_override_attention(c->run, NULL);
  ssa_spike_steps_free(&rtl_o);
  unsigned rtl_pred = ssa_net_predict(logits);
  res->images++;
  res->golden_correct += p->golden_pred == p->label;
  res->rtl_correct += rtl_pred == p->label;
  res->predictions_equal += rtl_pred == p->golden_pred;
  res->logits_equal += memcmp(logits, p->golden_logits, sizeof logits) == 0;
  return 0;
}

/* Verilator: one instance for the whole check; each image's vectors begin with reset. */
static int simulate_verilator(checker *c, pending *p, ssa_error *err) {
  const ssa_design *d = &p->run.design;
  if (c->model == NULL) {
    ssa_verilator_opts vo = {.cache_dir = c->o->cache_dir, .trace = 0, .coverage = 0,
                             .progress = c->o->build_progress};
    double t0 = ssa_seconds_now();
    int rc = ssa_verilator_open(d, &vo, &c->model, err);
    c->res->model_seconds += ssa_seconds_now() - t0;
    if (rc != 0) return -1;
  }
  const ssa_vectors *v = &p->run.vectors;
  for (unsigned cy = 0; cy < v->cycles; cy++) {
    for (unsigned k = 0; k < d->port_count; k++)
      if (d->ports[k].is_input) ssa_vmodel_poke(c->model, k, ssa_vectors_in(v, cy, k));
    ssa_vmodel_cycle(c->model);
    for (unsigned k = 0; k < d->port_count; k++)
      if (!d->ports[k].is_input) ssa_vmodel_peek(c->model, k, ssa_vectors_out(v, p->actual, cy, k));
  }
  return 0;
}

/* Icarus: the batch's vectors one after another, one compile and one vvp run. */
static int simulate_icarus(checker *c, ssa_error *err) {
  const ssa_design *d = &c->batch[0].run.design;
  unsigned cycles = 0;
  for (unsigned k = 0; k < c->batch_used; k++) cycles += c->batch[k].run.vectors.cycles;
  ssa_vectors all;
  if (ssa_vectors_init(&all, d, cycles, err) != 0) return -1;
  uint64_t *actual = calloc((size_t)cycles * all.out_words + 1, sizeof *actual);
  if (actual == NULL) {
    ssa_vectors_free(&all);
    return ssa_fail(err, "out of memory");
  }
  size_t at = 0;
  for (unsigned k = 0; k < c->batch_used; k++) {
    const ssa_vectors *v = &c->batch[k].run.vectors;
    memcpy(all.in + at * all.in_words, v->in, sizeof *v->in * v->cycles * v->in_words);
    memcpy(all.expected + at * all.out_words, v->expected,
           sizeof *v->expected * v->cycles * v->out_words);
    at += v->cycles;
  }
  ssa_engine_opts eo = {.cache_dir = NULL, .fst_path = NULL, .toggles_path = NULL,
                        .progress = 0};
  int rc = ssa_engine_run(SSA_ENGINE_ICARUS, &all, &eo, actual, err);
  at = 0;
  for (unsigned k = 0; rc == 0 && k < c->batch_used; k++) {
    const ssa_vectors *v = &c->batch[k].run.vectors;
    memcpy(c->batch[k].actual, actual + at * all.out_words,
           sizeof *actual * v->cycles * v->out_words);
    at += v->cycles;
  }
  free(actual);
  ssa_vectors_free(&all);
  return rc;
}

static void report_progress(checker *c, unsigned done) {
  const ssa_rtl_check_opts *o = c->o;
  const ssa_rtl_check_result *r = c->res;
  unsigned every = o->progress_every ? o->progress_every : DEFAULT_EVERY;
  if (o->progress != NULL && (done % every == 0 || done == o->count)) {
    fprintf(o->progress, "rtl check (%s): %u of %u images, %u bit-exact, golden %u right, "
            "rtl %u right, %.1f s\n", ssa_engine_name(o->engine), done, o->count, r->matched,
            r->golden_correct, r->rtl_correct, r->seconds);
    fflush(o->progress);
  }
}

/* Simulates the batch and finishes its images. */
static int flush(checker *c, double start, ssa_error *err) {
  if (c->batch_used == 0) return 0;
  double t0 = ssa_seconds_now();
  int rc = 0;
  if (c->o->engine == SSA_ENGINE_VERILATOR) {
    for (unsigned k = 0; rc == 0 && k < c->batch_used; k++)
      rc = simulate_verilator(c, &c->batch[k], err);
  } else {
    rc = simulate_icarus(c, err);
  }
  c->res->engine_seconds += ssa_seconds_now() - t0;
  for (unsigned k = 0; rc == 0 && k < c->batch_used; k++) {
    rc = finish(c, &c->batch[k], err);
    c->res->seconds = ssa_seconds_now() - start;
    if (rc == 0 && c->o->on_image) c->o->on_image(c->o->ctx, c->batch[k].image, c->res);
    if (rc == 0) report_progress(c, c->res->images);
  }
  for (unsigned k = 0; k < c->batch_used; k++) pending_clear(&c->batch[k]);
  c->batch_used = 0;
  return rc;
}

int ssa_rtl_check(const ssa_net *net, const ssa_dataset *test, const ssa_rtl_check_opts *o,
                  ssa_rtl_check_result *out, ssa_error *err) {
  memset(out, 0, sizeof *out);
  double start = ssa_seconds_now();
  if (o->engine != SSA_ENGINE_VERILATOR && o->engine != SSA_ENGINE_ICARUS)
    return ssa_fail(err, "rtl check: the engine must be verilator or icarus, not %s",
                    ssa_engine_name(o->engine));
  if (net->shape.model == SSA_NET_ANN)
    return ssa_fail(err, "rtl check: the ANN has no spiking attention to run as RTL");
  if (o->steps < 1 || o->steps > SSA_NET_MAX_STEPS)
    return ssa_fail(err, "rtl check: --steps %u: must be from 1 to %u", o->steps,
                    SSA_NET_MAX_STEPS);
  if (o->first > test->count || o->count > test->count - o->first)
    return ssa_fail(err, "rtl check: images %u to %u: the test set has %u", o->first,
                    o->first + o->count, test->count);
  if (o->inject && (o->inject_image < o->first || o->inject_image - o->first >= o->count))
    return ssa_fail(err, "rtl check: fault in image %u, which is not among those checked",
                    o->inject_image);
  checker c;
  memset(&c, 0, sizeof c);
  c.net = net;
  c.test = test;
  c.o = o;
  c.res = out;
  ssa_net_attention_params(net, o->share, o->random, &c.params);
  ssa_net_run_opts ro;
  ssa_net_run_opts_default(&ro, net);
  ro.attention = SSA_NET_ATTENTION_SC;
  ro.share = o->share;
  ro.random = o->random;
  ro.steps = o->steps;
  ro.smooth = 0;
  ro.train = 0;
  if (ssa_net_run_new(net, &ro, &c.run, err) != 0) return -1;
  c.batch_size = o->engine == SSA_ENGINE_ICARUS ? (o->batch ? o->batch : DEFAULT_BATCH) : 1;
  c.patches = calloc((size_t)SSA_NET_TOKENS * SSA_NET_PATCH_PIXELS, sizeof *c.patches);
  c.batch = calloc(c.batch_size, sizeof *c.batch);
  int rc = c.patches && c.batch ? 0 : ssa_fail(err, "out of memory");
  for (unsigned k = 0; rc == 0 && k < o->count; k++) {
    pending *p = &c.batch[c.batch_used];
    rc = prepare(&c, o->first + k, p, err);
    if (rc != 0) {
      pending_clear(p);
      break;
    }
    c.batch_used++;
    if (c.reference == NULL) {
      /* keep the first design: the Verilator model is built from it and all others must
       * equal it (the parameters are the same, so they do unless the emitter drifts) */
      c.first_run = p->run;
      c.reference = &c.first_run;
      p->have_run = 0;  /* p->run still points at it, first_run frees it */
    }
    if (c.batch_used == c.batch_size) rc = flush(&c, start, err);
  }
  if (rc == 0) rc = flush(&c, start, err);
  for (unsigned k = 0; k < c.batch_used; k++) pending_clear(&c.batch[k]);
  ssa_vmodel_close(c.model);
  if (c.reference != NULL) ssa_stepped_run_free(&c.first_run);
  free(c.batch);
  free(c.patches);
  ssa_net_run_free(c.run);
  out->seconds = ssa_seconds_now() - start;
  return rc;
}
