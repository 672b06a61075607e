#!/usr/bin/python3
"""Tables IV/V-style summary of experiments/paper/mondal_approximation.ini results.

Usage: /usr/bin/python3 plugins/train_weight_approx/mondal_tables.py RESULTS.h5 [MORE.h5 ...] [--help]

Per network and phi: float and SC accuracy, device energy per inference (ledger, normal and BMS),
device power (energy per inference / (L x bit period of the mode)), savings against normal
generation without approximation, mean |w|, phi_Z, solver time. Markdown on stdout. The float
accuracy and mean |w| are those of the BMS run (each run trains its own network).

Two pricings side by side (docs/weight_approximation.md):
  per stream      the ledger's energies: every bit at the energy of its stream's level;
  paper's basis   the paper's Tables IV/V: BMS / normal = 62/80 per generator (device.mtj_sng
                  energy_pricing = per_generator, Table I's average powers), times the per-stream
                  BMS ratio P_BMS(phi) / P_BMS(none) for the approximation. Runs swept with
                  device.mtj_sng.constant_stream_switching_probability > 0 (a constant +-1 stream
                  priced as a generated one) are a third block, "constant streams priced".
Then the outputs beyond phi (per output value; "test images": images with any output beyond) on the
other training images, the test images and on the SC levels, and the phi_Z search steps.
"""
import sys

HELP = __doc__
# Bit periods of device.mtj_sng with the fixed schedule (Table I): every bit takes reset + longest
# write + read, so power = energy per inference / (L x period).
PERIOD_S = {"normal": 9.73e-9, "bms": 7.82e-9}
# Per-generator pricing (device.mtj_sng generator_power_bms_W / generator_power_normal_W defaults,
# Table I): the BMS / normal power ratio for any network.
GENERATOR_RATIO = 62e-6 / 80e-6


def main(argv):
    if len(argv) < 2 or "-h" in argv or "--help" in argv:
        print(HELP)
        return 0 if len(argv) >= 2 else 2
    try:
        import h5py
    except ImportError:
        print("needs h5py: run with /usr/bin/python3 (Debian python3-h5py)", file=sys.stderr)
        return 2
    rows = {}
    for path in argv[1:]:
        try:
            f = h5py.File(path, "r")
        except OSError as e:
            print(f"cannot read {path}: {e}", file=sys.stderr)
            return 2
        read_runs(f, rows)
    print_tables(rows)
    return 0


def read_runs(f, rows):
    for name, run in f["runs"].items():
        a = run.attrs
        if not str(a["status"]).startswith("complete"):
            print(f"run {name}: {a['status']}", file=sys.stderr)
            continue
        layers = str(a["network.layers"])
        phi = float(a["train.weight_approx.phi"])
        mode = str(a["device.mtj_sng.mode"])
        constant = float(a["device.mtj_sng.constant_stream_switching_probability"]) \
            if "device.mtj_sng.constant_stream_switching_probability" in a else 0.0
        if constant > 0:
            layers += " (constant streams priced as generated)"
        if str(a["device.mtj_sng.energy_pricing"]) == "per_generator" if "device.mtj_sng.energy_pricing" in a else False:
            layers += " (priced per generator)"
        summary = dict(zip([str(c) for c in a["summary_columns"]], a["summary_values"]))
        sc = run["evaluation/sc"]
        length = float(sc["lengths"][0])
        energy = float(sc["device_energy_per_inference_J"][0])
        get = lambda p: float(run[p][()].reshape(-1)[0]) if p in run else float("nan")
        rows[(layers, phi, mode)] = dict(
            float_acc=summary.get("float_accuracy", float("nan")),
            trained_acc=summary.get("trained_float_accuracy", float("nan")),
            sc_acc=float(sc["accuracy"][0]),
            energy=energy,
            power=energy / (length * PERIOD_S[mode]),
            w=summary.get("approx_mean_abs_weight", float("nan")),
            phi_z=get("weight_approx/phi_z"),
            steps=get("weight_approx/phi_z_search_steps"),
            beyond_test=get("weight_approx/beyond_phi/test/fraction"),
            beyond_test_images=get("weight_approx/beyond_phi/test/image_fraction"),
            beyond_test_q=get("weight_approx/beyond_phi/test_quantized/fraction"),
            beyond_d_q=get("weight_approx/beyond_phi/constrained_quantized/fraction"),
            beyond_other=get("weight_approx/beyond_phi/other_training/fraction"),
            solver=get("weight_approx/solver_time_s"),
            wall=float(a["wall_time_s"]),
            length=length)


