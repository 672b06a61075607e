"""characterization: one PNG per device characterization run (task device_characterization):
P(1) measured against requested and against the control value, autocorrelation against lag,
run-length (dwell) histograms and energy per bit against level. Reads only the datasets the task
writes under /runs/NNNNNN/device/ (docs/devices.md)."""
import os

import matplotlib.pyplot as plt
import numpy as np

from .results import InputError


def plot_run(name, group, out_dir):
    d = group["device"]
    plugin = d.attrs.get("plugin", "device")
    if isinstance(plugin, bytes):
        plugin = plugin.decode()
    p = d["probability_requested"][:]
    p1 = d["p1_measured"][:]
    se = d["p1_standard_error"][:]
    control = d["control"][:]
    control_unit = d["control"].attrs.get("units", "")
    fig, ax = plt.subplots(2, 2, figsize=(12, 9.5))
    fig.suptitle(f"run {name}: {plugin}, {len(p)} levels, {d.attrs.get('n_bits', '?')} bits x {d.attrs.get('n_streams', '?')} streams")

    a = ax[0, 0]
    handles = [a.errorbar(p, p1, yerr=se, fmt="o", label="measured ± SE (bottom axis)")]
    handles += a.plot([0, 1], [0, 1], "k:", label="ideal: measured = requested")
    a.set_xlabel("requested P(1)")
    a.set_ylabel("measured P(1)")
    if np.all(np.isfinite(control)):
        b = a.twiny()
        handles += b.plot(control, p1, "x", color="C1", alpha=0.8, markersize=8,
                          label="measured (top axis: control)")
        b.set_xlabel(f"control [{control_unit}]")
    # One legend for both axes: every kind of marker says what it is.
    a.legend(handles=handles, loc="lower right", fontsize="small")

    a = ax[0, 1]
    acf = d["autocorrelation"][:]
    lags = np.arange(1, acf.shape[1] + 1)
    for k in range(acf.shape[0]):
        if np.all(np.isfinite(acf[k])):
            a.plot(lags, acf[k], marker=".", label=f"p={p[k]:.2f}")
    a.axhline(0, color="k", lw=0.5)
    a.set_xlabel("lag [bits]")
    a.set_ylabel("autocorrelation")
    a.legend(fontsize="small", ncol=2)

    a = ax[1, 0]
    ones = d["dwell_histogram_ones"][:]
    zeros = d["dwell_histogram_zeros"][:]
    bins = np.arange(1, ones.shape[1] + 1)
    middle = len(p) // 2
    # An empty bin has no count to draw on a log axis: it is left out (a gap), not drawn at a value.
    for counts, marker, what in ((ones[middle], "o-", "runs of 1"), (zeros[middle], "s-", "runs of 0")):
        drawn = np.where(counts > 0, counts.astype(float), np.nan)
        a.semilogy(bins, drawn, marker, label=f"{what}, p={p[middle]:.2f}")
    empty = int(np.sum((ones[middle] == 0) & (zeros[middle] == 0)))
    a.set_xlabel("run length [bits] (last bin: longer)")
    if empty:
        a.set_title(f"{empty} empty bins not drawn", fontsize="small")
    a.set_ylabel("count")
    a.legend(fontsize="small")

    a = ax[1, 1]
    energy = d["energy_per_bit_J"][:]
    a.plot(d["bipolar_level"][:], energy * 1e15, "o-")
    a.set_xlabel("bipolar level x = 2p - 1")
    a.set_ylabel("energy per bit [fJ]")
    scc = d["scc"][:]
    a.set_title(f"mean |SCC| of two devices: {np.nanmean(np.abs(scc)):.3f}", fontsize="small")

    fig.tight_layout()
    path = os.path.join(out_dir, f"characterization_{name}_{plugin.replace('.', '_')}_{len(p)}levels.png")
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def plot_device_characterization(m, results, out_dir):
    if not results.characterization_runs:
        raise InputError(f"{results.path}: no device characterization runs (runs/*/device/p1_measured)")
    return [plot_run(name, group, out_dir) for name, group in results.characterization_runs]
