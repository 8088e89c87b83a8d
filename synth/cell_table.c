/* cell_table.c -- the built-in 45 nm cell figures (see cell_table.h), constants, not read at
 * run time.
 *
 * Source: NanGate FreePDK45 Open Cell Library, NangateOpenCellLibrary typical corner (process
 * TypTyp, 1.1 V, 25 C; NGLibraryCharacterizer v2011.01), as published in its Liberty file.
 *   - area: the cell's `area`, um^2.
 *   - leakage: cell_leakage_power to 0.1 nW, the precision of the figures in docs/design.md section 8.2
 *     section 7 (INV_X1 14.4, NAND2_X1 17.4, ...), which these match.
 *   - input capacitance, energy per output toggle and clock energy: computed once with
 *     liberty.c from that file, with exactly the definitions of liberty.h (mean input pin
 *     capacitance; each internal_power table taken at the middle of both its indexes, rise and
 *     fall averaged per group, groups averaged over the output pins; the clock pin's rise +
 *     fall per cycle), and written here to the digits printed.
 * tests/test_liberty.c reads the Liberty file and checks every row against it. */
#include "cell_table.h"

#include <string.h>

/* The NanGate cell of each row of builtin_cells, in the same order. */
static const char *const nangate_cells[] = {
    "AND2_X1", "AOI21_X1", "AOI22_X1", "BUF_X1",  "DFF_X1",  "DFF_X1",   "MUX2_X1", "NAND2_X1",
    "NOR2_X1", "INV_X1",   "OAI21_X1", "OAI22_X1", "OR2_X1", "XNOR2_X1", "XOR2_X1",
};

/* Sorted by name (strcmp), as ssa_liberty_find needs. output_pins names the Yosys cell's
 * output port as a generic netlist has it (Y; Q for the flip-flops); every other figure,
 * `function` and the pin counts included, is the NanGate cell's. */
