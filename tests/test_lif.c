/* test_lif.c -- the integer LIF neuron (golden/lif.h): hand-computed step sequences for the
 * leak and its rounding toward minus infinity, threshold equality, both resets, positive and
 * negative saturation, L = 0, W = 2 and W = 32; the parameter checker's messages and bounds;
 * the reset names; and an exhaustive comparison with the formula written a second way.
 * Every table starts from u = 0 and lists, per step, the current I and the expected spike and
 * membrane after the step, with the arithmetic "u - (u >>> L) + I = sum" in a comment. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "../golden/lif.h"

typedef struct lif_row {
  int64_t current;  /* I */
  int spike;        /* expected spike of this step */
  int64_t u;        /* expected membrane after this step */
} lif_row;

static ssa_lif_params lif(unsigned width, unsigned leak_shift, int64_t threshold,
                          enum ssa_lif_reset reset) {
  ssa_lif_params p = {width, leak_shift, threshold, reset};
  ssa_error err = {{0}};
  if (ssa_lif_params_check(&p, &err) != 0) fail_msg("bad test parameters: %s", err.msg);
  return p;
}

/* Steps one neuron from u = 0 through the rows, naming the first step that differs. */
static void run_rows(const ssa_lif_params *p, const lif_row *rows, size_t n) {
  int64_t u = 0;
  for (size_t k = 0; k < n; k++) {
    int64_t before = u;
    int spike = ssa_lif_step(p, &u, rows[k].current);
    if (spike != rows[k].spike || u != rows[k].u)
      fail_msg("step %zu: u %lld, I %lld gave spike %d, u %lld; expected spike %d, u %lld", k,
               (long long)before, (long long)rows[k].current, spike, (long long)u,
               rows[k].spike, (long long)rows[k].u);
  }
}
#define RUN(p, rows) run_rows(&(p), rows, sizeof rows / sizeof rows[0])

#define P39 549755813888LL     /* 2^39: the C = 40 bit current range is [-2^39, 2^39 - 1] */
#define P40M1 1099511627775LL  /* 2^40 - 1: the largest |I| ssa_lif_step accepts */

/* A positive membrane leaks toward 0 but stops once u >>> L is 0, i.e. below 2^L. */
static void test_leak_positive(void **state) {
  (void)state;
  ssa_lif_params p = lif(16, 1, 64, SSA_LIF_RESET_ZERO);
  static const lif_row rows[] = {
      {40, 0, 40},  /*  0 -  0 + 40 = 40 */
      {0, 0, 20},   /* 40 - 20 +  0 = 20 */
      {0, 0, 10},   /* 20 - 10      = 10 */
      {0, 0, 5},    /* 10 -  5      =  5 */
      {0, 0, 3},    /*  5 -  2      =  3  (5 >>> 1 = 2) */
      {0, 0, 2},    /*  3 -  1      =  2 */
      {0, 0, 1},    /*  2 -  1      =  1 */
      {0, 0, 1},    /*  1 -  0      =  1  (1 >>> 1 = 0: stuck at 1) */
  };
  RUN(p, rows);
  ssa_lif_params p2 = lif(16, 2, 64, SSA_LIF_RESET_ZERO);
  static const lif_row rows2[] = {
      {7, 0, 7},  /* 0 - 0 + 7 = 7 */
      {0, 0, 6},  /* 7 - 1     = 6  (7 >>> 2 = 1) */
      {0, 0, 5},  /* 6 - 1     = 5 */
      {0, 0, 4},  /* 5 - 1     = 4 */
      {0, 0, 3},  /* 4 - 1     = 3 */
      {0, 0, 3},  /* 3 - 0     = 3  (3 >>> 2 = 0: stuck below 2^L = 4) */
  };
  RUN(p2, rows2);
}

/* A negative membrane leaks all the way to 0: >>> rounds toward minus infinity, so the
 * subtracted share is never smaller in magnitude than for +u, and u = -1 leaks to 0. */
