#!/bin/sh
# Study 5 of issue 6 in one command: the device what-if of device_whatif.ini, one spinsc run per
# device variant, each into its own results file OUTDIR/<variant>.h5.
# Why separate runs and not a [sweep]: every random stream of a run is keyed by the seed AND the
# run index, so the points of a sweep train different networks; a run with a single point has
# run index 0, so every variant below trains the same network from the same seed (bit-identical:
# their quantized_accuracy agrees, which studies_report.py checks).
#
# Usage: experiments/paper/device_whatif.sh [OUTDIR] [--key=value ...]   (from any folder)
#   OUTDIR      default results/paper/device_whatif (relative to the source tree)
#   --key=value extra overrides for every run (e.g. --train.epochs=1 --eval.sc_samples=100)
#   env SPINSC (default build/bin/spinsc), LENGTHS (default 100,200,300,400,500),
#   LLG_LENGTHS (default 100,200: the sLLG device makes about 2500 bits/s per core)
set -e
cd "$(dirname "$0")/../.."
SPINSC=${SPINSC:-build/bin/spinsc}
OUT=${1:-results/paper/device_whatif}
[ $# -gt 0 ] && shift
LENGTHS=${LENGTHS:-100,200,300,400,500}
LLG_LENGTHS=${LLG_LENGTHS:-100,200}
INI=experiments/paper/device_whatif.ini
run() {
  name=$1
  shift
  echo "== device_whatif: $name"
  "$SPINSC" run "$INI" -o "$OUT/$name.h5" "$@"
}
T=device.smtj_telegraph
run bernoulli --device.plugin=device.bernoulli --eval.lengths="$LENGTHS" "$@"
run lfsr --device.plugin=device.lfsr --eval.lengths="$LENGTHS" "$@"
run telegraph --device.plugin=$T --eval.lengths="$LENGTHS" "$@"
run trace --device.plugin=device.trace --eval.lengths="$LENGTHS" "$@"
run telegraph_350K --device.plugin=$T --$T.temperature_K=350 --eval.lengths="$LENGTHS" "$@"
run telegraph_350K_cal300K --device.plugin=$T --$T.temperature_K=350 --$T.calibration_temperature_K=300 \
  --eval.lengths="$LENGTHS" "$@"
run telegraph_delta_spread10 --device.plugin=$T --$T.delta_spread=0.1 --eval.lengths="$LENGTHS" "$@"
run llg --device.plugin=device.smtj_llg --eval.lengths="$LLG_LENGTHS" "$@"
# The variants side by side in one file for `spinsc plot --kind whatif` (a derived file, see
# merge_variant_runs.py; the per-variant files stay the record).
PY=/usr/bin/python3
[ -x $PY ] || PY=python3
$PY experiments/paper/merge_variant_runs.py "$OUT.h5" "$OUT/bernoulli.h5" "$OUT/lfsr.h5" "$OUT/telegraph.h5" \
  "$OUT/trace.h5" "$OUT/llg.h5" "$OUT/telegraph_350K.h5" "$OUT/telegraph_350K_cal300K.h5" \
  "$OUT/telegraph_delta_spread10.h5" || echo "note: merging into $OUT.h5 needs h5py (Debian python3-h5py)"
