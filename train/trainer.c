/* trainer.c -- minibatch Adam over the dataset, batches split over threads (trainer.h). */
#include "trainer.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/lfsr.h"

#include "../common/clock.h"
#include "parallel.h"

void ssa_train_opts_default(ssa_train_opts *o) {
  memset(o, 0, sizeof *o);
  o->epochs = 12;
  o->batch = 64;
  o->learning_rate = 1e-2;
  o->seed = 1;
  o->threads = ssa_cpu_count();
}

/* One thread's share of a batch: its own run and gradient. */
typedef struct worker {
  ssa_net_run *run;
  ssa_real *grad;
  ssa_real *patches;
  double loss;
  unsigned correct;
} worker;

typedef struct batch_job {
  const ssa_net *net;
  const ssa_dataset *data;
  const unsigned *order;  /* image indices of this batch */
  unsigned size, lanes, threads;
  int backward;
  worker *w;
} batch_job;

/* Lane k's fixed share of the batch: which images a lane takes depends only on the batch
 * size, never on the thread count. */
static void run_lane(batch_job *b, unsigned k) {
  worker *w = &b->w[k];
  unsigned first = b->size * k / b->lanes, last = b->size * (k + 1) / b->lanes;
  w->loss = 0;
  w->correct = 0;
  if (b->backward) memset(w->grad, 0, b->net->count * sizeof *w->grad);
  ssa_real logits[SSA_NET_CLASSES], dlogits[SSA_NET_CLASSES];
  for (unsigned i = first; i < last; i++) {
    unsigned image = b->order[i];
    ssa_net_patches(b->data->pixels + (size_t)image * SSA_FMNIST_SIDE * SSA_FMNIST_SIDE,
                    w->patches);
    ssa_net_forward(w->run, w->patches, logits);
    unsigned label = b->data->labels[image];
    w->loss += ssa_cross_entropy(logits, SSA_NET_CLASSES, label, dlogits);
    w->correct += ssa_net_predict(logits) == label;
    if (b->backward) ssa_net_backward(w->run, dlogits, w->grad);
  }
}

static void run_thread(void *ctx, unsigned t) {
  batch_job *b = ctx;
  for (unsigned k = t; k < b->lanes; k += b->threads) run_lane(b, k);
}

/* Training splits every batch into this many lanes, each with its own run and gradient,
 * summed in lane order: the weights are then the same bit for bit on any thread count. */
#define TRAIN_LANES 8u

typedef struct pool {
  unsigned lanes, threads;
  worker w[SSA_MAX_THREADS];
} pool;

static void pool_free(pool *p) {
  for (unsigned k = 0; k < p->lanes; k++) {
    ssa_net_run_free(p->w[k].run);
    free(p->w[k].grad);
    free(p->w[k].patches);
  }
}

/* lanes 0: one lane per thread. */
static int pool_init(pool *p, const ssa_net *net, const ssa_net_run_opts *ro, unsigned threads,
                     unsigned lanes, ssa_error *err) {
  memset(p, 0, sizeof *p);
  p->threads = threads < 1 ? 1 : threads > SSA_MAX_THREADS ? SSA_MAX_THREADS : threads;
  p->lanes = lanes ? lanes : p->threads;
  for (unsigned k = 0; k < p->lanes; k++) {
    worker *w = &p->w[k];
    if (ssa_net_run_new(net, ro, &w->run, err) != 0) {
      pool_free(p);
      return -1;
    }
    w->grad = calloc(net->count, sizeof *w->grad);
    w->patches = calloc(SSA_NET_TOKENS * SSA_NET_PATCH_PIXELS, sizeof *w->patches);
    if (!w->grad || !w->patches) {
      pool_free(p);
      return ssa_fail(err, "out of memory for the training threads");
    }
  }
  return 0;
}

static void shuffle(unsigned *order, unsigned n, uint64_t *state) {
  for (unsigned i = n; i > 1; i--) {
    unsigned j = (unsigned)(ssa_splitmix64(state) % i);
    unsigned tmp = order[i - 1];
    order[i - 1] = order[j];
    order[j] = tmp;
  }
}

/* Adam (Kingma and Ba) with the usual beta1 0.9, beta2 0.999, eps 1e-8. */
static void adam_step(ssa_real *param, const ssa_real *grad, ssa_real *m, ssa_real *v,
                      size_t n, double lr, unsigned long step) {
  const double b1 = 0.9, b2 = 0.999, eps = 1e-8;
  double c1 = 1 - pow(b1, (double)step), c2 = 1 - pow(b2, (double)step);
  for (size_t k = 0; k < n; k++) {
    m[k] = (ssa_real)(b1 * m[k] + (1 - b1) * grad[k]);
    v[k] = (ssa_real)(b2 * v[k] + (1 - b2) * grad[k] * grad[k]);
    param[k] -= (ssa_real)(lr * (m[k] / c1) / (sqrt(v[k] / c2) + eps));
  }
}

