/* energy.h -- gate-level energy of a synthesized design from its simulated activity:
 *
 *   dynamic  = sum over driven nets of toggles x (E_int(driver) + 1/2 C_load V^2)
 *   clock    = flip-flops x clocks x E_clk(flip-flop)
 *   leakage  = sum over cells of P_leak x clocks / f_clk
 *
 * E_int, E_clk, P_leak, input capacitances and V come from a cell library: a Liberty file or
 * the built-in 45 nm table (cell_table.h). C_load is the design's mean load per driven net:
 * the input capacitance of all cell inputs over the number of driven nets (wires are not
 * modelled). The figures are the steady state's: toggles and clocks of the window from the
 * clock that accepts the first step to the one that shows the last result (activity.h), and
 * energy per step is that window's energy over its steps; the whole run, reset and pipeline
 * drain included, is priced the same way on its own (`run`). */
#ifndef SSA_ENERGY_H
#define SSA_ENERGY_H

#include "activity.h"
#include "liberty.h"
#include "synth.h"

typedef struct ssa_energy_part {
  unsigned long cells, flops;
  double area_um2, leakage_nw;
  unsigned long long toggles;
  double dynamic_fj, clock_fj, leakage_fj;   /* over the clocks priced */
} ssa_energy_part;

/* One part type of the synthesis (synth.h, ssa_synth_group). */
typedef struct ssa_energy_group {
  char name[64];
  unsigned long instances;
  ssa_energy_part e;
} ssa_energy_group;

typedef struct ssa_energy {
  /* the steady window */
  ssa_energy_part part[SSA_PART_COUNT];
  ssa_energy_part total;
  ssa_energy_group group[SSA_SYNTH_MAX_GROUPS];
  unsigned group_count;
  double clock_mhz;
  double voltage_v;
  double load_ff;          /* C_load */
  unsigned cycles;         /* clocks of the window */
  unsigned steps;          /* steps in it (0: no window was given, the whole run) */
  unsigned interval;       /* clocks per step */
  double per_clock_fj;     /* total energy / cycles */
  double per_step_fj;      /* total energy / steps (per_clock_fj x interval without a window) */
  /* the whole run, reset and drain included */
  ssa_energy_part run;
  unsigned run_cycles;
  char library[64];        /* "built-in 45 nm table" or the Liberty library's name */
} ssa_energy;

/* lib: the library the synthesis mapped to (the built-in table for the generic flow). A cell
 * type the library does not know is an error naming it. */
int ssa_energy_estimate(const ssa_synth_result *r, const ssa_activity *a, const ssa_liberty *lib,
                        double clock_mhz, unsigned interval, ssa_energy *e, ssa_error *err);
/* Area of cell counts in a library (um^2); -1 with err on an unknown cell. */
int ssa_cells_area(const ssa_cell_count *cells, size_t n, const ssa_liberty *lib, double *area,
                   ssa_error *err);
/* The mean load per driven net, C_load, of cell counts in a library (fF): the input
 * capacitance of every cell input over the cells' outputs. */
int ssa_cells_load(const ssa_cell_count *cells, size_t n, const ssa_liberty *lib, double *load_ff,
                   ssa_error *err);

#endif
