/* yosys_stat.h -- reads the text Yosys's `stat` command prints (tee -o FILE stat ...).
 * One section per module: its cells by type (a submodule appears as a cell whose type is the
 * module's name), and, when asked for, the chip area (stat -liberty) and the transistor
 * estimate (stat -tech cmos). The "design hierarchy" summary is not read: totals are worked
 * out from the module sections (ssa_stat_expand), the same numbers without a second parser. */
#ifndef SSA_YOSYS_STAT_H
#define SSA_YOSYS_STAT_H

#include <stddef.h>

#include "../common/error.h"

typedef struct ssa_cell_count {
  char type[128];
  unsigned long count;
} ssa_cell_count;

typedef struct ssa_stat_module {
  char name[128];
  ssa_cell_count *cells;
  size_t cell_types;
  double area;                     /* um^2, when has_area */
  int has_area;
  unsigned long long transistors;  /* when has_transistors */
  int has_transistors;
  /* "N+": some cells have no cmos cost -- submodule instances, or unknown cells */
  int transistors_partial;
} ssa_stat_module;

typedef struct ssa_stat {
  ssa_stat_module *modules;
  size_t count;
} ssa_stat;

/* `name` is the file name for messages. */
int ssa_stat_parse(const char *name, const char *text, ssa_stat *s, ssa_error *err);
void ssa_stat_free(ssa_stat *s);
const ssa_stat_module *ssa_stat_find(const ssa_stat *s, const char *module);

/* Adds `times` x the count of `type` to a list of counts (merging equal types). */
int ssa_cell_counts_add(ssa_cell_count **list, size_t *n, const char *type, unsigned long times,
                        ssa_error *err);
/* Sorts by type name, for output that does not depend on Yosys's order. */
void ssa_cell_counts_sort(ssa_cell_count *list, size_t n);

#endif
