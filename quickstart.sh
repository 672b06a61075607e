#!/usr/bin/env bash
# Quick start, one command: installs what is missing, builds spinsc, runs the default experiment.
set -euo pipefail
cd "$(dirname "$0")"
./install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc)"
./build/bin/spinsc run "$@"
