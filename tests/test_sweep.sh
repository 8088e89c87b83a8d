#!/usr/bin/env bash
# test_sweep.sh -- a real small sweep (attention, N in 2 and 4, share unit and row, D = 2; synth,
# synth on a broken Liberty file, sim on Icarus: 12 points) run by different runners, whose
# collected results must be byte-identical (sweep.csv, sweep.md, sweep.png):
#   runners   make -j2 (ssa sweep run), GNU parallel -j2, and a run killed halfway then started
#             again, which must finish only the missing points (the finished ones untouched);
#             and the figures themselves: the failed points are exactly the 4 broken-Liberty
#             ones, with the file's own error; a synth point's cells and area equal those of
#             ssa synth --json run directly; the sim points passed;
#   slurm     the same sweep as a Slurm job array on a single-node cluster this test configures,
#             starts (munged, slurmctld, slurmd as root, in a scratch directory, on free ports)
#             and stops, against make's collection.
#   usage: test_sweep.sh runners|slurm     exit 0 pass, 1 failure, 77 a tool is missing
set -uo pipefail
root=${SSA_SOURCE_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
ssa=${SSA_BIN:-$root/build/ssa}
group=${1:-runners}

skip() { echo "test_sweep $group: $1, skipped"; exit 77; }
for tool in make yosys iverilog gnuplot; do
  command -v "$tool" > /dev/null 2>&1 || skip "$tool not found"
done
if [ "$group" = runners ]; then
  command -v parallel > /dev/null 2>&1 || skip "GNU parallel not found (scripts/install-deps)"
else
  for tool in munged slurmctld slurmd sbatch scontrol sinfo; do
    command -v "$tool" > /dev/null 2>&1 || skip "$tool not found (scripts/install-deps)"
  done
  [ "$(id -u)" -eq 0 ] || skip "a Slurm cluster of one node needs root for slurmd here"
fi

work=$(mktemp -d)
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
ok() { echo "ok:   $*"; }
cleanup_hooks=()
finish() {
  for hook in ${cleanup_hooks[@]+"${cleanup_hooks[@]}"}; do "$hook"; done
  rm -rf "$work"
}
trap finish EXIT
cd "$work" || exit 1
printf 'library(broken) {\n' > broken.lib

plan() {  # DIR
  "$ssa" sweep plan attention --vary tokens=2,4 --vary share=unit,row --set dim=2 \
    --do synth --do "synth --flow liberty --liberty broken.lib" \
    --do "sim --engine icarus --rate 0.5 --steps 4" --out "$1" > "$1.plan.log" 2>&1 ||
    { fail "ssa sweep plan $1"; cat "$1.plan.log" >&2; exit 1; }
}
collect() {  # DIR
  "$ssa" sweep collect "$1" > "$1.collect.log" 2>&1 ||
    { fail "ssa sweep collect $1"; cat "$1.collect.log" >&2; return 1; }
}
same_collection() {  # NAME DIR REFERENCE
  local f
  for f in sweep.csv sweep.md sweep.png; do
    if cmp -s "$2/$f" "$3/$f"; then ok "$1: $f byte-identical to make's"
    else fail "$1: $f differs from make's"; diff "$3/$f" "$2/$f" | head -n 10 >&2; fi
  done
}

# ---- bad plans: exit 2, one line naming the problem, nothing written ----
refuse() {  # PATTERN ARGS...: ssa sweep ARGS fails with exit 2 and a line matching PATTERN
  local pattern=$1
  shift
  "$ssa" sweep "$@" > refused.out 2> refused.err
  local status=$?
  if [ "$status" -ne 2 ]; then fail "ssa sweep $*: exit $status, expected 2"
  elif [ "$(grep -c . refused.err)" -ne 1 ] || ! grep -q -- "$pattern" refused.err; then
    fail "ssa sweep $*: expected one line with '$pattern', got: $(cat refused.err)"
  elif [ -e bad ]; then fail "ssa sweep $*: wrote bad/"
  else ok "refused: $(cat refused.err)"; fi
}
if [ "$group" = runners ]; then
  refuse "unknown kind 'nosuch'" plan nosuch --vary tokens=2 --do synth --out bad
  refuse "tokens=3: --tokens" plan attention --vary tokens=2,3 --do synth --out bad
  refuse "--size is not a design option of attention" plan attention --vary size=2 --do synth --out bad
  refuse "the command must be synth, energy or sim" plan attention --vary tokens=2 --do gen --out bad
  refuse "--json is the sweep's" plan attention --vary tokens=2 --do "synth --json x" --out bad
  refuse "'2' is there twice" plan attention --vary tokens=2,2 --do synth --out bad
  refuse "' ' cannot appear" plan attention --vary tokens=2 --do synth --out "bad dir"
  refuse "no sweep here" collect .
fi

# ---- the reference: make -j2 through ssa sweep run ----
plan bymake
"$ssa" sweep run bymake --jobs 2 > bymake.run.log 2>&1
status=$?
# 4 points fail on purpose, so the run's status is 1 (0 would mean every point passed)
[ "$status" -eq 1 ] && ok "ssa sweep run: exit 1 with failed points" ||
  fail "ssa sweep run: exit $status, expected 1 (4 points fail)"
collect bymake
if [ "$group" = runners ]; then
  plan bymake
  grep -q "planned already" bymake.plan.log && ok "the same plan again changes nothing" ||
    fail "planning the same sweep again: $(cat bymake.plan.log)"
  refuse "holds another sweep" plan attention --vary tokens=2 --do synth --out bymake
fi

if [ "$group" = runners ]; then
  # ---- the figures ----
  ok_count=$(grep -c ',ok,' bymake/sweep.csv)
  failed=$(grep ',failed,' bymake/sweep.csv | cut -d, -f1 | tr '\n' ' ')
  [ "$ok_count" -eq 8 ] && ok "8 points ok" || fail "$ok_count points ok, expected 8"
  [ "$failed" = "p0002 p0005 p0008 p0011 " ] && ok "failed points: $failed" ||
    fail "failed points: '$failed', expected the broken-Liberty ones p0002 p0005 p0008 p0011"
  grep -q "p0008,synth --flow liberty --liberty broken.lib,4,unit,failed,ssa: broken.lib:2: " \
    bymake/sweep.csv && ok "a failed point keeps the file's error" ||
    fail "p0008's error is not the Liberty file's"
  grep -q '| p0009 | `sim --engine icarus --rate 0.5 --steps 4` | 4 | unit | ok |' \
    bymake/sweep.md && ok "sim point p0009 passed" || fail "sim point p0009 is not ok"
  # p0010 is synth at tokens 4, share row: the same figures as ssa synth run by hand
  "$ssa" synth attention --dim 2 --tokens 4 --share row --json direct.json > /dev/null 2>&1 ||
    fail "ssa synth direct"
  want=$(python3 -c "import json; d=json.load(open('direct.json')); print('%g,%g' % (d['cells'], d['area_um2']))")
  got=$(python3 -c "
import csv; rows = {r['id']: r for r in csv.DictReader(open('bymake/sweep.csv'))}
print('%g,%g' % (float(rows['p0010']['cells']), float(rows['p0010']['area_um2'])))")
  [ "$got" = "$want" ] && ok "p0010's cells and area ($got) are ssa synth's" ||
    fail "p0010: cells,area $got, ssa synth says $want"

  # ---- damaged files: exit 2 and one line naming the file ----
  cp -r bymake damaged
  cp bymake/results/p0001.json p0001.json.good
  for case in '{"id": "p0001", "status": "ok", "figures": [1,2' \
              '{"id": "p0001", "status": "weird"}' \
              '{"id": "p0002", "status": "ok", "figures": {}}' \
              '{"id": "p0001", "status": "ok", "figures": [1]}'; do
    printf '%s' "$case" > damaged/results/p0001.json
    refuse "damaged/results/p0001.json" collect damaged
  done
  cp p0001.json.good damaged/results/p0001.json
  for case in '{"kind": "attention", "points": []}' \
              '{"kind": "attention", "vary": [], "points": [{"id": "../x"}]}' \
              '{"kind": "attention", "vary": [{"option": "tokens", "values": [2]}], "points": []}' \
              '{"kind": "attention", "vary": [], "points": [{"id": "p1", "command": 3}]}'; do
    printf '%s' "$case" > damaged/sweep.json
    refuse "damaged/sweep.json" collect damaged
    refuse "damaged/sweep.json" run damaged
  done

  # ---- GNU parallel runs the job list as it is ----
  plan byparallel
  parallel -j2 < byparallel/jobs > byparallel.log 2>&1 || fail "parallel exit status $?"
  collect byparallel && same_collection "GNU parallel" byparallel bymake

  # ---- killed halfway, then run again ----
  plan killed
  mkdir killed.tmp  # the points' temporaries (synthesis directories) go here
  TMPDIR=$work/killed.tmp "$ssa" sweep run killed --jobs 1 > killed.run1.log 2>&1 &
  runner=$!
  for _ in $(seq 1 600); do
    [ "$(find killed/results -name '*.json' | wc -l)" -ge 5 ] && break
    sleep 0.1
  done
  kill -TERM "$runner"
  wait "$runner"
  sleep 0.5
  before=$(find killed/results -name '*.json' | wc -l)
  if [ "$before" -ge 5 ] && [ "$before" -lt 12 ]; then ok "killed with $before of 12 points done"
  else fail "killed with $before of 12 points done (the test wants it halfway)"; fi
  stray=$(find killed -name '*.tmp*' | wc -l)
  [ "$stray" -eq 0 ] && ok "no temporary file left" || fail "$stray temporary files left"
  # the points and their commands (whose arguments name the directory) are gone, and so are
  # the commands' temporary directories
  if pgrep -f "$work/killed" > /dev/null; then fail "points still running after the kill"
  else ok "no point or command left running"; fi
  [ -z "$(ls -A killed.tmp)" ] && ok "no temporary directory left" ||
    fail "left in TMPDIR: $(ls killed.tmp)"
  # a collection of the unfinished sweep marks the missing points
  if collect killed; then
    missing=$(grep -c ',missing,' killed/sweep.csv)
    [ "$missing" -eq $((12 - before)) ] && grep -q "$((12 - before)) missing" killed/sweep.md &&
      [ "$(grep -c '| \*\*missing\*\* |' killed/sweep.md)" -eq $((12 - before)) ] &&
      ok "collected halfway: $missing points marked missing" ||
      fail "collected halfway: $missing marked missing in sweep.csv, expected $((12 - before))"
  fi
  (cd killed/results && ls -l --time-style=+%s.%N -i *.json) > killed.before
  "$ssa" sweep run killed --jobs 2 > killed.run2.log 2>&1
  grep -q "$before of 12 points done before" killed.run2.log && ok "the second run started from $before" ||
    fail "the second run did not say '$before of 12 points done before'"
  (cd killed/results && ls -l --time-style=+%s.%N -i *.json) > killed.after
  if [ "$(grep -c . killed.after)" -eq 12 ] && grep -Fxf killed.before killed.after | cmp -s - killed.before
  then ok "the second run finished the $((12 - before)) missing points, the others untouched"
  else fail "after the second run: $(grep -c . killed.after) results, or a finished one was rewritten"; fi
  runs=$(grep -c '' killed/logs/make.log)
  [ "$runs" -gt 0 ] || fail "no make log"
  collect killed && same_collection "killed and run again" killed bymake
  # a second run of a finished sweep runs nothing
  "$ssa" sweep run killed --jobs 2 > killed.run3.log 2>&1
  grep -q "12 of 12 points done before" killed.run3.log && ok "a finished sweep runs nothing" ||
    fail "a third run did not find all 12 done"
else
  # ---- Slurm: one node, configured, started and stopped here ----
  slurm=$work/slurm
  mkdir -p "$slurm/state" "$slurm/spool"
  read -r ctld_port node_port < <(python3 -c "
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(('127.0.0.1', 0))
print(*[x.getsockname()[1] for x in s])")
  host=$(hostname -s)
  dd if=/dev/urandom of="$slurm/munge.key" bs=1024 count=1 2> /dev/null
  chmod 400 "$slurm/munge.key"
  stop_slurm() {
    SLURM_CONF=$slurm/slurm.conf scontrol shutdown > /dev/null 2>&1
    for pidfile in slurmd.pid slurmctld.pid; do
      if [ -f "$slurm/$pidfile" ]; then
        pid=$(cat "$slurm/$pidfile")
        for _ in $(seq 1 50); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2> /dev/null
      fi
    done
    munged --stop --socket="$slurm/munge.sock" > /dev/null 2>&1
  }
  cleanup_hooks+=(stop_slurm)
  munged --force --key-file="$slurm/munge.key" --socket="$slurm/munge.sock" \
    --pid-file="$slurm/munged.pid" --log-file="$slurm/munged.log" \
    --seed-file="$slurm/munged.seed" || { fail "munged did not start"; exit 1; }
  cat > "$slurm/slurm.conf" << EOF
ClusterName=ssatest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$node_port
AuthType=auth/munge
AuthInfo=socket=$slurm/munge.sock
CredType=cred/munge
StateSaveLocation=$slurm/state
SlurmdSpoolDir=$slurm/spool
SlurmctldPidFile=$slurm/slurmctld.pid
SlurmdPidFile=$slurm/slurmd.pid
SlurmctldLogFile=$slurm/slurmctld.log
SlurmdLogFile=$slurm/slurmd.log
SlurmUser=root
SlurmdUser=root
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
SchedulerType=sched/builtin
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
NodeName=$host NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
PartitionName=ssa Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
  export SLURM_CONF=$slurm/slurm.conf
  slurmctld -c || { fail "slurmctld did not start"; cat "$slurm/slurmctld.log" >&2; exit 1; }
  slurmd -c || { fail "slurmd did not start"; cat "$slurm/slurmd.log" >&2; exit 1; }
  for _ in $(seq 1 100); do
    sinfo -h -o %t 2> /dev/null | grep -q idle && break
    sleep 0.2
  done
  if ! sinfo -h -o %t 2> /dev/null | grep -q idle; then
    fail "the node never became idle"
    tail -n 20 "$slurm/slurmctld.log" "$slurm/slurmd.log" >&2
    exit 1
  fi
  ok "single-node Slurm up ($host, ports $ctld_port and $node_port)"
  plan byslurm
  if timeout 600 sbatch --wait byslurm/slurm.sh > byslurm.sbatch.log 2>&1; then
    ok "sbatch --wait byslurm/slurm.sh: $(head -n 1 byslurm.sbatch.log)"
  else
    fail "sbatch --wait: $(cat byslurm.sbatch.log)"
  fi
  tasks=$(find byslurm/logs -name 'slurm-*.out' | wc -l)
  [ "$tasks" -eq 12 ] && ok "12 array tasks ran" || fail "$tasks array tasks ran, expected 12"
  collect byslurm && same_collection "Slurm" byslurm bymake
fi

if [ "$failures" -ne 0 ]; then
  echo "test_sweep $group: $failures failure(s)" >&2
  exit 1
fi
echo "test_sweep $group: all passed"
