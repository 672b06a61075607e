#!/usr/bin/env python3
"""Energy per output transition of standard cells, read from a Liberty (.lib) library.

A technology file of spinsc (data/technology/*.ini) prices each SC unit from the cells it is
built of. This script reads those cells' figures from a standard-cell library so that the
technology file's numbers can be checked, or made for another library (your own PDK):

  E_transition(cell) = mean over the cell's internal_power arcs (every output pin, every related
                       input pin, rise_power and fall_power) of the table value at the chosen
                       output load and input transition (bilinear interpolation)
                       + 1/2 C_load V^2          (the load's share of one output transition)

for a cell with several outputs (a full adder's sum and carry) the mean is per output pin and the
output energies add up. For a flip-flop the clock pin's own internal power is given as
clock_energy (paid at every clock edge pair, whatever the data does).

The library's units are used as it declares them: energy = capacitive_load_unit x voltage_unit^2
(pF x V^2 = pJ for the common case), and the nominal voltage is the library's nom_voltage.

Usage:
  tools/liberty_energy.py LIBRARY.lib [--load-pf 0.025] [--transition-ns 0.18] [CELL ...]
Prints one line per cell: cell, outputs, internal energy per output transition, load energy, total,
and clock energy (flip-flops), all in fJ.
"""
import argparse
import re
import sys


def strip_comments(text):
    return re.sub(r"/\*.*?\*/", "", text, flags=re.S)


def blocks(text, keyword):
    """Yields (argument, body) of every `keyword (argument) { body }` at any depth."""
    for match in re.finditer(r"\b" + keyword + r"\s*\(([^)]*)\)\s*\{", text):
        depth, i = 1, match.end()
        while depth and i < len(text):
            if text[i] == "{":
                depth += 1
            elif text[i] == "}":
                depth -= 1
            i += 1
        yield match.group(1).strip().strip('"'), text[match.end():i - 1]


def top_level_blocks(text, keyword):
    """Like blocks(), but not inside another block of the same body (a pin's own groups)."""
    out, depth, i = [], 0, 0
    pattern = re.compile(r"\b" + keyword + r"\s*\(([^)]*)\)\s*\{")
    while i < len(text):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
        elif depth == 0:
            match = pattern.match(text, i)
            if match:
                start, level, j = match.end(), 1, match.end()
                while level and j < len(text):
                    level += {"{": 1, "}": -1}.get(text[j], 0)
                    j += 1
                out.append((match.group(1).strip().strip('"'), text[start:j - 1]))
                i = j
                continue
        i += 1
    return out


def attribute(body, name):
    match = re.search(r"\b" + name + r"\s*:\s*\"?([^;\"]+)\"?\s*;", body)
    return match.group(1).strip() if match else None


def numbers(body, name):
    match = re.search(r"\b" + name + r"\s*\(\s*\\?\s*(\"[^)]*)\)", body, flags=re.S)
    if not match:
        return None
    rows = re.findall(r"\"([^\"]*)\"", match.group(1))
    return [[float(v) for v in row.split(",") if v.strip()] for row in rows]


def unit_value(text, name, default):
    """'1ns' -> 1.0; capacitive_load_unit (1,pf) -> (1.0, 'pf')."""
    match = re.search(r"\b" + name + r"\s*\(\s*([0-9.eE+-]+)\s*,\s*(\w+)\s*\)", text)
    return (float(match.group(1)), match.group(2).lower()) if match else default


def interpolate(index_1, index_2, values, x1, x2):
    """Bilinear interpolation (linear extrapolation at the edges) of values[i][j] at (x1, x2)."""
    def bracket(index, x):
        if len(index) == 1:
            return 0, 0, 0.0
        k = 0
        while k < len(index) - 2 and x > index[k + 1]:
            k += 1
        return k, k + 1, (x - index[k]) / (index[k + 1] - index[k])

    i0, i1, u = bracket(index_1, x1)
    if index_2 is None:  # a one-variable table (one row or one column of values)
        flat = [v for row in values for v in row]
        return flat[i0] + u * (flat[i1] - flat[i0])
    j0, j1, v = bracket(index_2, x2)
    a = values[i0][j0] + v * (values[i0][j1] - values[i0][j0])
    b = values[i1][j0] + v * (values[i1][j1] - values[i1][j0])
    return a + u * (b - a)


def template_variables(text):
    """power_lut_template name -> its variable_1 (and variable_2) names."""
    out = {}
    for name, body in blocks(text, "power_lut_template"):
        out[name] = (attribute(body, "variable_1"), attribute(body, "variable_2"))
    return out


