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
    return shared_by_panel(sc, no_sc)


def shared_by_panel(sc, no_sc):
    """Moves the swept values that every series of a topology shares (e.g. the deep network's own
    epochs) out of the series names, into the panel's: a series is then named by what differs
    within its panel, and the same method and Q are one series (one colour) in every panel.
    Returns (sc, no_sc, {topology: shared (key, value) items})."""
    extras = defaultdict(list)
    for topology, series, _ in sc:
        extras[topology].append(set(series[2]))
    shared = {t: set.intersection(*items) for t, items in extras.items()}

    def strip(topology, base):
        items = shared.get(topology, set())
        return base[:2] + (tuple(kv for kv in base[2] if kv not in items),) + base[3:]

    sc_out, no_sc_out = defaultdict(list), defaultdict(list)
    for (topology, series, length), points in sc.items():
        sc_out[(topology, strip(topology, series), length)] += points
    for (topology, base, length), values in no_sc.items():
        no_sc_out[(topology, strip(topology, base), length)] += values
    panel = {}
    for topology, series, _ in sc:  # in the order the series names them
        panel.setdefault(topology, tuple(kv for kv in series[2] if kv in shared[topology]))
    return sc_out, no_sc_out, panel


def series_label(series):
    method, levels, extra, variant = series
    label = f"{method}, Q={levels}"
    if extra:
        label += ", " + describe_extra(extra)
    if variant:
        label += f", {variant}"
    return label


def series_styles(plt, sc):
    """Topologies and series in plotting order, and how each series is drawn, alike in the figure6
    and energy plots and in every panel, so that the legend lists a series once: marker by method;
    with several Q, colour by Q (a shade of it for each other swept value or SC variant), so the
    same Q has the same hue everywhere; with one Q, a colour for each other swept value or variant."""
    from matplotlib.colors import to_rgb
    topologies = sorted({k[0] for k in sc}, key=topology_order)
    all_series = sorted({k[1] for k in sc}, key=lambda s: (str(s[1]).zfill(4), s[0], str(s[2]), s[3]))
    methods = sorted({s[0] for s in all_series})
    palette = [to_rgb(c) for c in plt.get_cmap("tab10").colors]
    levels = list(OrderedDict.fromkeys(s[1] for s in all_series))
    others = list(OrderedDict.fromkeys((s[2], s[3]) for s in all_series))
    shades = defaultdict(dict)  # Q -> (extra, variant) -> shade index
    for s in all_series:
        shades[s[1]].setdefault((s[2], s[3]), len(shades[s[1]]))

    def colour_of(series):
        if len(levels) == 1:
            return palette[others.index((series[2], series[3])) % len(palette)]
        base = palette[levels.index(series[1]) % len(palette)]
        k = shades[series[1]][(series[2], series[3])]
        # 0: the Q's colour; then alternately lighter and darker, further each time.
        amount = min(0.3 * ((k + 1) // 2), 0.6)
        towards = (1.0, 1.0, 1.0) if k % 2 else (0.0, 0.0, 0.0)
        return tuple(c + (t - c) * amount for c, t in zip(base, towards))

    markers = {meth: mk for meth, mk in zip(methods, ("o", "s", "^", "D", "v", "P"))}
    return topologies, all_series, colour_of, markers
