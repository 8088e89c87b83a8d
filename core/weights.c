/* weights.c -- the weights text format (see weights.h): parser, lookup, writer, random layers.
 * The parser makes one pass: each line loses its comment and trailing blanks, is split into
 * tokens, and is either a 'layer' header or the next row of the layer being read. */
#include "weights.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "../common/lines.h"
#include "../common/process.h"
#include "../core/lfsr.h"

/* ---- layers ---- */

static int valid_name(const char *s, size_t n) {
  if (n == 0 || n > SSA_WEIGHTS_NAME_MAX) return 0;
  for (size_t i = 0; i < n; i++)
    if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
      return 0;
  return 1;
}

/* Appends a zeroed layer, NULL without memory (w unchanged). The struct has no capacity field,
 * so the capacity is implied by the count: the smallest power of two >= count, doubled when
 * count reaches it. */
static ssa_weight_layer *add_layer(ssa_weights *w, const char *name, size_t name_len,
                                   unsigned rows, unsigned cols, unsigned line) {
  unsigned n = w->count;
  if (n == UINT_MAX) return NULL;
  if ((n & (n - 1)) == 0) {
    size_t cap = n == 0 ? 1 : (size_t)n * 2;
    ssa_weight_layer *more = realloc(w->layers, cap * sizeof *more);
    if (more == NULL) return NULL;
    w->layers = more;
  }
  ssa_weight_layer *l = &w->layers[n];
  memset(l, 0, sizeof *l);
  l->w = calloc((size_t)rows * cols, sizeof *l->w);
  if (l->w == NULL) return NULL;
  memcpy(l->name, name, name_len);
  l->rows = rows;
  l->cols = cols;
  l->line = line;
  w->count = n + 1;
  return l;
}

void ssa_weights_free(ssa_weights *w) {
  for (unsigned k = 0; k < w->count; k++) free(w->layers[k].w);
  free(w->layers);
  w->layers = NULL;
  w->count = 0;
}

const ssa_weight_layer *ssa_weights_find(const ssa_weights *w, const char *name) {
  for (unsigned k = 0; k < w->count; k++)
    if (strcmp(w->layers[k].name, name) == 0) return &w->layers[k];
  return NULL;
}

int ssa_weights_expect(const ssa_weights *w, const char *name, unsigned rows, unsigned cols,
                       const char *needed, const ssa_weight_layer **out, ssa_error *err) {
  const ssa_weight_layer *l = ssa_weights_find(w, name);
  *out = NULL;
  if (l == NULL) {
    if (needed == NULL) return ssa_fail(err, "%s: no layer '%s'", w->path, name);
    return ssa_fail(err, "%s: no layer '%s' (the block needs layers %s)", w->path, name, needed);
  }
  if (l->rows != rows || l->cols != cols) {
    char where[32] = "";
    if (l->line != 0) snprintf(where, sizeof where, ":%u", l->line);
    return ssa_fail(err, "%s%s: layer %s is %u x %u, the block needs %u x %u", w->path, where,
                    name, l->rows, l->cols, rows, cols);
  }
  *out = l;
  return 0;
}

static int check_bits(unsigned bits, ssa_error *err) {
  if (bits < SSA_WEIGHTS_MIN_BITS || bits > SSA_WEIGHTS_MAX_BITS)
    return ssa_fail(err, "--weight-bits %u: expected %u to %u", bits, SSA_WEIGHTS_MIN_BITS,
                    SSA_WEIGHTS_MAX_BITS);
  return 0;
}

/* ---- parsing ---- */

typedef struct parser {
  const char *name;
  ssa_weights *out;
  size_t line;     /* 1-based number of the line being parsed */
  int in_layer;    /* rows of the last layer are still to come */
  unsigned row;    /* rows of that layer read so far */
  long lo, hi;     /* the range of a weight */
} parser;

