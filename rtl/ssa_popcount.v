// ssa_popcount.v -- number of ones in WIDTH bits, combinational (reduce=count).
// COUNT_WIDTH must hold WIDTH itself: $clog2(WIDTH) + 1 bits for a power-of-two WIDTH.
`timescale 1ns / 1ps

module ssa_popcount #(
  parameter integer WIDTH       = 4,
  parameter integer COUNT_WIDTH = 3
) (
  input  wire [WIDTH-1:0]       bits_i,
  output reg  [COUNT_WIDTH-1:0] count_o
);
  integer k;

  always @* begin
    count_o = {COUNT_WIDTH{1'b0}};
    for (k = 0; k < WIDTH; k = k + 1) begin
      count_o = count_o + {{(COUNT_WIDTH - 1){1'b0}}, bits_i[k]};
    end
  end
endmodule