static void test_leak_negative(void **state) {
  (void)state;
  ssa_lif_params p = lif(16, 1, 64, SSA_LIF_RESET_ZERO);
  static const lif_row rows[] = {
      {-40, 0, -40},  /*   0 -   0 - 40 = -40 */
      {0, 0, -20},    /* -40 + 20       = -20 */
      {0, 0, -10},    /* -20 + 10       = -10 */
      {0, 0, -5},     /* -10 +  5       =  -5 */
      {0, 0, -2},     /*  -5 +  3       =  -2  (-5 >>> 1 = floor(-2.5) = -3) */
      {0, 0, -1},     /*  -2 +  1       =  -1 */
      {0, 0, 0},      /*  -1 +  1       =   0  (-1 >>> 1 = -1) */
      {0, 0, 0},      /*   0 -  0       =   0 */
  };
  RUN(p, rows);
  ssa_lif_params p2 = lif(16, 2, 64, SSA_LIF_RESET_ZERO);
  static const lif_row rows2[] = {
      {-5, 0, -5},  /*  0 - 0 - 5 = -5 */
      {0, 0, -3},   /* -5 + 2     = -3  (-5 >>> 2 = floor(-1.25) = -2) */
      {0, 0, -2},   /* -3 + 1     = -2  (-3 >>> 2 = -1) */
      {0, 0, -1},   /* -2 + 1     = -1 */
      {0, 0, 0},    /* -1 + 1     =  0 */
      {-9, 0, -9},  /*  0 - 0 - 9 = -9 */
      {4, 0, -2},   /* -9 + 3 + 4 = -2  (-9 >>> 2 = floor(-2.25) = -3) */
  };
  RUN(p2, rows2);
}

/* v == theta spikes, theta - 1 does not, whether theta is reached by the current alone or
 * after a leak. */
static void test_threshold_equality(void **state) {
  (void)state;
  ssa_lif_params p = lif(16, 1, 64, SSA_LIF_RESET_ZERO);
  static const lif_row rows[] = {
      {63, 0, 63},  /*  0 -  0 + 63 = 63 = theta - 1: no spike */
      {32, 1, 0},   /* 63 - 31 + 32 = 64 = theta: spike, reset to 0 */
      {64, 1, 0},   /*  0 -  0 + 64 = 64: spike */
      {63, 0, 63},  /*  0 -  0 + 63 = 63: no spike */
      {31, 0, 63},  /* 63 - 31 + 31 = 63: no spike */
      {33, 1, 0},   /* 63 - 31 + 33 = 65: spike */
  };
  RUN(p, rows);
}

/* subtract keeps the excess v - theta; zero drops it. Same currents through both. */
static void test_reset_subtract_and_zero(void **state) {
  (void)state;
  ssa_lif_params sub = lif(16, 1, 64, SSA_LIF_RESET_SUBTRACT);
  static const lif_row rows_sub[] = {
      {100, 1, 36},  /*  0 -  0 + 100 = 100: spike, 100 - 64 = 36 */
      {100, 1, 54},  /* 36 - 18 + 100 = 118: spike, 118 - 64 = 54 */
      {10, 0, 37},   /* 54 - 27 +  10 =  37 */
      {64, 1, 19},   /* 37 - 18 +  64 =  83: spike, 83 - 64 = 19 */
      {0, 0, 10},    /* 19 -  9 +   0 =  10 */
      {59, 1, 0},    /* 10 -  5 +  59 =  64: spike, 64 - 64 = 0 */
  };
  RUN(sub, rows_sub);
  ssa_lif_params zero = lif(16, 1, 64, SSA_LIF_RESET_ZERO);
  static const lif_row rows_zero[] = {
      {100, 1, 0},  /*  0 -  0 + 100 = 100: spike, 0 */
      {100, 1, 0},  /*  0 -  0 + 100 = 100: spike, 0 */
      {10, 0, 10},  /*  0 -  0 +  10 =  10 */
      {64, 1, 0},   /* 10 -  5 +  64 =  69: spike, 0 */
      {0, 0, 0},    /*  0 -  0 +   0 =   0 */
      {59, 0, 59},  /*  0 -  0 +  59 =  59 */
  };
  RUN(zero, rows_zero);
}