/* The next blank-separated token of s[0..n) from *pos: 1 and its text, or 0 at the end. */
static int next_token(const char *s, size_t n, size_t *pos, const char **tok, size_t *len) {
  size_t i = *pos;
  while (i < n && (s[i] == ' ' || s[i] == '\t')) i++;
  if (i == n) return 0;
  size_t j = i;
  while (j < n && s[j] != ' ' && s[j] != '\t') j++;
  *tok = s + i;
  *len = j - i;
  *pos = j;
  return 1;
}

/* Past this magnitude every literal is out of range for any width, so digits beyond it are
 * not accumulated: a literal of any length is reported as out of range, never overflows. */
#define SATURATE (1L << 20)

/* "[+-]digits" into *v (saturated at +-SATURATE); 0 when the token is anything else. */
static int parse_int(const char *s, size_t n, long *v) {
  size_t i = n > 0 && (s[0] == '+' || s[0] == '-');
  if (i == n) return 0;
  long m = 0;
  for (size_t k = i; k < n; k++) {
    if (s[k] < '0' || s[k] > '9') return 0;
    if (m < SATURATE) m = m * 10 + (s[k] - '0');
  }
  *v = s[0] == '-' ? -m : m;
  return 1;
}

/* rows or cols: plain digits, 1 to SSA_WEIGHTS_MAX_DIM; 0 for anything else. */
static unsigned parse_dim(const char *s, size_t n) {
  unsigned long v = 0;
  for (size_t k = 0; k < n; k++) {
    if (s[k] < '0' || s[k] > '9') return 0;
    if (v <= SSA_WEIGHTS_MAX_DIM) v = v * 10 + (unsigned)(s[k] - '0');
  }
  return n > 0 && v <= SSA_WEIGHTS_MAX_DIM ? (unsigned)v : 0;
}

static int is_row_like(const char *s, size_t n) {
  size_t pos = 0, len;
  const char *tok;
  long v;
  while (next_token(s, n, &pos, &tok, &len))
    if (!parse_int(tok, len, &v)) return 0;
  return 1;
}

static int is_keyword(const char *tok, size_t len, const char *word) {
  return len == strlen(word) && memcmp(tok, word, len) == 0;
}

/* "layer NAME ROWS COLS": checks each field in turn and adds the layer. */
static int start_layer(parser *p, const char *s, size_t n, ssa_error *err) {
  const char *tok[5];
  size_t len[5], pos = 0;
  unsigned k = 0;
  while (k < 5 && next_token(s, n, &pos, &tok[k], &len[k])) k++;
  if (k != 4)
    return ssa_fail_at(err, p->name, p->line, "bad layer line, expected 'layer NAME ROWS COLS'");
  char ex[32], name[SSA_WEIGHTS_NAME_MAX + 1] = "";
  if (!valid_name(tok[1], len[1]))
    return ssa_fail_at(err, p->name, p->line,
                       "bad layer name '%s', expected 1 to %u of a-z, 0-9 and _",
                       ssa_excerpt(ex, tok[1], len[1]), SSA_WEIGHTS_NAME_MAX);
  memcpy(name, tok[1], len[1]);
  const ssa_weight_layer *old = ssa_weights_find(p->out, name);
  if (old != NULL)
    return ssa_fail_at(err, p->name, p->line, "layer %s already defined at line %u", name,
                       old->line);
  unsigned dim[2];
  for (unsigned d = 0; d < 2; d++) {
    dim[d] = parse_dim(tok[2 + d], len[2 + d]);
    if (dim[d] == 0)
      return ssa_fail_at(err, p->name, p->line, "layer %s: %s must be 1 to %u, found '%s'", name,
                         d == 0 ? "rows" : "cols", SSA_WEIGHTS_MAX_DIM,
                         ssa_excerpt(ex, tok[2 + d], len[2 + d]));
  }
  unsigned line = p->line > UINT_MAX ? UINT_MAX : (unsigned)p->line;
  if (add_layer(p->out, name, len[1], dim[0], dim[1], line) == NULL)
    return ssa_fail_at(err, p->name, p->line, "out of memory for layer %s", name);
  p->in_layer = 1;
  p->row = 0;
  return 0;
}

