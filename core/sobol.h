/* sobol.h -- the first two dimensions of the Sobol sequence, as the attention's low-discrepancy
 * selects read them (plan.h, SSA_RANDOM_SOBOL).
 *
 * Point t of an m-bit counter, m = score_bits + output_bits:
 *   dimension 1 (van der Corput): the m-bit fraction whose bit k after the point is bit k of t,
 *     i.e. t's bits reversed. Its top output_bits bits are the output stage's select:
 *     output = reverse(t mod 2^output_bits).
 *   dimension 2 (Sobol): the same with y = P t over GF(2), P the upper triangular Pascal matrix
 *     (P[i][j] = C(j, i) mod 2, which by Lucas' theorem is 1 exactly when i & j == i). Its top
 *     score_bits bits are the score stage's select.
 * The pair is a (0, 2)-sequence in base 2: every aligned block of 2^k points has exactly one
 * point in each elementary box of area 2^-k. So over N steps the output select visits every
 * token once, over D steps the score select every column once, and over N * D steps every
 * (token, column) pair exactly once. A constant XORed onto either select (a digital shift)
 * keeps all of this. */
#ifndef SSA_SOBOL_H
#define SSA_SOBOL_H

#include <stdint.h>

/* The low `bits` bits of v in reverse order. */
unsigned ssa_bit_reverse(unsigned v, unsigned bits);
/* Mask of counter bits whose parity is bit i of y = P t (i < m): bits j in [i, m) with
 * j & i == i. The emitter writes y_i as ^(t & mask). */
uint32_t ssa_sobol_pascal_row(unsigned i, unsigned m);
/* The selects of step t (mod 2^(score_bits + output_bits)). */
void ssa_sobol_selects(uint64_t t, unsigned score_bits, unsigned output_bits, unsigned *score,
                       unsigned *output);

#endif
