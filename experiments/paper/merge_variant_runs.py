#!/usr/bin/python3
"""Merge single-run spinsc results files (one per variant) into one results file for plotting.

  merge_variant_runs.py OUT.h5 IN1.h5 IN2.h5 ...

device_whatif.sh and sng_mondal.sh run one experiment file once per variant (command-line
overrides), because single-point runs of one seed train the same network while the points of a
[sweep] do not (their random streams are keyed by the run index). `spinsc plot` and
studies_report.py want the variants side by side in one file: this copies each input's run
(runs/000000) to runs/<k> of OUT, records the input's command-line overrides as the run's swept
keys (so `spinsc plot --kind whatif` labels the bars), and rebuilds /summary.

OUT is a derived file: its /config is the first input's, its root attribute `merged_from` lists the
inputs, and `spinsc run` will not resume it (it is not the output of one experiment). The inputs
stay the record of what ran.
"""
import sys

import h5py
import numpy as np

def overrides(f):
    if "config/overrides" not in f:
        return []
    out = []
    for item in f["config/overrides"].asstr()[()]:
        key, _, value = item.partition("=")
        out.append((key.lstrip("-"), value))
    return out


def number_or_text(value):
    try:
        return float(value) if any(c in value for c in ".eE") else int(value)
    except ValueError:
        return value


def main(argv):
    if len(argv) < 3 or argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0 if len(argv) > 1 and argv[1] in ("-h", "--help") else 2
    out_path, inputs = argv[1], argv[2:]
    # Keys that differ between the inputs are the variant axes (common overrides are not).
    per_input = [dict(overrides(h5py.File(p, "r"))) for p in inputs]
    keys = []
    for d in per_input:
        for k in d:
            if k not in keys and len({str(e.get(k)) for e in per_input}) > 1:
                keys.append(k)
    with h5py.File(out_path, "w") as out:
        columns, values, units = ["run_index", "status", "wall_time_s"] + keys, {}, {}
        for k, path in enumerate(inputs):
            with h5py.File(path, "r") as f:
                if k == 0:
                    for name, value in f.attrs.items():
                        out.attrs[name] = value
                    f.copy("config", out)
                    if "provenance" in f:
                        f.copy("provenance", out)
                runs = [r for r in f["runs"]]
                if len(runs) != 1:
                    raise SystemExit(f"{path}: expected one run, found {len(runs)}")
                name = "runs/%06d" % k
                f.copy("runs/" + runs[0], out, name=name)
                run = out[name]
                run.attrs["run_index"] = np.int64(k)
                run.attrs["swept_keys"] = np.array(keys, dtype=h5py.string_dtype())
                run.attrs["merged_from"] = path
                for key in keys:
                    value = per_input[k].get(key)
                    if value is None:  # the experiment file's own value
                        value = dict(f["config/effective"].asstr()[()]).get(key, "")
                    run.attrs[key] = number_or_text(value)
                row = {"run_index": k, "status": run.attrs["status"], "wall_time_s": run.attrs["wall_time_s"]}
                row.update({key: run.attrs[key] for key in keys})
                for c, v, u in zip(run.attrs.get("summary_columns", []), run.attrs.get("summary_values", []),
                                   run.attrs.get("summary_units", [])):
                    if c not in columns:
                        columns.append(c)
                    units[c] = u
                    row[c] = v
                values[k] = row
        out.attrs["experiment_name"] = out.attrs.get("experiment_name", "") + "_merged"
        out.attrs["merged_from"] = np.array(inputs, dtype=h5py.string_dtype())
        s = out.create_group("summary")
        for c in columns:
            col = [values[k].get(c, np.nan) for k in sorted(values)]
            if all(isinstance(v, (int, float, np.integer, np.floating)) for v in col):
                ds = s.create_dataset(c, data=np.array(col, dtype=float if c != "run_index" else np.int64))
            else:
                ds = s.create_dataset(c, data=np.array([str(v) for v in col], dtype=h5py.string_dtype()))
            ds.attrs["units"] = units.get(c, "s" if c == "wall_time_s" else "")
        s.attrs["columns"] = np.array(columns, dtype=h5py.string_dtype())
        s.attrs["swept_columns"] = np.array(keys, dtype=h5py.string_dtype())
        s.attrs["n_runs"] = np.int64(len(inputs))
    print(out_path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