/* The next row of the last layer. Each value is checked as it comes, so the first bad one is
 * named even when the row also has the wrong length. */
static int read_row(parser *p, const char *s, size_t n, ssa_error *err) {
  ssa_weight_layer *l = &p->out->layers[p->out->count - 1];
  int32_t *w = &l->w[(size_t)p->row * l->cols];
  size_t pos = 0, len, count = 0;
  const char *tok;
  char ex[32];
  while (next_token(s, n, &pos, &tok, &len)) {
    long v;
    if (!parse_int(tok, len, &v))
      return ssa_fail_at(err, p->name, p->line,
                         "bad value '%s' in row, expected a signed decimal integer",
                         ssa_excerpt(ex, tok, len));
    if (v < p->lo || v > p->hi)
      return ssa_fail_at(err, p->name, p->line,
                         "weight %s out of range for --weight-bits %u (%ld to %ld)",
                         ssa_excerpt(ex, tok, len), p->out->weight_bits, p->lo, p->hi);
    if (count < l->cols) w[count] = (int32_t)v;
    count++;
  }
  if (count != l->cols)
    return ssa_fail_at(err, p->name, p->line, "row has %zu values, expected %u", count, l->cols);
  if (++p->row == l->rows) p->in_layer = 0;
  return 0;
}

static int parse_line(parser *p, const char *s, size_t n, ssa_error *err) {
  const char *tok = s;  /* set by next_token; initialised because GCC -O3 cannot tell */
  size_t pos = 0, len = 0;
  char ex[32];
  next_token(s, n, &pos, &tok, &len);  /* the line is not blank: there is a first token */
  int header = is_keyword(tok, len, "layer");
  if (p->in_layer) {
    const ssa_weight_layer *l = &p->out->layers[p->out->count - 1];
    if (header)
      return ssa_fail_at(err, p->name, p->line, "layer %s ends after %u of %u rows", l->name,
                         p->row, l->rows);
    return read_row(p, s, n, err);
  }
  if (header) return start_layer(p, s, n, err);
  if (p->out->count > 0 && is_row_like(s, n)) {
    const ssa_weight_layer *l = &p->out->layers[p->out->count - 1];
    return ssa_fail_at(err, p->name, p->line, "layer %s has more than %u rows", l->name, l->rows);
  }
  if ((tok[0] >= 'a' && tok[0] <= 'z') || (tok[0] >= 'A' && tok[0] <= 'Z'))
    return ssa_fail_at(err, p->name, p->line, "unknown keyword '%s', expected 'layer'",
                       ssa_excerpt(ex, tok, len));
  /* the rest of the line from its first token, to show what stood where a header was due */
  return ssa_fail_at(err, p->name, p->line, "expected 'layer', found '%s'",
                     ssa_excerpt(ex, tok, n - (size_t)(tok - s)));
}

int ssa_weights_parse(const char *name, const char *text, size_t len, unsigned weight_bits,
                      ssa_weights *out, ssa_error *err) {
  memset(out, 0, sizeof *out);  /* empty even on failure, so a caller's free is always safe */
  if (check_bits(weight_bits, err) != 0) return -1;
  snprintf(out->path, sizeof out->path, "%s", name);
  out->weight_bits = weight_bits;
  long half = 1L << (weight_bits - 1);
  parser p = {name, out, 0, 0, 0, -half, half - 1};
  size_t pos = 0, n;
  int rc = 0;
  for (const char *s; rc == 0 && ssa_next_line(text, len, &pos, &s, &n);) {
    p.line++;
    size_t lead = 0;
    while (lead < n && (s[lead] == ' ' || s[lead] == '\t')) lead++;
    if (lead < n) rc = parse_line(&p, s, n, err);
  }
  if (rc == 0) {
    p.line++;  /* end of file is reported on the line after the last one */
    if (p.in_layer) {
      const ssa_weight_layer *l = &out->layers[out->count - 1];
      rc = ssa_fail_at(err, p.name, p.line, "end of file: layer %s ends after %u of %u rows",
                       l->name, p.row, l->rows);
    } else if (out->count == 0) {
      rc = ssa_fail_at(err, p.name, p.line, "end of file: no layers");
    }
  }
  if (rc != 0) ssa_weights_free(out);
  return rc;
}

