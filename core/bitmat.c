/* bitmat.c -- packed binary matrices (see bitmat.h). */
#include "bitmat.h"

#include <stdlib.h>
#include <string.h>

int ssa_bitmat_init(ssa_bitmat *m, unsigned rows, unsigned cols) {
  m->rows = rows;
  m->cols = cols;
  m->stride = (cols + 63) / 64;
  m->w = calloc((size_t)rows * m->stride + 1, sizeof *m->w);
  return m->w == NULL ? -1 : 0;
}

void ssa_bitmat_free(ssa_bitmat *m) {
  free(m->w);
  m->w = NULL;
}

void ssa_bitmat_clear(ssa_bitmat *m) {
  memset(m->w, 0, sizeof *m->w * (size_t)m->rows * m->stride);
}

void ssa_bitmat_copy(ssa_bitmat *dst, const ssa_bitmat *src) {
  memcpy(dst->w, src->w, sizeof *src->w * (size_t)src->rows * src->stride);
}

int ssa_bitmat_equal(const ssa_bitmat *a, const ssa_bitmat *b) {
  return a->rows == b->rows && a->cols == b->cols &&
         memcmp(a->w, b->w, sizeof *a->w * (size_t)a->rows * a->stride) == 0;
}

unsigned long ssa_bitmat_popcount(const ssa_bitmat *m) {
  unsigned long n = 0;
  for (size_t k = 0; k < (size_t)m->rows * m->stride; k++) n += (unsigned long)__builtin_popcountll(m->w[k]);
  return n;
}

size_t ssa_flat_words(unsigned rows, unsigned cols) {
  return ((size_t)rows * cols + 63) / 64;
}

void ssa_bitmat_to_flat(const ssa_bitmat *m, uint64_t *flat) {
  memset(flat, 0, sizeof *flat * ssa_flat_words(m->rows, m->cols));
  for (unsigned r = 0; r < m->rows; r++)
    for (unsigned c = 0; c < m->cols; c++)
      if (ssa_bitmat_get(m, r, c)) {
        size_t bit = (size_t)r * m->cols + c;
        flat[bit / 64] |= (uint64_t)1 << (bit % 64);
      }
}

void ssa_bitmat_from_flat(ssa_bitmat *m, const uint64_t *flat) {
  for (unsigned r = 0; r < m->rows; r++)
    for (unsigned c = 0; c < m->cols; c++)
      ssa_bitmat_put(m, r, c, ssa_flat_get(flat, (size_t)r * m->cols + c));
}
