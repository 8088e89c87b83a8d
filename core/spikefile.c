/* spikefile.c -- the spike text format (see spikefile.h): step containers, parser, writers.
 * The parser makes one pass: each line loses its comment and trailing whitespace and goes to a
 * three-state machine (expect a step line, a block letter, or a row of the current block). */
#include "spikefile.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../common/lines.h"
#include "../common/process.h"

int ssa_spike_steps_init(ssa_spike_steps *s, const char *blocks, unsigned rows, unsigned cols,
                         ssa_error *err) {
  memset(s, 0, sizeof *s);  /* empty even on failure, so a caller's free is always safe */
  size_t n = blocks == NULL ? 0 : strlen(blocks);
  if (n == 0 || n > SSA_SPIKE_MAX_BLOCKS)
    return ssa_fail(err, "spike blocks \"%.16s\": expected 1 to %d block letters",
                    blocks == NULL ? "" : blocks, SSA_SPIKE_MAX_BLOCKS);
  /* A block line is told apart from a row ('0'/'1') and a step line by being one capital. */
  for (size_t i = 0; i < n; i++)
    if (blocks[i] < 'A' || blocks[i] > 'Z' || memchr(blocks, blocks[i], i) != NULL)
      return ssa_fail(err, "spike blocks \"%s\": block letters must be distinct capitals A-Z",
                      blocks);
  /* A row of zero characters would be a blank line, which the format ignores. */
  if (rows == 0 || cols == 0)
    return ssa_fail(err, "spike blocks of %u x %u: need at least one row and one column", rows,
                    cols);
  memcpy(s->blocks, blocks, n + 1);
  s->block_count = (unsigned)n;
  s->rows = rows;
  s->cols = cols;
  return 0;
}

/* The struct's layout is public and has no capacity field, so the capacity is implied by the
 * count: the smallest power of two >= steps. The array is full exactly when steps is 0 or a
 * power of two, and then doubles, so n appends copy O(n) matrices in all. */
static int steps_full(unsigned steps) { return (steps & (steps - 1)) == 0; }

ssa_bitmat *ssa_spike_steps_append(ssa_spike_steps *s) {
  if (s->steps == UINT_MAX || s->block_count == 0) return NULL;
  if (steps_full(s->steps)) {
    size_t cap = s->steps == 0 ? 1 : (size_t)s->steps * 2;
    if (cap > SIZE_MAX / sizeof *s->mats / s->block_count) return NULL;
    ssa_bitmat *mats = realloc(s->mats, cap * s->block_count * sizeof *mats);
    if (mats == NULL) return NULL;
    s->mats = mats;
  }
  ssa_bitmat *step = &s->mats[(size_t)s->steps * s->block_count];
  for (unsigned b = 0; b < s->block_count; b++)
    if (ssa_bitmat_init(&step[b], s->rows, s->cols) != 0) {
      while (b-- > 0) ssa_bitmat_free(&step[b]);
      return NULL;
    }
  s->steps++;
  return step;
}

void ssa_spike_steps_free(ssa_spike_steps *s) {
  if (s->mats != NULL)
    for (size_t i = 0; i < (size_t)s->steps * s->block_count; i++) ssa_bitmat_free(&s->mats[i]);
  free(s->mats);
  s->mats = NULL;
  s->steps = 0;
}

/* ---- parsing ---- */

typedef enum { WANT_STEP, WANT_BLOCK, WANT_ROW } parse_want;

typedef struct parser {
  const char *name;
  ssa_spike_steps *out;
  size_t line;        /* 1-based number of the line being parsed */
  parse_want want;
  unsigned block;     /* index of the block expected next, or whose rows are being read */
  unsigned row;       /* rows of that block read so far */
  ssa_bitmat *step;   /* the matrices of the step being read */
} parser;

static int is_step_line(const char *s, size_t n) {
  return n >= 4 && memcmp(s, "step", 4) == 0 && (n == 4 || s[4] == ' ' || s[4] == '\t');
}

/* The number of "step <digits>": sets *digits and *ndigits to its text and returns its value,
 * saturated just above UINT_MAX so that a huge number never matches; -1 if malformed. */
static long long step_number(const char *s, size_t n, const char **digits, size_t *ndigits) {
  size_t i = 4;
  while (i < n && (s[i] == ' ' || s[i] == '\t')) i++;
  if (i == 4 || i == n) return -1;
  long long v = 0;
  for (size_t k = i; k < n; k++) {
    if (s[k] < '0' || s[k] > '9') return -1;
    if (v <= UINT_MAX) v = v * 10 + (s[k] - '0');
  }
  *digits = s + i;
  *ndigits = n - i;
  return v;
}

static int is_row_like(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] != '0' && s[i] != '1') return 0;
  return 1;
}

