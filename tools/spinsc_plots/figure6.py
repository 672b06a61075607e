"""figure6: SC accuracy against stream length per method and Q, one panel per topology, with the
no-SC accuracy and the paper's stated points; also the numbers as a markdown table."""
import os
from collections import OrderedDict

from .results import InputError
from .series import figure6_points, series_label, series_styles
from .style import describe_extra, mean_std, save, subtitle, topology_order

# The paper's stated points (S. Sabyasachi, W. Misba, Y. Shao, P. Khalili Amiri and J. Atulasimha,
# arXiv 2504.06414, the text on its Figure 6): topology -> [(Q or None, L bits, accuracy %, label)].
# Q = None: the best of both Q at that length. The rest of their Figure 6 is a picture we do not have.
PAPER_POINTS = {
    "784-128-10": [(None, 100, 92.0, "paper ~92 % (best Q)"), (5, 400, 93.68, "paper Q5"),
                   (11, 500, 94.48, "paper Q11")],
    "784-392-196-98-10": [(None, 100, 96.44, "paper (best Q)"), (5, 300, 96.62, "paper Q5"),
                          (11, 400, 96.82, "paper Q11")],
}

PAPER_HANDLE = "paper's stated values"


def accuracy_title(counts, paper_drawn):
    """What the points are: a mean with its sample std only over two seeds or more."""
    if counts == [1]:
        what = "one seed per point (no error bars)"
    elif len(counts) == 1:
        what = f"mean ± sample std over n = {counts[0]} seeds"
    else:
        what = "mean ± sample std over the n seeds beside each point (n = 1: no error bar)"
    return "SC inference accuracy against stream length, " + what + (
        "; stars: the values the paper states for its Figure 6" if paper_drawn else "")


def plot_figure6(m, results, out_dir, paper_points=True):
    np, plt = m["numpy"], m["plt"]
    from matplotlib.lines import Line2D
    points, no_sc, shared = figure6_points(results)
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
            levels_here = {s[1] for s in series_here}
            for q, length, accuracy, label in PAPER_POINTS[topology]:
                if not lo <= length <= hi:
                    continue  # a length this file has no data for would only stretch the axis
                if q is not None and q not in levels_here:
                    continue  # the paper's value for a Q this panel does not show
                star, = ax.plot([length], [accuracy], marker="*", color="black", markersize=18, linestyle="none",
                                zorder=5)
                ax.annotate(label, (length, accuracy), textcoords="offset points", xytext=(9, 5), fontsize=12)
                handles[PAPER_HANDLE] = star
        ax.set_title(topology + (f" ({describe_extra(shared[topology])})" if shared.get(topology) else ""))
        ax.set_xlabel("SC stream length L [bits]")
        ax.set_ylabel("test accuracy [%]")
        ax.set_xticks(lengths_all)
    if any_no_sc:
        handles["dashed, open markers: same network without SC"] = Line2D(
            [], [], color="gray", linestyle="--", marker="o", markerfacecolor="white", markersize=9)
    fig.suptitle(accuracy_title(counts, PAPER_HANDLE in handles) + "\n" + subtitle(results))
    fig.legend(list(handles.values()), list(handles.keys()), loc="upper center", bbox_to_anchor=(0.5, 0.0),
               ncol=2 if len(handles) > 3 else len(handles), frameon=False, fontsize=14)
    fig.tight_layout()
    return [save(plt, fig, out_dir, results, "figure6"), figure6_table(np, results, out_dir, sc, no_sc, shared)]


def figure6_table(np, results, out_dir, sc, no_sc, shared):
    """The numbers behind the figure6 plot as a markdown table (<name>_figure6.md), for docs."""
    paper = {(topology, q, length): accuracy for topology, items in PAPER_POINTS.items()
             for q, length, accuracy, _ in items}
    lines = [f"Figure 6 numbers of {results.name} ({os.path.basename(results.path)}): SC test accuracy, mean and "
             "sample std over seeds; without SC: the same networks' quantized accuracy (method 2: the network "
             "trained at that L)."] + [
             f"All series of {topology} share: {describe_extra(items)}." for topology, items in shared.items() if items] + [
             "",
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
