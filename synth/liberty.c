/* liberty.c -- the Liberty reader (see liberty.h), in four parts: reading a plain or gzip'd
 * file whole, a tokenizer, a one-pass parser of the group syntax that reports each group's
 * opening and closing and each attribute, and the extraction that keeps a few running sums per
 * open cell, pin, internal_power group and table, and one finished record per cell. */
#include "liberty.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "../common/outfile.h"
#include "../common/process.h"

/* Real libraries nest library / cell / pin / timing / table, or bus / pin below the cell: six
 * levels. The parser recurses once per level, so the limit also bounds its stack. */
#define MAX_DEPTH 32

/* How much of a name or value a message quotes: at most 40 characters, and nothing from the
 * first unprintable one (a newline in a string would break the one-line message). */
static int shown(const char *s, size_t len) {
  size_t n = 0;
  while (n < len && n < 40 && s[n] >= ' ' && s[n] < 0x7f) n++;
  return (int)n;
}

/* The two arguments of a "%.*s" that quotes token t. */
#define SHOWN(t) shown((t)->text, (t)->len), (t)->text

/* ---- reading a file, plain or gzip'd ---- */

/* zlib's messages start with the path; ours already do, so only the problem is kept. */
static const char *gz_problem(gzFile gz, int saved_errno) {
  int code = Z_OK;
  const char *msg = gzerror(gz, &code);
  switch (code) {
    case Z_ERRNO: return strerror(saved_errno);
    case Z_BUF_ERROR: return "the file ends inside the gzip data";
    case Z_DATA_ERROR: return "corrupt gzip data";
    case Z_MEM_ERROR: return "out of memory";
    default: return msg;
  }
}

/* At the end of the data: whether it ended early. zlib reports a gzip stream cut short only
 * through gzerror (Z_BUF_ERROR), while gzread just returns 0 as at a proper end. */
static int gz_failed(gzFile gz) {
  int code = Z_OK;
  gzerror(gz, &code);
  return code != Z_OK;
}

static gzFile open_gz(const char *path, ssa_error *err) {
  if (ssa_input_check(path, err) != 0) return NULL;
  errno = 0;
  gzFile gz = gzopen(path, "rb");
  if (gz == NULL)
    ssa_fail(err, "%s: cannot open (%s)", path, errno != 0 ? strerror(errno) : "out of memory");
  else
    gzbuffer(gz, 1u << 17);  /* fewer read calls than the 8 KiB default */
  return gz;
}

/* The whole decompressed file in a malloc'd buffer (with room for a NUL); zlib passes a file
 * that is not gzip'd through unchanged. */
static int read_all(const char *path, char **text, size_t *len, ssa_error *err) {
  gzFile gz = open_gz(path, err);
  if (gz == NULL) return -1;
  size_t cap = 1u << 20, n = 0;
  char *buf = malloc(cap);
  for (;;) {
    if (buf != NULL && cap - n < 2) {
      char *bigger = realloc(buf, cap * 2);
      if (bigger == NULL) free(buf);
      buf = bigger;
      cap *= 2;
    }
    if (buf == NULL) {
      gzclose(gz);
      return ssa_fail(err, "%s: out of memory", path);
    }
    size_t room = cap - n - 1;
    errno = 0;
    int got = gzread(gz, buf + n, room > INT_MAX ? INT_MAX : (unsigned)room);
    if (got < 0 || (got == 0 && gz_failed(gz))) {
      int rc = ssa_fail(err, "%s: read error (%s)", path, gz_problem(gz, errno));
      free(buf);
      gzclose(gz);
      return rc;
    }
    if (got == 0) break;
    n += (size_t)got;
  }
  gzclose(gz);
  *text = buf;
  *len = n;
  return 0;
}

int ssa_liberty_decompress(const char *src, const char *dst, ssa_error *err) {
  gzFile gz = open_gz(src, err);
  if (gz == NULL) return -1;
  ssa_outfile of;
  if (ssa_outfile_open(&of, dst, err) != 0) {
    gzclose(gz);
    return -1;
  }
  char buf[1u << 15];
  for (;;) {
    errno = 0;
    int got = gzread(gz, buf, sizeof buf);
    if (got < 0 || (got == 0 && gz_failed(gz))) {
      int rc = ssa_fail(err, "%s: read error (%s)", src, gz_problem(gz, errno));
      ssa_outfile_abort(&of);
      gzclose(gz);
      return rc;
    }
    if (got == 0) break;
    fwrite(buf, 1, (size_t)got, of.fp);  /* errors stay in the stream; commit reports them */
  }
  gzclose(gz);
  return ssa_outfile_commit(&of, err);
}

/* ---- tokenizer ---- */

typedef enum tok_kind {
  T_EOF, T_WORD, T_STRING, T_LPAREN, T_RPAREN, T_LBRACE, T_RBRACE, T_COLON, T_SEMI, T_COMMA
} tok_kind;

typedef struct token {
  tok_kind kind;
  /* T_WORD: the characters in the file (no NUL after them); T_STRING: the contents without
   * quotes and continuations, NUL-terminated (rewritten in place in the buffer) */
  const char *text;
  size_t len;
  unsigned line;      /* where it starts */
  int after_newline;  /* a line break (not a continuation) separates it from the one before */
} token;

typedef struct lexer {
  const char *name;  /* for messages */
  char *p, *end;
  unsigned line;
  ssa_error *err;
} lexer;

/* Characters of unquoted names and values: 1.10, table_lookup, A[0], !A, -0.5e-3 ... */
static int is_word_char(unsigned char c) {
  if (c <= ' ' || c >= 0x7f) return 0;
  switch (c) {
    case '(': case ')': case '{': case '}': case ':': case ';': case ',': case '"': case '\\':
      return 0;
    default:
      return 1;
  }
}

/* Skips blanks, comments and backslash-newline continuations. */
static int skip_blanks(lexer *lx, int *newline) {
  while (lx->p < lx->end) {
    char c = *lx->p;
    if (c == '\n') {
      lx->line++;
      *newline = 1;
      lx->p++;
    } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
      lx->p++;
    } else if (c == '/' && lx->p + 1 < lx->end && lx->p[1] == '*') {
      unsigned start = lx->line;
      char *q = lx->p + 2;
      while (q + 1 < lx->end && !(q[0] == '*' && q[1] == '/')) {
        if (*q == '\n') {
          lx->line++;
          *newline = 1;
        }
        q++;
      }
      if (q + 1 >= lx->end) return ssa_fail_at(lx->err, lx->name, start, "comment never closed");
      lx->p = q + 2;
    } else if (c == '\\') {
      char *q = lx->p + 1;
      while (q < lx->end && (*q == ' ' || *q == '\t' || *q == '\r')) q++;
      if (q >= lx->end || *q != '\n')
        return ssa_fail_at(lx->err, lx->name, lx->line,
                           "stray '\\' (a backslash continues a line only at its end)");
      lx->line++;
      lx->p = q + 1;
    } else {
      break;
    }
  }
  return 0;
}

