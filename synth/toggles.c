/* toggles.c -- Verilator coverage.dat reader (see toggles.h). A line of the file is
 *
 *   C '<\1>f<\2>netlist.v<\1>l<\2>25<\1>page<\2>v_toggle/MODULE<\1>o<\2>SIGNAL[BIT]...' COUNT
 *
 * keys and values separated by the bytes 1 and 2; toggle points have a page "v_toggle/...". */
#include "toggles.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/process.h"

void ssa_verilator_encode(const char *name, size_t len, char *out, size_t size) {
  size_t n = 0;
  for (size_t k = 0; k < len && n + 6 < size; k++) {
    unsigned char c = (unsigned char)name[k];
    if (k == 0 ? isalpha(c) : isalnum(c)) {
      out[n++] = (char)c;
    } else if (c == '_') {
      /* A double underscore is Verilator's own separator: the second one is encoded. */
      out[n++] = '_';
      if (k + 1 < len && name[k + 1] == '_') {
        memcpy(out + n, "__05F", 5);
        n += 5;
        k++;
      }
    } else {
      n += (size_t)snprintf(out + n, size - n, "__0%02x", c);
    }
  }
  out[n] = '\0';
}

static uint64_t hash_key(const char *s) {
  uint64_t h = 1469598103934665603ull;  /* FNV-1a */
  for (; *s != '\0'; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h;
}

static int grow(ssa_toggles *t, ssa_error *err);

static int put(ssa_toggles *t, char *key, unsigned long long count, ssa_error *err) {
  if (2 * (t->used + 1) > t->size && grow(t, err) != 0) {
    free(key);
    return -1;
  }
  size_t mask = t->size - 1;
  for (size_t i = hash_key(key) & mask;; i = (i + 1) & mask) {
    ssa_toggle_entry *e = &t->slots[i];
    if (e->key == NULL) {
      e->key = key;
      e->count = count;
      t->used++;
      return 0;
    }
    if (strcmp(e->key, key) == 0) {
      e->count += count;
      free(key);
      return 0;
    }
  }
}

static int grow(ssa_toggles *t, ssa_error *err) {
  ssa_toggles bigger = {calloc(t->size ? 2 * t->size : 1024, sizeof *bigger.slots),
                        t->size ? 2 * t->size : 1024, 0};
  if (bigger.slots == NULL) return ssa_fail(err, "out of memory for toggle counts");
  for (size_t k = 0; k < t->size; k++)
    if (t->slots[k].key != NULL) put(&bigger, t->slots[k].key, t->slots[k].count, err);
  free(t->slots);
  *t = bigger;
  return 0;
}

/* The value of key `k` in the quoted field, up to the next \1 or the closing quote. */
static const char *field(const char *start, const char *end, const char *k, size_t *len) {
  size_t klen = strlen(k);
  for (const char *p = start; p < end; p++) {
    if (*p != '\001' || (size_t)(end - p) < klen + 2) continue;
    if (memcmp(p + 1, k, klen) == 0 && p[1 + klen] == '\002') {
      const char *v = p + 2 + klen, *e = v;
      while (e < end && *e != '\001') e++;
      *len = (size_t)(e - v);
      return v;
    }
  }
  return NULL;
}

static int parse_into(const char *name, const char *text, ssa_toggles *t, ssa_error *err) {
  unsigned lineno = 0;
  for (const char *line = text; *line != '\0';) {
    lineno++;
    const char *eol = strchr(line, '\n');
    if (eol == NULL) eol = line + strlen(line);
    if (line[0] == 'C' && line[1] == ' ' && line[2] == '\'') {
      const char *q0 = line + 3, *q1 = eol;
      while (q1 > q0 && *q1 != '\'') q1--;
      unsigned long long count;
      if (q1 <= q0 || sscanf(q1 + 1, "%llu", &count) != 1) {
        ssa_toggles_free(t);
        return ssa_fail(err, "%s:%u: expected C '...' COUNT", name, lineno);
      }
      /* The first key has no \1 before it: look from one byte earlier. */
      size_t plen = 0, olen = 0;
      const char *page = field(q0 - 1, q1, "page", &plen);
      const char *sig = field(q0 - 1, q1, "o", &olen);
      if (page != NULL && sig != NULL && plen > 9 && memcmp(page, "v_toggle/", 9) == 0) {
        char *key = malloc(plen - 9 + 1 + olen + 1);
        if (key == NULL) {
          ssa_toggles_free(t);
          return ssa_fail(err, "out of memory for toggle counts");
        }
        memcpy(key, page + 9, plen - 9);
        key[plen - 9] = '\001';
        memcpy(key + plen - 8, sig, olen);
        key[plen - 8 + olen] = '\0';
        if (put(t, key, count, err) != 0) {
          ssa_toggles_free(t);
          return -1;
        }
      }
    } else if (line[0] != '#' && line != eol) {
      ssa_toggles_free(t);
      return ssa_fail(err, "%s:%u: not a coverage line", name, lineno);
    }
    line = *eol != '\0' ? eol + 1 : eol;
  }
  return 0;
}

int ssa_toggles_parse(const char *name, const char *text, ssa_toggles *t, ssa_error *err) {
  memset(t, 0, sizeof *t);
  return parse_into(name, text, t, err);
}

int ssa_toggles_add_file(const char *path, ssa_toggles *t, ssa_error *err) {
  char *text;
  size_t len;
  if (ssa_read_file(path, &text, &len, err) != 0) {
    ssa_toggles_free(t);
    return -1;
  }
  int rc = parse_into(path, text, t, err);
  free(text);
  return rc;
}

int ssa_toggles_read(const char *path, ssa_toggles *t, ssa_error *err) {
  memset(t, 0, sizeof *t);
  return ssa_toggles_add_file(path, t, err);
}

long long ssa_toggles_get(const ssa_toggles *t, const char *module, const char *signal) {
  if (t->size == 0) return -1;
  size_t ml = strlen(module), sl = strlen(signal);
  char stack[512], *key = ml + sl + 2 <= sizeof stack ? stack : malloc(ml + sl + 2);
  if (key == NULL) return -1;
  memcpy(key, module, ml);
  key[ml] = '\001';
  memcpy(key + ml + 1, signal, sl + 1);
  long long found = -1;
  size_t mask = t->size - 1;
  for (size_t i = hash_key(key) & mask; t->slots[i].key != NULL; i = (i + 1) & mask)
    if (strcmp(t->slots[i].key, key) == 0) {
      found = (long long)t->slots[i].count;
      break;
    }
  if (key != stack) free(key);
  return found;
}

void ssa_toggles_free(ssa_toggles *t) {
  for (size_t k = 0; k < t->size; k++) free(t->slots[k].key);
  free(t->slots);
  memset(t, 0, sizeof *t);
}
