#!/usr/bin/python3
"""Markdown tables of the paper studies 2-5 (energy, latency, SNG, device what-if) from their
results files (HDF5, docs/results-format.md).

Every energy and latency figure printed here is read from the runs' ledgers
(runs/*/ledger/entries) and evaluation records; nothing is typed in except the papers' values
quoted beside ours for comparison.

  studies_report.py energy  results/paper/energy_shao.h5
  studies_report.py latency results/paper/activation_latency.h5
  studies_report.py sng     results/paper/sng_mondal.h5 results/paper/sng_mondal_table1.h5
  studies_report.py whatif  results/paper/device_whatif.h5

Use Debian's /usr/bin/python3 (h5py, numpy).
"""
import math
import sys

import h5py
import numpy as np


def text(ds):
    return [s for s in ds.asstr()[()]]


def config(f):
    return dict(f["config/effective"].asstr()[()])


def runs(f):
    return [f["runs"][k] for k in sorted(f["runs"].keys()) if f["runs"][k].attrs["status"] == "complete"]


def ledger(run):
    """Ledger entries of a run as a list of dicts."""
    e = run["ledger/entries"]
    comp, layer, event = text(e["component"]), text(e["layer"]), text(e["event"])
    n, energy, latency, cycles = e["events"][()], e["energy_J"][()], e["latency_s"][()], e["cycles"][()]
    return [dict(component=comp[i], layer=layer[i], event=event[i], events=int(n[i]), energy_J=energy[i],
                 latency_s=latency[i], cycles=cycles[i]) for i in range(len(comp))]


def sc_group(run, variant=""):
    return run["evaluation/sc" + ("/" + variant if variant else "")]


def per_length(entries, length, variant=""):
    prefix = (variant + "/" if variant else "") + "L%d/" % length
    return [dict(e, layer=e["layer"][len(prefix):]) for e in entries if e["layer"].startswith(prefix)]


def samples(run, length, variant=""):
    return int(sc_group(run, variant)["L%d/n_samples" % length][()])


def stream_latency_s(entries):
    """Latency of one inference's streams: L clocks per layer at the device's bit period."""
    return sum(e["latency_s"] for e in entries if e["event"] == "stream_clocks")


def se_accuracy(acc_percent, n):
    p = acc_percent / 100.0
    return 100.0 * math.sqrt(max(p * (1 - p), 1e-12) / n)


def wall(f):
    return float(np.sum(f["summary/wall_time_s"][()]))


