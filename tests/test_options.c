/* test_options.c -- option tables (core/options.h): parsing with ranges, powers of two and
 * choices, required options, refused options, the regeneration line and the --help text. The
 * expected strings are written out by hand from the table below. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "../core/options.h"

typedef struct toy {
  unsigned size;
  uint64_t seed;
  int64_t level;
  int mode;
  const char *file;
  const char *name;
} toy;

static const char *const modes[] = {"fast", "exact", "lazy", NULL};

static int mode_is_exact(const void *params) { return ((const toy *)params)->mode == 1; }

static const ssa_option table[] = {
    {.name = "--size", .metavar = "N", .type = SSA_OPTION_UNSIGNED, .offset = offsetof(toy, size),
     .min = 2, .max = 64, .flags = SSA_OPTION_POW2, .def = 8, .help = "points"},
    {.name = "--seed", .metavar = "S", .type = SSA_OPTION_U64, .offset = offsetof(toy, seed),
     .min = 0, .max = UINT64_MAX, .def = 1, .help = "seed"},
    {.name = "--mode", .metavar = "M", .type = SSA_OPTION_CHOICE, .offset = offsetof(toy, mode),
     .choices = modes, .def = 0, .help = "how"},
    {.name = "--level", .metavar = "L", .type = SSA_OPTION_I64, .offset = offsetof(toy, level),
     .min = 1, .max = 100, .def = 5, .help = "level", .in_line = mode_is_exact},
    {.name = "--file", .metavar = "FILE", .type = SSA_OPTION_STRING, .offset = offsetof(toy, file),
     .flags = SSA_OPTION_REQUIRED, .help = "input"},
    {.name = "--name", .metavar = "NAME", .type = SSA_OPTION_STRING, .offset = offsetof(toy, name),
     .flags = SSA_OPTION_LINE_IF_SET, .def_text = "the first", .help = "which one"},
    {.name = "--old", .type = SSA_OPTION_REFUSED, .help = "gone; use --mode"},
    {0}};

/* Parses argv (NULL-terminated) into t from the defaults; the last status of the parse. */
static int parse(toy *t, const char **argv, ssa_error *err) {
  int argc = 0;
  while (argv[argc] != NULL) argc++;
  ssa_cli c;
  ssa_cli_init(&c, argc, (char **)argv, "toy");
  memset(t, 0xa5, sizeof *t);
  ssa_options_defaults(table, t);
  for (const char *opt; (opt = ssa_cli_next(&c)) != NULL;) {
    int rc = ssa_options_parse(table, &c, opt, t, err);
    if (rc <= 0) return rc;
  }
  return 1;
}

/* The defaults alone (a command line with no options). */
static void parse_defaults(toy *t) {
  ssa_error err = {{0}};
  const char *none[] = {NULL};
  assert_int_equal(parse(t, none, &err), 1);
}

static void defaults_and_values(void **state) {
  (void)state;
  toy t;
  ssa_error err = {{0}};
  parse_defaults(&t);
  assert_int_equal(t.size, 8);
  assert_int_equal(t.seed, 1);
  assert_int_equal(t.mode, 0);
  assert_int_equal(t.level, 5);
  assert_null(t.file);
  assert_null(t.name);
  const char *all[] = {"--size", "64", "--seed", "18446744073709551615", "--mode=lazy",
                       "--level", "100", "--file", "a.txt", "--name", "b", NULL};
  assert_int_equal(parse(&t, all, &err), 1);
  assert_int_equal(t.size, 64);
  assert_true(t.seed == UINT64_MAX);
  assert_int_equal(t.mode, 2);
  assert_int_equal(t.level, 100);
  assert_string_equal(t.file, "a.txt");
  assert_string_equal(t.name, "b");
  const char *unknown[] = {"--bogus", NULL};
  assert_int_equal(parse(&t, unknown, &err), 0);
}

