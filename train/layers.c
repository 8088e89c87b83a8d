/* layers.c -- forward and backward kernels of the network's layers (see layers.h). */
#include "layers.h"

#include <math.h>
#include <string.h>

#include "../common/clones.h"

/* The linear layers are most of training's time. Both kernels are cloned for AVX2
 * (common/clones.h): the vectors run across independent sums, never inside one, so every sum
 * adds the same numbers in the same order on every ISA and the weights are the same bit for
 * bit (AVX2 without FMA; meson.build turns contraction off). */
#define LINEAR_CLONES SSA_CLONES("avx2", "default")

/* The inputs of a row that are not zero, in order, without a branch per input: spikes are
 * zero or one at random, and a branch on each would be mispredicted half the time. */
static unsigned nonzero_inputs(const ssa_real *xr, unsigned in, unsigned *idx) {
  unsigned count = 0;
  for (unsigned i = 0; i < in; i++) {
    idx[count] = i;
    count += xr[i] != 0;
  }
  return count;
}

/* y[r][o] = b[o] + x[r][0] W[0][o] + x[r][1] W[1][o] + ..., added in that order, zero inputs
 * skipped. FWD_VECS vectors of outputs stay in registers over all inputs; the outputs after
 * the last whole block take a scalar loop in the same order. */
typedef ssa_real fwd_vec __attribute__((vector_size(32), aligned(sizeof(ssa_real))));
#define FWD_LANES (sizeof(fwd_vec) / sizeof(ssa_real))
#define FWD_VECS 4

LINEAR_CLONES
void ssa_linear_forward(const ssa_real *x, const ssa_real *w, const ssa_real *b, ssa_real *y,
                        unsigned rows, unsigned in, unsigned out) {
  const unsigned block = FWD_VECS * FWD_LANES;
  unsigned idx[SSA_LINEAR_MAX_WIDTH];
  for (unsigned r = 0; r < rows; r++) {
    ssa_real *yr = y + (size_t)r * out;
    const ssa_real *xr = x + (size_t)r * in;
    unsigned count = nonzero_inputs(xr, in, idx);
    unsigned o0 = 0;
    for (; o0 + block <= out; o0 += block) {
      const fwd_vec *bv = (const fwd_vec *)(b + o0);
      fwd_vec a0 = bv[0], a1 = bv[1], a2 = bv[2], a3 = bv[3];
      for (unsigned k = 0; k < count; k++) {
        ssa_real xi = xr[idx[k]];
        const fwd_vec *wv = (const fwd_vec *)(w + (size_t)idx[k] * out + o0);
        a0 += xi * wv[0];
        a1 += xi * wv[1];
        a2 += xi * wv[2];
        a3 += xi * wv[3];
      }
      fwd_vec *yv = (fwd_vec *)(yr + o0);
      yv[0] = a0;
      yv[1] = a1;
      yv[2] = a2;
      yv[3] = a3;
    }
    if (o0 == out) continue;
    memcpy(yr + o0, b + o0, (out - o0) * sizeof *yr);
    for (unsigned k = 0; k < count; k++) {
      ssa_real xi = xr[idx[k]];
      const ssa_real *wi = w + (size_t)idx[k] * out;
      for (unsigned o = o0; o < out; o++) yr[o] += xi * wi[o];
    }
  }
}

/* dx[r][i] += sum over o of W[i][o] dy[r][o], each sum from o = 0 up, as one scalar loop
 * would add it. A chain of dependent adds is slow, so the kernel runs DX_ROWS x DX_COLS
 * independent sums at once: dy's rows are transposed into vectors over DX_ROWS rows, one per
 * o, and DX_COLS columns of W share each. Rows and columns past the end are computed on
 * padding and dropped. */
#define DX_ROWS 8
#define DX_COLS 4
typedef ssa_real dx_vec __attribute__((vector_size(DX_ROWS * sizeof(ssa_real))));

