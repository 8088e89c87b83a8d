/* liberty.h -- the figures the energy and area estimates need from a Liberty (.lib) cell
 * library: per cell its area, leakage, mean input capacitance, a representative internal energy
 * per output transition and, for clocked cells, the clock pin's energy per cycle.
 *
 * The reader takes plain or gzip'd files (zlib reads both), tokenizes and parses the Liberty
 * group syntax in one pass and keeps only these figures, never a tree of the file:
 *
 *   library (name) {                      groups: name (arguments) { statements }
 *     capacitive_load_unit (1, ff) ;      complex attributes: name (arguments) ;
 *     leakage_power_unit : "1nW" ;        simple attributes: name : value ;
 *     cell (INV_X1) { area : 0.532 ; ... }
 *   }
 *
 * with quoted strings, comments between slash-star and star-slash, and backslash-newline line
 * continuations (inside strings too). As in OpenSTA and Yosys, the ';' after an attribute may be
 * left out at the end of a line (or before '}'), but never before more text on the same line.
 *
 * Every figure is normalised to um^2, nW, fF, fJ and V whatever the file's units:
 *   - area: Liberty gives no unit; both reference libraries, and all tools, use um^2.
 *   - leakage: times leakage_power_unit (absent: 1 nW, the unit of both reference libraries;
 *     Liberty defines no default).
 *   - capacitance: times capacitive_load_unit (absent: 1 pF, OpenSTA's default).
 *   - internal power tables (rise_power, fall_power, power) hold energies per transition in
 *     capacitive_load_unit x voltage_unit^2 (Library Compiler's derived energy unit, the scale
 *     OpenSTA's LibertyReader applies to them): with (1, ff) and 1V that is fJ; with (1, pf)
 *     and 1V it is pJ.
 *   - voltage: times voltage_unit (absent: 1 V).
 *
 * The representative energy of a table is its value at the middle of every index (for an even
 * number of points, the mean of the two central ones): the middle input transition and output
 * load of the characterised range, a typical operating point, where the table's mean would be
 * pulled up by the slowest slews and largest loads at its far corners.
 *
 * Errors are one line: "FILE:LINE: problem" for a malformed file, "FILE: cannot open (reason)"
 * for one that cannot be opened. */
#ifndef SSA_LIBERTY_H
#define SSA_LIBERTY_H

#include <stddef.h>

#include "../common/error.h"

#define SSA_LIBERTY_NAME_MAX 64       /* cell and library names, with the NUL */
#define SSA_LIBERTY_FUNCTION_MAX 256  /* a pin's Boolean function, with the NUL */

typedef struct ssa_liberty_cell {
  char name[SSA_LIBERTY_NAME_MAX];  /* longer cell names are an error */
  /* Boolean function of the first output pin, as in the file ("(A1 & A2)"); "" if none; cut
   * to fit */
  char function[SSA_LIBERTY_FUNCTION_MAX];
  double area_um2;
  /* cell_leakage_power; without it the mean of the leakage_power groups' values (every state
   * equally likely); without those the library's default_cell_leakage_power (library defaults
   * apply to the cells after them in the file) */
  double leakage_nw;
  /* mean `capacitance` of the input and inout pins (the mean of rise_capacitance and
   * fall_capacitance when only those are given, else the library default pin capacitance) */
  double input_cap_ff;
  /* mean over the internal_power groups of every output pin (each related pin and `when`
   * condition) of the mean of the group's rise_power and fall_power representative values
   * (`power` stands for both): the cell's own energy per transition of an output, the energy
   * of charging the load excluded */
  double energy_per_toggle_fj;
  /* cells with an input pin `clock : true` (flip-flops, latches): the clock pin's internal
   * energy per clock cycle, rise_power + fall_power (one rise and one fall per cycle),
   * averaged over its internal_power groups; summed over the clock pins. 0 for other cells. */
  double clock_energy_fj;
  unsigned inputs, outputs;  /* pins by direction; an inout pin counts in both */
  /* names of the output and inout pins, in file order, separated by single spaces ("Q QN");
   * "" if none. Owned by the library. */
  const char *output_pins;
  int sequential;            /* has an ff, latch, ff_bank, latch_bank or statetable group */
  int is_flop;               /* has an ff or ff_bank group */
  int dont_use;              /* dont_use : true */
  unsigned line;             /* line of the cell group in the file; 0 when not from a file */
} ssa_liberty_cell;

typedef struct ssa_liberty {
  char path[256];                  /* the file as given (cut to fit), for messages */
  char name[SSA_LIBERTY_NAME_MAX]; /* the library group's name (cut to fit) */
  /* nom_voltage; without it the voltage of the first operating_conditions group; else 0 */
  double nom_voltage_v;
  /* The file's units, each as a multiple of the normalised one, for reports. */
  double time_unit_ns;
  double voltage_unit_v;
  double cap_unit_ff;
  double leakage_unit_nw;
  double energy_unit_fj;  /* of the internal power tables: cap_unit_ff * voltage_unit_v^2 */
  const ssa_liberty_cell *cells;  /* sorted by name (strcmp); names are distinct */
  size_t count;
} ssa_liberty;

/* Reads a Liberty file, plain or gzip'd. `out` need not be initialised; on failure it is left
 * empty (nothing to free) and err holds one line naming the file (and the line). */
int ssa_liberty_read(const char *path, ssa_liberty *out, ssa_error *err);
/* Parses Liberty text of len bytes (no NUL needed), named `name` in messages. `out` as for
 * ssa_liberty_read. */
int ssa_liberty_parse(const char *name, const char *text, size_t len, ssa_liberty *out,
                      ssa_error *err);
/* Frees the cells (and their pin names); safe on an emptied struct and twice. */
void ssa_liberty_free(ssa_liberty *lib);

/* The cell called `name` (binary search), NULL if there is none. Works for the built-in table
 * of cell_table.h as well. */
const ssa_liberty_cell *ssa_liberty_find(const ssa_liberty *lib, const char *name);

/* Whether `pin` is one of the cell's output (or inout) pins: which end of a net a mapped
 * netlist's cell instance drives. */
int ssa_liberty_cell_is_output(const ssa_liberty_cell *cell, const char *pin);

/* Writes a plain copy of the Liberty file `src` (plain or gzip'd) to `dst`, atomically (dst
 * appears whole or not at all), for tools that cannot read gzip (Yosys, ABC). */
int ssa_liberty_decompress(const char *src, const char *dst, ssa_error *err);

#endif
