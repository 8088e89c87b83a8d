/* yosys_stat.c -- the `stat` text reader (see yosys_stat.h). The format is Yosys 0.23's:
 *
 *   === ssa_attention ===
 *      Number of cells:               5990
 *        $_AND_                       1198
 *        $paramod$4ff2...\ssa_lfsr       1
 *      Chip area for module '\ssa_attention': 8391.230000
 *      Estimated number of transistors:     304436
 */
#include "yosys_stat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ssa_cell_counts_add(ssa_cell_count **list, size_t *n, const char *type, unsigned long times,
                        ssa_error *err) {
  for (size_t k = 0; k < *n; k++)
    if (strcmp((*list)[k].type, type) == 0) {
      (*list)[k].count += times;
      return 0;
    }
  ssa_cell_count *grown = realloc(*list, (*n + 1) * sizeof *grown);
  if (grown == NULL) return ssa_fail(err, "out of memory");
  *list = grown;
  snprintf(grown[*n].type, sizeof grown[*n].type, "%s", type);
  grown[*n].count = times;
  (*n)++;
  return 0;
}

static int by_type(const void *a, const void *b) {
  return strcmp(((const ssa_cell_count *)a)->type, ((const ssa_cell_count *)b)->type);
}

void ssa_cell_counts_sort(ssa_cell_count *list, size_t n) {
  if (n > 1) qsort(list, n, sizeof *list, by_type);
}

static const char *skip_blanks(const char *p) {
  while (*p == ' ' || *p == '\t') p++;
  return p;
}

/* "=== NAME ===" -> NAME; 0 when the line is not a section header. */
static int section_name(const char *line, size_t len, char *name, size_t size) {
  const char *p = skip_blanks(line);
  const char *end = line + len;
  if (end - p < 8 || strncmp(p, "=== ", 4) != 0 || strncmp(end - 4, " ===", 4) != 0) return 0;
  size_t n = (size_t)(end - 4 - (p + 4));
  if (n >= size) n = size - 1;
  memcpy(name, p + 4, n);
  name[n] = '\0';
  return 1;
}

static int add_module(ssa_stat *s, const char *name, ssa_error *err) {
  ssa_stat_module *grown = realloc(s->modules, (s->count + 1) * sizeof *grown);
  if (grown == NULL) return ssa_fail(err, "out of memory");
  s->modules = grown;
  ssa_stat_module *m = &grown[s->count++];
  memset(m, 0, sizeof *m);
  snprintf(m->name, sizeof m->name, "%s", name);
  return 0;
}

/* One line inside a module section. In the cell list, a line is "TYPE COUNT". */
static int module_line(const char *file, unsigned lineno, char *line, int *in_cells,
                       ssa_stat_module *m, ssa_error *err) {
  const char *p = skip_blanks(line);
  if (*p == '\0') {
    *in_cells = 0;
    return 0;
  }
  if (strncmp(p, "Number of cells:", 16) == 0) {
    *in_cells = 1;
    return 0;
  }
  if (strncmp(p, "Chip area for", 13) == 0) {
    const char *colon = strrchr(p, ':');
    if (colon == NULL || sscanf(colon + 1, "%lf", &m->area) != 1)
      return ssa_fail(err, "%s:%u: unreadable chip area", file, lineno);
    m->has_area = 1;
    *in_cells = 0;
    return 0;
  }
  if (strncmp(p, "Estimated number of transistors:", 32) == 0) {
    if (sscanf(p + 32, "%llu", &m->transistors) != 1)
      return ssa_fail(err, "%s:%u: unreadable transistor count", file, lineno);
    m->transistors_partial = strchr(p + 32, '+') != NULL;
    m->has_transistors = 1;
    *in_cells = 0;
    return 0;
  }
  if (!*in_cells) return 0;
  char type[128];
  unsigned long count;
  const char *q = p;
  while (*q != '\0' && *q != ' ' && *q != '\t') q++;
  size_t n = (size_t)(q - p);
  if (n == 0 || n >= sizeof type || sscanf(q, "%lu", &count) != 1)
    return ssa_fail(err, "%s:%u: expected a cell type and a count", file, lineno);
  memcpy(type, p, n);
  type[n] = '\0';
  return ssa_cell_counts_add(&m->cells, &m->cell_types, type, count, err);
}

int ssa_stat_parse(const char *name, const char *text, ssa_stat *s, ssa_error *err) {
  memset(s, 0, sizeof *s);
  char *copy = strdup(text);
  if (copy == NULL) return ssa_fail(err, "out of memory");
  int in_module = 0, in_cells = 0, rc = 0;
  unsigned lineno = 0;
  for (char *line = copy, *next; line != NULL && rc == 0; line = next) {
    lineno++;
    next = strchr(line, '\n');
    if (next != NULL) *next++ = '\0';
    size_t len = strlen(line);
    while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == ' ')) line[--len] = '\0';
    char section[128];
    if (section_name(line, len, section, sizeof section)) {
      in_cells = 0;
      in_module = strcmp(section, "design hierarchy") != 0;
      if (in_module) rc = add_module(s, section, err);
      continue;
    }
    if (in_module) rc = module_line(name, lineno, line, &in_cells, &s->modules[s->count - 1], err);
  }
  free(copy);
  if (rc == 0 && s->count == 0) rc = ssa_fail(err, "%s: no module statistics", name);
  if (rc != 0) ssa_stat_free(s);
  return rc;
}

void ssa_stat_free(ssa_stat *s) {
  for (size_t k = 0; k < s->count; k++) free(s->modules[k].cells);
  free(s->modules);
  memset(s, 0, sizeof *s);
}

const ssa_stat_module *ssa_stat_find(const ssa_stat *s, const char *module) {
  for (size_t k = 0; k < s->count; k++)
    if (strcmp(s->modules[k].name, module) == 0) return &s->modules[k];
  return NULL;
}