# --- study 2 ------------------------------------------------------------------------------------
def energy(path):
    f = h5py.File(path, "r")
    cfg = config(f)
    layers = [int(x) for x in cfg["network.layers"].split(",")]
    print("## Study 2: bitstream-generation energy per inference (%s, %s)\n" % (cfg["device.plugin"], path))
    designs = {}
    for run in runs(f):
        q = int(run.attrs["network.levels"]) if "network.levels" in run.attrs else int(cfg["network.levels"])
        g = sc_group(run)
        lengths = [int(x) for x in g["lengths"][()]]
        designs[q] = dict(run=run, lengths=lengths, acc=g["accuracy"][()], dev=g["device_energy_per_inference_J"][()],
                          bits=g["bits_per_inference"][()], quant=float(run["evaluation/quantized/accuracy"][()]),
                          entries=ledger(run))
    print("| Q (levels) | quantized acc. (no SC) | " + " | ".join("L=%d acc. / device energy" % L for L in designs[max(designs)]["lengths"]) + " |")
    print("|---|---|" + "---|" * len(designs[max(designs)]["lengths"]))
    for q in sorted(designs, reverse=True):
        d = designs[q]
        n = samples(d["run"], d["lengths"][0])
        cells = ["%.2f %% / %.0f nJ" % (a, e * 1e9) for a, e in zip(d["acc"], d["dev"])]
        print("| %d | %.2f %% | %s |" % (q, d["quant"], " | ".join(cells)))
    print("\n(SC accuracy on %d test images: standard error about %.2f points near 95 %%.)\n" % (n, se_accuracy(95, n)))

    # Mean energy per bit and the breakdown per layer / event, from the ledger.
    print("Ledger breakdown per inference (device bits: input streams n_in x L and weight streams n_in x n_out x L "
          "per layer; gates, counters and activation are priced at 0 J, the papers give no figure):\n")
    print("| Q | L | layer | bits (input + weight) | device energy | mean fJ/bit | gate ops | counter ops | activation ops |")
    print("|---|---|---|---|---|---|---|---|---|")
    for q in sorted(designs, reverse=True):
        d = designs[q]
        for L in (d["lengths"][-1],) if q > 11 else [x for x in d["lengths"] if x in (400, 500)]:
            ent = per_length(d["entries"], L)
            n = samples(d["run"], L)
            for li in range(1, len(layers)):
                lay = "layer%d" % li
                bits = sum(e["events"] for e in ent if e["layer"] == lay and e["event"] == "bits_generated") / n
                en = sum(e["energy_J"] for e in ent if e["layer"] == lay and e["event"] == "bits_generated") / n
                gates = sum(e["events"] for e in ent if e["layer"] == lay and e["event"] == "gate_ops") / n
                counters = sum(e["events"] for e in ent if e["layer"] == lay and e["event"] == "counter_ops") / n
                act = sum(e["events"] for e in ent if e["layer"] == lay and e["event"] == "activation_ops") / n
                n_in, n_out = layers[li - 1], layers[li]
                assert abs(bits - (n_in + n_in * n_out) * L) < 0.5, (bits, n_in, n_out, L)
                print("| %d | %d | %s | %d + %d | %.1f nJ | %.2f | %.0f | %.0f | %.0f |" % (
                    q, L, lay, n_in * L, n_in * n_out * L, en * 1e9, en / bits * 1e15, gates, counters, act))
    # The device's energy per bit against the level (telegraph: linear in the delivered P(AP)).
    print()
    a = designs[max(designs)]
    L = a["lengths"][-1]
    i_a = a["lengths"].index(L)
    E_a = a["dev"][i_a]
    print("Analog design (Q = %d) at L = %d: %.2f %% SC accuracy, %.0f nJ per inference, %.2f fJ per bit on average.\n"
          % (max(designs), L, a["acc"][i_a], E_a * 1e9, E_a / a["bits"][i_a] * 1e15))
    print("| quantized design | matched L (first L with accuracy >= the analog's at %d) | its accuracy | its energy | ratio analog / quantized | ratio at the paper's pairing (L = 400) |" % L)
    print("|---|---|---|---|---|---|")
    for q in sorted(designs):
        if q == max(designs):
            continue
        d = designs[q]
        match = next((i for i, acc in enumerate(d["acc"]) if acc >= a["acc"][i_a] and d["lengths"][i] < L), None)
        i400 = d["lengths"].index(400) if 400 in d["lengths"] else None
        r400 = "%.2f (%.0f nJ, %.2f %%)" % (E_a / d["dev"][i400], d["dev"][i400] * 1e9, d["acc"][i400]) if i400 is not None else "-"
        if match is None:
            best = int(np.argmax(d["acc"][:-1])) if len(d["acc"]) > 1 else 0
            print("| Q = %d | none below %d (best %.2f %% at L = %d) | - | - | - | %s |" % (q, L, d["acc"][best], d["lengths"][best], r400))
        else:
            print("| Q = %d | %d | %.2f %% | %.0f nJ | %.2f | %s |" % (q, d["lengths"][match], d["acc"][match],
                                                                 d["dev"][match] * 1e9, E_a / d["dev"][match], r400))
    # The paper's own criterion: Shao et al. report 95 % at 1024 bits; the quantized design is taken
    # at the length where it reaches that accuracy. Every design, the analog one included.
    print("\nAgainst Shao et al.'s reported 95 %% (the paper's criterion): first L with SC accuracy >= 95 %%, energy "
          "ratio = analog design at %d bits (ledger, %.0f nJ) / this design at that L:\n" % (L, E_a * 1e9))
    print("| design | first L >= 95 % | accuracy there | device energy there | ratio |")
    print("|---|---|---|---|---|")
    for q in sorted(designs, reverse=True):
        d = designs[q]
        i95 = next((i for i, acc in enumerate(d["acc"]) if acc >= 95.0), None)
        if i95 is None:
            print("| Q = %d | none | - | - | - |" % q)
        else:
            print("| Q = %d | %d | %.2f %% | %.0f nJ | %.2f |" % (q, d["lengths"][i95], d["acc"][i95], d["dev"][i95] * 1e9,
                                                           E_a / d["dev"][i95]))
    print("\nMean device energy per bit (ledger energy / bits) at each L:\n")
    print("| Q | " + " | ".join("L=%d" % x for x in a["lengths"]) + " |")
    print("|---|" + "---|" * len(a["lengths"]))
    for q in sorted(designs, reverse=True):
        d = designs[q]
        print("| %d | %s |" % (q, " | ".join("%.3f fJ" % (e / b * 1e15) for e, b in zip(d["dev"], d["bits"]))))
    print("\nWall time of the runs: %.0f s (sum of runs/*/wall_time_s)\n" % wall(f))


