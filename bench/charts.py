#!/usr/bin/python3
"""Draws the benchmark charts of docs/benchmarks.md from bench/results (the newest file of each
scenario) into docs/img/*.png. Needs matplotlib: apt-get install -y python3-matplotlib.

    /usr/bin/python3 bench/charts.py [RESULTS_DIR] [IMG_DIR]
"""
import glob
import json
import os
import statistics
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RESULTS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "bench", "results")
IMG = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "docs", "img")
PERCENTILES = ["p50", "p75", "p90", "p95", "p99", "p99.9"]
COLORS = {"switchboard": "#1f77b4", "nginx": "#2ca02c", "baseline": "#ff7f0e"}


def latest(scenario):
    files = sorted(glob.glob(os.path.join(RESULTS, f"*-{scenario}.json")))
    if not files:
        return None
    with open(files[-1]) as f:
        return json.load(f)


def figures(doc):
    return {f["name"]: f["value"] for f in doc["figures"]}


def median_latency_ms(doc, label, pct):
    values = [r["latency_us"][pct] for r in doc["runs"] if r["label"] == label]
    return statistics.median(values) / 1000 if values else None


def subtitle(doc):
    m = doc["machine"]
    return f"{doc['date'][:10]} · {m['nproc']} cores {m['cpu']} · {m['memory']} · {m['jdk']}"


def save(fig, name):
    os.makedirs(IMG, exist_ok=True)
    path = os.path.join(IMG, name)
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)
    print(f"charts: wrote {os.path.relpath(path, ROOT)}")


def models_vs_nginx(doc):
    fig_values = figures(doc)
    sizes, variants = ["2KB", "200KB"], ["plain", "304", "gzip"]
    servers = [s for s in ("switchboard", "baseline", "nginx") if f"2KB.plain.{s}.rps" in fig_values]

    fig, axes = plt.subplots(len(sizes), len(variants), figsize=(13, 7), sharey=True)
    for i, size in enumerate(sizes):
        for j, variant in enumerate(variants):
            ax = axes[i][j]
            for server in servers:
                ys = [median_latency_ms(doc, f"{server}-{size}-{variant}", p) for p in PERCENTILES]
                ax.plot(PERCENTILES, ys, marker="o", label=server, color=COLORS[server])
            ax.set_yscale("log")
            ax.set_title(f"/v1/models {size}, {variant}")
            ax.grid(True, which="both", alpha=0.3)
            if j == 0:
                ax.set_ylabel("latency (ms, log)")
    axes[0][0].legend()
    fig.suptitle(f"Latency distribution (wrk --latency percentiles, median of runs)\n{subtitle(doc)}", fontsize=10)
    save(fig, "models-latency.png")

    throughput(doc, "models-throughput.png", "GET /v1/models: Switchboard vs nginx, same bytes (label: Switchboard / nginx)")


def before_after(doc):
    throughput(doc, "models-before-after.png", "GET /v1/models before (baseline) and after the fixes, one run "
               "(label: after / nginx)", {"baseline": "before (baseline)", "switchboard": "after"})


def throughput(doc, name, title, labels=None):
    fig_values = figures(doc)
    sizes, variants = ["2KB", "200KB"], ["plain", "304", "gzip"]
    servers = [s for s in ("baseline", "switchboard", "nginx") if f"2KB.plain.{s}.rps" in fig_values]
    labels = labels or {}
    fig, ax = plt.subplots(figsize=(11, 4.5))
    groups = [(s, v) for s in sizes for v in variants]
    width = 0.8 / len(servers)
    for k, server in enumerate(servers):
        xs = [g + k * width for g in range(len(groups))]
        ys = [fig_values[f"{s}.{v}.{server}.rps"] / 1000 for s, v in groups]
        ax.bar(xs, ys, width, label=labels.get(server, server), color=COLORS[server])
    for g, (s, v) in enumerate(groups):
        ratio = fig_values.get(f"{s}.{v}.switchboard.ratio")
        top = max(fig_values[f"{s}.{v}.{server}.rps"] for server in servers) / 1000
        ax.annotate(f"{ratio:.2f}x", (g + width * (len(servers) - 1) / 2, top), ha="center", va="bottom", fontsize=9)
    ax.set_xticks([g + width * (len(servers) - 1) / 2 for g in range(len(groups))])
    ax.set_xticklabels([f"{s}\n{v}" for s, v in groups])
    ax.set_ylabel("thousand requests/s (median)")
    ax.set_title(f"{title}\n{subtitle(doc)}", fontsize=10)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.grid(True, axis="y", alpha=0.3)
    save(fig, name)


