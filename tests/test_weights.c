/* test_weights.c -- the weights text format: parsing exact values, every error message with its
 * line number, the range boundaries of 2-, 8- and 16-bit weights, write/parse round trips,
 * layer lookup, seeded random layers, reading files, and mutated inputs that must never crash. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/lfsr.h"
#include "../core/weights.h"
#include "textio.h"

/* Parses a copy of exactly len bytes, so that the sanitizers catch any read past the end. */
static int parse_n(const char *text, size_t len, unsigned bits, ssa_weights *out,
                   ssa_error *err) {
  char *copy = malloc(len > 0 ? len : 1);
  assert_non_null(copy);
  memcpy(copy, text, len);
  int rc = ssa_weights_parse("t.txt", copy, len, bits, out, err);
  free(copy);
  return rc;
}

static void parse_ok(const char *text, unsigned bits, ssa_weights *out) {
  ssa_error err = {{0}};
  if (parse_n(text, strlen(text), bits, out, &err) != 0) fail_msg("parse failed: %s", err.msg);
}

/* Parses text that must fail with exactly `want`, leaving `out` empty. */
static void expect_error_bits(const char *text, unsigned bits, const char *want) {
  ssa_weights out;
  memset(&out, 0xa5, sizeof out);  /* garbage: parse must not rely on it */
  ssa_error err = {{0}};
  assert_int_equal(parse_n(text, strlen(text), bits, &out, &err), -1);
  assert_string_equal(err.msg, want);
  assert_int_equal(out.count, 0);
  assert_null(out.layers);
  ssa_weights_free(&out);  /* harmless after a failure */
}

static void expect_error(const char *text, const char *want) { expect_error_bits(text, 8, want); }

static void assert_layer(const ssa_weight_layer *l, const char *name, unsigned rows,
                         unsigned cols, unsigned line, const int32_t *want) {
  assert_non_null(l);
  assert_string_equal(l->name, name);
  assert_int_equal(l->rows, rows);
  assert_int_equal(l->cols, cols);
  assert_int_equal(l->line, line);
  for (unsigned i = 0; i < rows * cols; i++)
    if (l->w[i] != want[i])
      fail_msg("layer %s row %u value %u: %d, expected %d", name, i / cols, i % cols, l->w[i],
               want[i]);
}

static void assert_weights_equal(const ssa_weights *a, const ssa_weights *b) {
  assert_int_equal(a->count, b->count);
  assert_int_equal(a->weight_bits, b->weight_bits);
  for (unsigned k = 0; k < a->count; k++) {
    const ssa_weight_layer *x = &a->layers[k], *y = &b->layers[k];
    assert_string_equal(x->name, y->name);
    assert_int_equal(x->rows, y->rows);
    assert_int_equal(x->cols, y->cols);
    assert_memory_equal(x->w, y->w, (size_t)x->rows * x->cols * sizeof *x->w);
  }
}

/* Writes w to memory; the caller frees the text. */
static char *write_text(const ssa_weights *w, const char *comment, size_t *len) {
  memory_text m;
  ssa_weights_write(memory_open(&m), w, comment);
  return memory_close(&m, len);
}

/* The example of docs/weights-format.md. */
static const char example[] =
    "# weights for a 3-input block (comment lines and blank lines are ignored)\n"
    "\n"
    "layer q 4 3          # 4 outputs, 3 inputs\n"
    "  1 -2  3\n"
    " -4  5 -6\n"
    "  0  0  1            # row 2: output 2\n"
    "  7 -8  2\n"
    "layer k 2 2\n"
    " 1 1\n"
    "-1 0\n";

/* ---- valid input ---- */

static void test_parse_example(void **state) {
  (void)state;
  ssa_weights w;
  parse_ok(example, 4, &w);
  assert_string_equal(w.path, "t.txt");
  assert_int_equal(w.weight_bits, 4);
  assert_int_equal(w.count, 2);
  static const int32_t q[] = {1, -2, 3, -4, 5, -6, 0, 0, 1, 7, -8, 2};
  static const int32_t k[] = {1, 1, -1, 0};
  assert_layer(&w.layers[0], "q", 4, 3, 3, q);
  assert_layer(&w.layers[1], "k", 2, 2, 8, k);
  /* w[o * cols + i] is the weight from input i to output o */
  assert_int_equal(w.layers[0].w[3 * 3 + 1], -8);
  ssa_weights_free(&w);
  assert_null(w.layers);
  assert_int_equal(w.count, 0);
  ssa_weights_free(&w);  /* twice is harmless */
}