/* A quoted string; its contents are rewritten in place without the backslash-newline
 * continuations and end with a NUL where the closing quote (or earlier) was. */
static int lex_string(lexer *lx, token *t) {
  unsigned start = lx->line;
  char *r = lx->p + 1, *w = r;
  t->kind = T_STRING;
  t->text = r;
  for (;;) {
    if (r >= lx->end) return ssa_fail_at(lx->err, lx->name, start, "string never closed");
    char c = *r;
    if (c == '"') break;
    if (c == '\0') return ssa_fail_at(lx->err, lx->name, lx->line, "NUL byte in a string");
    if (c == '\\') {
      char *q = r + 1;
      while (q < lx->end && (*q == ' ' || *q == '\t' || *q == '\r')) q++;
      if (q < lx->end && *q == '\n') {  /* continuation: the lines join */
        lx->line++;
        r = q + 1;
        continue;
      }
      if (r + 1 < lx->end && r[1] == '"') {  /* an escaped quote */
        *w++ = '"';
        r += 2;
        continue;
      }
    }
    if (c == '\n') lx->line++;
    *w++ = c;
    r++;
  }
  t->len = (size_t)(w - t->text);
  lx->p = r + 1;
  *w = '\0';  /* at or before the closing quote, which has been passed */
  return 0;
}

static int lex_next(lexer *lx, token *t) {
  int newline = 0;
  if (skip_blanks(lx, &newline) != 0) return -1;
  t->after_newline = newline;
  t->line = lx->line;
  t->text = lx->p;
  t->len = 1;
  if (lx->p >= lx->end) {
    t->kind = T_EOF;
    t->len = 0;
    return 0;
  }
  unsigned char c = (unsigned char)*lx->p;
  switch (c) {
    case '(': t->kind = T_LPAREN; break;
    case ')': t->kind = T_RPAREN; break;
    case '{': t->kind = T_LBRACE; break;
    case '}': t->kind = T_RBRACE; break;
    case ':': t->kind = T_COLON; break;
    case ';': t->kind = T_SEMI; break;
    case ',': t->kind = T_COMMA; break;
    case '"': return lex_string(lx, t);
    default:
      if (!is_word_char(c)) {
        if (isprint(c))
          return ssa_fail_at(lx->err, lx->name, lx->line, "unexpected character '%c'", c);
        return ssa_fail_at(lx->err, lx->name, lx->line, "unexpected byte 0x%02x", c);
      }
      char *q = lx->p;
      while (q < lx->end && is_word_char((unsigned char)*q) &&
             !(q[0] == '/' && q + 1 < lx->end && q[1] == '*'))
        q++;
      t->kind = T_WORD;
      t->len = (size_t)(q - lx->p);
      lx->p = q;
      return 0;
  }
  lx->p++;
  return 0;
}

static int tok_is(const token *t, const char *s) {
  size_t n = strlen(s);
  return t->len == n && memcmp(t->text, s, n) == 0;
}

static int tok_is_value(const token *t) { return t->kind == T_WORD || t->kind == T_STRING; }

/* For messages: what was found. */
static const char *describe(const token *t, char *buf, size_t size) {
  switch (t->kind) {
    case T_EOF: return "the end of the file";
    case T_WORD: snprintf(buf, size, "'%.*s'", SHOWN(t)); return buf;
    case T_STRING: snprintf(buf, size, "\"%.*s\"", SHOWN(t)); return buf;
    case T_LPAREN: return "'('";
    case T_RPAREN: return "')'";
    case T_LBRACE: return "'{'";
    case T_RBRACE: return "'}'";
    case T_COLON: return "':'";
    case T_SEMI: return "';'";
    case T_COMMA: return "','";
  }
  return "?";
}

/* ---- extraction: what is kept while the groups are open ---- */

typedef enum gkind {
  G_OTHER,     /* ignored, with everything inside */
  G_LIBRARY, G_TEMPLATE, G_OPCOND, G_CELL, G_PIN, G_LEAKAGE, G_POWER, G_TABLE
} gkind;

enum { DIR_NONE, DIR_INPUT, DIR_OUTPUT, DIR_INOUT, DIR_INTERNAL };
enum { TBL_RISE, TBL_FALL, TBL_POWER };

/* A growing list of names separated by single spaces. */
typedef struct name_list {
  char *text;  /* NULL while empty */
  size_t len, cap;
} name_list;

static int add_name(name_list *l, const char *name, size_t len) {
  size_t need = l->len + (l->len > 0) + len + 1;
  if (need > l->cap) {
    size_t cap = l->cap == 0 ? 32 : l->cap;
    while (cap < need) cap *= 2;
    char *more = realloc(l->text, cap);
    if (more == NULL) return -1;
    l->text = more;
    l->cap = cap;
  }
  if (l->len > 0) l->text[l->len++] = ' ';
  memcpy(l->text + l->len, name, len);
  l->len += len;
  l->text[l->len] = '\0';
  return 0;
}

static void free_names(name_list *l) {
  free(l->text);
  memset(l, 0, sizeof *l);
}

typedef struct template_def {
  char *name;
  unsigned dims[3];  /* points of index_1..3, 0 when absent */
} template_def;

/* A pin, bus or bundle group of the open cell. */
typedef struct pin_acc {
  int is_bus;       /* bus or bundle */
  int has_members;  /* a bus with pin groups counts through them, not itself */
  unsigned count;   /* pin (A, B) { ... } describes two pins */
  name_list names;  /* "A B" */
  int direction;    /* DIR_* */
  int clock;        /* -1 when not given */
  int have_cap, have_rise_cap, have_fall_cap;
  double cap, rise_cap, fall_cap;
  char function[SSA_LIBERTY_FUNCTION_MAX];
  double toggle_sum;  /* over internal_power groups: mean of rise and fall */
  unsigned toggle_n;
  double cycle_sum;   /* over internal_power groups: rise + fall */
  unsigned cycle_n;
} pin_acc;

