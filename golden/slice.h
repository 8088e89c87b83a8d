/* slice.h -- eight 64-bit words operated on together (GCC/Clang vector extension).
 * The golden model is bit-sliced twice over: a word holds one bit of 64 tokens, and a slice
 * holds eight such words for eight units side by side (eight score units j, eight output units
 * d, or eight LFSR rows), so one vector instruction does the work of 512 gates. On x86-64 the
 * hot functions are cloned for AVX-512 and AVX2 and the best is picked at load time; anywhere
 * else the compiler splits a slice into the vectors it has, with identical results. */
#ifndef SSA_SLICE_H
#define SSA_SLICE_H

#include <stdint.h>

#include "../common/clones.h"

#define SSA_SLICE_WORDS 8u

typedef uint64_t ssa_slice __attribute__((vector_size(8 * sizeof(uint64_t))));

/* Every word of the slice = w. A macro, not a function: a function returning a 64-byte vector
 * has a different ABI with and without AVX-512, which GCC rightly warns about. */
#define ssa_slice_splat(w) ((ssa_slice){0} + (uint64_t)(w))

/* Attribute for the hot loops (common/clones.h). It may be given on the command line instead:
 * bench/RESULTS.md measures one ISA at a time with -DSSA_SLICE_CLONES= */
#ifndef SSA_SLICE_CLONES
#define SSA_SLICE_CLONES SSA_CLONES("avx512f", "avx2", "default")
#endif

/* Helpers called from cloned functions must be inlined into each clone to use its ISA. */
#define SSA_SLICE_INLINE static inline __attribute__((always_inline))

#endif
