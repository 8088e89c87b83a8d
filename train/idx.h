/* idx.h -- a reader of IDX files (the format of MNIST and Fashion-MNIST), plain or gzip'd.
 * Only unsigned-byte data is read: the datasets SSA trains on need nothing else, and a reader
 * that rejects the rest cannot misread it. The whole file is checked, down to its last byte. */
#ifndef SSA_IDX_H
#define SSA_IDX_H

#include <stddef.h>
#include <stdint.h>

#include "../common/error.h"

#define SSA_IDX_MAX_DIMS 4u
#define SSA_IDX_MAX_SIZE (1u << 30)  /* 1 GiB: far above any dataset here, far below a bad header */

/* Layout: big-endian; 0x00 0x00, the element type (0x08, unsigned byte), the number of
 * dimensions; each dimension as a uint32; then the elements, last dimension fastest. */
typedef struct ssa_idx {
  unsigned ndims;                   /* 1 to SSA_IDX_MAX_DIMS */
  unsigned dims[SSA_IDX_MAX_DIMS];  /* each at least 1 */
  size_t size;                      /* product of dims: bytes in data */
  uint8_t *data;
} ssa_idx;

/* Reads a whole file into out. On error (cannot open, a zlib error, a wrong header, an empty
 * dimension, more than SSA_IDX_MAX_SIZE bytes, data shorter or longer than declared) out is
 * left empty and -1 returned. */
int ssa_idx_read(const char *path, ssa_idx *out, ssa_error *err);
/* Frees the data and empties idx; harmless on an empty one. */
void ssa_idx_free(ssa_idx *idx);

#endif
