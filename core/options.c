/* options.c -- parsing, checking, help and regeneration lines from option tables (see
 * options.h). */
#include "options.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/text.h"

#define HELP_WIDTH 90u
#define HELP_INDENT 20u  /* the column where descriptions start */

static void *field(void *params, const ssa_option *o) { return (char *)params + o->offset; }
static const void *cfield(const void *params, const ssa_option *o) {
  return (const char *)params + o->offset;
}

static uint64_t number_of(const void *params, const ssa_option *o) {
  const void *f = cfield(params, o);
  switch (o->type) {
  case SSA_OPTION_UNSIGNED: return *(const unsigned *)f;
  case SSA_OPTION_U64: return *(const uint64_t *)f;
  case SSA_OPTION_I64: return (uint64_t)*(const int64_t *)f;
  case SSA_OPTION_CHOICE: return (uint64_t)*(const int *)f;
  case SSA_OPTION_STRING:
  case SSA_OPTION_REFUSED: break;
  }
  return 0;
}

static void set_number(void *params, const ssa_option *o, uint64_t v) {
  void *f = field(params, o);
  switch (o->type) {
  case SSA_OPTION_UNSIGNED: *(unsigned *)f = (unsigned)v; break;
  case SSA_OPTION_U64: *(uint64_t *)f = v; break;
  case SSA_OPTION_I64: *(int64_t *)f = (int64_t)v; break;
  case SSA_OPTION_CHOICE: *(int *)f = (int)v; break;
  case SSA_OPTION_STRING:
  case SSA_OPTION_REFUSED: break;
  }
}

void ssa_options_defaults(const ssa_option *table, void *params) {
  for (const ssa_option *o = table; o->name != NULL; o++) {
    if (o->type == SSA_OPTION_STRING) *(const char **)field(params, o) = NULL;
    else if (o->type != SSA_OPTION_REFUSED) set_number(params, o, o->def);
  }
}

/* "unit, row or global" */
static void choice_list(const ssa_option *o, char *buf, size_t len) {
  size_t used = 0;
  buf[0] = '\0';
  for (unsigned k = 0; o->choices[k] != NULL && used < len; k++) {
    const char *sep = k == 0 ? "" : o->choices[k + 1] == NULL ? " or " : ", ";
    used += (size_t)snprintf(buf + used, len - used, "%s%s", sep, o->choices[k]);
  }
}

/* "a power of two from 2 to 256", "from 1 to 4096", "zero or subtract"; "" for a string */
static void range_text(const ssa_option *o, char *buf, size_t len) {
  if (o->type == SSA_OPTION_CHOICE) choice_list(o, buf, len);
  else if (o->type == SSA_OPTION_STRING || o->type == SSA_OPTION_REFUSED) buf[0] = '\0';
  else if (o->min == 0 && o->max == UINT64_MAX) snprintf(buf, len, "from 0 to 2^64 - 1");
  else
    snprintf(buf, len, "%sfrom %" PRIu64 " to %" PRIu64,
             o->flags & SSA_OPTION_POW2 ? "a power of two " : "", o->min, o->max);
}

int ssa_options_parse(const ssa_option *table, ssa_cli *c, const char *opt, void *params,
                      ssa_error *err) {
  const ssa_option *o = table;
  while (o->name != NULL && strcmp(o->name, opt) != 0) o++;
  if (o->name == NULL) return 0;
  if (o->type == SSA_OPTION_REFUSED) return ssa_fail(err, "%s: %s", opt, o->help);
  const char *text;
  if (ssa_cli_value(c, opt, &text, err) != 0) return -1;
  char range[160];
  range_text(o, range, sizeof range);
  if (o->type == SSA_OPTION_STRING) {
    *(const char **)field(params, o) = text;
    return 1;
  }
  if (o->type == SSA_OPTION_CHOICE) {
    for (unsigned k = 0; o->choices[k] != NULL; k++)
      if (strcmp(o->choices[k], text) == 0) {
        set_number(params, o, k);
        return 1;
      }
    return ssa_fail(err, "%s %s: must be %s", opt, text, range);
  }
  unsigned long long v;
  if (ssa_parse_unsigned(opt, text, ~0ull, &v, err) != 0) return -1;
  int pow2_ok = !(o->flags & SSA_OPTION_POW2) || (v != 0 && (v & (v - 1)) == 0);
  if (v < o->min || v > o->max || !pow2_ok)
    return ssa_fail(err, "%s %s: must be %s", opt, text, range);
  set_number(params, o, v);
  return 1;
}

