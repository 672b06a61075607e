"""hardware: the activation units evaluated on one trained network side by side, as a hardware
designer compares them: accuracy per length; latency per inference in cycles and ns, split into
streaming, counting and activation; energy per inference split into device bits, DAC levels,
gates, counters and activation. Also the numbers at every length as a markdown table.

Everything comes from the run's ledger (docs/sc.md): per inference, the events of one variant and
length (layers "[<variant>/]L<n>/layer<l>") divided by the images evaluated."""
import os
from collections import OrderedDict, defaultdict

from .latency import latency_variants
from .results import LATENCY_PARTS, InputError
from .style import mean_std, save, short_number, subtitle

# Energy by part: (label, ledger events).
ENERGY_PARTS = (("device bits", ("bits_generated", "select_bits_generated")), ("DAC levels", ("dac_levels",)),
                ("gates", ("gate_ops",)), ("counters", ("counter_ops",)), ("activation", ("activation_ops",)))
PART_COLOURS = {"streaming": "#4C72B0", "counting": "#55A868", "activation": "#C44E52", "total": "#555555",
                "device bits": "#4C72B0", "DAC levels": "#8172B2", "gates": "#CCB974", "counters": "#55A868"}


def per_inference_events(run, variant, length):
    """{event: (energy J, latency s, cycles)} per inference of one variant and length, or None when
    the ledger has no entry for them."""
    prefix = variant.ledger_prefix(length)
    sums = defaultdict(lambda: [0.0, 0.0, 0.0])
    for _component, layer, event, _events, energy, latency, cycles in run.ledger():
        if not layer.startswith(prefix) or "/" in layer[len(prefix):]:
            continue
        s = sums[event]
        s[0] += energy
        s[1] += latency
        s[2] += cycles
    if not sums:
        return None
    n = variant.samples or 1
    return {event: (e / n, t / n, c / n) for event, (e, t, c) in sums.items()}


def unit_figures(np, units, lengths):
    """unit -> L -> figures (means over the runs of the unit: seeds, devices) and the runs' count."""
    table = OrderedDict()
    for unit, pairs in units.items():
        for L in lengths:
            rows = []
            for run, v in pairs:
                if L not in v.lengths:
                    continue
                events = per_inference_events(run, v, L)
                if events is None:
                    continue
                i = v.lengths.index(L)
                row = {"accuracy": v.accuracy[i]}
                for part, names in LATENCY_PARTS:
                    row[part + " s"] = sum(events.get(e, (0, 0, 0))[1] for e in names)
                    row[part + " cycles"] = sum(events.get(e, (0, 0, 0))[2] for e in names)
                row["activation busy cycles"] = events.get("activation_ops", (0, 0, 0))[2]
                for part, names in ENERGY_PARTS:
                    row[part + " J"] = sum(events.get(e, (0, 0, 0))[0] for e in names)
                row["counting recorded"] = "counter_latency" in events
                rows.append(row)
            if not rows:
                continue
            figures = {k: float(np.mean([r[k] for r in rows])) for k in rows[0] if k != "counting recorded"}
            figures["accuracy std"] = mean_std(np, [r["accuracy"] for r in rows])[1]
            figures["n"] = len(rows)
            figures["counting recorded"] = all(r["counting recorded"] for r in rows)
            figures["total s"] = sum(figures[p + " s"] for p, _ in LATENCY_PARTS)
            figures["total J"] = sum(figures[p + " J"] for p, _ in ENERGY_PARTS)
            table.setdefault(unit, OrderedDict())[L] = figures
    return table


def bars_on_log_axis(ax, np, names, parts, values, text_of, unit_label):
    """Grouped bars (one group per unit, one bar per part) on a log axis, each labelled; a part at 0
    for every unit is left out and named; a 0 at one unit is written as '0' at the axis floor."""
    drawn = [p for p in parts if any(values[u][p] > 0 for u in names)]
    zero = [p for p in parts if p not in drawn]
    positive = [values[u][p] for u in names for p in drawn if values[u][p] > 0]
    if not positive:
        ax.text(0.5, 0.5, "every part is 0 " + unit_label, transform=ax.transAxes, ha="center")
        return zero
    floor = min(positive) / 8
    width = 0.8 / len(drawn)
    x = np.arange(len(names))
    for j, part in enumerate(drawn):
        heights = [values[u][part] for u in names]
        xs = x + (j - (len(drawn) - 1) / 2) * width
        ax.bar(xs, [h if h > 0 else np.nan for h in heights], width, label=part,
               color=PART_COLOURS.get(part, "#937860"), edgecolor="black", linewidth=0.5)
        for xi, h, u in zip(xs, heights, names):
            ax.annotate(text_of(u, part) if h > 0 else "0", (xi, h if h > 0 else floor), textcoords="offset points",
                        xytext=(0, 3), ha="center", va="bottom", fontsize=10, rotation=90 if len(drawn) > 3 else 0)
    ax.set_yscale("log")
    ax.set_ylim(floor, max(positive) * (100 if len(drawn) > 4 else 40))  # room above for labels and legend
    ax.set_xticks(x)
    ax.set_xticklabels(names)
    ax.legend(loc="upper left", ncol=min(len(drawn), 4), fontsize=11, frameon=True)
    return zero


