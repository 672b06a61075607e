#!/usr/bin/env bash
# A sweep of 2 trainings x 3 devices (6 runs) run by `mpirun -n 3` gives the results file of a
# single-process run, every number bit for bit (compare_results.py; timings excepted), with each
# training trained once (its runs stay on one rank), and spinsc says it ran on 3 ranks.
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
grep -q '3 ranks ran the experiment; runs of other ranks: 0 failed' mpi.log || { cat mpi.log; fail "no 3-rank report"; }
grep -q '6 runs' mpi.log || { cat mpi.log; fail "not 6 runs"; }
"$python" "$compare" single.h5 mpi.h5 6 2 || fail "the MPI results differ from the single-process ones"
# Run again under mpirun: every run is complete, nothing is rerun, the file is unchanged.
before=$(cat mpi.h5.runs/*.h5 | md5sum)
"$mpirun" --allow-run-as-root --oversubscribe -n 3 "$spinsc" run e.ini -o mpi.h5 > again.log 2>&1 \
  || { cat again.log; fail "second mpirun"; }
grep -q '6 skipped (complete before)' again.log || { cat again.log; fail "a complete run was rerun"; }
[ "$(cat mpi.h5.runs/*.h5 | md5sum)" = "$before" ] || fail "run files changed on a rerun of a complete experiment"
echo "mpirun -n 3: identical to one process"
