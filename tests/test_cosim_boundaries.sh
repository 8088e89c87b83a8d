#!/usr/bin/env bash
# test_cosim_boundaries.sh -- RTL co-simulation of the attention block's lfsr plan (every case
# adds --random lfsr) at the edges of its parameter space, on Verilator and on Icarus (issue
# 12, item 8). Each case runs
# `ssa sim attention ... --engine E`, which compares every output bit of every clock with the
# golden model and exits 0 only when all agree; the two simulators' outputs must also be
# byte-identical, and not all zero. The edges:
#   N > 64     --tokens 128: two 64-lane chunks; with share row the second chunk's rows take
#              the second slot of the same 64 LFSRs in both stages. --tokens 256 (global):
#              four chunks, the most tokens. Share row and global, reduce mux only: N=128
#              unit took ~500 s to compile in Verilator, and reduce=count at N=128 (16384
#              score popcounts, 256 popcounts of 128 bits) over 20 minutes in Verilator and
#              over 10 in Icarus's compiler, far beyond the suite's budget.
#   W = 4      --prng-width 4: score LFSRs of 4 bits, output LFSRs of 5; the only sizes that
#              fit 15 seeds are tiny (N=8 D=4 needs 32 LFSRs and is refused).
#   W = 31     --prng-width 31: output LFSRs of 32 bits, the widest in the polynomial table.
#   D = 2      one-bit score numbers (every case below but one has D = 2).
#   H = 16     --heads 16, the most heads, both reduce modes.
#   unspaced   seeds that are not W shifts apart on the m-sequence. core/plan.c (draw_seeds)
#              spaces a group's n seeds evenly only when n * width <= 2^width - 1; otherwise
#              they are distinct random points (plan field `spaced` = 0) and the generated
#              banner says "distinct but not spaced". N=4 D=2 W=4 (unit): the score group has
#              4 LFSRs of 4 bits, 16 > 15, unspaced; the output group 4 of 5 bits, 20 <= 31,
#              spaced. N=16 D=2 W=5 share row: 16 LFSRs of 5 bits (80 > 31) and 16 of 6 bits
#              (96 > 63), both unspaced. The test reads those banners (and a spaced one) from
#              `ssa gen`, so a change to the spacing rule cannot silently drop the case.
# Plus a negative control: a flipped expected bit (--inject-fault) in the second 64-lane
# chunk must make both engines exit 1.
#   usage: test_cosim_boundaries.sh     exit 0 pass, 1 failure, 77 verilator or iverilog missing
# SSA_BIN, SSA_CACHE_DIR (the Verilator model cache) and SSA_VERILATOR_OPT come from meson.
set -uo pipefail
root=${SSA_SOURCE_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
ssa=${SSA_BIN:-$root/build/ssa}
case $ssa in /*) ;; *) ssa=$PWD/$ssa ;; esac
export SSA_VERILATOR_OPT=${SSA_VERILATOR_OPT:--O0}

for tool in verilator iverilog vvp; do
  if ! command -v "$tool" > /dev/null 2>&1; then
    echo "test_cosim_boundaries: $tool not found, skipped"
    exit 77
  fi
done
if [ ! -x "$ssa" ]; then
  echo "test_cosim_boundaries: $ssa not found" >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1  # mismatch waveforms (ssa-mismatch.fst) land here

STEPS=32  # every LFSR leaps its width per step: W=4 runs through its period twice
failures=0
fail() {
  echo "FAIL: $1" >&2
  if [ -n "${2:-}" ] && [ -s "$2" ]; then sed 's/^/    /' "$2" | head -n 20 >&2; fi
  failures=$((failures + 1))
}
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# spikes NAME.out: the number of '1's in the output blocks
spikes() { grep -v -e '^#' -e '^step' -e '^O' "$1" | tr -cd 1 | wc -c; }

# cosim NAME ARGS...: the design and stimulus options; both engines must agree with the golden
# model (exit 0), print the same spikes, and some spike.
cosim() {
  local name=$1
  shift
  local e t0 times="" ok=1
  for e in verilator icarus; do
    t0=$(now)
    "$ssa" sim attention --random lfsr "$@" --steps "$STEPS" --engine "$e" --out "$name.$e.out" \
      > "$name.$e.log" 2>&1
    local rc=$?
    times="$times $e $(elapsed "$t0" "$(now)")s"
    if [ "$rc" -ne 0 ]; then
      fail "$name: ssa sim attention $* --steps $STEPS --engine $e: exit $rc" "$name.$e.log"
      ok=0
    fi
  done
  if [ "$ok" = 1 ]; then
    if ! cmp -s "$name.verilator.out" "$name.icarus.out"; then
      fail "$name: Verilator and Icarus outputs differ"
      ok=0
    elif [ "$(spikes "$name.verilator.out")" -eq 0 ]; then
      fail "$name: no output spiked in $STEPS steps, the comparison shows little"
      ok=0
    fi
  fi
  printf '%-4s %-18s %-66s%s\n' "$([ "$ok" = 1 ] && echo ok: || echo FAIL)" "$name" "$*" "$times"
}

# expect_seeds NAME "SCORE OUTPUT" ARGS...: `ssa gen attention ARGS` writes a block whose
# banner reports the score and the output group's seeds as SCORE and OUTPUT ("spaced" or
# "unspaced" each; the banner prints plan field `spaced`, gen/emit_prng.c) -- how the test
# knows which plans are not spaced.
expect_seeds() {
  local name=$1 want=$2 got score output
  shift 2
  if ! "$ssa" gen attention --random lfsr "$@" --out "gen-$name" > "gen-$name.log" 2>&1; then
    fail "$name: ssa gen attention $*" "gen-$name.log"
    return
  fi
  got=$(awk '/^\/\/ +(score|output) +stage:/ {
               getline; printf "%s%s", sep, /not spaced/ ? "unspaced" : "spaced"; sep = " " }' \
          "gen-$name/ssa_attention.v")
  if [ "$got" != "$want" ]; then
    fail "$name: ssa gen attention $*: seeds (score output) are '$got', not '$want'"
  else
    read -r score output <<< "$got"
    printf 'ok:  %-18s seeds: score %s, output %s\n' "$name" "$score" "$output"
  fi
}

expect_seeds w4-spaced      "spaced spaced"     --tokens 2 --dim 2 --prng-width 4
expect_seeds w4-unspaced    "unspaced spaced"   --tokens 4 --dim 2 --prng-width 4 --reduce count
expect_seeds w4-unspaced-mux "unspaced spaced" --tokens 4 --dim 2 --prng-width 4 --seed 13
expect_seeds w5-unspaced    "unspaced unspaced" --tokens 16 --dim 2 --prng-width 5 --share row

# name               design options                                              stimulus
cosim n128-row       --tokens 128 --dim 2 --share row                            --rate 0.5
cosim n128-global    --tokens 128 --dim 2 --share global --seed 77               --rate 0.1
cosim n256-global    --tokens 256 --dim 2 --share global --seed 21               --rate 0.5
cosim w4-spaced      --tokens 2 --dim 2 --prng-width 4                           --rate 0.5
cosim w4-unspaced    --tokens 4 --dim 2 --prng-width 4 --reduce count            --rate 0.5
cosim w4-unspaced-mux --tokens 4 --dim 2 --prng-width 4 --seed 13                --rate 0.5
cosim w5-unspaced    --tokens 16 --dim 2 --prng-width 5 --share row --seed 7     --rate 0.5
cosim w31            --tokens 4 --dim 2 --prng-width 31 --reduce count --seed 99 --rate 0.5
cosim w31-row        --tokens 8 --dim 4 --prng-width 31 --share row --seed 3     --rate 0.5
cosim h16            --tokens 2 --dim 2 --heads 16 --seed 11                     --rate 0.5
cosim h16-count      --tokens 4 --dim 2 --heads 16 --reduce count --share row    --rate 0.5
cosim d2-n16-count   --tokens 16 --dim 2 --reduce count --seed 5                 --rate 0.5

# Negative control: the n128-global design and stimulus again (its model is cached by now)
# with expected bit 200 of step 20 flipped -- token 100, in the second 64-lane chunk. Both
# engines must exit 1 and name the mismatch. (On a mismatch ssa reruns with a waveform, which
# compiles a traced Verilator model: a small design keeps that cheap.)
for e in verilator icarus; do
  t0=$(now)
  "$ssa" sim attention --random lfsr --tokens 128 --dim 2 --share global --seed 77 --rate 0.1 \
    --steps "$STEPS" --engine "$e" --inject-fault 20,200 --out "fault.$e.out" \
    > "fault.$e.log" 2>&1
  rc=$?
  if [ "$rc" -ne 1 ]; then
    fail "fault/$e: --inject-fault 20,200 exited $rc, not 1" "fault.$e.log"
  elif ! grep -q 'MISMATCH.*o_o\[200\]' "fault.$e.log"; then
    fail "fault/$e: exit 1 but no mismatch at o_o[200] reported" "fault.$e.log"
  else
    printf 'ok:  fault/%-13s exit 1 on the flipped bit (%ss): %s\n' "$e" \
      "$(elapsed "$t0" "$(now)")" "$(grep -m1 MISMATCH "fault.$e.log")"
  fi
done

if [ "$failures" -ne 0 ]; then
  echo "test_cosim_boundaries: $failures failures" >&2
  exit 1
fi
echo "test_cosim_boundaries: all cases agree on Verilator and Icarus"
