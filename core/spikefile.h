/* spikefile.h -- the spike text format of docs/design.md section 7.1 (inputs and outputs).
 *
 *   # comment (a '#' starts a comment anywhere on a line)
 *   step 0
 *   Q
 *   0110...      rows lines of cols characters '0'/'1'
 *   K
 *   ...
 *   V
 *   ...
 *   step 1
 *   ...
 *
 * Each step holds every expected block exactly once, in the given order. Steps are numbered
 * from 0 without gaps. A file with a single step is a stimulus held for every time step. Errors
 * name the file and line: "spikes.txt:12: row has 15 characters, expected 16". */
#ifndef SSA_SPIKEFILE_H
#define SSA_SPIKEFILE_H

#include <stddef.h>
#include <stdio.h>

#include "../common/error.h"
#include "bitmat.h"

#define SSA_SPIKE_MAX_BLOCKS 4

typedef struct ssa_spike_steps {
  unsigned steps;
  unsigned block_count;                       /* e.g. 3 for "QKV", 1 for "O" */
  char blocks[SSA_SPIKE_MAX_BLOCKS + 1];      /* block letters in order, NUL-terminated */
  unsigned rows, cols;                        /* shape of every block */
  ssa_bitmat *mats;                           /* steps * block_count, index t * block_count + b */
} ssa_spike_steps;

/* Empty sequence of the given shape, ready for ssa_spike_steps_append. */
int ssa_spike_steps_init(ssa_spike_steps *s, const char *blocks, unsigned rows, unsigned cols,
                         ssa_error *err);
/* Adds one zeroed step and returns its first matrix (block b is at [b]), NULL without memory.
 * The pointer is valid until the next append (the array may move); s is unchanged on NULL. */
ssa_bitmat *ssa_spike_steps_append(ssa_spike_steps *s);
static inline ssa_bitmat *ssa_spike_block(const ssa_spike_steps *s, unsigned step, unsigned b) {
  return &s->mats[(size_t)step * s->block_count + b];
}
void ssa_spike_steps_free(ssa_spike_steps *s);

/* Parses text (named `name` in messages) expecting `blocks` of rows x cols in every step.
 * `out` need not be initialised; on failure it is left empty (nothing to free) and err holds
 * one line "name:line: problem" (end of file counts as the line after the last). */
int ssa_spikes_parse(const char *name, const char *text, size_t len, const char *blocks,
                     unsigned rows, unsigned cols, ssa_spike_steps *out, ssa_error *err);
/* Reads and parses a file; errors name the path. `out` as for ssa_spikes_parse. */
int ssa_spikes_read(const char *path, const char *blocks, unsigned rows, unsigned cols,
                    ssa_spike_steps *out, ssa_error *err);

/* Writes the format above; `comment` (may be NULL or multi-line) is written first as '#' lines.
 * Write errors are left in f's error flag for the caller to check. */
void ssa_spikes_write(FILE *f, const ssa_spike_steps *s, const char *comment);
/* --summary: for block b, one line per row with the number of steps each column spiked,
 * separated by single spaces. Writes nothing if s has no block b. */
void ssa_spikes_write_summary(FILE *f, const ssa_spike_steps *s, unsigned b);

#endif
