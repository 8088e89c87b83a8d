// ssa_popcount.v -- number of ones in WIDTH bits, combinational (reduce=count).
// COUNT_WIDTH must hold WIDTH itself: 2^COUNT_WIDTH > WIDTH, i.e. COUNT_WIDTH >= $clog2(WIDTH + 1)
// ($clog2(WIDTH) + 1 bits for a power-of-two WIDTH); WIDTH >= 1. A bad parameter stops
// elaboration on an instance of a module that does not exist, named after the problem
// (and a $error under Yosys, whose hierarchy without -check would let it pass).
// Balanced adder tree, no clock (latency 0): the WIDTH bits are the leaves of a complete binary
// tree of LEAVES = 2^$clog2(WIDTH) leaves (the missing ones 0) kept in heap order, node k the
// sum of nodes 2k and 2k + 1, so the root sits $clog2(WIDTH) adders above every bit. Written as
// one loop over the nodes rather than a net per node: the same tree for synthesis, and a
// simulator evaluates it as fast as a plain sum (Icarus compiles a net per node hundreds of
// times slower).
// Under Verilator the same function is its builtin $countones instead: Verilator unrolls the
// loops into an assignment per node into one wide vector, and the trees were two thirds of the
// C++ of a count or exact design and of its build time (a 16-token exact block: 77 MB of C++
// with them, 28 MB without).
// Yosys and Icarus read the tree, so synthesis and Icarus's three-engine check see it, and
// tests/test_rtl_primitives.sh checks both descriptions against a bit loop.
`timescale 1ns / 1ps

module ssa_popcount #(
  parameter integer WIDTH       = 4,
  parameter integer COUNT_WIDTH = 3
) (
  input  wire [WIDTH-1:0]       bits_i,
  output reg  [COUNT_WIDTH-1:0] count_o
);
  localparam integer SUM_WIDTH = $clog2(WIDTH + 1);  // bits of a count in 0 .. WIDTH

  generate
    if (WIDTH < 1) begin : g_bad_width
`ifdef YOSYS
      $error("ssa_popcount: WIDTH must be at least 1");
`endif
      ssa_popcount_parameter_error_width_must_be_at_least_1 u_error ();
    end
    if (COUNT_WIDTH < SUM_WIDTH) begin : g_bad_count_width
`ifdef YOSYS
      $error("ssa_popcount: COUNT_WIDTH must hold WIDTH (2^COUNT_WIDTH > WIDTH)");
`endif
      ssa_popcount_parameter_error_count_width_must_hold_width u_error ();
    end
  endgenerate

`ifdef VERILATOR
  always @* count_o = COUNT_WIDTH'($countones(bits_i));
`else
  localparam integer LEVELS    = $clog2(WIDTH);      // adders from a bit to the root
  localparam integer LEAVES    = 1 << LEVELS;

  // node k (1 .. 2*LEAVES-1) at bits [k*SUM_WIDTH +: SUM_WIDTH]; nodes 2k and 2k+1 below it,
  // the leaves from LEAVES on; slot 0 is unused
  reg     [2*LEAVES*SUM_WIDTH-1:0] tree;
  integer                          k;

  always @* begin
    tree = {(2 * LEAVES * SUM_WIDTH){1'b0}};
    for (k = 0; k < WIDTH; k = k + 1) begin
      tree[(LEAVES + k)*SUM_WIDTH +: SUM_WIDTH] = {{(SUM_WIDTH - 1){1'b0}}, bits_i[k]};
    end
    for (k = LEAVES - 1; k >= 1; k = k - 1) begin
      tree[k*SUM_WIDTH +: SUM_WIDTH] = tree[2*k*SUM_WIDTH +: SUM_WIDTH]
                                     + tree[(2*k+1)*SUM_WIDTH +: SUM_WIDTH];
    end
    count_o = {COUNT_WIDTH{1'b0}};
    count_o[SUM_WIDTH-1:0] = tree[SUM_WIDTH +: SUM_WIDTH];
  end
`endif
endmodule