typedef struct cell_acc {
  ssa_liberty_cell c;  /* name, line, flags, pin counts, function */
  int have_area, have_leakage;
  double area, leakage;
  double state_leak_sum;  /* leakage_power groups */
  unsigned state_leak_n;
  int have_state_value;   /* in the open leakage_power group */
  double state_value;
  double cap_sum;
  unsigned cap_n;
  double toggle_sum;
  unsigned toggle_n;
  double clock_energy;
  name_list outputs;  /* the output pins' names */
} cell_acc;

typedef struct reader {
  const char *name;  /* for messages */
  ssa_error *err;
  gkind stack[MAX_DEPTH];
  unsigned depth;
  int have_library, library_done;
  char library_name[SSA_LIBERTY_NAME_MAX];
  /* units, as multiples of the normalised ones; defaults in liberty.h */
  double time_ns, volt_v, cap_ff, leak_nw;
  int have_nom_voltage, have_opcond_voltage;
  double nom_voltage, opcond_voltage;
  /* library defaults in the file's units, applied to the cells that follow them */
  double default_cell_leakage, default_input_cap, default_inout_cap;
  template_def *templates;
  size_t template_count, template_cap;
  cell_acc cell;
  pin_acc pins[2];   /* [0] below the cell, [1] a pin of a bus */
  unsigned pin_depth;
  int power_have[3];  /* the open internal_power group's tables, TBL_* */
  double power_mid[3];
  /* the open table */
  int table_which;
  const char *table_template;  /* in the text buffer; NULL for none */
  size_t table_template_len;
  unsigned table_line, table_own_dims[3];
  int table_have_values;
  size_t table_rows, table_row_len;
  double *values;
  size_t value_count, value_cap;
  ssa_liberty_cell *cells;
  size_t count, cap;
} reader;

