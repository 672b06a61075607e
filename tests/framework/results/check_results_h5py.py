#!/usr/bin/env python3
"""Requirement 6 (issue 2): h5py reads a spinsc results file without help.

Usage: check_results_h5py.py RESULTS.h5 N_RUNS
Exits non-zero (with the failed assertion) if anything is not as docs/results-format.md says.
"""
import math
import sys

import h5py
import numpy as np

path, n_runs = sys.argv[1], int(sys.argv[2])
with h5py.File(path, "r") as f:
    # Root attributes are plain str / int.
    assert f.attrs["format"] == "spinsc-results", f.attrs["format"]
    assert isinstance(f.attrs["git_revision"], str)
    assert isinstance(f.attrs["created_utc"], str) and f.attrs["created_utc"].endswith("Z")
    assert int(f.attrs["plugin_abi"]) >= 1

    # Every dataset has a str `units` attribute.
    datasets = []
    f.visititems(lambda name, obj: datasets.append(name) if isinstance(obj, h5py.Dataset) else None)
    assert len(datasets) > 10, datasets
    for name in datasets:
        assert "units" in f[name].attrs, name
        assert isinstance(f[name].attrs["units"], str), (name, type(f[name].attrs["units"]))

    # The runs are files of their own, linked from the index: h5py follows the links, and every
    # dataset of every run (its network included) has units too.
    assert len(f["runs"]) == n_runs, list(f["runs"])
    assert isinstance(f.get("runs/000000", getlink=True), h5py.ExternalLink)
    for name, run in f["runs"].items():
        run_datasets = []
        run.visititems(lambda sub, obj: run_datasets.append(sub) if isinstance(obj, h5py.Dataset) else None)
        assert "training/loss" in run_datasets, (name, run_datasets)
        for sub in run_datasets:
            assert isinstance(run[sub].attrs["units"], str), (name, sub)
        assert list(run["network/layers"][()]) == [3, 2], name
        assert run["network/layer1/weights"].shape == (2, 3), name
        assert int(run["network"].attrs["levels"]) == 3
    # The trained network is stored once and every run that evaluated it refers to it.
    assert list(f["networks"]) == ["00000000000000a1"], list(f["networks"])
    assert (f["networks/00000000000000a1/layer1/weights"][()] == f["runs/000003/network/layer1/weights"][()]).all()
    assert f["runs/000001/network"].file.filename == f["networks/00000000000000a1"].file.filename

    # Text datasets are UTF-8 strings: h5py knows it, .asstr() gives str.
    experiment = f["config/experiment"]
    assert h5py.check_string_dtype(experiment.dtype).encoding == "utf-8"
    assert isinstance(experiment.asstr()[()], str) and "seed = 7" in experiment.asstr()[()]
    effective = dict(f["config/effective"].asstr()[()])
    assert effective["seed"] == "7", effective
    assert list(f["config/overrides"].asstr()[()]) == ["device.bernoulli.p=0.5"]

    # Provenance.
    prov = f["provenance"]
    assert int(prov.attrs["seed"]) == 7
    assert isinstance(prov.attrs["started_utc"], str)
    assert prov["plugins/device.bernoulli"].attrs["version"] == "1.0.0"

    # /summary: equal-length columns in the order of attrs["columns"], each with units.
    s = f["summary"]
    columns = list(s.attrs["columns"])
    assert columns[:6] == ["run_index", "status", "run_seed", "wall_time_s", "run_id", "training_id"], columns
    assert list(s) == columns, (list(s), columns)  # h5py lists them in the same order
    for c in columns:
        assert s[c].shape == (n_runs,), (c, s[c].shape)
    assert list(s["run_index"][()]) == list(range(n_runs))
    assert s["run_index"].dtype == np.int64
    status = list(s["status"].asstr()[()])
    assert status[0] == "complete", status
    assert s["accuracy_sc"].attrs["units"] == "%"
    assert s["accuracy_sc"].dtype == np.float64
    assert s["accuracy_sc"][0] == 90.0
    assert list(s["device.bernoulli.p"][()][:2]) == [0.25, 0.5]
    table = {c: (s[c].asstr()[()] if h5py.check_string_dtype(s[c].dtype) else s[c][()]) for c in columns}
    assert len(table["status"]) == n_runs

    # A run group: attributes are str / numbers; datasets read as numpy arrays with shapes.
    run = f["runs/000001"]
    assert run.attrs["status"] == "complete"
    assert run.attrs["note"] == "run 1"
    assert float(run.attrs["device.bernoulli.p"]) == 0.5
    assert list(run.attrs["swept_keys"]) == ["device.bernoulli.p", "repeat"]
    assert run["evaluation/sc/accuracy"].shape == (2, 3)
    assert run["evaluation/sc/accuracy"].attrs["units"] == "%"
    assert run["evaluation/sc/accuracy"].attrs["bitstream_length"] == 400
    assert math.isclose(run["ledger/energy_total"][()], 5e-9)
    assert list(run["evaluation/modes"].asstr()[()]) == ["float", "quantized", "sc \u00b5"]
    assert run["device/counts"].dtype == np.int64

    # Copying a run elsewhere works (HDF5 1.10 crashed on this with "dense" string attributes).
    with h5py.File("copy-in-memory.h5", "w", driver="core", backing_store=False) as g:
        f.copy(run, g, name="run")
        assert g["run"].attrs["status"] == "complete"
        assert g["run/training/loss"].shape == (3,)
print("h5py read", path, "with", len(datasets), "datasets: ok")
