/* rtl_check.h -- the trained network with its attention block run as RTL.
 *
 * For each test image: the network runs with the golden SC block (ssa_net_forward) and its
 * attention trace (Q, K, V in, O out, per step) is taken; that Q, K, V becomes the stimulus
 * of a run of the attention kind (sim/stepped_run.h) with the network's block parameters
 * (ssa_net_attention_params); the run's own golden O must equal the network's O bit for bit
 * (both start from reset for every image); the RTL (Verilator or Icarus) plays the run's
 * vectors and every output bit of every clock is compared with the expectation; finally the
 * network runs again with the RTL's O in place of its block (ssa_net_run_override_attention)
 * and that prediction is compared with the golden one.
 *
 * The design depends only on the parameters, so it is built once per check: Verilator's
 * model is compiled (or found in the cache) and instantiated once and every image runs on
 * that instance, starting with the run's reset clocks (re-opening it per image would cost
 * two tool probes and a dlopen, ~0.24 s, against ~1 ms per image); Icarus compiles the
 * testbench once per batch and plays the batch's images in one vvp run, each image's vectors
 * again starting with reset. Every image's expectation comes from a golden model started fresh, so a reset that
 * left state behind would show as a mismatch. */
#ifndef SSA_RTL_CHECK_H
#define SSA_RTL_CHECK_H

#include <stdio.h>

#include "../common/error.h"
#include "../core/plan.h"
#include "../sim/engine.h"
#include "fmnist.h"
#include "net.h"

typedef struct ssa_rtl_check_result ssa_rtl_check_result;

typedef struct ssa_rtl_check_opts {
  ssa_engine engine;       /* SSA_ENGINE_VERILATOR or SSA_ENGINE_ICARUS */
  enum ssa_share share;    /* the SC block's share mode */
  enum ssa_random random;  /* and random source */
  unsigned steps;          /* T, 1 to SSA_NET_MAX_STEPS */
  unsigned first, count;   /* test images [first, first + count) of the dataset */
  const char *cache_dir;   /* Verilator model cache (NULL: $SSA_CACHE_DIR, ... see verilator.h) */
  int build_progress;      /* Verilator: say on stderr when a model gets compiled */
  unsigned batch;          /* Icarus: images per vvp run (0: 25) */
  FILE *progress;          /* a line every progress_every images (NULL: quiet) */
  unsigned progress_every; /* 0: 50 */
  /* called after each image with the totals so far (may be NULL) */
  void (*on_image)(void *ctx, unsigned image, const ssa_rtl_check_result *so_far);
  void *ctx;
  /* Fault injection, to see the checker catch a difference: when inject is set, expected
   * output bit inject_index (row-major token x column) of step inject_step of image
   * inject_image (an index into the dataset) is flipped before the engine runs. */
  int inject;
  unsigned inject_image, inject_step, inject_index;
} ssa_rtl_check_opts;

struct ssa_rtl_check_result {
  unsigned images;             /* checked */
  unsigned matched;            /* whose RTL outputs matched the expectation on every bit */
  unsigned trace_mismatches;   /* whose attention run's golden O differed from the network's */
  unsigned long long clocks;   /* clocks compared */
  unsigned long long bits;     /* output bits compared (all outputs, every clock) */
  unsigned long long qkv_spikes; /* 1s in the network's Q, K and V, all images and steps */
  unsigned long long o_spikes; /* 1s in its O trace (0 would make bit-exactness trivial) */
  unsigned long long o_bits;   /* O bits in all: images x steps x N x E */
  unsigned golden_correct;     /* right with the golden block */
  unsigned rtl_correct;        /* right with the RTL's O */
  unsigned predictions_equal;  /* same class both ways */
  unsigned logits_equal;       /* the very same logits both ways, bit for bit */
  char first_mismatch[512];    /* "image 17: cycle 7 (step 5), o_o[37] = ...: expected 1,
                                  actual 0"; empty when everything matched */
  double seconds;              /* the whole check */
  double engine_seconds;       /* of which the engine (model build, compile, simulation) */
  double model_seconds;        /* of which Verilator's model: built or found in the cache, and
                                  loaded (Icarus compiles within engine_seconds, per batch) */
};

/* share unit, steps 10, images [0, 200), Verilator, default cache, quiet, no fault. */
void ssa_rtl_check_opts_default(ssa_rtl_check_opts *o);

/* Runs the check on a spiking network (either model: its attention is replaced by the SC
 * block). A difference is not an error: it is counted in *out. Returns -1 with err on a bad
 * option, an image range outside the dataset, or an engine that cannot run. */
int ssa_rtl_check(const ssa_net *net, const ssa_dataset *test, const ssa_rtl_check_opts *o,
                  ssa_rtl_check_result *out, ssa_error *err);

/* Every image matched, every trace agreed, every prediction and all logits equal. */
int ssa_rtl_check_passed(const ssa_rtl_check_result *r);

#endif
