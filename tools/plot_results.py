#!/usr/bin/python3
"""Plots a spinsc results file (docs/results-format.md, docs/plotting.md).

Kinds of plot (PNG, one file each, named <experiment>_<kind>.png in the output folder):
  figure6   SC accuracy (%) against stream length L (bits), per method and Q, mean +- sample std
            over seeds (n in the title), one panel per topology, as in the paper's Figure 6; the
            accuracy without SC (quantized network) per method and Q as dashed lines with open
            markers; the paper's stated points as black stars.
  energy    energy per inference (nJ) against SC accuracy, one point per series and length (mean
            over seeds); below it the per-component breakdown from the run's ledger.
  latency   activation latency per inference (cycles and ns) of each activation unit evaluated on
            the same network ([eval] sc_activations), with the accuracy each gives.
  whatif    grouped bars per device variant (device.plugin and swept device.* keys): accuracy,
            energy per inference and latency per inference at each length.
  characterization   device characterization runs: tools/plot_characterization.py, one PNG per run.
  auto      every kind the file has the data for (default).

figure6 also writes the numbers it draws as a markdown table, <experiment>_figure6.md.
Prints the path of every file written. Exit status: 0 done, 1 bad input (the message names the file
and what is missing), 2 bad command line, 3 a Python module is missing.
"""
import argparse
import os
import sys
from collections import OrderedDict, defaultdict

KINDS = ("figure6", "energy", "latency", "whatif", "characterization")

# The paper's stated points (Sabyasachi et al., text of section on Figure 6): topology ->
# [(Q or None, L bits, accuracy %, label)]. The rest of their Figure 6 is a picture we do not have.
PAPER_POINTS = {
    "784-128-10": [(None, 100, 92.0, "paper ~92 %"), (5, 400, 93.68, "paper Q5"), (11, 500, 94.48, "paper Q11")],
    "784-392-196-98-10": [(None, 100, 96.44, "paper"), (5, 300, 96.62, "paper Q5"), (11, 400, 96.82, "paper Q11")],
}

METHOD_NAMES = {"train.qat": "method 1 (QAT)", "train.qat_sc": "method 2 (QAT-SC)", "train.float": "float"}
# Swept keys that are axes or replicas of a Figure 6 study, not a separate configuration.
# `repeat` is the repeat index of [sweep] repeats, `seed` a swept experiment seed: both are replicas.
REPLICA_KEYS = {"seed", "repeat"}
STUDY_AXES = {"network.layers", "network.levels", "train.strategy", "train.qat_sc.length", "eval.lengths"} | REPLICA_KEYS
# Ledger events that take time on the critical path of one inference (docs/sc.md, "Per-inference
# ledger"): the stream clocks of each layer and the activation unit's latency. Other events
# (bits_generated, gate_ops, ...) are parallel operations; their summed device time is not a latency.
LATENCY_EVENTS = ("stream_clocks", "activation_latency")


class InputError(Exception):
    """A problem with the results file; the message names the file and what is wrong."""


def import_modules():
    """Imports numpy, h5py and matplotlib (Agg), or exits 3 naming the interpreter and the module."""
    missing = []
    modules = {}
    for name, package in (("numpy", "python3-numpy"), ("h5py", "python3-h5py"), ("matplotlib", "python3-matplotlib")):
        try:
            modules[name] = __import__(name)
        except ImportError as e:
            missing.append(f"{name} ({e}; Debian package {package})")
    if missing:
        print(f"plot_results.py: the Python interpreter {sys.executable} cannot import: " + "; ".join(missing)
              + ". Install the packages (install-deps.sh does) or run it with /usr/bin/python3.", file=sys.stderr)
        sys.exit(3)
    modules["matplotlib"].use("Agg")
    import matplotlib.pyplot as plt
    modules["plt"] = plt
    plt.rcParams.update({"font.size": 14, "axes.titlesize": 15, "axes.labelsize": 14, "xtick.labelsize": 13,
                         "ytick.labelsize": 13, "legend.fontsize": 12, "figure.titlesize": 16,
                         "axes.grid": True, "grid.alpha": 0.3})
    return modules


def text(value):
    if isinstance(value, bytes):
        return value.decode()
    return value


def as_number(value):
    """The value of a config text as int or float when it is one, else the text."""
    value = text(value)
    if isinstance(value, str):
        for kind in (int, float):
            try:
                return kind(value)
            except ValueError:
                pass
    return value


