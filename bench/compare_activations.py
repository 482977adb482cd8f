#!/usr/bin/python3
"""Runs activation_bench and prints sigma beside oneDNN, XNNPACK and memcpy as a Markdown table.

Usage: bench/compare_activations.py BUILD/bench/activation_bench [ELEMENTS] [THREADS] [SPEC...]
Medians of 3 repetitions; Gelem/s (float32 elements per second).
"""
import json
import subprocess
import sys


def main():
    binary = sys.argv[1]
    elements = sys.argv[2] if len(sys.argv) > 2 else "1048576"
    threads = sys.argv[3] if len(sys.argv) > 3 else "1"
    specs = sys.argv[4:] or ["sigmoid", "tanh", "gelu", "gelu:approximate=tanh", "silu", "elu",
                             "softplus", "mish", "relu", "leaky_relu", "hardswish", "relu6",
                             "logsigmoid", "selu", "exponential"]
    names = "|".join(specs)
    pattern = (f"^(BM_copy|BM_[a-z]+_(forward|backward)/({names}))/elements:{elements}/"
               f"threads:({threads}|1)/")
    out = subprocess.run([binary, f"--benchmark_filter={pattern}", "--benchmark_format=json",
                          "--benchmark_repetitions=3", "--benchmark_report_aggregates_only=true",
                          "--benchmark_min_time=0.2"],
                         check=True, capture_output=True, text=True).stdout
    rates = {}
    copy_threads = "?"
    for b in json.loads(out)["benchmarks"]:
        if b.get("aggregate_name") != "median":
            continue
        name = b["run_name"]
        thread_count = name.split("threads:")[1].split("/")[0]
        key = name.split("/elements")[0]
        # XNNPACK runs on one thread only; the copy has a two-thread run for DRAM sizes only.
        if thread_count != threads and not name.startswith(("BM_copy", "BM_xnnpack")):
            continue
        if key == "BM_copy" and thread_count != threads and key in rates:
            continue
        rates[key] = b["items_per_second"] / 1e9
        if key == "BM_copy":
            copy_threads = thread_count
    print(f"{elements} float32 elements, {threads} thread(s), Gelem/s (median of 3)\n")
    print("| function | sigma fwd | oneDNN fwd | XNNPACK fwd | sigma bwd | oneDNN bwd |")
    print("|---|---|---|---|---|---|")
    cell = lambda key: f"{rates[key]:.2f}" if key in rates else "—"
    for spec in specs:
        print(f"| {spec} | {cell('BM_sigma_forward/' + spec)} | {cell('BM_onednn_forward/' + spec)}"
              f" | {cell('BM_xnnpack_forward/' + spec)} | {cell('BM_sigma_backward/' + spec)}"
              f" | {cell('BM_onednn_backward/' + spec)} |")
    print(f"| memcpy ({copy_threads} thread(s)) | {cell('BM_copy')} | | | | |")


if __name__ == "__main__":
    main()
