/* sobol.c -- the Sobol selects (see sobol.h). */
#include "sobol.h"

unsigned ssa_bit_reverse(unsigned v, unsigned bits) {
  unsigned r = 0;
  for (unsigned k = 0; k < bits; k++) r |= ((v >> k) & 1u) << (bits - 1 - k);
  return r;
}

uint32_t ssa_sobol_pascal_row(unsigned i, unsigned m) {
  uint32_t mask = 0;
  for (unsigned j = i; j < m; j++)
    if ((j & i) == i) mask |= (uint32_t)1 << j;
  return mask;
}

void ssa_sobol_selects(uint64_t t, unsigned score_bits, unsigned output_bits, unsigned *score,
                       unsigned *output) {
  unsigned m = score_bits + output_bits;
  uint32_t counter = (uint32_t)(t & ((((uint64_t)1) << m) - 1));
  unsigned y = 0;
  for (unsigned i = 0; i < score_bits; i++)
    y |= (unsigned)__builtin_parity(counter & ssa_sobol_pascal_row(i, m)) << i;
  *score = ssa_bit_reverse(y, score_bits);
  *output = ssa_bit_reverse(counter, output_bits);
}