def percent(x):
    return "" if x != x else f"{100 * x:.1f}"


def print_tables(rows):
    print_pricings(rows)
    for layers in sorted({k[0] for k in rows}, key=len):
        print(f"\n### {layers}\n")
        base = rows.get((layers, -1.0, "normal"))
        print("| phi | phi_Z | mean abs w | float acc. trained -> approx. (%) | SC acc. normal (%) | SC acc. BMS (%) | E normal (nJ) "
              "| E BMS (nJ) | E saving BMS vs normal none (%) | P normal (mW) | P BMS (mW) | P saving BMS vs normal none (%) "
              "| E saving vs BMS none (%) | solver (s) |")
        print("|" + "---|" * 14)
        bbase = rows.get((layers, -1.0, "bms"))
        for phi in sorted({k[1] for k in rows if k[0] == layers}):
            n, b = rows.get((layers, phi, "normal")), rows.get((layers, phi, "bms"))
            if not n or not b:
                continue
            es = 100 * (1 - b["energy"] / base["energy"]) if base else float("nan")
            ps = 100 * (1 - b["power"] / base["power"]) if base else float("nan")
            eb = 100 * (1 - b["energy"] / bbase["energy"]) if bbase else float("nan")
            label = "none" if phi < 0 else f"{phi:g}"
            pz = "" if b["phi_z"] != b["phi_z"] else f"{b['phi_z']:.4f}"
            solver = "" if phi < 0 else f"{b['solver']:.1f}"
            print(f"| {label} | {pz} | {b['w']:.3f} | {b['trained_acc']:.2f} -> {b['float_acc']:.2f} | {n['sc_acc']:.2f} | {b['sc_acc']:.2f} "
                  f"| {n['energy'] * 1e9:.1f} | {b['energy'] * 1e9:.1f} | {es:.1f} | {n['power'] * 1e3:.1f} "
                  f"| {b['power'] * 1e3:.1f} | {ps:.1f} | {eb:.1f} | {solver} |")
        wall = sum(r["wall"] for k, r in rows.items() if k[0] == layers)
        print(f"\nwall time of the {layers} runs: {wall:.0f} s; L = {base['length'] if base else '?'} bits")



def print_pricings(rows):
    """Power savings per pricing and the guarantee off the constrained samples, per network."""
    for layers in sorted({k[0] for k in rows}, key=len):
        base = rows.get((layers, -1.0, "normal")) or rows.get((layers.split(" (")[0], -1.0, "normal"))
        bbase = rows.get((layers, -1.0, "bms"))
        if not bbase:
            continue
        print(f"\n### {layers}: power saving against normal generation without approximation\n")
        print("| phi | phi_Z (steps) | P saving per stream (%) | P saving, paper's basis (%) | over BMS none (%) "
              "| beyond phi: other training (%) | test (%) | test images (%) | D on SC levels (%) | test on SC levels (%) |")
        print("|" + "---|" * 10)
        for phi in sorted({k[1] for k in rows if k[0] == layers}):
            b = rows.get((layers, phi, "bms"))
            if not b:
                continue
            per_stream = 100 * (1 - b["power"] / base["power"]) if base else float("nan")
            over_bms = b["power"] / bbase["power"]
            paper = 100 * (1 - GENERATOR_RATIO * over_bms)
            label = "none" if phi < 0 else f"{phi:g}"
            pz = "" if b["phi_z"] != b["phi_z"] else f"{b['phi_z']:.4f} ({b['steps']:.0f})"
            print(f"| {label} | {pz} | {per_stream:.1f} | {paper:.1f} | {100 * (1 - over_bms):.1f} | {percent(b['beyond_other'])} "
                  f"| {percent(b['beyond_test'])} | {percent(b['beyond_test_images'])} | {percent(b['beyond_d_q'])} "
                  f"| {percent(b['beyond_test_q'])} |")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
