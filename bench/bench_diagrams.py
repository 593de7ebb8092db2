"""Benchmark the diagrams: archgen's render time beside Graphviz's own on the same DOT.

    python bench/bench_diagrams.py             # 10, 100 and 1,000 components, 3 runs each
    python bench/bench_diagrams.py 10 100 --runs 5 --jobs 2

For each size, a model from bench/generate.py goes through the rules and
``views.build_views``; then, median of ``--runs`` runs:

- ``dot alone``: Graphviz ``dot -Tsvg`` on every view's DOT, as subprocesses, ``--jobs``
  at a time (the same parallelism archgen uses), timed from outside;
- ``archgen cold``: ``draw.render`` with an empty cache (DOT through ``diagrams``, the
  same ``dot`` runs, icon embedding, cache writes);
- ``archgen warm``: ``draw.render`` again on the same cache (no Graphviz at all);
- ``overhead``: archgen cold minus dot alone, the cost archgen adds to Graphviz.

Prints a Markdown table (docs/diagrams.md quotes it).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

from archgen import views  # noqa: E402

from archgen.generators import draw
from archgen.sources.loader import parse_model  # noqa: E402
from archgen.rules import run_rules  # noqa: E402


def dot_alone(dots: list[str], jobs: int) -> float:
    exe = shutil.which("dot")
    imagepath = f"-Gimagepath={draw._diagrams_root()}"

    def one(text: str) -> None:
        subprocess.run([exe, "-Tsvg", imagepath], input=text.encode(), capture_output=True, check=True)

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(one, dots))
    return time.perf_counter() - start


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def bench(n: int, runs: int, jobs: int) -> dict[str, object]:
    model = parse_model(generate(n), f"bench-{n}.yaml")
    findings = run_rules(model)
    views.build_views(model, findings)  # warm-up: imports, catalog
    t_views, specs = timed(lambda: views.build_views(model, findings))
    with tempfile.TemporaryDirectory() as cache:  # warm-up: icon classes, dot in the page cache
        draw.render(specs[:1], cache_dir=Path(cache), jobs=jobs)
    t_dot_text, dots = timed(lambda: [draw.to_dot(s) for s in specs])
    alone, cold, warm, sizes = [], [], [], 0
    for _ in range(runs):
        alone.append(dot_alone(dots, jobs))
        with tempfile.TemporaryDirectory() as cache:
            draw._VERSIONS.clear()
            t, out = timed(lambda: draw.render(specs, cache_dir=Path(cache), jobs=jobs))
            cold.append(t)
            sizes = sum(len(v) for v in out.values())
            stats = draw.RenderStats()
            t, _ = timed(lambda: draw.render(specs, cache_dir=Path(cache), jobs=jobs, stats=stats))
            assert stats.misses == 0, "the second render should come from the cache"
            warm.append(t)
    return {
        "components": n,
        "views": len(specs),
        "nodes": sum(len(s.nodes) for s in specs),
        "build_views": t_views,
        "to_dot": t_dot_text,
        "dot_alone": statistics.median(alone),
        "cold": statistics.median(cold),
        "warm": statistics.median(warm),
        "svg_mb": sizes / 1e6,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10, 100, 1000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    version = draw.graphviz_version()
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"Graphviz {version}, diagrams {draw._diagrams_version()}; jobs={args.jobs}, median of {args.runs} runs; "
        f"{time.strftime('%Y-%m-%d')}\n"
    )
    print("| components | views | nodes drawn | build_views | to_dot (all views) | dot alone | archgen cold | overhead | archgen warm (cached) | SVG total |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in args.sizes:
        r = bench(n, args.runs, args.jobs)
        print(
            f"| {r['components']:,} | {r['views']} | {r['nodes']:,} | {r['build_views']:.3f} s | {r['to_dot']:.3f} s "
            f"| {r['dot_alone']:.2f} s | {r['cold']:.2f} s | {r['cold'] - r['dot_alone']:+.2f} s "
            f"| {r['warm'] * 1000:.1f} ms | {r['svg_mb']:.1f} MB |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
