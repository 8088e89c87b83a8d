/* test_lfsr.c -- the LFSR module: every tap polynomial is primitive (so every LFSR is maximal
 * length), the taps follow the documented shift convention, a leap is W shifts, and the
 * boundary values (seed 0, widths outside the table) behave as documented.
 * Two independent proofs of maximal length: an exhaustive period count up to 24 bits, and the
 * multiplicative order of x modulo p(x) over GF(2) for every width 4..32. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../core/lfsr.h"

static uint64_t mask_of(unsigned w) { return (((uint64_t)1) << w) - 1; }

/* The table's polynomial as a bit mask: bit m set for every term x^m (x^W included). */
static uint64_t poly_mask(unsigned w) {
  unsigned exps[6];
  unsigned n = ssa_lfsr_poly(w, exps);
  uint64_t p = 0;
  for (unsigned k = 0; k < n; k++) p |= (uint64_t)1 << exps[k];
  return p;
}

/* a * b mod p over GF(2); a, b of degree < w, p of degree w (w <= 32, so no overflow). */
static uint64_t gf2_mulmod(uint64_t a, uint64_t b, uint64_t p, unsigned w) {
  uint64_t r = 0;
  for (unsigned k = w; k-- > 0;) {
    r <<= 1;
    if ((r >> w) & 1u) r ^= p;
    if ((b >> k) & 1u) r ^= a;
  }
  return r;
}

/* x^e mod p over GF(2), square and multiply. */
static uint64_t gf2_xpow(uint64_t e, uint64_t p, unsigned w) {
  uint64_t result = 1, base = 2; /* the polynomial x; w >= 4, so x is already reduced */
  while (e != 0) {
    if (e & 1u) result = gf2_mulmod(result, base, p, w);
    base = gf2_mulmod(base, base, p, w);
    e >>= 1;
  }
  return result;
}

/* Distinct prime factors of n (n <= 2^32 - 1) by trial division; returns how many. */
static unsigned prime_factors(uint64_t n, uint64_t q[64]) {
  unsigned count = 0;
  for (uint64_t d = 2; d * d <= n; d++)
    if (n % d == 0) {
      q[count++] = d;
      while (n % d == 0) n /= d;
    }
  if (n > 1) q[count++] = n;
  return count;
}

