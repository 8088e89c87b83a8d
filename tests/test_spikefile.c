/* test_spikefile.c -- the spike text format: parsing exact bits, every error message with its
 * line number, write/parse round trips, the --summary counts, reading files, and the growth of
 * step containers. */
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

#include "../core/spikefile.h"
#include "textio.h"

/* Asserts that block m holds exactly the rows given as '0'/'1' strings. */
static void assert_block(const ssa_bitmat *m, unsigned rows, const char *const *want) {
  for (unsigned r = 0; r < rows; r++) {
    assert_int_equal(strlen(want[r]), m->cols);
    for (unsigned c = 0; c < m->cols; c++) {
      if (ssa_bitmat_get(m, r, c) != want[r][c] - '0')
        fail_msg("row %u column %u: expected %c", r, c, want[r][c]);
    }
  }
}

static int parse(const char *text, const char *blocks, unsigned rows, unsigned cols,
                 ssa_spike_steps *out, ssa_error *err) {
  return ssa_spikes_parse("t.txt", text, strlen(text), blocks, rows, cols, out, err);
}

static void parse_ok(const char *text, const char *blocks, unsigned rows, unsigned cols,
                     ssa_spike_steps *out) {
  ssa_error err = {{0}};
  if (parse(text, blocks, rows, cols, out, &err) != 0) fail_msg("parse failed: %s", err.msg);
}

/* Parses text that must fail with exactly `want`, leaving `out` empty. */
static void expect_error(const char *text, const char *blocks, unsigned rows, unsigned cols,
                         const char *want) {
  ssa_spike_steps out;
  memset(&out, 0xa5, sizeof out);  /* garbage: parse must not rely on it */
  ssa_error err = {{0}};
  assert_int_equal(parse(text, blocks, rows, cols, &out, &err), -1);
  assert_string_equal(err.msg, want);
  assert_int_equal(out.steps, 0);
  assert_null(out.mats);
}

/* ---- valid input ---- */

static void test_multi_step_with_comments(void **state) {
  (void)state;
  static const char text[] =
      "# stimulus for a 2-token, 3-column block\n"
      "\n"
      "step 0   # first step\n"
      "Q\n"
      "011\n"
      "100 \t\r\n"
      "K # keys\n"
      "   \n"
      "111\n"
      "000\n"
      "V\n"
      "001\n"
      "010\n"
      "#step 9 is a comment, not a step\n"
      "step 1\r\n"
      "Q\r\n"
      "000\r\n"
      "001\r\n"
      "K\n"
      "110#trailing comment\n"
      "101\n"
      "V\n"
      "100\n"
      "011";  /* no newline at the end */
  ssa_spike_steps s;
  parse_ok(text, "QKV", 2, 3, &s);
  assert_int_equal(s.steps, 2);
  assert_int_equal(s.block_count, 3);
  assert_string_equal(s.blocks, "QKV");
  assert_int_equal(s.rows, 2);
  assert_int_equal(s.cols, 3);
  static const char *const want[2][3][2] = {
      {{"011", "100"}, {"111", "000"}, {"001", "010"}},
      {{"000", "001"}, {"110", "101"}, {"100", "011"}},
  };
  for (unsigned t = 0; t < 2; t++)
    for (unsigned b = 0; b < 3; b++) assert_block(ssa_spike_block(&s, t, b), 2, want[t][b]);
  /* column 0 is the leftmost character */
  assert_int_equal(ssa_bitmat_get(ssa_spike_block(&s, 0, 0), 0, 0), 0);
  assert_int_equal(ssa_bitmat_get(ssa_spike_block(&s, 0, 0), 0, 2), 1);
  assert_int_equal(ssa_bitmat_get(ssa_spike_block(&s, 0, 0), 1, 0), 1);
  ssa_spike_steps_free(&s);
  assert_null(s.mats);
  assert_int_equal(s.steps, 0);
}

