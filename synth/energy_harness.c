/* energy_harness.c -- input registers around a design whose energy is measured (see
 * energy_harness.h). */
#define _POSIX_C_SOURCE 200809L
#include "energy_harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../gen/emit_util.h"

int ssa_energy_harness_wrap(ssa_design *d, ssa_error *err) {
  if (d->file_count >= SSA_MAX_DESIGN_FILES)
    return ssa_fail(err, "%s: too many files to wrap for its energy", d->top);
  ssa_emitter e;
  if (ssa_emitter_open(&e, err) != 0) return -1;
  FILE *f = e.f;
  ssa_out(f, "// %s -- %s driven from input registers for its energy (synth/energy_harness.h)\n"
             "`timescale 1ns / 1ps\n\n", SSA_ENERGY_HARNESS_TOP, d->top);
  ssa_emit_module_header(f, SSA_ENERGY_HARNESS_TOP, d->ports, d->port_count, SSA_PORTS_COMPACT);
  for (unsigned k = 0; k < d->port_count; k++) {
    const ssa_port *p = &d->ports[k];
    if (!p->is_input) continue;
    /* zero at the start: the first clock is in reset, as the vectors have it */
    ssa_out(f, "  reg [%u:0] %s_r = %u'd0;\n", p->width - 1, p->name, p->width);
  }
  ssa_out(f, "\n  always @(posedge clk_i) begin\n");
  for (unsigned k = 0; k < d->port_count; k++)
    if (d->ports[k].is_input)
      ssa_out(f, "    %s_r <= %s;\n", d->ports[k].name, d->ports[k].name);
  ssa_out(f, "  end\n\n  %s u_design (\n    .clk_i(clk_i)", d->top);
  for (unsigned k = 0; k < d->port_count; k++) {
    const ssa_port *p = &d->ports[k];
    ssa_out(f, ",\n    .%s(%s%s)", p->name, p->name, p->is_input ? "_r" : "");
  }
  ssa_out(f, "\n  );\nendmodule\n");
  /* the wrapper's file first (a design's files[0] holds its top), the design's after it */
  unsigned count = d->file_count;
  ssa_design_file files[SSA_MAX_DESIGN_FILES];
  memcpy(files, d->files, count * sizeof *files);
  d->file_count = 0;
  char name[64];
  snprintf(name, sizeof name, "%s.v", SSA_ENERGY_HARNESS_TOP);
  int rc = ssa_emitter_close(&e, d, name, err);
  for (unsigned k = 0; k < count; k++) d->files[d->file_count++] = files[k];
  if (rc != 0) return -1;
  snprintf(d->top, sizeof d->top, "%s", SSA_ENERGY_HARNESS_TOP);
  return 0;
}

int ssa_energy_harness_vectors(const ssa_vectors *v, const ssa_design *w, ssa_vectors *out,
                               ssa_error *err) {
  *out = *v;
  out->design = w;
  size_t row = v->in_words, rows = v->cycles;
  out->in = malloc((rows * row + 1) * sizeof *out->in);
  if (out->in == NULL) return ssa_fail(err, "out of memory for the vectors");
  /* clock c's inputs go into the registers at the edge of clock c - 1 */
  if (rows > 1) memcpy(out->in, v->in + row, (rows - 1) * row * sizeof *out->in);
  if (rows > 0) memcpy(out->in + (rows - 1) * row, v->in + (rows - 1) * row, row * sizeof *out->in);
  return 0;
}

void ssa_energy_harness_vectors_free(ssa_vectors *out) {
  free(out->in);
  out->in = NULL;
}