static void test_parse_blanks_and_signs(void **state) {
  (void)state;
  ssa_weights w;
  /* tabs, CRLF, comments without a space, '+' and '-0', a name of every allowed character
   * class, and no newline at the end */
  parse_ok("\tlayer\tfc_1 2 3\t# first\r\n"
           "+1\t-0  +0#x\r\n"
           "\r\n"
           "   # only a comment\n"
           "-2 2\t\t-1 \t\r\n"
           "layer z 1 1\n"
           "1",
           3, &w);
  assert_int_equal(w.count, 2);
  static const int32_t fc[] = {1, 0, 0, -2, 2, -1};
  static const int32_t z[] = {1};
  assert_layer(&w.layers[0], "fc_1", 2, 3, 1, fc);
  assert_layer(&w.layers[1], "z", 1, 1, 6, z);
  ssa_weights_free(&w);
}

/* Names of 31 characters and layers of 4096 rows or columns are the largest accepted. */
static void test_largest_name_and_shape(void **state) {
  (void)state;
  static const char name31[] = "abcdefghijklmnopqrstuvwxyz_0123";
  assert_int_equal(strlen(name31), 31);
  size_t cap = 40000, n = 0;
  char *text = malloc(cap);
  assert_non_null(text);
  n += (size_t)snprintf(text + n, cap - n, "layer %s 1 4096\n", name31);
  for (unsigned c = 0; c < 4096; c++) n += (size_t)snprintf(text + n, cap - n, "%u ", c % 7);
  n += (size_t)snprintf(text + n, cap - n, "\nlayer tall 4096 1\n");
  for (unsigned r = 0; r < 4096; r++) n += (size_t)snprintf(text + n, cap - n, "-%u\n", r % 5);
  assert_true(n < cap);
  ssa_weights w;
  parse_ok(text, 8, &w);
  assert_int_equal(w.count, 2);
  assert_string_equal(w.layers[0].name, name31);
  assert_int_equal(w.layers[0].cols, 4096);
  assert_int_equal(w.layers[0].w[4095], 4095 % 7);
  assert_int_equal(w.layers[1].rows, 4096);
  assert_int_equal(w.layers[1].w[4095], -(4095 % 5));
  ssa_weights_free(&w);
  free(text);
}

/* ---- errors, each with its exact message ---- */

/* Text that must fail to parse as b-bit weights, with exactly `want`. */
typedef struct error_case {
  const char *text;
  unsigned bits;
  const char *want;
} error_case;

