/* fpga_harness.h -- a wrapper that lets a generated design be placed and routed on an FPGA
 * whatever its port count, so that Fmax and resources measure the design's own logic.
 *
 * A design has hundreds of input and output bits (q_i, k_i, v_i and o_o are N*D bits each), far
 * more than an iCE40 package has pins, so nextpnr cannot place its IOs. The harness
 * `ssa_fpga_harness` has at most five pins (clk_i, rst_ni, in_valid_i, si_i, so_o) and:
 *
 *   - drives every data input bit of the design (inputs other than rst_ni and in_valid_i) from
 *     one shift register chain loaded serially from si_i: one flip-flop per input bit, so the
 *     synthesizer cannot constant-fold the inputs and every input path starts at a flip-flop;
 *   - XOR-reduces every output bit of the design (out_valid_o and in_ready_o included) into
 *     so_o through a tree of 4-input XORs with a register after every level, so that no output
 *     bit can be optimised away and every output path ends at a flip-flop a single LUT away;
 *   - passes rst_ni and in_valid_i straight from pins (each only when the design has it).
 *
 * Chain order: the data input ports in design order, the first port at chain bit 0 upwards;
 * si_i enters at bit 0 and every bit moves one place up per clock, so after `in_bits` clocks
 * the first bit shifted in is at the top of the chain. A design without data inputs gets no
 * si_i. Neither the chain nor the tree is reset (iCE40 flip-flops power up at 0).
 *
 * Tree: level 1 XORs the output bits (design order, first port's bit 0 first) four at a time,
 * the last group taking what is left (1 to 4 bits); each level does the same to the one before
 * until one bit remains, which drives so_o. There is always at least one level, so a design
 * with a single output bit still ends at a harness register. so_o at clock t is the XOR of all
 * of the design's outputs at clock t - ssa_fpga_harness_depth(). */
#ifndef SSA_FPGA_HARNESS_H
#define SSA_FPGA_HARNESS_H

#include <stddef.h>

#include "../common/error.h"
#include "../core/design.h"

/* Writes the Verilog-2005 file ssa_fpga_harness.v (module ssa_fpga_harness, instantiating
 * d->top as u_dut) into a malloc'd, NUL-terminated *text of *len bytes; the same design always
 * gives the same bytes. Synthesise it together with d's files. Fails (naming d->top) for a
 * design without outputs, a port of width 0, or a port clk_i (which the harness provides). */
int ssa_fpga_harness_emit(const ssa_design *d, char **text, size_t *len, ssa_error *err);

/* Exactly what the harness instantiates on top of the design: `flops` = one per data input
 * bit plus one per tree node; `luts` = the tree nodes that XOR two or more bits (a node left
 * with a single bit is a plain register). These are the figures of the emitted circuit; whether
 * a report includes or subtracts them is the caller's choice, and the figures nextpnr reports
 * always include them. On iCE40 every harness LUT shares its logic cell with the flip-flop it
 * feeds, so the harness costs exactly `flops` logic cells -- unless the design's outputs are
 * combinational, when synthesis may merge the design's last logic into the first tree level. */
void ssa_fpga_harness_cost(const ssa_design *d, unsigned *flops, unsigned *luts);

/* Clocks from a design output to so_o: the number of tree levels (at least 1). */
unsigned ssa_fpga_harness_depth(const ssa_design *d);

/* The chain's width: bits shifted in per clock (one data pin, si_i). */
#define SSA_FPGA_HARNESS_IN_PINS 1u
/* Bits one step of d needs in the chain: its data inputs (every input but rst_ni, in_valid_i). */
unsigned ssa_fpga_harness_in_bits(const ssa_design *d);

#endif