LINEAR_CLONES
static void linear_backward_dx(const ssa_real *w, const ssa_real *dy, ssa_real *dx,
                               unsigned rows, unsigned in, unsigned out) {
  dx_vec dyt[SSA_LINEAR_MAX_WIDTH];
  for (unsigned r0 = 0; r0 < rows; r0 += DX_ROWS) {
    unsigned nrows = rows - r0 < DX_ROWS ? rows - r0 : DX_ROWS;
    for (unsigned o = 0; o < out; o++)
      for (unsigned b = 0; b < DX_ROWS; b++)
        dyt[o][b] = b < nrows ? dy[(size_t)(r0 + b) * out + o] : 0;
    for (unsigned i0 = 0; i0 < in; i0 += DX_COLS) {
      const ssa_real *wc[DX_COLS];
      for (unsigned c = 0; c < DX_COLS; c++)
        wc[c] = w + (size_t)(i0 + c < in ? i0 + c : i0) * out;
      dx_vec sum[DX_COLS] = {{0}};
      for (unsigned o = 0; o < out; o++)
        for (unsigned c = 0; c < DX_COLS; c++) sum[c] += wc[c][o] * dyt[o];
      for (unsigned c = 0; c < DX_COLS && i0 + c < in; c++)
        for (unsigned b = 0; b < nrows; b++) dx[(size_t)(r0 + b) * in + i0 + c] += sum[c][b];
    }
  }
}

LINEAR_CLONES
void ssa_linear_backward(const ssa_real *x, const ssa_real *w, const ssa_real *dy,
                         ssa_real *dw, ssa_real *db, ssa_real *dx, unsigned rows, unsigned in,
                         unsigned out) {
  unsigned idx[SSA_LINEAR_MAX_WIDTH];
  for (unsigned r = 0; r < rows; r++) {
    const ssa_real *xr = x + (size_t)r * in;
    const ssa_real *dyr = dy + (size_t)r * out;
    for (unsigned o = 0; o < out; o++) db[o] += dyr[o];
    unsigned count = nonzero_inputs(xr, in, idx);
    for (unsigned k = 0; k < count; k++) {
      ssa_real xi = xr[idx[k]];
      ssa_real *dwi = dw + (size_t)idx[k] * out;
      for (unsigned o = 0; o < out; o++) dwi[o] += xi * dyr[o];
    }
  }
  if (dx) linear_backward_dx(w, dy, dx, rows, in, out);
}

static ssa_real logistic(ssa_real x) { return (ssa_real)1 / ((ssa_real)1 + (ssa_real)exp(-x)); }

void ssa_lif_forward(const ssa_lif_shape *l, const ssa_real *current, ssa_real *v, ssa_real *h,
                     ssa_real *s, size_t n) {
  if (l->smooth) {
    for (size_t k = 0; k < n; k++) {
      h[k] = l->beta * v[k] + current[k];
      s[k] = logistic(l->alpha * (h[k] - l->theta));
      v[k] = l->subtract ? h[k] - l->theta * s[k] : h[k] * (1 - s[k]);
    }
    return;
  }
  /* the spiking case, in branch-free loops the compiler vectorizes (training's hot path) */
  ssa_real beta = l->beta, theta = l->theta;
  for (size_t k = 0; k < n; k++) {
    h[k] = beta * v[k] + current[k];
    s[k] = h[k] >= theta ? (ssa_real)1 : (ssa_real)0;
  }
  if (l->subtract)
    for (size_t k = 0; k < n; k++) v[k] = h[k] - theta * s[k];
  else
    for (size_t k = 0; k < n; k++) v[k] = h[k] * (1 - s[k]);
}

void ssa_lif_backward(const ssa_lif_shape *l, const ssa_real *h, const ssa_real *s,
                      const ssa_real *ds, ssa_real *dv, ssa_real *dcurrent, size_t n) {
  for (size_t k = 0; k < n; k++) {
    ssa_real sig = logistic(l->alpha * (h[k] - l->theta));
    ssa_real slope = l->alpha * sig * (1 - sig);  /* the surrogate dS/dh */
    ssa_real dreset = l->subtract ? 1 - l->theta * slope : (1 - s[k]) - h[k] * slope;
    ssa_real dh = ds[k] * slope + dv[k] * dreset;
    dcurrent[k] += dh;
    dv[k] = l->beta * dh;
  }
}

