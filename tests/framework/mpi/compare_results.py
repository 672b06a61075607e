#!/usr/bin/env python3
"""Compares two spinsc results files run by run (docs/results-format.md): every dataset and
attribute of every run (its network included, through the links) and every /summary column must
be equal bit for bit, except timings (wall and training times, start and end times).

Usage: compare_results.py A.h5 B.h5 N_RUNS N_TRAININGS [--resumed]
With --resumed, B was resumed after a crash: a run of it may have read its training back from the
file instead of training (docs/results-format.md), so training histories (training/) and the
count of trainings are not compared; everything evaluated is.
Exits non-zero naming the first difference."""
import re
import sys

import h5py
import numpy as np

TIMING = re.compile(r"(^|/|_)(wall_time_s|train_time_s|epoch_time_s|solver_time_s|started_utc|finished_utc)$")


def same(a, b):
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype.kind == "f" and b.dtype.kind == "f":  # bit for bit, NaN too
        return a.shape == b.shape and a.tobytes() == b.tobytes()
    return a.shape == b.shape and np.array_equal(a, b)


def objects(group):
    """Every dataset and group below `group` by path, following the 'network' link."""
    found = {"": group}
    group.visititems(lambda name, obj: found.__setitem__(name, obj))
    if "network" in group and "network" not in found:
        found["network"] = group["network"]
        group["network"].visititems(lambda name, obj: found.__setitem__("network/" + name, obj))
    return found


def summary_values(group):
    columns = [str(c) for c in group.attrs.get("summary_columns", [])]
    return {c: v for c, v in zip(columns, group.attrs.get("summary_values", [])) if not TIMING.search(c)}


def compare_runs(a, b, name, resumed):
    oa, ob = objects(a), objects(b)
    if resumed:
        oa = {p: o for p, o in oa.items() if p != "training" and not p.startswith("training/")}
        ob = {p: o for p, o in ob.items() if p != "training" and not p.startswith("training/")}
    if sorted(oa) != sorted(ob):
        sys.exit(f"{name}: objects differ: {sorted(set(oa) ^ set(ob))}")
    for path, obj in oa.items():
        other = ob[path]
        if isinstance(obj, h5py.Dataset) and not TIMING.search(path):
            if not same(obj[()], other[()]):
                sys.exit(f"{name}/{path}: values differ")
        keys = sorted(set(obj.attrs) | set(other.attrs))
        for key in keys:
            if TIMING.search(key) or key == "summary_values":
                continue
            if key not in obj.attrs or key not in other.attrs or not same(obj.attrs[key], other.attrs[key]):
                sys.exit(f"{name}/{path}: attribute {key} differs")
    if summary_values(a) != summary_values(b):
        sys.exit(f"{name}: summary values differ")


path_a, path_b, n_runs, n_trainings = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
resumed = "--resumed" in sys.argv[5:]
with h5py.File(path_a, "r") as fa, h5py.File(path_b, "r") as fb:
    runs = sorted(fa["runs"])
    if runs != sorted(fb["runs"]) or len(runs) != n_runs:
        sys.exit(f"runs differ: {runs} against {sorted(fb['runs'])}")
    for name in runs:
        if fa["runs"][name].attrs["status"] != "complete":
            sys.exit(f"{path_a}: run {name} is not complete")
        compare_runs(fa["runs"][name], fb["runs"][name], "runs/" + name, resumed)
    for column in fa["summary"].attrs["columns"]:
        if not TIMING.search(column) and not same(fa["summary"][column][()], fb["summary"][column][()]):
            sys.exit(f"summary/{column} differs")
    for f, path in ((fa, path_a),) if resumed else ((fa, path_a), (fb, path_b)):
        trained = sum(int(f["runs"][n]["training"].attrs["trained_in_this_run"]) for n in runs)
        if trained != n_trainings or len(f["networks"]) != n_trainings:
            sys.exit(f"{path}: {trained} trainings and {len(f['networks'])} stored networks, not {n_trainings}")
print(f"{path_a} and {path_b}: {len(runs)} runs identical (timings excepted{', training histories of B not compared' if resumed else ''})")
