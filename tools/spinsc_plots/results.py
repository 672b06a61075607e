"""Reading a spinsc results file (docs/results-format.md): its complete runs, their configuration,
SC evaluations (variants) and ledger. Plots read the file only through these classes."""
import os
import sys
from collections import OrderedDict, defaultdict

METHOD_NAMES = {"train.qat": "method 1 (QAT)", "train.qat_sc": "method 2 (QAT-SC)", "train.float": "float"}
# Swept keys that are axes or replicas of a Figure 6 study, not a separate configuration.
# `repeat` is the repeat index of [sweep] repeats, `seed` a swept experiment seed: both are replicas.
REPLICA_KEYS = {"seed", "repeat"}
STUDY_AXES = {"network.layers", "network.levels", "train.strategy", "train.qat_sc.length", "eval.lengths"} | REPLICA_KEYS
# Ledger events that take time on the critical path of one inference (docs/sc.md, "Per-inference
# ledger"): the stream clocks of each layer, the counter's pipeline and the activation unit's
# latency. Other events (bits_generated, gate_ops, ...) are parallel operations; their summed
# device time is not a latency.
LATENCY_PARTS = (("streaming", ("stream_clocks",)), ("counting", ("counter_latency",)),
                 ("activation", ("activation_latency",)))
LATENCY_EVENTS = tuple(event for _, events in LATENCY_PARTS for event in events)


class InputError(Exception):
    """A problem with the results file; the message names the file and what is wrong."""


def text(value):
    if isinstance(value, bytes):
        return value.decode()
    return value


def as_number(value):
    """The value of a config text as int or float when it is one, else the text."""
    value = text(value)
    if isinstance(value, str):
        for kind in (int, float):
            try:
                return kind(value)
            except ValueError:
                pass
    return value


class Variant:
    """One SC evaluation of a run: evaluation/sc/ or evaluation/sc/<label>/."""

    def __init__(self, np, run, label, group):
        self.run = run
        self.label = label
        self.path = group.name
        self.lengths = [int(round(x)) for x in group["lengths"][()]]
        self.accuracy = group["accuracy"][()]
        n = len(self.lengths)

        def column(name):
            return group[name][()] if name in group else np.full(n, np.nan)

        self.energy_J = column("energy_per_inference_J")
        self.device_energy_J = column("device_energy_per_inference_J")
        self.activation_latency_cycles = column("activation_latency_cycles")
        self.activation_busy_cycles = column("activation_busy_cycles_per_inference")
        self.attrs = {k: text(v) for k, v in group.attrs.items()}
        self.activation = self.attrs.get("activation", run.config.get("sc.activation", "?"))
        self.device = self.attrs.get("device", run.config.get("device.plugin", "?"))
        samples = self.attrs.get("samples")
        self.samples = int(samples) if samples is not None else None

    def ledger_prefix(self, length):
        return (self.label + "/" if self.label else "") + f"L{length}/"


