#!/usr/bin/python3
"""Plots a spinsc results file (docs/results-format.md, docs/plotting.md).

Kinds of plot (PNG, one file each, named <experiment>_<kind>.png in the output folder):
  figure6   SC accuracy (%) against stream length L (bits), per method and Q, mean +- sample std
            over seeds when there are two or more, one panel per topology (compare the paper's
            Figure 6); the accuracy without SC (quantized network) per method and Q as dashed
            lines with open markers; the paper's stated points for the Q drawn as black stars.
  energy    energy per inference (nJ) against SC accuracy, one point per series and length (mean
            over seeds); below it the per-component breakdown from the run's ledger.
  hardware  the activation units evaluated on the same network ([eval] sc_activations) side by
            side: accuracy per length; latency per inference (cycles, ns) as streaming + counting
            + activation; energy per inference as device bits, DAC levels, gates, counters and
            activation (at --length, default the longest).
  latency   the activation latency alone (cycles and ns) of each activation unit, with its accuracy.
  whatif    grouped bars per device variant (device.plugin and swept device.* keys): accuracy,
            energy per inference and latency per inference at each length.
  characterization   device characterization runs, one PNG per run.
  auto      every kind the file has the data for (default; hardware rather than latency).

figure6 and hardware also write their numbers as markdown tables, <experiment>_<kind>.md.
Prints the path of every file written. Exit status: 0 done, 1 bad input (the message names the file
and what is missing), 2 bad command line, 3 a Python module is missing.
"""
import argparse
import os
import sys

# The plot kinds live in the package beside this script (installed beside it too).
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from spinsc_plots import KINDS  # noqa: E402  (no numpy or matplotlib: --help works without them)
from spinsc_plots.environment import import_modules  # noqa: E402


def parse_arguments(argv):
    parser = argparse.ArgumentParser(
        prog=os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else "plot_results.py",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", metavar="RESULTS.h5", help="a spinsc results file (spinsc run ... -o RESULTS.h5)")
    parser.add_argument("-o", "--output", metavar="DIR",
                        help="folder for the PNGs (created; default: RESULTS_plots beside the file)")
    parser.add_argument("--kind", choices=KINDS + ("auto",), default="auto", help="which plot (default auto)")
    parser.add_argument("--length", type=int, metavar="L",
                        help="hardware and latency plots: the stream length of the bars (default the longest); "
                             "energy plot: the length of the per-component bars when not every point gets one")
    parser.add_argument("--no-paper-points", action="store_true",
                        help="figure6: leave out the paper's stated values (black stars)")
    return parser.parse_args(argv)


def main(argv):
    args = parse_arguments(argv)
    m = import_modules()
    from spinsc_plots.kinds import auto_kinds, draw  # numpy and matplotlib are there now
    from spinsc_plots.results import InputError, Results
    try:
        results = Results(m, args.results)
        kinds = auto_kinds(m, results) if args.kind == "auto" else [args.kind]
        if not kinds:
            raise InputError(f"{args.results}: nothing to plot (no complete run with SC evaluation "
                             "evaluation/sc or device characterization device/p1_measured)")
        out_dir = args.output or os.path.splitext(args.results)[0] + "_plots"
        os.makedirs(out_dir, exist_ok=True)
        for kind in kinds:
            for path in draw(kind, m, results, out_dir, args):
                print(path, flush=True)
        return 0
    except InputError as e:
        print(f"plot_results.py: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
