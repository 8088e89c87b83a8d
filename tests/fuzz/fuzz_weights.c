/* fuzz_weights.c -- the layer-weights parser (core/weights.c) on arbitrary text, 8-bit
 * weights. Accepted: every weight within the signed 8-bit range. */
#include <stddef.h>
#include <stdint.h>

#include "../../core/weights.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ssa_weights w;
  ssa_error err = {{0}};
  int rc = ssa_weights_parse("w.txt", (const char *)data, size, 8, &w, &err);
  fuzz_check_result(rc, &err, "w.txt");
  if (rc == 0) ssa_weights_free(&w);
  return 0;
}
