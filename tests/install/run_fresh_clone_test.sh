#!/usr/bin/env bash
# A new user's first hour: a clone of the repository in an empty folder (nothing beside it) holds
# MNIST intact, and spinsc needs no setting to find it: a tiny quick-start run from an empty folder,
# without SPINSC_DATA, reads the project's own data/mnist (checked against MD5SUMS when loaded).
#   run_fresh_clone_test.sh SOURCE_DIR SPINSC_CLI WORK_DIR
# Exit 77 (ctest: skipped) when SOURCE_DIR is not a git checkout (a tarball has no history to clone),
# except under CI=true: a CI run works on a checkout, so there the missing history is a failure.
set -euo pipefail
source_dir=$1 spinsc=$2 work=$3
fail() { echo "fresh clone test FAILED: $*" >&2; exit 1; }
if ! git -C "$source_dir" rev-parse --git-dir > /dev/null 2>&1; then
  [[ "${CI:-}" == true ]] && fail "CI=true: $source_dir is not a git checkout, nothing may be skipped"
  echo "not a git checkout: skipped (set CI=true to make this a failure)"
  exit 77
fi
rm -rf "$work"
mkdir -p "$work/empty"

echo "== git clone into an empty folder"
git clone -q "$source_dir" "$work/clone" || fail "git clone $source_dir"
[ "$(ls -A "$work")" = "$(printf 'clone\nempty')" ] || fail "the scratch folder is not empty beside the clone"
(cd "$work/clone/data/mnist" && md5sum -c --quiet MD5SUMS) || fail "the clone's data/mnist does not match its MD5SUMS"
for f in train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz; do
  grep -q " $f\$" "$work/clone/data/mnist/MD5SUMS" || fail "MD5SUMS does not list $f"
done
[ -f "$work/clone/data/mnist/README.md" ] || fail "the clone has no note on the source and licence of MNIST"

echo "== a tiny quick start from an empty folder, no SPINSC_DATA"
out=$(cd "$work/empty" && env -u SPINSC_DATA "$spinsc" run "$source_dir/experiments/quickstart.ini" --train.epochs=1 \
      --data.train_size=300 --data.test_size=100 --eval.lengths=16 -o qs.h5 2>&1) || { echo "$out"; fail "spinsc run"; }
expected=$(cd "$source_dir/data/mnist" && pwd)
grep -q "from $expected" <<< "$out" || fail "MNIST was not read from $expected: $(grep -m1 'images of' <<< "$out")"
echo "fresh clone test passed"