/* Each case: the input and the width, then the message it must give. */
static const error_case parse_errors[] = {
    /* values that are not integers */
    {"layer q 1 2\nx3 1\n", 8,
     "t.txt:2: bad value 'x3' in row, expected a signed decimal integer"},
    {"layer q 1 2\n1 1.5\n", 8,
     "t.txt:2: bad value '1.5' in row, expected a signed decimal integer"},
    {"layer q 1 2\n--2 1\n", 8,
     "t.txt:2: bad value '--2' in row, expected a signed decimal integer"},
    {"layer q 1 2\n1 -\n", 8,
     "t.txt:2: bad value '-' in row, expected a signed decimal integer"},
    {"layer q 1 2\n+ 1\n", 8,
     "t.txt:2: bad value '+' in row, expected a signed decimal integer"},
    {"layer q 1 2\n3- 1\n", 8,
     "t.txt:2: bad value '3-' in row, expected a signed decimal integer"},
    {"layer q 1 2\n1,2\n", 8,
     "t.txt:2: bad value '1,2' in row, expected a signed decimal integer"},
    /* a bad value is named even when the row has the wrong length too */
    {"layer q 1 3\n1 x\n", 8,
     "t.txt:2: bad value 'x' in row, expected a signed decimal integer"},
    /* a misspelt header inside a layer is a bad row, not the end of the layer */
    {"layer q 2 1\n1\nlayr k 1 1\n", 8,
     "t.txt:3: bad value 'layr' in row, expected a signed decimal integer"},
    /* unprintable bytes are shown as '?', long tokens are cut */
    {"layer q 1 1\n\x01\n", 8,
     "t.txt:2: bad value '?' in row, expected a signed decimal integer"},
    {"layer q 1 1\n1234567890abcdefghijklmnopqrstuvwxyz\n", 8,
     "t.txt:2: bad value '1234567890abcdefghijklmn...' in row, expected a signed decimal integer"},
    /* lines that are neither a layer line nor a row */
    {"layr q 1 1\n1\n", 8,
     "t.txt:1: unknown keyword 'layr', expected 'layer'"},
    {"Layer q 1 1\n1\n", 8,
     "t.txt:1: unknown keyword 'Layer', expected 'layer'"},
    {"layer q 1 1\n1\nlayers k 1 1\n", 8,
     "t.txt:3: unknown keyword 'layers', expected 'layer'"},
    {"# header\n1 2 3\n", 8,
     "t.txt:2: expected 'layer', found '1 2 3'"},
    {"layer q 1 1\n1\n-\n", 8,
     "t.txt:3: expected 'layer', found '-'"},
    {"layer q 1 1\n1\n_x 1\n", 8,
     "t.txt:3: expected 'layer', found '_x 1'"},
    /* layer lines */
    {"layer\n", 8,
     "t.txt:1: bad layer line, expected 'layer NAME ROWS COLS'"},
    {"layer q 1\n1\n", 8,
     "t.txt:1: bad layer line, expected 'layer NAME ROWS COLS'"},
    {"layer q 1 1 1\n1\n", 8,
     "t.txt:1: bad layer line, expected 'layer NAME ROWS COLS'"},
    {"layer q 1 1 # 1 1\n1\nlayer k 2\n", 8,
     "t.txt:3: bad layer line, expected 'layer NAME ROWS COLS'"},
    /* names */
    {"layer Q 1 1\n1\n", 8,
     "t.txt:1: bad layer name 'Q', expected 1 to 31 of a-z, 0-9 and _"},
    {"layer q-1 1 1\n1\n", 8,
     "t.txt:1: bad layer name 'q-1', expected 1 to 31 of a-z, 0-9 and _"},
    {"layer abcdefghijklmnopqrstuvwxyz_01234 1 1\n1\n", 8,
     "t.txt:1: bad layer name 'abcdefghijklmnopqrstuvwx...', expected 1 to 31 of a-z, 0-9 and _"},
    /* rows and cols: 1 to 4096, plain digits */
    {"layer q 0 3\n", 8,
     "t.txt:1: layer q: rows must be 1 to 4096, found '0'"},
    {"layer q 3 0\n", 8,
     "t.txt:1: layer q: cols must be 1 to 4096, found '0'"},
    {"layer q 4097 1\n", 8,
     "t.txt:1: layer q: rows must be 1 to 4096, found '4097'"},
    {"layer q 1 4097\n", 8,
     "t.txt:1: layer q: cols must be 1 to 4096, found '4097'"},
    {"layer q 1 -1\n", 8,
     "t.txt:1: layer q: cols must be 1 to 4096, found '-1'"},
    {"layer q +1 1\n", 8,
     "t.txt:1: layer q: rows must be 1 to 4096, found '+1'"},
    {"layer q 2x 1\n", 8,
     "t.txt:1: layer q: rows must be 1 to 4096, found '2x'"},
    /* a huge number never wraps around into the range */
    {"layer q 18446744073709551617 1\n", 8,
     "t.txt:1: layer q: rows must be 1 to 4096, found '18446744073709551617'"},
    {"layer q 1 4294967297\n", 8,
     "t.txt:1: layer q: cols must be 1 to 4096, found '4294967297'"},
    /* literals far beyond any integer type are out of range, never wrapped around into it */
    {"layer q 1 1\n18446744073709551616\n", 8,
     "t.txt:2: weight 18446744073709551616 out of range for --weight-bits 8 (-128 to 127)"},
    {"layer q 1 1\n-9223372036854775809\n", 8,
     "t.txt:2: weight -9223372036854775809 out of range for --weight-bits 8 (-128 to 127)"},
    /* 2^64 + 1 would be 1 after wrapping */
    {"layer q 1 1\n18446744073709551617\n", 16,
     "t.txt:2: weight 18446744073709551617 out of range for --weight-bits 16 (-32768 to 32767)"},
    {"layer q 1 1\n99999999999999999999999999999999999999\n", 8,
     "t.txt:2: weight 999999999999999999999999... out of range for --weight-bits 8 (-128 to 127)"},
    /* rows of the wrong length */
    {"layer q 2 3\n1 2 3\n1 2\n", 8,
     "t.txt:3: row has 2 values, expected 3"},
    {"layer q 2 3\n1 2 3 4\n", 8,
     "t.txt:2: row has 4 values, expected 3"},
    {"layer q 1 1\n1 1\n", 8,
     "t.txt:2: row has 2 values, expected 1"},
    /* a layer defined twice */
    {"layer q 1 1\n1\nlayer k 1 1\n2\n\nlayer q 1 1\n3\n", 8,
     "t.txt:6: layer q already defined at line 1"},
    {"# c\nlayer k 1 1\n2\nlayer k 2 2\n", 8,
     "t.txt:4: layer k already defined at line 2"},
    /* a layer cut short */
    {"layer q 4 1\n1\n2\n3\nlayer k 1 1\n1\n", 8,
     "t.txt:5: layer q ends after 3 of 4 rows"},
    {"layer q 2 1\nlayer k 1 1\n", 8,
     "t.txt:2: layer q ends after 0 of 2 rows"},
    /* end of file is the line after the last, with or without a final newline */
    {"layer q 4 3\n1 2 3\n1 2 3\n1 2 3\n", 8,
     "t.txt:5: end of file: layer q ends after 3 of 4 rows"},
    {"layer q 4 3\n1 2 3\n1 2 3\n1 2 3", 8,
     "t.txt:5: end of file: layer q ends after 3 of 4 rows"},
    {"layer q 1 1\n1\nlayer k 2 2\n# end\n", 8,
     "t.txt:5: end of file: layer k ends after 0 of 2 rows"},
    /* rows beyond a layer */
    {"layer q 1 2\n1 2\n3 4\n", 8,
     "t.txt:3: layer q has more than 1 rows"},
    /* an extra row of another length is still an extra row */
    {"layer q 1 2\n1 2\nlayer k 1 1\n1\n3 4 5\n", 8,
     "t.txt:5: layer k has more than 1 rows"},
    /* no layers at all */
    {"", 8,
     "t.txt:1: end of file: no layers"},
    {"# only\n\n# comments\n", 8,
     "t.txt:4: end of file: no layers"},
    {"  \r\n\t\n", 8,
     "t.txt:3: end of file: no layers"},
    /* the weight width asked for */
    {"layer q 1 1\n0\n", 1,
     "--weight-bits 1: expected 2 to 16"},
    {"layer q 1 1\n0\n", 17,
     "--weight-bits 17: expected 2 to 16"},
    {"layer q 1 1\n0\n", 0,
     "--weight-bits 0: expected 2 to 16"},
};

