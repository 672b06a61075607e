"""latency: activation latency per inference of each activation unit, with the accuracy each gives."""
from collections import OrderedDict, defaultdict

from .results import REPLICA_KEYS, InputError
from .style import describe_extra, mean_std, save, subtitle


def latency_variants(results):
    """Activation unit -> list of (run, variant), for runs with SC evaluation. Runs that differ in
    more than their seed (a swept device, Q, ...; the topology when the file has several) are
    other units: their latencies and energies are not averaged together."""
    runs = results.sc_runs()
    several_topologies = len({run.topology for run in runs}) > 1
    units = OrderedDict()
    for run in runs:
        others = run.extra_key(REPLICA_KEYS | {"eval.lengths", "network.layers"})
        for v in run.variants:
            name = (v.label or v.activation) + (", " + describe_extra(others) if others else "")
            if several_topologies:
                name += f", {run.topology}"
            units.setdefault(name, []).append((run, v))
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
    names, cycles, ns, acc, busy, acc_all = [], [], [], [], [], OrderedDict()
    for unit, vs in units.items():
        c_list, ns_list, a_list, b_list = [], [], [], []
        for run, v in vs:
            if chosen not in v.lengths:
                continue
            i = v.lengths.index(chosen)
            c_list.append(v.activation_latency_cycles[i])
            b_list.append(v.activation_busy_cycles[i])
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
        busy.append(float(np.mean(b_list)))
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
            # An FSM's latency after the stream is small, but it works every clock of it: say so.
            busy_text = f"\nbusy {busy[i]:.0f} cycles\n(summed over neurons)" \
                if unit_label == "cycles" and np.isfinite(busy[i]) and busy[i] > 10 * value else ""
            ax.annotate(f"{value:.4g} {unit_text}{ratio}{busy_text}\nacc. {a:.2f} %" +
                        (f" ± {s:.2f} (n={n})" if n > 1 else ""),
                        (b.get_x() + b.get_width() / 2, value), textcoords="offset points", xytext=(0, 5),
                        ha="center", fontsize=12)
        ax.set_ylim(0, top * 1.6)
        ax.set_xticks(x)
        ax.set_xticklabels(names, rotation=15)
        ax.set_ylabel(f"activation latency per inference [{unit_label}]")
        ax.set_title(f"activation latency after the stream [{unit_label}], accuracy at L={chosen}")
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
