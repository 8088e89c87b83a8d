/* trainer.h -- training the network (net.h) on a dataset: minibatch Adam with a cosine
 * learning-rate schedule, backpropagation through time with the surrogate gradient, and for SC
 * attention sampled spikes forward and the gradient of their expectation backward.
 * Reproducible: the shuffle and the initialisation come from the seed, each batch is split
 * into 8 fixed contiguous shares whose gradients are summed in order, so the same options give
 * the same weights, bit for bit, whatever the timing and the thread count. */
#ifndef SSA_TRAINER_H
#define SSA_TRAINER_H

#include <stdio.h>

#include "../common/error.h"
#include "fmnist.h"
#include "net.h"

typedef struct ssa_train_opts {
  unsigned epochs;
  unsigned batch;
  double learning_rate;  /* peak; cosine decay to 0 over all batches */
  uint64_t seed;         /* initialisation and shuffle */
  unsigned threads;
  unsigned limit;        /* train on the first `limit` images only (0: all) */
  FILE *progress;        /* one line per epoch; NULL: quiet */
  int running;           /* also a running line every 50 batches (for a terminal) */
} ssa_train_opts;

/* 12 epochs, batch 64, learning rate 1e-2, seed 1, every core, all images, no progress. */
void ssa_train_opts_default(ssa_train_opts *o);

typedef struct ssa_epoch_stats {
  double loss;      /* mean cross-entropy over the epoch's images, as trained */
  double accuracy;  /* fraction of them classified right, during training */
  double seconds;
} ssa_epoch_stats;

/* Initialises net's parameters from the seed and trains them; stats (may be NULL) gets one
 * entry per epoch. */
int ssa_train(ssa_net *net, const ssa_dataset *data, const ssa_train_opts *o,
              ssa_epoch_stats *stats, ssa_error *err);

typedef struct ssa_eval_result {
  unsigned images, correct;
  double loss, accuracy, seconds;
} ssa_eval_result;

/* Runs net as `ro` says on the first `limit` images (0: all), split over the threads;
 * each image is independent (net.h), so the result does not depend on the thread count.
 * progress (may be NULL) gets a running line per 500 images, rewritten in place. */
int ssa_net_evaluate(const ssa_net *net, const ssa_net_run_opts *ro, const ssa_dataset *data,
                     unsigned limit, unsigned threads, FILE *progress, ssa_eval_result *out,
                     ssa_error *err);

#endif