static void test_parse_errors(void **state) {
  (void)state;
  for (size_t k = 0; k < sizeof parse_errors / sizeof parse_errors[0]; k++)
    expect_error_bits(parse_errors[k].text, parse_errors[k].bits, parse_errors[k].want);
}

/* A NUL byte inside the text, which a literal would end at. */
static void test_parse_errors_built(void **state) {
  (void)state;
  static const char nul[] = "layer q 1 2\n1 2\0003\n";
  ssa_weights out;
  ssa_error err;
  assert_int_equal(parse_n(nul, sizeof nul - 1, 8, &out, &err), -1);
  assert_string_equal(err.msg,
                      "t.txt:2: bad value '2?3' in row, expected a signed decimal integer");
}

/* The range of b-bit weights, -2^(b-1) to 2^(b-1) - 1: both ends accepted, one beyond each
 * rejected, for the narrowest, a common, and the widest width. */
static void test_range_boundaries(void **state) {
  (void)state;
  static const unsigned widths[] = {2, 8, 16};
  for (unsigned k = 0; k < 3; k++) {
    unsigned b = widths[k];
    long lo = -(1L << (b - 1)), hi = (1L << (b - 1)) - 1;
    char text[100], want[200];
    snprintf(text, sizeof text, "layer q 1 2\n%ld %ld\n", lo, hi);
    ssa_weights w;
    parse_ok(text, b, &w);
    assert_int_equal(w.layers[0].w[0], lo);
    assert_int_equal(w.layers[0].w[1], hi);
    ssa_weights_free(&w);
    snprintf(text, sizeof text, "layer q 1 2\n%ld %ld\n", lo, hi + 1);
    snprintf(want, sizeof want, "t.txt:2: weight %ld out of range for --weight-bits %u (%ld to "
             "%ld)", hi + 1, b, lo, hi);
    expect_error_bits(text, b, want);
    snprintf(text, sizeof text, "layer q 1 2\n%ld %ld\n", lo - 1, hi);
    snprintf(want, sizeof want, "t.txt:2: weight %ld out of range for --weight-bits %u (%ld to "
             "%ld)", lo - 1, b, lo, hi);
    expect_error_bits(text, b, want);
  }
  expect_error("layer q 1 1\n200\n",
               "t.txt:2: weight 200 out of range for --weight-bits 8 (-128 to 127)");
  /* the literal is quoted as written */
  expect_error("layer q 1 1\n+0128\n",
               "t.txt:2: weight +0128 out of range for --weight-bits 8 (-128 to 127)");
}

