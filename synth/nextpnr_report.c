/* nextpnr_report.c -- reading the JSON report of nextpnr-ice40 (see nextpnr_report.h).
 * One pass of a strict recursive-descent JSON parser that keeps no tree: it tracks the keys of
 * the three outermost levels around the current value, and takes the few numbers whose path is
 * fmax.<clock>.{achieved,constraint} or utilization.<resource>.{used,available}. */
#include "nextpnr_report.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/args.h"
#include "../common/process.h"

/* Deeper nesting is an error rather than a deep recursion on a hostile file; nextpnr's
 * reports nest 6 levels. */
#define MAX_DEPTH 64
/* Only paths of up to 3 keys matter (utilization.ICESTORM_LC.used). */
#define PATH_KEPT 3
#define KEY_MAX 128
/* Longest number text accepted; nextpnr's have at most 17 significant digits. */
#define NUMBER_MAX 100

enum resource { RES_LC, RES_RAM, RES_IO, RES_DSP, RES_COUNT };
static const char *const resource_names[RES_COUNT] = {"ICESTORM_LC", "ICESTORM_RAM", "SB_IO",
                                                      "ICESTORM_DSP"};

typedef struct resource_figures {
  int seen, seen_used, seen_available;
  unsigned used, available;
} resource_figures;

typedef struct clock_figures {
  char name[KEY_MAX];
  int seen_achieved, seen_constraint;
  double achieved, constraint;
} clock_figures;

typedef struct reader {
  const char *name;  /* for messages */
  const char *s;
  size_t len, pos;
  ssa_error *err;
  unsigned depth;                /* containers open around the current position */
  char key[PATH_KEPT][KEY_MAX];  /* key of the current member at each outer level */
  int in_array[PATH_KEPT];       /* that level is an array: its members have no key */
  resource_figures res[RES_COUNT];
  clock_figures clock;           /* the clock being read */
  int have_clock;
  clock_figures best;            /* the clock chosen so far */
} reader;

/* What the value at the current position is to the report. */
enum slot {
  SLOT_NONE,
  SLOT_SECTION,   /* fmax or utilization: an object */
  SLOT_CLOCK,     /* fmax.<clock>: an object */
  SLOT_RESOURCE,  /* utilization.<one of resource_names>: an object */
  SLOT_FREQUENCY, /* fmax.<clock>.achieved or .constraint: a number of MHz */
  SLOT_COUNT      /* utilization.<resource>.used or .available: a whole number */
};

/* ---- positions and errors ---- */

static void line_column(const reader *r, size_t pos, unsigned *line, unsigned *column) {
  *line = 1;
  *column = 1;
  for (size_t k = 0; k < pos && k < r->len; k++) {
    if (r->s[k] == '\n') {
      ++*line;
      *column = 1;
    } else {
      ++*column;
    }
  }
}

static int fail_at(const reader *r, size_t pos, const char *problem) {
  unsigned line, column;
  line_column(r, pos, &line, &column);
  return ssa_fail(r->err, "%s:%u:%u: %s", r->name, line, column, problem);
}

static int at_end(const reader *r) { return r->pos >= r->len; }

static int expected(const reader *r, const char *what) {
  char problem[128];
  if (at_end(r)) snprintf(problem, sizeof problem, "expected %s, found the end of the file", what);
  else snprintf(problem, sizeof problem, "expected %s", what);
  return fail_at(r, r->pos, problem);
}

/* "utilization.SB_IO.used" for the current value at depth r->depth. */
static void path_text(const reader *r, char *buf, size_t len) {
  size_t used = 0;
  buf[0] = '\0';
  for (unsigned k = 0; k < r->depth && k < PATH_KEPT && used < len; k++)
    used += (size_t)snprintf(buf + used, len - used, "%s%s", k ? "." : "", r->key[k]);
}

/* ---- the report's paths ---- */

static int resource_index(const char *name) {
  return ssa_name_index(resource_names, RES_COUNT, name);
}

