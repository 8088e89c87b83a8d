/* energy_parts.h -- the figures per part type (synth/energy.h, ssa_energy_group) and of the
 * whole run, as `ssa energy` prints and writes them (and `ssa compose --validate` beside the
 * composed ones). */
#ifndef SSA_ENERGY_PARTS_H
#define SSA_ENERGY_PARTS_H

#include <stdio.h>

#include "../synth/energy.h"

/* A table of the part types over the steady window: instances, cells, toggles, dynamic,
 * clock and leakage energy per step, area. */
void ssa_print_part_types(const ssa_energy *e);
/* The window and the whole run: clocks, energies, per step. */
void ssa_print_energy_window(const ssa_energy *e);
/* `,\n  "part_types": [...]` and `,\n  "whole_run": {...}` members. */
void ssa_json_part_types(FILE *f, const ssa_energy *e);
void ssa_json_whole_run(FILE *f, const ssa_energy *e);

#endif
