/* fuzz_spikes.c -- the spike-file parser (core/spikefile.c) on arbitrary text: blocks Q, K, V
 * of 2 x 3. Accepted: at least one step, each with its three 2 x 3 blocks. */
#include <stddef.h>
#include <stdint.h>

#include "../../core/spikefile.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ssa_spike_steps s;
  ssa_error err = {{0}};
  int rc = ssa_spikes_parse("in.txt", (const char *)data, size, "QKV", 2, 3, &s, &err);
  fuzz_check_result(rc, &err, "in.txt");
  if (rc == 0) {
    if (s.steps == 0) abort();
    ssa_spike_steps_free(&s);
  }
  return 0;
}