class Variant:
    """One SC evaluation of a run: evaluation/sc/ or evaluation/sc/<label>/."""

    def __init__(self, np, run, label, group):
        self.run = run
        self.label = label
        self.path = group.name
        self.lengths = [int(round(x)) for x in group["lengths"][()]]
        self.accuracy = group["accuracy"][()]
        n = len(self.lengths)

        def column(name):
            return group[name][()] if name in group else np.full(n, np.nan)

        self.energy_J = column("energy_per_inference_J")
        self.device_energy_J = column("device_energy_per_inference_J")
        self.activation_latency_cycles = column("activation_latency_cycles")
        self.attrs = {k: text(v) for k, v in group.attrs.items()}
        self.activation = self.attrs.get("activation", run.config.get("sc.activation", "?"))
        self.device = self.attrs.get("device", run.config.get("device.plugin", "?"))
        samples = self.attrs.get("samples")
        self.samples = int(samples) if samples is not None else None

    def ledger_prefix(self, length):
        return (self.label + "/" if self.label else "") + f"L{length}/"


class Run:
    """A complete run of a results file, with its configuration (effective keys + swept values)."""

    def __init__(self, np, name, group, config):
        self.name = name
        self.group = group
        self.seed = int(group.attrs.get("run_seed", 0))
        self.swept = OrderedDict((text(k), as_number(group.attrs[text(k)])) for k in group.attrs.get("swept_keys", []))
        self.config = dict(config)
        self.config.update(self.swept)
        # What the run recorded wins over the configuration (it is what actually ran).
        if "network/layers" in group:
            self.topology = "-".join(str(int(x)) for x in group["network/layers"][()])
        else:
            self.topology = str(self.config.get("network.layers", "?")).replace(",", "-").replace(" ", "")
        levels = group["network"].attrs.get("levels") if "network" in group else None
        self.levels = int(levels) if levels is not None else as_number(self.config.get("network.levels", "?"))
        strategy = group["training"].attrs.get("strategy") if "training" in group else None
        self.strategy = text(strategy) if strategy is not None else str(self.config.get("train.strategy", "?"))
        self.train_length = as_number(self.config.get("train.qat_sc.length")) if self.strategy == "train.qat_sc" else None
        self.no_sc_accuracy = float(group["evaluation/quantized/accuracy"][()]) if "evaluation/quantized/accuracy" in group else None
        self.variants = []
        if "evaluation/sc" in group:
            sc = group["evaluation/sc"]
            if "accuracy" in sc and "lengths" in sc:
                self.variants.append(Variant(np, self, "", sc))
            else:
                for label, sub in sc.items():
                    if hasattr(sub, "keys") and "accuracy" in sub and "lengths" in sub:
                        self.variants.append(Variant(np, self, label, sub))
        self._ledger = None

    @property
    def method(self):
        return METHOD_NAMES.get(self.strategy, self.strategy)

    def extra_key(self, exclude):
        """The run's swept values that are not axes of the plot: part of its series name."""
        return tuple((k, v) for k, v in self.swept.items() if k not in exclude)

    def ledger(self):
        """The ledger entries: list of (component, layer, event, events, energy_J, latency_s, cycles)."""
        if self._ledger is None:
            self._ledger = []
            if "ledger/entries/component" in self.group:
                e = self.group["ledger/entries"]
                columns = [e[c].asstr()[()] for c in ("component", "layer", "event")]
                columns += [e[c][()] for c in ("events", "energy_J", "latency_s", "cycles")]
                self._ledger = list(zip(*columns))
        return self._ledger

    def ledger_per_inference(self, variant, length):
        """Per inference at one variant and length: ({component: energy J}, latency s, found)."""
        prefix = variant.ledger_prefix(length)
        by_component = defaultdict(float)
        latency_s = 0.0
        found = False
        for component, layer, event, _events, energy, latency, _cycles in self.ledger():
            if not layer.startswith(prefix) or "/" in layer[len(prefix):]:
                continue
            found = True
            by_component[component] += energy
            if event in LATENCY_EVENTS:
                latency_s += latency
        n = variant.samples or 1
        return {c: e / n for c, e in by_component.items()}, latency_s / n, found


class Results:
    def __init__(self, modules, path):
        self.np = modules["numpy"]
        h5py = modules["h5py"]
        self.path = path
        if not os.path.exists(path):
            raise InputError(f"{path}: no such results file")
        if os.path.isdir(path):
            raise InputError(f"{path}: is a folder, not a results file")
        try:
            self.file = h5py.File(path, "r")
        except OSError as e:
            raise InputError(f"{path}: not a readable HDF5 file ({e})")
        f = self.file
        if text(f.attrs.get("format", "")) != "spinsc-results":
            found = f"is {text(f.attrs['format'])!r}" if "format" in f.attrs else "is missing"
            raise InputError(f"{path}: not a spinsc results file (root attribute 'format' {found}, "
                             "expected 'spinsc-results')")
        if "runs" not in f:
            raise InputError(f"{path}: no /runs group")
        self.name = text(f.attrs.get("experiment_name", os.path.splitext(os.path.basename(path))[0]))
        config = {}
        if "config/effective" in f:
            config = {k: as_number(v) for k, v in f["config/effective"].asstr()[()]}
        self.config = config
        self.runs = []
        self.skipped = []
        self.characterization_runs = []
        for name, group in f["runs"].items():
            status = text(group.attrs.get("status", "?"))
            if status != "complete":
                self.skipped.append(f"run {name}: {status}")
                continue
            if "device/p1_measured" in group:
                self.characterization_runs.append((name, group))
            self.runs.append(Run(self.np, name, group, config))
        if self.skipped:
            print(f"note: {len(self.skipped)} run(s) not complete, left out: " + "; ".join(self.skipped[:3])
                  + (" ..." if len(self.skipped) > 3 else ""), file=sys.stderr)

    def sc_runs(self):
        return [r for r in self.runs if r.variants]


