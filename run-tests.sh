#!/usr/bin/env bash
# The whole test suite, one command: installs what is missing, builds, runs every test with ctest.
# Long studies carry the ctest label "long"; set SPINSC_LONG_TESTS=1 to run them too.
set -euo pipefail
cd "$(dirname "$0")"
./install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc)"
exclude=(-LE long)
[ "${SPINSC_LONG_TESTS:-0}" = "1" ] && exclude=()
ctest --test-dir build --output-on-failure -j "$(nproc)" "${exclude[@]}" "$@"
