"""Helpers shared by the plot kinds: statistics over seeds, labels, titles, saving a figure."""
import os

from .results import text


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