def mean_std(np, values):
    values = np.asarray(values, dtype=float)
    mean = float(np.mean(values))
    std = float(np.std(values, ddof=1)) if len(values) > 1 else 0.0
    return mean, std, len(values)


def describe_extra(extra):
    return ", ".join(f"{k.split('.')[-1]}={v}" for k, v in extra)


def short_number(value):
    """A bar label: whole numbers from 1000 up (29200, not 2.92e+04), else 3 significant digits."""
    return f"{value:.0f}" if abs(value) >= 1000 else f"{value:.3g}"


def topology_order(topology):
    return (topology.count("-"), topology)


def save(plt, fig, out_dir, results, kind):
    path = os.path.join(out_dir, f"{results.name}_{kind}.png")
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)
    return path


def subtitle(results):
    f = results.file
    return f"{results.name} ({os.path.basename(results.path)}, spinsc {text(f.attrs.get('spinsc_version', '?'))}, " \
           f"git {text(f.attrs.get('git_revision', '?'))})"


# ----------------------------------------------------------------------------------------- figure6

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


def plot_figure6(m, results, out_dir, paper_points=True):
    np, plt = m["numpy"], m["plt"]
    from matplotlib.lines import Line2D
    points, no_sc = figure6_points(results)
    if not points:
        raise InputError(f"{results.path}: no SC accuracy against length (runs/*/evaluation/sc/lengths and accuracy) "
                         "for figure6")
    sc = {k: [p[0] for p in v] for k, v in points.items()}
    topologies, all_series, colour_of, markers = series_styles(plt, sc)
    lengths_all = sorted({k[2] for k in sc} | {k[2] for k in no_sc if k[2] is not None})
    span = (max(lengths_all) - min(lengths_all)) if len(lengths_all) > 1 else 100
    dodge = 0.012 * span
    counts = sorted({len(v) for v in sc.values()})
    uniform_n = len(counts) == 1

    fig, axes = plt.subplots(1, len(topologies), figsize=(9 * len(topologies), 7.5), squeeze=False)
    handles = OrderedDict()
    any_no_sc = False
    for ax, topology in zip(axes[0], topologies):
        series_here = [s for s in all_series if any(k[0] == topology and k[1] == s for k in sc)]
        no_sc_drawn = set()
        for i, series in enumerate(series_here):
            c = colour_of(series)
            mk = markers[series[0]]
            offset = (i - (len(series_here) - 1) / 2) * dodge
            lengths = sorted(k[2] for k in sc if k[0] == topology and k[1] == series)
            stats = [mean_std(np, sc[(topology, series, length)]) for length in lengths]
            x = np.array(lengths, dtype=float) + offset
            h = ax.errorbar(x, [s[0] for s in stats], yerr=[s[1] for s in stats], color=c, marker=mk, markersize=9,
                            linewidth=2.2, capsize=5, capthick=1.5)
            handles.setdefault(series_label(series), h)
            if not uniform_n:
                for xi, (mean, _, n) in zip(x, stats):
                    ax.annotate(f"n={n}", (xi, mean), textcoords="offset points", xytext=(6, -16), fontsize=11,
                                color=c)
            base = series[:3]
            if base in no_sc_drawn:
                continue  # the no-SC accuracy belongs to the network: once, whatever the SC variants
            no_sc_drawn.add(base)
            if series[3]:
                c = "dimgray"  # shared by the variants (activation units, policies) of one network
            level = no_sc.get((topology, base, None))
            if level:  # one network for every length (method 1): a level line, with its spread as a band
                mean, std, n = mean_std(np, level)
                xs = [min(lengths_all) - 0.03 * span, max(lengths_all) + 0.03 * span]
                ax.plot(xs, [mean, mean], linestyle="--", color=c, linewidth=1.8)
                if std > 0:
                    ax.fill_between(xs, mean - std, mean + std, color=c, alpha=0.12, linewidth=0)
                ax.plot([xs[1]], [mean], marker=mk, markerfacecolor="white", color=c, markersize=10)
                any_no_sc = True
            trained = sorted(k[2] for k in no_sc if k[0] == topology and k[1] == base and k[2] is not None)
            if trained:  # one network per training length (method 2): a dashed curve over L
                stats = [mean_std(np, no_sc[(topology, base, L)]) for L in trained]
                ax.errorbar(np.array(trained, dtype=float) + offset, [s[0] for s in stats],
                            yerr=[s[1] for s in stats], color=c, marker=mk, markerfacecolor="white", markersize=9,
                            linestyle="--", linewidth=1.5, capsize=4)
                any_no_sc = True
        if paper_points and topology in PAPER_POINTS:
            lo, hi = min(lengths_all), max(lengths_all)
            for q, length, accuracy, label in PAPER_POINTS[topology]:
                if not lo <= length <= hi:
                    continue  # a length this file has no data for would only stretch the axis
                star, = ax.plot([length], [accuracy], marker="*", color="black", markersize=18, linestyle="none",
                                zorder=5)
                ax.annotate(label, (length, accuracy), textcoords="offset points", xytext=(9, 5), fontsize=12)
                handles["paper's stated values"] = star
        ax.set_title(f"{topology}")
        ax.set_xlabel("SC stream length L [bits]")
        ax.set_ylabel("test accuracy [%]")
        ax.set_xticks(lengths_all)
    if any_no_sc:
        handles["dashed, open markers: same network without SC"] = Line2D(
            [], [], color="gray", linestyle="--", marker="o", markerfacecolor="white", markersize=9)
    n_text = f"n = {counts[0]} seed(s) per point" if uniform_n else "n seeds beside each point"
    fig.suptitle(f"Figure 6: SC inference accuracy against stream length, mean ± sample std over seeds "
                 f"({n_text})\n{subtitle(results)}")
    fig.legend(list(handles.values()), list(handles.keys()), loc="upper center", bbox_to_anchor=(0.5, 0.0),
               ncol=2 if len(handles) > 3 else len(handles), frameon=False, fontsize=14)
    fig.tight_layout()
    return [save(plt, fig, out_dir, results, "figure6"), figure6_table(np, results, out_dir, sc, no_sc)]


