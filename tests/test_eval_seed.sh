#!/usr/bin/env bash
# test_eval_seed.sh -- `ssa eval --attention-seed S` runs the network with its SC block's
# master seed S: the same test-set result, line for line, as the weights file with its
# `attention-seed` line changed to S (read by train/net_file.c, an independent path), and a
# different one from the trained seed (the block's numbers, hence its spikes, differ).
# Also: ssa train --attention-seed 0 is refused, not read as the default.
#   usage: test_eval_seed.sh   exit 0 pass, 1 failure, 77 no Fashion-MNIST test set or model
set -uo pipefail
root=${SSA_SOURCE_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
ssa=${SSA_BIN:-$root/build/ssa}
data=${SSA_TEST_FMNIST_DIR:-/usr/share/datasets/fashion-mnist}
model=$root/models/snn-sc-unit-sobol.weights

if [ ! -r "$data/t10k-images-idx3-ubyte.gz" ] && [ ! -r "$data/t10k-images-idx3-ubyte" ]; then
  echo "SKIP: the Fashion-MNIST test set not found at $data"
  exit 77
fi
if [ ! -r "$model" ]; then
  echo "SKIP: $model not found"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# result FILE: the lines that give the result (the header names the file and the seed)
result() { grep -E '^(test set|accuracy):' "$1" | sed 's/, [0-9.]* s$//'; }

run() {
  local out=$1
  shift
  if ! "$ssa" eval "$@" --limit 300 --threads 1 --data "$data" > "$out" 2> "$out.err"; then
    echo "test_eval_seed: ssa eval $* failed:" >&2
    cat "$out.err" >&2
    exit 1
  fi
}

sed 's/^attention-seed 1$/attention-seed 2/' "$model" > "$work/seed2.weights"
if ! grep -q '^attention-seed 2$' "$work/seed2.weights"; then
  echo "test_eval_seed: $model has no 'attention-seed 1' line" >&2
  exit 1
fi
run "$work/option" --weights "$model" --attention-seed 2
run "$work/file" --weights "$work/seed2.weights"
run "$work/trained" --weights "$model"

if ! grep -q 'attention seed 2,' "$work/option"; then
  echo "test_eval_seed: the header does not name seed 2: $(head -1 "$work/option")" >&2
  exit 1
fi
if [ -z "$(result "$work/option")" ] || [ "$(result "$work/option")" != "$(result "$work/file")" ]; then
  echo "test_eval_seed: --attention-seed 2 and a file with seed 2 differ:" >&2
  result "$work/option" >&2
  result "$work/file" >&2
  exit 1
fi
if [ "$(result "$work/option")" = "$(result "$work/trained")" ]; then
  echo "test_eval_seed: seed 2 gives the trained seed's result; the option changed nothing" >&2
  exit 1
fi
# ssa train --attention-seed 0 is refused, as the network's check refuses seed 0 (it was read
# as "the default", 1, and trained with that)
"$ssa" train --model snn-sc --attention-seed 0 --data "$data" --out "$work/zero.weights" \
  > "$work/zero.log" 2>&1
rc=$?
if [ "$rc" -ne 2 ] || ! grep -q -- '--attention-seed 0: must be non-zero' "$work/zero.log" ||
   [ -e "$work/zero.weights" ]; then
  echo "test_eval_seed: ssa train --attention-seed 0: exit $rc, not a refusal:" >&2
  cat "$work/zero.log" >&2
  exit 1
fi
echo "test_eval_seed: seed 2 by option and by file agree: $(result "$work/option" | tr '\n' ' ')"
echo "test_eval_seed: the trained seed 1: $(result "$work/trained" | tr '\n' ' ')"