int ssa_options_check_required(const ssa_option *table, const void *params, ssa_error *err) {
  for (const ssa_option *o = table; o->name != NULL; o++) {
    if (!(o->flags & SSA_OPTION_REQUIRED)) continue;
    /* a required number has no default: 0 means not given */
    int given = o->type == SSA_OPTION_STRING ? *(const char *const *)cfield(params, o) != NULL
                                             : number_of(params, o) != 0;
    if (!given) return ssa_fail(err, "%s %s is required", o->name, o->metavar);
  }
  return 0;
}

void ssa_options_line(const ssa_option *table, const void *params, char *buf, size_t len) {
  size_t used = 0;
  buf[0] = '\0';
  for (const ssa_option *o = table; o->name != NULL && used < len; o++) {
    if (o->type == SSA_OPTION_REFUSED || (o->in_line != NULL && !o->in_line(params))) continue;
    const char *sep = used == 0 ? "" : " ";
    if (o->type == SSA_OPTION_STRING) {
      const char *v = *(const char *const *)cfield(params, o);
      if (v == NULL && (o->flags & SSA_OPTION_LINE_IF_SET)) continue;
      used += (size_t)snprintf(buf + used, len - used, "%s%s %s", sep, o->name, v ? v : "");
    } else if (o->type == SSA_OPTION_CHOICE) {
      used += (size_t)snprintf(buf + used, len - used, "%s%s %s", sep, o->name,
                               o->choices[number_of(params, o)]);
    } else if (o->type == SSA_OPTION_I64) {
      used += (size_t)snprintf(buf + used, len - used, "%s%s %" PRId64, sep, o->name,
                               (int64_t)number_of(params, o));
    } else {
      used += (size_t)snprintf(buf + used, len - used, "%s%s %" PRIu64, sep, o->name,
                               number_of(params, o));
    }
  }
}

/* Appends `words` to t, wrapped at HELP_WIDTH with continuation lines indented to
 * HELP_INDENT; `column` is where the text starts. */
static void wrap(ssa_text *t, const char *words, unsigned column) {
  for (const char *w = words; *w != '\0';) {
    size_t n = strcspn(w, " ");
    if (column > HELP_INDENT && column + 1 + n > HELP_WIDTH) {
      ssa_text_printf(t, "\n%*s", (int)HELP_INDENT, "");
      column = HELP_INDENT;
    } else if (column > HELP_INDENT) {
      ssa_text_printf(t, " ");
      column++;
    }
    ssa_text_printf(t, "%.*s", (int)n, w);
    column += (unsigned)n;
    w += n;
    w += strspn(w, " ");
  }
  ssa_text_printf(t, "\n");
}

char *ssa_options_help(const ssa_option *table) {
  ssa_text t = {0};
  for (const ssa_option *o = table; o->name != NULL; o++) {
    if (o->type == SSA_OPTION_REFUSED) continue;
    char head[64], range[160], def[240], words[800];
    snprintf(head, sizeof head, "  %s %s", o->name, o->metavar);
    range_text(o, range, sizeof range);
    if (o->def_text != NULL) snprintf(def, sizeof def, "default %s", o->def_text);
    else if (o->type == SSA_OPTION_STRING) def[0] = '\0';
    else if (o->type == SSA_OPTION_CHOICE) snprintf(def, sizeof def, "default %s", o->choices[o->def]);
    else snprintf(def, sizeof def, "default %" PRIu64, o->def);
    if (o->flags & SSA_OPTION_REQUIRED) snprintf(def, sizeof def, "required");
    /* "tokens, a power of two from 2 to 256 (default 16)"; "...: mux or count (default mux)" */
    const char *sep = range[0] == '\0' ? "" : o->type == SSA_OPTION_CHOICE ? ": " : ", ";
    snprintf(words, sizeof words, "%s%s%s%s%s%s", o->help, sep, range,
             def[0] ? " (" : "", def, def[0] ? ")" : "");
    size_t len = strlen(head);
    if (len + 1 < HELP_INDENT) ssa_text_printf(&t, "%-*s", (int)HELP_INDENT, head);
    else ssa_text_printf(&t, "%s\n%*s", head, (int)HELP_INDENT, "");
    wrap(&t, words, HELP_INDENT);
  }
  if (t.failed) {
    ssa_text_free(&t);
    return NULL;
  }
  return t.s;
}
