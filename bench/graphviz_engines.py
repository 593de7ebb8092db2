"""Graphviz's ``dot`` program against the pygraphviz wheel's libraries, for ``archgen diagram``.

    python bench/graphviz_engines.py [--sizes example 100 1000] [--runs 3]

For each model (the example, and bench/generate.py models of N components) runs
``archgen diagram --no-cache --format svg`` as a whole process with
``ARCHGEN_GRAPHVIZ=dot`` and with ``ARCHGEN_GRAPHVIZ=pygraphviz`` (archgen's
:mod:`archgen.generators.gvdot` workers), alternating, and prints the median wall time
of each, their ratio, and archgen's own summary line (how many views, and any drawn
again without labels or clusters). Nothing is asserted; the figures go to
docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(model: Path, engine: str, out: Path) -> tuple[float, str]:
    env = {**os.environ, "ARCHGEN_GRAPHVIZ": engine, "PYTHONPATH": str(ROOT / "src")}
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "archgen", "diagram", str(model), "--no-cache", "--format", "svg", "-o", str(out)],
        capture_output=True, text=True, env=env, timeout=3600,
    )
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        return seconds, f"FAILED (exit {proc.returncode}): {proc.stderr.strip().splitlines()[-1:]}"
    summary = [line for line in proc.stderr.splitlines() if "renderings" in line]
    return seconds, summary[-1].strip() if summary else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", default=["example", "100", "1000"])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not shutil.which("dot"):
        raise SystemExit("needs Graphviz's dot on PATH to compare with")
    results = []
    with tempfile.TemporaryDirectory(prefix="archgen-gv-bench-") as tmp:
        tmpdir = Path(tmp)
        for size in args.sizes:
            if size == "example":
                model = ROOT / "arch" / "ml-serving.yaml"
            else:
                model = tmpdir / f"m{size}.yaml"
                model.write_text(subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), size],
                                                capture_output=True, text=True, check=True).stdout)
            times: dict[str, list[float]] = {"dot": [], "pygraphviz": []}
            notes: dict[str, str] = {}
            for engine in times:  # warm-up: bytecode, disk cache
                run(model, engine, tmpdir / "out")
            for _ in range(args.runs):
                for engine in times:
                    seconds, note = run(model, engine, tmpdir / "out")
                    times[engine].append(seconds)
                    notes[engine] = note
            dot, pgv = statistics.median(times["dot"]), statistics.median(times["pygraphviz"])
            results.append({
                "model": size, "dot_s": round(dot, 2), "pygraphviz_s": round(pgv, 2),
                "pygraphviz_over_dot": round(pgv / dot, 2), "dot": notes["dot"], "pygraphviz": notes["pygraphviz"],
            })
            print(json.dumps(results[-1]), flush=True)
    dot_version = subprocess.run(["dot", "-V"], capture_output=True, text=True).stderr.strip()
    print(json.dumps({
        "runs": args.runs, "dot": dot_version,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}",
    }))


if __name__ == "__main__":
    main()
