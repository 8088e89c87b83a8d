/* nextpnr_report.h -- the figures a synthesis report needs from the JSON that
 * `nextpnr-ice40 --report FILE` writes: the achieved and requested clock frequency and the use
 * of logic cells, block RAMs, IOs and DSPs.
 *
 * The file looks like this (nextpnr 0.4 writes it on one line; "critical_paths" and, with
 * --detailed-timing-report, "detailed_net_timings" hold nested objects and arrays, skipped):
 *
 *   { "critical_paths": [ ... ],
 *     "fmax": { "clk_i$SB_IO_IN_$glb_clk": { "achieved": 85.43, "constraint": 12 } },
 *     "utilization": { "ICESTORM_LC": { "available": 7680, "used": 1765 },
 *                      "ICESTORM_RAM": { ... }, "SB_IO": { ... }, ... } }
 *
 * The reader is a small strict JSON parser (RFC 8259: objects, arrays, strings with escapes,
 * numbers, true, false, null; nesting at most 64 deep), no library needed. Errors are one line:
 * "FILE:LINE:COLUMN: problem" for malformed JSON (the column counts bytes, as the whole report
 * is one line), "FILE: problem" for well-formed JSON that is not an iCE40 report (no
 * utilization.ICESTORM_LC, ICESTORM_RAM or SB_IO; a figure that is not a whole number). */
#ifndef SSA_NEXTPNR_REPORT_H
#define SSA_NEXTPNR_REPORT_H

#include <stddef.h>

#include "../common/error.h"

typedef struct ssa_nextpnr_report {
  /* "achieved" of the clock: with several clocks, the slowest whose net name contains "clk_i",
   * else the slowest of all; 0 when there is no "fmax" (a design without a clock) */
  double fmax_mhz;
  double constraint_mhz;  /* that clock's "constraint"; 0 when there is none */
  char clock[128];        /* that clock's net name (cut to fit), "" when there is none */
  unsigned lc_used, lc_available;    /* ICESTORM_LC: logic cells (LUT4 + flip-flop) */
  unsigned ram_used, ram_available;  /* ICESTORM_RAM: 4 kbit block RAMs */
  unsigned io_used, io_available;    /* SB_IO */
  unsigned dsp_used, dsp_available;  /* ICESTORM_DSP (UltraPlus only): 0 when absent */
} ssa_nextpnr_report;

/* Reads the report FILE; on failure *r is zeroed and err holds one line naming the file. */
int ssa_nextpnr_report_read(const char *path, ssa_nextpnr_report *r, ssa_error *err);
/* Parses report text of len bytes (no NUL needed), called `name` in messages; as above. */
int ssa_nextpnr_report_parse(const char *name, const char *text, size_t len,
                             ssa_nextpnr_report *r, ssa_error *err);

#endif
