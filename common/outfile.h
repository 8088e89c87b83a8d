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

/* Whether `path` may be written as an output: a new name in an existing directory, or a
 * regular file with one name (the new file takes its mode). A directory, symbolic link, FIFO or
 * device is refused: the rename would replace it with a regular file (as root even /dev/null);
 * so is a file with hard links, which the rename would cut. Commands call it before their work, so that
 * a bad --out is a usage error at once, not after a training run. */
int ssa_outfile_check(const char *path, ssa_error *err);
/* A new name (trailing slashes ignored): its directory exists and can be written, or an error
 * "PATH: no directory DIR to VERB" ("write it in", "make it in"). */
int ssa_new_name_check(const char *path, const char *verb, ssa_error *err);
/* Checks the path (ssa_outfile_check) and opens its temporary file. */
int ssa_outfile_open(ssa_outfile *of, const char *path, ssa_error *err);
/* Flushes, syncs to disk, closes and renames into place. On failure the temporary file is
 * removed. */
int ssa_outfile_commit(ssa_outfile *of, ssa_error *err);
/* Closes and removes the temporary file; safe on a file never opened or already committed. */
void ssa_outfile_abort(ssa_outfile *of);

/* A set of files that appear together: each is written to its temporary file as it is added,
 * and only when every one is complete are they all renamed into place. */
#define SSA_OUTSET_MAX 20
typedef struct ssa_outset {
  unsigned count;
  ssa_outfile files[SSA_OUTSET_MAX];
} ssa_outset;

void ssa_outset_init(ssa_outset *set);
int ssa_outset_add(ssa_outset *set, const char *path, const char *data, size_t len, ssa_error *err);
int ssa_outset_commit(ssa_outset *set, ssa_error *err);
void ssa_outset_abort(ssa_outset *set);

/* Writes a whole buffer atomically. */
int ssa_write_file(const char *path, const char *data, size_t len, ssa_error *err);

#endif
