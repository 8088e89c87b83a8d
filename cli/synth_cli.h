/* synth_cli.h -- the command line shared by `ssa synth` and `ssa energy`: a kind, its
 * generator options, and the synthesis options (flow, Liberty file, device, work directory,
 * JSON output), plus the simulation options of `ssa energy`. */
#ifndef SSA_SYNTH_CLI_H
#define SSA_SYNTH_CLI_H

#include <stdio.h>

#include "../common/outfile.h"
#include "../synth/liberty.h"
#include "../synth/subject.h"
#include "../synth/synth.h"

typedef struct ssa_synth_cli {
  ssa_subject subject;
  ssa_synth_opts synth;
  ssa_liberty liberty;        /* read when --liberty is given */
  int has_liberty;
  const char *json;           /* --json FILE */
  const char *cache;          /* --cache DIR (energy) */
  unsigned steps;             /* --steps T (energy); with --input, the steps run */
  int steps_given;
  double rate;                /* --rate P (energy) */
  int rate_given;
  const char *input;          /* --input FILE (energy): the stimulus instead of --rate */
  double clock_mhz;           /* --clock MHZ (energy) */
  int gate_sim_verilator;     /* --gate-sim verilator (energy): toggles from Verilator */
} ssa_synth_cli;

#define SSA_ENERGY_DEFAULT_CLOCK_MHZ 500.0

/* Parses `ssa <command> KIND [options]` (argv[0] is the kind). energy: accept the simulation
 * options. Returns 0, or 1 when --help was asked for (nothing to free), or -1 (err set). */
int ssa_synth_cli_parse(ssa_synth_cli *c, const char *command, int argc, char **argv,
                        int energy, ssa_error *err);
void ssa_synth_cli_free(ssa_synth_cli *c);
/* How both commands begin: parses the command line into c and emits the design with the
 * stimulus of `ssa energy` (--steps, and --rate or --input; one step for `ssa synth`). Returns -1 when c is
 * ready and the command goes on (free c with ssa_synth_cli_free), else the status it exits
 * with: 0 once print_help has answered --help, 2 once a bad command line or design has been
 * reported on stderr. */
int ssa_synth_cli_start(ssa_synth_cli *c, const char *command, int argc, char **argv, int energy,
                        void (*print_help)(void));
/* Opens the --json file `path` and writes its first members, the kind and its design options:
 * `{\n  "kind": "...",\n  "options": "..."`. The caller writes the rest and commits `of`.
 * Returns the stream, or NULL (err set). */
FILE *ssa_synth_cli_json_begin(const ssa_synth_cli *c, const char *path, ssa_outfile *of,
                               ssa_error *err);
/* The library that prices the cells: the Liberty file, or the built-in table. */
const ssa_liberty *ssa_synth_cli_library(const ssa_synth_cli *c);

#endif
