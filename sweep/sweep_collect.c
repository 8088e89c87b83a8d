/* sweep_collect.c -- `ssa sweep collect DIR`: every point's result, in point order, as
 * sweep.csv (every figure), sweep.md (the headline figures) and sweep.png (one figure against
 * another), failed and missing points marked. Only what the commands measured goes in: not the
 * run times nor the directory, so two runners' collections of one plan are byte-identical. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/gnuplot.h"
#include "../common/json_read.h"
#include "../common/outfile.h"
#include "../common/text.h"
#include "sweep.h"
#include "sweep_dir.h"

#define MAX_COLUMNS 4096

static const char *const state_names[] = {"missing", "ok", "failed"};

typedef struct point {
  const ssa_json_value *plan;   /* the plan's entry */
  ssa_json_value result;        /* empty when missing */
  int state;
} point;

typedef struct table {
  char *name[MAX_COLUMNS];      /* flattened figure names, in first-seen order */
  unsigned count;
} table;

/* Figures are the numbers of a command's JSON, named by their path ("parts.prng.area_um2"),
 * without the run time and the per-gate-type cell counts (dozens of columns that differ from
 * design to design). */
static int figure_wanted(const char *key) {
  return strcmp(key, "seconds") != 0 && strcmp(key, "cells_by_type") != 0;
}

static int add_column(table *t, const char *name, ssa_error *err) {
  for (unsigned k = 0; k < t->count; k++)
    if (strcmp(t->name[k], name) == 0) return 0;
  if (t->count == MAX_COLUMNS) return ssa_fail(err, "sweep collect: more than %d figures", MAX_COLUMNS);
  t->name[t->count] = strdup(name);
  if (t->name[t->count] == NULL) return ssa_fail(err, "out of memory");
  t->count++;
  return 0;
}

static int walk_columns(table *t, const ssa_json_value *v, const char *prefix, ssa_error *err) {
  if (v->type == SSA_JSON_NUMBER) return add_column(t, prefix, err);
  if (v->type != SSA_JSON_OBJECT) return 0;
  for (size_t k = 0; k < v->count; k++) {
    if (!figure_wanted(v->keys[k])) continue;
    char name[512];
    snprintf(name, sizeof name, "%s%s%s", prefix, prefix[0] ? "." : "", v->keys[k]);
    if (walk_columns(t, &v->items[k], name, err) != 0) return -1;
  }
  return 0;
}

/* The figure at a dotted path, or NULL. */
static const ssa_json_value *figure(const point *p, const char *path) {
  if (p->state != SSA_SWEEP_OK) return NULL;
  const ssa_json_value *v = ssa_json_get(&p->result, "figures");
  char buf[512];
  snprintf(buf, sizeof buf, "%s", path);
  char *save = NULL;
  for (char *key = strtok_r(buf, ".", &save); key != NULL && v != NULL;
       key = strtok_r(NULL, ".", &save))
    v = ssa_json_get(v, key);
  return v != NULL && v->type == SSA_JSON_NUMBER ? v : NULL;
}

static const char *option_value(const point *p, const char *option) {
  return ssa_json_get_string(ssa_json_get(p->plan, "options"), option, NULL);
}

/* CSV fields: quoted when they hold a comma, quote or newline. */
static void csv_field(ssa_text *t, const char *s) {
  if (strpbrk(s, ",\"\n") == NULL) {
    ssa_text_printf(t, "%s", s);
    return;
  }
  ssa_text_printf(t, "\"");
  for (const char *c = s; *c != '\0'; c++) ssa_text_printf(t, *c == '"' ? "\"\"" : "%c", *c);
  ssa_text_printf(t, "\"");
}

static void md_field(ssa_text *t, const char *s) {
  for (const char *c = s; *c != '\0'; c++)
    ssa_text_printf(t, *c == '|' ? "\\|" : *c == '\n' ? " " : "%c", *c);
}

typedef struct collection {
  ssa_json_value plan;
  const ssa_json_value *points_json, *vary;
  point *points;
  size_t count;
  unsigned counts[3];
  table columns;
} collection;

static void collection_free(collection *c) {
  for (size_t k = 0; k < c->count; k++) ssa_json_value_free(&c->points[k].result);
  free(c->points);
  for (unsigned k = 0; k < c->columns.count; k++) free(c->columns.name[k]);
  ssa_json_value_free(&c->plan);
}

