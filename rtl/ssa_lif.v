// ssa_lif.v -- one integer leaky integrate-and-fire neuron, bit-exact with golden/lif.c.
// Semantics (golden/lif.h, docs/fixed-point.md), on every clock with en_i high:
//   v = saturate_W(u - (u >>> L) + I);  spike = v >= TH;  u <= spike ? (SUBTRACT ? v - TH : 0) : v
// u is the signed W-bit membrane (0 after reset), I the signed CURRENT-bit current_i.
// spike_o is combinational: the spike this step produces from membrane_o and current_i, valid
// whether or not en_i is high; the parent registers it on the clocks it steps the neuron.
`timescale 1ns / 1ps

module ssa_lif #(
  parameter integer WIDTH      = 16,  // W, membrane bits (two's complement): 2 to 32
  parameter integer CURRENT    = 16,  // C, current_i bits (two's complement): 1 to 40
  parameter integer LEAK_SHIFT = 1,   // L: 0 to W - 1; leak factor 1 - 2^-L
  parameter integer THRESHOLD  = 64,  // TH: 1 to 2^(W-1) - 1
  parameter integer SUBTRACT   = 0    // reset after a spike: 0 to zero, 1 subtracts TH
) (
  input  wire               clk_i,
  input  wire               rst_ni,
  input  wire               en_i,
  input  wire [CURRENT-1:0] current_i,
  output wire               spike_o,
  output wire [WIDTH-1:0]   membrane_o
);
  // The arithmetic and the parameter check are ssa_lif_core's; this adds the membrane.
  reg  [WIDTH-1:0] u_q;
  wire [WIDTH-1:0] u_d;

  ssa_lif_core #(
    .WIDTH(WIDTH), .CURRENT(CURRENT), .LEAK_SHIFT(LEAK_SHIFT), .THRESHOLD(THRESHOLD),
    .SUBTRACT(SUBTRACT)
  ) u_core (
    .membrane_i(u_q), .current_i(current_i), .spike_o(spike_o), .membrane_o(u_d)
  );

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      u_q <= {WIDTH{1'b0}};
    end else if (en_i) begin
      u_q <= u_d;
    end
  end

  assign membrane_o = u_q;
endmodule
