#!/usr/bin/python3
"""Plots a device_characterization results file (spinsc run experiments/device_characterization.ini).

usage: plot_characterization.py RESULTS.h5 [OUTPUT_DIR]

One PNG per run, named after the run and its device: P(1) measured against requested (with its
standard error) and against the control value (bias, pulse width, threshold), autocorrelation
against lag, run-length (dwell) histograms, and energy per bit against level. Reads only the
datasets the task writes under /runs/NNNNNN/device/ (docs/devices.md).
"""
import os
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
# The plotting itself is in the package beside this script (spinsc plot --kind characterization).
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from spinsc_plots.characterization import plot_run  # noqa: E402


def main():
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0 if len(sys.argv) >= 2 else 1
    results = sys.argv[1]
    if not os.path.isfile(results):
        print(f"{results}: no such results file", file=sys.stderr)
        return 1
    out_dir = sys.argv[2] if len(sys.argv) > 2 else os.path.splitext(results)[0] + "_plots"
    os.makedirs(out_dir, exist_ok=True)
    with h5py.File(results, "r") as f:
        if "runs" not in f:
            print(f"{results}: no /runs group (not a spinsc results file?)", file=sys.stderr)
            return 1
        made = 0
        for name, group in f["runs"].items():
            if "device" in group and "p1_measured" in group["device"]:
                print(plot_run(name, group, out_dir))
                made += 1
        if made == 0:
            print(f"{results}: no device_characterization runs found", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