/* Leading zeros are not magnitude. */
static void test_leading_zeros(void **state) {
  (void)state;
  ssa_weights w;
  parse_ok("layer q 1 2\n0000000000000000000000000000000000000127 -0000000000000000000000128\n",
           8, &w);
  assert_int_equal(w.layers[0].w[0], 127);
  assert_int_equal(w.layers[0].w[1], -128);
  ssa_weights_free(&w);
}

/* ---- lookup ---- */

static void test_find_and_expect(void **state) {
  (void)state;
  ssa_weights w;
  parse_ok(example, 8, &w);
  assert_ptr_equal(ssa_weights_find(&w, "k"), &w.layers[1]);
  assert_null(ssa_weights_find(&w, "v"));
  assert_null(ssa_weights_find(&w, ""));
  const ssa_weight_layer *l = NULL;
  ssa_error err = {{0}};
  assert_int_equal(ssa_weights_expect(&w, "q", 4, 3, "q, k", &l, &err), 0);
  assert_ptr_equal(l, &w.layers[0]);
  assert_int_equal(ssa_weights_expect(&w, "fc1", 4, 3, "q, k, v, o, fc1, fc2", &l, &err), -1);
  assert_null(l);
  assert_string_equal(err.msg, "t.txt: no layer 'fc1' (the block needs layers q, k, v, o, fc1, "
                               "fc2)");
  assert_int_equal(ssa_weights_expect(&w, "v", 4, 3, NULL, &l, &err), -1);
  assert_string_equal(err.msg, "t.txt: no layer 'v'");
  /* rows and columns are both checked, and not confused with each other */
  assert_int_equal(ssa_weights_expect(&w, "q", 4, 4, NULL, &l, &err), -1);
  assert_string_equal(err.msg, "t.txt:3: layer q is 4 x 3, the block needs 4 x 4");
  assert_int_equal(ssa_weights_expect(&w, "q", 3, 4, NULL, &l, &err), -1);
  assert_string_equal(err.msg, "t.txt:3: layer q is 4 x 3, the block needs 3 x 4");
  assert_int_equal(ssa_weights_expect(&w, "k", 2, 1, NULL, &l, &err), -1);
  assert_string_equal(err.msg, "t.txt:8: layer k is 2 x 2, the block needs 2 x 1");
  assert_null(l);
  ssa_weights_free(&w);
}