class Run:
    """A complete run of a results file, with its configuration (effective keys + swept values)."""

    def __init__(self, np, name, group, config):
        self.name = name
        self.group = group
        self.seed = int(group.attrs.get("run_seed", 0))
        self.swept = OrderedDict((text(k), as_number(group.attrs[text(k)])) for k in group.attrs.get("swept_keys", []))
        self.config = dict(config)
        self.config.update(self.swept)
        # What the run recorded wins over the configuration (it is what actually ran).
        if "network/layers" in group:
            self.topology = "-".join(str(int(x)) for x in group["network/layers"][()])
        else:
            self.topology = str(self.config.get("network.layers", "?")).replace(",", "-").replace(" ", "")
        levels = group["network"].attrs.get("levels") if "network" in group else None
        self.levels = int(levels) if levels is not None else as_number(self.config.get("network.levels", "?"))
        strategy = group["training"].attrs.get("strategy") if "training" in group else None
        self.strategy = text(strategy) if strategy is not None else str(self.config.get("train.strategy", "?"))
        self.train_length = as_number(self.config.get("train.qat_sc.length")) if self.strategy == "train.qat_sc" else None
        self.no_sc_accuracy = float(group["evaluation/quantized/accuracy"][()]) if "evaluation/quantized/accuracy" in group else None
        self.variants = []
        if "evaluation/sc" in group:
            sc = group["evaluation/sc"]
            if "accuracy" in sc and "lengths" in sc:
                self.variants.append(Variant(np, self, "", sc))
            else:
                for label, sub in sc.items():
                    if hasattr(sub, "keys") and "accuracy" in sub and "lengths" in sub:
                        self.variants.append(Variant(np, self, label, sub))
        self._ledger = None

    @property
    def method(self):
        return METHOD_NAMES.get(self.strategy, self.strategy)

    def extra_key(self, exclude):
        """The run's swept values that are not axes of the plot: part of its series name."""
        return tuple((k, v) for k, v in self.swept.items() if k not in exclude)

    def ledger(self):
        """The ledger entries: list of (component, layer, event, events, energy_J, latency_s, cycles)."""
        if self._ledger is None:
            self._ledger = []
            if "ledger/entries/component" in self.group:
                e = self.group["ledger/entries"]
                columns = [e[c].asstr()[()] for c in ("component", "layer", "event")]
                columns += [e[c][()] for c in ("events", "energy_J", "latency_s", "cycles")]
                self._ledger = list(zip(*columns))
        return self._ledger

    def ledger_per_inference(self, variant, length):
        """Per inference at one variant and length: ({component: energy J}, latency s, found)."""
        prefix = variant.ledger_prefix(length)
        by_component = defaultdict(float)
        latency_s = 0.0
        found = False
        for component, layer, event, _events, energy, latency, _cycles in self.ledger():
            if not layer.startswith(prefix) or "/" in layer[len(prefix):]:
                continue
            found = True
            by_component[component] += energy
            if event in LATENCY_EVENTS:
                latency_s += latency
        n = variant.samples or 1
        return {c: e / n for c, e in by_component.items()}, latency_s / n, found


class Results:
    def __init__(self, modules, path):
        self.np = modules["numpy"]
        h5py = modules["h5py"]
        self.path = path
        if not os.path.exists(path):
            raise InputError(f"{path}: no such results file")
        if os.path.isdir(path):
            raise InputError(f"{path}: is a folder, not a results file")
        try:
            self.file = h5py.File(path, "r")
        except OSError as e:
            raise InputError(f"{path}: not a readable HDF5 file ({e})")
        f = self.file
        if text(f.attrs.get("format", "")) != "spinsc-results":
            found = f"is {text(f.attrs['format'])!r}" if "format" in f.attrs else "is missing"
            raise InputError(f"{path}: not a spinsc results file (root attribute 'format' {found}, "
                             "expected 'spinsc-results')")
        if "runs" not in f:
            raise InputError(f"{path}: no /runs group")
        self.name = text(f.attrs.get("experiment_name", os.path.splitext(os.path.basename(path))[0]))
        config = {}
        if "config/effective" in f:
            config = {k: as_number(v) for k, v in f["config/effective"].asstr()[()]}
        self.config = config
        self.runs = []
        self.skipped = []
        self.characterization_runs = []
        for name, group in f["runs"].items():
            status = text(group.attrs.get("status", "?"))
            if status != "complete":
                self.skipped.append(f"run {name}: {status}")
                continue
            if "device/p1_measured" in group:
                self.characterization_runs.append((name, group))
            self.runs.append(Run(self.np, name, group, config))
        if self.skipped:
            print(f"note: {len(self.skipped)} run(s) not complete, left out: " + "; ".join(self.skipped[:3])
                  + (" ..." if len(self.skipped) > 3 else ""), file=sys.stderr)

    def sc_runs(self):
        return [r for r in self.runs if r.variants]
