/* design.c -- port bookkeeping of a generated design (see design.h). */
#include "design.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ssa_design_add_port(ssa_design *d, const char *name, unsigned width, int is_input) {
  if (d->port_count >= SSA_MAX_PORTS) return;
  ssa_port *p = &d->ports[d->port_count++];
  snprintf(p->name, sizeof p->name, "%s", name);
  p->width = width;
  p->is_input = is_input;
}

int ssa_design_port_index(const ssa_design *d, const char *name) {
  for (unsigned k = 0; k < d->port_count; k++)
    if (strcmp(d->ports[k].name, name) == 0) return (int)k;
  return -1;
}

int ssa_design_add_file(ssa_design *d, const char *name, char *text, size_t len, int own) {
  if (d->file_count >= SSA_MAX_DESIGN_FILES) {
    if (own) free(text);
    return -1;
  }
  if (!own) {
    char *copy = malloc(len + 1);
    if (copy == NULL) return -1;
    memcpy(copy, text, len);
    copy[len] = '\0';
    text = copy;
  }
  ssa_design_file *f = &d->files[d->file_count++];
  snprintf(f->name, sizeof f->name, "%s", name);
  f->text = text;
  f->len = len;
  return 0;
}

void ssa_design_free(ssa_design *d) {
  for (unsigned k = 0; k < d->file_count; k++) free(d->files[k].text);
  d->file_count = 0;
}

size_t ssa_port_words(const ssa_port *p) { return (p->width + 63) / 64; }

int ssa_port_is_control(const ssa_port *p) {
  return strcmp(p->name, "rst_ni") == 0 || strcmp(p->name, "in_valid_i") == 0 ||
         strcmp(p->name, "out_valid_o") == 0 || strcmp(p->name, "in_ready_o") == 0;
}

void ssa_design_add_stream_ports(ssa_design *d, int ready, const char *const *inputs,
                                 unsigned count, unsigned in_width, const char *output,
                                 unsigned out_width) {
  ssa_design_add_port(d, "rst_ni", 1, 1);
  ssa_design_add_port(d, "in_valid_i", 1, 1);
  if (ready) ssa_design_add_port(d, "in_ready_o", 1, 0);
  for (unsigned k = 0; k < count; k++) ssa_design_add_port(d, inputs[k], in_width, 1);
  ssa_design_add_port(d, "out_valid_o", 1, 0);
  ssa_design_add_port(d, output, out_width, 0);
}

void ssa_design_name(ssa_design *d, const char *kind, const char *top, unsigned latency) {
  snprintf(d->kind, sizeof d->kind, "%s", kind);
  snprintf(d->top, sizeof d->top, "%s", top);
  d->latency = latency;
}

int ssa_design_add_part(ssa_design *d, const char *module, unsigned long count,
                        const char *params, ...) {
  char text[sizeof d->parts[0].params];
  va_list ap;
  va_start(ap, params);
  vsnprintf(text, sizeof text, params, ap);
  va_end(ap);
  for (unsigned k = 0; k < d->part_count; k++)
    if (strcmp(d->parts[k].module, module) == 0 && strcmp(d->parts[k].params, text) == 0) {
      d->parts[k].count += count;
      return 0;
    }
  if (d->part_count >= SSA_MAX_DESIGN_PARTS) return -1;
  ssa_design_part *p = &d->parts[d->part_count++];
  snprintf(p->module, sizeof p->module, "%s", module);
  snprintf(p->params, sizeof p->params, "%s", text);
  p->count = count;
  return 0;
}

const ssa_design_part *ssa_design_find_part(const ssa_design *d, const char *module,
                                            const char *params) {
  for (unsigned k = 0; k < d->part_count; k++)
    if (strcmp(d->parts[k].module, module) == 0 &&
        (params == NULL || strcmp(d->parts[k].params, params) == 0))
      return &d->parts[k];
  return NULL;
}

int ssa_design_part_size_dependent(ssa_design *d, const char *module) {
  int found = -1;
  for (unsigned k = 0; k < d->part_count; k++)
    if (strcmp(d->parts[k].module, module) == 0) {
      d->parts[k].size_dependent = 1;
      found = 0;
    }
  return found;
}
