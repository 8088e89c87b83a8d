/* fuzz_net.c -- the network weights reader (train/net_file.c) on arbitrary text. Accepted:
 * every parameter finite in float. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "../../train/net.h"
#include "../../train/net_file.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *path = fuzz_input_file(data, size);
  ssa_net net;
  ssa_error err = {{0}};
  int rc = ssa_net_load(&net, path, &err);
  fuzz_check_result(rc, &err, path);
  if (rc == 0) {
    for (size_t k = 0; k < net.count; k++)
      if (!isfinite(net.param[k])) abort();
    ssa_net_free(&net);
  }
  return 0;
}