/* "NAME:LINE: problem" at a line of the library being read. */
static int rd_fail(reader *rd, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int rd_fail(reader *rd, unsigned line, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  ssa_vfail_at(rd->err, rd->name, line, fmt, ap);
  va_end(ap);
  return -1;
}

/* ---- attribute values ---- */

/* A whole token as a number: "0.532", 1.1e-3 (quoted or not). */
static int token_number(const token *t, double *v) {
  char buf[64];
  const char *s = t->text;
  if (t->kind == T_WORD) {
    if (t->len >= sizeof buf) return -1;
    memcpy(buf, t->text, t->len);
    buf[t->len] = '\0';
    s = buf;
  } else if (t->kind != T_STRING) {
    return -1;
  }
  while (isspace((unsigned char)*s)) s++;
  char *end;
  double x = strtod(s, &end);
  if (end == s) return -1;
  while (isspace((unsigned char)*end)) end++;
  if (*end != '\0' || !isfinite(x)) return -1;
  *v = x;
  return 0;
}

/* Checks that `name` is a simple attribute (name : value) and returns its value. */
static const token *simple_value(reader *rd, const token *name, const token *args, size_t n,
                                 int simple) {
  if (!simple || n != 1) {
    rd_fail(rd, name->line, "'%.*s' takes one value ('%.*s : value ;')", SHOWN(name),
            SHOWN(name));
    return NULL;
  }
  return &args[0];
}

static int attr_number(reader *rd, const token *name, const token *args, size_t n, int simple,
                       double *v) {
  const token *t = simple_value(rd, name, args, n, simple);
  if (t == NULL) return -1;
  if (token_number(t, v) != 0)
    return rd_fail(rd, t->line, "%.*s: '%.*s' is not a number", SHOWN(name), SHOWN(t));
  return 0;
}

static int attr_bool(reader *rd, const token *name, const token *args, size_t n, int simple,
                     int *v) {
  const token *t = simple_value(rd, name, args, n, simple);
  if (t == NULL) return -1;
  if (t->len == 4 && strncasecmp(t->text, "true", 4) == 0) {
    *v = 1;
  } else if (t->len == 5 && strncasecmp(t->text, "false", 5) == 0) {
    *v = 0;
  } else {
    return rd_fail(rd, t->line, "%.*s: expected true or false, found '%.*s'", SHOWN(name),
                   SHOWN(t));
  }
  return 0;
}

static int push_value(reader *rd, double v) {
  if (rd->value_count == rd->value_cap) {
    size_t cap = rd->value_cap == 0 ? 256 : rd->value_cap * 2;
    double *more = realloc(rd->values, cap * sizeof *more);
    if (more == NULL) return -1;
    rd->values = more;
    rd->value_cap = cap;
  }
  rd->values[rd->value_count++] = v;
  return 0;
}

/* The numbers of one argument, "0.1, 0.2, 0.3" (commas and/or blanks between them) or a bare
 * 0.1: counted into *count and, when `store`, appended to rd->values. */
static int number_list(reader *rd, const token *name, const token *t, int store,
                       size_t *count) {
  if (t->kind == T_WORD) {
    double v;
    if (token_number(t, &v) != 0)
      return rd_fail(rd, t->line, "%.*s: '%.*s' is not a number", SHOWN(name), SHOWN(t));
    if (store && push_value(rd, v) != 0) return rd_fail(rd, t->line, "out of memory");
    (*count)++;
    return 0;
  }
  const char *s = t->text;
  for (;;) {
    while (*s == ',' || isspace((unsigned char)*s)) s++;
    if (*s == '\0') return 0;
    char *end;
    double v = strtod(s, &end);
    if (end == s || !isfinite(v) ||
        !(*end == '\0' || *end == ',' || isspace((unsigned char)*end))) {
      size_t bad = strcspn(s, ", \t\r\n");
      return rd_fail(rd, t->line, "%.*s: '%.*s' is not a number", SHOWN(name), shown(s, bad),
                     s);
    }
    if (store && push_value(rd, v) != 0) return rd_fail(rd, t->line, "out of memory");
    (*count)++;
    s = end;
  }
}

/* index_1 ("1, 2, 3") -> 3. */
static int index_points(reader *rd, const token *name, const token *args, size_t n,
                        unsigned *points) {
  size_t count = 0;
  for (size_t i = 0; i < n; i++)
    if (number_list(rd, name, &args[i], 0, &count) != 0) return -1;
  if (count == 0 || count > UINT_MAX)
    return rd_fail(rd, name->line, "%.*s: expected a list of numbers", SHOWN(name));
  *points = (unsigned)count;
  return 0;
}

/* index_1, index_2 or index_3: its number, 0 for any other name. */
static unsigned index_number(const token *name) {
  if (name->len == 7 && memcmp(name->text, "index_", 6) == 0 && name->text[6] >= '1' &&
      name->text[6] <= '3')
    return (unsigned)(name->text[6] - '0');
  return 0;
}

/* 10^k for 0 <= k <= 22, exactly. */
static double exact_power_of_ten(int k) {
  double p = 1;
  while (k-- > 0) p *= 10;
  return p;
}

/* "1nW", "100ps", "1V", "1mV": the unit as a multiple of 10^`base` of the SI unit `unit`
 * (W, s, V), computed so that 1nW is exactly 1 nW and 1uW exactly 1000 nW. */
static int unit_value(reader *rd, const token *name, const token *t, const char *unit,
                      int base, double *v) {
  static const char prefixes[] = "fpnumk";
  static const int exponents[] = {-15, -12, -9, -6, -3, 3};
  char buf[32];
  if (t->len == 0 || t->len >= sizeof buf) goto bad;
  memcpy(buf, t->text, t->len);
  buf[t->len] = '\0';
  char *s;
  double mult = strtod(buf, &s);
  if (s == buf) mult = 1.0;  /* "nW" alone means 1nW */
  if (!(mult > 0) || !isfinite(mult)) goto bad;
  int exponent = 0;
  if (strcasecmp(s, unit) != 0) {
    const char *at = *s != '\0' ? strchr(prefixes, *s) : NULL;
    if (at == NULL || strcasecmp(s + 1, unit) != 0) goto bad;
    exponent = exponents[at - prefixes];
  }
  int k = exponent - base;
  *v = k >= 0 ? mult * exact_power_of_ten(k) : mult / exact_power_of_ten(-k);
  return 0;
bad:
  return rd_fail(rd, t->line, "%.*s: cannot read the unit '%.*s'", SHOWN(name), SHOWN(t));
}

/* capacitive_load_unit (1, ff) -> 1; (1, pf) -> 1000. */
static int cap_unit(reader *rd, const token *name, const token *args, size_t n, int simple) {
  double scale;
  if (simple || n != 2 || token_number(&args[0], &scale) != 0 || !(scale > 0))
    return rd_fail(rd, name->line, "capacitive_load_unit: expected (NUMBER, ff) or (NUMBER, pf)");
  if (args[1].len == 2 && strncasecmp(args[1].text, "ff", 2) == 0)
    rd->cap_ff = scale;
  else if (args[1].len == 2 && strncasecmp(args[1].text, "pf", 2) == 0)
    rd->cap_ff = scale * 1000.0;
  else
    return rd_fail(rd, args[1].line, "capacitive_load_unit: unit '%.*s', expected ff or pf",
                   SHOWN(&args[1]));
  return 0;
}

/* ---- extraction: groups ---- */

static gkind top(const reader *rd) { return rd->stack[rd->depth - 1]; }

static int start_cell(reader *rd, const token *type, const token *args, size_t n) {
  cell_acc *c = &rd->cell;
  memset(c, 0, sizeof *c);
  if (n < 1 || args[0].len == 0) return rd_fail(rd, type->line, "cell group without a name");
  if (args[0].len >= sizeof c->c.name)
    return rd_fail(rd, args[0].line, "cell name '%.*s...' is longer than %d characters",
                   SHOWN(&args[0]), SSA_LIBERTY_NAME_MAX - 1);
  memcpy(c->c.name, args[0].text, args[0].len);
  c->c.line = type->line;
  return 0;
}

static int start_template(reader *rd, const token *type, const token *args, size_t n) {
  if (n < 1) return rd_fail(rd, type->line, "%.*s group without a name", SHOWN(type));
  if (rd->template_count == rd->template_cap) {
    size_t cap = rd->template_cap == 0 ? 16 : rd->template_cap * 2;
    template_def *more = realloc(rd->templates, cap * sizeof *more);
    if (more == NULL) return rd_fail(rd, type->line, "out of memory");
    rd->templates = more;
    rd->template_cap = cap;
  }
  template_def *t = &rd->templates[rd->template_count];
  memset(t, 0, sizeof *t);
  t->name = malloc(args[0].len + 1);
  if (t->name == NULL) return rd_fail(rd, type->line, "out of memory");
  memcpy(t->name, args[0].text, args[0].len);
  t->name[args[0].len] = '\0';
  rd->template_count++;
  return 0;
}

static int start_pin(reader *rd, const token *type, const token *args, size_t n) {
  pin_acc *p = &rd->pins[rd->pin_depth++];
  memset(p, 0, sizeof *p);
  p->is_bus = !tok_is(type, "pin");
  p->count = n > 0 ? (unsigned)(n < UINT_MAX ? n : UINT_MAX) : 1;
  p->direction = DIR_NONE;
  p->clock = -1;
  for (size_t i = 0; i < n; i++)
    if (add_name(&p->names, args[i].text, args[i].len) != 0)
      return rd_fail(rd, type->line, "out of memory");
  return 0;
}

static void start_table(reader *rd, int which, const token *type, const token *args,
                        size_t n) {
  rd->table_which = which;
  rd->table_template = n > 0 ? args[0].text : NULL;
  rd->table_template_len = n > 0 ? args[0].len : 0;
  rd->table_line = type->line;
  memset(rd->table_own_dims, 0, sizeof rd->table_own_dims);
  rd->table_have_values = 0;
  rd->table_rows = rd->table_row_len = 0;
  rd->value_count = 0;
}

static int ends_with(const token *t, const char *suffix) {
  size_t n = strlen(suffix);
  return t->len >= n && memcmp(t->text + t->len - n, suffix, n) == 0;
}

/* Which kind of group `type` is where it opens, and the start of its running sums. */
static int on_group_begin(reader *rd, const token *type, const token *args, size_t n) {
  gkind k = G_OTHER;
  if (rd->depth == 0) {
    if (!tok_is(type, "library"))
      return rd_fail(rd, type->line, "expected a library group, found group '%.*s'", SHOWN(type));
    if (rd->have_library)
      return rd_fail(rd, type->line, "a second library group (one library per file)");
    if (n < 1) return rd_fail(rd, type->line, "library group without a name");
    size_t len = args[0].len < sizeof rd->library_name ? args[0].len
                                                       : sizeof rd->library_name - 1;
    memcpy(rd->library_name, args[0].text, len);
    rd->have_library = 1;
    k = G_LIBRARY;
  } else if (rd->depth >= MAX_DEPTH) {
    return rd_fail(rd, type->line, "groups nested more than %d deep", MAX_DEPTH);
  } else {
    switch (top(rd)) {
      case G_LIBRARY:
        if (tok_is(type, "cell")) {
          if (start_cell(rd, type, args, n) != 0) return -1;
          k = G_CELL;
        } else if (ends_with(type, "_template")) {
          if (start_template(rd, type, args, n) != 0) return -1;
          k = G_TEMPLATE;
        } else if (tok_is(type, "operating_conditions")) {
          k = G_OPCOND;
        }
        break;
      case G_CELL:
        if (tok_is(type, "pin") || tok_is(type, "bus") || tok_is(type, "bundle")) {
          if (start_pin(rd, type, args, n) != 0) return -1;
          k = G_PIN;
        } else if (tok_is(type, "ff") || tok_is(type, "ff_bank")) {
          rd->cell.c.sequential = rd->cell.c.is_flop = 1;
        } else if (tok_is(type, "latch") || tok_is(type, "latch_bank") ||
                   tok_is(type, "statetable")) {
          rd->cell.c.sequential = 1;
        } else if (tok_is(type, "leakage_power")) {
          rd->cell.have_state_value = 0;
          k = G_LEAKAGE;
        }
        break;
      case G_PIN:
        if (tok_is(type, "pin") && rd->pin_depth == 1 && rd->pins[0].is_bus) {
          rd->pins[0].has_members = 1;
          if (start_pin(rd, type, args, n) != 0) return -1;
          k = G_PIN;
        } else if (tok_is(type, "internal_power")) {
          memset(rd->power_have, 0, sizeof rd->power_have);
          k = G_POWER;
        }
        break;
      case G_POWER:
        if (tok_is(type, "rise_power")) {
          start_table(rd, TBL_RISE, type, args, n);
          k = G_TABLE;
        } else if (tok_is(type, "fall_power")) {
          start_table(rd, TBL_FALL, type, args, n);
          k = G_TABLE;
        } else if (tok_is(type, "power")) {
          start_table(rd, TBL_POWER, type, args, n);
          k = G_TABLE;
        }
        break;
      default:
        break;
    }
  }
  rd->stack[rd->depth++] = k;
  return 0;
}

static const template_def *find_template(const reader *rd, const char *name, size_t len) {
  for (size_t i = 0; i < rd->template_count; i++)
    if (strlen(rd->templates[i].name) == len && memcmp(rd->templates[i].name, name, len) == 0)
      return &rd->templates[i];
  return NULL;
}

/* A closing rise_power, fall_power or power table: its representative value, the mean of the
 * entries at the middle of every index (the central one, or the two central ones of an even
 * count). Dimensions come from the table's own index_N, else from its template; without
 * either (an unknown template) the values' shape gives them: one row is 1-D, several are 2-D. */
static int finish_table(reader *rd) {
  if (!rd->table_have_values) return rd_fail(rd, rd->table_line, "power table without values");
  unsigned dims[3] = {0, 0, 0};
  const template_def *t = NULL;
  int scalar = rd->table_template != NULL && rd->table_template_len == 6 &&
               memcmp(rd->table_template, "scalar", 6) == 0;
  if (rd->table_template != NULL && !scalar)
    t = find_template(rd, rd->table_template, rd->table_template_len);
  for (int k = 0; k < 3; k++)
    dims[k] = rd->table_own_dims[k] != 0 ? rd->table_own_dims[k] : t != NULL ? t->dims[k] : 0;
  if (scalar && dims[0] == 0) dims[0] = 1;
  if (dims[0] == 0) {  /* nothing declared: the shape of the values */
    dims[0] = rd->table_rows == 1 ? (unsigned)rd->table_row_len : (unsigned)rd->table_rows;
    dims[1] = rd->table_rows == 1 ? 0 : (unsigned)rd->table_row_len;
  }
  size_t total = 1;
  unsigned d[3];
  for (int k = 0; k < 3; k++) {
    d[k] = dims[k] != 0 ? dims[k] : 1;
    total *= d[k];
  }
  if (total != rd->value_count)
    return rd_fail(rd, rd->table_line, "power table has %zu values, its indexes give %u x %u x %u",
                   rd->value_count, d[0], d[1], d[2]);
  double sum = 0;
  unsigned count = 0;
  for (unsigned i = (d[0] - 1) / 2; i <= d[0] / 2; i++)
    for (unsigned j = (d[1] - 1) / 2; j <= d[1] / 2; j++)
      for (unsigned k = (d[2] - 1) / 2; k <= d[2] / 2; k++) {
        sum += rd->values[((size_t)i * d[1] + j) * d[2] + k];
        count++;
      }
  rd->power_have[rd->table_which] = 1;
  rd->power_mid[rd->table_which] = sum / count;
  return 0;
}

/* A closing internal_power group adds to its pin: the energy per transition of an output
 * (mean of rise and fall) and, for a clock pin, the energy per cycle (rise + fall). A `power`
 * table stands for both rise and fall; a missing one counts as no energy in the cycle. */
static void finish_power(reader *rd) {
  pin_acc *p = &rd->pins[rd->pin_depth - 1];
  const int *have = rd->power_have;
  const double *mid = rd->power_mid;
  if (!have[TBL_RISE] && !have[TBL_FALL] && !have[TBL_POWER]) return;
  double rise = have[TBL_RISE] ? mid[TBL_RISE] : have[TBL_POWER] ? mid[TBL_POWER] : 0;
  double fall = have[TBL_FALL] ? mid[TBL_FALL] : have[TBL_POWER] ? mid[TBL_POWER] : 0;
  double toggle;
  if (have[TBL_RISE] && have[TBL_FALL])
    toggle = (rise + fall) / 2;
  else if (have[TBL_RISE] || have[TBL_FALL])
    toggle = have[TBL_RISE] ? rise : fall;
  else
    toggle = mid[TBL_POWER];
  p->toggle_sum += toggle;
  p->toggle_n++;
  p->cycle_sum += rise + fall;
  p->cycle_n++;
}

/* A closing pin (or bus) adds its pins to the cell. A pin of a bus takes the bus's direction,
 * clock flag and capacitance unless it gives its own. */
static int finish_pin(reader *rd) {
  pin_acc *p = &rd->pins[--rd->pin_depth];
  cell_acc *c = &rd->cell;
  if (rd->pin_depth == 1) {
    const pin_acc *bus = &rd->pins[0];
    if (p->direction == DIR_NONE) p->direction = bus->direction;
    if (p->clock < 0) p->clock = bus->clock;
    if (!p->have_cap && !p->have_rise_cap && !p->have_fall_cap) {
      p->have_cap = bus->have_cap;
      p->cap = bus->cap;
      p->have_rise_cap = bus->have_rise_cap;
      p->rise_cap = bus->rise_cap;
      p->have_fall_cap = bus->have_fall_cap;
      p->fall_cap = bus->fall_cap;
    }
  }
  if (p->is_bus && p->has_members) {
    free_names(&p->names);
    return 0;
  }
  unsigned m = p->count;
  if (p->direction == DIR_INPUT || p->direction == DIR_INOUT) {
    double cap = p->direction == DIR_INPUT ? rd->default_input_cap : rd->default_inout_cap;
    if (p->have_cap)
      cap = p->cap;
    else if (p->have_rise_cap && p->have_fall_cap)
      cap = (p->rise_cap + p->fall_cap) / 2;
    else if (p->have_rise_cap || p->have_fall_cap)
      cap = p->have_rise_cap ? p->rise_cap : p->fall_cap;
    c->c.inputs += m;
    c->cap_sum += m * cap;
    c->cap_n += m;
    if (p->clock == 1 && p->cycle_n > 0) c->clock_energy += m * (p->cycle_sum / p->cycle_n);
  }
  if (p->direction == DIR_OUTPUT || p->direction == DIR_INOUT) {
    c->c.outputs += m;
    c->toggle_sum += m * p->toggle_sum;
    c->toggle_n += m * p->toggle_n;
    if (c->c.function[0] == '\0') memcpy(c->c.function, p->function, sizeof p->function);
    if (p->names.len > 0 && add_name(&c->outputs, p->names.text, p->names.len) != 0) {
      free_names(&p->names);
      return rd_fail(rd, c->c.line, "out of memory");
    }
  }
  free_names(&p->names);
  return 0;
}

static int finish_cell(reader *rd) {
  cell_acc *c = &rd->cell;
  ssa_liberty_cell cell = c->c;
  cell.area_um2 = c->have_area ? c->area : 0;
  cell.leakage_nw = c->have_leakage        ? c->leakage
                    : c->state_leak_n > 0 ? c->state_leak_sum / c->state_leak_n
                                          : rd->default_cell_leakage;
  cell.input_cap_ff = c->cap_n > 0 ? c->cap_sum / c->cap_n : 0;
  cell.energy_per_toggle_fj = c->toggle_n > 0 ? c->toggle_sum / c->toggle_n : 0;
  cell.clock_energy_fj = c->clock_energy;
  cell.output_pins = c->outputs.text;  /* owned by rd->cells[] from here; NULL for none */
  if (rd->count == rd->cap) {
    size_t cap = rd->cap == 0 ? 256 : rd->cap * 2;
    ssa_liberty_cell *more = realloc(rd->cells, cap * sizeof *more);
    if (more == NULL) return rd_fail(rd, cell.line, "out of memory");
    rd->cells = more;
    rd->cap = cap;
  }
  rd->cells[rd->count++] = cell;
  memset(&c->outputs, 0, sizeof c->outputs);
  return 0;
}

static int on_group_end(reader *rd) {
  gkind k = rd->stack[--rd->depth];
  switch (k) {
    case G_TABLE: return finish_table(rd);
    case G_POWER: finish_power(rd); return 0;
    case G_PIN: return finish_pin(rd);
    case G_LEAKAGE:
      if (rd->cell.have_state_value) {
        rd->cell.state_leak_sum += rd->cell.state_value;
        rd->cell.state_leak_n++;
      }
      return 0;
    case G_CELL: return finish_cell(rd);
    case G_LIBRARY: rd->library_done = 1; return 0;
    default: return 0;
  }
}

/* ---- extraction: attributes ---- */

static int library_attr(reader *rd, const token *name, const token *args, size_t n,
                        int simple) {
  double v = 0;
  if (tok_is(name, "capacitive_load_unit")) return cap_unit(rd, name, args, n, simple);
  /* each unit as a multiple of ns, V and nW */
  static const struct { const char *attr, *unit; int base; } units[] = {
      {"time_unit", "s", -9}, {"voltage_unit", "V", 0}, {"leakage_power_unit", "W", -9}};
  for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
    if (!tok_is(name, units[i].attr)) continue;
    const token *t = simple_value(rd, name, args, n, simple);
    if (t == NULL || unit_value(rd, name, t, units[i].unit, units[i].base, &v) != 0) return -1;
    *(i == 0 ? &rd->time_ns : i == 1 ? &rd->volt_v : &rd->leak_nw) = v;
    return 0;
  }
  double *target = tok_is(name, "nom_voltage")                  ? &rd->nom_voltage
                   : tok_is(name, "default_cell_leakage_power") ? &rd->default_cell_leakage
                   : tok_is(name, "default_input_pin_cap")      ? &rd->default_input_cap
                   : tok_is(name, "default_inout_pin_cap")      ? &rd->default_inout_cap
                                                                : NULL;
  if (target == NULL) return 0;
  if (attr_number(rd, name, args, n, simple, target) != 0) return -1;
  if (target == &rd->nom_voltage) rd->have_nom_voltage = 1;
  return 0;
}