/* W = 8: v is capped at 127, so with theta <= 127 a positively saturated v always spikes and
 * subtract leaves exactly 127 - theta. */
static void test_saturation_positive(void **state) {
  (void)state;
  ssa_lif_params p = lif(8, 1, 100, SSA_LIF_RESET_SUBTRACT);
  static const lif_row rows[] = {
      {127, 1, 27},      /*  0 -  0 + 127 = 127 (the bound, exact): spike, 27 */
      {128, 1, 27},      /* 27 - 13 + 128 = 142 -> 127: spike, 27 */
      {-20, 0, -6},      /* 27 - 13 -  20 =  -6 */
      {P39 - 1, 1, 27},  /* -6 +  3 + 549755813887 = 549755813884 -> 127: spike, 27 */
      {1, 0, 15},        /* 27 - 13 +   1 =  15 */
  };
  RUN(p, rows);
  ssa_lif_params max = lif(8, 1, 127, SSA_LIF_RESET_ZERO);
  static const lif_row rows_max[] = {
      {126, 0, 126},  /*   0 -  0 + 126 = 126 = theta - 1 */
      {64, 1, 0},     /* 126 - 63 +  64 = 127 = theta = the bound: spike */
      {1000, 1, 0},   /*   0 -  0 + 1000 -> 127: spike */
  };
  RUN(max, rows_max);
}

/* W = 8: v is floored at -128; a large leak pulls a saturated membrane back up. */
static void test_saturation_negative(void **state) {
  (void)state;
  ssa_lif_params p = lif(8, 1, 100, SSA_LIF_RESET_ZERO);
  static const lif_row rows[] = {
      {-128, 0, -128},  /*    0 -   0 - 128 = -128 (the bound, exact) */
      {-100, 0, -128},  /* -128 +  64 - 100 = -164 -> -128 */
      {-P39, 0, -128},  /* -128 +  64 - 549755813888 -> -128 */
      {0, 0, -64},      /* -128 +  64       =  -64 */
      {-65, 0, -97},    /*  -64 +  32 -  65 =  -97 */
      {-80, 0, -128},   /*  -97 +  49 -  80 = -128 (-97 >>> 1 = floor(-48.5) = -49; exact) */
      {-65, 0, -128},   /* -128 +  64 -  65 = -129 -> -128 (one below the bound) */
      {63, 0, -1},      /* -128 +  64 +  63 =   -1 */
  };
  RUN(p, rows);
}

/* L = 0: u - (u >>> 0) = 0, the neuron keeps nothing: v is the current, saturated. */
static void test_leak_shift_zero(void **state) {
  (void)state;
  ssa_lif_params zero = lif(8, 0, 50, SSA_LIF_RESET_ZERO);
  static const lif_row rows_zero[] = {
      {30, 0, 30},      /*    0 -    0 +  30 =   30 */
      {19, 0, 19},      /*   30 -   30 +  19 =   19 (nothing of 30 is kept) */
      {50, 1, 0},       /*   19 -   19 +  50 =   50 = theta: spike */
      {-200, 0, -128},  /*    0 -    0 - 200 -> -128 */
      {5, 0, 5},        /* -128 + 128 +   5 =    5 */
      {49, 0, 49},      /*    5 -    5 +  49 =   49 = theta - 1 */
      {300, 1, 0},      /*   49 -   49 + 300 -> 127: spike */
  };
  RUN(zero, rows_zero);
  ssa_lif_params sub = lif(8, 0, 50, SSA_LIF_RESET_SUBTRACT);
  static const lif_row rows_sub[] = {
      {300, 1, 77},  /*  0 -  0 + 300 -> 127: spike, 127 - 50 = 77 */
      {0, 0, 0},     /* 77 - 77 +   0 =   0 (the excess is not kept either) */
      {120, 1, 70},  /*  0 -  0 + 120 = 120: spike, 70 */
      {-1, 0, -1},   /* 70 - 70 -   1 =  -1 */
  };
  RUN(sub, rows_sub);
}

