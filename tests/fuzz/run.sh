#!/usr/bin/env bash
# run.sh -- one fuzz target over its committed seed corpus for a fixed number of executions
# (the suite's short run; scripts/fuzz runs longer campaigns). New inputs go to a scratch
# directory, never into the committed corpus; a crashing input is kept in
# <build>/fuzz-artifacts/ and its path printed.
#   usage: run.sh TARGET CORPUS_DIR RUNS
set -uo pipefail
target=$1 corpus=$2 runs=$3
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
artifacts=$(dirname "$target")/../../fuzz-artifacts
mkdir -p "$artifacts"
# libFuzzer reports a crash with exit 77 by default: meson would count it as skipped
"$target" -runs="$runs" -seed=1 -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
  -error_exitcode=1 -timeout_exitcode=1 -artifact_prefix="$artifacts/$(basename "$target")-" "$scratch" "$corpus" 2>&1 | tail -n 30
rc=${PIPESTATUS[0]}
[ "$rc" -ne 0 ] && echo "run.sh: $(basename "$target") failed (exit $rc); inputs in $artifacts"
exit "$rc"
