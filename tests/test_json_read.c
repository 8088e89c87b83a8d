/* test_json_read.c -- common/json_read.h, the strict JSON reader: values, escapes and nesting
 * decoded as RFC 8259 says (expected values typed from the RFC, not from the reader), and every
 * malformed text refused with the line it is on. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "../common/json_read.h"

static void parse_ok(const char *text, ssa_json_value *v) {
  ssa_error err;
  if (ssa_json_parse("t.json", text, v, &err) != 0) fail_msg("%s: %s", text, err.msg);
}

static void scalars(void **state) {
  (void)state;
  ssa_json_value v;
  parse_ok(" -12.5e1 ", &v);
  assert_int_equal(v.type, SSA_JSON_NUMBER);
  assert_true(v.number == -125.0);
  ssa_json_value_free(&v);
  parse_ok("0", &v);
  assert_true(v.type == SSA_JSON_NUMBER && v.number == 0.0);
  ssa_json_value_free(&v);
  parse_ok("true", &v);
  assert_int_equal(v.type, SSA_JSON_TRUE);
  ssa_json_value_free(&v);
  parse_ok("\n\tnull\r\n", &v);
  assert_int_equal(v.type, SSA_JSON_NULL);
  ssa_json_value_free(&v);
}

/* RFC 8259 section 7: the two-character escapes, \u of the BMP as UTF-8, and a surrogate pair
 * (U+1D11E, the RFC's own example, is F0 9D 84 9E in UTF-8). */
static void strings(void **state) {
  (void)state;
  ssa_json_value v;
  parse_ok("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\te\"", &v);
  assert_int_equal(v.type, SSA_JSON_STRING);
  assert_string_equal(v.string, "a\"b\\c/d\b\f\n\r\te");
  ssa_json_value_free(&v);
  parse_ok("\"\\u00e9\\u20AC\\uD834\\uDD1E\"", &v);
  assert_string_equal(v.string, "\xc3\xa9\xe2\x82\xac\xf0\x9d\x84\x9e");
  ssa_json_value_free(&v);
}

static void nesting_and_lookup(void **state) {
  (void)state;
  ssa_json_value v;
  parse_ok("{\"points\": [{\"name\": \"sc_unit\", \"err\": 0.031}, {}, []],\n \"n\": 16,"
           " \"empty\": {}}", &v);
  assert_int_equal(v.type, SSA_JSON_OBJECT);
  assert_int_equal(v.count, 3);
  const ssa_json_value *points = ssa_json_get(&v, "points");
  assert_non_null(points);
  assert_int_equal(points->type, SSA_JSON_ARRAY);
  assert_int_equal(points->count, 3);
  assert_string_equal(ssa_json_get_string(&points->items[0], "name", "?"), "sc_unit");
  assert_true(ssa_json_get_number(&points->items[0], "err", NAN) == 0.031);
  assert_int_equal(points->items[1].type, SSA_JSON_OBJECT);
  assert_int_equal(points->items[1].count, 0);
  assert_int_equal(points->items[2].type, SSA_JSON_ARRAY);
  assert_true(ssa_json_get_number(&v, "n", 0) == 16);
  /* missing members and members of another type give the fallback */
  assert_null(ssa_json_get(&v, "nope"));
  assert_true(ssa_json_get_number(&v, "points", -1) == -1);
  assert_string_equal(ssa_json_get_string(&v, "n", "fallback"), "fallback");
  assert_null(ssa_json_get(points, "name"));   /* not an object */
  ssa_json_value_free(&v);
}

/* Each malformed text: refused, the message naming the file and line, the value left empty. */
static void malformed(void **state) {
  (void)state;
  static const struct {
    const char *text, *message;
  } cases[] = {
      {"", "t.json:1: unexpected end"},
      {"[1, 2,\n]", "t.json:2: expected a value"},
      {"{\"a\" 1}", "t.json:1: expected ':'"},
      {"{\"a\": 1\n\n \"b\": 2}", "t.json:3: expected ',' or '}'"},
      {"[1 2]", "t.json:1: expected ',' or ']'"},
      {"{1: 2}", "t.json:1: expected a key"},
      {"01", "t.json:1: text after the value"},
      {"1.", "t.json:1: expected a digit"},
      {"-", "t.json:1: expected a digit"},
      {"1e+", "t.json:1: expected a digit"},
      {".5", "t.json:1: expected a value"},
      {"\"abc", "t.json:1: unterminated string"},
      {"\"a\nb\"", "t.json:1: control character in a string"},
      {"\"\\x\"", "t.json:1: bad escape in a string"},
      {"\"\\u12g4\"", "t.json:1: bad \\u escape"},
      {"[true] x", "t.json:1: text after the value"},
      {"nul", "t.json:1: expected a value"},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    ssa_json_value v;
    ssa_error err;
    if (ssa_json_parse("t.json", cases[k].text, &v, &err) == 0)
      fail_msg("accepted: %s", cases[k].text);
    if (strcmp(err.msg, cases[k].message) != 0)
      fail_msg("%s: said \"%s\", want \"%s\"", cases[k].text, err.msg, cases[k].message);
    assert_int_equal(v.count, 0);
    assert_null(v.items);
  }
}

/* 64 levels are read, the 66th is refused (MAX_DEPTH: the outermost value is depth 0). */
static void depth_limit(void **state) {
  (void)state;
  char text[200];
  for (unsigned levels = 65; levels <= 66; levels++) {
    memset(text, '[', levels);
    memset(text + levels, ']', levels);
    text[2 * levels] = '\0';
    ssa_json_value v;
    ssa_error err;
    int rc = ssa_json_parse("t.json", text, &v, &err);
    if (levels == 65) {
      assert_int_equal(rc, 0);
      ssa_json_value_free(&v);
    } else {
      assert_int_equal(rc, -1);
      assert_string_equal(err.msg, "t.json:1: nested too deeply");
    }
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(scalars),
      cmocka_unit_test(strings),
      cmocka_unit_test(nesting_and_lookup),
      cmocka_unit_test(malformed),
      cmocka_unit_test(depth_limit),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