static enum slot classify(const reader *r) {
  if (r->depth == 0 || r->depth > PATH_KEPT) return SLOT_NONE;
  for (unsigned k = 0; k < r->depth; k++)
    if (r->in_array[k]) return SLOT_NONE;
  int fmax = strcmp(r->key[0], "fmax") == 0, util = strcmp(r->key[0], "utilization") == 0;
  if (!fmax && !util) return SLOT_NONE;
  if (r->depth == 1) return SLOT_SECTION;
  if (fmax) {
    if (r->depth == 2) return SLOT_CLOCK;
    int figure = strcmp(r->key[2], "achieved") == 0 || strcmp(r->key[2], "constraint") == 0;
    return figure ? SLOT_FREQUENCY : SLOT_NONE;
  }
  if (resource_index(r->key[1]) < 0) return SLOT_NONE;
  if (r->depth == 2) return SLOT_RESOURCE;
  int figure = strcmp(r->key[2], "used") == 0 || strcmp(r->key[2], "available") == 0;
  return figure ? SLOT_COUNT : SLOT_NONE;
}

static int take_number(reader *r, enum slot slot, double v, size_t pos) {
  char path[3 * KEY_MAX], problem[4 * KEY_MAX];
  path_text(r, path, sizeof path);
  if (slot == SLOT_FREQUENCY) {
    if (!isfinite(v) || v < 0) {
      snprintf(problem, sizeof problem, "%s is %g, expected a frequency of 0 MHz or more", path, v);
      return fail_at(r, pos, problem);
    }
    if (strcmp(r->key[2], "achieved") == 0) {
      r->clock.achieved = v;
      r->clock.seen_achieved = 1;
    } else {
      r->clock.constraint = v;
      r->clock.seen_constraint = 1;
    }
    return 0;
  }
  if (!(v >= 0 && v <= UINT_MAX && v == floor(v))) {
    snprintf(problem, sizeof problem, "%s is %g, expected a whole number from 0 to %u", path, v,
             UINT_MAX);
    return fail_at(r, pos, problem);
  }
  resource_figures *f = &r->res[resource_index(r->key[1])];
  if (strcmp(r->key[2], "used") == 0) {
    f->used = (unsigned)v;
    f->seen_used = 1;
  } else {
    f->available = (unsigned)v;
    f->seen_available = 1;
  }
  return 0;
}

/* The slowest clock whose name has clk_i (the design's clock: nextpnr calls its net
 * "clk_i$SB_IO_IN_$glb_clk"), else the slowest clock; the first one on a tie. */
static int better_clock(const clock_figures *c, const clock_figures *best) {
  int c_main = strstr(c->name, "clk_i") != NULL, best_main = strstr(best->name, "clk_i") != NULL;
  if (c_main != best_main) return c_main;
  return c->achieved < best->achieved;
}

static int end_clock(reader *r) {
  static const char *const figures[] = {"achieved", "constraint"};
  const int seen[] = {r->clock.seen_achieved, r->clock.seen_constraint};
  for (unsigned k = 0; k < 2; k++)
    if (!seen[k])
      return ssa_fail(r->err, "%s: fmax.%s has no \"%s\"", r->name, r->clock.name, figures[k]);
  if (!r->have_clock || better_clock(&r->clock, &r->best)) r->best = r->clock;
  r->have_clock = 1;
  return 0;
}

static int end_resource(reader *r) {
  const resource_figures *f = &r->res[resource_index(r->key[1])];
  if (!f->seen_used || !f->seen_available)
    return ssa_fail(r->err, "%s: utilization.%s has no \"%s\"", r->name, r->key[1],
                    f->seen_used ? "available" : "used");
  return 0;
}

/* ---- JSON ---- */

static const char any_value[] = "a value (object, array, string, number, true, false or null)";

static void skip_space(reader *r) {
  while (!at_end(r) && (r->s[r->pos] == ' ' || r->s[r->pos] == '\t' || r->s[r->pos] == '\n' ||
                        r->s[r->pos] == '\r'))
    r->pos++;
}

