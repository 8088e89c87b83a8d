/* cpu_attention.c -- the OpenBLAS attention baseline and its timing (see cpu_attention.h).
 * Built with -O3 -ffast-math (meson.build): the softmax's loops vectorise, expf included. With
 * -ffast-math the compiler may assume no infinities, so the row maximum starts at the row's
 * first score rather than at -INFINITY. */
#include "cpu_attention.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "../common/clock.h"
#include "../golden/float_attention.h"

#ifdef SSA_HAVE_OPENBLAS
#include <cblas.h>
#endif

int ssa_cpu_blas_available(void) {
#ifdef SSA_HAVE_OPENBLAS
  return 1;
#else
  return 0;
#endif
}

#ifdef SSA_HAVE_OPENBLAS
/* Each row of the N x N scores (already scaled by 1/sqrt(D)) into probabilities; minus the
 * row's maximum so that expf cannot overflow. Straight loops over a row: the compiler turns
 * each into vector code (max, expf, sum, scale). */
static void softmax_rows(unsigned n, float *s) {
  for (unsigned i = 0; i < n; i++) {
    float *row = s + (size_t)i * n;
    float max = row[0];
    for (unsigned j = 1; j < n; j++) max = row[j] > max ? row[j] : max;
    float sum = 0;
    for (unsigned j = 0; j < n; j++) {
      row[j] = expf(row[j] - max);
      sum += row[j];
    }
    float inv = 1.0f / sum;
    for (unsigned j = 0; j < n; j++) row[j] *= inv;
  }
}
#endif

int ssa_cpu_attention_blas(unsigned n, unsigned d, const float *q, const float *k, const float *v,
                           float *scores, float *out, ssa_error *err) {
#ifdef SSA_HAVE_OPENBLAS
  (void)err;
  int N = (int)n, D = (int)d;
  /* scores = Q K^T / sqrt(D): the scaling folded into sgemm's alpha */
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, N, N, D, 1.0f / sqrtf((float)d), q, D, k,
              D, 0.0f, scores, N);
  softmax_rows(n, scores);
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, N, D, N, 1.0f, scores, N, v, D, 0.0f,
              out, D);
  return 0;
#else
  (void)n, (void)d, (void)q, (void)k, (void)v, (void)scores, (void)out;
  return ssa_fail(err, "cpu attention: built without OpenBLAS (install libopenblas-dev and "
                  "reconfigure)");
#endif
}

void ssa_cpu_attention_inputs(unsigned n, unsigned d, float *q, float *k, float *v) {
  uint32_t x = 12345;
  float *m[3] = {q, k, v};
  for (unsigned w = 0; w < 3; w++)
    for (size_t i = 0; i < (size_t)n * d; i++) {
      x = x * 1664525u + 1013904223u;
      m[w][i] = (float)((int)(x >> 24) - 128) / 64.0f;
    }
}

/* The buffers of one timed attention. */
typedef struct inputs {
  unsigned n, d;
  float *q, *k, *v, *scores, *out;
} inputs;

typedef void call_fn(const inputs *in);

static void call_scalar(const inputs *in) {
  ssa_float_attention(in->n, in->d, in->q, in->k, in->v, in->scores, in->out);
}

#ifdef SSA_HAVE_OPENBLAS
static void call_blas(const inputs *in) {
  ssa_cpu_attention_blas(in->n, in->d, in->q, in->k, in->v, in->scores, in->out, NULL);
}
#endif

/* Microseconds of one call: after one untimed call (which pages the buffers in and wakes
 * OpenBLAS's threads), ROUNDS rounds of calls, each at least seconds / ROUNDS long, and the
 * smallest round mean -- the round least disturbed by the rest of the machine. The output feeds
 * a volatile sink, so the calls cannot be dropped. */
#define ROUNDS 5

static double time_calls(call_fn *f, const inputs *in, double seconds) {
  volatile float sink = 0;
  f(in);
  double best = 0;
  for (unsigned round = 0; round < ROUNDS; round++) {
    unsigned reps = 0;
    double start = ssa_seconds_now(), elapsed;
    do {
      f(in);
      sink += in->out[reps % ((size_t)in->n * in->d)];
      reps++;
      elapsed = ssa_seconds_now() - start;
    } while (elapsed < seconds / ROUNDS);
    double us = elapsed / reps * 1e6;
    if (round == 0 || us < best) best = us;
  }
  (void)sink;
  return best;
}

int ssa_cpu_attention_time(unsigned n, unsigned d, double min_seconds, ssa_cpu_time *t,
                           ssa_error *err) {
  *t = (ssa_cpu_time){.n = n, .d = d, .min_seconds = min_seconds};
  if (n == 0 || d == 0) return ssa_fail(err, "cpu attention: N and D must be at least 1");
  size_t nd = (size_t)n * d;
  float *buf = malloc(sizeof *buf * (4 * nd + (size_t)n * n));
  if (buf == NULL) return ssa_fail(err, "cpu attention: out of memory");
  inputs in = {.n = n, .d = d, .q = buf, .k = buf + nd, .v = buf + 2 * nd, .out = buf + 3 * nd,
               .scores = buf + 4 * nd};
  ssa_cpu_attention_inputs(n, d, in.q, in.k, in.v);
  t->scalar_us = time_calls(call_scalar, &in, min_seconds);
#ifdef SSA_HAVE_OPENBLAS
  t->blas = 1;
  t->blas_threads = openblas_get_num_threads();
  snprintf(t->blas_config, sizeof t->blas_config, "%s", openblas_get_config());
  t->blas_us = time_calls(call_blas, &in, min_seconds);
  openblas_set_num_threads(1);
  t->blas_1thread_us = time_calls(call_blas, &in, min_seconds);
  openblas_set_num_threads(t->blas_threads);
#else
  snprintf(t->blas_config, sizeof t->blas_config, "not measured: built without OpenBLAS");
#endif
  free(buf);
  return 0;
}