def figure6_table(np, results, out_dir, sc, no_sc):
    """The numbers behind the figure6 plot as a markdown table (<name>_figure6.md), for docs."""
    paper = {(topology, q, length): accuracy for topology, items in PAPER_POINTS.items()
             for q, length, accuracy, _ in items}
    lines = [f"Figure 6 numbers of {results.name} ({os.path.basename(results.path)}): SC test accuracy, mean and "
             "sample std over seeds; without SC: the same networks' quantized accuracy (method 2: the network "
             "trained at that L).", "",
             "| topology | series | L (bits) | SC accuracy (%) | std | n | without SC (%) | paper (%) |",
             "|---|---|---|---|---|---|---|---|"]
    for topology, series, length in sorted(sc, key=lambda k: (topology_order(k[0]), str(k[1][1]).zfill(4), k[1][0],
                                                                  str(k[1][2]), k[1][3], k[2])):
        mean, std, n = mean_std(np, sc[(topology, series, length)])
        without = no_sc.get((topology, series[:3], length)) or no_sc.get((topology, series[:3], None))
        without_text = ""
        if without:
            w_mean, w_std, w_n = mean_std(np, without)
            without_text = f"{w_mean:.2f}" + (f" ± {w_std:.2f}" if w_n > 1 else "")
        stated = paper.get((topology, series[1], length), paper.get((topology, None, length)))
        std_text = f"{std:.2f}" if n > 1 else "-"  # a sample std needs two seeds
        lines.append(f"| {topology} | {series_label(series)} | {length} | {mean:.2f} | {std_text} | {n} | "
                     f"{without_text} | {'' if stated is None else f'{stated:.2f}'} |")
    path = os.path.join(out_dir, f"{results.name}_figure6.md")
    with open(path, "w") as out:
        out.write("\n".join(lines) + "\n")
    return path


# ------------------------------------------------------------------------------------------ energy