static int load(const char *dir, collection *c, ssa_error *err) {
  memset(c, 0, sizeof *c);
  if (ssa_sweep_read_plan(dir, &c->plan, &c->points_json, err) != 0) return -1;
  c->vary = ssa_json_get(&c->plan, "vary");
  c->points = calloc(c->points_json->count ? c->points_json->count : 1, sizeof *c->points);
  if (c->points == NULL) return ssa_fail(err, "out of memory");
  c->count = c->points_json->count;
  for (size_t k = 0; k < c->count; k++) {
    point *p = &c->points[k];
    p->plan = &c->points_json->items[k];
    const char *id = ssa_json_get_string(p->plan, "id", "");
    if (ssa_sweep_read_result(dir, id, &p->result, &p->state, err) != 0) return -1;
    c->counts[p->state]++;
    const ssa_json_value *f = p->state == SSA_SWEEP_OK ? ssa_json_get(&p->result, "figures") : NULL;
    if (f != NULL && walk_columns(&c->columns, f, "", err) != 0) return -1;
  }
  return 0;
}

static const char *axis_name(const collection *c, size_t a) {
  return ssa_json_get_string(&c->vary->items[a], "option", "");
}

static void number(ssa_text *t, const ssa_json_value *v) {
  if (v != NULL) ssa_text_printf(t, "%.10g", v->number);
}

static void write_csv(const collection *c, ssa_text *t) {
  ssa_text_printf(t, "id,command");
  for (size_t a = 0; a < c->vary->count; a++) ssa_text_printf(t, ",%s", axis_name(c, a));
  ssa_text_printf(t, ",status,error");
  for (unsigned k = 0; k < c->columns.count; k++) ssa_text_printf(t, ",%s", c->columns.name[k]);
  ssa_text_printf(t, "\n");
  for (size_t k = 0; k < c->count; k++) {
    const point *p = &c->points[k];
    ssa_text_printf(t, "%s,", ssa_json_get_string(p->plan, "id", ""));
    csv_field(t, ssa_json_get_string(p->plan, "command", ""));
    for (size_t a = 0; a < c->vary->count; a++) {
      ssa_text_printf(t, ",");
      csv_field(t, option_value(p, axis_name(c, a)) ? option_value(p, axis_name(c, a)) : "");
    }
    ssa_text_printf(t, ",%s,", state_names[p->state]);
    csv_field(t, ssa_json_get_string(&p->result, "error", ""));
    for (unsigned col = 0; col < c->columns.count; col++) {
      ssa_text_printf(t, ",");
      number(t, figure(p, c->columns.name[col]));
    }
    ssa_text_printf(t, "\n");
  }
}

/* The Markdown table shows the top-level figures (sweep.csv has them all). */
static void write_md(const collection *c, const char *x, const char *y, ssa_text *t) {
  ssa_text_printf(t, "# Sweep of %s\n\n", ssa_json_get_string(&c->plan, "kind", ""));
  const ssa_json_value *set = ssa_json_get(&c->plan, "set");
  if (set != NULL && set->count > 0) {
    ssa_text_printf(t, "Fixed:");
    for (size_t k = 0; k < set->count; k++)
      ssa_text_printf(t, " `--%s %s`", ssa_json_get_string(&set->items[k], "option", ""),
                      ssa_json_get_string(&set->items[k], "value", ""));
    ssa_text_printf(t, ".\n");
  }
  ssa_text_printf(t, "%zu points: %u ok, %u failed, %u missing. Every figure is in sweep.csv; "
                  "sweep.png plots %s against %s.\n\n", c->count, c->counts[SSA_SWEEP_OK],
                  c->counts[SSA_SWEEP_FAILED], c->counts[SSA_SWEEP_MISSING], y, x);
  unsigned shown[MAX_COLUMNS], n = 0;
  for (unsigned k = 0; k < c->columns.count; k++)
    if (strchr(c->columns.name[k], '.') == NULL) shown[n++] = k;
  ssa_text_printf(t, "| id | command |");
  for (size_t a = 0; a < c->vary->count; a++) ssa_text_printf(t, " %s |", axis_name(c, a));
  ssa_text_printf(t, " status |");
  for (unsigned k = 0; k < n; k++) ssa_text_printf(t, " %s |", c->columns.name[shown[k]]);
  ssa_text_printf(t, "\n|---|---|");
  for (size_t a = 0; a < c->vary->count; a++) ssa_text_printf(t, "---|");
  ssa_text_printf(t, "---|");
  for (unsigned k = 0; k < n; k++) ssa_text_printf(t, "---:|");
  ssa_text_printf(t, "\n");
  for (size_t k = 0; k < c->count; k++) {
    const point *p = &c->points[k];
    ssa_text_printf(t, "| %s | `", ssa_json_get_string(p->plan, "id", ""));
    md_field(t, ssa_json_get_string(p->plan, "command", ""));
    ssa_text_printf(t, "` |");
    for (size_t a = 0; a < c->vary->count; a++) {
      const char *v = option_value(p, axis_name(c, a));
      ssa_text_printf(t, " %s |", v ? v : "");
    }
    if (p->state == SSA_SWEEP_FAILED) {
      ssa_text_printf(t, " **failed**: ");
      md_field(t, ssa_json_get_string(&p->result, "error", ""));
      ssa_text_printf(t, " |");
    } else {
      ssa_text_printf(t, " %s |", p->state == SSA_SWEEP_OK ? "ok" : "**missing**");
    }
    for (unsigned s = 0; s < n; s++) {
      ssa_text_printf(t, " ");
      number(t, figure(p, c->columns.name[shown[s]]));
      ssa_text_printf(t, " |");
    }
    ssa_text_printf(t, "\n");
  }
}

