/* outfile.h -- output files that appear whole or not at all.
 * Everything SSA writes goes to a temporary file beside the target and is renamed over it
 * only when complete, so a failed or interrupted run never leaves a half-written file. */
#ifndef SSA_OUTFILE_H
#define SSA_OUTFILE_H

#include <stdio.h>

#include "error.h"

typedef struct ssa_outfile {
  FILE *fp;          /* write here */
  char *path;        /* final name */
  char *tmp_path;    /* temporary name in the same directory */
} ssa_outfile;

int ssa_outfile_open(ssa_outfile *of, const char *path, ssa_error *err);
/* Flushes, closes and renames into place. On failure the temporary file is removed. */
int ssa_outfile_commit(ssa_outfile *of, ssa_error *err);
/* Closes and removes the temporary file; safe on a file never opened or already committed. */
void ssa_outfile_abort(ssa_outfile *of);

/* Writes a whole buffer atomically. */
int ssa_write_file(const char *path, const char *data, size_t len, ssa_error *err);

#endif
