/* vectors.h -- what a design is given and must produce, clock by clock.
 * Every engine runs the same vectors: the Verilator harness pokes them, the Icarus testbench
 * reads them from hex files, and the golden model made the expected half. Ports are packed one
 * after another in design port order, each starting on a 64-bit word boundary. */
#ifndef SSA_VECTORS_H
#define SSA_VECTORS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../common/error.h"
#include "../core/design.h"

typedef struct ssa_vectors {
  const ssa_design *design;
  unsigned cycles;
  size_t in_words, out_words;        /* words per cycle */
  size_t offset[SSA_MAX_PORTS];      /* word offset of each port in its cycle's in or out row */
  uint64_t *in;                      /* cycles * in_words */
  uint64_t *expected;                /* cycles * out_words */
} ssa_vectors;

typedef struct ssa_mismatch {
  unsigned cycle;
  unsigned port;   /* index into design->ports */
  unsigned bit;
  int expected, actual;
} ssa_mismatch;

int ssa_vectors_init(ssa_vectors *v, const ssa_design *design, unsigned cycles, ssa_error *err);
void ssa_vectors_free(ssa_vectors *v);
/* The words of one port in one cycle, of the inputs or of an output array laid out like
 * v->expected (the actual outputs of an engine). */
uint64_t *ssa_vectors_in(const ssa_vectors *v, unsigned cycle, unsigned port);
uint64_t *ssa_vectors_out(const ssa_vectors *v, uint64_t *outputs, unsigned cycle, unsigned port);
/* First difference between expected and actual outputs, in cycle order, then port order, then
 * bit order. Returns 1 and fills *m on a difference, 0 when every bit of every cycle agrees. */
int ssa_vectors_compare(const ssa_vectors *v, const uint64_t *actual, ssa_mismatch *m);

/* Hex text, one line per cycle, one field per port (MSB first, ceil(width/4) digits), the
 * layout the generated testbench reads with $fscanf("%h"). */
void ssa_vectors_write_hex(FILE *f, const ssa_vectors *v, const uint64_t *rows, int inputs);
/* Parses output rows written by the testbench; `name` for messages. */
int ssa_vectors_read_hex(const char *name, const char *text, const ssa_vectors *v,
                         uint64_t *rows, unsigned *rows_read, ssa_error *err);

#endif
