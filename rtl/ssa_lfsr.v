// ssa_lfsr.v -- leap-forward Fibonacci LFSR: WIDTH fresh random bits per enabled clock.
// Shift convention (golden/lfsr.h): fb = ^(state & TAPS); state = {state[WIDTH-2:0], fb}.
// One enabled clock applies WIDTH shifts, so state_o shows WIDTH bits of the m-sequence that
// no earlier step showed. The generator derives TAPS from a primitive polynomial and SEED
// (never zero: the all-zero state never leaves itself) from the master seed.
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
