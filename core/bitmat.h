/* bitmat.h -- packed binary matrices: one spike per bit, 64 per machine word.
 * Row-major; every row starts on a word boundary (stride words per row). Simulators see the
 * same matrix as one flat vector with bit (r * cols + c) = element (r, c). */
#ifndef SSA_BITMAT_H
#define SSA_BITMAT_H

#include <stddef.h>
#include <stdint.h>

typedef struct ssa_bitmat {
  unsigned rows, cols;
  unsigned stride;  /* words per row */
  uint64_t *w;
} ssa_bitmat;

int ssa_bitmat_init(ssa_bitmat *m, unsigned rows, unsigned cols);  /* zeroed; -1 if no memory */
void ssa_bitmat_free(ssa_bitmat *m);
void ssa_bitmat_clear(ssa_bitmat *m);
void ssa_bitmat_copy(ssa_bitmat *dst, const ssa_bitmat *src);  /* same shape */
int ssa_bitmat_equal(const ssa_bitmat *a, const ssa_bitmat *b);
unsigned long ssa_bitmat_popcount(const ssa_bitmat *m);

static inline int ssa_bitmat_get(const ssa_bitmat *m, unsigned r, unsigned c) {
  return (int)((m->w[(size_t)r * m->stride + c / 64] >> (c % 64)) & 1u);
}

static inline void ssa_bitmat_put(ssa_bitmat *m, unsigned r, unsigned c, int bit) {
  uint64_t *word = &m->w[(size_t)r * m->stride + c / 64];
  uint64_t mask = (uint64_t)1 << (c % 64);
  *word = bit ? (*word | mask) : (*word & ~mask);
}

/* Words needed for a flat vector of rows * cols bits. */
size_t ssa_flat_words(unsigned rows, unsigned cols);
void ssa_bitmat_to_flat(const ssa_bitmat *m, uint64_t *flat);
void ssa_bitmat_from_flat(ssa_bitmat *m, const uint64_t *flat);
static inline int ssa_flat_get(const uint64_t *flat, size_t bit) {
  return (int)((flat[bit / 64] >> (bit % 64)) & 1u);
}

#endif