static int pin_attr(reader *rd, const token *name, const token *args, size_t n, int simple) {
  pin_acc *p = &rd->pins[rd->pin_depth - 1];
  if (tok_is(name, "direction")) {
    const token *t = simple_value(rd, name, args, n, simple);
    if (t == NULL) return -1;
    if (tok_is(t, "input"))
      p->direction = DIR_INPUT;
    else if (tok_is(t, "output"))
      p->direction = DIR_OUTPUT;
    else if (tok_is(t, "inout"))
      p->direction = DIR_INOUT;
    else if (tok_is(t, "internal"))
      p->direction = DIR_INTERNAL;
    else
      return rd_fail(rd, t->line, "direction: '%.*s', expected input, output, inout or internal",
                     SHOWN(t));
    return 0;
  }
  if (tok_is(name, "capacitance")) {
    p->have_cap = 1;
    return attr_number(rd, name, args, n, simple, &p->cap);
  }
  if (tok_is(name, "rise_capacitance")) {
    p->have_rise_cap = 1;
    return attr_number(rd, name, args, n, simple, &p->rise_cap);
  }
  if (tok_is(name, "fall_capacitance")) {
    p->have_fall_cap = 1;
    return attr_number(rd, name, args, n, simple, &p->fall_cap);
  }
  if (tok_is(name, "clock")) return attr_bool(rd, name, args, n, simple, &p->clock);
  if (tok_is(name, "function")) {
    const token *t = simple_value(rd, name, args, n, simple);
    if (t == NULL) return -1;
    size_t len = t->len < sizeof p->function ? t->len : sizeof p->function - 1;
    memcpy(p->function, t->text, len);
    p->function[len] = '\0';
  }
  return 0;
}

