/* part_profile.c -- a measured design by part type, and its text form (see part_profile.h).
 * The text:
 *
 *   ssa-part-profile 2
 *   design<TAB>attention --tokens 4 ...
 *   window<TAB>CYCLES<TAB>STEPS
 *   part<TAB>NAME<TAB>MODULE<TAB>PARAMS<TAB>INSTANCES
 *   cell<TAB>TYPE<TAB>CELLS<TAB>TOGGLES<TAB>FIRST    (the cells of the part above)
 */
#include "part_profile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/outfile.h"
#include "../common/text.h"

void ssa_profile_part_name(const ssa_design *d, const ssa_design_part *dp, char *out,
                           size_t size) {
  unsigned width;
  if (strcmp(dp->module, "ssa_lfsr") == 0 && sscanf(dp->params, "WIDTH=%u", &width) == 1)
    snprintf(out, size, "ssa_lfsr W=%u", width);
  else if (strcmp(dp->module, d->top) == 0)
    snprintf(out, size, "%s", SSA_GLUE_NAME);
  else
    snprintf(out, size, "%s", dp->module);
}

const ssa_profile_part *ssa_profile_find(const ssa_profile *p, const char *name) {
  for (unsigned k = 0; k < p->count; k++)
    if (strcmp(p->part[k].name, name) == 0) return &p->part[k];
  return NULL;
}

static int add_cell(ssa_profile_part *pp, const char *type, double cells, double toggles,
                    double first, ssa_error *err) {
  for (size_t k = 0; k < pp->cell_types; k++)
    if (strcmp(pp->cells[k].type, type) == 0) {
      pp->cells[k].cells += cells;
      pp->cells[k].toggles += toggles;
      pp->cells[k].first += first;
      return 0;
    }
  ssa_profile_cell *grown = realloc(pp->cells, (pp->cell_types + 1) * sizeof *grown);
  if (grown == NULL) return ssa_fail(err, "out of memory");
  pp->cells = grown;
  ssa_profile_cell *c = &grown[pp->cell_types++];
  snprintf(c->type, sizeof c->type, "%s", type);
  c->cells = cells;
  c->toggles = toggles;
  c->first = first;
  return 0;
}

static int by_type(const void *a, const void *b) {
  return strcmp(((const ssa_profile_cell *)a)->type, ((const ssa_profile_cell *)b)->type);
}

/* The declared part of synthesized part type `name`, or NULL. */
static const ssa_design_part *declared(const ssa_design *d, const char *name) {
  for (unsigned k = 0; k < d->part_count; k++) {
    char n[64];
    ssa_profile_part_name(d, &d->parts[k], n, sizeof n);
    if (strcmp(n, name) == 0) return &d->parts[k];
  }
  return NULL;
}

int ssa_profile_from(const ssa_design *d, const ssa_synth_result *r, const ssa_activity *a,
                     const char *what, ssa_profile *p, ssa_error *err) {
  memset(p, 0, sizeof *p);
  snprintf(p->design, sizeof p->design, "%s", what);
  p->cycles = a->steady.cycles;
  p->steps = a->steps;
  if (p->cycles == 0) return ssa_fail(err, "%s: no simulated clocks", what);
  if (d->part_count == 0)
    return ssa_fail(err, "%s: the design declares no parts (core/design.h): it cannot be "
                    "composed", what);
  for (unsigned g = 0; g < r->group_count; g++) {
    const ssa_synth_group *sg = &r->group[g];
    const ssa_design_part *dp = declared(d, sg->name);
    int glue = strcmp(sg->name, SSA_GLUE_NAME) == 0;
    unsigned long have = glue ? sg->cells.flops : sg->instances;
    if (dp == NULL) {
      ssa_profile_free(p);
      return ssa_fail(err, "%s: synthesis found part type %s, which the design does not "
                      "declare", what, sg->name);
    }
    if (have != dp->count || dp->count == 0) {
      ssa_profile_free(p);
      return ssa_fail(err, "%s: part type %s has %lu %s in the netlist, the design declares %lu",
                      what, sg->name, have, glue ? "flip-flops" : "instances", dp->count);
    }
    ssa_profile_part *pp = &p->part[p->count++];
    snprintf(pp->name, sizeof pp->name, "%s", sg->name);
    snprintf(pp->module, sizeof pp->module, "%s", dp->module);
    snprintf(pp->params, sizeof pp->params, "%s", dp->params);
    pp->instances = dp->count;
    /* the window's first clock apart, the others per clock (a one-clock window: its only
     * clock is both) */
    double per = 1.0 / (double)dp->count;
    double rest = p->cycles > 1 ? per / (p->cycles - 1) : 0;
    for (size_t k = 0; k < sg->cells.cell_types; k++)
      if (add_cell(pp, sg->cells.cells[k].type, (double)sg->cells.cells[k].count * per, 0, 0,
                   err) != 0) {
        ssa_profile_free(p);
        return -1;
      }
    const ssa_synth_part *t = &a->steady.group[g], *o = &a->opening.group[g];
    for (size_t k = 0; k < t->cell_types; k++)
      if (add_cell(pp, t->cells[k].type, 0, (double)t->cells[k].count * (p->cycles > 1 ? rest : per),
                   0, err) != 0) {
        ssa_profile_free(p);
        return -1;
      }
    for (size_t k = 0; k < o->cell_types; k++)
      if (add_cell(pp, o->cells[k].type, 0, -(double)o->cells[k].count * rest,
                   (double)o->cells[k].count * per, err) != 0) {
        ssa_profile_free(p);
        return -1;
      }
    if (pp->cell_types > 1) qsort(pp->cells, pp->cell_types, sizeof *pp->cells, by_type);
  }
  for (unsigned k = 0; k < d->part_count; k++) {
    char n[64];
    ssa_profile_part_name(d, &d->parts[k], n, sizeof n);
    if (ssa_profile_find(p, n) == NULL) {
      ssa_profile_free(p);
      return ssa_fail(err, "%s: the design declares part %s, which its netlist does not hold",
                      what, n);
    }
  }
  return 0;
}

