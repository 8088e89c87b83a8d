/* stimulus.h -- seeded random input spikes (--rate P) and the random numbers of tests.
 * xoshiro256** seeded through splitmix64, so a seed names one stimulus on every machine. */
#ifndef SSA_STIMULUS_H
#define SSA_STIMULUS_H

#include <stdint.h>

#include "bitmat.h"

typedef struct ssa_rng {
  uint64_t s[4];
} ssa_rng;

/* `stream` separates independent uses of one master seed (stimulus, tests, ...). */
void ssa_rng_seed(ssa_rng *rng, uint64_t seed, uint64_t stream);
uint64_t ssa_rng_next(ssa_rng *rng);
double ssa_rng_uniform(ssa_rng *rng);  /* [0, 1), 53 bits */
/* Every element 1 with probability rate, independently. */
void ssa_rng_fill(ssa_rng *rng, ssa_bitmat *m, double rate);

/* The stream the --rate stimulus of `ssa sim` and `ssa gen` uses. */
#define SSA_STREAM_STIMULUS 0x5354494du

#endif
