/* fuzz_liberty.c -- the Liberty parser (synth/liberty.c) on arbitrary text. */
#include <stddef.h>
#include <stdint.h>

#include "../../synth/liberty.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ssa_liberty lib;
  ssa_error err = {{0}};
  int rc = ssa_liberty_parse("in.lib", (const char *)data, size, &lib, &err);
  fuzz_check_result(rc, &err, "in.lib");
  if (rc == 0) ssa_liberty_free(&lib);
  return 0;
}
