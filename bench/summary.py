#!/usr/bin/env python3
"""Prints the newest result of each scenario in bench/results (or the files given) as Markdown
tables, figure by figure with its goal, for docs/benchmarks.md.

    python3 bench/summary.py [RESULT.json ...]
"""
import glob
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def newest_per_scenario():
    newest = {}
    for path in sorted(glob.glob(os.path.join(ROOT, "bench", "results", "*.json"))):
        with open(path) as f:
            newest[json.load(f)["scenario"] + os.path.basename(path)[10:]] = path
    return sorted(newest.values())


def fmt(value):
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:g}"
    return str(value)


def table(path):
    with open(path) as f:
        doc = json.load(f)
    m = doc["machine"]
    print(f"### {doc['scenario']} — `{os.path.relpath(path, ROOT)}`\n")
    print(f"{doc['date']} · {m['nproc']} cores ({m['cpu']}) · {m['memory']} · {m['kernel']} · {m['jdk']} · "
          f"commit {m['commit']} · wrk {doc['settings']['wrk_threads']} threads, {doc['settings']['wrk_connections']} "
          f"connections, {doc['settings']['wrk_duration_s']} s × {doc['settings']['repeat']}\n")
    print("| figure | value | unit | goal | met |")
    print("| --- | ---: | --- | --- | --- |")
    for fig in doc["figures"]:
        met = {True: "yes", False: "**no**"}.get(fig.get("met"), "")
        print(f"| {fig['name']} | {fmt(fig['value'])} | {fig['unit']} | {fig.get('goal', '')} | {met} |")
    print()


def main():
    for path in sys.argv[1:] or newest_per_scenario():
        table(path)


if __name__ == "__main__":
    main()
