/* sweep.h -- design-space sweeps handed to make, GNU parallel or Slurm (docs/sweeps.md).
 *
 * `ssa sweep plan` expands a grid of design options and a list of commands into points and
 * writes a job directory: the plan (sweep.json), the job list (jobs: one shell line per point),
 * a Makefile whose targets are the points' result files, and a Slurm array script. Every
 * runner runs the same lines, each `ssa sweep point DIR ID -- COMMAND...`, which runs one
 * command and records its figures or its error in results/ID.json, whole or not at all. A
 * point whose result exists is skipped, so a killed run started again finishes only the
 * missing points. `ssa sweep collect` merges the results into CSV, Markdown and a PNG plot;
 * `ssa sweep run` runs the Makefile with a progress line.
 *
 * SSA schedules nothing itself: the runners do. */
#ifndef SSA_SWEEP_H
#define SSA_SWEEP_H

#include "../common/error.h"

/* The commands a point may run. */
#define SSA_SWEEP_COMMANDS "synth, energy or sim"
/* At most this many points in one plan. */
#define SSA_SWEEP_MAX_POINTS 100000u
#define SSA_SWEEP_MAX_VARY 16u
#define SSA_SWEEP_MAX_SET 32u
#define SSA_SWEEP_MAX_DO 16u
#define SSA_SWEEP_MAX_WORDS 64u

typedef struct ssa_sweep_axis {
  const char *option;   /* without the leading "--": "tokens" */
  char **values;        /* into buf */
  unsigned count;
  char *buf;            /* the --vary text, cut into the option and its values */
} ssa_sweep_axis;

typedef struct ssa_sweep_spec {
  const char *kind;
  ssa_sweep_axis vary[SSA_SWEEP_MAX_VARY];
  unsigned vary_count;
  const char *set_option[SSA_SWEEP_MAX_SET];   /* fixed design options, without "--" */
  const char *set_value[SSA_SWEEP_MAX_SET];
  char *set_buf[SSA_SWEEP_MAX_SET];
  unsigned set_count;
  const char *commands[SSA_SWEEP_MAX_DO];      /* "synth --flow liberty --liberty F" */
  unsigned command_count;
  const char *dir;                             /* --out */
} ssa_sweep_spec;

/* Adds --vary OPT=V1,V2,... (OPT with or without "--") or --set OPT=V to the spec. */
int ssa_sweep_add_vary(ssa_sweep_spec *s, const char *text, ssa_error *err);
int ssa_sweep_add_set(ssa_sweep_spec *s, const char *text, ssa_error *err);
void ssa_sweep_spec_free(ssa_sweep_spec *s);

/* Checks every point's design options against the kind (the options it parses, their ranges,
 * its cross-checks) and every command's first word, then writes the job directory. Refuses a
 * directory that holds another plan; the same plan again is a no-op. `self` is the ssa binary
 * the job lines run. Prints the point count and the commands that run it. */
int ssa_sweep_plan(const ssa_sweep_spec *s, const char *self, ssa_error *err);

/* Runs point `id` of the sweep in dir: argv (argc words) is the command after "--". Returns 0
 * when the result is recorded, ok or failed (a failed point does not stop a runner), or was
 * there already; -1 with err when it could not be recorded. */
int ssa_sweep_point(const char *dir, const char *id, int argc, char **argv, const char *self,
                    ssa_error *err);

typedef struct ssa_sweep_collect_opts {
  const char *x, *y;    /* NULL: the first varied option, and area_um2 or the first figure */
  int log_x, log_y;     /* logarithmic axes */
} ssa_sweep_collect_opts;

/* Writes DIR/sweep.csv, DIR/sweep.md and DIR/sweep.png (together, or none of them) and prints
 * the counts of ok, failed and missing points. */
int ssa_sweep_collect(const char *dir, const ssa_sweep_collect_opts *o, ssa_error *err);

/* `make -k -j jobs` in dir, its output in DIR/logs/make.log, a progress line on stderr; with
 * retry_failed, failed results are removed first. Returns the exit status: 0 every point ok,
 * 1 some failed or make failed, and -1 with err for an error before the run. */
int ssa_sweep_run(const char *dir, unsigned jobs, int retry_failed, ssa_error *err);

#endif