static int vary_index(const collection *c, const char *name) {
  for (size_t a = 0; a < c->vary->count; a++)
    if (strcmp(axis_name(c, a), name) == 0) return (int)a;
  return -1;
}

static int is_number(const char *s) {
  char *end;
  if (s == NULL || s[0] == '\0') return 0;
  strtod(s, &end);
  return *end == '\0';
}

/* One value for the plot: a varied option (its number, or its position among the values for a
 * word such as a share mode, labelled) or a figure. */
static int plot_value(const collection *c, const point *p, const char *name, double *v,
                      const char **label) {
  *label = NULL;
  int a = vary_index(c, name);
  if (a >= 0) {
    const char *s = option_value(p, name);
    if (s == NULL) return 0;
    if (is_number(s)) {
      *v = strtod(s, NULL);
      return 1;
    }
    const ssa_json_value *values = ssa_json_get(&c->vary->items[a], "values");
    for (size_t k = 0; values != NULL && k < values->count; k++)
      if (strcmp(values->items[k].string, s) == 0) {
        *v = (double)k;
        *label = s;
        return 1;
      }
    return 0;
  }
  const ssa_json_value *f = figure(p, name);
  if (f == NULL) return 0;
  *v = f->number;
  return 1;
}

/* A point's series: its command and the values of the varied options that are not on an axis. */
static void series_title(const collection *c, const point *p, const char *x, const char *y,
                         char *title, size_t len) {
  size_t used = (size_t)snprintf(title, len, "%s", ssa_json_get_string(p->plan, "command", ""));
  for (size_t a = 0; a < c->vary->count && used < len; a++)
    if (strcmp(axis_name(c, a), x) != 0 && strcmp(axis_name(c, a), y) != 0)
    {
      const char *v = option_value(p, axis_name(c, a));
      used += (size_t)snprintf(title + used, len - used, " %s=%s", axis_name(c, a), v ? v : "");
    }
}

/* The plot's series: one per command and combination of the varied options that are not on an
 * axis, named by them; a block of "x label y" lines each in plot.dat. */
static int write_plot(const collection *c, const char *x, const char *y,
                      const ssa_sweep_collect_opts *o, ssa_text *data, ssa_text *script,
                      ssa_error *err) {
  size_t slots = c->count ? c->count : 1;
  char **titles = calloc(slots, sizeof *titles);
  int *series_of = malloc(slots * sizeof *series_of);   /* -1: not plotted */
  double *xs = malloc(slots * sizeof *xs), *ys = malloc(slots * sizeof *ys);
  const char **labels = malloc(slots * sizeof *labels);
  unsigned series = 0, plotted = 0;
  int labelled = 0, rc = 0;
  if (titles == NULL || series_of == NULL || xs == NULL || ys == NULL || labels == NULL)
    rc = ssa_fail(err, "out of memory");
  for (size_t k = 0; rc == 0 && k < c->count; k++) {
    const point *p = &c->points[k];
    const char *y_label;
    series_of[k] = -1;
    if (!plot_value(c, p, x, &xs[k], &labels[k]) || !plot_value(c, p, y, &ys[k], &y_label))
      continue;
    char title[512];
    series_title(c, p, x, y, title, sizeof title);
    unsigned s = 0;
    while (s < series && strcmp(titles[s], title) != 0) s++;
    if (s == series && (titles[series++] = strdup(title)) == NULL)
      rc = ssa_fail(err, "out of memory");
    series_of[k] = (int)s;
    labelled |= labels[k] != NULL;
    plotted++;
  }
  if (rc == 0 && plotted == 0)
    rc = ssa_fail(err, "sweep collect: no point has both '%s' and '%s' (the x and y of the "
                  "plot: a varied option or a figure, a column of sweep.csv)", x, y);
  for (unsigned s = 0; rc == 0 && s < series; s++) {
    ssa_text_printf(data, "# %s\n", titles[s]);
    for (size_t k = 0; k < c->count; k++)
      if (series_of[k] == (int)s)
        ssa_text_printf(data, "%.10g \"%s\" %.10g\n", xs[k], labels[k] ? labels[k] : "", ys[k]);
    ssa_text_printf(data, "\n\n");
  }
  if (rc != 0) series = 0;
  ssa_text_printf(script, "set terminal pngcairo size 900,600\nset output 'sweep.png'\n"
                  "set title \"%s against %s\" noenhanced\nset xlabel \"%s\" noenhanced\n"
                  "set ylabel \"%s\" noenhanced\nset key outside right noenhanced\nset grid\n"
                  "set offsets graph 0.05, graph 0.05, 0, 0\n%s%s",
                  y, x, x, y, o->log_x && !labelled ? "set logscale x 2\n" : "",
                  o->log_y ? "set logscale y 10\n" : "");
  ssa_text_printf(script, "plot ");
  for (unsigned s = 0; s < series; s++) {
    ssa_text_printf(script, "%s'plot.dat' index %u using 1:3%s with linespoints title \"",
                    s ? ", \\\n     " : "", s, labelled ? ":xtic(2)" : "");
    for (const char *ch = titles[s]; *ch != '\0'; ch++)
      ssa_text_printf(script, *ch == '"' || *ch == '\\' ? "\\%c" : "%c", *ch);
    ssa_text_printf(script, "\"");
  }
  ssa_text_printf(script, "\n");
  for (unsigned s = 0; titles != NULL && s < slots && titles[s] != NULL; s++) free(titles[s]);
  free(titles);
  free(series_of);
  free(xs);
  free(ys);
  free(labels);
  return rc;
}

