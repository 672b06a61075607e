#!/usr/bin/env bash
# Builds the libFuzzer targets (clang; the library instrumented for coverage, ASan and UBSan) in
# build-fuzz/ and runs each one from its seed corpus (tests/fuzz/corpus/<name>/, copied: the tree
# is never changed) for SPINSC_FUZZ_SECONDS (default 30) with a fixed seed. Any crash, hang
# (one input > 10 s), leak, sanitizer report or unexpected exception fails the script; the input
# is saved as build-fuzz/finding-<name>-*. Prints executions per second for each target.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${SPINSC_FUZZ_SECONDS:-30}"
build=build-fuzz
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DSPINSC_FUZZ=ON -DSPINSC_BUILD_TESTS=OFF -DSPINSC_BUILD_BENCHMARKS=OFF "$@" >/dev/null
cmake --build "$build" -j "$(nproc)" --target fuzzers
status=0
for target in experiment sweep idx trace results; do
  work="$(mktemp -d)"
  cp tests/fuzz/corpus/"$target"/* "$work"/
  log="$build/fuzz-$target.log"
  if "$build/fuzz/fuzz_$target" "$work" -seed=1 -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
       -print_final_stats=1 -artifact_prefix="$build/finding-$target-" >"$log" 2>&1; then
    result=clean
  else
    result="FINDING (see $log)"
    status=1
  fi
  runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")"
  speed="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")"
  echo "fuzz_$target: ${runs:-?} inputs in ${seconds} s, ${speed:-?} per second: $result"
  rm -rf "$work"
done
exit "$status"
