#!/usr/bin/env bash
# Requirement "Install and docs" (issue 2): `cmake --install` gives a working spinsc (CLI,
# libspinsc, headers, plugins, CMake package); an out-of-tree plugin builds with
# find_package(spinsc) + spinsc_add_plugin and is loaded by the installed CLI and library.
#   run_install_test.sh BUILD_DIR SOURCE_DIR WORK_DIR [CXX_COMPILER]
set -euo pipefail
build_dir=$1 source_dir=$2 work=$3 cxx=${4:-c++}
rm -rf "$work"
mkdir -p "$work"
prefix="$work/prefix"
fail() { echo "install test FAILED: $*" >&2; exit 1; }

echo "== cmake --install into $prefix"
cmake --install "$build_dir" --prefix "$prefix" > "$work/install.log" || { cat "$work/install.log"; fail "cmake --install"; }
for f in bin/spinsc lib/libspinsc.so include/spinsc/plugin.hpp include/spinsc/version.hpp \
         lib/cmake/spinsc/spinscConfig.cmake lib/cmake/spinsc/SpinscPlugin.cmake \
         lib/spinsc/plugins/device.bernoulli/libspinsc_device_bernoulli.so; do
  [ -e "$prefix/$f" ] || fail "$f is not installed"
done
spinsc="$prefix/bin/spinsc"
# The installed CLI must not need the build tree: it runs from the prefix's own libspinsc.
# (Outputs are captured first: with pipefail, `cmd | grep -q` fails when grep exits early and cmd
# gets SIGPIPE.)
libraries=$(ldd "$spinsc")
grep -q "$prefix/bin/../lib/libspinsc.so\|$prefix/lib/libspinsc.so" <<< "$libraries" \
  || fail "installed spinsc does not use the installed libspinsc: $(grep spinsc <<< "$libraries")"

# spinsc plot runs the installed plotting script, not the source tree's (docs/plotting.md).
[ -x "$prefix/share/spinsc/tools/plot_results.py" ] || fail "share/spinsc/tools/plot_results.py is not installed"
plot_help=$("$spinsc" plot --help)
grep -q "$prefix/bin/../share/spinsc/tools/plot_results.py\|$prefix/share/spinsc/tools/plot_results.py" <<< "$plot_help" \
  || fail "installed spinsc plot does not use the installed script: $(tail -1 <<< "$plot_help")"
# [sc] technology = NAME finds the installed technology files.
[ -f "$prefix/share/spinsc/data/technology/cmos45_horowitz2014.ini" ] || fail "share/spinsc/data/technology is not installed"

# The script draws with the package spinsc_plots beside it: the installed copy must import it (the
# source tree is out of reach: the script puts only its own folder on the module path).
[ -f "$prefix/share/spinsc/tools/spinsc_plots/kinds.py" ] || fail "share/spinsc/tools/spinsc_plots is not installed"
if /usr/bin/python3 -c 'import h5py, matplotlib, numpy' 2> /dev/null; then
  /usr/bin/python3 -c "import sys; sys.path.insert(0, '$prefix/share/spinsc/tools'); import spinsc_plots.environment as e; e.import_modules(); import spinsc_plots.kinds" \
    || fail "the installed spinsc_plots package does not import"
fi

echo "== the shipped data is installed and the installed experiments run from any folder"
for f in data/mnist/train-images-idx3-ubyte.gz data/mnist/t10k-labels-idx1-ubyte.gz data/mnist/MD5SUMS \
         data/mnist/README.md data/traces/smtj_telegraph_5levels.h5; do
  [ -f "$prefix/share/spinsc/$f" ] || fail "share/spinsc/$f is not installed"
done
mkdir -p "$work/elsewhere"
# From an empty folder, without SPINSC_DATA: the trace replay finds data/traces and the network
# task finds MNIST, both in the prefix (not the source tree the build came from).
trace_run=$(cd "$work/elsewhere" && env -u SPINSC_DATA "$spinsc" run "$prefix/share/spinsc/experiments/device_trace_replay.ini" \
            --characterization.n_bits=1024 -o trace.h5 2>&1) || { echo "$trace_run"; fail "installed device_trace_replay.ini"; }