int ssa_sweep_collect(const char *dir, const ssa_sweep_collect_opts *o, ssa_error *err) {
  collection c;
  int rc = load(dir, &c, err);
  const char *x = o->x, *y = o->y;
  if (rc == 0 && x == NULL) {
    if (c.vary->count == 0) rc = ssa_fail(err, "sweep collect: nothing was varied: give --x");
    else x = axis_name(&c, 0);
  }
  if (rc == 0 && y == NULL) {
    for (unsigned k = 0; k < c.columns.count && y == NULL; k++)
      if (strcmp(c.columns.name[k], "area_um2") == 0) y = c.columns.name[k];
    for (unsigned k = 0; k < c.columns.count && y == NULL; k++)
      if (strchr(c.columns.name[k], '.') == NULL) y = c.columns.name[k];
    if (y == NULL)
      rc = ssa_fail(err, "sweep collect: no point has a figure to plot (%u ok of %zu)",
                    c.counts[SSA_SWEEP_OK], c.count);
  }
  ssa_text csv = {0}, md = {0}, data = {0}, script = {0};
  if (rc == 0) rc = write_plot(&c, x, y, o, &data, &script, err);
  if (rc == 0) {
    write_csv(&c, &csv);
    write_md(&c, x, y, &md);
    if (csv.failed || md.failed || data.failed || script.failed)
      rc = ssa_fail(err, "out of memory");
  }
  if (rc == 0) {
    char csv_path[SSA_SWEEP_PATH], md_path[SSA_SWEEP_PATH];
    ssa_outset set;
    ssa_outset_init(&set);
    const ssa_plot_input inputs[] = {{"plot.gp", &script}, {"plot.dat", &data}};
    const char *pngs[] = {"sweep.png"};
    if (ssa_sweep_path(csv_path, sizeof csv_path, dir, "sweep.csv", err) != 0 ||
        ssa_sweep_path(md_path, sizeof md_path, dir, "sweep.md", err) != 0 ||
        ssa_outset_add(&set, csv_path, csv.s, csv.len, err) != 0 ||
        ssa_outset_add(&set, md_path, md.s, md.len, err) != 0 ||
        ssa_gnuplot(dir, "sweep collect: gnuplot", inputs, 2, pngs, 1, &set, err) != 0) {
      ssa_outset_abort(&set);
      rc = -1;
    } else {
      rc = ssa_outset_commit(&set, err);
    }
  }
  if (rc == 0)
    printf("%s: %zu points: %u ok, %u failed, %u missing; wrote sweep.csv, sweep.md, sweep.png "
           "(%s against %s)\n", dir, c.count, c.counts[SSA_SWEEP_OK], c.counts[SSA_SWEEP_FAILED],
           c.counts[SSA_SWEEP_MISSING], y, x);
  ssa_text_free(&csv);
  ssa_text_free(&md);
  ssa_text_free(&data);
  ssa_text_free(&script);
  collection_free(&c);
  return rc;
}
