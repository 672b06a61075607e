"""The kinds of plot, which of them a results file has the data for, and drawing one by name."""
from . import characterization, energy, figure6, hardware, latency, whatif


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
            kinds.append("hardware")  # the units side by side (latency shows only their own latency)
        device_keys = whatif.whatif_device_keys(results)
        labels = {whatif.device_label(r, v, device_keys) for r in sc_runs for v in r.variants}
        if len(labels) >= 2:
            kinds.append("whatif")
    return kinds


def draw(kind, m, results, out_dir, args):
    """Draws one kind; returns the paths of the files written."""
    if kind == "figure6":
        return figure6.plot_figure6(m, results, out_dir, not args.no_paper_points)
    if kind == "energy":
        return energy.plot_energy(m, results, out_dir, args.length)
    if kind == "latency":
        return latency.plot_latency(m, results, out_dir, args.length)
    if kind == "hardware":
        return hardware.plot_hardware(m, results, out_dir, args.length)
    if kind == "whatif":
        return whatif.plot_whatif(m, results, out_dir)
    if kind == "characterization":
        return characterization.plot_device_characterization(m, results, out_dir)
    raise ValueError(f"unknown kind of plot {kind!r}")
