/* lfsr.h -- maximal-length Fibonacci LFSRs and the seed generator.
 * Convention (shared by the RTL primitive rtl/ssa_lfsr.v and the golden model): the state is
 * W bits; one shift computes fb = parity(state & taps) and makes state = (state << 1) | fb,
 * so bit 0 is the newest bit. Every step of the design leaps W shifts, so the W state bits
 * seen in one step are W fresh bits of the m-sequence, never reused. */
#ifndef SSA_LFSR_H
#define SSA_LFSR_H

#include <stdint.h>

#define SSA_LFSR_MIN_WIDTH 4u
#define SSA_LFSR_MAX_WIDTH 32u

/* Tap mask for a width in [SSA_LFSR_MIN_WIDTH, SSA_LFSR_MAX_WIDTH], 0 for any other width. */
uint64_t ssa_lfsr_taps(unsigned width);
/* Exponents of the primitive polynomial behind ssa_lfsr_taps(width), highest first, ending
 * with 0; returns how many were written (at most 6). Tests check primitivity from these. */
unsigned ssa_lfsr_poly(unsigned width, unsigned exps[6]);

uint64_t ssa_lfsr_shift(uint64_t state, uint64_t taps, unsigned width);
/* `width` shifts: the state of the next step. */
uint64_t ssa_lfsr_leap(uint64_t state, uint64_t taps, unsigned width);

/* Jump-ahead: rows[] (width entries) becomes the GF(2) matrix of `shifts` shifts, row r being
 * the mask of state bits whose parity is bit r of the result; ssa_lfsr_apply applies it. */
void ssa_lfsr_jump_matrix(uint64_t taps, unsigned width, uint64_t shifts, uint64_t rows[]);
uint64_t ssa_lfsr_apply(const uint64_t rows[], unsigned width, uint64_t state);

/* splitmix64: the one generator from which every seed in SSA derives. */
uint64_t ssa_splitmix64(uint64_t *state);

#endif
