/* float_attention.c -- the float attention baseline (see float_attention.h). */
#include "float_attention.h"

#include <math.h>

void ssa_float_attention(unsigned n, unsigned d, const float *q, const float *k, const float *v,
                         float *scores, float *out) {
  float scale = 1.0f / sqrtf((float)d);
  for (unsigned i = 0; i < n; i++) {
    float max = -INFINITY;
    for (unsigned j = 0; j < n; j++) {
      float s = 0;
      for (unsigned c = 0; c < d; c++) s += q[i * d + c] * k[j * d + c];
      scores[j] = s * scale;
      if (scores[j] > max) max = scores[j];
    }
    float sum = 0;
    for (unsigned j = 0; j < n; j++) {
      scores[j] = expf(scores[j] - max);  /* minus the row maximum: no overflow */
      sum += scores[j];
    }
    for (unsigned c = 0; c < d; c++) out[i * d + c] = 0;
    for (unsigned j = 0; j < n; j++) {
      float p = scores[j] / sum;
      for (unsigned c = 0; c < d; c++) out[i * d + c] += p * v[j * d + c];
    }
  }
}