mnist_run=$(cd "$work/elsewhere" && env -u SPINSC_DATA "$spinsc" run "$prefix/share/spinsc/experiments/quickstart.ini" \
            --train.epochs=1 --data.train_size=300 --data.test_size=100 --eval.lengths=16 -o qs.h5 2>&1) \
  || { echo "$mnist_run"; fail "installed quickstart.ini"; }
grep -q "from $prefix/share/spinsc/data/mnist" <<< "$mnist_run" \
  || fail "the installed spinsc did not read MNIST from the prefix: $(grep -m1 'images of' <<< "$mnist_run")"

[ -f "$prefix/share/bash-completion/completions/spinsc" ] || fail "bash completion is not installed"
listed=$(cd "$work/elsewhere" && "$spinsc" experiments) || fail "installed spinsc experiments"
grep -q "$prefix/share/spinsc/experiments/quickstart.ini  *Quick start" <<< "$listed" \
  || fail "installed spinsc experiments does not list its own quickstart.ini: $listed"

echo "== out-of-tree plugin against the installed package"
cmake -S "$source_dir/tests/install/oot_plugin" -B "$work/oot-build" -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_CXX_COMPILER="$cxx" > "$work/oot-configure.log" \
  || { cat "$work/oot-configure.log"; fail "configuring the out-of-tree plugin"; }
cmake --build "$work/oot-build" -j2 > "$work/oot-build.log" 2>&1 \
  || { cat "$work/oot-build.log"; fail "building the out-of-tree plugin"; }
plugin_dir="$work/oot-build/plugins-out"
[ -f "$plugin_dir/device.oot_threshold/libspinsc_device_oot_threshold.so" ] || fail "plugin library not where documented"

echo "== spinsc plugins / describe with SPINSC_PLUGIN_PATH"
plugins=$(SPINSC_PLUGIN_PATH="$plugin_dir" "$spinsc" plugins)
echo "$plugins"
grep -Eq "^device +device\.oot_threshold +0\.3\.0 +out-of-tree test device" <<< "$plugins" || fail "spinsc plugins does not list device.oot_threshold"
grep -q "^  $prefix/lib/spinsc/plugins$" <<< "$plugins" || fail "the install prefix is not on the plugin path"
grep -q "^  $build_dir/plugins-out" <<< "$plugins" && fail "the installed spinsc searches the build tree"
grep -q "device.bernoulli" <<< "$plugins" || fail "installed device.bernoulli not listed"
grep -q "cannot be used" <<< "$plugins" && fail "a library on the plugin path cannot be used"
describe=$(SPINSC_PLUGIN_PATH="$plugin_dir" "$spinsc" describe device.oot_threshold)
echo "$describe"
grep -q "threshold" <<< "$describe" || fail "describe does not show 'threshold'"
grep -q "energy_per_bit_J" <<< "$describe" || fail "describe does not show 'energy_per_bit_J'"
grep -q "3e-15" <<< "$describe" || fail "describe does not show the default 3e-15"
if "$spinsc" describe device.oot_threshold > /dev/null 2>&1; then
  fail "without SPINSC_PLUGIN_PATH the out-of-tree plugin should not be found"
fi

echo "== the installed library loads and runs the plugin"
"$work/oot-build/oot_host" || fail "oot_host"

echo "== cmake --install of the plugin puts it where the installed spinsc finds it"
# First into a DESTDIR, to see where it would go without touching anything outside $work.
DESTDIR="$work/destdir" cmake --install "$work/oot-build" > "$work/oot-install.log" \
  || { cat "$work/oot-install.log"; fail "installing the plugin"; }
[ -f "$work/destdir$prefix/lib/spinsc/plugins/device.oot_threshold/libspinsc_device_oot_threshold.so" ] \
  || fail "the plugin would not install into the spinsc prefix: $(cat "$work/oot-install.log")"
cmake --install "$work/oot-build" > "$work/oot-install.log" || { cat "$work/oot-install.log"; fail "installing the plugin"; }
grep -q "device.oot_threshold" <<< "$("$spinsc" plugins)" || fail "installed plugin not found without SPINSC_PLUGIN_PATH"
echo "install test passed"
