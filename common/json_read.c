/* json_read.c -- the strict JSON reader (see json_read.h). */
#include "json_read.h"

#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64

typedef struct reader {
  const char *name, *p, *start;
  ssa_error *err;
} reader;

static unsigned line_of(const reader *r) {
  unsigned line = 1;
  for (const char *q = r->start; q < r->p; q++)
    if (*q == '\n') line++;
  return line;
}

static int fail_at(reader *r, const char *what) {
  return ssa_fail(r->err, "%s:%u: %s", r->name, line_of(r), what);
}

static void skip_ws(reader *r) {
  while (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r') r->p++;
}

static int hex4(reader *r, unsigned *out) {
  unsigned v = 0;
  for (int k = 0; k < 4; k++) {
    char c = *r->p++;
    v <<= 4;
    if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
    else return fail_at(r, "bad \\u escape");
  }
  *out = v;
  return 0;
}

/* Appends code point u as UTF-8 to out (room for 4 bytes is the caller's). */
static size_t utf8(unsigned u, char *out) {
  if (u < 0x80) {
    out[0] = (char)u;
    return 1;
  }
  if (u < 0x800) {
    out[0] = (char)(0xc0 | u >> 6);
    out[1] = (char)(0x80 | (u & 0x3f));
    return 2;
  }
  if (u < 0x10000) {
    out[0] = (char)(0xe0 | u >> 12);
    out[1] = (char)(0x80 | (u >> 6 & 0x3f));
    out[2] = (char)(0x80 | (u & 0x3f));
    return 3;
  }
  out[0] = (char)(0xf0 | u >> 18);
  out[1] = (char)(0x80 | (u >> 12 & 0x3f));
  out[2] = (char)(0x80 | (u >> 6 & 0x3f));
  out[3] = (char)(0x80 | (u & 0x3f));
  return 4;
}

/* A string at r->p (its opening quote), decoded into a malloc'd *out. Decoded text is never
 * longer than its source, so the source's length bounds the buffer. */
static int string(reader *r, char **out) {
  const char *from = ++r->p;
  size_t len = 0;
  while (from[len] != '\0' && from[len] != '"') {
    if (from[len] == '\\' && from[len + 1] != '\0') len++;
    len++;
  }
  char *s = malloc(len + 1), *w = s;
  if (s == NULL) return ssa_fail(r->err, "out of memory");
  for (;;) {
    unsigned char c = (unsigned char)*r->p++;
    if (c == '"') break;
    if (c < 0x20) {
      free(s);
      r->p--;   /* the line of the character itself, not of the one after it */
      return fail_at(r, c == 0 ? "unterminated string" : "control character in a string");
    }
    if (c != '\\') {
      *w++ = (char)c;
      continue;
    }
    c = (unsigned char)*r->p++;
    const char *plain = strchr("\"\\/bfnrt", c);
    if (c != '\0' && plain != NULL) {
      *w++ = "\"\\/\b\f\n\r\t"[plain - "\"\\/bfnrt"];
    } else if (c == 'u') {
      unsigned u = 0, low = 0;
      if (hex4(r, &u) != 0) {
        free(s);
        return -1;
      }
      if (u >= 0xd800 && u < 0xdc00 && r->p[0] == '\\' && r->p[1] == 'u') {
        r->p += 2;
        if (hex4(r, &low) != 0) {
          free(s);
          return -1;
        }
        if (low >= 0xdc00 && low < 0xe000) {
          u = 0x10000 + ((u - 0xd800) << 10) + (low - 0xdc00);
        } else {  /* not a pair: two code points */
          w += utf8(u, w);
          u = low;
        }
      }
      w += utf8(u, w);
    } else {
      free(s);
      return fail_at(r, "bad escape in a string");
    }
  }
  *w = '\0';
  *out = s;
  return 0;
}

static int digits(reader *r) {
  if (*r->p < '0' || *r->p > '9') return fail_at(r, "expected a digit");
  while (*r->p >= '0' && *r->p <= '9') r->p++;
  return 0;
}

static int number(reader *r, double *out) {
  const char *from = r->p;
  if (*r->p == '-') r->p++;
  if (*r->p == '0') r->p++;
  else if (digits(r) != 0) return -1;
  if (*r->p == '.') {
    r->p++;
    if (digits(r) != 0) return -1;
  }
  if (*r->p == 'e' || *r->p == 'E') {
    r->p++;
    if (*r->p == '+' || *r->p == '-') r->p++;
    if (digits(r) != 0) return -1;
  }
  *out = strtod(from, NULL);
  return 0;
}

static int value(reader *r, ssa_json_value *v, int depth);

/* An array or object's members after its opening bracket. */
static int members(reader *r, ssa_json_value *v, int depth, char close) {
  size_t cap = 0;
  r->p++;
  skip_ws(r);
  if (*r->p == close) {
    r->p++;
    return 0;
  }
  for (;;) {
    if (v->count == cap) {
      cap = cap ? 2 * cap : 8;
      ssa_json_value *items = realloc(v->items, cap * sizeof *items);
      if (items == NULL) return ssa_fail(r->err, "out of memory");
      v->items = items;
      if (close == '}') {
        char **keys = realloc(v->keys, cap * sizeof *keys);
        if (keys == NULL) return ssa_fail(r->err, "out of memory");
        v->keys = keys;
      }
    }
    memset(&v->items[v->count], 0, sizeof v->items[0]);
    if (close == '}') {
      skip_ws(r);
      if (*r->p != '"') return fail_at(r, "expected a key");
      if (string(r, &v->keys[v->count]) != 0) return -1;
      skip_ws(r);
      if (*r->p++ != ':') {
        free(v->keys[v->count]);
        return fail_at(r, "expected ':'");
      }
    }
    v->count++;
    if (value(r, &v->items[v->count - 1], depth + 1) != 0) return -1;
    skip_ws(r);
    if (*r->p == close) {
      r->p++;
      return 0;
    }
    if (*r->p++ != ',')
      return fail_at(r, close == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
  }
}

static int value(reader *r, ssa_json_value *v, int depth) {
  if (depth > MAX_DEPTH) return fail_at(r, "nested too deeply");
  skip_ws(r);
  memset(v, 0, sizeof *v);
  switch (*r->p) {
    case '{':
      v->type = SSA_JSON_OBJECT;
      return members(r, v, depth, '}');
    case '[':
      v->type = SSA_JSON_ARRAY;
      return members(r, v, depth, ']');
    case '"':
      v->type = SSA_JSON_STRING;
      return string(r, &v->string);
    default:
      break;
  }
  static const struct {
    const char *word;
    ssa_json_type type;
  } words[] = {{"null", SSA_JSON_NULL}, {"true", SSA_JSON_TRUE}, {"false", SSA_JSON_FALSE}};
  for (unsigned k = 0; k < 3; k++)
    if (strncmp(r->p, words[k].word, strlen(words[k].word)) == 0) {
      r->p += strlen(words[k].word);
      v->type = words[k].type;
      return 0;
    }
  if (*r->p == '-' || (*r->p >= '0' && *r->p <= '9')) {
    v->type = SSA_JSON_NUMBER;
    return number(r, &v->number);
  }
  return fail_at(r, *r->p == '\0' ? "unexpected end" : "expected a value");
}

int ssa_json_parse(const char *name, const char *text, ssa_json_value *out, ssa_error *err) {
  reader r = {.name = name, .p = text, .start = text, .err = err};
  if (value(&r, out, 0) != 0) {
    ssa_json_value_free(out);
    return -1;
  }
  skip_ws(&r);
  if (*r.p != '\0') {
    ssa_json_value_free(out);
    return fail_at(&r, "text after the value");
  }
  return 0;
}

void ssa_json_value_free(ssa_json_value *v) {
  for (size_t k = 0; k < v->count; k++) {
    ssa_json_value_free(&v->items[k]);
    if (v->keys != NULL) free(v->keys[k]);
  }
  free(v->items);
  free(v->keys);
  free(v->string);
  memset(v, 0, sizeof *v);
}

const ssa_json_value *ssa_json_get(const ssa_json_value *v, const char *key) {
  if (v == NULL || v->type != SSA_JSON_OBJECT) return NULL;
  for (size_t k = 0; k < v->count; k++)
    if (strcmp(v->keys[k], key) == 0) return &v->items[k];
  return NULL;
}

double ssa_json_get_number(const ssa_json_value *v, const char *key, double fallback) {
  const ssa_json_value *m = ssa_json_get(v, key);
  return m != NULL && m->type == SSA_JSON_NUMBER ? m->number : fallback;
}

const char *ssa_json_get_string(const ssa_json_value *v, const char *key, const char *fallback) {
  const ssa_json_value *m = ssa_json_get(v, key);
  return m != NULL && m->type == SSA_JSON_STRING ? m->string : fallback;
}
