"""Series of a network study (method, Q, other swept keys, SC variant) and their points over seeds:
shared by the figure6 and energy plots, which draw a series alike."""
import sys
from collections import OrderedDict, defaultdict

from .results import STUDY_AXES
from .style import describe_extra, topology_order


def figure6_points(results):
    """SC points (accuracy %, energy J, device energy J, run, variant) and no-SC accuracies over
    seeds of every (topology, series, L).

    A series is (method, Q, other swept keys, variant). Method 2 (train.qat_sc) is trained at one
    length: its SC point at L is the run trained at L and evaluated at L (the paper's curve), and its
    no-SC point at L is that network without SC. A method-2 run evaluated at other lengths than it
    was trained at gives those points in a series of its own ("trained at L = ...") only when no run
    of its series was evaluated at its training length (otherwise they are left out, with a note).
    Method 1 trains one network for every length: its no-SC accuracy has L = None (a level line)."""
    sc = defaultdict(list)
    no_sc = defaultdict(list)
    off_length = defaultdict(list)
    matched_series = set()
    for run in results.sc_runs():
        base = (run.method, run.levels, run.extra_key(STUDY_AXES))
        if run.no_sc_accuracy is not None:
            no_sc[(run.topology, base, run.train_length)].append(run.no_sc_accuracy)
        for v in run.variants:
            series = base + (v.label,)
            for i, length in enumerate(v.lengths):
                point = (v.accuracy[i], v.energy_J[i], v.device_energy_J[i], run, v)
                if run.train_length is None or length == run.train_length:
                    sc[(run.topology, series, length)].append(point)
                    if run.train_length is not None:
                        matched_series.add((run.topology, series))
                else:
                    off_length[(run.topology, series)].append((run.train_length, length, point))
    dropped = 0
    for (topology, series), points in off_length.items():
        if (topology, series) in matched_series:
            dropped += len(points)
            continue
        for train_length, length, point in points:
            named = series[:3] + ((series[3] + " " if series[3] else "") + f"trained at L={train_length}",)
            sc[(topology, named, length)].append(point)
    if dropped:
        print(f"note: figure6 and energy show method 2 at the length each run was trained at; {dropped} evaluation(s) at "
              "other lengths left out", file=sys.stderr)
    return sc, no_sc


def series_label(series):
    method, levels, extra, variant = series
    label = f"{method}, Q={levels}"
    if extra:
        label += ", " + describe_extra(extra)
    if variant:
        label += f", {variant}"
    return label


def series_styles(plt, sc):
    """Topologies and series in plotting order; colour by Q (and the other keys), marker by method,
    so that the figure6 and energy plots draw a series alike and the legend lists it once."""
    topologies = sorted({k[0] for k in sc}, key=topology_order)
    all_series = sorted({k[1] for k in sc}, key=lambda s: (str(s[1]).zfill(4), s[0], str(s[2]), s[3]))
    methods = sorted({s[0] for s in all_series})
    palette = plt.get_cmap("tab10").colors
    colour_keys = list(OrderedDict.fromkeys((s[1], s[2], s[3]) for s in all_series))
    colours = {k: palette[i % len(palette)] for i, k in enumerate(colour_keys)}
    markers = {meth: mk for meth, mk in zip(methods, ("o", "s", "^", "D", "v", "P"))}
    return topologies, all_series, (lambda series: colours[(series[1], series[2], series[3])]), markers