/* W = 2: u in [-2, 1], theta can only be 1, L only 0 or 1. */
static void test_width_2(void **state) {
  (void)state;
  ssa_lif_params p = lif(2, 1, 1, SSA_LIF_RESET_SUBTRACT);
  static const lif_row rows[] = {
      {0, 0, 0},    /*  0 - 0 + 0 =  0 */
      {1, 1, 0},    /*  0 - 0 + 1 =  1 = theta: spike, 1 - 1 = 0 */
      {-1, 0, -1},  /*  0 - 0 - 1 = -1 */
      {0, 0, 0},    /* -1 + 1 + 0 =  0 (-1 >>> 1 = -1) */
      {-5, 0, -2},  /*  0 - 0 - 5 = -5 -> -2 */
      {0, 0, -1},   /* -2 + 1 + 0 = -1 (-2 >>> 1 = -1) */
      {3, 1, 0},    /* -1 + 1 + 3 =  3 -> 1: spike, 0 */
      {-2, 0, -2},  /*  0 - 0 - 2 = -2 */
      {-1, 0, -2},  /* -2 + 1 - 1 = -2 (exact) */
      {3, 1, 0},    /* -2 + 1 + 3 =  2 -> 1: spike, 0 */
  };
  RUN(p, rows);
  ssa_lif_params p0 = lif(2, 0, 1, SSA_LIF_RESET_ZERO);
  static const lif_row rows0[] = {
      {1, 1, 0},    /*  0 -  0 + 1 =  1: spike, 0 */
      {-1, 0, -1},  /*  0 -  0 - 1 = -1 */
      {2, 1, 0},    /* -1 + 1 + 2 =  2 -> 1: spike, 0 */
      {-3, 0, -2},  /*  0 -  0 - 3 = -3 -> -2 */
      {0, 0, 0},    /* -2 + 2 + 0 =  0 */
  };
  RUN(p0, rows0);
}

/* W = 32, the widest: theta = 2^31 - 1, L = 31, currents at the 40-bit extremes and beyond. */
static void test_width_32(void **state) {
  (void)state;
  ssa_lif_params p = lif(32, 31, 2147483647, SSA_LIF_RESET_ZERO);
  static const lif_row rows[] = {
      {2147483646, 0, 2147483646},    /* 0 + 2147483646 = theta - 1 */
      {0, 0, 2147483646},             /* 2147483646 >>> 31 = 0: no leak */
      {1, 1, 0},                      /* 2147483646 + 1 = 2147483647 = theta: spike */
      {-2147483648LL, 0, -2147483648LL},  /* 0 - 2^31 = the lower bound, exact */
      {0, 0, -2147483647},            /* -2^31 - (-1) + 0 = -2147483647 (-2^31 >>> 31 = -1) */
      {-2, 0, -2147483648LL},         /* -2147483647 + 1 - 2 = -2^31 (exact) */
      {-P39, 0, -2147483648LL},       /* -2^31 + 1 - 2^39 -> -2^31 */
      {P39 - 1, 1, 0},                /* -2^31 + 1 + 2^39 - 1 = 547608330240 -> 2^31 - 1: spike */
      {4294967296LL, 1, 0},           /* 0 + 2^32 -> 2^31 - 1: spike */
      {P40M1, 1, 0},                  /* 0 + 2^40 - 1 -> 2^31 - 1: spike */
      {-P40M1, 0, -2147483648LL},     /* 0 - (2^40 - 1) -> -2^31 */
  };
  RUN(p, rows);
  ssa_lif_params sub = lif(32, 1, 1, SSA_LIF_RESET_SUBTRACT);
  static const lif_row rows_sub[] = {
      {P39 - 1, 1, 2147483646},      /* 0 + 2^39 - 1 -> 2147483647: spike, - 1 */
      {2147483647, 1, 2147483646},   /* 2147483646 - 1073741823 + 2147483647 = 3221225470
                                        -> 2147483647: spike, - 1 */
      {-P39, 0, -2147483648LL},      /* 1073741823 - 2^39 = -548682072065 -> -2^31 */
      {0, 0, -1073741824},           /* -2^31 + 2^30 = -1073741824 */
      {-1, 0, -536870913},           /* -1073741824 + 536870912 - 1 = -536870913 */
      {0, 0, -268435456},            /* -536870913 >>> 1 = floor(-268435456.5) = -268435457;
                                        -536870913 + 268435457 = -268435456 */
  };
  RUN(sub, rows_sub);
}

