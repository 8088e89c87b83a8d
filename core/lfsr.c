/* lfsr.c -- primitive polynomial table, LFSR shift and leap, splitmix64 (see lfsr.h). */
#include "lfsr.h"

/* Primitive polynomials over GF(2), from Xilinx XAPP052 ("Efficient Shift Registers, LFSR
 * Counters, and Long Pseudo-Random Sequence Generators", table 3). Each row lists the exponents
 * of x^n + ... + 1 without the trailing 1. tests/test_lfsr.c proves every row primitive
 * (exhaustive period up to 24 bits, order of x modulo the polynomial for all widths). */
static const unsigned char poly_table[][5] = {
    [4] = {4, 3},          [5] = {5, 3},           [6] = {6, 5},          [7] = {7, 6},
    [8] = {8, 6, 5, 4},    [9] = {9, 5},           [10] = {10, 7},        [11] = {11, 9},
    [12] = {12, 6, 4, 1},  [13] = {13, 4, 3, 1},   [14] = {14, 5, 3, 1},  [15] = {15, 14},
    [16] = {16, 15, 13, 4}, [17] = {17, 14},        [18] = {18, 11},       [19] = {19, 6, 2, 1},
    [20] = {20, 17},       [21] = {21, 19},        [22] = {22, 21},       [23] = {23, 18},
    [24] = {24, 23, 22, 17}, [25] = {25, 22},       [26] = {26, 6, 2, 1},  [27] = {27, 5, 2, 1},
    [28] = {28, 25},       [29] = {29, 27},        [30] = {30, 6, 4, 1},  [31] = {31, 28},
    [32] = {32, 22, 2, 1},
};

unsigned ssa_lfsr_poly(unsigned width, unsigned exps[6]) {
  if (width < SSA_LFSR_MIN_WIDTH || width > SSA_LFSR_MAX_WIDTH) return 0;
  unsigned n = 0;
  for (unsigned k = 0; k < 5 && poly_table[width][k] != 0; k++) exps[n++] = poly_table[width][k];
  exps[n++] = 0;
  return n;
}

/* With state bit k holding s[n-1-k], the recurrence of p(x) = x^W + sum c_m x^m is
 * s[n] = sum c_m s[n-W+m], i.e. tap bit k = W-1-m for every term x^m of p below x^W. */
uint64_t ssa_lfsr_taps(unsigned width) {
  unsigned exps[6];
  unsigned n = ssa_lfsr_poly(width, exps);
  uint64_t taps = 0;
  for (unsigned k = 1; k < n; k++) taps |= (uint64_t)1 << (width - 1 - exps[k]);
  return taps;
}

uint64_t ssa_lfsr_shift(uint64_t state, uint64_t taps, unsigned width) {
  uint64_t mask = width == 64 ? ~(uint64_t)0 : (((uint64_t)1 << width) - 1);
  uint64_t fb = (uint64_t)__builtin_parityll(state & taps);
  return ((state << 1) | fb) & mask;
}

uint64_t ssa_lfsr_leap(uint64_t state, uint64_t taps, unsigned width) {
  for (unsigned k = 0; k < width; k++) state = ssa_lfsr_shift(state, taps, width);
  return state;
}

uint64_t ssa_lfsr_apply(const uint64_t rows[], unsigned width, uint64_t state) {
  uint64_t out = 0;
  for (unsigned r = 0; r < width; r++) out |= (uint64_t)__builtin_parityll(rows[r] & state) << r;
  return out;
}

/* c = a * b for matrices in the row-mask form above */
static void mat_mul(const uint64_t a[], const uint64_t b[], unsigned width, uint64_t c[]) {
  for (unsigned r = 0; r < width; r++) {
    uint64_t row = 0;
    for (unsigned k = 0; k < width; k++)
      if ((a[r] >> k) & 1u) row ^= b[k];
    c[r] = row;
  }
}

void ssa_lfsr_jump_matrix(uint64_t taps, unsigned width, uint64_t shifts, uint64_t rows[]) {
  uint64_t base[64], tmp[64];
  /* one shift: bit 0 is the parity of the taps, bit r the old bit r - 1 */
  base[0] = taps;
  for (unsigned r = 1; r < width; r++) base[r] = (uint64_t)1 << (r - 1);
  for (unsigned r = 0; r < width; r++) rows[r] = (uint64_t)1 << r;
  for (; shifts != 0; shifts >>= 1) {
    if (shifts & 1u) {
      mat_mul(base, rows, width, tmp);
      for (unsigned r = 0; r < width; r++) rows[r] = tmp[r];
    }
    mat_mul(base, base, width, tmp);
    for (unsigned r = 0; r < width; r++) base[r] = tmp[r];
  }
}

uint64_t ssa_splitmix64(uint64_t *state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}
