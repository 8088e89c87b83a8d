/* transpose.c -- 64 x 64 bit transpose (see transpose.h).
 * Round j (j = 32, 16, ..., 1) swaps bit j of the row index with bit j of the column index:
 * rows k and k + j (bit j of k clear) trade the high j-bit halves of k's 2j-bit groups for
 * the low halves of k + j's. The rounds commute, and together they swap row and column.
 * With the 64 rows as eight slices of eight rows, rounds 32, 16 and 8 pair whole slices;
 * rounds 4, 2 and 1 pair lanes of one slice, reached with a lane shuffle. */
#include "transpose.h"

#include "slice.h"

/* Rows k and k + j for j >= 8: slices s and s + j / 8. */
SSA_SLICE_INLINE void swap_between_slices(ssa_slice *a, unsigned j, uint64_t mask) {
  unsigned step = j / SSA_SLICE_WORDS;
  for (unsigned s = 0; s < SSA_SLICE_WORDS; s = ((s | step) + 1) & ~step) {
    ssa_slice t = ((a[s] >> j) ^ a[s | step]) & mask;
    a[s] ^= t << j;
    a[s | step] ^= t;
  }
}

/* The lane that lane l pairs with in round j < 8: l ^ j. */
SSA_SLICE_INLINE void partner_lanes(const ssa_slice *x, unsigned j, ssa_slice *p) {
  switch (j) {
    case 4:
      *p = __builtin_shufflevector(*x, *x, 4, 5, 6, 7, 0, 1, 2, 3);
      break;
    case 2:
      *p = __builtin_shufflevector(*x, *x, 2, 3, 0, 1, 6, 7, 4, 5);
      break;
    default:
      *p = __builtin_shufflevector(*x, *x, 1, 0, 3, 2, 5, 4, 7, 6);
      break;
  }
}

/* Rows k and k + j for j < 8: lanes l and l ^ j of every slice. `low` marks the lanes whose
 * bit j is clear; each lane computes the pair's t from its own word and its partner's. */
SSA_SLICE_INLINE void swap_within_slices(ssa_slice *a, unsigned j, uint64_t mask,
                                         const ssa_slice *low_lanes) {
  ssa_slice low = *low_lanes, high = ~low, p;
  for (unsigned s = 0; s < SSA_SLICE_WORDS; s++) {
    ssa_slice x = a[s];
    partner_lanes(&x, j, &p);
    ssa_slice t = ((((x >> j) ^ p) & low) | (((p >> j) ^ x) & high)) & mask;
    a[s] = x ^ (((t << j) & low) | (t & high));
  }
}

SSA_SLICE_CLONES
void ssa_transpose64(uint64_t a[64]) {
  ssa_slice *rows = (ssa_slice *)a;
  const uint64_t ones = ~(uint64_t)0;
  const ssa_slice low4 = {ones, ones, ones, ones, 0, 0, 0, 0};
  const ssa_slice low2 = {ones, ones, 0, 0, ones, ones, 0, 0};
  const ssa_slice low1 = {ones, 0, ones, 0, ones, 0, ones, 0};
  swap_between_slices(rows, 32, 0x00000000FFFFFFFFu);
  swap_between_slices(rows, 16, 0x0000FFFF0000FFFFu);
  swap_between_slices(rows, 8, 0x00FF00FF00FF00FFu);
  swap_within_slices(rows, 4, 0x0F0F0F0F0F0F0F0Fu, &low4);
  swap_within_slices(rows, 2, 0x3333333333333333u, &low2);
  swap_within_slices(rows, 1, 0x5555555555555555u, &low1);
}