/* floor(u / 2^L) computed by division, independently of lif.c's bit trick. */
static int64_t floor_div_pow2(int64_t u, unsigned l) {
  int64_t d = (int64_t)1 << l, q = u / d;
  return (u % d != 0 && u < 0) ? q - 1 : q;
}

/* Every u of W = 2..8 bits, every L, currents beyond both saturation bounds, three thresholds
 * and both resets against the formula of lif.h written out directly. */
static void test_matches_formula_exhaustive(void **state) {
  (void)state;
  for (unsigned w = 2; w <= 8; w++) {
    int64_t max = ((int64_t)1 << (w - 1)) - 1, min = -max - 1;
    int64_t thetas[3] = {1, (max + 1) / 2, max};
    for (unsigned l = 0; l < w; l++)
      for (int t = 0; t < 3; t++)
        for (int r = 0; r < 2; r++) {
          ssa_lif_params p = lif(w, l, thetas[t], r ? SSA_LIF_RESET_SUBTRACT : SSA_LIF_RESET_ZERO);
          for (int64_t u0 = min; u0 <= max; u0++)
            for (int64_t i = 3 * min; i <= 3 * max; i++) {
              int64_t v = u0 - floor_div_pow2(u0, l) + i;
              v = v > max ? max : v < min ? min : v;
              int want_spike = v >= p.threshold;
              int64_t want_u = want_spike ? (r ? v - p.threshold : 0) : v;
              int64_t u = u0;
              int spike = ssa_lif_step(&p, &u, i);
              if (spike != want_spike || u != want_u)
                fail_msg("W %u L %u theta %lld reset %d u %lld I %lld: spike %d u %lld, "
                         "expected %d %lld", w, l, (long long)p.threshold, r, (long long)u0,
                         (long long)i, spike, (long long)u, want_spike, (long long)want_u);
            }
        }
  }
}

static void test_defaults(void **state) {
  (void)state;
  ssa_lif_params p;
  memset(&p, 0xa5, sizeof p);
  ssa_lif_params_default(&p);
  assert_int_equal(p.width, 16);
  assert_int_equal(p.leak_shift, 1);
  assert_int_equal(p.threshold, 64);
  assert_int_equal(p.reset, SSA_LIF_RESET_ZERO);
  assert_int_equal(ssa_lif_params_check(&p, NULL), 0);
}

static void expect_check_error(unsigned width, unsigned leak_shift, int64_t threshold, int reset,
                               const char *want) {
  ssa_lif_params p = {width, leak_shift, threshold, (enum ssa_lif_reset)reset};
  ssa_error err = {{0}};
  assert_int_equal(ssa_lif_params_check(&p, &err), -1);
  assert_string_equal(err.msg, want);
  assert_int_equal(ssa_lif_params_check(&p, NULL), -1);  /* no message wanted: no crash */
}

static void expect_check_ok(unsigned width, unsigned leak_shift, int64_t threshold, int reset) {
  ssa_lif_params p = {width, leak_shift, threshold, (enum ssa_lif_reset)reset};
  ssa_error err = {{0}};
  if (ssa_lif_params_check(&p, &err) != 0) fail_msg("rejected: %s", err.msg);
}