void ssa_relu_forward(const ssa_real *x, ssa_real *y, size_t n) {
  for (size_t k = 0; k < n; k++) y[k] = x[k] > 0 ? x[k] : 0;
}

void ssa_relu_backward(const ssa_real *x, const ssa_real *dy, ssa_real *dx, size_t n) {
  for (size_t k = 0; k < n; k++)
    if (x[k] > 0) dx[k] += dy[k];
}

/* score[i][j] = sum_e Q[i, hD+e] K[j, hD+e] for one head. */
static void head_scores(const ssa_real *q, const ssa_real *k, ssa_real *score, unsigned n,
                        unsigned e_all, unsigned col0, unsigned d) {
  for (unsigned i = 0; i < n; i++)
    for (unsigned j = 0; j < n; j++) {
      ssa_real sum = 0;
      for (unsigned e = 0; e < d; e++)
        sum += q[(size_t)i * e_all + col0 + e] * k[(size_t)j * e_all + col0 + e];
      score[i * n + j] = sum;
    }
}

void ssa_qktv_forward(const ssa_real *q, const ssa_real *k, const ssa_real *v, ssa_real *a,
                      ssa_real *score, unsigned n, unsigned heads, unsigned d, ssa_real scale) {
  unsigned e_all = heads * d;
  for (unsigned h = 0; h < heads; h++) {
    unsigned col0 = h * d;
    head_scores(q, k, score, n, e_all, col0, d);
    for (unsigned i = 0; i < n; i++) {
      ssa_real *ai = a + (size_t)i * e_all + col0;
      for (unsigned c = 0; c < d; c++) ai[c] = 0;
      for (unsigned j = 0; j < n; j++) {
        ssa_real sij = score[i * n + j] * scale;
        if (sij == 0) continue;
        const ssa_real *vj = v + (size_t)j * e_all + col0;
        for (unsigned c = 0; c < d; c++) ai[c] += sij * vj[c];
      }
    }
  }
}

void ssa_qktv_backward(const ssa_real *q, const ssa_real *k, const ssa_real *v,
                       const ssa_real *da, ssa_real *dq, ssa_real *dk, ssa_real *dv,
                       ssa_real *score, ssa_real *dscore, unsigned n, unsigned heads,
                       unsigned d, ssa_real scale) {
  unsigned e_all = heads * d;
  for (unsigned h = 0; h < heads; h++) {
    unsigned col0 = h * d;
    head_scores(q, k, score, n, e_all, col0, d);
    for (unsigned i = 0; i < n; i++) {
      const ssa_real *dai = da + (size_t)i * e_all + col0;
      for (unsigned j = 0; j < n; j++) {
        const ssa_real *vj = v + (size_t)j * e_all + col0;
        ssa_real *dvj = dv + (size_t)j * e_all + col0;
        ssa_real sij = score[i * n + j] * scale;
        ssa_real sum = 0;
        for (unsigned c = 0; c < d; c++) {
          sum += dai[c] * vj[c];
          dvj[c] += sij * dai[c];
        }
        dscore[i * n + j] = sum * scale;
      }
    }
    for (unsigned i = 0; i < n; i++)
      for (unsigned j = 0; j < n; j++) {
        ssa_real g = dscore[i * n + j];
        if (g == 0) continue;
        for (unsigned e = 0; e < d; e++) {
          dq[(size_t)i * e_all + col0 + e] += g * k[(size_t)j * e_all + col0 + e];
          dk[(size_t)j * e_all + col0 + e] += g * q[(size_t)i * e_all + col0 + e];
        }
      }
  }
}