static int bad_character(const parser *p, const char *s, size_t n, ssa_error *err) {
  size_t i = 0;
  while (i < n && (s[i] == '0' || s[i] == '1')) i++;
  unsigned char c = (unsigned char)s[i];
  if (c >= ' ' && c <= '~')
    return ssa_fail_at(err, p->name, p->line, "bad character '%c' in row, expected '0' or '1'", c);
  return ssa_fail_at(err, p->name, p->line, "bad byte 0x%02x in row, expected '0' or '1'", c);
}

/* Stores one row, 64 characters to a word: bad characters are caught per word by OR-ing the
 * digit values (anything but '0' or '1' makes the OR exceed 1). */
static int read_row(parser *p, const char *s, size_t n, ssa_error *err) {
  ssa_spike_steps *out = p->out;
  unsigned cols = out->cols;
  if (n != cols) {
    if (!is_row_like(s, n)) return bad_character(p, s, n, err);
    return ssa_fail_at(err, p->name, p->line, "row has %zu characters, expected %u", n, cols);
  }
  ssa_bitmat *m = &p->step[p->block];
  uint64_t *w = &m->w[(size_t)p->row * m->stride];
  for (unsigned c0 = 0; c0 < cols; c0 += 64) {
    unsigned len = cols - c0 < 64 ? cols - c0 : 64;
    const char *chunk = s + c0;
    uint64_t word = 0;
    unsigned seen = 0;
    for (unsigned k = 0; k < len; k++) {
      unsigned d = (unsigned)(unsigned char)chunk[k] - '0';
      seen |= d;
      word |= (uint64_t)(d & 1u) << k;
    }
    if (seen > 1) return bad_character(p, s, n, err);
    w[c0 / 64] = word;
  }
  if (++p->row == out->rows) {
    p->row = 0;
    p->block++;
    p->want = p->block == out->block_count ? WANT_STEP : WANT_BLOCK;
  }
  return 0;
}

static int start_step(parser *p, const char *s, size_t n, ssa_error *err) {
  const char *digits = NULL;
  size_t ndigits = 0;
  char ex[32];
  unsigned t = p->out->steps;
  long long v = step_number(s, n, &digits, &ndigits);
  if (v < 0) return ssa_fail_at(err, p->name, p->line, "bad step line, expected 'step %u'", t);
  if (v != t)
    return ssa_fail_at(err, p->name, p->line, "expected step %u, found step %s", t,
                       ssa_excerpt(ex, digits, ndigits));
  p->step = ssa_spike_steps_append(p->out);
  if (p->step == NULL) return ssa_fail_at(err, p->name, p->line, "out of memory for step %u", t);
  p->want = WANT_BLOCK;
  p->block = 0;
  p->row = 0;
  return 0;
}

/* A block letter where it does not belong: a repeat, one out of order, or an unknown one. */
static int misplaced_block(const parser *p, char letter, ssa_error *err) {
  const ssa_spike_steps *out = p->out;
  const char *at = strchr(out->blocks, letter);
  if (at == NULL)
    return ssa_fail_at(err, p->name, p->line, "unknown block %c (blocks are %s)", letter,
                       out->blocks);
  if (p->want == WANT_STEP || (unsigned)(at - out->blocks) < p->block)
    return ssa_fail_at(err, p->name, p->line, "step %u has block %c twice", out->steps - 1, letter);
  return ssa_fail_at(err, p->name, p->line, "block %c out of order in step %u, expected block %c",
                     letter, out->steps - 1, out->blocks[p->block]);
}

static int parse_line(parser *p, const char *s, size_t n, ssa_error *err) {
  const ssa_spike_steps *out = p->out;
  int step_line = is_step_line(s, n);
  int letter = n == 1 && s[0] >= 'A' && s[0] <= 'Z';
  char ex[32];
  switch (p->want) {
  case WANT_ROW:
    if (step_line || (letter && strchr(out->blocks, s[0]) != NULL))
      return ssa_fail_at(err, p->name, p->line, "step %u ends after %u of %u rows of %c",
                         out->steps - 1, p->row, out->rows, out->blocks[p->block]);
    return read_row(p, s, n, err);
  case WANT_BLOCK:
    if (step_line)
      return ssa_fail_at(err, p->name, p->line, "step %u has no block %c", out->steps - 1,
                         out->blocks[p->block]);
    if (letter && s[0] == out->blocks[p->block]) {
      p->want = WANT_ROW;
      return 0;
    }
    if (letter) return misplaced_block(p, s[0], err);
    /* the previous block had too many rows */
    if (p->block > 0 && is_row_like(s, n))
      return ssa_fail_at(err, p->name, p->line, "step %u has more than %u rows of %c",
                         out->steps - 1, out->rows, out->blocks[p->block - 1]);
    return ssa_fail_at(err, p->name, p->line, "expected block %c, found '%s'",
                       out->blocks[p->block], ssa_excerpt(ex, s, n));
  case WANT_STEP:
    if (step_line) return start_step(p, s, n, err);
    if (out->steps == 0)
      return ssa_fail_at(err, p->name, p->line, "content before the first 'step' line");
    if (letter) return misplaced_block(p, s[0], err);
    if (is_row_like(s, n))
      return ssa_fail_at(err, p->name, p->line, "step %u has more than %u rows of %c",
                         out->steps - 1, out->rows, out->blocks[out->block_count - 1]);
    return ssa_fail_at(err, p->name, p->line, "expected 'step %u' or end of file, found '%s'",
                       out->steps, ssa_excerpt(ex, s, n));
  }
  return 0;
}

