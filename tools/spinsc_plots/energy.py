"""energy: energy per inference against SC accuracy, with the per-component breakdown of the ledger."""
from collections import OrderedDict, defaultdict

from .results import InputError
from .series import figure6_points, series_label, series_styles
from .style import describe_extra, mean_std, save, short_number, subtitle, topology_order


def plot_energy(m, results, out_dir, length=None):
    np, plt = m["numpy"], m["plt"]
    from matplotlib.lines import Line2D
    points, _, shared = figure6_points(results)
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
        zero_series = []  # series with a point at 0 J: a log axis cannot draw them, so they are named
        label_at = {}  # L -> (accuracy, energy) of the best point: the length is written there once
        for i, series in enumerate([s for s in all_series if any(k[0] == topology and k[1] == s for k in points)]):
            c, mk = colour_of(series), markers[series[0]]
            size = 13 - 2 * (i % 4)  # series on the same points (same energy and accuracy) show as rings
            ks = sorted((k for k in points if k[0] == topology and k[1] == series), key=lambda k: k[2])
            acc = [mean_std(np, [p[0] for p in points[k]]) for k in ks]
            energy = [float(np.mean([p[1] for p in points[k]])) * 1e9 for k in ks]
            device = [float(np.mean([p[2] for p in points[k]])) * 1e9 for k in ks]
            energies += energy
            if any(e == 0 for e in energy):
                zero_series.append(series_label(series))
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
            if zero_series:
                ax.text(0.01, 0.01, "at 0 J, not drawn on the log axis:\n" + "\n".join(zero_series),
                        transform=ax.transAxes, fontsize=11, va="bottom", ha="left",
                        bbox=dict(facecolor="white", edgecolor="gray", alpha=0.9))
        ax.set_xlabel("SC test accuracy [%]" + (" (one seed)" if counts == [1] else
                                                " (mean ± sample std over seeds)"))
        ax.set_ylabel("energy per inference [nJ]")
        ax.set_title(f"{topology}: energy per inference against accuracy" +
                     (f"\n({describe_extra(shared[topology])})" if shared.get(topology) else ""))
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
        in_common = ([] if many_topologies else [first[0]]) + ([] if many_series else [series_label(first[1])])
        ax.set_xlabel(", ".join(in_common))
        ax.set_xticklabels([(f"{k[0]}, " if many_topologies else "") + f"L={k[2]}" +
                            (f"\n{series_label(k[1])}" if many_series else "") for k in breakdown], fontsize=11,
                           rotation=20 if len(breakdown) > 4 else 0, ha="right" if len(breakdown) > 4 else "center")
        ax.set_ylabel("energy per inference [nJ]")
        ax.set_title("per component, from the run's ledger" + (
            "" if len(chosen) == len(points) or len(chosen) == len(pairs)
            else " (at each topology and L, the most accurate series)"))
        if zero:  # the components the ledger has but that cost nothing, said in the legend
            ax.plot([], [], " ", label="0 J: " + ", ".join(zero))
        # The legend in a band above the tallest bar and its label, never over them.
        ax.set_ylim(0, bottom.max() * 1.6 if bottom.max() > 0 else 1)
        ax.legend(loc="upper center", ncol=min(len(components) + bool(zero), 3), frameon=True, fontsize=12)
    n_text = ("one seed per point" if counts == [1] else f"n = {counts[0]} seeds per point" if len(counts) == 1
              else f"n = {counts[0]}..{counts[-1]} seeds per point")
    fig.suptitle(f"Energy per inference from the ledger (streams generated × device energy per bit, plus logic), "
                 f"{n_text}\n{subtitle(results)}")
    fig.legend(list(handles.values()), list(handles.keys()), loc="upper center", bbox_to_anchor=(0.5, 0.0),
               ncol=2 if len(handles) > 3 else len(handles), frameon=False, fontsize=14)
    fig.tight_layout()
    return [save(plt, fig, out_dir, results, "energy")]
