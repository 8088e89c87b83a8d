/* netlist.c -- reads the drivers of a `write_verilog -noexpr -noattr` netlist (netlist.h).
 * The netlist is Yosys's own output, so the reader knows only its forms: module headers,
 * declarations and assigns (skipped up to their ';'), and cell instances
 *     TYPE NAME ( .PIN(EXPR), ... );
 * where a single-bit EXPR is an identifier (escaped or not) with an optional [index]. */
#include "netlist.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toggles.h"

typedef struct lexer {
  const char *name, *p;
  unsigned line;
  char tok[256];   /* the current token; escaped identifiers without '\' and the blank */
  int escaped;
} lexer;

/* Next token into lx->tok; "" at the end. */
static void next(lexer *lx) {
  for (;;) {
    while (isspace((unsigned char)*lx->p)) {
      if (*lx->p == '\n') lx->line++;
      lx->p++;
    }
    if (lx->p[0] == '/' && lx->p[1] == '*') {
      const char *e = strstr(lx->p + 2, "*/");
      for (const char *q = lx->p; q < (e ? e : lx->p + strlen(lx->p)); q++) lx->line += *q == '\n';
      lx->p = e != NULL ? e + 2 : lx->p + strlen(lx->p);
      continue;
    }
    if (lx->p[0] == '/' && lx->p[1] == '/') {
      while (*lx->p != '\0' && *lx->p != '\n') lx->p++;
      continue;
    }
    break;
  }
  size_t n = 0;
  lx->escaped = 0;
  const char *s = lx->p;
  if (*s == '\\') {
    lx->escaped = 1;
    s++;
    while (*s != '\0' && !isspace((unsigned char)*s)) s++;
    n = (size_t)(s - lx->p - 1);
    if (n >= sizeof lx->tok) n = sizeof lx->tok - 1;
    memcpy(lx->tok, lx->p + 1, n);
  } else if (isalnum((unsigned char)*s) || *s == '_' || *s == '$' || *s == '\'') {
    while (isalnum((unsigned char)*s) || *s == '_' || *s == '$' || *s == '\'') s++;
    n = (size_t)(s - lx->p);
    if (n >= sizeof lx->tok) n = sizeof lx->tok - 1;
    memcpy(lx->tok, lx->p, n);
  } else if (*s != '\0') {
    s++;
    n = 1;
    lx->tok[0] = *lx->p;
  }
  lx->tok[n] = '\0';
  lx->p = s;
}

static int is(const lexer *lx, const char *t) { return !lx->escaped && strcmp(lx->tok, t) == 0; }

static int expect(lexer *lx, const char *t, ssa_error *err) {
  if (!is(lx, t))
    return ssa_fail(err, "%s:%u: expected '%s', found '%s'", lx->name, lx->line, t, lx->tok);
  next(lx);
  return 0;
}

static void skip_statement(lexer *lx) {
  while (lx->tok[0] != '\0' && !is(lx, ";")) next(lx);
  next(lx);
}

typedef struct names {
  char (*v)[160];
  size_t n;
} names;

static int names_add(names *s, const char *name, ssa_error *err) {
  char (*grown)[160] = realloc(s->v, (s->n + 1) * sizeof *grown);
  if (grown == NULL) return ssa_fail(err, "out of memory");
  s->v = grown;
  snprintf(s->v[s->n++], sizeof s->v[0], "%s", name);
  return 0;
}

static int names_has(const names *s, const char *name) {
  for (size_t k = 0; k < s->n; k++)
    if (strcmp(s->v[k], name) == 0) return 1;
  return 0;
}

/* The raw names of the modules the file defines: their instances are hierarchy, not cells. */
static int defined_modules(const char *name, const char *text, names *out, ssa_error *err) {
  lexer lx = {name, text, 1, "", 0};
  for (next(&lx); lx.tok[0] != '\0'; next(&lx))
    if (is(&lx, "module")) {
      next(&lx);
      if (names_add(out, lx.tok, err) != 0) return -1;
    }
  return 0;
}

static int add_driver(ssa_netlist *n, unsigned module, const char *type, const char *net,
                      ssa_error *err) {
  ssa_netlist_driver *grown = realloc(n->drivers, (n->driver_count + 1) * sizeof *grown);
  if (grown == NULL) return ssa_fail(err, "out of memory");
  n->drivers = grown;
  ssa_netlist_driver *d = &grown[n->driver_count++];
  d->module = module;
  snprintf(d->type, sizeof d->type, "%s", type);
  snprintf(d->net, sizeof d->net, "%s", net);
  return 0;
}

/* EXPR of one pin, up to its ')'. A single net gives its encoded name in `net`; anything else
 * (a constant, a concatenation, nothing) leaves `net` empty. */
