/* fuzz_intlines.c -- the integer-line parser (core/intlines.c) on arbitrary text: lines of 3
 * values from -100 to 100. Accepted: at least one line, every value in range. */
#include <stddef.h>
#include <stdint.h>

#include "../../core/intlines.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ssa_int_lines l;
  ssa_error err = {{0}};
  int rc = ssa_int_lines_parse("in.txt", (const char *)data, size, 3, -100, 100, "the test",
                               &l, &err);
  fuzz_check_result(rc, &err, "in.txt");
  if (rc == 0) {
    if (l.lines == 0) abort();
    for (size_t k = 0; k < (size_t)l.lines * 3; k++)
      if (l.values[k] < -100 || l.values[k] > 100) abort();
    ssa_int_lines_free(&l);
  }
  return 0;
}
