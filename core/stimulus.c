/* stimulus.c -- xoshiro256** and Bernoulli spike matrices (see stimulus.h). */
#include "stimulus.h"

#include "lfsr.h"

void ssa_rng_seed(ssa_rng *rng, uint64_t seed, uint64_t stream) {
  uint64_t sm = seed ^ (stream * 0xd1342543de82ef95ull);
  for (int k = 0; k < 4; k++) rng->s[k] = ssa_splitmix64(&sm);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t ssa_rng_next(ssa_rng *rng) {
  uint64_t *s = rng->s;
  uint64_t result = rotl(s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

double ssa_rng_uniform(ssa_rng *rng) { return (double)(ssa_rng_next(rng) >> 11) * 0x1.0p-53; }

void ssa_rng_fill(ssa_rng *rng, ssa_bitmat *m, double rate) {
  for (unsigned r = 0; r < m->rows; r++)
    for (unsigned c = 0; c < m->cols; c++) ssa_bitmat_put(m, r, c, ssa_rng_uniform(rng) < rate);
}
