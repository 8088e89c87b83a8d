/* test_transpose.c -- ssa_transpose64 is the transpose: for random matrices and for every
 * single-bit matrix, bit c of row r afterwards is bit r of row c before, and transposing twice
 * gives the matrix back. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "../core/lfsr.h"
#include "../golden/transpose.h"

static int bit_of(const uint64_t *a, unsigned r, unsigned c) { return (int)((a[r] >> c) & 1u); }

static void expect_transposed(const uint64_t *before, const uint64_t *after) {
  for (unsigned r = 0; r < 64; r++)
    for (unsigned c = 0; c < 64; c++)
      if (bit_of(after, r, c) != bit_of(before, c, r))
        fail_msg("after transpose, (row %u, column %u) = %d, but (row %u, column %u) was %d", r,
                 c, bit_of(after, r, c), c, r, bit_of(before, c, r));
}

static void random_matrices(void **state) {
  (void)state;
  uint64_t sm = 42;
  _Alignas(64) uint64_t a[64], before[64];
  for (unsigned trial = 0; trial < 200; trial++) {
    for (unsigned r = 0; r < 64; r++) a[r] = ssa_splitmix64(&sm);
    memcpy(before, a, sizeof a);
    ssa_transpose64(a);
    expect_transposed(before, a);
    ssa_transpose64(a);
    assert_memory_equal(a, before, sizeof a);
  }
}

static void every_single_bit(void **state) {
  (void)state;
  _Alignas(64) uint64_t a[64];
  for (unsigned r = 0; r < 64; r++)
    for (unsigned c = 0; c < 64; c++) {
      memset(a, 0, sizeof a);
      a[r] = (uint64_t)1 << c;
      ssa_transpose64(a);
      for (unsigned k = 0; k < 64; k++) {
        uint64_t want = k == c ? (uint64_t)1 << r : 0;
        if (a[k] != want) fail_msg("bit (%u, %u): row %u is %#llx, expected %#llx", r, c, k,
                                   (unsigned long long)a[k], (unsigned long long)want);
      }
    }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(random_matrices),
      cmocka_unit_test(every_single_bit),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
