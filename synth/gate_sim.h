/* gate_sim.h -- SSA's own simulator of a generic-flow gate netlist, read from the JSON Yosys
 * writes (`write_json`): the kept hierarchy flattened, the combinational cells put in
 * evaluation order once, and then per clock one edge (every flip-flop takes its D, every input
 * register its port's value: the energy harness's registers, energy_harness.h) and one
 * zero-delay settling of the logic, after which each cell output that differs from its value at
 * the previous clock counts one toggle. That is the activity model the energy estimate states
 * (docs/synthesis-and-energy.md): one settling per clock, glitches left out. It needs no
 * compiler, so a netlist of a million cells runs in seconds where a toggle-counting Verilator
 * model of 117 000 cells took twenty minutes to build; and unlike Verilator's toggle coverage
 * its counts do not depend on how the model's evaluation crosses module boundaries. */
#ifndef SSA_GATE_SIM_H
#define SSA_GATE_SIM_H

#include <stdint.h>

#include "../common/error.h"
#include "../sim/vectors.h"

#define SSA_GATE_SIM_MAX_SEGMENTS 9

/* One cell of a module as the netlist defines it, whatever the number of its instances: its
 * output toggles summed over them, per segment of the run. */
typedef struct ssa_gate_sim_cell {
  unsigned module;         /* index into ssa_gate_sim_result.modules */
  const char *type;        /* "$_NAND_", borrowed from the parsed netlist (the result's) */
  unsigned long long toggles[SSA_GATE_SIM_MAX_SEGMENTS];
} ssa_gate_sim_cell;

typedef struct ssa_gate_sim_result {
  char (*modules)[160];    /* module names as Yosys writes them */
  unsigned *module_source; /* per module: 0 the netlist's, k + 1 that of libraries[k] */
  size_t module_count;
  ssa_gate_sim_cell *cells;
  size_t cell_count;       /* cells whose output is not a constant */
  unsigned segments;       /* marks + 1 */
  unsigned long long instances;  /* cells after flattening */
  void **owners;           /* the parsed netlists the types point into */
  size_t owner_count;
} ssa_gate_sim_result;

/* Simulates the netlist `json` (named `name` in messages) of the design v->design (its top and
 * ports) on the vectors v, which are those of the energy harness (energy_harness.h: inputs one
 * clock early, as the harness's registers will hold them). actual is laid out like
 * v->expected. The toggles of clock c go to segment k when marks[k-1] <= c < marks[k] (marks
 * ascending; with none, all to segment 0). A netlist the simulator cannot run -- a cell type it
 * does not know, a second clock, a combinational loop, a net with two drivers -- is an error
 * that says so. */
int ssa_gate_sim_run(const char *name, const char *json, const ssa_vectors *v,
                     const unsigned *marks, unsigned mark_count, uint64_t *actual,
                     ssa_gate_sim_result *out, ssa_error *err);
/* The same, the netlist's black boxes defined by the modules of other netlists (`libraries`,
 * Yosys JSON too): a design whose parts were synthesized alone, assembled (part_sim.h). */
int ssa_gate_sim_run_with(const char *name, const char *json, const char *const *libraries,
                          unsigned library_count, const ssa_vectors *v, const unsigned *marks,
                          unsigned mark_count, uint64_t *actual, ssa_gate_sim_result *out,
                          ssa_error *err);
void ssa_gate_sim_free(ssa_gate_sim_result *r);

#endif