def plot_energy(m, results, out_dir, length=None):
    np, plt = m["numpy"], m["plt"]
    from matplotlib.lines import Line2D
    points, _ = figure6_points(results)
    if not points or not any(np.isfinite(p[1]) and p[1] > 0 for ps in points.values() for p in ps):
        raise InputError(f"{results.path}: no energy per inference (runs/*/evaluation/sc/energy_per_inference_J > 0) "
                         "for the energy plot")
    topologies, all_series, colour_of, markers = series_styles(plt, points)
    counts = sorted({len(v) for v in points.values()})

    # The breakdown: every point when there are at most 12; else every series at one length (like
    # with like: --length, or the longest length they all have); else, with more than 12 series, at
    # each topology and length the series with the best mean accuracy.
    order = {series: i for i, series in enumerate(all_series)}
    chosen = sorted(points, key=lambda k: (topology_order(k[0]), order[k[1]], k[2]))
    pairs = sorted({(k[0], k[1]) for k in points}, key=lambda p: (topology_order(p[0]), order[p[1]]))
    if len(chosen) > 12 and len(pairs) <= 12:
        lengths_of = {pair: sorted(k[2] for k in points if (k[0], k[1]) == pair) for pair in pairs}
        common = set.intersection(*(set(v) for v in lengths_of.values()))
        target = length if length is not None else (max(common) if common else None)
        chosen = [pair + (target if target in lengths_of[pair] else lengths_of[pair][-1],) for pair in pairs]
    elif len(chosen) > 12:
        best = OrderedDict()
        for topology in topologies:
            for length in sorted({k[2] for k in points if k[0] == topology}):
                keys = [k for k in points if k[0] == topology and k[2] == length]
                best[(topology, length)] = max(keys, key=lambda k: np.mean([p[0] for p in points[k]]))
        chosen = list(best.values())[:12]
    breakdown = OrderedDict()
    for key in chosen:
        per_component = defaultdict(list)
        for _, _, _, run, v in points[key]:
            components, _, found = run.ledger_per_inference(v, key[2])
            if found:
                for c, e in components.items():
                    per_component[c].append(e)
        if per_component:
            breakdown[key] = {c: float(np.mean(e)) for c, e in per_component.items()}

    n_panels = len(topologies)
    fig = plt.figure(figsize=(max(9 * n_panels, 16), 15 if breakdown else 8))
    grid = fig.add_gridspec(2 if breakdown else 1, n_panels, height_ratios=[1.2, 1] if breakdown else None)
    handles = OrderedDict()
    device_differs = False
    for column, topology in enumerate(topologies):
        ax = fig.add_subplot(grid[0, column])
        energies = []
        label_at = {}  # L -> (accuracy, energy) of the best point: the length is written there once
        for i, series in enumerate([s for s in all_series if any(k[0] == topology and k[1] == s for k in points)]):
            c, mk = colour_of(series), markers[series[0]]
            size = 13 - 2 * (i % 4)  # series on the same points (same energy and accuracy) show as rings
            ks = sorted((k for k in points if k[0] == topology and k[1] == series), key=lambda k: k[2])
            acc = [mean_std(np, [p[0] for p in points[k]]) for k in ks]
            energy = [float(np.mean([p[1] for p in points[k]])) * 1e9 for k in ks]
            device = [float(np.mean([p[2] for p in points[k]])) * 1e9 for k in ks]
            energies += energy
            h = ax.errorbar([a[0] for a in acc], energy, xerr=[a[1] for a in acc], color=c, marker=mk, markersize=size,
                            linewidth=1.8, capsize=4)
            handles.setdefault(series_label(series), h)
            if any(np.isfinite(d) and abs(d - e) > 0.01 * e for d, e in zip(device, energy)):
                device_differs = True
                ax.plot([a[0] for a in acc], device, color=c, marker=mk, markerfacecolor="white", linestyle=":",
                        markersize=9)
            for k, a, e in zip(ks, acc, energy):
                if k[2] not in label_at or a[0] > label_at[k[2]][0]:
                    label_at[k[2]] = (a[0], e)
        for length, (a, e) in label_at.items():
            ax.annotate(f"L={length}", (a, e), textcoords="offset points", xytext=(9, 4), fontsize=13)
        positive = [e for e in energies if e > 0 and np.isfinite(e)]
        if positive and max(positive) / min(positive) > 20:
            ax.set_yscale("log")
        ax.set_xlabel("SC test accuracy [%] (mean ± sample std over seeds)")
        ax.set_ylabel("energy per inference [nJ]")
        ax.set_title(f"{topology}: energy per inference against accuracy")
    if device_differs:
        handles["open markers, dotted: the device's bits alone"] = Line2D(
            [], [], color="gray", linestyle=":", marker="o", markerfacecolor="white", markersize=9)

    if breakdown:
        ax = fig.add_subplot(grid[1, :])
        components = sorted({c for b in breakdown.values() for c in b if b[c] > 0})
        zero = sorted({c for b in breakdown.values() for c in b} - set(components))
        x = np.arange(len(breakdown))
        bottom = np.zeros(len(breakdown))
        comp_colours = plt.get_cmap("Set2").colors
        for i, c in enumerate(components):
            values = np.array([b.get(c, 0.0) * 1e9 for b in breakdown.values()])
            ax.bar(x, values, 0.6, bottom=bottom, color=comp_colours[i % len(comp_colours)], edgecolor="black",
                   linewidth=0.5, label=c)
            bottom += values
        for xi, total in zip(x, bottom):
            ax.annotate(f"{short_number(total)} nJ", (xi, total), textcoords="offset points", xytext=(0, 4), ha="center",
                        fontsize=12)
        ax.set_xticks(x)
        # Name only what varies between the bars; what they share goes under the axis.
        many_topologies = len({k[0] for k in breakdown}) > 1
        many_series = len({k[1] for k in breakdown}) > 1
        first = next(iter(breakdown))
        shared = ([] if many_topologies else [first[0]]) + ([] if many_series else [series_label(first[1])])
        ax.set_xlabel(", ".join(shared))
        ax.set_xticklabels([(f"{k[0]}, " if many_topologies else "") + f"L={k[2]}" +
                            (f"\n{series_label(k[1])}" if many_series else "") for k in breakdown], fontsize=11,
                           rotation=20 if len(breakdown) > 4 else 0, ha="right" if len(breakdown) > 4 else "center")
        ax.set_ylabel("energy per inference [nJ]")
        ax.set_title("per component, from the run's ledger" + (
            "" if len(chosen) == len(points) or len(chosen) == len(pairs)
            else " (at each topology and L, the most accurate series)"))
        if zero:  # the components the ledger has but that cost nothing, said in the legend
            ax.plot([], [], " ", label="0 J: " + ", ".join(zero))
        ax.set_ylim(0, bottom.max() * 1.25 if bottom.max() > 0 else 1)
        ax.legend(loc="upper left", frameon=True, fontsize=12)
    n_text = f"n = {counts[0]} seed(s) per point" if len(counts) == 1 else f"n = {counts[0]}..{counts[-1]} seeds per point"
    fig.suptitle(f"Energy per inference from the ledger (streams generated × device energy per bit, plus logic), "
                 f"{n_text}\n{subtitle(results)}")
    fig.legend(list(handles.values()), list(handles.keys()), loc="upper center", bbox_to_anchor=(0.5, 0.0),
               ncol=2 if len(handles) > 3 else len(handles), frameon=False, fontsize=14)
    fig.tight_layout()
    return [save(plt, fig, out_dir, results, "energy")]


