/* stimulus.c -- xoshiro256** and Bernoulli spikes, 64 at a time (see stimulus.h). */
#include "stimulus.h"

#include <math.h>

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

/* u < limit for a 53-bit uniform u is P(1) = limit / 2^53. Lane j of the result compares its
 * own u, whose bits (most significant first) are bit j of successive generator words, with the
 * bits of limit: a lane is decided at its first bit that differs from limit's, and lanes still
 * undecided when the rest of limit is 0 have u >= limit. So 64 spikes cost as many words as it
 * takes to decide the last of them (one at rate 0.5), not 64 draws. */
static uint64_t bernoulli_word(ssa_rng *rng, uint64_t limit) {
  if (limit == 0) return 0;
  if (limit >> 53) return ~(uint64_t)0;
  uint64_t ones = 0, open = ~(uint64_t)0;
  for (int b = 52; b >= 0 && open != 0; b--) {
    if ((limit & ((((uint64_t)1) << (b + 1)) - 1)) == 0) break;  /* limit's rest is 0 */
    uint64_t u = ssa_rng_next(rng);
    if ((limit >> b) & 1) {
      ones |= open & ~u;
      open &= u;
    } else {
      open &= ~u;
    }
  }
  return ones;
}

void ssa_rng_bits(ssa_rng *rng, uint64_t *words, size_t bits, double rate) {
  /* the 53-bit grid of ssa_rng_uniform: u / 2^53 < rate exactly when u < ceil(rate 2^53) */
  uint64_t limit = !(rate > 0.0) ? 0 : rate >= 1.0 ? ((uint64_t)1 << 53) : (uint64_t)ceil(rate * 0x1p53);
  for (size_t k = 0; k * 64 < bits; k++) {
    uint64_t w = bernoulli_word(rng, limit);
    if (bits - k * 64 < 64) w &= (((uint64_t)1) << (bits - k * 64)) - 1;
    words[k] = w;
  }
}

void ssa_rng_fill(ssa_rng *rng, ssa_bitmat *m, double rate) {
  for (unsigned r = 0; r < m->rows; r++) ssa_rng_bits(rng, m->w + (size_t)r * m->stride, m->cols, rate);
}