/* End of file is reported on the line after the last one. */
static int finish(const parser *p, ssa_error *err) {
  const ssa_spike_steps *out = p->out;
  switch (p->want) {
  case WANT_STEP:
    if (out->steps == 0) return ssa_fail_at(err, p->name, p->line, "end of file: no steps");
    return 0;
  case WANT_BLOCK:
    return ssa_fail_at(err, p->name, p->line, "end of file: step %u has no block %c",
                       out->steps - 1, out->blocks[p->block]);
  case WANT_ROW:
    return ssa_fail_at(err, p->name, p->line, "end of file: step %u ends after %u of %u rows of %c",
                       out->steps - 1, p->row, out->rows, out->blocks[p->block]);
  }
  return 0;
}

int ssa_spikes_parse(const char *name, const char *text, size_t len, const char *blocks,
                     unsigned rows, unsigned cols, ssa_spike_steps *out, ssa_error *err) {
  if (ssa_spike_steps_init(out, blocks, rows, cols, err) != 0) return -1;
  parser p = {name, out, 0, WANT_STEP, 0, 0, NULL};
  size_t pos = 0, n;
  for (const char *s; ssa_next_line(text, len, &pos, &s, &n);) {
    p.line++;
    if (n == 0) continue;
    if (parse_line(&p, s, n, err) != 0) {
      ssa_spike_steps_free(out);
      return -1;
    }
  }
  p.line++;
  if (finish(&p, err) != 0) {
    ssa_spike_steps_free(out);
    return -1;
  }
  return 0;
}

int ssa_spikes_read(const char *path, const char *blocks, unsigned rows, unsigned cols,
                    ssa_spike_steps *out, ssa_error *err) {
  memset(out, 0, sizeof *out);
  char *text = NULL;
  size_t len = 0;
  if (ssa_read_file(path, &text, &len, err) != 0) return -1;
  int rc = ssa_spikes_parse(path, text, len, blocks, rows, cols, out, err);
  free(text);
  return rc;
}

/* ---- writing ---- */

/* Rows go through a fixed buffer: one fwrite per 4 KiB rather than one call per character. */
static void write_rows(FILE *f, const ssa_bitmat *m) {
  char buf[4096];
  size_t n = 0;
  for (unsigned r = 0; r < m->rows; r++) {
    const uint64_t *w = &m->w[(size_t)r * m->stride];
    for (unsigned c = 0; c <= m->cols; c++) {
      buf[n++] = c == m->cols ? '\n' : (char)('0' + ((w[c / 64] >> (c % 64)) & 1u));
      if (n == sizeof buf) {
        fwrite(buf, 1, n, f);
        n = 0;
      }
    }
  }
  fwrite(buf, 1, n, f);
}

void ssa_spikes_write(FILE *f, const ssa_spike_steps *s, const char *comment) {
  if (comment != NULL) ssa_write_comment(f, comment);
  for (unsigned t = 0; t < s->steps; t++) {
    fprintf(f, "step %u\n", t);
    for (unsigned b = 0; b < s->block_count; b++) {
      fprintf(f, "%c\n", s->blocks[b]);
      write_rows(f, ssa_spike_block(s, t, b));
    }
  }
}

/* Counts are kept for 1024 columns at a time, so no allocation is needed and each step's row
 * is read word by word, visiting only the set bits. */
enum { SUMMARY_WORDS = 16 };

void ssa_spikes_write_summary(FILE *f, const ssa_spike_steps *s, unsigned b) {
  if (b >= s->block_count) return;
  unsigned counts[SUMMARY_WORDS * 64];
  unsigned stride = (s->cols + 63) / 64;
  for (unsigned r = 0; r < s->rows; r++) {
    for (unsigned w0 = 0; w0 < stride; w0 += SUMMARY_WORDS) {
      unsigned nw = stride - w0 < SUMMARY_WORDS ? stride - w0 : SUMMARY_WORDS;
      memset(counts, 0, sizeof counts);
      for (unsigned t = 0; t < s->steps; t++) {
        const ssa_bitmat *m = ssa_spike_block(s, t, b);
        const uint64_t *w = &m->w[(size_t)r * m->stride + w0];
        for (unsigned j = 0; j < nw; j++)
          for (uint64_t x = w[j]; x != 0; x &= x - 1)
            counts[j * 64 + (unsigned)__builtin_ctzll(x)]++;
      }
      unsigned end = (w0 + nw) * 64 < s->cols ? (w0 + nw) * 64 : s->cols;
      for (unsigned c = w0 * 64; c < end; c++)
        fprintf(f, c == 0 ? "%u" : " %u", counts[c - w0 * 64]);
    }
    fputc('\n', f);
  }
}
