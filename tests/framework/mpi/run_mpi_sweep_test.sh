#!/usr/bin/env bash
# A sweep of 2 trainings x 3 devices (6 runs) run by `mpirun -n 3` gives the results file of a
# single-process run, every number bit for bit (compare_results.py; timings excepted), with each
# training trained once (its runs stay on one rank), and spinsc says it ran on 3 ranks; a job
# with one rank killed (kill -9) resumes to the same numbers.
# Usage: run_mpi_sweep_test.sh SPINSC MPIRUN PYTHON3 COMPARE_SCRIPT SCRATCH_FOLDER
set -euo pipefail
spinsc=$1 mpirun=$2 python=$3 compare=$4 scratch=$5
rm -rf "$scratch"
mkdir -p "$scratch"
cd "$scratch"
cat > e.ini <<'INI'
name = mpi_sweep
seed = 5
task = network
[data]
dataset = mnist
train_size = 300
test_size = 60
downscale = 2
[network]
layers = 196,8,10
levels = 3
[train]
strategy = train.qat
epochs = 1
batch_size = 50
threads = 1
[eval]
sc = true
lengths = 16,32
[sweep]
device.plugin = device.bernoulli, device.lfsr, device.smtj_telegraph
network.levels = 3, 5
INI
fail() { echo "FAIL: $*"; exit 1; }
# In containers the kernel may refuse Open MPI's single-copy transfers between processes
# (process_vm_readv without ptrace rights): copy through shared memory instead.
export OMPI_MCA_btl_vader_single_copy_mechanism=none
"$spinsc" --version | grep -q '^MPI: on' || fail "spinsc --version does not say 'MPI: on'"
"$spinsc" run e.ini -o single.h5 > single.log 2>&1 || { cat single.log; fail "single-process run"; }
"$mpirun" --allow-run-as-root --oversubscribe -n 3 "$spinsc" run e.ini -o mpi.h5 > mpi.log 2>&1 \
  || { cat mpi.log; fail "mpirun -n 3 spinsc run"; }
grep -Eq '3 ranks ran the experiment: .* other ranks made [0-9]+ runs? \(0 failed\)' mpi.log || { cat mpi.log; fail "no 3-rank report"; }
grep -q '6 runs' mpi.log || { cat mpi.log; fail "not 6 runs"; }
"$python" "$compare" single.h5 mpi.h5 6 2 || fail "the MPI results differ from the single-process ones"
# Run again under mpirun: every run is complete, nothing is rerun, the file is unchanged.
before=$(cat mpi.h5.runs/*.h5 | md5sum)
"$mpirun" --allow-run-as-root --oversubscribe -n 3 "$spinsc" run e.ini -o mpi.h5 > again.log 2>&1 \
  || { cat again.log; fail "second mpirun"; }
grep -q '6 skipped (complete before)' again.log || { cat again.log; fail "a complete run was rerun"; }
[ "$(cat mpi.h5.runs/*.h5 | md5sum)" = "$before" ] || fail "run files changed on a rerun of a complete experiment"
# kill -9 of one rank mid-sweep (as soon as the file holds a run, if the sweep is not over by
# then): mpirun ends the job, the file keeps every committed run whole, and the same command
# resumes it to the numbers of one process.
"$mpirun" --allow-run-as-root --oversubscribe -n 3 "$spinsc" run e.ini -o killed.h5 > killed.log 2>&1 &
job=$!
for _ in $(seq 300); do
  ls killed.h5.runs/0*.h5 > /dev/null 2>&1 && break
  sleep 0.1
done
writer=$(cut -d' ' -f1 killed.h5.lock 2>/dev/null || true)  # rank 0's pid (the lock records it)
victim=$(pgrep -P "$job" | grep -vx "${writer:-none}" | head -1 || true)
[ -n "$victim" ] && kill -9 "$victim" 2>/dev/null || true
wait "$job" || true
"$python" - killed.h5 <<'PY' || fail "the results file of the killed job does not open with every run whole"
import sys, h5py
with h5py.File(sys.argv[1], "r") as f:
    for name, run in f["runs"].items():
        assert run.attrs["status"] == "complete", name
        assert "evaluation/sc/accuracy" in run or "evaluation/sc" in run, name
PY
"$mpirun" --allow-run-as-root --oversubscribe -n 3 "$spinsc" run e.ini -o killed.h5 > resumed.log 2>&1 \
  || { cat resumed.log; fail "mpirun resuming the killed job"; }
"$python" "$compare" single.h5 killed.h5 6 2 --resumed || fail "the resumed results differ from one process's"
echo "mpirun -n 3: identical to one process, also killed and resumed"
