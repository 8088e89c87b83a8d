/* cpu_attention.h -- the CPU baseline a user would actually run for one attention head: float
 * softmax(Q K^T / sqrt(D)) V with OpenBLAS's cblas_sgemm for Q K^T and P V and a softmax that
 * the compiler vectorises (this file alone is built with -O3 -ffast-math, so expf over a row
 * becomes glibc's vector expf), timed with OpenBLAS's default threads and with one; and, timed
 * the same way, the scalar triple loop of golden/float_attention.c for comparison.
 *
 * OpenBLAS is optional: built without it (meson found neither dependency('openblas') nor
 * libopenblas with cblas.h), ssa_cpu_blas_available() is 0, ssa_cpu_attention_blas() fails and
 * ssa_cpu_attention_time() reports the OpenBLAS figures as not measured. */
#ifndef SSA_CPU_ATTENTION_H
#define SSA_CPU_ATTENTION_H

#include "../common/error.h"

/* 1 when OpenBLAS was built in. */
int ssa_cpu_blas_available(void);

/* out = softmax(Q K^T / sqrt(D)) V for q, k, v: N x D row-major floats; scores: N x N floats
 * of scratch (left holding the probabilities). -1 (err) when OpenBLAS is not built in. */
int ssa_cpu_attention_blas(unsigned n, unsigned d, const float *q, const float *k, const float *v,
                           float *scores, float *out, ssa_error *err);

/* The inputs both baselines are timed on: int8 values / 64, so in [-2, 2), from a fixed LCG
 * (the int8 ANN's operands, as floats). q, k, v: N x D each. */
void ssa_cpu_attention_inputs(unsigned n, unsigned d, float *q, float *k, float *v);

typedef struct ssa_cpu_time {
  unsigned n, d;
  double min_seconds;        /* each figure: calls repeated for at least this long in all */
  double scalar_us;          /* golden/float_attention.c, one core */
  int blas;                  /* 1: the OpenBLAS figures below were measured */
  int blas_threads;          /* OpenBLAS's default thread count (OPENBLAS_NUM_THREADS or cores) */
  double blas_us;            /* with blas_threads threads */
  double blas_1thread_us;    /* with openblas_set_num_threads(1) */
  char blas_config[128];     /* openblas_get_config() ("OpenBLAS 0.3.21 ... SkylakeX ..."), or
                              * why there are no OpenBLAS figures */
} ssa_cpu_time;

/* Times one attention of N x D on each baseline (ssa_cpu_attention_inputs): after one untimed
 * call, 5 rounds of calls of at least min_seconds / 5 each, and the smallest round's mean per
 * call (the round the rest of the machine disturbed least). Restores OpenBLAS's thread count. */
int ssa_cpu_attention_time(unsigned n, unsigned d, double min_seconds, ssa_cpu_time *t,
                           ssa_error *err);

#endif
