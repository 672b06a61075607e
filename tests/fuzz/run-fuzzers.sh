#!/usr/bin/env bash
# Builds the libFuzzer targets (clang; the library instrumented for coverage, ASan and UBSan) in
# build-fuzz/ and runs each from a copy of its seed corpus (tests/fuzz/corpus/<name>/; the tree is
# never changed) with a fixed seed, for a fixed number of inputs (about 30 s each on 2 shared
# cores), so that a run replays exactly the inputs of the last verified one. Any crash, hang (one
# input > 60 s), sanitizer report, more than 2 GB of memory or an exception other than the
# reader's documented error type fails the script; the input is kept as build-fuzz/finding-<name>-*.
#   SPINSC_FUZZ_TARGETS="experiment sweep idx"          which targets (default: all six)
#   SPINSC_FUZZ_SCALE=4                                 runs x 4 (longer runs, new inputs)
# fuzz_trace and fuzz_results reach crashes inside libhdf5 1.10 itself (a damaged variable-length
# string reference in an attribute); spinsc contains them with a trial read in a child process
# (docs/robustness.md), so such an input must end as the reader's documented error, like any other.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=build-fuzz
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DSPINSC_FUZZ=ON -DSPINSC_BUILD_TESTS=OFF -DSPINSC_BUILD_BENCHMARKS=OFF "$@" >/dev/null
cmake --build "$build" -j "$(nproc)" --target fuzzers
declare -A runs=([experiment]=15000 [sweep]=30000 [idx]=4500 [trace]=1400 [results]=200 [layers]=20000)
scale="${SPINSC_FUZZ_SCALE:-1}"
# allocator_may_return_null: a huge allocation fails as with the plain allocator (libhdf5 then
# reports an error) instead of aborting. Leaks: libhdf5 1.10 leaks its type-conversion buffers
# when a read of a damaged file fails part way (inside H5T__conv_vlen, out of our reach), so leak
# checks are on only for the targets that do not read HDF5.
status=0
for target in ${SPINSC_FUZZ_TARGETS:-experiment sweep idx trace results layers}; do
  leaks=1
  case "$target" in trace|results) leaks=0 ;; esac
  work="$(mktemp -d)"
  cp tests/fuzz/corpus/"$target"/* "$work"/
  log="$build/fuzz-$target.log"
  start=$SECONDS
  if ASAN_OPTIONS="detect_leaks=$leaks:allocator_may_return_null=1" \
     "$build/fuzz/fuzz_$target" "$work" -seed=1 -runs="$(( ${runs[$target]} * scale ))" -max_total_time=300 \
       -detect_leaks="$leaks" -timeout=60 -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="$build/finding-$target-" >"$log" 2>&1; then
    result=clean
  else
    result="FINDING (see $log)"
    status=1
  fi
  executed="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")"
  speed="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")"
  echo "fuzz_$target: ${executed:-?} inputs in $(( SECONDS - start )) s (${speed:-?} per second): $result"
  rm -rf "$work"
done
exit "$status"