def catalog(doc):
    fig_values = figures(doc)
    sizes = [s for s in ("1k", "10k", "100k") if f"{s}.plain.rps" in fig_values]
    counts = {"1k": 1_000, "10k": 10_000, "100k": 100_000}
    xs = [counts[s] for s in sizes]
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5))
    for variant, label in (("plain", "200, JSON"), ("gzip", "200, gzip"), ("304", "304")):
        left.plot(xs, [fig_values[f"{s}.{variant}.rps"] for s in sizes], marker="o", label=label)
    left.set_xscale("log")
    left.set_yscale("log")
    left.set_xlabel("models in the catalog")
    left.set_ylabel("requests/s (median, log)")
    left.set_title("/v1/models throughput vs catalog size")
    left.grid(True, which="both", alpha=0.3)
    left.legend()
    for key, label in (("idle_rss", "RSS idle"), ("rss_after_load", "RSS after load"),
                       ("heap_after_gc", "heap after GC"), ("heap_after_gc_after_load", "heap after GC, after load")):
        right.plot(xs, [fig_values[f"{s}.{key}"] for s in sizes], marker="o", label=label)
    right.set_xscale("log")
    right.set_xlabel("models in the catalog")
    right.set_ylabel("MiB")
    right.set_title("Memory vs catalog size")
    right.grid(True, which="both", alpha=0.3)
    right.legend()
    fig.suptitle(subtitle(doc), fontsize=10)
    save(fig, "catalog-scaling.png")


def start_to_ready(doc):
    fig_values = figures(doc)
    names = [f["name"].rsplit(".", 1)[0] for f in doc["figures"] if f["name"].endswith(".start_to_ready")]
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4))
    left.bar(names, [fig_values[f"{n}.start_to_ready"] for n in names], color="#1f77b4")
    left.axhline(1500, color="red", linestyle="--", label="goal 1.5 s")
    left.set_ylabel("ms (median of restarts)")
    left.set_title("Start to /readyz 200")
    left.legend()
    width = 0.4
    idx = range(len(names))
    right.bar([i - width / 2 for i in idx], [fig_values[f"{n}.idle_rss"] for n in names], width, label="idle")
    right.bar([i + width / 2 for i in idx], [fig_values.get(f"{n}.rss_after_load", 0) for n in names], width,
              label="after /v1/models load")
    right.axhline(200, color="red", linestyle="--", label="goal idle 200 MB")
    right.set_xticks(list(idx))
    right.set_xticklabels(names)
    right.set_ylabel("RSS (MiB)")
    right.set_title("Memory")
    right.legend(loc="lower center", fontsize=8)
    for ax in (left, right):
        ax.tick_params(axis="x", labelrotation=20)
        ax.grid(True, axis="y", alpha=0.3)
    fig.suptitle(subtitle(doc), fontsize=10)
    save(fig, "start-to-ready.png")


def refresh(doc):
    fig_values = figures(doc)
    levels = [n.split(".")[0] for n in fig_values if n.endswith(".first_refresh")]
    fig, ax = plt.subplots(figsize=(7, 4))
    width = 0.35
    idx = range(len(levels))
    ax.bar([i - width / 2 for i in idx], [fig_values[f"{c}.first_refresh"] for c in levels], width, label="first (all new)")
    ax.bar([i + width / 2 for i in idx], [fig_values[f"{c}.no_change_refresh"] for c in levels], width, label="no change")
    ax.axhline(2000, color="red", linestyle="--", label="goal 2 s")
    ax.set_xticks(list(idx))
    ax.set_xticklabels([c.replace("concurrency", "concurrency ") for c in levels])
    ax.set_ylabel("ms (median)")
    ax.set_title(f"Refresh of 200 providers x 500 models\n{subtitle(doc)}", fontsize=10)
    ax.legend()
    ax.grid(True, axis="y", alpha=0.3)
    save(fig, "refresh-200x500.png")


def main():
    drawn = 0
    for scenario, draw in (("models-vs-nginx", models_vs_nginx), ("models-before-after", before_after), ("catalog-100k", catalog),
                           ("start-to-ready", start_to_ready), ("refresh-200x500", refresh)):
        doc = latest(scenario)
        if doc is None:
            print(f"charts: no results for {scenario} in {RESULTS}")
            continue
        draw(doc)
        drawn += 1
    return 0 if drawn else 1


if __name__ == "__main__":
    sys.exit(main())
