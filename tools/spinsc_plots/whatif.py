"""whatif: accuracy, energy and latency per inference per device variant, as grouped bars."""
from collections import OrderedDict

from .results import REPLICA_KEYS, InputError
from .style import describe_extra, mean_std, save, short_number, subtitle


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
        top = 0.0
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
                if np.isfinite(mean):
                    top = max(top, mean + std)
            bars = ax.bar(x + (j - (len(lengths) - 1) / 2) * width, means, width,
                          yerr=errs if any(e > 0 for e in errs) else None, capsize=3,
                          color=palette(0.15 + 0.7 * j / max(len(lengths) - 1, 1)), edgecolor="black", linewidth=0.5,
                          label=f"L={L}")
            if len(groups) * len(lengths) <= 24:
                for b, mean, err in zip(bars, means, errs):
                    if np.isfinite(mean):  # above the error bar, not across it
                        ax.annotate(short_number(mean), (b.get_x() + b.get_width() / 2, mean + err),
                                    textcoords="offset points", xytext=(0, 3), ha="center", fontsize=10)
        ax.set_xticks(x)
        ax.set_xticklabels(list(groups), fontsize=11)
        ax.set_ylabel(ylabel)
        ax.set_title(title)
        # Bars start at 0 (a bar's height is its value); room above for the labels.
        ax.set_ylim(0, min(100, top * 1.12) if key == "acc" else (top * 1.12 if top > 0 else 1))
    axes[0].legend(title="stream length", frameon=True, loc="upper left", bbox_to_anchor=(1.005, 1.0))
    n_seeds = sorted({len(d["acc"]) for g in groups.values() for d in g.values()})
    n_text = ("one seed per bar, no error bars" if n_seeds == [1] else
              f"n = {'/'.join(map(str, n_seeds))} seeds per bar, error bar = sample std")
    fig.suptitle(f"Device what-if: accuracy, energy and latency per inference per device variant "
                 f"({n_text})\n{subtitle(results)}")
    fig.tight_layout()
    return [save(plt, fig, out_dir, results, "whatif")]
