#!/usr/bin/env bash
# Installs the Debian 12 packages spinsc needs to build, test and plot, if any is missing.
set -euo pipefail
packages=(
  build-essential cmake pkg-config
  libboost-dev libboost-program-options-dev libboost-test-dev
  libeigen3-dev libhdf5-dev libfmt-dev librandom123-dev zlib1g-dev libglpk-dev
  libbenchmark-dev
  libopenmpi-dev openmpi-bin
  clang libclang-rt-14-dev
  python3 python3-h5py python3-numpy python3-matplotlib
  dataset-fashion-mnist
)
missing=()
for p in "${packages[@]}"; do
  [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" = "install ok installed" ] || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
