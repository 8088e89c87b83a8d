/* stimulus.h -- seeded random input spikes (--rate P) and the random numbers of tests.
 * xoshiro256** seeded through splitmix64, so a seed names one stimulus on every machine. */
#ifndef SSA_STIMULUS_H
#define SSA_STIMULUS_H

#include <stddef.h>
#include <stdint.h>

#include "bitmat.h"

typedef struct ssa_rng {
  uint64_t s[4];
} ssa_rng;

/* `stream` separates independent uses of one master seed (stimulus, tests, ...). */
void ssa_rng_seed(ssa_rng *rng, uint64_t seed, uint64_t stream);
uint64_t ssa_rng_next(ssa_rng *rng);
double ssa_rng_uniform(ssa_rng *rng);  /* [0, 1), 53 bits */
/* `bits` spikes into words (bit k of words[k / 64]; the rest of the last word 0), each 1 with
 * probability ceil(rate 2^53) / 2^53 -- rate on ssa_rng_uniform's grid -- independently, drawn
 * 64 at a time by a bit-sliced comparison (stimulus.c). This is the --rate stimulus. */
void ssa_rng_bits(ssa_rng *rng, uint64_t *words, size_t bits, double rate);
/* Every element 1 with that probability, independently: ssa_rng_bits row by row. */
void ssa_rng_fill(ssa_rng *rng, ssa_bitmat *m, double rate);

/* The stream the --rate stimulus of `ssa sim` and `ssa gen` uses. */
#define SSA_STREAM_STIMULUS 0x5354494du

#endif
