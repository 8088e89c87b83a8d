#!/usr/bin/env bash
# test_cosim_scale.sh -- the SC attention's Verilator co-simulation at the sizes of real spiking
# Transformers (issue 15, item 5): N = 128, D = 16 and N = 256, D = 8, the default plan (sobol,
# share unit: all N*N score units, the largest datapath). Each case runs
# `ssa sim attention ... --engine verilator`, which compares every output bit of every clock
# with the golden model and exits 0 only when all agree; its output must also equal the golden
# engine's and must not be all zero. (No --inject-fault control here: a mismatch writes a
# waveform, from a traced model, and traced models are flat -- sim/verilator.c -- so it would
# cost the 6 minutes this test exists to avoid. test_cosim_boundaries has one at N = 128.)
# The models build in about 30 s and 60 s on two cores because the row of units is one
# hierarchical block (gen/emit_attention.c, sim/verilator.c); flat, they took 139 s and 387 s
# (bench/RESULTS.md).
#   usage: test_cosim_scale.sh     exit 0 pass, 1 failure, 77 verilator missing
# SSA_BIN, SSA_CACHE_DIR (the Verilator model cache) and SSA_VERILATOR_OPT come from meson.
set -uo pipefail
root=${SSA_SOURCE_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
ssa=${SSA_BIN:-$root/build/ssa}
case $ssa in /*) ;; *) ssa=$PWD/$ssa ;; esac
export SSA_VERILATOR_OPT=${SSA_VERILATOR_OPT:--O0}

if ! command -v verilator > /dev/null 2>&1; then
  echo "test_cosim_scale: verilator not found, skipped"
  exit 77
fi
if [ ! -x "$ssa" ]; then
  echo "test_cosim_scale: $ssa not found" >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1  # a mismatch waveform (ssa-mismatch.fst) lands here

STEPS=20
failures=0
fail() {
  echo "FAIL: $1" >&2
  if [ -n "${2:-}" ] && [ -s "$2" ]; then sed 's/^/    /' "$2" | head -n 20 >&2; fi
  failures=$((failures + 1))
}

for size in "128 16" "256 8"; do
  read -r n d <<< "$size"
  name="N=$n D=$d"
  design=(attention --tokens "$n" --dim "$d" --rate 0.5 --steps "$STEPS" --summary)
  start=$(date +%s)
  "$ssa" sim "${design[@]}" --engine verilator > "v$n.txt" 2> "v$n.err"
  rc=$?
  echo "test_cosim_scale: $name on verilator: exit $rc, $(( $(date +%s) - start )) s" \
       "(model build included unless cached)"
  [ "$rc" = 0 ] || fail "$name: verilator co-simulation exited $rc" "v$n.err"
  if ! "$ssa" sim "${design[@]}" --engine golden > "g$n.txt" 2> "g$n.err"; then
    fail "$name: golden run failed" "g$n.err"
  fi
  cmp -s "v$n.txt" "g$n.txt" || fail "$name: verilator and golden outputs differ"
  [ "$(wc -l < "v$n.txt")" = "$n" ] || fail "$name: expected $n summary lines"
  grep -q '[1-9]' "v$n.txt" || fail "$name: every output count is zero"

done

if [ "$failures" -gt 0 ]; then
  echo "test_cosim_scale: $failures failure(s)" >&2
  exit 1
fi
echo "test_cosim_scale: N=128 D=16 and N=256 D=8 bit-exact on verilator"
