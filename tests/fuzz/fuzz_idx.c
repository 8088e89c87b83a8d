/* fuzz_idx.c -- the IDX reader (train/idx.c, zlib's gzread, which passes plain bytes through)
 * on arbitrary bytes. Accepted: the data size is the product of the dimensions. */
#include <stddef.h>
#include <stdint.h>

#include "../../train/idx.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *path = fuzz_input_file(data, size);
  ssa_idx idx;
  ssa_error err = {{0}};
  int rc = ssa_idx_read(path, &idx, &err);
  fuzz_check_result(rc, &err, path);
  if (rc == 0) {
    size_t product = 1;
    for (unsigned k = 0; k < idx.ndims; k++) product *= idx.dims[k];
    if (product != idx.size) abort();
    ssa_idx_free(&idx);
  }
  return 0;
}