def table_value(body, kind, load, transition, templates):
    """The rise_power or fall_power table of an internal_power body at (load, transition)."""
    for template, table in blocks(body, kind):
        index_1, index_2 = numbers(table, "index_1"), numbers(table, "index_2")
        values = numbers(table, "values")
        if not values or not index_1:
            continue
        variable_1 = templates.get(template, (None, None))[0] or "total_output_net_capacitance"
        at = {"total_output_net_capacitance": load, "input_transition_time": transition,
              "input_net_transition": transition}
        x1 = at.get(variable_1, transition)
        if not index_2:  # one variable: a clock pin's table over its transition
            return interpolate(index_1[0], None, values, x1, None)
        variable_2 = templates.get(template, (None, None))[1] or "input_transition_time"
        return interpolate(index_1[0], index_2[0], values, x1, at.get(variable_2, transition))
    return None


def cell_energies(library_text, cell_names, load_pf, transition_ns):
    text = strip_comments(library_text)
    voltage = float(attribute(text, "nom_voltage"))
    load_unit, load_unit_name = unit_value(text, "capacitive_load_unit", (1.0, "pf"))
    scale_to_pf = {"pf": 1.0, "ff": 1e-3}[load_unit_name] * load_unit
    to_fj = scale_to_pf * 1e3  # library energy unit (capacitive unit x V^2) in fJ
    load = load_pf / scale_to_pf
    templates = template_variables(text)
    results = {}
    for name, body in blocks(text, "cell"):
        if cell_names and name not in cell_names:
            continue
        outputs, clock = [], None
        for pin_name, pin in top_level_blocks(body, "pin"):
            direction = attribute(pin, "direction")
            arcs = []
            for _, power in blocks(pin, "internal_power"):
                for kind in ("rise_power", "fall_power"):
                    value = table_value(power, kind, load, transition_ns, templates)
                    if value is not None:
                        arcs.append(value)
            if not arcs:
                continue
            mean = sum(arcs) / len(arcs)
            if direction == "output":
                outputs.append((pin_name, mean))
            elif attribute(pin, "clock") == "true":
                clock = mean
        if not outputs:
            continue
        internal_fj = sum(e for _, e in outputs) * to_fj
        load_fj = len(outputs) * 0.5 * load_pf * 1e-12 * voltage ** 2 * 1e15
        results[name] = {
            "outputs": [p for p, _ in outputs],
            "internal_fJ": internal_fj,
            "load_fJ": load_fj,
            "total_fJ": internal_fj + load_fj,
            "clock_fJ": None if clock is None else 2 * clock * to_fj,  # rise and fall of the clock
            "voltage_V": voltage,
        }
    return results


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("library", help="a Liberty file (.lib)")
    parser.add_argument("cells", nargs="*", help="cells to print (default: every cell with an output)")
    parser.add_argument("--load-pf", type=float, default=0.025, help="output load in pF (default 0.025)")
    parser.add_argument("--transition-ns", type=float, default=0.18, help="input transition in ns (default 0.18)")
    args = parser.parse_args(argv)
    try:
        with open(args.library, encoding="utf-8", errors="replace") as f:
            text = f.read()
    except OSError as e:
        sys.exit(f"liberty_energy.py: cannot read '{args.library}': {e.strerror}")
    if attribute(strip_comments(text), "nom_voltage") is None:
        sys.exit(f"liberty_energy.py: '{args.library}' is not a Liberty library (no nom_voltage)")
    results = cell_energies(text, set(args.cells), args.load_pf, args.transition_ns)
    missing = [c for c in args.cells if c not in results]
    if missing:
        sys.exit(f"liberty_energy.py: no cell {', '.join(missing)} with output power tables in '{args.library}'")
    print(f"# {args.library}: load {args.load_pf} pF, input transition {args.transition_ns} ns, "
          f"V = {next(iter(results.values()))['voltage_V']} V; energies in fJ per output transition")
    print("cell outputs internal_fJ load_fJ total_fJ clock_fJ")
    for name, r in results.items():
        clock = "-" if r["clock_fJ"] is None else f"{r['clock_fJ']:.2f}"
        print(f"{name} {','.join(r['outputs'])} {r['internal_fJ']:.2f} {r['load_fJ']:.2f} {r['total_fJ']:.2f} {clock}")


if __name__ == "__main__":
    main(sys.argv[1:])