static void test_single_step(void **state) {
  (void)state;
  ssa_spike_steps s;
  parse_ok("step 0\nO\n1\n0\n1\n", "O", 3, 1, &s);
  assert_int_equal(s.steps, 1);
  assert_int_equal(s.block_count, 1);
  static const char *const want[] = {"1", "0", "1"};
  assert_block(ssa_spike_block(&s, 0, 0), 3, want);
  ssa_spike_steps_free(&s);
  /* tabs separate the step number too */
  parse_ok("step\t0\nQ\n1\n", "Q", 1, 1, &s);
  assert_int_equal(s.steps, 1);
  ssa_spike_steps_free(&s);
}

/* Rows wider than a word: 130 columns span three words, the last holding two bits. */
static void test_rows_across_words(void **state) {
  (void)state;
  char row0[131], row1[131], text[400];
  for (unsigned c = 0; c < 130; c++) {
    row0[c] = c == 0 || c == 63 || c == 64 || c == 127 || c == 128 || c == 129 ? '1' : '0';
    row1[c] = c % 3 == 0 ? '1' : '0';
  }
  row0[130] = row1[130] = '\0';
  snprintf(text, sizeof text, "step 0\nA\n%s\n%s\n", row0, row1);
  ssa_spike_steps s;
  parse_ok(text, "A", 2, 130, &s);
  const char *const want[] = {row0, row1};
  const ssa_bitmat *m = ssa_spike_block(&s, 0, 0);
  assert_block(m, 2, want);
  assert_int_equal(m->w[0], 0x8000000000000001ull);
  assert_int_equal(m->w[1], 0x8000000000000001ull);
  assert_int_equal(m->w[2], 0x3ull);  /* nothing above column 129 */
  ssa_spike_steps_free(&s);
}

/* ---- errors, each with its exact message ---- */

/* Text that must fail to parse as blocks of rows x cols, with exactly `want`. */
typedef struct error_case {
  const char *text, *blocks;
  unsigned rows, cols;
  const char *want;
} error_case;