# ----------------------------------------------------------------------------------------- latency

def latency_variants(results):
    """Activation unit -> list of (run, variant), for runs with SC evaluation."""
    units = OrderedDict()
    for run in results.sc_runs():
        for v in run.variants:
            units.setdefault(v.label or v.activation, []).append((run, v))
    return units


def plot_latency(m, results, out_dir, length=None):
    np, plt = m["numpy"], m["plt"]
    units = latency_variants(results)
    if not units or not any(np.any(np.isfinite(v.activation_latency_cycles)) for vs in units.values() for _, v in vs):
        raise InputError(f"{results.path}: no activation latency (runs/*/evaluation/sc[/<variant>]/"
                         "activation_latency_cycles) for the latency plot")
    lengths = sorted({L for vs in units.values() for _, v in vs for L in v.lengths})
    chosen = length if length is not None else max(lengths)
    if chosen not in lengths:
        raise InputError(f"{results.path}: --length {chosen} was not evaluated (lengths: {lengths})")
    names, cycles, ns, acc, acc_all = [], [], [], [], OrderedDict()
    for unit, vs in units.items():
        c_list, ns_list, a_list = [], [], []
        for run, v in vs:
            if chosen not in v.lengths:
                continue
            i = v.lengths.index(chosen)
            c_list.append(v.activation_latency_cycles[i])
            _, _, found = run.ledger_per_inference(v, chosen)
            act_ns = None
            if found:
                total = sum(lat for comp, layer, event, _, _, lat, _ in run.ledger()
                            if event == "activation_latency" and layer.startswith(v.ledger_prefix(chosen)))
                act_ns = total / (v.samples or 1) * 1e9
            if act_ns is None:
                act_ns = v.activation_latency_cycles[i] * float(run.config.get("sc.clock_period_s", float("nan"))) * 1e9
            ns_list.append(act_ns)
            a_list.append(v.accuracy[i])
        if not c_list:
            continue
        names.append(unit)
        cycles.append(float(np.mean(c_list)))
        ns.append(float(np.mean(ns_list)))
        acc.append(mean_std(np, a_list))
        per_length = defaultdict(list)
        for _, v in vs:
            for L, a in zip(v.lengths, v.accuracy):
                per_length[L].append(a)
        acc_all[unit] = per_length
    hidden = {run.topology.count("-") - 1 for vs in units.values() for run, _ in vs}
    # Ratios against the LUT (the paper's 80 against 9 cycles), else against the fastest unit.
    luts = [i for i, name in enumerate(names) if "lut" in name]
    reference = luts[0] if luts else int(np.argmin(cycles))
    fig, axes = plt.subplots(1, 3, figsize=(22, 7.5))
    palette = plt.get_cmap("tab10").colors
    x = np.arange(len(names))
    for ax, values, unit_label in ((axes[0], cycles, "cycles"), (axes[1], ns, "ns")):
        bars = ax.bar(x, values, color=[palette[i % 10] for i in range(len(names))], edgecolor="black")
        top = max(values) if values and max(values) > 0 else 1
        for i, (b, value, (a, s, n)) in enumerate(zip(bars, values, acc)):
            unit_text = "cycle" if unit_label == "cycles" and value == 1 else unit_label
            ratio = f"\n= {value / values[reference]:.2f} × {names[reference]}" \
                if i != reference and values[reference] > 0 else ""
            ax.annotate(f"{value:.4g} {unit_text}{ratio}\nacc. {a:.2f} %" + (f" ± {s:.2f} (n={n})" if n > 1 else ""),
                        (b.get_x() + b.get_width() / 2, value), textcoords="offset points", xytext=(0, 5),
                        ha="center", fontsize=12)
        ax.set_ylim(0, top * 1.4)
        ax.set_xticks(x)
        ax.set_xticklabels(names, rotation=15)
        ax.set_ylabel(f"activation latency per inference [{unit_label}]")
        ax.set_title(f"activation latency [{unit_label}], accuracy at L={chosen}")
    ax = axes[2]
    styles = ("-", "--", ":", "-.")
    for i, (unit, per_length) in enumerate(acc_all.items()):
        ls = sorted(per_length)
        stats = [mean_std(np, per_length[L]) for L in ls]
        # Units with the same function give the same accuracy: dodge and vary the line so none hides.
        ax.errorbar(np.array(ls, dtype=float) + (i - (len(acc_all) - 1) / 2) * 0.01 * (max(lengths) - min(lengths) or 100),
                    [s[0] for s in stats], yerr=[s[1] for s in stats], marker="osD^v"[i % 5], markersize=9, capsize=4,
                    color=palette[i % 10], linewidth=2, linestyle=styles[i % len(styles)], label=unit)
    ax.set_xlabel("SC stream length L [bits]")
    ax.set_ylabel("SC test accuracy [%]")
    ax.set_title("accuracy of each activation unit")
    ax.set_xticks(lengths)
    ax.legend(frameon=False)
    fig.suptitle(f"Activation latency per inference ({'/'.join(str(h) for h in sorted(hidden))} hidden layer(s)) "
                 f"and accuracy\n{subtitle(results)}")
    fig.tight_layout()
    return [save(plt, fig, out_dir, results, "latency")]


