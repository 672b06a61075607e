"""The plots of a spinsc results file, one module per kind of plot (docs/plotting.md).

tools/plot_results.py is the command line (what `spinsc plot` runs); kinds.py says which kinds
exist, which a file has the data for, and draws one. Modules other than environment.py import
numpy and matplotlib: import them after environment.import_modules() has checked they exist.
"""

KINDS = ("figure6", "energy", "hardware", "latency", "whatif", "characterization")