static int table_attr(reader *rd, const token *name, const token *args, size_t n, int simple) {
  unsigned k = index_number(name);
  if (k != 0) return index_points(rd, name, args, n, &rd->table_own_dims[k - 1]);
  if (!tok_is(name, "values")) return 0;
  if (simple || n == 0)
    return rd_fail(rd, name->line, "values: expected values (\"NUMBERS\", ...)");
  rd->table_have_values = 1;
  rd->value_count = 0;
  rd->table_rows = n;
  for (size_t i = 0; i < n; i++) {
    size_t row = 0;
    if (number_list(rd, name, &args[i], 1, &row) != 0) return -1;
    if (i == 0)
      rd->table_row_len = row;
    else if (row != rd->table_row_len)
      return rd_fail(rd, args[i].line, "values: row %zu has %zu numbers, row 1 has %zu", i + 1,
                     row, rd->table_row_len);
  }
  return 0;
}

static int on_attribute(reader *rd, const token *name, const token *args, size_t n,
                        int simple) {
  if (rd->depth == 0)
    return rd_fail(rd, name->line, "expected a library group, found attribute '%.*s'", SHOWN(name));
  switch (top(rd)) {
    case G_LIBRARY: return library_attr(rd, name, args, n, simple);
    case G_TEMPLATE: {
      unsigned k = index_number(name);
      if (k == 0) return 0;
      return index_points(rd, name, args, n, &rd->templates[rd->template_count - 1].dims[k - 1]);
    }
    case G_OPCOND:
      /* the first operating_conditions group's voltage stands in for a missing nom_voltage */
      if (tok_is(name, "voltage") && !rd->have_opcond_voltage) {
        if (attr_number(rd, name, args, n, simple, &rd->opcond_voltage) != 0) return -1;
        rd->have_opcond_voltage = 1;
      }
      return 0;
    case G_CELL:
      if (tok_is(name, "area")) {
        rd->cell.have_area = 1;
        return attr_number(rd, name, args, n, simple, &rd->cell.area);
      }
      if (tok_is(name, "cell_leakage_power")) {
        rd->cell.have_leakage = 1;
        return attr_number(rd, name, args, n, simple, &rd->cell.leakage);
      }
      if (tok_is(name, "dont_use"))
        return attr_bool(rd, name, args, n, simple, &rd->cell.c.dont_use);
      return 0;
    case G_LEAKAGE:
      if (!tok_is(name, "value")) return 0;
      rd->cell.have_state_value = 1;
      return attr_number(rd, name, args, n, simple, &rd->cell.state_value);
    case G_PIN: return pin_attr(rd, name, args, n, simple);
    case G_TABLE: return table_attr(rd, name, args, n, simple);
    default: return 0;
  }
}

