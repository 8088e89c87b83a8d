/* weights.h -- the weights text format of spiking linear layers (q, k, v, o, fc1, ...).
 * Parsed once here, read by both the generator and the golden model, so the two can never
 * disagree about a weight. The format (docs/weights-format.md has the full description):
 *
 *   # '#' starts a comment anywhere on a line; blank lines are ignored
 *   layer q 4 3      # 'layer', a name, rows (outputs O), cols (inputs I)
 *     1 -2  3        # then exactly `rows` lines of exactly `cols` integers
 *    -4  5 -6
 *     0  0  1
 *     7 -8  2
 *   layer k 2 2
 *   ...
 *
 * - Tokens are separated by spaces and tabs; leading and trailing blanks and a final '\r'
 *   are ignored. Lines end with '\n'; the last line needs none.
 * - A name is 1 to 31 characters of a-z, 0-9 and '_', and names are distinct in a file.
 * - rows and cols are plain decimal numbers from 1 to SSA_WEIGHTS_MAX_DIM.
 * - A weight is an optional '+' or '-' and decimal digits, in [-2^(b-1), 2^(b-1) - 1] for a
 *   weight width of b bits (given by the caller, --weight-bits; not stored in the file).
 * - Row r, value c of a layer is w[r * cols + c]: the weight from input c to output r.
 * - A file holds at least one layer; layers keep the order of the file.
 *
 * Errors are one line naming the file and line (1-based; end of file counts as the line after
 * the last): "weights.txt:7: weight 200 out of range for --weight-bits 8 (-128 to 127)". */
#ifndef SSA_WEIGHTS_H
#define SSA_WEIGHTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../common/error.h"

#define SSA_WEIGHTS_MIN_BITS 2u   /* 1 bit would hold only -1 and 0 */
/* A sum of SSA_WEIGHTS_MAX_DIM 16-bit weights, one per input spike, needs at most 28 bits, so
 * a layer's output never overflows int32_t; a layer holds at most 64 MiB of weights. */
#define SSA_WEIGHTS_MAX_BITS 16u
#define SSA_WEIGHTS_MAX_DIM 4096u
#define SSA_WEIGHTS_NAME_MAX 31u

typedef struct ssa_weight_layer {
  char name[SSA_WEIGHTS_NAME_MAX + 1];  /* e.g. "q", "fc1" */
  unsigned rows, cols;                  /* rows = outputs O, cols = inputs I */
  int32_t *w;      /* rows * cols, row-major: w[o * cols + i] is the weight from input i to o */
  unsigned line;   /* line of its 'layer' header, for messages; 0 when not from a file */
} ssa_weight_layer;

typedef struct ssa_weights {
  char path[256];        /* the file name as given (cut to fit), for messages */
  unsigned weight_bits;  /* values lie in [-2^(bits-1), 2^(bits-1) - 1] */
  unsigned count;
  ssa_weight_layer *layers;
} ssa_weights;

/* Parses text named `name` in messages, for weight_bits in [SSA_WEIGHTS_MIN_BITS,
 * SSA_WEIGHTS_MAX_BITS]. `out` need not be initialised; on failure it is left empty (nothing
 * to free) and err holds exactly one line "name:line: problem". */
int ssa_weights_parse(const char *name, const char *text, size_t len, unsigned weight_bits,
                      ssa_weights *out, ssa_error *err);
/* Reads (ssa_read_file) and parses a file; errors name the path. `out` as for parse. */
int ssa_weights_read(const char *path, unsigned weight_bits, ssa_weights *out, ssa_error *err);
/* Frees the layers; safe on an emptied struct and twice. */
void ssa_weights_free(ssa_weights *w);

/* The layer called `name`, NULL if there is none. */
const ssa_weight_layer *ssa_weights_find(const ssa_weights *w, const char *name);
/* Sets *out to the layer `name` when it is exactly rows x cols; otherwise *out = NULL and
 * err says "FILE: no layer 'fc1' (the block needs layers NEEDED)" (`needed`, e.g.
 * "q, k, v, o, fc1, fc2", may be NULL to leave out the parenthesis) or
 * "FILE:LINE: layer q is 32 x 16, the block needs 32 x 32". */
int ssa_weights_expect(const ssa_weights *w, const char *name, unsigned rows, unsigned cols,
                       const char *needed, const ssa_weight_layer **out, ssa_error *err);

/* Writes the format above: `comment` (may be NULL or multi-line) as '#' lines, then every
 * layer. Write errors are left in f's error flag for the caller to check. */
void ssa_weights_write(FILE *f, const ssa_weights *w, const char *comment);

/* `count` layers names[k] of rows[k] x cols[k], every weight uniform over the whole range of
 * weight_bits, drawn in layer then row-major order from one ssa_splitmix64 stream started at
 * `seed`: the same arguments give the same weights on every machine. The layers' line is 0 and
 * path names the seed. `out` as for ssa_weights_parse. */
int ssa_weights_random(ssa_weights *out, unsigned weight_bits, unsigned count,
                       const char *const *names, const unsigned *rows, const unsigned *cols,
                       uint64_t seed, ssa_error *err);

/* Bits of a signed accumulator that holds any sum of `inputs` weights of `weight_bits`. */
unsigned ssa_linear_current_bits(unsigned inputs, unsigned weight_bits);

#endif
