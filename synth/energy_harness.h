/* energy_harness.h -- how a design is driven when its energy is measured: from input registers
 * on the design's own clock, as the layer before it would drive it. The co-simulation harness
 * (sim/) applies a clock's inputs while the clock is low and the design's registers -- its
 * LFSRs among them -- change at the rising edge, so a combinational net can change twice in
 * one clock: with the new inputs and the old state, then with the new state. Counted as two
 * toggles, that is neither the glitch-free single settling of a zero-delay model nor real
 * glitching, and it depends on the design's size: the second change happens only when a
 * select's number changed, with probability 1 - 1/N for an N-input select. Here every input,
 * rst_ni and in_valid_i included, is registered in a wrapper module, so the design's inputs
 * and its registers change at the same edge and every net settles once per clock. The vectors
 * are moved one clock earlier to make up for the register: the design sees the same value on
 * every port at every clock, and its outputs are compared with the same expectation. */
#ifndef SSA_ENERGY_HARNESS_H
#define SSA_ENERGY_HARNESS_H

#include "../common/error.h"
#include "../core/design.h"
#include "../sim/vectors.h"

#define SSA_ENERGY_HARNESS_TOP "ssa_energy_harness"

/* Wraps design d in place: the wrapper's file becomes its first and the wrapper its top, with
 * the same ports, latency and interval. */
int ssa_energy_harness_wrap(ssa_design *d, ssa_error *err);
/* The vectors of v for the wrapped design w: inputs one clock earlier (the last clock's
 * repeated), expectations as they are. out owns new input rows and borrows v's expectations:
 * free it with ssa_energy_harness_vectors_free. */
int ssa_energy_harness_vectors(const ssa_vectors *v, const ssa_design *w, ssa_vectors *out,
                               ssa_error *err);
void ssa_energy_harness_vectors_free(ssa_vectors *out);

#endif