static int hex4(reader *r, unsigned *v) {
  *v = 0;
  for (unsigned k = 0; k < 4; k++, r->pos++) {
    char c = at_end(r) ? '\0' : r->s[r->pos];
    unsigned digit;
    if (c >= '0' && c <= '9') digit = (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f') digit = (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') digit = (unsigned)(c - 'A' + 10);
    else return expected(r, "4 hex digits after \\u");
    *v = *v * 16 + digit;
  }
  return 0;
}

/* Appends a byte to buf (cut to fit cap, which holds the NUL). */
static void put(char *buf, size_t cap, size_t *n, unsigned char c) {
  if (buf != NULL && *n + 1 < cap) buf[(*n)++] = (char)c;
}

static void put_utf8(char *buf, size_t cap, size_t *n, unsigned cp) {
  if (cp < 0x80) {
    put(buf, cap, n, (unsigned char)cp);
  } else if (cp < 0x800) {
    put(buf, cap, n, (unsigned char)(0xc0 | cp >> 6));
    put(buf, cap, n, (unsigned char)(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    put(buf, cap, n, (unsigned char)(0xe0 | cp >> 12));
    put(buf, cap, n, (unsigned char)(0x80 | (cp >> 6 & 0x3f)));
    put(buf, cap, n, (unsigned char)(0x80 | (cp & 0x3f)));
  } else {
    put(buf, cap, n, (unsigned char)(0xf0 | cp >> 18));
    put(buf, cap, n, (unsigned char)(0x80 | (cp >> 12 & 0x3f)));
    put(buf, cap, n, (unsigned char)(0x80 | (cp >> 6 & 0x3f)));
    put(buf, cap, n, (unsigned char)(0x80 | (cp & 0x3f)));
  }
}

/* \uXXXX, or a surrogate pair \uD8xx\uDCxx, after the backslash and 'u'. */
static int unicode_escape(reader *r, char *buf, size_t cap, size_t *n) {
  size_t start = r->pos - 2;
  unsigned cp;
  if (hex4(r, &cp) != 0) return -1;
  if (cp >= 0xdc00 && cp <= 0xdfff) return fail_at(r, start, "low surrogate without a high one");
  if (cp >= 0xd800 && cp <= 0xdbff) {
    unsigned low;
    if (r->len - r->pos < 2 || r->s[r->pos] != '\\' || r->s[r->pos + 1] != 'u')
      return fail_at(r, start, "high surrogate without a low one");
    r->pos += 2;
    if (hex4(r, &low) != 0) return -1;
    if (low < 0xdc00 || low > 0xdfff) return fail_at(r, start, "high surrogate without a low one");
    cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
  }
  put_utf8(buf, cap, n, cp);
  return 0;
}

/* A string at r->pos (which is '"'), decoded into buf (NULL: checked only), cut to fit cap.
 * Bytes from 0x80 up are taken as they are (nextpnr writes ASCII). */
static int string(reader *r, char *buf, size_t cap) {
  size_t start = r->pos++, n = 0;
  for (;;) {
    if (at_end(r)) return fail_at(r, start, "string not closed before the end of the file");
    unsigned char c = (unsigned char)r->s[r->pos++];
    if (c == '"') break;
    if (c < 0x20) return fail_at(r, r->pos - 1, "control character in a string (write it \\u00XX)");
    if (c != '\\') {
      put(buf, cap, &n, c);
      continue;
    }
    if (at_end(r)) return fail_at(r, start, "string not closed before the end of the file");
    char e = r->s[r->pos++];
    static const char escapes[] = "\"\\/bfnrt", decoded[] = "\"\\/\b\f\n\r\t";
    const char *hit = e != '\0' ? strchr(escapes, e) : NULL;
    if (hit != NULL) put(buf, cap, &n, (unsigned char)decoded[hit - escapes]);
    else if (e == 'u') {
      if (unicode_escape(r, buf, cap, &n) != 0) return -1;
    } else {
      return fail_at(r, r->pos - 2, "unknown escape in a string (JSON has \\\" \\\\ \\/ \\b \\f "
                                    "\\n \\r \\t \\uXXXX)");
    }
  }
  if (buf != NULL) buf[n] = '\0';
  return 0;
}

static int is_digit(const reader *r) {
  return !at_end(r) && r->s[r->pos] >= '0' && r->s[r->pos] <= '9';
}

static void digits(reader *r) {
  while (is_digit(r)) r->pos++;
}

/* -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static int number(reader *r, double *v) {
  size_t start = r->pos;
  if (r->s[r->pos] == '-') r->pos++;
  if (!is_digit(r)) return expected(r, "a digit");
  if (r->s[r->pos] == '0') {
    r->pos++;
    if (is_digit(r)) return fail_at(r, start, "number with a leading zero");
  } else {
    digits(r);
  }
  if (!at_end(r) && r->s[r->pos] == '.') {
    r->pos++;
    if (!is_digit(r)) return expected(r, "a digit after '.'");
    digits(r);
  }
  if (!at_end(r) && (r->s[r->pos] == 'e' || r->s[r->pos] == 'E')) {
    r->pos++;
    if (!at_end(r) && (r->s[r->pos] == '+' || r->s[r->pos] == '-')) r->pos++;
    if (!is_digit(r)) return expected(r, "a digit in the exponent");
    digits(r);
  }
  char text[NUMBER_MAX + 1];
  size_t n = r->pos - start;
  if (n > NUMBER_MAX) return fail_at(r, start, "number longer than 100 characters");
  memcpy(text, r->s + start, n);
  text[n] = '\0';
  *v = strtod(text, NULL);  /* overflow gives +-HUGE_VAL, which the checks of figures reject */
  return 0;
}

static int literal(reader *r, const char *word) {
  size_t n = strlen(word);
  if (r->len - r->pos < n || memcmp(r->s + r->pos, word, n) != 0)
    return expected(r, any_value);
  r->pos += n;
  return 0;
}

static int value(reader *r);

/* Opens a level: the members of the container at r->pos are at depth r->depth + 1. */
static int enter(reader *r, int is_array) {
  if (r->depth >= MAX_DEPTH) return fail_at(r, r->pos, "nesting deeper than 64 levels");
  if (r->depth < PATH_KEPT) {
    r->in_array[r->depth] = is_array;
    r->key[r->depth][0] = '\0';
  }
  r->depth++;
  r->pos++;
  skip_space(r);
  return 0;
}

/* An object or an array at r->pos: its members, each read by `member`, separated by ',' up to
 * the closing bracket; `after` says what may follow a member. */
static int container(reader *r, int is_array, int (*member)(reader *), const char *after) {
  char close = is_array ? ']' : '}';
  if (enter(r, is_array) != 0) return -1;
  int empty = !at_end(r) && r->s[r->pos] == close;
  while (!empty) {
    if (member(r) != 0) return -1;
    skip_space(r);
    if (!at_end(r) && r->s[r->pos] == close) break;
    if (at_end(r) || r->s[r->pos] != ',') return expected(r, after);
    r->pos++;
    skip_space(r);
  }
  r->pos++;  /* the closing bracket */
  r->depth--;
  return 0;
}

/* "key": value, the key kept for the path of what follows while it is shallow enough. */
static int object_member(reader *r) {
  if (at_end(r) || r->s[r->pos] != '"') return expected(r, "a string key");
  char discard[1];
  unsigned level = r->depth - 1;
  if (string(r, level < PATH_KEPT ? r->key[level] : discard,
             level < PATH_KEPT ? KEY_MAX : sizeof discard) != 0)
    return -1;
  skip_space(r);
  if (at_end(r) || r->s[r->pos] != ':') return expected(r, "':' after an object key");
  r->pos++;
  skip_space(r);
  return value(r);
}

static int object(reader *r) {
  return container(r, 0, object_member, "',' or '}' after an object member");
}

static int array(reader *r) {
  return container(r, 1, value, "',' or ']' after an array element");
}

/* The value at r->pos (no space before it), checked against what the report expects there. */
static int value(reader *r) {
  enum slot slot = classify(r);
  size_t start = r->pos;
  char c = at_end(r) ? '\0' : r->s[r->pos];
  int wants_object = slot == SLOT_SECTION || slot == SLOT_CLOCK || slot == SLOT_RESOURCE;
  int wants_number = slot == SLOT_FREQUENCY || slot == SLOT_COUNT;
  int is_number = c == '-' || (c >= '0' && c <= '9');
  if ((wants_object && c != '{') || (wants_number && !is_number)) {
    char path[3 * KEY_MAX], problem[4 * KEY_MAX];
    path_text(r, path, sizeof path);
    snprintf(problem, sizeof problem, "%s is not %s", path,
             wants_object ? "an object" : "a number");
    /* text that starts no value at all gets the syntax error below, which says more */
    if (c == '{' || c == '[' || c == '"' || c == 't' || c == 'f' || c == 'n' || is_number)
      return fail_at(r, start, problem);
  }
  if (slot == SLOT_CLOCK) {
    memset(&r->clock, 0, sizeof r->clock);
    snprintf(r->clock.name, sizeof r->clock.name, "%s", r->key[1]);
  }
  if (slot == SLOT_RESOURCE) memset(&r->res[resource_index(r->key[1])], 0, sizeof r->res[0]);
  switch (c) {
    case '{':
      if (object(r) != 0) return -1;
      if (slot == SLOT_CLOCK) return end_clock(r);
      if (slot == SLOT_RESOURCE) {
        r->res[resource_index(r->key[1])].seen = 1;
        return end_resource(r);
      }
      return 0;
    case '[': return array(r);
    case '"': return string(r, NULL, 0);
    case 't': return literal(r, "true");
    case 'f': return literal(r, "false");
    case 'n': return literal(r, "null");
    default: break;
  }
  if (!is_number) return expected(r, any_value);
  double v;
  if (number(r, &v) != 0) return -1;
  return slot == SLOT_FREQUENCY || slot == SLOT_COUNT ? take_number(r, slot, v, start) : 0;
}

/* ---- the report ---- */

static int fill_report(const reader *r, ssa_nextpnr_report *out) {
  for (int k = 0; k < RES_COUNT; k++)
    if (k != RES_DSP && !r->res[k].seen)
      return ssa_fail(r->err, "%s: no utilization.%s (not a report of nextpnr-ice40 --report?)",
                      r->name, resource_names[k]);
  unsigned *const used[RES_COUNT] = {&out->lc_used, &out->ram_used, &out->io_used,
                                     &out->dsp_used};
  unsigned *const available[RES_COUNT] = {&out->lc_available, &out->ram_available,
                                          &out->io_available, &out->dsp_available};
  for (int k = 0; k < RES_COUNT; k++) {
    *used[k] = r->res[k].used;
    *available[k] = r->res[k].available;
  }
  if (r->have_clock) {
    out->fmax_mhz = r->best.achieved;
    out->constraint_mhz = r->best.constraint;
    snprintf(out->clock, sizeof out->clock, "%s", r->best.name);
  }
  return 0;
}

int ssa_nextpnr_report_parse(const char *name, const char *text, size_t len,
                             ssa_nextpnr_report *out, ssa_error *err) {
  memset(out, 0, sizeof *out);
  reader *r = calloc(1, sizeof *r);
  if (r == NULL) return ssa_fail(err, "%s: out of memory", name);
  r->name = name;
  r->s = text;
  r->len = len;
  r->err = err;
  int rc = -1;
  skip_space(r);
  if (value(r) == 0) {
    skip_space(r);
    if (!at_end(r)) fail_at(r, r->pos, "text after the end of the JSON value");
    else rc = fill_report(r, out);
  }
  free(r);
  if (rc != 0) memset(out, 0, sizeof *out);
  return rc;
}

int ssa_nextpnr_report_read(const char *path, ssa_nextpnr_report *out, ssa_error *err) {
  memset(out, 0, sizeof *out);
  char *text = NULL;
  size_t len = 0;
  if (ssa_read_file(path, &text, &len, err) != 0) return -1;
  int rc = ssa_nextpnr_report_parse(path, text, len, out, err);
  free(text);
  return rc;
}