static uint64_t gcd_u64(uint64_t a, uint64_t b) {
  while (b != 0) {
    uint64_t t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/* Property: ssa_lfsr_poly lists W first, strictly decreasing exponents, and ends with the
 * constant term 0 (p(0) = 1, so x is invertible modulo p and the shift is a bijection). */
static void poly_table_is_well_formed(void **state) {
  (void)state;
  for (unsigned w = SSA_LFSR_MIN_WIDTH; w <= SSA_LFSR_MAX_WIDTH; w++) {
    unsigned exps[6] = {0};
    unsigned n = ssa_lfsr_poly(w, exps);
    if (n < 2 || n > 6) fail_msg("width %u: %u exponents", w, n);
    if (exps[0] != w) fail_msg("width %u: leading exponent %u", w, exps[0]);
    if (exps[n - 1] != 0) fail_msg("width %u: no constant term", w);
    for (unsigned k = 1; k < n; k++)
      if (exps[k] >= exps[k - 1]) fail_msg("width %u: exponents not decreasing at %u", w, k);
  }
}

/* Property (maximal length, proof 1): for W <= 24, the orbit of state 1 under the shift has
 * exactly 2^W - 1 states. The shift is inlined with the same formula as lfsr.c (checked equal
 * to ssa_lfsr_shift on the first 2^16 states of each orbit), so 2^25 steps take ~0.1 s. */
static void period_is_maximal_up_to_24_bits(void **state) {
  (void)state;
  for (unsigned w = SSA_LFSR_MIN_WIDTH; w <= 24; w++) {
    uint64_t taps = ssa_lfsr_taps(w), mask = mask_of(w), full = mask; /* 2^W - 1 */
    uint64_t s = 1, steps = 0;
    for (uint64_t k = 0; k < 65536 && k < full; k++) {
      uint64_t next = ((s << 1) | (uint64_t)__builtin_parityll(s & taps)) & mask;
      if (next != ssa_lfsr_shift(s, taps, w)) fail_msg("width %u: inline shift differs", w);
      s = next;
    }
    s = 1;
    /* capped: a non-invertible map could enter a cycle that never returns to 1 */
    do {
      s = ((s << 1) | (uint64_t)__builtin_parityll(s & taps)) & mask;
      steps++;
    } while (s != 1 && steps <= full);
    if (steps != full)
      fail_msg("width %u (taps 0x%llx): period %llu, expected 2^%u - 1 = %llu", w,
               (unsigned long long)taps, (unsigned long long)steps, w, (unsigned long long)full);
  }
}

/* Property (maximal length, proof 2): for every width 4..32, x^(2^W - 1) = 1 mod p(x) and
 * x^((2^W - 1)/q) != 1 for each prime q dividing 2^W - 1, so x has order exactly 2^W - 1.
 * A reducible p of degree W has fewer than 2^W - 1 units modulo p, so it is also irreducible:
 * p is primitive, and the LFSR whose characteristic polynomial it is has period 2^W - 1. */
static void polynomial_is_primitive(void **state) {
  (void)state;
  for (unsigned w = SSA_LFSR_MIN_WIDTH; w <= SSA_LFSR_MAX_WIDTH; w++) {
    uint64_t p = poly_mask(w), order = mask_of(w);
    uint64_t q[64];
    unsigned nq = prime_factors(order, q);
    if (gf2_xpow(order, p, w) != 1) fail_msg("width %u: x^(2^W-1) != 1 mod p", w);
    for (unsigned k = 0; k < nq; k++)
      if (gf2_xpow(order / q[k], p, w) == 1)
        fail_msg("width %u: x^((2^W-1)/%llu) == 1 mod p: not primitive", w,
                 (unsigned long long)q[k]);
  }
}

/* The self-check of the primitivity test: it must reject a non-primitive polynomial. x^4+x^2+1
 * = (x^2+x+1)^2 is reducible; x^4+x^3+x^2+x+1 is irreducible but x has order 5, not 15. */
static void primitivity_check_rejects_non_primitive(void **state) {
  (void)state;
  uint64_t reducible = 0x15, order5 = 0x1f;
  assert_int_not_equal(gf2_xpow(15, reducible, 4), 1);
  assert_int_equal(gf2_xpow(15, order5, 4), 1);
  assert_int_equal(gf2_xpow(15 / 3, order5, 4), 1); /* caught by the factor q = 3 */
}

/* Property: ssa_lfsr_taps follows lfsr.c's convention, tap bit W-1-m for every term x^m of p
 * below x^W; and, independently of that formula, the bit sequence the shift produces (bit 0 is
 * the newest bit, state bit k = s[n-1-k]) satisfies the recurrence of p:
 * s[n] = XOR of s[n-W+m] over the terms x^m, m < W. Checked for 4W steps from 8 random states. */
static void taps_follow_convention(void **state) {
  (void)state;
  uint64_t sm = 12345;
  for (unsigned w = SSA_LFSR_MIN_WIDTH; w <= SSA_LFSR_MAX_WIDTH; w++) {
    unsigned exps[6];
    unsigned n = ssa_lfsr_poly(w, exps);
    uint64_t expected = 0, taps = ssa_lfsr_taps(w);
    for (unsigned k = 1; k < n; k++) expected |= (uint64_t)1 << (w - 1 - exps[k]);
    if (taps != expected)
      fail_msg("width %u: taps 0x%llx, expected 0x%llx", w, (unsigned long long)taps,
               (unsigned long long)expected);
    assert_true((taps >> (w - 1)) & 1u); /* the constant term: the oldest bit is always tapped */
    assert_int_equal(taps & ~mask_of(w), 0);
    for (int trial = 0; trial < 8; trial++) {
      unsigned char seq[5 * SSA_LFSR_MAX_WIDTH];
      uint64_t s = ssa_splitmix64(&sm) & mask_of(w);
      for (unsigned k = 0; k < w; k++) seq[k] = (unsigned char)((s >> (w - 1 - k)) & 1u);
      for (unsigned t = w; t < 5 * w; t++) {
        s = ssa_lfsr_shift(s, taps, w);
        seq[t] = (unsigned char)(s & 1u);
        unsigned fb = 0;
        for (unsigned k = 1; k < n; k++) fb ^= seq[t - w + exps[k]];
        if (fb != seq[t]) fail_msg("width %u: sequence breaks the recurrence of p at %u", w, t);
      }
    }
  }
}

/* Property: ssa_lfsr_leap is exactly W applications of ssa_lfsr_shift (and of the inline shift
 * formula), for 2000 random states per width including 0 and the all-ones state. */
static void leap_is_w_shifts(void **state) {
  (void)state;
  uint64_t sm = 777;
  for (unsigned w = SSA_LFSR_MIN_WIDTH; w <= SSA_LFSR_MAX_WIDTH; w++) {
    uint64_t taps = ssa_lfsr_taps(w), mask = mask_of(w);
    for (int trial = 0; trial < 2000; trial++) {
      uint64_t s0 = trial == 0 ? 0 : trial == 1 ? mask : ssa_splitmix64(&sm) & mask;
      uint64_t a = s0, b = s0;
      for (unsigned k = 0; k < w; k++) {
        a = ssa_lfsr_shift(a, taps, w);
        b = ((b << 1) | (uint64_t)__builtin_parityll(b & taps)) & mask;
      }
      uint64_t leap = ssa_lfsr_leap(s0, taps, w);
      if (leap != a || leap != b)
        fail_msg("width %u, state 0x%llx: leap 0x%llx, W shifts 0x%llx", w,
                 (unsigned long long)s0, (unsigned long long)leap, (unsigned long long)a);
    }
  }
}

/* Property: from a non-zero seed the state never becomes zero and stays W bits wide: 5000
 * leaps from each of 20 random non-zero seeds per width. For W <= 16 also the exact length of
 * the leap orbit: the step sequence repeats after (2^W - 1) / gcd(W, 2^W - 1) steps (the bit
 * stream itself after 2^W - 1 bits), e.g. 21 steps at W = 6 and 65535 at W = 16. */
static void leap_never_reaches_zero(void **state) {
  (void)state;
  uint64_t sm = 4242;
  for (unsigned w = SSA_LFSR_MIN_WIDTH; w <= SSA_LFSR_MAX_WIDTH; w++) {
    uint64_t taps = ssa_lfsr_taps(w), mask = mask_of(w);
    for (int trial = 0; trial < 20; trial++) {
      uint64_t s = 0;
      while (s == 0) s = ssa_splitmix64(&sm) & mask;
      for (int k = 0; k < 5000; k++) {
        s = ssa_lfsr_leap(s, taps, w);
        if (s == 0 || (s & ~mask) != 0)
          fail_msg("width %u: state 0x%llx after %d leaps", w, (unsigned long long)s, k + 1);
      }
    }
    if (w <= 16) {
      uint64_t expected = mask / gcd_u64(w, mask), steps = 0, s = 1;
      do {
        s = ssa_lfsr_leap(s, taps, w);
        steps++;
      } while (s != 1 && steps <= mask);
      if (steps != expected)
        fail_msg("width %u: leap orbit %llu, expected %llu", w, (unsigned long long)steps,
                 (unsigned long long)expected);
    }
  }
}

/* Boundary: seed 0 is the fixed point of every XOR LFSR: shift and leap keep it at 0 forever,
 * which is why the plan never hands out seed 0. */
static void seed_zero_stays_zero(void **state) {
  (void)state;
  for (unsigned w = SSA_LFSR_MIN_WIDTH; w <= SSA_LFSR_MAX_WIDTH; w++) {
    uint64_t taps = ssa_lfsr_taps(w);
    assert_int_equal(ssa_lfsr_shift(0, taps, w), 0);
    uint64_t s = 0;
    for (int k = 0; k < 100; k++) s = ssa_lfsr_leap(s, taps, w);
    assert_int_equal(s, 0);
  }
}

/* Boundary: widths just outside [4, 32] have no polynomial: taps 0 and no exponents. */
static void widths_outside_table_have_no_taps(void **state) {
  (void)state;
  unsigned exps[6];
  assert_int_equal(ssa_lfsr_taps(SSA_LFSR_MIN_WIDTH - 1), 0);
  assert_int_equal(ssa_lfsr_taps(SSA_LFSR_MAX_WIDTH + 1), 0);
  assert_int_equal(ssa_lfsr_taps(0), 0);
  assert_int_equal(ssa_lfsr_poly(SSA_LFSR_MIN_WIDTH - 1, exps), 0);
  assert_int_equal(ssa_lfsr_poly(SSA_LFSR_MAX_WIDTH + 1, exps), 0);
  assert_int_not_equal(ssa_lfsr_taps(SSA_LFSR_MIN_WIDTH), 0);
  assert_int_not_equal(ssa_lfsr_taps(SSA_LFSR_MAX_WIDTH), 0);
}

/* Property: ssa_splitmix64 is the published splitmix64 (Vigna): from state 0 its first outputs
 * are the reference values, so a master seed names the same seeds on every machine. */
static void splitmix64_known_answers(void **state) {
  (void)state;
  uint64_t s = 0;
  assert_int_equal(ssa_splitmix64(&s), 0xe220a8397b1dcdafull);
  assert_int_equal(ssa_splitmix64(&s), 0x6e789e6aa1b965f4ull);
  assert_int_equal(ssa_splitmix64(&s), 0x06c45d188009454full);
  assert_int_equal(s, 3 * 0x9e3779b97f4a7c15ull);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(poly_table_is_well_formed),
      cmocka_unit_test(period_is_maximal_up_to_24_bits),
      cmocka_unit_test(polynomial_is_primitive),
      cmocka_unit_test(primitivity_check_rejects_non_primitive),
      cmocka_unit_test(taps_follow_convention),
      cmocka_unit_test(leap_is_w_shifts),
      cmocka_unit_test(leap_never_reaches_zero),
      cmocka_unit_test(seed_zero_stays_zero),
      cmocka_unit_test(widths_outside_table_have_no_taps),
      cmocka_unit_test(splitmix64_known_answers),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