/* ---- parser ---- */

typedef struct parser {
  lexer lx;
  token cur;  /* the next token, not yet consumed */
  token *args;
  size_t nargs, args_cap;
  reader *rd;
} parser;

static int advance(parser *ps) { return lex_next(&ps->lx, &ps->cur); }

/* After an attribute: ';', or nothing at the end of a line, before '}' or at the end. */
static int end_attribute(parser *ps, const token *name) {
  if (ps->cur.kind == T_SEMI) return advance(ps);
  if (ps->cur.kind == T_RBRACE || ps->cur.kind == T_EOF || ps->cur.after_newline) return 0;
  char buf[64];
  return rd_fail(ps->rd, ps->cur.line, "expected ';' after attribute '%.*s', found %s",
                 SHOWN(name), describe(&ps->cur, buf, sizeof buf));
}

static int parse_statements(parser *ps, const token *group);

/* One statement, starting at a name: a simple attribute, a complex attribute or a group. */
static int parse_statement(parser *ps) {
  char buf[64];
  token name = ps->cur;
  if (advance(ps) != 0) return -1;
  if (ps->cur.kind == T_COLON) {
    if (advance(ps) != 0) return -1;
    if (!tok_is_value(&ps->cur))
      return rd_fail(ps->rd, ps->cur.line, "expected a value after '%.*s :', found %s",
                     SHOWN(&name), describe(&ps->cur, buf, sizeof buf));
    token value = ps->cur;
    if (advance(ps) != 0) return -1;
    if (on_attribute(ps->rd, &name, &value, 1, 1) != 0) return -1;
    return end_attribute(ps, &name);
  }
  if (ps->cur.kind != T_LPAREN)
    return rd_fail(ps->rd, ps->cur.line, "expected ':' or '(' after '%.*s', found %s",
                   SHOWN(&name), describe(&ps->cur, buf, sizeof buf));
  if (advance(ps) != 0) return -1;
  ps->nargs = 0;
  while (ps->cur.kind != T_RPAREN) {
    if (tok_is_value(&ps->cur)) {
      if (ps->nargs == ps->args_cap) {
        size_t cap = ps->args_cap == 0 ? 64 : ps->args_cap * 2;
        token *more = realloc(ps->args, cap * sizeof *more);
        if (more == NULL) return rd_fail(ps->rd, ps->cur.line, "out of memory");
        ps->args = more;
        ps->args_cap = cap;
      }
      ps->args[ps->nargs++] = ps->cur;
    } else if (ps->cur.kind != T_COMMA) {
      return rd_fail(ps->rd, ps->cur.line,
                     "expected ')' to close the arguments of '%.*s', found %s", SHOWN(&name),
                     describe(&ps->cur, buf, sizeof buf));
    }
    if (advance(ps) != 0) return -1;
  }
  if (advance(ps) != 0) return -1;
  if (ps->cur.kind == T_LBRACE) {
    if (on_group_begin(ps->rd, &name, ps->args, ps->nargs) != 0) return -1;
    if (advance(ps) != 0) return -1;
    if (parse_statements(ps, &name) != 0) return -1;
    return on_group_end(ps->rd);
  }
  if (on_attribute(ps->rd, &name, ps->args, ps->nargs, 0) != 0) return -1;
  return end_attribute(ps, &name);
}

/* Statements up to the '}' that closes `group` (consumed), or to the end of the file when
 * group is NULL. */
static int parse_statements(parser *ps, const token *group) {
  char buf[64];
  for (;;) {
    switch (ps->cur.kind) {
      case T_EOF:
        if (group == NULL) return 0;
        return rd_fail(ps->rd, ps->cur.line,
                       "the file ends inside group '%.*s' opened at line %u (missing '}')",
                       SHOWN(group), group->line);
      case T_RBRACE:
        if (group == NULL) return rd_fail(ps->rd, ps->cur.line, "'}' without a matching '{'");
        return advance(ps);
      case T_SEMI:  /* an empty statement, as in "};" */
        if (advance(ps) != 0) return -1;
        break;
      case T_WORD:
        if (parse_statement(ps) != 0) return -1;
        break;
      default:
        return rd_fail(ps->rd, ps->cur.line, "expected an attribute or a group, found %s",
                       describe(&ps->cur, buf, sizeof buf));
    }
  }
}