# --- study 3 ------------------------------------------------------------------------------------
def latency(path):
    f = h5py.File(path, "r")
    cfg = config(f)
    print("## Study 3: activation latency (%s, %s)\n" % (cfg["device.plugin"], path))
    for run in runs(f):
        q = int(run.attrs["network.levels"]) if "network.levels" in run.attrs else int(cfg["network.levels"])
        sc = run["evaluation/sc"]
        variants = [k for k in sc.keys() if isinstance(sc[k], h5py.Group) and "lengths" in sc[k]]
        lengths = [int(x) for x in sc[variants[0]]["lengths"][()]]
        n = samples(run, lengths[0], variants[0])
        print("Q = %d (quantized accuracy without SC %.2f %%; SC on %d test images, SE about %.1f points):\n"
              % (q, float(run["evaluation/quantized/accuracy"][()]), n, se_accuracy(93, n)))
        print("| activation | latency (cycles per hidden layer, ledger) | busy cycles / inference | energy / inference (assumed 1 fJ/cycle) | " +
              " | ".join("acc. L=%d" % L for L in lengths) + " |")
        print("|---|---|---|---|" + "---|" * len(lengths))
        lat = {}
        entries = ledger(run)
        for v in variants:
            g = sc[v]
            # From the ledger itself: activation_latency cycles / inferences.
            ent = per_length(entries, lengths[-1], v)
            ev = [e for e in ent if e["event"] == "activation_latency"]
            cyc = sum(e["cycles"] for e in ev) / samples(run, lengths[-1], v)
            lat[v] = cyc
            print("| %s | %.0f | %s | %s | %s |" % (
                v, cyc, " / ".join("%.0f" % x for x in g["activation_busy_cycles_per_inference"][()][[0, -1]]),
                " / ".join("%.3g pJ" % (x * 1e12) for x in g["activation_energy_per_inference_J"][()][[0, -1]]),
                " | ".join("%.2f %%" % x for x in g["accuracy"][()])))
        if "sc.sigmoid32" in lat and "sc.lut_sigmoid" in lat:
            print("\nLatency ratio 32-bit sigmoid / LUT: %.2f (paper: 80 / 9 = 8.9, 'about 9x'). Busy/energy columns: at L = %d / %d.\n"
                  % (lat["sc.sigmoid32"] / lat["sc.lut_sigmoid"], lengths[0], lengths[-1]))
    print("Wall time of the runs: %.0f s\n" % wall(f))