int ssa_weights_read(const char *path, unsigned weight_bits, ssa_weights *out, ssa_error *err) {
  memset(out, 0, sizeof *out);
  char *text = NULL;
  size_t len = 0;
  if (ssa_read_file(path, &text, &len, err) != 0) return -1;
  int rc = ssa_weights_parse(path, text, len, weight_bits, out, err);
  free(text);
  return rc;
}

/* ---- writing ---- */

void ssa_weights_write(FILE *f, const ssa_weights *w, const char *comment) {
  if (comment != NULL) ssa_write_comment(f, comment);
  for (unsigned k = 0; k < w->count; k++) {
    const ssa_weight_layer *l = &w->layers[k];
    fprintf(f, "layer %s %u %u\n", l->name, l->rows, l->cols);
    for (unsigned r = 0; r < l->rows; r++)
      for (unsigned c = 0; c < l->cols; c++)
        fprintf(f, c + 1 < l->cols ? "%d " : "%d\n", (int)l->w[(size_t)r * l->cols + c]);
  }
}

/* ---- random layers ---- */

int ssa_weights_random(ssa_weights *out, unsigned weight_bits, unsigned count,
                       const char *const *names, const unsigned *rows, const unsigned *cols,
                       uint64_t seed, ssa_error *err) {
  memset(out, 0, sizeof *out);
  if (check_bits(weight_bits, err) != 0) return -1;
  if (count == 0) return ssa_fail(err, "random weights: no layers");
  snprintf(out->path, sizeof out->path, "random weights (seed %llu)", (unsigned long long)seed);
  out->weight_bits = weight_bits;
  uint64_t state = seed;
  int32_t half = (int32_t)1 << (weight_bits - 1);
  int rc = 0;
  for (unsigned k = 0; k < count && rc == 0; k++) {
    size_t n = strlen(names[k]);
    ssa_weight_layer *l = NULL;
    if (!valid_name(names[k], n))
      rc = ssa_fail(err, "random weights: bad layer name '%.40s'", names[k]);
    else if (ssa_weights_find(out, names[k]) != NULL)
      rc = ssa_fail(err, "random weights: layer %s given twice", names[k]);
    else if (rows[k] == 0 || rows[k] > SSA_WEIGHTS_MAX_DIM || cols[k] == 0 ||
             cols[k] > SSA_WEIGHTS_MAX_DIM)
      rc = ssa_fail(err, "random weights: layer %s is %u x %u, expected 1 to %u each", names[k],
                    rows[k], cols[k], SSA_WEIGHTS_MAX_DIM);
    else if ((l = add_layer(out, names[k], n, rows[k], cols[k], 0)) == NULL)
      rc = ssa_fail(err, "random weights: out of memory for layer %s", names[k]);
    /* The top `weight_bits` bits of a draw: 2^b divides 2^64, so every value is equally
     * likely, and the top bits are splitmix64's best mixed. */
    for (size_t i = 0; l != NULL && i < (size_t)l->rows * l->cols; i++)
      l->w[i] = (int32_t)(ssa_splitmix64(&state) >> (64 - weight_bits)) - half;
  }
  if (rc != 0) ssa_weights_free(out);
  return rc;
}

unsigned ssa_linear_current_bits(unsigned inputs, unsigned weight_bits) {
  /* |sum| <= inputs * 2^(b-1) <= 2^(b-1+clog2(inputs)): b + clog2(inputs) signed bits hold
   * it; one more keeps the accumulator strictly wider than a weight, so the RTL can always
   * sign-extend a weight with a replication of at least one bit. */
  unsigned log = 0;
  while ((1u << log) < inputs) log++;
  return weight_bits + log + 1;
}

