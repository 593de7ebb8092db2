"""Edit-to-reload time of ``archgen serve``: from saving a model to the open page showing it.

    python bench/serve_reload.py [--edits 5] [--model arch/ml-serving.yaml]

Copies the repository's ``arch/``, ``decisions/`` and ``mkdocs.yml`` (or the given model)
into a temporary folder, runs ``archgen serve --port 0`` there, opens the model's page in
headless Chromium (Debian's ``chromium``, driven by Playwright), then ``--edits`` times:
changes the model's title on disk and waits until the page has reloaded itself (the live
reload script, no reload from the test) and shows the new title. Each figure is wall time
from the write to the reloaded page's ``load`` event, and is split into the rebuild
(``archgen serve`` says "site rebuilt") and the rest (the page noticing and reloading).

Prints one JSON object: the edits' times, their median, and the machine. Nothing here
asserts a time; the figures go to docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def start_serve(repo: Path, interval: float) -> tuple[subprocess.Popen, str, list[tuple[float, str]]]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "archgen", "serve", "--port", "0", "--interval", str(interval)],
        cwd=repo, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env,
    )
    lines: list[tuple[float, str]] = []
    url_ready = threading.Event()
    url: list[str] = []

    def read() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.append((time.perf_counter(), line))
            m = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
            if m and not url:
                url.append(m.group(1))
                url_ready.set()

    threading.Thread(target=read, daemon=True).start()
    if not url_ready.wait(600):
        proc.kill()
        raise SystemExit("archgen serve did not start:\n" + "".join(line for _, line in lines))
    return proc, url[0], lines


def measure(repo: Path, model: Path, edits: int, interval: float, chromium: str) -> list[dict[str, float]]:
    from playwright.sync_api import sync_playwright

    proc, url, lines = start_serve(repo, interval)
    name = re.search(r"^name:\s*(\S+)", model.read_text(encoding="utf-8"), re.M).group(1)
    page_url = f"{url}models/{name}/"
    out: list[dict[str, float]] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            page.goto(page_url)
            for i in range(edits):
                title = f"Edited title {i}"
                page.evaluate("window.__beforeEdit = true")
                loads: list[float] = []
                page.on("load", on_load := lambda: loads.append(time.perf_counter()))
                text = model.read_text(encoding="utf-8")
                text = re.sub(r"^title:.*$", f"title: {title}", text, count=1, flags=re.M)
                seen = len(lines)
                start = time.perf_counter()
                model.write_text(text, encoding="utf-8")
                page.wait_for_function(
                    "t => !window.__beforeEdit && document.body && document.body.innerText.includes(t)",
                    arg=title, timeout=300_000,
                )
                page.remove_listener("load", on_load)
                # the last load before the page showed the title: a rebuild the previous edit
                # started again (its file written twice) can reload the page once more before
                end = loads[-1] if loads else time.perf_counter()
                rebuilt = max((t for t, line in lines[seen:] if "site rebuilt" in line and t <= end), default=end)
                out.append({"total_s": end - start, "rebuild_s": rebuilt - start, "reload_s": end - rebuilt})
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--interval", type=float, default=0.5, help="archgen serve --interval")
    parser.add_argument("--model", type=Path, help="another model to serve (default: the example)")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        raise SystemExit("needs Debian's chromium (apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="archgen-serve-bench-") as tmp:
        repo = Path(tmp)
        (repo / "arch").mkdir()
        if args.model:
            shutil.copy(args.model, repo / "arch" / args.model.name)
            model = repo / "arch" / args.model.name
        else:
            shutil.copy(ROOT / "arch" / "ml-serving.yaml", repo / "arch" / "ml-serving.yaml")
            shutil.copytree(ROOT / "decisions", repo / "decisions")
            shutil.copy(ROOT / "mkdocs.yml", repo / "mkdocs.yml")
            model = repo / "arch" / "ml-serving.yaml"
        runs = measure(repo, model, args.edits, args.interval, chromium)
    result = {
        "edits": runs,
        "median_total_s": round(statistics.median(r["total_s"] for r in runs), 3),
        "median_rebuild_s": round(statistics.median(r["rebuild_s"] for r in runs), 3),
        "median_reload_s": round(statistics.median(r["reload_s"] for r in runs), 3),
        "interval_s": args.interval,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}, Python {platform.python_version()}",
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