/* ---- writing ---- */

static void test_write_exact_text(void **state) {
  (void)state;
  ssa_weights w;
  parse_ok(example, 4, &w);
  size_t len;
  char *text = write_text(&w, "made by a test\n\nsecond line", &len);
  static const char body[] =
      "layer q 4 3\n1 -2 3\n-4 5 -6\n0 0 1\n7 -8 2\nlayer k 2 2\n1 1\n-1 0\n";
  char want[300];
  snprintf(want, sizeof want, "# made by a test\n#\n# second line\n%s", body);
  assert_string_equal(text, want);
  assert_int_equal(len, strlen(text));
  free(text);
  text = write_text(&w, NULL, &len);
  assert_string_equal(text, body);
  /* and it parses back to the same weights */
  ssa_weights back;
  parse_ok(text, 4, &back);
  assert_weights_equal(&w, &back);
  ssa_weights_free(&back);
  free(text);
  ssa_weights_free(&w);
}

/* ---- random layers ---- */

static const char *const names[] = {"q", "k", "v", "o", "fc1", "fc2"};
static const unsigned rows[] = {32, 32, 32, 32, 64, 32};
static const unsigned cols[] = {32, 32, 32, 32, 32, 64};

static void random_ok(ssa_weights *w, unsigned bits, uint64_t seed) {
  ssa_error err = {{0}};
  if (ssa_weights_random(w, bits, 6, names, rows, cols, seed, &err) != 0)
    fail_msg("random weights: %s", err.msg);
}

static void test_random_deterministic(void **state) {
  (void)state;
  ssa_weights a, b, c;
  random_ok(&a, 8, 7);
  random_ok(&b, 8, 7);
  random_ok(&c, 8, 8);
  assert_string_equal(a.path, "random weights (seed 7)");
  assert_weights_equal(&a, &b);
  /* the documented stream: the top 8 bits of splitmix64 draws from the seed, layer by layer */
  uint64_t s = 7;
  for (unsigned k = 0; k < 2; k++)
    for (unsigned i = 0; i < rows[k] * cols[k]; i++)
      assert_int_equal(a.layers[k].w[i], (int32_t)(ssa_splitmix64(&s) >> 56) - 128);
  /* another seed, other weights (equal layers would mean the seed is ignored) */
  unsigned same = 0, total = 0;
  for (unsigned k = 0; k < 6; k++)
    for (unsigned i = 0; i < rows[k] * cols[k]; i++, total++)
      same += a.layers[k].w[i] == c.layers[k].w[i];
  assert_true(same < total / 50);
  for (unsigned k = 0; k < 6; k++) {
    assert_string_equal(a.layers[k].name, names[k]);
    assert_int_equal(a.layers[k].rows, rows[k]);
    assert_int_equal(a.layers[k].cols, cols[k]);
    assert_int_equal(a.layers[k].line, 0);
  }
  ssa_weights_free(&a);
  ssa_weights_free(&b);
  ssa_weights_free(&c);
}

/* Every value in range, and with 10240 draws every value of a 2- or 8-bit range appears. */
static void test_random_range(void **state) {
  (void)state;
  static const unsigned widths[] = {2, 8, 16};
  for (unsigned k = 0; k < 3; k++) {
    unsigned b = widths[k];
    int32_t lo = -(1 << (b - 1)), hi = (1 << (b - 1)) - 1;
    ssa_weights w;
    random_ok(&w, b, 0);  /* seed 0 is an ordinary seed */
    assert_int_equal(w.weight_bits, b);
    static unsigned seen[1 << 16];
    memset(seen, 0, sizeof seen);
    int32_t min = hi, max = lo;
    for (unsigned l = 0; l < w.count; l++)
      for (unsigned i = 0; i < w.layers[l].rows * w.layers[l].cols; i++) {
        int32_t v = w.layers[l].w[i];
        assert_true(v >= lo && v <= hi);
        seen[v - lo]++;
        min = v < min ? v : min;
        max = v > max ? v : max;
      }
    if (b <= 8)
      for (int32_t v = lo; v <= hi; v++) assert_true(seen[v - lo] > 0);
    else
      assert_true(min < lo / 2 && max > hi / 2);
    ssa_weights_free(&w);
  }
}