static const ssa_liberty_cell builtin_cells[] = {
    {.name = "$_AND_", .function = "(A1 & A2)",
     .output_pins = "Y", .inputs = 2, .outputs = 1, .area_um2 = 1.064, .leakage_nw = 25.1,
     .input_cap_ff = 0.9463875, .energy_per_toggle_fj = 2.77548025},
    {.name = "$_AOI3_", .function = "!(A | (B1 & B2))",
     .output_pins = "Y", .inputs = 3, .outputs = 1, .area_um2 = 1.064, .leakage_nw = 27.9,
     .input_cap_ff = 1.65006933333, .energy_per_toggle_fj = 2.1844877},
    {.name = "$_AOI4_", .function = "!((A1 & A2) | (B1 & B2))",
     .output_pins = "Y", .inputs = 4, .outputs = 1, .area_um2 = 1.330, .leakage_nw = 32.6,
     .input_cap_ff = 1.64607475, .energy_per_toggle_fj = 2.29754833333},
    {.name = "$_BUF_", .function = "A",
     .output_pins = "Y", .inputs = 1, .outputs = 1, .area_um2 = 0.798, .leakage_nw = 21.4,
     .input_cap_ff = 0.974659, .energy_per_toggle_fj = 2.580443},
    /* NanGate has no negative-edge flip-flop: a DFF_X1 behind the clock tree's inverter, which
     * is shared by many flip-flops and so not charged to each. */
    {.name = "$_DFF_N_", .function = "IQ",
     .output_pins = "Q", .inputs = 2, .outputs = 2, .area_um2 = 4.522, .leakage_nw = 79.1,
     .input_cap_ff = 1.0449715, .energy_per_toggle_fj = 4.3719385,
     .clock_energy_fj = 7.44427675, .sequential = 1, .is_flop = 1},
    {.name = "$_DFF_P_", .function = "IQ",
     .output_pins = "Q", .inputs = 2, .outputs = 2, .area_um2 = 4.522, .leakage_nw = 79.1,
     .input_cap_ff = 1.0449715, .energy_per_toggle_fj = 4.3719385,
     .clock_energy_fj = 7.44427675, .sequential = 1, .is_flop = 1},
    {.name = "$_MUX_", .function = "((S & B) | (A & !S))",
     .output_pins = "Y", .inputs = 3, .outputs = 1, .area_um2 = 1.862, .leakage_nw = 35.9,
     .input_cap_ff = 1.270379, .energy_per_toggle_fj = 3.43846341667},
    {.name = "$_NAND_", .function = "!(A1 & A2)",
     .output_pins = "Y", .inputs = 2, .outputs = 1, .area_um2 = 0.798, .leakage_nw = 17.4,
     .input_cap_ff = 1.6316155, .energy_per_toggle_fj = 1.47586275},
    {.name = "$_NOR_", .function = "!(A1 | A2)",
     .output_pins = "Y", .inputs = 2, .outputs = 1, .area_um2 = 0.798, .leakage_nw = 21.2,
     .input_cap_ff = 1.682908, .energy_per_toggle_fj = 1.49591175},
    {.name = "$_NOT_", .function = "!A",
     .output_pins = "Y", .inputs = 1, .outputs = 1, .area_um2 = 0.532, .leakage_nw = 14.4,
     .input_cap_ff = 1.70023, .energy_per_toggle_fj = 1.0874535},
    {.name = "$_OAI3_", .function = "!(A & (B1 | B2))",
     .output_pins = "Y", .inputs = 3, .outputs = 1, .area_um2 = 1.064, .leakage_nw = 22.6,
     .input_cap_ff = 1.63488633333, .energy_per_toggle_fj = 2.1076369},
    {.name = "$_OAI4_", .function = "!((A1 | A2) & (B1 | B2))",
     .output_pins = "Y", .inputs = 4, .outputs = 1, .area_um2 = 1.330, .leakage_nw = 34.0,
     .input_cap_ff = 1.63408475, .energy_per_toggle_fj = 2.290012125},
    {.name = "$_OR_", .function = "(A1 | A2)",
     .output_pins = "Y", .inputs = 2, .outputs = 1, .area_um2 = 1.064, .leakage_nw = 22.7,
     .input_cap_ff = 0.9443765, .energy_per_toggle_fj = 2.68040575},
    {.name = "$_XNOR_", .function = "!(A ^ B)",
     .output_pins = "Y", .inputs = 2, .outputs = 1, .area_um2 = 1.596, .leakage_nw = 36.4,
     .input_cap_ff = 2.403181, .energy_per_toggle_fj = 2.97761475},
    {.name = "$_XOR_", .function = "(A ^ B)",
     .output_pins = "Y", .inputs = 2, .outputs = 1, .area_um2 = 1.596, .leakage_nw = 36.2,
     .input_cap_ff = 2.3217985, .energy_per_toggle_fj = 3.038297125},
};

#define ROWS (sizeof builtin_cells / sizeof builtin_cells[0])

_Static_assert(sizeof nangate_cells / sizeof nangate_cells[0] == ROWS,
               "one NanGate cell per row");

static const ssa_liberty builtin = {
    .path = "(built-in 45 nm table)",
    .name = "built-in NanGate 45 nm table",
    .nom_voltage_v = SSA_CELL_TABLE_VOLTAGE_V,
    .time_unit_ns = 1,
    .voltage_unit_v = 1,
    .cap_unit_ff = 1,
    .leakage_unit_nw = 1,
    .energy_unit_fj = 1,
    .cells = builtin_cells,
    .count = ROWS,
};

const ssa_liberty *ssa_cell_table_builtin(void) { return &builtin; }

const char *ssa_cell_table_cell(const char *yosys_type) {
  const ssa_liberty_cell *c = ssa_liberty_find(&builtin, yosys_type);
  return c == NULL ? NULL : nangate_cells[c - builtin_cells];
}