int ssa_train(ssa_net *net, const ssa_dataset *data, const ssa_train_opts *o,
              ssa_epoch_stats *stats, ssa_error *err) {
  unsigned images = o->limit && o->limit < data->count ? o->limit : data->count;
  if (images == 0) return ssa_fail(err, "no training images");
  if (o->batch == 0) return ssa_fail(err, "--batch 0: must be at least 1");
  ssa_net_init_random(net, o->seed);
  ssa_net_run_opts ro;
  ssa_net_run_opts_default(&ro, net);
  ro.train = 1;
  pool p;
  if (pool_init(&p, net, &ro, o->threads, TRAIN_LANES, err) != 0) return -1;
  unsigned *order = malloc(images * sizeof *order);
  ssa_real *m = calloc(net->count, sizeof *m), *v = calloc(net->count, sizeof *v),
           *grad = calloc(net->count, sizeof *grad);
  if (!order || !m || !v || !grad) {
    free(order), free(m), free(v), free(grad);
    pool_free(&p);
    return ssa_fail(err, "out of memory for the optimiser");
  }
  for (unsigned i = 0; i < images; i++) order[i] = i;
  uint64_t shuffle_state = o->seed ^ 0x5eed5eed5eed5eedull;
  unsigned batches = (images + o->batch - 1) / o->batch;
  unsigned long step = 0, total = (unsigned long)batches * o->epochs;
  int rc = 0;
  for (unsigned epoch = 0; epoch < o->epochs && rc == 0; epoch++) {
    double start = ssa_seconds_now(), loss = 0;
    unsigned long correct = 0;
    shuffle(order, images, &shuffle_state);
    for (unsigned b = 0; b < batches && rc == 0; b++) {
      unsigned first = b * o->batch;
      unsigned size = first + o->batch <= images ? o->batch : images - first;
      batch_job job = {net, data, order + first, size, p.lanes, p.threads, 1, p.w};
      rc = ssa_parallel(p.threads, run_thread, &job, err);
      memset(grad, 0, net->count * sizeof *grad);
      for (unsigned k = 0; k < p.lanes; k++) {  /* fixed order: reproducible sums */
        loss += p.w[k].loss;
        correct += p.w[k].correct;
        for (size_t x = 0; x < net->count; x++) grad[x] += p.w[k].grad[x];
      }
      for (size_t x = 0; x < net->count; x++) grad[x] /= (ssa_real)size;
      double lr = o->learning_rate * 0.5 * (1 + cos(3.14159265358979323846 * (double)step / (double)total));
      adam_step(net->param, grad, m, v, net->count, lr, ++step);
      if (o->progress && o->running && (b + 1) % 50 == 0)
        fprintf(o->progress, "\repoch %u/%u  batch %u/%u  loss %.4f  accuracy %.4f ", epoch + 1,
                o->epochs, b + 1, batches, loss / (first + size),
                (double)correct / (first + size));
    }
    double seconds = ssa_seconds_now() - start;
    if (stats) stats[epoch] = (ssa_epoch_stats){loss / images, (double)correct / images, seconds};
    if (o->progress)
      fprintf(o->progress, "\repoch %u/%u  loss %.4f  accuracy %.4f  %.0f s%20s\n", epoch + 1,
              o->epochs, loss / images, (double)correct / images, seconds, "");
  }
  free(order), free(m), free(v), free(grad);
  pool_free(&p);
  return rc;
}

int ssa_net_evaluate(const ssa_net *net, const ssa_net_run_opts *ro, const ssa_dataset *data,
                     unsigned limit, unsigned threads, FILE *progress, ssa_eval_result *out,
                     ssa_error *err) {
  memset(out, 0, sizeof *out);
  unsigned images = limit && limit < data->count ? limit : data->count;
  pool p;
  if (pool_init(&p, net, ro, threads, 0, err) != 0) return -1;
  unsigned *order = malloc((images ? images : 1) * sizeof *order);
  if (!order) {
    pool_free(&p);
    return ssa_fail(err, "out of memory");
  }
  for (unsigned i = 0; i < images; i++) order[i] = i;
  double start = ssa_seconds_now(), loss = 0;
  int rc = 0;
  /* chunks of 500 images: progress, and every thread busy in each chunk */
  for (unsigned first = 0; first < images && rc == 0; first += 500) {
    unsigned size = images - first < 500 ? images - first : 500;
    batch_job job = {net, data, order + first, size, p.lanes, p.threads, 0, p.w};
    rc = ssa_parallel(p.threads, run_thread, &job, err);
    for (unsigned k = 0; k < p.lanes; k++) loss += p.w[k].loss, out->correct += p.w[k].correct;
    if (progress)
      fprintf(progress, "\r%u/%u images  accuracy %.4f ", first + size, images,
              (double)out->correct / (first + size));
  }
  if (progress && images) fprintf(progress, "\n");
  out->images = images;
  out->loss = images ? loss / images : 0;
  out->accuracy = images ? (double)out->correct / images : 0;
  out->seconds = ssa_seconds_now() - start;
  free(order);
  pool_free(&p);
  return rc;
}
