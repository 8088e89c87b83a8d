#!/usr/bin/env bash
# test_rtl_primitives.sh -- the hand-written primitives rtl/ssa_lfsr.v and rtl/ssa_popcount.v on
# their own, with Verilator (--lint-only -Wall), Icarus (-g2005 -Wall, vvp) and Yosys:
#   (a) a bad parameter (LFSR SEED=0, TAPS=0, WIDTH=1; popcount COUNT_WIDTH too small) stops
#       elaboration on every tool, with a message that names the problem;
#   (b) good parameters elaborate without a single warning;
#   (c) popcount is exact: every input for WIDTH 1, 2, 3, 4, 5, 7, 8, random vectors of every
#       density for WIDTH 64, 100 and 256, against a bit loop in the testbench, on Icarus (the
#       adder tree) and on Verilator (the file's $countones branch);
#   (d) the LFSR's states after reset and after each clock equal a few lines of Python written
#       from the convention in the file's header (fb = ^(state & TAPS); state = {state[W-2:0],
#       fb}; WIDTH shifts per enabled clock, none without en_i).
#   usage: test_rtl_primitives.sh      exit 0 pass, 1 failure, 77 a tool is missing
set -uo pipefail
root=${SSA_SOURCE_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
lfsr=$root/rtl/ssa_lfsr.v
popcount=$root/rtl/ssa_popcount.v

for tool in verilator iverilog vvp yosys python3; do
  if ! command -v "$tool" > /dev/null 2>&1; then
    echo "test_rtl_primitives: $tool not found, skipped"
    exit 77
  fi
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

failures=0
fail() {
  echo "FAIL: $1" >&2
  if [ -n "${2:-}" ] && [ -s "$2" ]; then sed 's/^/    /' "$2" | head -n 30 >&2; fi
  failures=$((failures + 1))
}
ok() { echo "ok:   $1"; }

# ---- the three tools; each writes everything it prints to $log ----
# $1 top module, the rest the files.
verilator_lint() {
  local top=$1
  shift
  verilator --lint-only -Wall --top-module "$top" "$@" > "$log" 2>&1
}
icarus_build() {
  local top=$1
  shift
  iverilog -g2005 -Wall -s "$top" -o "$top.vvp" "$@" > "$log" 2>&1
}
# Plain hierarchy (no -check) for the bad parameters: Yosys must fail even so. The good ones
# go on through -check, proc and check -assert as far as the synthesis flows would.
yosys_elab() {
  local top=$1
  shift
  yosys -q -p "read_verilog $*; hierarchy -top $top" > "$log" 2>&1
}
yosys_full() {
  local top=$1
  shift
  yosys -q -p "read_verilog $*; hierarchy -check -top $top; proc; opt; check -assert" \
    > "$log" 2>&1
}

# expect_error NAME PROBLEM TOP FILE...: every tool fails on TOP and names PROBLEM (words
# separated by blanks, matched with blanks or underscores, case-insensitive).
expect_error() {
  local name=$1 problem=$2 top=$3
  shift 3
  local pattern=${problem// /[_ ]} tool
  for tool in verilator_lint icarus_build yosys_elab; do
    log=$work/$top.$tool.log
    if "$tool" "$top" "$@"; then
      fail "$name: $tool accepted it" "$log"
    elif ! grep -Eiq "$pattern" "$log"; then
      fail "$name: $tool failed without naming '$problem'" "$log"
    else
      ok "$name: $tool fails: $(grep -Ei -m 1 "$pattern" "$log" | sed 's/^ *//')"
    fi
  done
}

# expect_clean NAME TOP FILE...: every tool accepts TOP and prints nothing; Icarus's program
# runs too (a testbench's verdict is checked by the caller from $top.vvp.log).
expect_clean() {
  local name=$1 top=$2
  shift 2
  local tool
  for tool in verilator_lint icarus_build yosys_full; do
    log=$work/$top.$tool.log
    if ! "$tool" "$top" "$@"; then
      fail "$name: $tool failed" "$log"
    elif [ -s "$log" ]; then
      fail "$name: $tool printed warnings" "$log"
    else
      ok "$name: $tool clean"
    fi
  done
  if [ -f "$top.vvp" ] && ! vvp -n "$top.vvp" > "$top.vvp.log" 2>&1; then
    fail "$name: vvp failed" "$top.vvp.log"
  fi
}

# ---- wrappers: one module per file, named alike (Verilator's DECLFILENAME) ----
# lfsr_wrapper TOP WIDTH TAPS SEED
lfsr_wrapper() {
  cat > "$1.v" << EOF
\`timescale 1ns / 1ps
module $1 (
  input  wire         clk_i,
  input  wire         rst_ni,
  input  wire         en_i,
  output wire [$2-1:0] state_o
);
  ssa_lfsr #(.WIDTH($2), .TAPS($3), .SEED($4)) u_lfsr (
    .clk_i(clk_i), .rst_ni(rst_ni), .en_i(en_i), .state_o(state_o));
endmodule
EOF
}
# popcount_wrapper TOP WIDTH COUNT_WIDTH
popcount_wrapper() {
  cat > "$1.v" << EOF
\`timescale 1ns / 1ps
module $1 (
  input  wire [$2-1:0] bits_i,
  output wire [$3-1:0] count_o
);
  ssa_popcount #(.WIDTH($2), .COUNT_WIDTH($3)) u_popcount (.bits_i(bits_i), .count_o(count_o));
endmodule
EOF
}

# ---- (a) bad parameters ----
lfsr_wrapper bad_seed 8 "8'h8e" "8'h00"
expect_error "lfsr SEED=0" "seed must not be zero" bad_seed bad_seed.v "$lfsr"
# a seed wider than WIDTH whose low bits are zero is zero too
lfsr_wrapper bad_seed_wide 8 "8'h8e" "9'h100"
expect_error "lfsr SEED=9'h100, WIDTH=8" "seed must not be zero" bad_seed_wide bad_seed_wide.v \
  "$lfsr"
lfsr_wrapper bad_taps 8 "8'h00" "8'h01"
expect_error "lfsr TAPS=0" "taps must not be zero" bad_taps bad_taps.v "$lfsr"
lfsr_wrapper bad_lfsr_width 1 "1'b1" "1'b1"
expect_error "lfsr WIDTH=1" "width must be at least 2" bad_lfsr_width bad_lfsr_width.v "$lfsr"
popcount_wrapper bad_count_width 8 3
expect_error "popcount WIDTH=8 COUNT_WIDTH=3" "count width must hold width" bad_count_width \
  bad_count_width.v "$popcount"
popcount_wrapper bad_count_width_5 5 2
expect_error "popcount WIDTH=5 COUNT_WIDTH=2" "count width must hold width" bad_count_width_5 \
  bad_count_width_5.v "$popcount"

# ---- (b) good parameters: the generator's LFSR widths and taps, popcounts of every kind ----
for spec in "4 4'h9 4'h1" "5 5'h12 5'h1f" "16 16'h8805 16'h0001" "31 31'h40000004 31'h7fffffff" \
            "32 32'he0000200 32'hdeadbeef" "2 2'h3 2'h1"; do
  read -r w taps seed <<< "$spec"
  lfsr_wrapper "lfsr_ok_$w" "$w" "$taps" "$seed"
  expect_clean "lfsr WIDTH=$w TAPS=$taps SEED=$seed" "lfsr_ok_$w" "lfsr_ok_$w.v" "$lfsr"
done
for spec in "1 1" "2 2" "3 2" "5 3" "8 4" "8 6" "100 7" "128 8" "256 9" "256 12"; do
  read -r w cw <<< "$spec"
  popcount_wrapper "popcount_ok_${w}_$cw" "$w" "$cw"
  expect_clean "popcount WIDTH=$w COUNT_WIDTH=$cw" "popcount_ok_${w}_$cw" \
    "popcount_ok_${w}_$cw.v" "$popcount"
done

# ---- (c) popcount counts right ----
# tb_popcount TOP WIDTH VECTORS: VECTORS 0 tries every input, otherwise that many random ones
# whose density cycles through 0/8 .. 8/8. Two instances: the narrowest COUNT_WIDTH and two
# bits more (zero extension).
tb_popcount() {
  local cw
  cw=$(python3 -c "print(($2).bit_length())")
  cat > "$1.v" << EOF
\`timescale 1ns / 1ps
module $1;
  localparam integer W  = $2;
  localparam integer CW = $cw;
  localparam integer VECTORS = $3;
  reg  [W-1:0]    v, r;
  wire [CW-1:0]   c;
  wire [CW+1:0]   c_wide;
  integer         n, k, expected, errors, total, seed;
  ssa_popcount #(.WIDTH(W), .COUNT_WIDTH(CW)) u_narrow (.bits_i(v), .count_o(c));
  ssa_popcount #(.WIDTH(W), .COUNT_WIDTH(CW + 2)) u_wide (.bits_i(v), .count_o(c_wide));
  initial begin
    errors = 0;
    seed = 12;
    total = VECTORS == 0 ? (1 << W) : VECTORS;
    for (n = 0; n < total; n = n + 1) begin
      for (k = 0; k < W; k = k + 1) begin
        if (VECTORS == 0) r[k] = (n >> k) & 1;
        else r[k] = (\$random(seed) & 7) < (n % 9);
      end
      v = r;  // one change per vector
      #1;
      expected = 0;
      for (k = 0; k < W; k = k + 1) expected = expected + v[k];
      if (c !== expected || c_wide !== expected) begin
        if (errors < 5) \$display("mismatch: bits %h count %0d wide %0d expected %0d", v, c, c_wide, expected);
        errors = errors + 1;
      end
    end
    \$display("%s: WIDTH %0d, %0d inputs, %0d errors", errors == 0 ? "PASS" : "FAIL", W, total, errors);
  end
endmodule
EOF
}
for spec in "1 0" "2 0" "3 0" "4 0" "5 0" "7 0" "8 0" "64 3000" "100 3000" "256 3000"; do
  read -r w vectors <<< "$spec"
  top=tb_popcount_$w
  tb_popcount "$top" "$w" "$vectors"
  log=$work/$top.icarus.log
  if ! icarus_build "$top" "$top.v" "$popcount"; then
    fail "popcount WIDTH=$w testbench: iverilog failed" "$log"
  elif [ -s "$log" ]; then
    fail "popcount WIDTH=$w testbench: iverilog printed warnings" "$log"
  elif ! vvp -n "$top.vvp" > "$top.vvp.log" 2>&1 || ! grep -q '^PASS' "$top.vvp.log"; then
    fail "popcount WIDTH=$w testbench" "$top.vvp.log"
  else
    ok "popcount $(grep '^PASS' "$top.vvp.log")"
  fi
done

# The same testbenches on Verilator, which reads the file's $countones branch rather than the
# tree: one binary instantiating all of them (each testbench's initial block runs on its own).
tops=""
for spec in "1 0" "2 0" "3 0" "4 0" "5 0" "7 0" "8 0" "64 3000" "100 3000" "256 3000"; do
  read -r w vectors <<< "$spec"
  tops="$tops  tb_popcount_$w u_$w ();
"
done
printf '`timescale 1ns / 1ps\nmodule tb_popcount_all;\n%sendmodule\n' "$tops" > tb_popcount_all.v
log=$work/tb_popcount_all.verilator.log
if ! verilator --binary --timing -Wno-fatal -Wno-lint -Wno-style --top-module tb_popcount_all \
     -Mdir verilator_popcount -o tb_popcount_all tb_popcount_*.v "$popcount" > "$log" 2>&1; then
  fail "popcount testbenches: verilator --binary failed" "$log"
elif ! verilator_popcount/tb_popcount_all > tb_popcount_all.log 2>&1; then
  fail "popcount testbenches on Verilator: the binary failed" tb_popcount_all.log
elif [ "$(grep -c '^PASS' tb_popcount_all.log)" -ne 10 ] || grep -q '^FAIL' tb_popcount_all.log; then
  fail "popcount testbenches on Verilator" tb_popcount_all.log
else
  while IFS= read -r line; do ok "popcount on Verilator $line"; done < <(grep '^PASS' tb_popcount_all.log)
fi

# ---- (d) LFSR states against the header's convention ----
# Sequence of clocks: reset (state = SEED), then en_i per clock as in EN; the testbench prints
# the state after reset and after every clock.
EN="1 1 1 0 1 1 1 1 1 1"
lfsr_expected() {  # WIDTH TAPS SEED (integers): the states, one hex a line
  python3 - "$1" "$2" "$3" "$EN" << 'EOF'
import sys
width, taps, state = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
mask = (1 << width) - 1
print(f"{state:x}")
for en in sys.argv[4].split():
    if en == "1":
        for _ in range(width):
            fb = bin(state & taps).count("1") & 1
            state = ((state << 1) | fb) & mask
    print(f"{state:x}")
EOF
}
tb_lfsr() {  # TOP WIDTH TAPS SEED (integers)
  local en_bits=${EN// /}
  cat > "$1.v" << EOF
\`timescale 1ns / 1ps
module $1;
  localparam integer W = $2;
  localparam integer CLOCKS = ${#en_bits};
  localparam [CLOCKS-1:0] EN = ${#en_bits}'b$(echo "$en_bits" | rev);  // bit k: clock k
  reg          clk, rst_n, en;
  wire [W-1:0] state;
  integer      k;
  ssa_lfsr #(.WIDTH(W), .TAPS($2'd$3), .SEED($2'd$4)) u_lfsr (
    .clk_i(clk), .rst_ni(rst_n), .en_i(en), .state_o(state));
  always #5 clk = ~clk;
  initial begin
    clk = 1'b0;
    rst_n = 1'b0;
    en = 1'b1;  // ignored under reset
    @(posedge clk);
    #1 rst_n = 1'b1;
    \$display("%h", state);
    for (k = 0; k < CLOCKS; k = k + 1) begin
      en = EN[k];
      @(posedge clk);
      #1 \$display("%h", state);
    end
    \$finish;
  end
endmodule
EOF
}
# WIDTH 5: x^5 + x^3 + 1 (taps 5'h12, golden/lfsr.c); WIDTH 8: x^8 + x^6 + x^5 + x^4 + 1 (8'h8e)
for spec in "5 18 1" "8 142 165"; do
  read -r w taps seed <<< "$spec"
  top=tb_lfsr_$w
  tb_lfsr "$top" "$w" "$taps" "$seed"
  log=$work/$top.icarus.log
  lfsr_expected "$w" "$taps" "$seed" > "$top.expected"
  if ! icarus_build "$top" "$top.v" "$lfsr"; then
    fail "lfsr WIDTH=$w testbench: iverilog failed" "$log"
  elif [ -s "$log" ]; then
    fail "lfsr WIDTH=$w testbench: iverilog printed warnings" "$log"
  elif ! vvp -n "$top.vvp" > "$top.vvp.log" 2>&1; then
    fail "lfsr WIDTH=$w testbench: vvp failed" "$top.vvp.log"
  elif ! grep -v '^VCD\|\$finish' "$top.vvp.log" | python3 -c '
import sys
got = [int(l, 16) for l in sys.stdin.read().split()]
want = [int(l, 16) for l in open(sys.argv[1]).read().split()]
sys.exit(0 if got == want else 1)' "$top.expected"; then
    diff <(grep -v '\$finish' "$top.vvp.log") "$top.expected" > "$top.diff"
    fail "lfsr WIDTH=$w TAPS=$taps SEED=$seed: states differ (< RTL, > Python)" "$top.diff"
  else
    ok "lfsr WIDTH=$w TAPS=$taps SEED=$seed: states $(tr '\n' ' ' < "$top.expected")"
  fi
done
# By hand, WIDTH 5, taps 10010, seed 00001, one clock of five shifts:
# 00001 -> 00010 -> 00101 -> 01010 -> 10101 -> 01011, i.e. 0b.
if [ "$(sed -n 2p tb_lfsr_5.expected)" != b ]; then
  fail "lfsr WIDTH=5: the Python model's first step is not the hand-derived 0b"
fi

if [ "$failures" -ne 0 ]; then
  echo "test_rtl_primitives: $failures failures"
  exit 1
fi
echo "test_rtl_primitives: all passed"