# --- study 4 ------------------------------------------------------------------------------------
def sng(path, table1_path):
    print("## Study 4: Mondal & Srivastava MTJ-SNG, normal against BMS (%s, %s)\n" % (path, table1_path))
    t = h5py.File(table1_path, "r")
    print("| mode | time per bit (mean over uniform p) | energy per bit (mean over uniform p) | energy at p = 0.5 | paper (Table I) |")
    print("|---|---|---|---|---|")
    paper = {"normal": "9.73 ns, 0.59 pJ", "bms": "7.82 ns, 0.34 pJ"}
    for run in runs(t):
        mode = run.attrs["device.mtj_sng.mode"]
        p = run["device/probability_requested"][()]
        e = run["device/energy_per_bit_J"][()]
        tb = run["device/time_per_bit_s"][()]
        mid = int(np.argmin(abs(p - 0.5)))
        print("| %s | %.2f ns | %.3f pJ | %.3f pJ | %s |" % (mode, tb.mean() * 1e9, e.mean() * 1e12, e[mid] * 1e12, paper[mode]))
    print("\n(%d target probabilities from 0 to 1.) Per inference, from the ledger:" % len(p))
    f = h5py.File(path, "r")
    rows = []
    for run in runs(f):
        g = sc_group(run)
        lengths = [int(x) for x in g["lengths"][()]]
        ent = ledger(run)
        lat = [stream_latency_s(per_length(ent, L)) / samples(run, L) for L in lengths]
        rows.append((int(run.attrs["network.levels"]), str(run.attrs["device.mtj_sng.mode"]),
                     float(run["evaluation/quantized/accuracy"][()]), lengths, g["accuracy"][()],
                     g["device_energy_per_inference_J"][()], lat, float(run.attrs["wall_time_s"]),
                     g["bits_per_inference"][()], int(run["training"].attrs.get("trained_in_this_run", 1))))
    print("\n| Q | mode | quantized acc. | L | SC accuracy | device energy / inference | mean energy / bit | stream latency / inference |")
    print("|---|---|---|---|---|---|---|---|")
    for q, mode, qa, lengths, acc, en, lat, w, bits, _ in sorted(rows, key=lambda r: (r[0], r[1] != "normal")):
        for i, L in enumerate(lengths):
            print("| %d | %s | %.2f %% | %d | %.2f %% | %.1f nJ | %.3f pJ | %.2f us |" % (q, mode, qa, L, acc[i], en[i] * 1e9,
                                                                                  en[i] / bits[i] * 1e12, lat[i] * 1e6))
    by = {(r[0], r[1]): r for r in rows}
    print()
    for q in sorted({r[0] for r in rows}):
        if (q, "normal") in by and (q, "bms") in by:
            n, b = by[(q, "normal")], by[(q, "bms")]
            same = "same trained network" if n[2] == b[2] else "DIFFERENT trained networks"
            print("Q = %d: BMS / normal energy per inference %.3f, latency %.3f (%s: quantized accuracy %.2f / %.2f %%)."
                  % (q, b[5][-1] / n[5][-1], b[6][-1] / n[6][-1], same, n[2], b[2]))
    print("\nTrainings: %d for %d runs. Wall time: table1 %.0f s, network runs %.0f s\n"
          % (sum(r[9] for r in rows), len(rows), wall(t), wall(f)))


# --- study 5 ------------------------------------------------------------------------------------
def key_of(run):
    return int(run.attrs["run_index"])


