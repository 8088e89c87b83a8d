/* sweep_dir.h -- the job directory's files, shared by plan, point, collect and run:
 *   DIR/sweep.json        the plan: kind, grid, commands, and every point's options and argv
 *   DIR/jobs              one shell line per point, in point order
 *   DIR/Makefile          a target per point: results/ID.json
 *   DIR/slurm.sh          the job list as a Slurm array
 *   DIR/results/ID.json   a point's result: status ok with its figures, or failed with its error
 *   DIR/logs/ID.log       what the point's command printed */
#ifndef SSA_SWEEP_DIR_H
#define SSA_SWEEP_DIR_H

#include <stddef.h>

#include "../common/error.h"
#include "../common/json_read.h"

#define SSA_SWEEP_PATH 4096

/* "DIR/NAME" into buf; fails with err when it does not fit. */
int ssa_sweep_path(char *buf, size_t len, const char *dir, const char *name, ssa_error *err);

/* A point id is "p" and decimal digits; ids go into file names and make targets. */
int ssa_sweep_id_ok(const char *id);

/* Reads DIR/sweep.json into root and points to its "points" array (each an object with "id",
 * "command" (the --do text), "options" (object of the varied options' values) and "argv"). */
int ssa_sweep_read_plan(const char *dir, ssa_json_value *root, const ssa_json_value **points,
                        ssa_error *err);

enum { SSA_SWEEP_MISSING, SSA_SWEEP_OK, SSA_SWEEP_FAILED };

/* The state of point id: missing (no result file), ok or failed; with out non-NULL the result
 * is parsed into it (left empty when missing). An unreadable result is an error. */
int ssa_sweep_read_result(const char *dir, const char *id, ssa_json_value *out, int *state,
                          ssa_error *err);

#endif
