#!/bin/sh
# Study 5 of issue 6 in one command: the device what-if of device_whatif.ini, one spinsc run per
# device variant, each into its own results file OUTDIR/<variant>.h5, then all of them merged
# into OUTDIR.h5 for `spinsc plot --kind whatif`.
# Why separate runs and not a [sweep]: every random stream of a run is keyed by the seed AND the
# run index, so the points of a sweep train different networks; a run with a single point has
# run index 0, so every variant below trains the same network from the same seed (bit-identical:
# their quantized_accuracy agrees, which studies_report.py checks).
# Stream policy: a bank of BANK_SIZE (256) recorded streams per level and role for every device
# but the sLLG one, which keeps the experiment file's K = 16 (its bits are slow);
# telegraph_K16 is the telegraph device at that same K = 16, the control for the sLLG row.
#
# Usage: experiments/paper/device_whatif.sh [OUTDIR] [--key=value ...]   (from any folder)
#   OUTDIR      default results/paper/device_whatif (relative to the source tree)
#   --key=value extra overrides for every run (e.g. --train.epochs=1 --eval.sc_samples=100;
#               not eval.lengths or sc.bank_size: use the variables below)
#   env SPINSC (default build/bin/spinsc), LENGTHS (default 100,200,300,400,500),
#   LLG_LENGTHS (default 100,200: the sLLG device makes about 2500 bits/s per core),
#   BANK_SIZE (default 256), LLG_BANK_SIZE (default: the file's 16)
set -e
cd "$(dirname "$0")/../.."
SPINSC=${SPINSC:-build/bin/spinsc}
OUT=${1:-results/paper/device_whatif}
[ $# -gt 0 ] && shift
LENGTHS=${LENGTHS:-100,200,300,400,500}
LLG_LENGTHS=${LLG_LENGTHS:-100,200}
BANK_SIZE=${BANK_SIZE:-256}
LLG_BANK=
[ -n "$LLG_BANK_SIZE" ] && LLG_BANK=--sc.bank_size=$LLG_BANK_SIZE
INI=experiments/paper/device_whatif.ini
run() {
  name=$1
  shift
  echo "== device_whatif: $name"
  "$SPINSC" run "$INI" -o "$OUT/$name.h5" "$@"
}
T=device.smtj_telegraph
K=--sc.bank_size=$BANK_SIZE
run bernoulli --device.plugin=device.bernoulli $K --eval.lengths="$LENGTHS" "$@"
run lfsr --device.plugin=device.lfsr $K --eval.lengths="$LENGTHS" "$@"
run telegraph --device.plugin=$T $K --eval.lengths="$LENGTHS" "$@"
run trace --device.plugin=device.trace $K --eval.lengths="$LENGTHS" "$@"
run telegraph_350K --device.plugin=$T --$T.temperature_K=350 $K --eval.lengths="$LENGTHS" "$@"
run telegraph_350K_cal300K --device.plugin=$T --$T.temperature_K=350 --$T.calibration_temperature_K=300 $K \
  --eval.lengths="$LENGTHS" "$@"
run telegraph_delta_spread10 --device.plugin=$T --$T.delta_spread=0.1 $K --eval.lengths="$LENGTHS" "$@"
# shellcheck disable=SC2086
run telegraph_K16 --device.plugin=$T $LLG_BANK --eval.lengths="$LLG_LENGTHS" "$@"
# shellcheck disable=SC2086
run llg --device.plugin=device.smtj_llg $LLG_BANK --eval.lengths="$LLG_LENGTHS" "$@"
# The variants side by side in one file for `spinsc plot --kind whatif` (a derived file, see
# merge_variant_runs.py; the per-variant files stay the record).
PY=/usr/bin/python3
[ -x $PY ] || PY=python3
$PY experiments/paper/merge_variant_runs.py "$OUT.h5" "$OUT/bernoulli.h5" "$OUT/lfsr.h5" "$OUT/telegraph.h5" \
  "$OUT/trace.h5" "$OUT/telegraph_350K.h5" "$OUT/telegraph_350K_cal300K.h5" "$OUT/telegraph_delta_spread10.h5" \
  "$OUT/telegraph_K16.h5" "$OUT/llg.h5" || echo "note: merging into $OUT.h5 failed (see above; it needs h5py, Debian python3-h5py)"