static void test_random_round_trip(void **state) {
  (void)state;
  static const unsigned widths[] = {2, 8, 16};
  for (unsigned k = 0; k < 3; k++) {
    ssa_weights w, back;
    random_ok(&w, widths[k], 0x9e3779b97f4a7c15ull + k);
    size_t len;
    char *text = write_text(&w, "random weights\nseed 0x9e3779b97f4a7c15", &len);
    ssa_error err;
    if (ssa_weights_parse("mem", text, len, widths[k], &back, &err) != 0) fail_msg("%s", err.msg);
    assert_weights_equal(&w, &back);
    free(text);
    ssa_weights_free(&w);
    ssa_weights_free(&back);
  }
}

static void expect_random_error(unsigned bits, unsigned count, const char *const *n,
                                const unsigned *r, const unsigned *c, const char *want) {
  ssa_weights out;
  memset(&out, 0xa5, sizeof out);
  ssa_error err = {{0}};
  assert_int_equal(ssa_weights_random(&out, bits, count, n, r, c, 1, &err), -1);
  assert_string_equal(err.msg, want);
  assert_int_equal(out.count, 0);
  assert_null(out.layers);
}

static void test_random_errors(void **state) {
  (void)state;
  static const char *const bad[] = {"q", "K"}, *const twice[] = {"q", "k", "q"};
  static const unsigned one[] = {1, 1, 1}, zero[] = {1, 0, 1}, big[] = {1, 4097, 1};
  expect_random_error(1, 1, names, rows, cols, "--weight-bits 1: expected 2 to 16");
  expect_random_error(8, 0, names, rows, cols, "random weights: no layers");
  expect_random_error(8, 2, bad, one, one, "random weights: bad layer name 'K'");
  expect_random_error(8, 3, twice, one, one, "random weights: layer q given twice");
  expect_random_error(8, 2, names, one, zero, "random weights: layer k is 1 x 0, expected 1 to "
                                              "4096 each");
  expect_random_error(8, 2, names, big, one, "random weights: layer k is 4097 x 1, expected 1 "
                                             "to 4096 each");
  /* a random layer has no line; a wrong shape names the seed instead */
  ssa_weights w;
  random_ok(&w, 8, 7);
  const ssa_weight_layer *l;
  ssa_error err;
  assert_int_equal(ssa_weights_expect(&w, "fc1", 32, 32, NULL, &l, &err), -1);
  assert_string_equal(err.msg, "random weights (seed 7): layer fc1 is 64 x 32, the block needs "
                               "32 x 32");
  ssa_weights_free(&w);
}

/* ---- files ---- */

static void test_read_file(void **state) {
  (void)state;
  char path[] = "/tmp/ssa_test_weights_XXXXXX";
  FILE *f = temp_file(path);
  ssa_weights w, back;
  random_ok(&w, 8, 42);
  ssa_weights_write(f, &w, "file round trip");
  assert_int_equal(fclose(f), 0);
  ssa_error err;
  if (ssa_weights_read(path, 8, &back, &err) != 0) fail_msg("%s", err.msg);
  assert_string_equal(back.path, path);
  assert_weights_equal(&w, &back);
  ssa_weights_free(&back);
  /* errors name the path and line: line 1 is the comment, so row r of q is line 3 + r. Half
   * of the 8-bit draws lie outside the 7-bit range; the first of them is reported. */
  assert_int_equal(ssa_weights_read(path, 7, &back, &err), -1);
  assert_null(back.layers);
  const ssa_weight_layer *q = &w.layers[0];
  unsigned i = 0;
  while (i < q->rows * q->cols && q->w[i] >= -64 && q->w[i] <= 63) i++;
  assert_true(i < q->rows * q->cols);
  char want[400];
  snprintf(want, sizeof want, "%s:%u: weight %d out of range for --weight-bits 7 (-64 to 63)",
           path, 3 + i / q->cols, q->w[i]);
  assert_string_equal(err.msg, want);
  unlink(path);
  ssa_weights_free(&w);
}