int ssa_profile_write(const ssa_profile *p, const char *path, ssa_error *err) {
  ssa_text t = {0};
  ssa_text_printf(&t, "ssa-part-profile 2\ndesign\t%s\nwindow\t%u\t%u\n", p->design, p->cycles,
                  p->steps);
  for (unsigned k = 0; k < p->count; k++) {
    const ssa_profile_part *pp = &p->part[k];
    ssa_text_printf(&t, "part\t%s\t%s\t%s\t%lu\n", pp->name, pp->module, pp->params,
                    pp->instances);
    for (size_t c = 0; c < pp->cell_types; c++)
      ssa_text_printf(&t, "cell\t%s\t%.17g\t%.17g\t%.17g\n", pp->cells[c].type,
                      pp->cells[c].cells, pp->cells[c].toggles, pp->cells[c].first);
  }
  int rc = t.failed ? ssa_fail(err, "%s: out of memory", path)
                    : ssa_write_file(path, t.s, t.len, err);
  ssa_text_free(&t);
  return rc;
}

/* Splits a line at tabs into at most `max` fields; returns their number. */
static unsigned fields(char *line, char **f, unsigned max) {
  unsigned n = 0;
  for (char *s = line; n < max;) {
    f[n++] = s;
    char *tab = strchr(s, '\t');
    if (tab == NULL) break;
    *tab = '\0';
    s = tab + 1;
  }
  return n;
}

int ssa_profile_parse(const char *name, const char *text, ssa_profile *p, ssa_error *err) {
  memset(p, 0, sizeof *p);
  char *copy = strdup(text);
  if (copy == NULL) return ssa_fail(err, "out of memory");
  int rc = 0;
  unsigned lineno = 0;
  for (char *line = copy, *next; rc == 0 && line != NULL && *line != '\0'; line = next) {
    lineno++;
    next = strchr(line, '\n');
    if (next != NULL) *next++ = '\0';
    char *f[6] = {0};
    unsigned n = fields(line, f, 6);
    char *end = NULL;
    if (lineno == 1) {
      if (strcmp(line, "ssa-part-profile 2") != 0)
        rc = ssa_fail_at(err, name, lineno, "not a part profile (version 2)");
    } else if (strcmp(f[0], "design") == 0 && n == 2) {
      snprintf(p->design, sizeof p->design, "%s", f[1]);
    } else if (strcmp(f[0], "window") == 0 && n == 3) {
      p->cycles = (unsigned)strtoul(f[1], NULL, 10);
      p->steps = (unsigned)strtoul(f[2], NULL, 10);
    } else if (strcmp(f[0], "part") == 0 && n == 5 && p->count < SSA_SYNTH_MAX_GROUPS) {
      ssa_profile_part *pp = &p->part[p->count++];
      snprintf(pp->name, sizeof pp->name, "%s", f[1]);
      snprintf(pp->module, sizeof pp->module, "%s", f[2]);
      snprintf(pp->params, sizeof pp->params, "%s", f[3]);
      pp->instances = strtoul(f[4], &end, 10);
      if (*end != '\0' || pp->instances == 0)
        rc = ssa_fail_at(err, name, lineno, "bad instance count");
    } else if (strcmp(f[0], "cell") == 0 && n == 5 && p->count > 0) {
      double v[3];
      for (unsigned k = 0; k < 3 && (k == 0 || *end == '\0'); k++) v[k] = strtod(f[2 + k], &end);
      if (*end != '\0') rc = ssa_fail_at(err, name, lineno, "bad number");
      else rc = add_cell(&p->part[p->count - 1], f[1], v[0], v[1], v[2], err);
    } else {
      rc = ssa_fail_at(err, name, lineno, "unexpected line");
    }
  }
  free(copy);
  if (rc == 0 && (p->cycles == 0 || p->count == 0))
    rc = ssa_fail(err, "%s: no window or no parts", name);
  if (rc != 0) ssa_profile_free(p);
  return rc;
}

void ssa_profile_free(ssa_profile *p) {
  for (unsigned k = 0; k < SSA_SYNTH_MAX_GROUPS; k++) free(p->part[k].cells);
  memset(p, 0, sizeof *p);
}