/* Each case: the input, then the message it must give. */
static const error_case parse_errors[] = {
    /* rows of the wrong length */
    {"step 0\nQ\n0101\n0101\nK\n0101\n011\n", "QK", 2, 4,
     "t.txt:7: row has 3 characters, expected 4"},
    {"step 0\nQ\n01010\n", "Q", 2, 4,
     "t.txt:3: row has 5 characters, expected 4"},
    /* characters other than '0' and '1' in a row */
    {"step 0\nQ\n01x1\n", "Q", 1, 4,
     "t.txt:3: bad character 'x' in row, expected '0' or '1'"},
    /* a bad character is named even when the length is wrong too */
    {"step 0\nQ\n0 1\n", "Q", 1, 4,
     "t.txt:3: bad character ' ' in row, expected '0' or '1'"},
    {"step 0\nQ\n01\t1\n", "Q", 1, 4,
     "t.txt:3: bad byte 0x09 in row, expected '0' or '1'"},
    /* a capital that is not a block letter is a bad row, not the end of the block */
    {"step 0\nQ\n1\nX\n", "Q", 2, 1,
     "t.txt:4: bad character 'X' in row, expected '0' or '1'"},
    /* a block missing */
    {"step 0\nQ\n01\nK\n10\nstep 1\n", "QKV", 1, 2,
     "t.txt:6: step 0 has no block V"},
    {"step 0\nstep 1\n", "QKV", 1, 2,
     "t.txt:2: step 0 has no block Q"},
    /* end of file is the line after the last; 5 lines here, with or without a final newline */
    {"step 0\nQ\n01\nK\n10\n", "QKV", 1, 2,
     "t.txt:6: end of file: step 0 has no block V"},
    {"step 0\nQ\n01\nK\n10", "QKV", 1, 2,
     "t.txt:6: end of file: step 0 has no block V"},
    {"step 0\n# nothing\n", "QKV", 1, 2,
     "t.txt:3: end of file: step 0 has no block Q"},
    /* blocks out of order, repeated or unknown */
    {"step 0\nQ\n01\nV\n10\n", "QKV", 1, 2,
     "t.txt:4: block V out of order in step 0, expected block K"},
    {"step 0\nK\n01\n", "QKV", 1, 2,
     "t.txt:2: block K out of order in step 0, expected block Q"},
    {"step 0\nQ\n01\nQ\n10\n", "QKV", 1, 2,
     "t.txt:4: step 0 has block Q twice"},
    /* a whole step repeated without its step line */
    {"step 0\nQ\n01\nK\n10\nQ\n", "QK", 1, 2,
     "t.txt:6: step 0 has block Q twice"},
    {"step 0\nQ\n01\nX\n", "QKV", 1, 2,
     "t.txt:4: unknown block X (blocks are QKV)"},
    {"step 0\nQ\n01\nO\n", "Q", 1, 2,
     "t.txt:4: unknown block O (blocks are Q)"},
    {"step 0\n01\n", "QKV", 1, 2,
     "t.txt:2: expected block Q, found '01'"},
    {"step 0\nQ\n01\nkeys\n", "QKV", 1, 2,
     "t.txt:4: expected block K, found 'keys'"},
    /* a step cut short */
    {"step 0\nQ\n0\n1\n0\nK\n1\nstep 1\n", "QK", 3, 1,
     "t.txt:8: step 0 ends after 1 of 3 rows of K"},
    {"step 0\nQ\n0\n1\nK\n", "QK", 3, 1,
     "t.txt:5: step 0 ends after 2 of 3 rows of Q"},
    {"step 0\nQ\nK\n", "QK", 3, 1,
     "t.txt:3: step 0 ends after 0 of 3 rows of Q"},
    {"step 0\nQ\n0\n1\n0\nK\n1\n0\n1\nstep 1\nQ\n1\n1\n1\nK\n0\n0\n0\nstep 2\nQ\n1\n", "QK", 3, 1,
     "t.txt:22: end of file: step 2 ends after 1 of 3 rows of Q"},
    /* rows beyond a block */
    {"step 0\nQ\n01\n10\nK\n01\n", "QK", 1, 2,
     "t.txt:4: step 0 has more than 1 rows of Q"},
    {"step 0\nQ\n01\nK\n01\n11\n", "QK", 1, 2,
     "t.txt:6: step 0 has more than 1 rows of K"},
    /* an extra row of another length is still an extra row */
    {"step 0\nQ\n01\nK\n01\n111\n", "QK", 1, 2,
     "t.txt:6: step 0 has more than 1 rows of K"},
    {"step 0\nQ\n01\nhello\n", "Q", 1, 2,
     "t.txt:4: expected 'step 1' or end of file, found 'hello'"},
    /* long lines are cut in messages, unprintable bytes shown as '?' */
    {"step 0\nQ\n01\nabcdefghijklmnopqrstuvwxyz\n", "Q", 1, 2,
     "t.txt:4: expected 'step 1' or end of file, found 'abcdefghijklmnopqrstuvwx...'"},
    {"step 0\nQ\n01\na\x01z\n", "Q", 1, 2,
     "t.txt:4: expected 'step 1' or end of file, found 'a?z'"},
    /* step numbers */
    {"step 0\nQ\n1\nstep 3\nQ\n1\n", "Q", 1, 1,
     "t.txt:4: expected step 1, found step 3"},
    {"step 0\nQ\n1\nstep 0\nQ\n1\n", "Q", 1, 1,
     "t.txt:4: expected step 1, found step 0"},
    {"step 1\nQ\n1\n", "Q", 1, 1,
     "t.txt:1: expected step 0, found step 1"},
    /* a number beyond unsigned int never wraps around to a match */
    {"step 4294967296\nQ\n1\n", "Q", 1, 1,
     "t.txt:1: expected step 0, found step 4294967296"},
    {"step 0000000000000000000000000000000\nQ\n1\nstep 1\nQ\n1\nstep x\n", "Q", 1, 1,
     "t.txt:7: bad step line, expected 'step 2'"},
    {"step\n", "Q", 1, 1,
     "t.txt:1: bad step line, expected 'step 0'"},
    {"step -1\n", "Q", 1, 1,
     "t.txt:1: bad step line, expected 'step 0'"},
    {"step 0 1\n", "Q", 1, 1,
     "t.txt:1: bad step line, expected 'step 0'"},
    /* content before the first step */
    {"# header\nQ\nstep 0\nQ\n1\n", "Q", 1, 1,
     "t.txt:2: content before the first 'step' line"},
    {"\n1\n", "Q", 1, 1,
     "t.txt:2: content before the first 'step' line"},
    {"steps 0\n", "Q", 1, 1,
     "t.txt:1: content before the first 'step' line"},
    {" step 0\n", "Q", 1, 1,
     "t.txt:1: content before the first 'step' line"},
    /* no steps at all */
    {"", "QKV", 1, 1,
     "t.txt:1: end of file: no steps"},
    {"# only\n\n# comments\n", "QKV", 1, 1,
     "t.txt:4: end of file: no steps"},
    {"  \r\n", "QKV", 1, 1,
     "t.txt:2: end of file: no steps"},
    /* the blocks asked for */
    {"step 0\n", "", 1, 1,
     "spike blocks \"\": expected 1 to 4 block letters"},
    {"step 0\n", "ABCDE", 1, 1,
     "spike blocks \"ABCDE\": expected 1 to 4 block letters"},
    {"step 0\n", "QQ", 1, 1,
     "spike blocks \"QQ\": block letters must be distinct capitals A-Z"},
    {"step 0\n", "q", 1, 1,
     "spike blocks \"q\": block letters must be distinct capitals A-Z"},
    {"step 0\n", "Q", 0, 4,
     "spike blocks of 0 x 4: need at least one row and one column"},
    {"step 0\n", "Q", 4, 0,
     "spike blocks of 4 x 0: need at least one row and one column"},
};