def variant_names(f, complete):
    """A name per run (keyed by run_index: a run behind an external link is "/" of its own file), its device,
    then the swept keys that set it apart (not the stream lengths)."""
    swept = {}
    for run in complete:
        swept[key_of(run)] = {k: str(run.attrs[k]) for k in run.attrs["swept_keys"] if k not in ("repeat", "eval.lengths")}
    names = {}
    for run in complete:
        values = swept[key_of(run)]
        device = values.get("device.plugin", config(f).get("device.plugin", "?"))
        parts = [device.split(".", 1)[-1]]
        for key, value in values.items():
            if key == "device.plugin" or (key.startswith("device.") and not key.startswith(device + ".")):
                continue  # another device's key: not used by this run
            users = [swept[key_of(r)][key] for r in complete
                     if key in swept[key_of(r)] and (not key.startswith("device.") or
                                                  swept[key_of(r)].get("device.plugin") == device)]
            modal = max(set(users), key=users.count)
            if value != modal:
                parts.append("%s=%s" % (key.split(".")[-1], value))
        names[key_of(run)] = " ".join(parts)
    return names


def whatif(path):
    print("## Study 5: device what-if (%s)\n" % path)
    f = h5py.File(path, "r")
    cfg = config(f)
    complete = runs(f)
    names = variant_names(f, complete)
    all_lengths = []
    rows = []
    for run in complete:
        g = sc_group(run)
        lengths = [int(x) for x in g["lengths"][()]]
        all_lengths = sorted(set(all_lengths) | set(lengths))
        ent = ledger(run)
        lat = {L: stream_latency_s(per_length(ent, L)) / samples(run, L) + g["activation_latency_cycles"][()][i]
               * float(cfg["sc.clock_period_s"]) for i, L in enumerate(lengths)}
        rows.append(dict(name=names[key_of(run)], device=str(g.attrs["device"]),
                         quant=float(run["evaluation/quantized/accuracy"][()]),
                         acc=dict(zip(lengths, g["accuracy"][()])), energy=dict(zip(lengths, g["device_energy_per_inference_J"][()])),
                         lat=lat, wall=float(run.attrs["wall_time_s"]), n=samples(run, lengths[0]),
                         trained=int(run["training"].attrs.get("trained_in_this_run", 1))))
    print("| variant | device | quantized acc. | " + " | ".join("L=%d acc." % L for L in all_lengths) +
          " | energy / inference (L=100; L=%d) | latency / inference (L=100; L=%d) | wall time |" % (all_lengths[-1], all_lengths[-1]))
    print("|---|---|---|" + "---|" * len(all_lengths) + "---|---|---|")
    for r in rows:
        first, last = min(r["acc"]), all_lengths[-1]
        print("| %s | %s | %.2f %% | %s | %.1f; %s nJ | %.2f; %s us | %.0f s |" % (
            r["name"], r["device"], r["quant"], " | ".join("%.1f %%" % r["acc"][L] if L in r["acc"] else "-" for L in all_lengths),
            r["energy"][first] * 1e9 * 100 / first, "%.1f" % (r["energy"][last] * 1e9) if last in r["energy"] else "-",
            r["lat"][first] * 1e6 * 100 / first, "%.2f" % (r["lat"][last] * 1e6) if last in r["lat"] else "-", r["wall"]))
    quants = {round(r["quant"], 6) for r in rows}
    print("\nSC on %d test images (SE about %.1f points near 93 %%). Quantized accuracy of every variant: %s -> %s; "
          "%d training(s) for %d runs.\n" % (
              rows[0]["n"], se_accuracy(93, rows[0]["n"]), sorted(quants),
              "one trained network" if len(quants) == 1 else "NOT the same network", sum(r["trained"] for r in rows),
              len(rows)))
    print("Wall time of all runs: %.0f s\n" % sum(r["wall"] for r in rows))


if __name__ == "__main__":
    n_files = {"energy": 1, "latency": 1, "sng": 2, "whatif": 1}
    if len(sys.argv) < 2 or sys.argv[1] not in n_files or len(sys.argv) != 2 + n_files[sys.argv[1]]:
        print(__doc__)
        sys.exit(0 if len(sys.argv) > 1 and sys.argv[1] in ("-h", "--help") else 2)
    {"energy": energy, "latency": latency, "sng": sng, "whatif": whatif}[sys.argv[1]](*sys.argv[2:])