/* ---- the library ---- */

static int by_name(const void *a, const void *b) {
  return strcmp(((const ssa_liberty_cell *)a)->name, ((const ssa_liberty_cell *)b)->name);
}

/* Converts the finished cells to the normalised units, sorts them and fills `out`. The cells
 * and their pin names go into one block, so that ssa_liberty_free has one thing to free. */
static int finish_library(reader *rd, ssa_liberty *out) {
  double energy_fj = rd->cap_ff * rd->volt_v * rd->volt_v;
  for (size_t i = 0; i < rd->count; i++) {
    ssa_liberty_cell *c = &rd->cells[i];
    c->leakage_nw *= rd->leak_nw;
    c->input_cap_ff *= rd->cap_ff;
    c->energy_per_toggle_fj *= energy_fj;
    c->clock_energy_fj *= energy_fj;
  }
  if (rd->count > 1) qsort(rd->cells, rd->count, sizeof *rd->cells, by_name);
  for (size_t i = 1; i < rd->count; i++)
    if (strcmp(rd->cells[i - 1].name, rd->cells[i].name) == 0) {
      const ssa_liberty_cell *a = &rd->cells[i - 1], *b = &rd->cells[i];
      return rd_fail(rd, a->line > b->line ? a->line : b->line,
                     "cell '%s' defined twice (first at line %u)", a->name,
                     a->line < b->line ? a->line : b->line);
    }
  ssa_liberty_cell *block = NULL;
  size_t count = rd->count;
  if (count > 0) {
    size_t text = 0;
    for (size_t i = 0; i < rd->count; i++)
      text += (rd->cells[i].output_pins != NULL ? strlen(rd->cells[i].output_pins) : 0) + 1;
    block = malloc(rd->count * sizeof *block + text);
    if (block == NULL) return rd_fail(rd, 1, "out of memory");
    char *at = (char *)(block + rd->count);
    for (size_t i = 0; i < rd->count; i++) {
      ssa_liberty_cell *c = &rd->cells[i];
      const char *names = c->output_pins != NULL ? c->output_pins : "";
      size_t n = strlen(names) + 1;
      memcpy(at, names, n);
      free((void *)c->output_pins);
      block[i] = *c;
      block[i].output_pins = at;
      at += n;
    }
    free(rd->cells);
    rd->cells = NULL;
    rd->count = 0;
  }
  memcpy(out->name, rd->library_name, sizeof out->name);
  out->nom_voltage_v = (rd->have_nom_voltage     ? rd->nom_voltage
                        : rd->have_opcond_voltage ? rd->opcond_voltage
                                                  : 0) *
                       rd->volt_v;
  out->time_unit_ns = rd->time_ns;
  out->voltage_unit_v = rd->volt_v;
  out->cap_unit_ff = rd->cap_ff;
  out->leakage_unit_nw = rd->leak_nw;
  out->energy_unit_fj = energy_fj;
  out->cells = block;
  out->count = count;
  return 0;
}

/* Parses text[0..len) in place (strings are rewritten) into out. */
static int parse_buffer(const char *name, char *text, size_t len, ssa_liberty *out,
                        ssa_error *err) {
  memset(out, 0, sizeof *out);
  reader rd;
  memset(&rd, 0, sizeof rd);
  rd.name = name;
  rd.err = err;
  rd.time_ns = 1;
  rd.volt_v = 1;
  rd.cap_ff = 1000;
  rd.leak_nw = 1;
  parser ps;
  memset(&ps, 0, sizeof ps);
  ps.lx.name = name;
  ps.lx.p = text;
  ps.lx.end = text + len;
  ps.lx.line = 1;
  ps.lx.err = err;
  ps.rd = &rd;
  int rc = advance(&ps);
  if (rc == 0) rc = parse_statements(&ps, NULL);
  if (rc == 0 && !rd.library_done) rc = rd_fail(&rd, ps.lx.line, "no library group");
  if (rc == 0) rc = finish_library(&rd, out);
  if (rc == 0) snprintf(out->path, sizeof out->path, "%s", name);
  free(ps.args);
  free(rd.values);
  for (unsigned i = 0; i < rd.pin_depth; i++) free_names(&rd.pins[i].names);
  free_names(&rd.cell.outputs);
  for (size_t i = 0; i < rd.count; i++) free((void *)rd.cells[i].output_pins);
  for (size_t i = 0; i < rd.template_count; i++) free(rd.templates[i].name);
  free(rd.templates);
  free(rd.cells);
  return rc;
}

int ssa_liberty_parse(const char *name, const char *text, size_t len, ssa_liberty *out,
                      ssa_error *err) {
  memset(out, 0, sizeof *out);
  char *copy = malloc(len + 1);
  if (copy == NULL) return ssa_fail(err, "%s: out of memory", name);
  memcpy(copy, text, len);
  int rc = parse_buffer(name, copy, len, out, err);
  free(copy);
  return rc;
}

int ssa_liberty_read(const char *path, ssa_liberty *out, ssa_error *err) {
  memset(out, 0, sizeof *out);
  char *text = NULL;
  size_t len = 0;
  if (read_all(path, &text, &len, err) != 0) return -1;
  int rc = parse_buffer(path, text, len, out, err);
  free(text);
  return rc;
}

void ssa_liberty_free(ssa_liberty *lib) {
  free((void *)lib->cells);
  lib->cells = NULL;
  lib->count = 0;
}

static int key_vs_cell(const void *key, const void *cell) {
  return strcmp(key, ((const ssa_liberty_cell *)cell)->name);
}

const ssa_liberty_cell *ssa_liberty_find(const ssa_liberty *lib, const char *name) {
  if (lib == NULL || lib->count == 0) return NULL;
  return bsearch(name, lib->cells, lib->count, sizeof *lib->cells, key_vs_cell);
}

int ssa_liberty_cell_is_output(const ssa_liberty_cell *cell, const char *pin) {
  size_t n = strlen(pin);
  const char *s = cell->output_pins;
  if (n == 0 || s == NULL) return 0;
  while (*s != '\0') {
    size_t len = strcspn(s, " ");
    if (len == n && memcmp(s, pin, n) == 0) return 1;
    s += len;
    if (*s == ' ') s++;
  }
  return 0;
}