static void test_read_missing_file(void **state) {
  (void)state;
  ssa_weights out;
  memset(&out, 0xa5, sizeof out);
  ssa_error err;
  const char *path = "/nonexistent-ssa-dir/weights.txt";
  assert_int_equal(ssa_weights_read(path, 8, &out, &err), -1);
  char want[200];
  snprintf(want, sizeof want, "%s: %s", path, strerror(ENOENT));
  assert_string_equal(err.msg, want);
  assert_null(out.layers);
  assert_int_equal(out.count, 0);
  ssa_weights_free(&out);
}

/* ---- adversarial input ---- */

/* 20000 mutations of a valid file (bytes replaced, inserted, deleted, the end cut off) with
 * random widths: each parse succeeds with in-range values or fails with one line naming the
 * file and a line. Run under the sanitizers, this is the never-crash check. */
static void test_mutations(void **state) {
  (void)state;
  static const char alphabet[] = "0123456789+-# \t\r\n\0lxyaeQ_.,\x01\xff";
  const size_t base = sizeof example - 1;
  char buf[sizeof example + 64];
  uint64_t s = 12345;
  unsigned ok = 0;
  for (unsigned iter = 0; iter < 20000; iter++) {
    memcpy(buf, example, base);
    size_t n = base;
    unsigned edits = 1 + (unsigned)(ssa_splitmix64(&s) % 4);
    for (unsigned e = 0; e < edits; e++) {
      uint64_t r = ssa_splitmix64(&s);
      size_t at = (size_t)(r >> 8) % (n + 1);
      char c = alphabet[(r >> 40) % (sizeof alphabet - 1)];
      if (r % 4 == 0 && at < n) {  /* replace */
        buf[at] = c;
      } else if (r % 4 == 1 && n < sizeof buf) {  /* insert */
        memmove(buf + at + 1, buf + at, n - at);
        buf[at] = c;
        n++;
      } else if (r % 4 == 2 && at < n) {  /* delete */
        memmove(buf + at, buf + at + 1, n - at - 1);
        n--;
      } else if (r % 16 == 3) {  /* cut */
        n = at;
      }
    }
    unsigned bits = 2 + (unsigned)(ssa_splitmix64(&s) % 15);
    ssa_weights w;
    ssa_error err = {{0}};
    if (parse_n(buf, n, bits, &w, &err) == 0) {
      ok++;
      assert_true(w.count > 0);
      for (unsigned k = 0; k < w.count; k++)
        for (unsigned i = 0; i < w.layers[k].rows * w.layers[k].cols; i++)
          assert_true(w.layers[k].w[i] >= -(1 << (bits - 1)) &&
                      w.layers[k].w[i] < (1 << (bits - 1)));
      ssa_weights_free(&w);
    } else {
      assert_null(w.layers);
      if (strncmp(err.msg, "t.txt:", 6) != 0 || strchr(err.msg, '\n') != NULL)
        fail_msg("iteration %u: bad message \"%s\"", iter, err.msg);
    }
  }
  /* both outcomes were exercised */
  assert_true(ok > 100 && ok < 19000);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_parse_example),
      cmocka_unit_test(test_parse_blanks_and_signs),
      cmocka_unit_test(test_largest_name_and_shape),
      cmocka_unit_test(test_parse_errors),
      cmocka_unit_test(test_parse_errors_built),
      cmocka_unit_test(test_range_boundaries),
      cmocka_unit_test(test_leading_zeros),
      cmocka_unit_test(test_find_and_expect),
      cmocka_unit_test(test_write_exact_text),
      cmocka_unit_test(test_random_deterministic),
      cmocka_unit_test(test_random_range),
      cmocka_unit_test(test_random_round_trip),
      cmocka_unit_test(test_random_errors),
      cmocka_unit_test(test_read_file),
      cmocka_unit_test(test_read_missing_file),
      cmocka_unit_test(test_mutations),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
