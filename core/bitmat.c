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

/* Copies n bits from src (starting at bit 0) to dst starting at bit `at`; dst's other bits are
 * kept. Word at a time: a row of a matrix lands anywhere in a flat vector. */
static void put_bits(uint64_t *dst, size_t at, const uint64_t *src, unsigned n) {
  for (unsigned done = 0; done < n; done += 64) {
    unsigned take = n - done < 64 ? n - done : 64;
    uint64_t v = src[done / 64];
    if (take < 64) v &= (((uint64_t)1) << take) - 1;
    size_t bit = at + done, w = bit / 64;
    unsigned shift = (unsigned)(bit % 64);
    uint64_t mask = take < 64 ? (((uint64_t)1) << take) - 1 : ~(uint64_t)0;
    dst[w] = (dst[w] & ~(mask << shift)) | (v << shift);
    if (shift != 0 && shift + take > 64)
      dst[w + 1] = (dst[w + 1] & ~(mask >> (64 - shift))) | (v >> (64 - shift));
  }
}

/* n bits of src starting at bit `at` into dst from bit 0, the rest of dst's last word 0. */
static void get_bits(uint64_t *dst, const uint64_t *src, size_t at, unsigned n) {
  for (unsigned done = 0; done < n; done += 64) {
    unsigned take = n - done < 64 ? n - done : 64;
    size_t bit = at + done, w = bit / 64;
    unsigned shift = (unsigned)(bit % 64);
    uint64_t v = src[w] >> shift;
    if (shift != 0 && shift + take > 64) v |= src[w + 1] << (64 - shift);
    if (take < 64) v &= (((uint64_t)1) << take) - 1;
    dst[done / 64] = v;
  }
}

/* Rows of a width that divides 64 (the attention's E = H * D is a power of two) pack whole into
 * flat words: a shift and a mask per row, the common case of the simulator's hot path. */
static int packs_whole(const ssa_bitmat *m) { return m->cols < 64 && 64 % m->cols == 0; }

void ssa_bitmat_to_flat(const ssa_bitmat *m, uint64_t *flat) {
  memset(flat, 0, sizeof *flat * ssa_flat_words(m->rows, m->cols));
  if (packs_whole(m)) {
    uint64_t mask = (((uint64_t)1) << m->cols) - 1;
    for (unsigned r = 0; r < m->rows; r++) {
      size_t bit = (size_t)r * m->cols;
      flat[bit / 64] |= (m->w[(size_t)r * m->stride] & mask) << (bit % 64);
    }
    return;
  }
  for (unsigned r = 0; r < m->rows; r++)
    put_bits(flat, (size_t)r * m->cols, m->w + (size_t)r * m->stride, m->cols);
}

void ssa_bitmat_from_flat(ssa_bitmat *m, const uint64_t *flat) {
  if (packs_whole(m)) {
    uint64_t mask = (((uint64_t)1) << m->cols) - 1;
    for (unsigned r = 0; r < m->rows; r++) {
      size_t bit = (size_t)r * m->cols;
      m->w[(size_t)r * m->stride] = (flat[bit / 64] >> (bit % 64)) & mask;
    }
    return;
  }
  for (unsigned r = 0; r < m->rows; r++)
    get_bits(m->w + (size_t)r * m->stride, flat, (size_t)r * m->cols, m->cols);
}
