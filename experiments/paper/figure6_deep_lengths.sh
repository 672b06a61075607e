#!/bin/sh
# Complement of Figure 6 (experiments/paper/figure6.ini): method 2 of 784-392-196-98-10 at the lengths
# figure6.ini leaves out to stay within 60 minutes (Q = 5: 200, 400, 500 bits; Q = 11: 200, 300,
# 500 bits), 3 seeds each, with figure6.ini's settings (the deep network's 20 epochs and shifts).
# One results file per (Q, L): OUTDIR/q<Q>_l<L>.h5. About 40 minutes on 2 cores.
# Mean and std per point: build/bin/spinsc plot OUTDIR/q<Q>_l<L>.h5 --kind figure6 (writes the .md table).
#
# Usage: experiments/paper/figure6_deep_lengths.sh [OUTDIR] [--key=value ...]   (from any folder)
#   OUTDIR      default results/paper/figure6_deep_lengths (relative to the source tree)
#   --key=value extra overrides for every run (e.g. --train.epochs=1 --eval.sc_samples=100)
#   env SPINSC (default build/bin/spinsc)
set -e
cd "$(dirname "$0")/../.."
SPINSC=${SPINSC:-build/bin/spinsc}
OUT=${1:-results/paper/figure6_deep_lengths}
[ $# -gt 0 ] && shift
mkdir -p "$OUT"
for point in 5:200 5:400 5:500 11:200 11:300 11:500; do
  q=${point%%:*}
  l=${point##*:}
  "$SPINSC" run experiments/paper/figure6.ini -o "$OUT/q${q}_l${l}.h5" --network.layers=784,392,196,98,10 \
    --network.levels="$q" --train.strategy=train.qat_sc --train.qat_sc.length="$l" --eval.lengths="$l" \
    --train.epochs=20 --train.augment_shift_px=1 "$@"
done
