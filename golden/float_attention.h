/* float_attention.h -- the plain CPU baseline of the latency comparison: one head of
 * softmax(Q K^T / sqrt(D)) V in single precision, straightforward loops compiled with the
 * project's -O3, no SIMD intrinsics and no threads -- what "a C float attention" means in
 * `ssa report`. */
#ifndef SSA_FLOAT_ATTENTION_H
#define SSA_FLOAT_ATTENTION_H

/* q, k, v: N x D row-major; out: N x D; scores: N floats of scratch. */
void ssa_float_attention(unsigned n, unsigned d, const float *q, const float *k, const float *v,
                         float *scores, float *out);

#endif