static void test_parse_errors(void **state) {
  (void)state;
  for (size_t k = 0; k < sizeof parse_errors / sizeof parse_errors[0]; k++) {
    const error_case *c = &parse_errors[k];
    expect_error(c->text, c->blocks, c->rows, c->cols, c->want);
  }
}

/* Input a literal does not show well: a bad character in the second word of a wide row, a NUL
 * byte inside the text. */
static void test_parse_errors_built(void **state) {
  (void)state;
  char text[200];
  snprintf(text, sizeof text, "step 0\nQ\n%070d2\n", 0);
  expect_error(text, "Q", 1, 71, "t.txt:3: bad character '2' in row, expected '0' or '1'");
  static const char nul[] = "step 0\nQ\n0\0001\n";
  ssa_spike_steps out;
  ssa_error err;
  assert_int_equal(ssa_spikes_parse("t.txt", nul, sizeof nul - 1, "Q", 1, 3, &out, &err), -1);
  assert_string_equal(err.msg, "t.txt:3: bad byte 0x00 in row, expected '0' or '1'");
}

/* ---- writing ---- */

/* xorshift64: a fixed, portable stream for the random round trip. */
static uint64_t next_random(uint64_t *x) {
  *x ^= *x << 13;
  *x ^= *x >> 7;
  *x ^= *x << 17;
  return *x;
}

static void fill_random(ssa_spike_steps *s, unsigned steps, uint64_t seed) {
  uint64_t x = seed;
  for (unsigned t = 0; t < steps; t++) {
    ssa_bitmat *m = ssa_spike_steps_append(s);
    assert_non_null(m);
    for (unsigned b = 0; b < s->block_count; b++)
      for (unsigned r = 0; r < s->rows; r++)
        for (unsigned c = 0; c < s->cols; c++)
          ssa_bitmat_put(&m[b], r, c, (int)(next_random(&x) >> 63));
  }
}

/* Writes s to memory; the caller frees the text. */
static char *write_text(const ssa_spike_steps *s, const char *comment, size_t *len) {
  memory_text m;
  ssa_spikes_write(memory_open(&m), s, comment);
  return memory_close(&m, len);
}

static void assert_steps_equal(const ssa_spike_steps *a, const ssa_spike_steps *b) {
  assert_int_equal(a->steps, b->steps);
  assert_int_equal(a->block_count, b->block_count);
  assert_string_equal(a->blocks, b->blocks);
  for (unsigned t = 0; t < a->steps; t++)
    for (unsigned k = 0; k < a->block_count; k++)
      assert_true(ssa_bitmat_equal(ssa_spike_block(a, t, k), ssa_spike_block(b, t, k)));
}

