"""archgen's benchmarks: whole processes, medians of several runs, peak memory.

    python bench/run.py                  # all suites, default sizes
    python bench/run.py --suite check --sizes 100 1000 5000 --runs 5
    python bench/run.py --markdown       # print the table for docs/performance.md

Nothing here asserts a timing; the figures go into docs/performance.md.
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
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from bench.generate import generate  # noqa: E402


@dataclass
class Measure:
    name: str
    size: int | None
    median_s: float
    min_s: float
    peak_mb: float
    runs: int


def run_once(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """Wall time (s), peak RSS (MB) and exit status of one whole process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, **(env or {})})
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}:\n{stderr[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024, proc.returncode


def measure(name: str, cmd: list[str], cwd: Path, runs: int, size: int | None = None, warmup: int = 1, env=None) -> Measure:
    for _ in range(warmup):
        run_once(cmd, cwd, env)
    times, peaks = [], []
    for _ in range(runs):
        t, mb, _ = run_once(cmd, cwd, env)
        times.append(t)
        peaks.append(mb)
    return Measure(name, size, statistics.median(times), min(times), max(peaks), runs)


def workspace(size: int) -> Path:
    d = Path(tempfile.mkdtemp(prefix=f"archgen-bench-{size}-"))
    (d / "arch").mkdir()
    (d / "arch" / f"bench-{size}.yaml").write_text(generate(size))
    return d


ARCHGEN = [sys.executable, "-m", "archgen"]


def suite_help(sizes, runs) -> list[Measure]:
    return [measure("archgen --help", [*ARCHGEN, "--help"], Path.cwd(), runs)]


def suite_check(sizes, runs) -> list[Measure]:
    out = []
    for size in sizes:
        ws = workspace(size)
        try:
            out.append(measure("archgen check", [*ARCHGEN, "check", "--format", "json"], ws, runs, size))
        finally:
            shutil.rmtree(ws, ignore_errors=True)
    return out


SUITES = {"help": suite_help, "check": suite_check}


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.system()} {platform.release()}, {os.cpu_count()} cores {cpu}, Python {platform.python_version()}"


def markdown(results: list[Measure]) -> str:
    lines = [
        f"Machine: {machine()}. Date: {time.strftime('%Y-%m-%d')}.",
        "",
        "| What | Components | Median | Fastest | Peak memory | Runs |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for m in results:
        size = f"{m.size:,}" if m.size else ""
        lines.append(f"| {m.name} | {size} | {m.median_s * 1000:,.0f} ms | {m.min_s * 1000:,.0f} ms | {m.peak_mb:,.0f} MB | {m.runs} |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--suite", action="append", choices=sorted(SUITES), help="suites to run (default: all)")
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()
    results: list[Measure] = []
    for name in args.suite or list(SUITES):
        results += SUITES[name](args.sizes, args.runs)
    if args.markdown:
        print(markdown(results))
    else:
        for m in results:
            size = f" @{m.size}" if m.size else ""
            print(f"{m.name}{size}: median {m.median_s * 1000:.0f} ms, min {m.min_s * 1000:.0f} ms, peak {m.peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
