/* layers.h -- forward and backward kernels of the network's layers, one sample at a time.
 * Matrices are row-major: x is rows x in, W is in x out (so that the inner loop runs over
 * contiguous outputs), y is rows x out. Every backward *adds* into its gradient outputs, so
 * that gradients of a parameter used at every time step accumulate without extra buffers. */
#ifndef SSA_LAYERS_H
#define SSA_LAYERS_H

#include <stddef.h>

#include "real.h"

/* The widest layer the kernels take, in and out (net.c keeps --hidden and --embed within it). */
#define SSA_LINEAR_MAX_WIDTH 1024u
/* y = x W + b. Zero inputs are skipped: with spikes as inputs, most rows of W are never read. */
void ssa_linear_forward(const ssa_real *x, const ssa_real *w, const ssa_real *b, ssa_real *y,
                        unsigned rows, unsigned in, unsigned out);
/* dw += x^T dy, db += column sums of dy, dx += dy W^T (dx may be NULL: input needs none). */
void ssa_linear_backward(const ssa_real *x, const ssa_real *w, const ssa_real *dy,
                         ssa_real *dw, ssa_real *db, ssa_real *dx, unsigned rows, unsigned in,
                         unsigned out);

/* The LIF neuron of the trainable layers (float twin of golden/lif.h with hard reset):
 *
 *   h_t = beta v_{t-1} + i_t,   s_t = H(h_t - theta),   v_t = h_t (1 - s_t)
 *
 * Backward replaces dH/dh by the surrogate alpha sig'(alpha (h - theta)) (sig the logistic
 * function) and is the exact derivative of the network in which s_t = sig(alpha (h - theta)):
 * the `smooth` forward, which the gradient check differentiates numerically. The reset is not
 * detached: dv/dh = (1 - s) - h s'. With `subtract`, the reset is v_t = h_t - theta s_t. */
typedef struct ssa_lif_shape {
  ssa_real beta, theta, alpha;
  int smooth;    /* 1: s = sig(alpha (h - theta)) instead of the step (tests only) */
  int subtract;  /* 1: soft reset v_t = h_t - theta s_t (dv/dh = 1 - theta s') */
} ssa_lif_shape;

/* One step for n neurons: v (state) is updated, h and s are written (kept for backward). */
void ssa_lif_forward(const ssa_lif_shape *l, const ssa_real *current, ssa_real *v, ssa_real *h,
                     ssa_real *s, size_t n);
/* Backward of one step, run from the last step to the first. dv carries dL/dv_t in and
 * dL/dv_{t-1} out (zero before the last step); ds is dL/ds_t; dcurrent += dL/di_t. */
void ssa_lif_backward(const ssa_lif_shape *l, const ssa_real *h, const ssa_real *s,
                      const ssa_real *ds, ssa_real *dv, ssa_real *dcurrent, size_t n);

/* ReLU, the ANN's activation where the SNN has a LIF. */
void ssa_relu_forward(const ssa_real *x, ssa_real *y, size_t n);
void ssa_relu_backward(const ssa_real *x, const ssa_real *dy, ssa_real *dx, size_t n);

/* The attention product per head, for N tokens, H heads of D columns (E = H D):
 *
 *   A[i, hD+d] = scale * sum_j (sum_e Q[i, hD+e] K[j, hD+e]) V[j, hD+d]
 *
 * scale 1/(N D) is the SC block's expectation (docs/design.md section 1: its spikes' probability),
 * scale 2^-s the exact block's current. score is N x N scratch. */
void ssa_qktv_forward(const ssa_real *q, const ssa_real *k, const ssa_real *v, ssa_real *a,
                      ssa_real *score, unsigned n, unsigned heads, unsigned d, ssa_real scale);
/* dq, dk, dv += the gradients for da; score and dscore are N x N scratch. */
void ssa_qktv_backward(const ssa_real *q, const ssa_real *k, const ssa_real *v,
                       const ssa_real *da, ssa_real *dq, ssa_real *dk, ssa_real *dv,
                       ssa_real *score, ssa_real *dscore, unsigned n, unsigned heads,
                       unsigned d, ssa_real scale);

/* The ANN's attention: per head softmax(Q K^T / sqrt(D)) V. prob (H x N x N) is kept for
 * backward; dprob is N x N scratch. */
void ssa_softmax_attention_forward(const ssa_real *q, const ssa_real *k, const ssa_real *v,
                                   ssa_real *o, ssa_real *prob, unsigned n, unsigned heads,
                                   unsigned d);
void ssa_softmax_attention_backward(const ssa_real *q, const ssa_real *k, const ssa_real *v,
                                    const ssa_real *prob, const ssa_real *dout, ssa_real *dq,
                                    ssa_real *dk, ssa_real *dv, ssa_real *dprob, unsigned n,
                                    unsigned heads, unsigned d);

/* Cross-entropy of softmax(logits) against label; dlogits = softmax - onehot. */
double ssa_cross_entropy(const ssa_real *logits, unsigned classes, unsigned label,
                         ssa_real *dlogits);

#endif
