/* netlist.h -- which cell drives which net, read from a gate netlist that Yosys wrote with
 * `write_verilog -noexpr -noattr` (every cell an instance, one module per kept hierarchy
 * level). The energy estimator needs this to charge a net's toggles to the cell type that
 * drives it; the simulated netlist (written with expressions) has the same net names. */
#ifndef SSA_NETLIST_H
#define SSA_NETLIST_H

#include <stddef.h>

#include "../common/error.h"

/* One driving pin of one cell, named as the toggle counts name it (synth/toggles.h): the
 * module as written ("$paramod$4ff2...\ssa_lfsr"), the net in Verilator's encoding ("ssa_n12",
 * "o_q[26]", "u_lfsr_o_0__02estate_q[2]"). */
typedef struct ssa_netlist_driver {
  unsigned module;   /* index into ssa_netlist.modules */
  char type[160];    /* cell type as written: "$_NAND_", "NAND2_X1" */
  char net[160];
} ssa_netlist_driver;

typedef struct ssa_netlist {
  char (*modules)[160];   /* module names as written */
  size_t module_count;
  ssa_netlist_driver *drivers;
  size_t driver_count;
} ssa_netlist;

/* 1 when `pin` is an output of cell `type` (ctx: the caller's cell library). */
typedef int (*ssa_output_pin_fn)(const void *ctx, const char *type, const char *pin);

/* Instances of modules defined in the netlist itself (kept hierarchy) are not cells. A cell
 * output tied to a constant or left open drives nothing and is skipped. */
int ssa_netlist_read(const char *name, const char *text, ssa_output_pin_fn is_output,
                     const void *ctx, ssa_netlist *n, ssa_error *err);
void ssa_netlist_free(ssa_netlist *n);

#endif
