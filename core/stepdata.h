/* stepdata.h -- the data ports of a design, step by step: what a stimulus gives each input
 * port per step and what the golden model says each output port shows after it. Rows are
 * laid out like the rows of ssa_vectors (every port of one direction in design order, each
 * from a 64-bit word boundary), so a step's row drops straight into the clock's row. */
#ifndef SSA_STEPDATA_H
#define SSA_STEPDATA_H

#include <stddef.h>
#include <stdint.h>

#include "../common/error.h"
#include "design.h"

typedef struct ssa_step_data {
  const ssa_design *design;
  unsigned steps;
  size_t in_words, out_words;       /* per step */
  size_t offset[SSA_MAX_PORTS];     /* word offset of each port in its direction's row */
  uint64_t *in;                     /* steps * in_words */
  uint64_t *out;                    /* steps * out_words */
} ssa_step_data;

/* The most bytes ssa_step_data_init allocates for one run's inputs and outputs unless lifted
 * (0: no limit): 4 GiB by default, so that a size x steps typed by mistake (N = 256, E = 4096,
 * a million steps: 393 GB of stimulus) is refused at once rather than filling the memory. The
 * command line lifts it with --force. */
void ssa_step_data_set_limit(size_t bytes);
int ssa_step_data_init(ssa_step_data *s, const ssa_design *design, unsigned steps, ssa_error *err);
void ssa_step_data_free(ssa_step_data *s);
/* The words of port `port` (an index into design->ports) in step t. */
uint64_t *ssa_step_in(const ssa_step_data *s, unsigned t, unsigned port);
uint64_t *ssa_step_out(const ssa_step_data *s, unsigned t, unsigned port);

static inline int ssa_words_bit(const uint64_t *w, size_t bit) {
  return (int)((w[bit / 64] >> (bit % 64)) & 1u);
}
static inline void ssa_words_set(uint64_t *w, size_t bit, int value) {
  uint64_t mask = (uint64_t)1 << (bit % 64);
  w[bit / 64] = value ? (w[bit / 64] | mask) : (w[bit / 64] & ~mask);
}
/* Field [lo, lo + width) of a word array, width <= 64, as an unsigned or a sign-extended value. */
uint64_t ssa_words_get_field(const uint64_t *w, size_t lo, unsigned width);
int64_t ssa_words_get_signed(const uint64_t *w, size_t lo, unsigned width);
void ssa_words_put_field(uint64_t *w, size_t lo, unsigned width, uint64_t value);

#endif
