#!/bin/sh
# Study 4 of issue 6 in one command: Mondal & Srivastava's SNG, normal against biased (BMS).
# Part 1, per bit (Table I): sng_mondal_table1.ini into OUTDIR/table1.h5.
# Part 2, per inference: sng_mondal.ini once per Q and mode into OUTDIR/Q<q>_<mode>.h5.
# Why separate runs and not a [sweep]: every random stream of a run is keyed by the seed AND the
# run index, so the points of a sweep train different networks; single-point runs have run index
# 0, so normal and BMS are evaluated on the same trained network of each Q (their
# quantized_accuracy agrees, which studies_report.py checks).
#
# Usage: experiments/paper/sng_mondal.sh [OUTDIR] [--key=value ...]   (from any folder)
#   OUTDIR      default results/paper/sng_mondal (relative to the source tree)
#   --key=value extra overrides for the network runs (e.g. --train.epochs=1 --eval.sc_samples=300)
#   env SPINSC (default build/bin/spinsc), LEVELS (default "5 11"), TABLE1_ARGS (extra overrides
#   of part 1, e.g. --characterization.n_bits=1024)
set -e
cd "$(dirname "$0")/../.."
SPINSC=${SPINSC:-build/bin/spinsc}
OUT=${1:-results/paper/sng_mondal}
[ $# -gt 0 ] && shift
LEVELS=${LEVELS:-5 11}
echo "== sng_mondal: table1"
# shellcheck disable=SC2086
"$SPINSC" run experiments/paper/sng_mondal_table1.ini -o "$OUT/table1.h5" $TABLE1_ARGS
for q in $LEVELS; do
  for mode in normal bms; do
    echo "== sng_mondal: Q = $q, $mode"
    "$SPINSC" run experiments/paper/sng_mondal.ini -o "$OUT/Q${q}_$mode.h5" --network.levels="$q" \
      --device.mtj_sng.mode=$mode "$@"
  done
done
# The network runs side by side in one file for `spinsc plot` (a derived file, see
# merge_variant_runs.py; the per-run files stay the record).
PY=/usr/bin/python3
[ -x $PY ] || PY=python3
FILES=
for q in $LEVELS; do FILES="$FILES $OUT/Q${q}_normal.h5 $OUT/Q${q}_bms.h5"; done
# shellcheck disable=SC2086
$PY experiments/paper/merge_variant_runs.py "$OUT.h5" $FILES || echo "note: merging into $OUT.h5 failed (see above; it needs h5py, Debian python3-h5py)"
