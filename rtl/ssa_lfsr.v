// ssa_lfsr.v -- leap-forward Fibonacci LFSR: WIDTH fresh random bits per enabled clock.
// Shift convention (golden/lfsr.h): fb = ^(state & TAPS); state = {state[WIDTH-2:0], fb}.
// One enabled clock applies WIDTH shifts, so state_o shows WIDTH bits of the m-sequence that
// no earlier step showed. The generator derives TAPS from a primitive polynomial and SEED
// (never zero: the all-zero state never leaves itself) from the master seed.
// Parameters: WIDTH >= 2 (the generator uses 4 .. 32), TAPS != 0, SEED != 0. A bad one stops
// elaboration on an instance of a module that does not exist, named after the problem (and a
// $error under Yosys, whose hierarchy without -check would let it pass).
`timescale 1ns / 1ps

module ssa_lfsr #(
  parameter integer     WIDTH = 16,
  parameter [WIDTH-1:0] TAPS  = {WIDTH{1'b1}},
  parameter [WIDTH-1:0] SEED  = {{(WIDTH - 1){1'b0}}, 1'b1}
) (
  input  wire             clk_i,
  input  wire             rst_ni,
  input  wire             en_i,
  output wire [WIDTH-1:0] state_o
);
  reg     [WIDTH-1:0] state_q;
  reg     [WIDTH-1:0] state_d;
  integer             shift;

  generate
    if (WIDTH < 2) begin : g_bad_width
`ifdef YOSYS
      $error("ssa_lfsr: WIDTH must be at least 2");
`endif
      ssa_lfsr_parameter_error_width_must_be_at_least_2 u_error ();
    end
    if (TAPS == {WIDTH{1'b0}}) begin : g_bad_taps
`ifdef YOSYS
      $error("ssa_lfsr: TAPS must not be zero");
`endif
      ssa_lfsr_parameter_error_taps_must_not_be_zero u_error ();
    end
    if (SEED == {WIDTH{1'b0}}) begin : g_bad_seed
`ifdef YOSYS
      $error("ssa_lfsr: SEED must not be zero (the all-zero state never leaves itself)");
`endif
      ssa_lfsr_parameter_error_seed_must_not_be_zero u_error ();
    end
  endgenerate

  always @* begin
    state_d = state_q;
    for (shift = 0; shift < WIDTH; shift = shift + 1) begin
      state_d = {state_d[WIDTH-2:0], ^(state_d & TAPS)};
    end
  end

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      state_q <= SEED;
    end else if (en_i) begin
      state_q <= state_d;
    end
  end

  assign state_o = state_q;
endmodule
