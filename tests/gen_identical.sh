#!/usr/bin/env bash
# gen_identical.sh -- every design of tests/gen-commands.txt, generated now, is byte-identical
# to the files whose SHA-256 sums tests/gen-hashes.txt recorded. A refactor must leave them
# alone; a change that means to change generated files re-records the sums in its own commit
# (--record) and says why.
#   usage: gen_identical.sh [--record]      (SSA_BIN and SSA_SOURCE_ROOT from meson)
set -euo pipefail
root=${SSA_SOURCE_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
ssa=${SSA_BIN:-$root/build/ssa}
list=$root/tests/gen-commands.txt
sums=$root/tests/gen-hashes.txt
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cd "$root"
designs=0
while read -r name args; do
  case $name in ''|'#'*) continue ;; esac
  # shellcheck disable=SC2086  # the arguments are words
  if ! "$ssa" gen $args --out "$work/$name" > "$work/$name.log" 2>&1; then
    echo "gen_identical: $list: $name: ssa gen $args failed:" >&2
    cat "$work/$name.log" >&2
    exit 1
  fi
  designs=$((designs + 1))
done < "$list"

(cd "$work" && find . -mindepth 2 -type f -printf '%P\n' | LC_ALL=C sort | xargs sha256sum) \
  > "$work/sums"
if [ "${1:-}" = --record ]; then
  cp "$work/sums" "$sums"
  echo "gen_identical: recorded $(wc -l < "$sums") files of $designs designs in $sums"
  exit 0
fi
if ! diff -u "$sums" "$work/sums" > "$work/diff"; then
  echo "gen_identical: generated files differ from $sums (- recorded, + now):" >&2
  grep '^[-+][0-9a-f]' "$work/diff" >&2
  exit 1
fi
echo "gen_identical: $designs designs, $(wc -l < "$sums") files, all byte-identical"
