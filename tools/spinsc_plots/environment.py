"""The Python modules the plots need, imported once with a clear message when one is missing."""
import sys


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