static void test_write_exact_text(void **state) {
  (void)state;
  ssa_spike_steps s;
  parse_ok("step 0\nQ\n01\n10\nK\n11\n00\nstep 1\nQ\n00\n01\nK\n10\n11\n", "QK", 2, 2, &s);
  size_t len;
  char *text = write_text(&s, "made by a test\n\nsecond line", &len);
  assert_string_equal(text,
                      "# made by a test\n#\n# second line\n"
                      "step 0\nQ\n01\n10\nK\n11\n00\nstep 1\nQ\n00\n01\nK\n10\n11\n");
  assert_int_equal(len, strlen(text));
  free(text);
  text = write_text(&s, NULL, &len);
  assert_string_equal(text, "step 0\nQ\n01\n10\nK\n11\n00\nstep 1\nQ\n00\n01\nK\n10\n11\n");
  free(text);
  ssa_spike_steps_free(&s);
}

static void test_round_trip_random(void **state) {
  (void)state;
  /* 4096 columns: one row is longer than the writer's buffer */
  static const struct { const char *blocks; unsigned rows, cols, steps; } shapes[] = {
      {"QKV", 5, 130, 7}, {"O", 1, 1, 1}, {"QKV", 3, 64, 4}, {"ABCD", 2, 4096, 3}};
  for (unsigned k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
    ssa_spike_steps s, back;
    ssa_error err;
    unsigned rows = shapes[k].rows, cols = shapes[k].cols;
    assert_int_equal(ssa_spike_steps_init(&s, shapes[k].blocks, rows, cols, &err), 0);
    fill_random(&s, shapes[k].steps, 0x9e3779b97f4a7c15ull + k);
    size_t len;
    char *text = write_text(&s, "ssa test\nrandom spikes", &len);
    if (ssa_spikes_parse("mem", text, len, shapes[k].blocks, rows, cols, &back, &err) != 0)
      fail_msg("%s", err.msg);
    assert_steps_equal(&s, &back);
    /* and not every bit the same: the data is really random */
    unsigned long ones = 0;
    for (unsigned t = 0; t < s.steps; t++) ones += ssa_bitmat_popcount(ssa_spike_block(&s, t, 0));
    if (rows * cols > 8) assert_true(ones > 0 && ones < (unsigned long)s.steps * rows * cols);
    free(text);
    ssa_spike_steps_free(&s);
    ssa_spike_steps_free(&back);
  }
}

static void test_summary(void **state) {
  (void)state;
  ssa_spike_steps s;
  parse_ok("step 0\nO\n101\n010\nstep 1\nO\n100\n011\nstep 2\nO\n100\n001\n", "O", 2, 3, &s);
  memory_text m;
  FILE *f = memory_open(&m);
  ssa_spikes_write_summary(f, &s, 0);
  ssa_spikes_write_summary(f, &s, 1);  /* no such block: nothing */
  char *text = memory_close(&m, NULL);
  assert_string_equal(text, "3 0 1\n0 2 2\n");
  free(text);
  ssa_spike_steps_free(&s);
  /* the right block of several, and counts past the first 1024 columns */
  ssa_spike_steps w;
  ssa_error err;
  assert_int_equal(ssa_spike_steps_init(&w, "QK", 1, 1030, &err), 0);
  for (unsigned t = 0; t < 2; t++) {
    ssa_bitmat *m = ssa_spike_steps_append(&w);
    assert_non_null(m);
    ssa_bitmat_put(&m[1], 0, 1029, 1);
    ssa_bitmat_put(&m[1], 0, 1, t == 0);
    ssa_bitmat_put(&m[0], 0, 0, 1);
  }
  ssa_spikes_write_summary(memory_open(&m), &w, 1);
  text = memory_close(&m, NULL);
  char want[3000];
  size_t n = 0;
  for (unsigned c = 0; c < 1030; c++)
    n += (size_t)snprintf(want + n, sizeof want - n, c == 0 ? "%u" : " %u",
                          c == 1029 ? 2u : c == 1 ? 1u : 0u);
  snprintf(want + n, sizeof want - n, "\n");
  assert_string_equal(text, want);
  free(text);
  ssa_spike_steps_free(&w);
}

/* ---- files ---- */