void ssa_softmax_attention_forward(const ssa_real *q, const ssa_real *k, const ssa_real *v,
                                   ssa_real *o, ssa_real *prob, unsigned n, unsigned heads,
                                   unsigned d) {
  unsigned e_all = heads * d;
  ssa_real inv_sqrt_d = (ssa_real)(1.0 / sqrt((double)d));
  for (unsigned h = 0; h < heads; h++) {
    unsigned col0 = h * d;
    ssa_real *p = prob + (size_t)h * n * n;
    head_scores(q, k, p, n, e_all, col0, d);
    for (unsigned i = 0; i < n; i++) {
      ssa_real *pi = p + (size_t)i * n;
      ssa_real max = pi[0] * inv_sqrt_d;
      for (unsigned j = 0; j < n; j++) {
        pi[j] *= inv_sqrt_d;
        if (pi[j] > max) max = pi[j];
      }
      ssa_real total = 0;
      for (unsigned j = 0; j < n; j++) {
        pi[j] = (ssa_real)exp(pi[j] - max);  /* shifted by the row maximum: never overflows */
        total += pi[j];
      }
      ssa_real *oi = o + (size_t)i * e_all + col0;
      for (unsigned c = 0; c < d; c++) oi[c] = 0;
      for (unsigned j = 0; j < n; j++) {
        pi[j] /= total;
        const ssa_real *vj = v + (size_t)j * e_all + col0;
        for (unsigned c = 0; c < d; c++) oi[c] += pi[j] * vj[c];
      }
    }
  }
}

void ssa_softmax_attention_backward(const ssa_real *q, const ssa_real *k, const ssa_real *v,
                                    const ssa_real *prob, const ssa_real *dout, ssa_real *dq,
                                    ssa_real *dk, ssa_real *dv, ssa_real *dprob, unsigned n,
                                    unsigned heads, unsigned d) {
  unsigned e_all = heads * d;
  ssa_real inv_sqrt_d = (ssa_real)(1.0 / sqrt((double)d));
  for (unsigned h = 0; h < heads; h++) {
    unsigned col0 = h * d;
    const ssa_real *p = prob + (size_t)h * n * n;
    for (unsigned i = 0; i < n; i++) {
      const ssa_real *doi = dout + (size_t)i * e_all + col0;
      const ssa_real *pi = p + (size_t)i * n;
      ssa_real *dpi = dprob + (size_t)i * n;
      ssa_real dot = 0;
      for (unsigned j = 0; j < n; j++) {
        const ssa_real *vj = v + (size_t)j * e_all + col0;
        ssa_real *dvj = dv + (size_t)j * e_all + col0;
        ssa_real sum = 0;
        for (unsigned c = 0; c < d; c++) {
          sum += doi[c] * vj[c];
          dvj[c] += pi[j] * doi[c];
        }
        dpi[j] = sum;
        dot += sum * pi[j];
      }
      /* softmax backward: dz_j = p_j (dp_j - sum_k p_k dp_k), then the 1/sqrt(D) scale */
      for (unsigned j = 0; j < n; j++) dpi[j] = pi[j] * (dpi[j] - dot) * inv_sqrt_d;
    }
    for (unsigned i = 0; i < n; i++)
      for (unsigned j = 0; j < n; j++) {
        ssa_real g = dprob[i * n + j];
        for (unsigned e = 0; e < d; e++) {
          dq[(size_t)i * e_all + col0 + e] += g * k[(size_t)j * e_all + col0 + e];
          dk[(size_t)j * e_all + col0 + e] += g * q[(size_t)i * e_all + col0 + e];
        }
      }
  }
}

double ssa_cross_entropy(const ssa_real *logits, unsigned classes, unsigned label,
                         ssa_real *dlogits) {
  double max = logits[0];
  for (unsigned c = 1; c < classes; c++)
    if (logits[c] > max) max = logits[c];
  double total = 0;
  for (unsigned c = 0; c < classes; c++) total += exp(logits[c] - max);
  for (unsigned c = 0; c < classes; c++)
    if (dlogits) dlogits[c] = (ssa_real)(exp(logits[c] - max) / total - (c == label));
  return log(total) + max - logits[label];
}