# ------------------------------------------------------------------------------------------ whatif

def device_label(run, variant, device_keys):
    label = variant.device
    # Only the swept keys of this run's device (a swept key of another plugin does not change it).
    params = [(k, v) for k, v in run.swept.items() if k in device_keys and k.startswith(variant.device + ".")]
    if params:
        label += "\n" + "\n".join(f"{k.split('.')[-1]}={v}" for k, v in params)
    return label


def whatif_device_keys(results):
    keys = set()
    for run in results.sc_runs():
        keys |= {k for k in run.swept if k.startswith("device.")}
    return keys


def plot_whatif(m, results, out_dir):
    np, plt = m["numpy"], m["plt"]
    device_keys = whatif_device_keys(results)
    groups = OrderedDict()  # device label -> L -> lists
    for run in results.sc_runs():
        for v in run.variants:
            label = device_label(run, v, device_keys)
            others = [(k, val) for k, val in run.extra_key(device_keys | REPLICA_KEYS | {"eval.lengths"})]
            if v.label:
                others.append(("variant", v.label))
            if others:
                label += "\n" + describe_extra(others)
            for i, L in enumerate(v.lengths):
                _, latency_s, found = run.ledger_per_inference(v, L)
                entry = groups.setdefault(label, OrderedDict()).setdefault(L, {"acc": [], "energy": [], "latency": []})
                entry["acc"].append(v.accuracy[i])
                entry["energy"].append(v.energy_J[i])
                entry["latency"].append(latency_s if found else np.nan)
    if len(groups) < 2:
        raise InputError(f"{results.path}: the whatif plot needs runs over at least two device variants (a swept "
                         "device.plugin or device.* key); found " + (", ".join(g.replace("\n", " ") for g in groups)
                                                                      or "no SC runs"))
    lengths = sorted({L for g in groups.values() for L in g})
    # Side by side while few device variants, stacked when many (the bar labels need the width).
    width_in = 1.0 + len(groups) * max(2.8, 0.45 * (len(lengths) + 1))
    if width_in <= 9:
        fig, axes = plt.subplots(1, 3, figsize=(3 * width_in + 2, 8))
    else:
        fig, axes = plt.subplots(3, 1, figsize=(min(max(width_in, 14), 32), 19))
    palette = plt.get_cmap("viridis")
    width = 0.8 / len(lengths)
    x = np.arange(len(groups))
    metrics = (("acc", 1.0, "SC test accuracy [%]", "accuracy"),
               ("energy", 1e9, "energy per inference [nJ]", "energy per inference (ledger)"),
               ("latency", 1e6, "latency per inference [µs]", "latency per inference (stream clocks + activation)"))
    for ax, (key, scale, ylabel, title) in zip(axes, metrics):
        for j, L in enumerate(lengths):
            means, errs = [], []
            for g in groups.values():
                values = [val * scale for val in g.get(L, {}).get(key, [])]
                if values and all(np.isfinite(values)):
                    mean, std, _ = mean_std(np, values)
                else:
                    mean, std = np.nan, 0.0
                means.append(mean)
                errs.append(std)
            bars = ax.bar(x + (j - (len(lengths) - 1) / 2) * width, means, width,
                          yerr=errs if any(e > 0 for e in errs) else None, capsize=3,
                          color=palette(0.15 + 0.7 * j / max(len(lengths) - 1, 1)), edgecolor="black", linewidth=0.5,
                          label=f"L={L}")
            if len(groups) * len(lengths) <= 24:
                for b, mean in zip(bars, means):
                    if np.isfinite(mean):
                        ax.annotate(short_number(mean), (b.get_x() + b.get_width() / 2, mean),
                                    textcoords="offset points", xytext=(0, 3), ha="center", fontsize=10)
        ax.set_xticks(x)
        ax.set_xticklabels(list(groups), fontsize=11)
        ax.set_ylabel(ylabel)
        ax.set_title(title)
        if key == "acc":
            finite = [a for g in groups.values() for d in g.values() for a in d["acc"] if np.isfinite(a)]
            if finite:
                ax.set_ylim(max(0, min(finite) - 5), min(100, max(finite) + 2))
    axes[0].legend(title="stream length", frameon=True, loc="upper left", bbox_to_anchor=(1.005, 1.0))
    n_seeds = sorted({len(d["acc"]) for g in groups.values() for d in g.values()})
    fig.suptitle(f"Device what-if: accuracy, energy and latency per inference per device variant "
                 f"(n = {'/'.join(map(str, n_seeds))} seed(s) per bar, error bar = sample std)\n{subtitle(results)}")
    fig.tight_layout()
    return [save(plt, fig, out_dir, results, "whatif")]