static void test_check_messages(void **state) {
  (void)state;
  expect_check_error(1, 0, 1, 0, "--width 1: must be from 2 to 32");
  expect_check_error(0, 0, 1, 0, "--width 0: must be from 2 to 32");
  expect_check_error(33, 1, 64, 0, "--width 33: must be from 2 to 32");
  /* the width comes first: the other ranges depend on it */
  expect_check_error(40, 50, 0, 7, "--width 40: must be from 2 to 32");
  expect_check_error(16, 16, 64, 0, "--leak-shift 16: must be from 0 to 15 (below --width)");
  expect_check_error(2, 2, 1, 0, "--leak-shift 2: must be from 0 to 1 (below --width)");
  expect_check_error(32, 32, 1, 0, "--leak-shift 32: must be from 0 to 31 (below --width)");
  expect_check_error(16, 1, 0, 0, "--threshold 0: must be from 1 to 32767 (2^(W-1) - 1)");
  expect_check_error(16, 1, -5, 0, "--threshold -5: must be from 1 to 32767 (2^(W-1) - 1)");
  expect_check_error(16, 1, 32768, 0,
                     "--threshold 32768: must be from 1 to 32767 (2^(W-1) - 1)");
  expect_check_error(2, 0, 2, 0, "--threshold 2: must be from 1 to 1 (2^(W-1) - 1)");
  expect_check_error(32, 0, 2147483648LL, 0,
                     "--threshold 2147483648: must be from 1 to 2147483647 (2^(W-1) - 1)");
  expect_check_error(16, 1, 64, 2, "--reset 2: must be zero or subtract");
}

static void test_check_bounds_accepted(void **state) {
  (void)state;
  expect_check_ok(2, 0, 1, SSA_LIF_RESET_ZERO);
  expect_check_ok(2, 1, 1, SSA_LIF_RESET_SUBTRACT);
  expect_check_ok(16, 15, 32767, SSA_LIF_RESET_ZERO);
  expect_check_ok(16, 0, 1, SSA_LIF_RESET_SUBTRACT);
  expect_check_ok(32, 31, 2147483647, SSA_LIF_RESET_SUBTRACT);
  expect_check_ok(32, 0, 1, SSA_LIF_RESET_ZERO);
}

static void test_reset_names(void **state) {
  (void)state;
  assert_string_equal(ssa_lif_reset_name(SSA_LIF_RESET_ZERO), "zero");
  assert_string_equal(ssa_lif_reset_name(SSA_LIF_RESET_SUBTRACT), "subtract");
  assert_string_equal(ssa_lif_reset_name((enum ssa_lif_reset)9), "?");
  enum ssa_lif_reset r = SSA_LIF_RESET_SUBTRACT;
  assert_int_equal(ssa_lif_reset_parse("zero", &r), 0);
  assert_int_equal(r, SSA_LIF_RESET_ZERO);
  assert_int_equal(ssa_lif_reset_parse("subtract", &r), 0);
  assert_int_equal(r, SSA_LIF_RESET_SUBTRACT);
  static const char *const bad[] = {"", "Zero", "sub", "subtract ", "zero\n", "none"};
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
    r = SSA_LIF_RESET_SUBTRACT;
    assert_int_equal(ssa_lif_reset_parse(bad[k], &r), -1);
    assert_int_equal(r, SSA_LIF_RESET_SUBTRACT);  /* untouched */
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_leak_positive),
      cmocka_unit_test(test_leak_negative),
      cmocka_unit_test(test_threshold_equality),
      cmocka_unit_test(test_reset_subtract_and_zero),
      cmocka_unit_test(test_saturation_positive),
      cmocka_unit_test(test_saturation_negative),
      cmocka_unit_test(test_leak_shift_zero),
      cmocka_unit_test(test_width_2),
      cmocka_unit_test(test_width_32),
      cmocka_unit_test(test_matches_formula_exhaustive),
      cmocka_unit_test(test_defaults),
      cmocka_unit_test(test_check_messages),
      cmocka_unit_test(test_check_bounds_accepted),
      cmocka_unit_test(test_reset_names),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