static void bad_values_name_the_range(void **state) {
  (void)state;
  static const struct {
    const char *opt, *value, *message;
  } cases[] = {
      {"--size", "1", "--size 1: must be a power of two from 2 to 64"},    /* below the range */
      {"--size", "128", "--size 128: must be a power of two from 2 to 64"}, /* above it */
      {"--size", "12", "--size 12: must be a power of two from 2 to 64"},  /* not a power */
      {"--size", "0x10x", "--size 0x10x: not a number"},
      {"--size", "-4", "--size -4: must not be negative"},
      /* decimal only: 0x10 would be 16 and 010 octal 8, both in range */
      {"--size", "0x10", "--size 0x10: not a number"},
      {"--size", "010", "--size 010: must be a power of two from 2 to 64"},
      {"--size", "+4", "--size +4: not a number"},
      /* the value as typed, not wrapped into the field */
      {"--size", "4294967304", "--size 4294967304: must be a power of two from 2 to 64"},
      {"--seed", "18446744073709551616", "--seed 18446744073709551616: larger than 18446744073709551615"},
      /* an option where a value should be */
      {"--file", "--name", "--file needs a value, not the option '--name' (write "
                           "--file=--name for a value that starts with --)"},
      {"--level", "0", "--level 0: must be from 1 to 100"},
      {"--level", "101", "--level 101: must be from 1 to 100"},
      {"--mode", "slow", "--mode slow: must be fast, exact or lazy"},
      {"--old", "1", "--old: gone; use --mode"},
  };
  for (unsigned k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    toy t;
    ssa_error err = {{0}};
    const char *argv[] = {cases[k].opt, cases[k].value, NULL};
    assert_int_equal(parse(&t, argv, &err), -1);
    if (strcmp(err.msg, cases[k].message) != 0)
      fail_msg("%s %s: '%s', wanted '%s'", cases[k].opt, cases[k].value, err.msg, cases[k].message);
  }
  toy t;
  ssa_error err = {{0}};
  const char *missing[] = {"--size", NULL};
  assert_int_equal(parse(&t, missing, &err), -1);
  assert_string_equal(err.msg, "--size needs a value (see 'ssa toy --help')");
  /* written inline, a value may start with -- */
  const char *dashes[] = {"--file=--name", NULL};
  assert_int_equal(parse(&t, dashes, &err), 1);
  assert_string_equal(t.file, "--name");
}

static void required_options(void **state) {
  (void)state;
  toy t;
  ssa_error err = {{0}};
  parse_defaults(&t);
  assert_int_equal(ssa_options_check_required(table, &t, &err), -1);
  assert_string_equal(err.msg, "--file FILE is required");
  const char *given[] = {"--file", "x", NULL};
  assert_int_equal(parse(&t, given, &err), 1);
  assert_int_equal(ssa_options_check_required(table, &t, &err), 0);
}

static void regeneration_line(void **state) {
  (void)state;
  toy t;
  ssa_error err = {{0}};
  char line[256];
  /* --level only with --mode exact; --name only when given; --old never */
  const char *a[] = {"--file", "in.txt", NULL};
  assert_int_equal(parse(&t, a, &err), 1);
  ssa_options_line(table, &t, line, sizeof line);
  assert_string_equal(line, "--size 8 --seed 1 --mode fast --file in.txt");
  const char *b[] = {"--file", "in.txt", "--mode", "exact", "--name", "n", "--seed", "7", NULL};
  assert_int_equal(parse(&t, b, &err), 1);
  ssa_options_line(table, &t, line, sizeof line);
  assert_string_equal(line, "--size 8 --seed 7 --mode exact --level 5 --file in.txt --name n");
  /* the line parses back to the same values */
  toy again;
  char copy[256];
  memcpy(copy, line, sizeof copy);
  const char *words[16];
  unsigned n = 0;
  for (char *save = NULL, *w = strtok_r(copy, " ", &save); w != NULL; w = strtok_r(NULL, " ", &save))
    words[n++] = w;
  words[n] = NULL;
  assert_int_equal(parse(&again, words, &err), 1);
  assert_int_equal(again.seed, 7);
  assert_int_equal(again.mode, 1);
  assert_string_equal(again.name, "n");
}

static void help_text(void **state) {
  (void)state;
  char *help = ssa_options_help(table);
  assert_non_null(help);
  assert_string_equal(help,
                      "  --size N          points, a power of two from 2 to 64 (default 8)\n"
                      "  --seed S          seed, from 0 to 2^64 - 1 (default 1)\n"
                      "  --mode M          how: fast, exact or lazy (default fast)\n"
                      "  --level L         level, from 1 to 100 (default 5)\n"
                      "  --file FILE       input (required)\n"
                      "  --name NAME       which one (default the first)\n");
  free(help);
}

static void help_wraps_at_90_columns(void **state) {
  (void)state;
  static const ssa_option wide[] = {
      {.name = "--a-very-long-option-name", .metavar = "VALUE", .type = SSA_OPTION_UNSIGNED,
       .offset = 0, .min = 0, .max = 9, .def = 0,
       .help = "a description long enough that it cannot fit on one line of ninety columns and "
               "so must continue on a second line under the first"},
      {0}};
  char *help = ssa_options_help(wide);
  assert_non_null(help);
  unsigned lines = 0;
  for (char *line = help; *line != '\0'; lines++) {
    char *end = strchr(line, '\n');
    assert_non_null(end);
    if (end - line > 90) fail_msg("line of %d columns: %.*s", (int)(end - line), (int)(end - line), line);
    /* the name alone on the first line, then the text indented by 20 */
    if (lines == 0) assert_true(strncmp(line, "  --a-very-long-option-name VALUE\n", 34) == 0);
    else assert_true(strncmp(line, "                    ", 20) == 0 && line[20] != ' ');
    line = end + 1;
  }
  assert_int_equal(lines, 4);  /* the name, then 153 characters of text at 70 a line */
  free(help);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(defaults_and_values),       cmocka_unit_test(bad_values_name_the_range),
      cmocka_unit_test(required_options),          cmocka_unit_test(regeneration_line),
      cmocka_unit_test(help_text),                 cmocka_unit_test(help_wraps_at_90_columns),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