# -------------------------------------------------------------------------------- characterization

def plot_device_characterization(m, results, out_dir):
    if not results.characterization_runs:
        raise InputError(f"{results.path}: no device characterization runs (runs/*/device/p1_measured)")
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import plot_characterization  # the device characterization plots live there (same folder)
    return [plot_characterization.plot_run(name, group, out_dir) for name, group in results.characterization_runs]


# ---------------------------------------------------------------------------------------- auto/main

def auto_kinds(m, results):
    np = m["numpy"]
    kinds = []
    sc_runs = results.sc_runs()
    if results.characterization_runs:
        kinds.append("characterization")
    if sc_runs:
        kinds.append("figure6")
        if any(np.any(v.energy_J > 0) for r in sc_runs for v in r.variants):
            kinds.append("energy")
        if len({v.activation for r in sc_runs for v in r.variants}) >= 2:
            kinds.append("latency")
        labels = {device_label(r, v, whatif_device_keys(results)) for r in sc_runs for v in r.variants}
        if len(labels) >= 2:
            kinds.append("whatif")
    return kinds


def parse_arguments(argv):
    parser = argparse.ArgumentParser(
        prog=os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else "plot_results.py",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", metavar="RESULTS.h5", help="a spinsc results file (spinsc run ... -o RESULTS.h5)")
    parser.add_argument("-o", "--output", metavar="DIR",
                        help="folder for the PNGs (created; default: RESULTS_plots beside the file)")
    parser.add_argument("--kind", choices=KINDS + ("auto",), default="auto", help="which plot (default auto)")
    parser.add_argument("--length", type=int, metavar="L",
                        help="latency plot: the stream length whose accuracy is annotated (default the longest); "
                             "energy plot: the length of the per-component bars when not every point gets one")
    parser.add_argument("--no-paper-points", action="store_true",
                        help="figure6: leave out the paper's stated values (black stars)")
    return parser.parse_args(argv)


def main(argv):
    args = parse_arguments(argv)
    m = import_modules()
    try:
        results = Results(m, args.results)
        kinds = auto_kinds(m, results) if args.kind == "auto" else [args.kind]
        if not kinds:
            raise InputError(f"{args.results}: nothing to plot (no complete run with SC evaluation "
                             "evaluation/sc or device characterization device/p1_measured)")
        out_dir = args.output or os.path.splitext(args.results)[0] + "_plots"
        os.makedirs(out_dir, exist_ok=True)
        for kind in kinds:
            if kind == "figure6":
                written = plot_figure6(m, results, out_dir, not args.no_paper_points)
            elif kind == "energy":
                written = plot_energy(m, results, out_dir, args.length)
            elif kind == "latency":
                written = plot_latency(m, results, out_dir, args.length)
            elif kind == "whatif":
                written = plot_whatif(m, results, out_dir)
            else:
                written = plot_device_characterization(m, results, out_dir)
            for path in written:
                print(path, flush=True)
        return 0
    except InputError as e:
        print(f"plot_results.py: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
