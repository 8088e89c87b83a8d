/* fuzz_nextpnr.c -- nextpnr's JSON report reader (synth/nextpnr_report.c, common/json_read.c)
 * on arbitrary text. */
#include <stddef.h>
#include <stdint.h>

#include "../../synth/nextpnr_report.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ssa_nextpnr_report r;
  ssa_error err = {{0}};
  int rc = ssa_nextpnr_report_parse("r.json", (const char *)data, size, &r, &err);
  fuzz_check_result(rc, &err, "r.json");
  return 0;
}