def plot_hardware(m, results, out_dir, length=None):
    np, plt = m["numpy"], m["plt"]
    units = latency_variants(results)
    lengths = sorted({L for pairs in units.values() for _, v in pairs for L in v.lengths})
    table = unit_figures(np, units, lengths)
    if not table:
        raise InputError(f"{results.path}: no SC evaluation with ledger entries (runs/*/ledger/entries and "
                         "evaluation/sc[/<variant>]) for the hardware plot")
    chosen = length if length is not None else max(lengths)
    if chosen not in lengths:
        raise InputError(f"{results.path}: --length {chosen} was not evaluated (lengths: {lengths})")
    names = [u for u in table if chosen in table[u]]
    at = {u: table[u][chosen] for u in names}
    ns_counts = sorted({f["n"] for rows in table.values() for f in rows.values()})
    fig, axes = plt.subplots(1, 3, figsize=(24, 8.5), gridspec_kw={"width_ratios": [1, 1.25, 1.45]})
    palette = plt.get_cmap("tab10").colors

    ax = axes[0]
    for i, unit in enumerate(table):
        ls = sorted(table[unit])
        acc = [table[unit][L]["accuracy"] for L in ls]
        err = [table[unit][L]["accuracy std"] for L in ls]
        # Units with the same function give the same accuracy: dodge and vary the line so none hides.
        dodge = (i - (len(table) - 1) / 2) * 0.01 * ((max(lengths) - min(lengths)) or 100)
        ax.errorbar(np.array(ls, dtype=float) + dodge, acc, yerr=err if ns_counts != [1] else None,
                    marker="osD^v"[i % 5], markersize=9, capsize=4, color=palette[i % 10], linewidth=2,
                    linestyle=("-", "--", ":", "-.")[i % 4], label=unit)
    ax.set_xlabel("SC stream length L [bits]")
    ax.set_ylabel("SC test accuracy [%]")
    ax.set_title("accuracy per length" + ("" if ns_counts == [1] else " (mean ± sample std over runs)"))
    ax.set_xticks(lengths)
    ax.legend(frameon=False)

    latency_parts = [p for p, _ in LATENCY_PARTS] + ["total"]
    latency_ns = {u: {p: at[u][p + " s"] * 1e9 for p in latency_parts} for u in names}

    def latency_text(u, p):
        # Streaming counts bit clocks, counting and activation logic clocks: the total is in ns only.
        if p == "total":
            return f"{short_number(latency_ns[u][p])} ns"
        text = f"{short_number(latency_ns[u][p])} ns\n{short_number(at[u][p + ' cycles'])} cyc"
        if p == "activation" and at[u]["activation busy cycles"] > at[u][p + " cycles"]:
            text += f"\n(busy {short_number(at[u]['activation busy cycles'])})"
        return text

    zero_latency = bars_on_log_axis(axes[1], np, names, latency_parts, latency_ns, latency_text, "ns")
    axes[1].set_ylabel("latency per inference [ns] (log)")
    missing_count = any(not at[u]["counting recorded"] for u in names)
    axes[1].set_title(f"latency per inference at L={chosen}: streaming + counting + activation" +
                      ("\n(counting not recorded in this file)" if missing_count else "") +
                      (f"\n0: {', '.join(zero_latency)}" if zero_latency else ""))

    energy_parts = [p for p, _ in ENERGY_PARTS] + ["total"]
    energy_nj = {u: {p: at[u][p + " J"] * 1e9 for p in energy_parts} for u in names}
    zero_energy = bars_on_log_axis(axes[2], np, names, energy_parts, energy_nj,
                                   lambda u, p: f"{short_number(energy_nj[u][p])} nJ", "nJ")
    axes[2].set_ylabel("energy per inference [nJ] (log)")
    axes[2].set_title(f"energy per inference at L={chosen}, by part" +
                      (f"\n0 J (not priced): {', '.join(zero_energy)}" if zero_energy else ""))
    n_text = "one run per unit" if ns_counts == [1] else f"n = {'/'.join(map(str, ns_counts))} runs per unit"
    fig.suptitle(f"Activation units side by side, from the ledger ({n_text}; 'cyc': cycles of the bit clock "
                 f"(streaming) or the logic clock; 'busy': the activation's working cycles summed over the neurons, an FSM's in "
                 f"step with the stream)"
                 f"\n{subtitle(results)}")
    fig.tight_layout()
    return [save(plt, fig, out_dir, results, "hardware"), hardware_table(results, out_dir, table)]


def hardware_table(results, out_dir, table):
    """The numbers of every unit and length as a markdown table (<name>_hardware.md)."""
    lines = [f"Activation units of {results.name} ({os.path.basename(results.path)}), per inference, from the "
             "ledger: latency in clock cycles (streaming: bit clocks; counting and activation: logic clocks) "
             "and in ns (streaming + counting + activation = total; busy: the activation's working cycles "
             "summed over the neurons, an FSM's in step with the stream), energy in nJ by part.", "",
             "| unit | L (bits) | accuracy (%) | streaming (cycles) | counting (cycles) | activation (cycles) | "
             "busy (cycles) | total (ns) | device bits (nJ) | DAC levels (nJ) | gates (nJ) | "
             "counters (nJ) | activation (nJ) | total (nJ) |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for unit, rows in table.items():
        for L, f in rows.items():
            cells = [unit, str(L), f"{f['accuracy']:.2f}"]
            cells += [f"{f[p + ' cycles']:.0f}" for p in ("streaming", "counting", "activation")]
            cells += [f"{f['activation busy cycles']:.0f}", f"{f['total s'] * 1e9:.4g}"]
            cells += [f"{f[p + ' J'] * 1e9:.4g}" for p, _ in ENERGY_PARTS] + [f"{f['total J'] * 1e9:.4g}"]
            lines.append("| " + " | ".join(cells) + " |")
    path = os.path.join(out_dir, f"{results.name}_hardware.md")
    with open(path, "w") as out:
        out.write("\n".join(lines) + "\n")
    return path