static void test_read_file(void **state) {
  (void)state;
  char path[] = "/tmp/ssa_test_spikefile_XXXXXX";
  FILE *f = temp_file(path);
  ssa_spike_steps s, back;
  ssa_error err;
  assert_int_equal(ssa_spike_steps_init(&s, "QKV", 4, 300, &err), 0);
  fill_random(&s, 20, 42);
  ssa_spikes_write(f, &s, "file round trip");
  assert_int_equal(fclose(f), 0);
  if (ssa_spikes_read(path, "QKV", 4, 300, &back, &err) != 0) fail_msg("%s", err.msg);
  assert_steps_equal(&s, &back);
  ssa_spike_steps_free(&back);
  /* errors name the path and line (the comment is line 1, the first row line 4) */
  if (ssa_spikes_read(path, "QKV", 4, 299, &back, &err) != 0) {
    char want[200];
    snprintf(want, sizeof want, "%s:4: row has 300 characters, expected 299", path);
    assert_string_equal(err.msg, want);
    assert_null(back.mats);
  } else {
    fail_msg("a 300-column file parsed as 299 columns");
  }
  unlink(path);
  ssa_spike_steps_free(&s);
}

static void test_read_missing_file(void **state) {
  (void)state;
  ssa_spike_steps out;
  memset(&out, 0xa5, sizeof out);
  ssa_error err;
  const char *path = "/nonexistent-ssa-dir/spikes.txt";
  assert_int_equal(ssa_spikes_read(path, "QKV", 1, 1, &out, &err), -1);
  char want[200];
  snprintf(want, sizeof want, "%s: %s", path, strerror(ENOENT));
  assert_string_equal(err.msg, want);
  assert_null(out.mats);
  assert_int_equal(out.steps, 0);
  ssa_spike_steps_free(&out);  /* harmless after a failure */
}

static void test_read_directory(void **state) {
  (void)state;
  ssa_spike_steps out;
  ssa_error err;
  assert_int_equal(ssa_spikes_read("/tmp", "QKV", 1, 1, &out, &err), -1);
  assert_true(strncmp(err.msg, "/tmp: ", 6) == 0);
  assert_null(out.mats);
}

/* ---- the container ---- */

/* 1000 appends: earlier steps survive every move of the array, new steps start zeroed. */
static void test_append_growth(void **state) {
  (void)state;
  ssa_spike_steps s;
  ssa_error err;
  assert_int_equal(ssa_spike_steps_init(&s, "QK", 2, 70, &err), 0);
  assert_int_equal(s.steps, 0);
  assert_null(s.mats);
  for (unsigned t = 0; t < 1000; t++) {
    ssa_bitmat *m = ssa_spike_steps_append(&s);
    assert_non_null(m);
    assert_int_equal(s.steps, t + 1);
    assert_ptr_equal(m, ssa_spike_block(&s, t, 0));
    assert_int_equal(ssa_bitmat_popcount(&m[0]) + ssa_bitmat_popcount(&m[1]), 0);
    assert_int_equal(m[1].rows, 2);
    assert_int_equal(m[1].cols, 70);
    ssa_bitmat_put(&m[t % 2], t % 2, t % 70, 1);
  }
  for (unsigned t = 0; t < 1000; t++) {
    assert_int_equal(ssa_bitmat_popcount(ssa_spike_block(&s, t, t % 2)), 1);
    assert_int_equal(ssa_bitmat_get(ssa_spike_block(&s, t, t % 2), t % 2, t % 70), 1);
    assert_int_equal(ssa_bitmat_popcount(ssa_spike_block(&s, t, 1 - t % 2)), 0);
  }
  ssa_spike_steps_free(&s);
  assert_int_equal(s.steps, 0);
  /* a freed sequence keeps its shape and can grow again */
  assert_non_null(ssa_spike_steps_append(&s));
  assert_int_equal(s.steps, 1);
  ssa_spike_steps_free(&s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_multi_step_with_comments),
      cmocka_unit_test(test_single_step),
      cmocka_unit_test(test_rows_across_words),
      cmocka_unit_test(test_parse_errors),
      cmocka_unit_test(test_parse_errors_built),
      cmocka_unit_test(test_write_exact_text),
      cmocka_unit_test(test_round_trip_random),
      cmocka_unit_test(test_summary),
      cmocka_unit_test(test_read_file),
      cmocka_unit_test(test_read_missing_file),
      cmocka_unit_test(test_read_directory),
      cmocka_unit_test(test_append_growth),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
