/* transpose.h -- 64 x 64 bit-matrix transpose, the bridge between the row-major spike
 * matrices and the golden model's token-sliced columns. */
#ifndef SSA_TRANSPOSE_H
#define SSA_TRANSPOSE_H

#include <stdint.h>

/* In place: bit c of a[r] trades places with bit r of a[c]. a must be 64-byte aligned. */
void ssa_transpose64(uint64_t a[64]);

#endif
