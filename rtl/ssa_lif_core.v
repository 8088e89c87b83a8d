// ssa_lif_core.v -- the arithmetic of one integer leaky integrate-and-fire step, bit-exact
// with golden/lif.c, with no state of its own: ssa_lif wraps it with a membrane register, and
// folded layers keep many membranes in a memory and step them through one core each.
// Semantics (golden/lif.h, docs/fixed-point.md), u = membrane_i, I = current_i:
//   v = saturate_W(u - (u >>> L) + I); spike_o = v >= TH;
//   membrane_o = spike_o ? (SUBTRACT ? v - TH : 0) : v
`timescale 1ns / 1ps

module ssa_lif_core #(
  parameter integer WIDTH      = 16,  // W, membrane bits (two's complement): 2 to 32
  parameter integer CURRENT    = 16,  // C, current_i bits (two's complement): 1 to 40
  parameter integer LEAK_SHIFT = 1,   // L: 0 to W - 1; leak factor 1 - 2^-L
  parameter integer THRESHOLD  = 64,  // TH: 1 to 2^(W-1) - 1
  parameter integer SUBTRACT   = 0    // reset after a spike: 0 to zero, 1 subtracts TH
) (
  input  wire [WIDTH-1:0]   membrane_i,
  input  wire [CURRENT-1:0] current_i,
  output wire               spike_o,
  output wire [WIDTH-1:0]   membrane_o
);
  // Parameter check, FINN-style, in the one form all three tools accept as Verilog-2005:
  // $error and assertions are SystemVerilog, and $display/$finish in an initial block would
  // speak only in simulation (Yosys would synthesize a wrong circuit silently). Instead an
  // illegal value elaborates an instance of a module that does not exist, named after the rule,
  // so Verilator, Icarus and Yosys all stop with an error that quotes it. Branches not taken
  // are never elaborated, so legal values reference no missing module.
  generate
    if (WIDTH < 32'sd2 || WIDTH > 32'sd32) begin : g_bad_width
      ssa_lif_parameter_WIDTH_must_be_2_to_32 u_bad_parameter ();
    end
    if (CURRENT < 32'sd1 || CURRENT > 32'sd40) begin : g_bad_current
      ssa_lif_parameter_CURRENT_must_be_1_to_40 u_bad_parameter ();
    end
    if (LEAK_SHIFT < 32'sd0 || LEAK_SHIFT >= WIDTH) begin : g_bad_leak_shift
      ssa_lif_parameter_LEAK_SHIFT_must_be_0_to_WIDTH_minus_1 u_bad_parameter ();
    end
    // THRESHOLD >> (W - 1) is zero exactly for 0 <= THRESHOLD < 2^(W-1); writing the bound as
    // (1 << (W - 1)) - 1 would overflow the 32-bit integer arithmetic when W = 32.
    if (THRESHOLD < 32'sd1 || (THRESHOLD >> (WIDTH - 32'sd1)) != 32'sd0) begin : g_bad_threshold
      ssa_lif_parameter_THRESHOLD_must_be_1_to_2_pow_WIDTH_minus_1_minus_1 u_bad_parameter ();
    end
    if (SUBTRACT != 32'sd0 && SUBTRACT != 32'sd1) begin : g_bad_subtract
      ssa_lif_parameter_SUBTRACT_must_be_0_or_1 u_bad_parameter ();
    end
  endgenerate

  // u - (u >>> L) lies in the W-bit range and I in the C-bit range, so their exact sum always
  // fits SUM = max(W, C) + 1 bits; the +1 also keeps both sign extensions below at least one bit
  // wide (a zero replication is illegal in Verilog-2005).
  localparam integer SUM = (WIDTH > CURRENT ? WIDTH : CURRENT) + 32'sd1;
  // Bits of THRESHOLD below its (zero) sign bit: TH is positive, so the signed comparison
  // v >= TH is "v is not negative and its low W-1 bits are >= TH" (unsigned, no sign games).
  localparam [WIDTH-2:0] TH = THRESHOLD[WIDTH-2:0];

  // Every operand of the sum is an explicitly sign-extended signed SUM-bit wire: a single
  // unsigned operand (a concatenation, a part-select, a port) would make Verilog evaluate the
  // whole expression unsigned and turn >>> into a logical shift.
  wire signed [SUM-1:0] u_ext       = {{(SUM - WIDTH){membrane_i[WIDTH-1]}}, membrane_i};
  wire signed [SUM-1:0] current_ext = {{(SUM - CURRENT){current_i[CURRENT-1]}}, current_i};
  wire signed [SUM-1:0] sum         = u_ext - (u_ext >>> LEAK_SHIFT) + current_ext;

  // The sum fits W bits exactly when its bits W-1 and up all equal its sign; otherwise v is the
  // bound on the sum's side, 10...0 or 01...1, i.e. the sign followed by W-1 inverted signs.
  wire             sign = sum[SUM-1];
  wire             fits = sum[SUM-1:WIDTH-1] == {(SUM - WIDTH + 1){sign}};
  wire [WIDTH-1:0] v    = fits ? sum[WIDTH-1:0] : {sign, {(WIDTH - 1){~sign}}};

  assign spike_o = ~v[WIDTH-1] & (v[WIDTH-2:0] >= TH);

  // After a spike TH <= v <= 2^(W-1) - 1, so v - TH is in [0, 2^(W-1) - 1 - TH]: a W-1 bit
  // unsigned subtraction with a zero sign bit is exact.
  wire [WIDTH-1:0] u_reset = SUBTRACT == 32'sd1 ? {1'b0, v[WIDTH-2:0] - TH} : {WIDTH{1'b0}};
  assign membrane_o = spike_o ? u_reset : v;
endmodule
