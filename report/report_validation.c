/* report_validation.c -- the committed composition validation (docs/composition-validation.json):
 * for each design, energy per step and area composed from measured parts against the whole
 * netlist measured at the same size (see report.h). The report lists every point and its
 * error; a missing or unreadable file is reported as such, never guessed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/json_read.h"
#include "../common/process.h"
#include "report.h"

/* The composition's total against the measurement in a point: the point's own members, or
 * `ssa compose --validate --json`'s form (a "validation" object whose "parts" end with the
 * total). */
static const ssa_json_value *totals_of(const ssa_json_value *point) {
  if (ssa_json_get(point, "energy_error") != NULL) return point;
  const ssa_json_value *total = ssa_json_get(point, "total");
  if (total != NULL && total->type == SSA_JSON_OBJECT) return total;
  const ssa_json_value *parts = ssa_json_get(ssa_json_get(point, "validation"), "parts");
  if (parts == NULL || parts->type != SSA_JSON_ARRAY || parts->count == 0) return NULL;
  for (size_t k = 0; k < parts->count; k++)
    if (strcmp(ssa_json_get_string(&parts->items[k], "name", ""), "total") == 0)
      return &parts->items[k];
  return NULL;
}

/* An option of a point: its member `key` ("tokens", "dim"), else the value of `option`
 * ("--tokens ") in its design's options; 0 when neither says. */
static unsigned size_of(const ssa_json_value *point, const char *design, const char *key,
                        const char *option) {
  double n = ssa_json_get_number(point, key, 0);
  if (n > 0) return (unsigned)n;
  const char *t = strstr(design, option);
  return t != NULL ? (unsigned)strtoul(t + strlen(option), NULL, 10) : 0;
}

static int read_point(const ssa_json_value *point, ssa_report_validation_point *p) {
  memset(p, 0, sizeof *p);
  if (point->type != SSA_JSON_OBJECT) return -1;
  const char *name = ssa_json_get_string(point, "name", "");
  const char *design = ssa_json_get_string(point, "design", name);
  const ssa_json_value *t = totals_of(point);
  if (design[0] == '\0' || t == NULL) return -1;
  for (unsigned d = 0; d < SSA_D_COUNT; d++)
    if (strcmp(name, ssa_report_design_keys[d]) == 0)
      snprintf(p->key, sizeof p->key, "%s", name);
  snprintf(p->design, sizeof p->design, "%s", design);
  snprintf(p->base, sizeof p->base, "%s", ssa_json_get_string(point, "base", ""));
  p->n = size_of(point, design, "tokens", "--tokens ");
  p->dim = size_of(point, design, "dim", "--dim ");
  p->energy_error = ssa_json_get_number(t, "energy_error", NAN);
  p->area_error = ssa_json_get_number(t, "area_error", NAN);
  p->composed_pj = ssa_json_get_number(t, "composed_pj", NAN);
  p->measured_pj = ssa_json_get_number(t, "measured_pj", NAN);
  p->composed_um2 = ssa_json_get_number(t, "composed_um2", NAN);
  p->measured_um2 = ssa_json_get_number(t, "measured_um2", NAN);
  return isfinite(p->energy_error) && isfinite(p->area_error) ? 0 : -1;
}

/* The array of points: the document itself, or its "points" member. */
static const ssa_json_value *points_of(const ssa_json_value *doc) {
  if (doc->type == SSA_JSON_ARRAY) return doc;
  const ssa_json_value *p = ssa_json_get(doc, "points");
  return p != NULL && p->type == SSA_JSON_ARRAY ? p : NULL;
}

void ssa_report_read_validation(const char *path, ssa_report_validation *v) {
  memset(v, 0, sizeof *v);
  snprintf(v->path, sizeof v->path, "%s", path != NULL ? path : "");
  if (path == NULL) {
    snprintf(v->why, sizeof v->why, "missing: no file given");
    return;
  }
  char *text = NULL;
  size_t len;
  ssa_error err;
  if (ssa_read_file(path, &text, &len, &err) != 0) {
    snprintf(v->why, sizeof v->why, "missing: %.380s", err.msg);
    return;
  }
  ssa_json_value doc;
  if (ssa_json_parse(path, text, &doc, &err) != 0) {
    free(text);
    snprintf(v->why, sizeof v->why, "unreadable: %.380s", err.msg);
    return;
  }
  free(text);
  const ssa_json_value *points = points_of(&doc);
  if (points == NULL) {
    snprintf(v->why, sizeof v->why, "unreadable: %s holds no array of points", path);
  } else {
    for (size_t k = 0; k < points->count; k++) {
      if (v->count == SSA_REPORT_MAX_VALIDATION) {
        snprintf(v->why, sizeof v->why, "unreadable: %s: more than %d points", path,
                 SSA_REPORT_MAX_VALIDATION);
        break;
      }
      ssa_report_validation_point *p = &v->point[v->count];
      if (read_point(&points->items[k], p) != 0) {
        snprintf(v->why, sizeof v->why, "unreadable: %s: point %zu has no design with composed "
                 "and measured energy and area errors", path, k + 1);
        break;
      }
      v->count++;
      if (fabs(p->energy_error) > v->worst_energy) v->worst_energy = fabs(p->energy_error);
      if (fabs(p->area_error) > v->worst_area) v->worst_area = fabs(p->area_error);
    }
    v->present = v->why[0] == '\0' && v->count > 0;
    if (v->why[0] == '\0' && v->count == 0)
      snprintf(v->why, sizeof v->why, "unreadable: %s holds no points", path);
  }
  if (!v->present) v->count = 0;
  ssa_json_value_free(&doc);
}

const ssa_report_validation_point *ssa_report_validation_of(const ssa_report_validation *v,
                                                            ssa_report_design d) {
  for (unsigned k = 0; k < v->count; k++)
    if (strcmp(v->point[k].key, ssa_report_design_keys[d]) == 0) return &v->point[k];
  return NULL;
}

int ssa_report_within_bound(const ssa_report_validation_point *p) {
  return fabs(p->energy_error) <= SSA_REPORT_VALIDATION_BOUND &&
         fabs(p->area_error) <= SSA_REPORT_VALIDATION_BOUND;
}