static int pin_expr(lexer *lx, char *net, size_t size, ssa_error *err) {
  net[0] = '\0';
  char ident[160] = "";
  long index = -1;
  int tokens = 0, simple = 1;
  for (int depth = 0; !(depth == 0 && is(lx, ")")); next(lx)) {
    if (lx->tok[0] == '\0')
      return ssa_fail(err, "%s:%u: unterminated pin connection", lx->name, lx->line);
    if (is(lx, "(") || is(lx, "{")) depth++;
    if (is(lx, ")") || is(lx, "}")) depth--;
    tokens++;
    if (tokens == 1 && (lx->escaped || isalpha((unsigned char)lx->tok[0]) || lx->tok[0] == '_'))
      ssa_verilator_encode(lx->tok, strlen(lx->tok), ident, sizeof ident);
    else if (tokens == 3 && is(lx, "]") == 0 && isdigit((unsigned char)lx->tok[0]))
      index = strtol(lx->tok, NULL, 10);
    else if (!(tokens == 2 && is(lx, "[")) && !(tokens == 4 && is(lx, "]")))
      simple = 0;
  }
  if (!simple || ident[0] == '\0' || (tokens != 1 && tokens != 4)) return 0;
  if (index >= 0) snprintf(net, size, "%s[%ld]", ident, index);
  else snprintf(net, size, "%s", ident);
  return 0;
}

static int instance(lexer *lx, ssa_netlist *n, const names *modules, ssa_output_pin_fn is_output,
                    const void *ctx, ssa_error *err) {
  char type[160];
  snprintf(type, sizeof type, "%s", lx->tok);
  int hierarchy = names_has(modules, type);
  next(lx);
  if (is(lx, "#")) {  /* parameters: not in gate netlists, skipped all the same */
    next(lx);
    for (int depth = 0; lx->tok[0] != '\0'; next(lx)) {
      if (is(lx, "(")) depth++;
      if (is(lx, ")") && --depth == 0) break;
    }
    next(lx);
  }
  next(lx);  /* the instance name */
  if (expect(lx, "(", err) != 0) return -1;
  while (!is(lx, ")")) {
    if (expect(lx, ".", err) != 0) return -1;
    char pin[64];
    snprintf(pin, sizeof pin, "%s", lx->tok);
    next(lx);
    if (expect(lx, "(", err) != 0) return -1;
    char net[160];
    if (pin_expr(lx, net, sizeof net, err) != 0 || expect(lx, ")", err) != 0) return -1;
    if (!hierarchy && net[0] != '\0' && is_output(ctx, type, pin) &&
        add_driver(n, (unsigned)(n->module_count - 1), type, net, err) != 0)
      return -1;
    if (is(lx, ",")) next(lx);
    else if (!is(lx, ")"))
      return ssa_fail(err, "%s:%u: expected ',' or ')', found '%s'", lx->name, lx->line, lx->tok);
  }
  next(lx);
  return expect(lx, ";", err);
}

static const char *const skipped[] = {"input", "output", "inout", "wire", "reg", "assign",
                                      "parameter", "localparam", "initial", "always", NULL};

int ssa_netlist_read(const char *name, const char *text, ssa_output_pin_fn is_output,
                     const void *ctx, ssa_netlist *n, ssa_error *err) {
  memset(n, 0, sizeof *n);
  names modules = {NULL, 0};
  int rc = defined_modules(name, text, &modules, err);
  lexer lx = {name, text, 1, "", 0};
  int in_module = 0;
  for (next(&lx); rc == 0 && lx.tok[0] != '\0';) {
    if (is(&lx, "module")) {
      next(&lx);
      names list = {n->modules, n->module_count};
      rc = names_add(&list, lx.tok, err);
      n->modules = list.v;
      n->module_count = list.n;
      skip_statement(&lx);
      in_module = 1;
    } else if (is(&lx, "endmodule")) {
      in_module = 0;
      next(&lx);
    } else if (!in_module) {
      rc = ssa_fail(err, "%s:%u: '%s' outside a module", name, lx.line, lx.tok);
    } else {
      int skip = 0;
      for (const char *const *s = skipped; *s != NULL; s++) skip |= is(&lx, *s);
      if (skip) skip_statement(&lx);
      else rc = instance(&lx, n, &modules, is_output, ctx, err);
    }
  }
  free(modules.v);
  if (rc == 0 && n->module_count == 0) rc = ssa_fail(err, "%s: no module", name);
  if (rc != 0) ssa_netlist_free(n);
  return rc;
}

void ssa_netlist_free(ssa_netlist *n) {
  free(n->modules);
  free(n->drivers);
  memset(n, 0, sizeof *n);
}
