#!/usr/bin/python3
"""Runs activation_bench and prints sigma beside oneDNN, XNNPACK and memcpy as Markdown tables.

Usage: bench/compare_activations.py BUILD/bench/activation_bench [ELEMENTS] [THREADS] [SPEC...]
Medians of 3 repetitions; Gelem/s (float32 elements per second). Each function and
implementation runs with x drawn from N(0, s) for each s the benchmark has (1, 4 and 16) and dy
from N(0, 1); "min over s" is the slowest of them, the figure that counts, and "sigma / best
peer" compares those minima.
"""
import json
import re
import subprocess
import sys

NAME = re.compile(r"^(?P<impl>BM_[a-z]+?)(?:_(?P<op>forward|backward))?(?:/(?P<spec>.+?))?"
                  r"/elements:\d+/threads:(?P<threads>\d+)(?:/s:(?P<s>\d+))?")
IMPLS = {"forward": [("sigma", "BM_sigma"), ("oneDNN", "BM_onednn"), ("XNNPACK", "BM_xnnpack")],
         "backward": [("sigma", "BM_sigma"), ("oneDNN", "BM_onednn")]}


def main():
    binary = sys.argv[1]
    elements = sys.argv[2] if len(sys.argv) > 2 else "1048576"
    threads = sys.argv[3] if len(sys.argv) > 3 else "1"
    specs = sys.argv[4:] or ["sigmoid", "tanh", "gelu", "gelu:approximate=tanh", "silu", "elu",
                             "softplus", "mish", "relu", "leaky_relu", "hardswish", "relu6",
                             "logsigmoid", "selu", "exponential"]
    names = "|".join(re.escape(spec) for spec in specs)
    pattern = (f"^(BM_copy|BM_[a-z]+_(forward|backward)/({names}))/elements:{elements}/"
               f"threads:({threads}|1)/")
    out = subprocess.run([binary, f"--benchmark_filter={pattern}", "--benchmark_format=json",
                          "--benchmark_repetitions=3", "--benchmark_report_aggregates_only=true",
                          "--benchmark_min_time=0.2"],
                         check=True, capture_output=True, text=True).stdout
    rates = {}  # (impl, op, spec, s) -> Gelem/s; the copy under ("BM_copy", None, None, None)
    spreads = set()
    copy_threads = "?"
    for b in json.loads(out)["benchmarks"]:
        if b.get("aggregate_name") != "median":
            continue
        m = NAME.match(b["run_name"])
        if not m:
            continue
        impl, thread_count = m["impl"], m["threads"]
        # XNNPACK runs on one thread only; the copy has a two-thread run for DRAM sizes only.
        if thread_count != threads and impl not in ("BM_copy", "BM_xnnpack"):
            continue
        key = (impl, m["op"], m["spec"], int(m["s"]) if m["s"] else None)
        if impl == "BM_copy" and thread_count != threads and key in rates:
            continue
        rates[key] = b["items_per_second"] / 1e9
        if m["s"]:
            spreads.add(int(m["s"]))
        if impl == "BM_copy":
            copy_threads = thread_count
    spreads = sorted(spreads)

    def slowest(impl, op, spec):
        found = [rates[(impl, op, spec, s)] for s in spreads if (impl, op, spec, s) in rates]
        return min(found) if len(found) == len(spreads) and found else None

    cell = lambda rate: f"{rate:.2f}" if rate is not None else "—"
    print(f"{elements} float32 elements, {threads} thread(s), Gelem/s (median of 3); x from "
          f"N(0, s), dy from N(0, 1)")
    for op in ("forward", "backward"):
        print(f"\n{op}\n")
        print("| function | implementation | " + " | ".join(f"s={s}" for s in spreads) +
              " | min over s | sigma / best peer |")
        print("|---|---|" + "---|" * (len(spreads) + 2))
        for spec in specs:
            peers = [slowest(impl, op, spec) for _, impl in IMPLS[op][1:]]
            peers = [rate for rate in peers if rate is not None]
            first = True
            for label, impl in IMPLS[op]:
                if not any((impl, op, spec, s) in rates for s in spreads):
                    continue
                low = slowest(impl, op, spec)
                ratio = ""
                if impl == "BM_sigma" and peers and low is not None:
                    ratio = f"{low / max(peers):.2f}x"
                if impl == "BM_xnnpack" and threads != "1":
                    label += " (1 thread)"
                print(f"| {spec if first else ''} | {label} | " +
                      " | ".join(cell(rates.get((impl, op, spec, s))) for s in spreads) +
                      f" | {cell(low)} | {ratio} |")
                first = False
    print(f"\nmemcpy ({copy_threads} thread(s)): {cell(rates.get(('BM_copy', None, None, None)))}"
          " Gelem/s")


if __name__ == "__main__":
    main()
