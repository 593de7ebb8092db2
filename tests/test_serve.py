"""``archgen serve``: a clear message and exit 2 on a busy or invalid port, and the open
page reloads itself after a rebuild (MkDocs' live-reload server), seen in Chromium."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT, launch_chromium

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT / "src")}


def repo_copy(dest: Path) -> Path:
    (dest / "arch").mkdir(parents=True)
    shutil.copy(ROOT / "arch" / "ml-serving.yaml", dest / "arch" / "ml-serving.yaml")
    shutil.copytree(ROOT / "decisions", dest / "decisions")
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def serve(repo: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "archgen", "serve", *args], cwd=repo, capture_output=True, text=True,
                          timeout=timeout, env=ENV)


def test_busy_port_is_a_clear_error(tmp_path) -> None:
    repo = repo_copy(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = serve(repo, "--port", str(port))
    assert result.returncode == 2
    (line,) = result.stderr.splitlines()  # one line, no traceback (exit 1 read as "findings")
    assert f"port {port} on 127.0.0.1 is already in use" in line and "--port" in line
    assert not (repo / "site").exists(), "nothing is built before the port is known to be free"


@pytest.mark.parametrize("port", ["70000", "-1", "http"])
def test_invalid_port_exits_2(tmp_path, port) -> None:
    result = serve(repo_copy(tmp_path), "--port", port)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "port" in result.stderr


class Serving:
    def __init__(self, repo: Path) -> None:
        self.lines: list[str] = []
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "archgen", "serve", "--port", "0", "--interval", "0.2"],
            cwd=repo, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=ENV,
        )
        self.ready = threading.Event()
        self.url = ""
        threading.Thread(target=self._read, daemon=True).start()
        assert self.ready.wait(600), "archgen serve did not start:\n" + "".join(self.lines)

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.append(line)
            m = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
            if m and not self.url:
                self.url = m.group(1)
                self.ready.set()

    def rebuilt(self) -> int:
        return sum("site rebuilt" in line for line in self.lines)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=60)


def _get(url: str, timeout: float = 10) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as resp:
        return resp.read().decode("utf-8", "replace")


def test_pages_carry_the_reload_script_and_the_epoch_moves_on_rebuild(tmp_path) -> None:
    repo = repo_copy(tmp_path)
    server = Serving(repo)
    try:
        page = _get(server.url + "models/ml-serving/")
        m = re.search(r"livereload\((\d+), (\d+)\)", page)
        assert m, "the served page has no live-reload script"
        epoch = int(m.group(1))
        model = repo / "arch" / "ml-serving.yaml"
        model.write_text(model.read_text().replace("title: ML model serving platform", "title: Reloaded platform"))
        # the long poll the page makes answers with a newer epoch once the rebuild is done
        newer = int(float(_get(f"{server.url}livereload/{epoch}/{m.group(2)}", timeout=300)))
        assert newer > epoch
        assert "Reloaded platform" in _get(server.url + "models/ml-serving/")
        # a model with problems keeps the previous site, and reloads nothing
        before = server.rebuilt()
        model.write_text(model.read_text().replace("kind: postgres", "kind: postgress"))
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not any("still serving the previous site" in line for line in server.lines):
            time.sleep(0.2)
        assert any("still serving the previous site" in line for line in server.lines), "".join(server.lines)
        assert server.rebuilt() == before
        assert "Reloaded platform" in _get(server.url + "models/ml-serving/")
        assert not any("Traceback" in line for line in server.lines)
    finally:
        server.stop()


@pytest.mark.skipif(not shutil.which("chromium"), reason="Debian's chromium is not installed")
def test_the_open_page_reloads_itself_in_chromium(tmp_path) -> None:
    from playwright.sync_api import sync_playwright

    repo = repo_copy(tmp_path)
    server = Serving(repo)
    try:
        with sync_playwright() as p:
            browser = launch_chromium(p)
            page = browser.new_page()
            page.goto(server.url + "models/ml-serving/")
            assert "ML model serving platform" in page.inner_text("body")
            page.evaluate("window.__beforeEdit = true")
            model = repo / "arch" / "ml-serving.yaml"
            model.write_text(model.read_text().replace("title: ML model serving platform", "title: Seen after reload"))
            # nobody reloads the page but its own script: the marker is gone, the new title is there
            page.wait_for_function("() => !window.__beforeEdit && document.body.innerText.includes('Seen after reload')",
                                   timeout=300_000)
            browser.close()
    finally:
        server.stop()


#: What crashed archgen (and so killed archgen serve) in issue 23, as edits of the example.
CRASHED = {
    "sizing-word": ("    title: FastAPI backend\n", "    title: FastAPI backend\n    sizing: {vcpu: half}\n"),
    "sizing-list": ("    title: FastAPI backend\n", "    title: FastAPI backend\n    sizing: {vcpu: [1, 2]}\n"),
    "sizing-inf": ("    title: FastAPI backend\n", "    title: FastAPI backend\n    sizing: {vcpu: .inf}\n"),
    "bool-tag": ("title: FastAPI backend", "title: !!bool maybe"),
    "empty-int": ("  monthly_budget_usd: 500", "  monthly_budget_usd: !!int"),
    "long-group": ("    title: FastAPI backend\n", "    title: FastAPI backend\n    group: " + "g" * 250 + "\n"),
}


def test_what_crashed_archgen_leaves_serve_running_on_the_previous_site(tmp_path) -> None:
    repo = repo_copy(tmp_path)
    model = repo / "arch" / "ml-serving.yaml"
    good = model.read_text()
    for old, _new in CRASHED.values():
        assert old in good, old
    server = Serving(repo)
    try:
        assert "ML model serving platform" in _get(server.url + "models/ml-serving/")  # serving, and watching
        for name, (old, new) in CRASHED.items():
            kept = sum("still serving the previous site" in line for line in server.lines)
            model.write_text(good.replace(old, new, 1))
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and server.proc.poll() is None and kept == sum(
                "still serving the previous site" in line for line in server.lines
            ):
                time.sleep(0.2)
            assert server.proc.poll() is None, (name, "".join(server.lines))
            assert sum("still serving the previous site" in line for line in server.lines) > kept, name
            assert "ML model serving platform" in _get(server.url + "models/ml-serving/"), name
        assert not any("Traceback" in line for line in server.lines), "".join(server.lines)
    finally:
        server.stop()


def _site_bytes(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and p.name != ".archgen-output"}


def test_the_site_after_edits_in_serve_is_byte_identical_to_a_clean_build(tmp_path) -> None:
    """archgen serve rebuilds in its long-lived process (templates compiled once, the diagram
    and page caches warm); after two edits its site has exactly the bytes of a clean
    ``archgen build`` of the same model in a fresh process, with a cache of its own."""
    repo = repo_copy(tmp_path / "served")
    server = Serving(repo)
    model = repo / "arch" / "ml-serving.yaml"
    try:
        assert "livereload" in _get(server.url + "models/ml-serving/")  # serving, so watching
        for i, (old, new) in enumerate((
            ("title: ML model serving platform", "title: Edited platform"),
            ("    title: CloudFront distribution\n", "    title: CloudFront edge (retitled)\n"),
        )):
            text = model.read_text()
            assert old in text
            model.write_text(text.replace(old, new))
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline and server.rebuilt() <= i:
                time.sleep(0.1)
            assert server.rebuilt() == i + 1, "".join(server.lines)
        served = _site_bytes(repo / "site")
    finally:
        server.stop()
    assert "CloudFront edge (retitled)" in served["models/ml-serving/index.html"].decode()
    clean = repo_copy(tmp_path / "clean")
    shutil.copy(model, clean / "arch" / model.name)
    done = subprocess.run([sys.executable, "-m", "archgen", "build", "-q"], check=False, cwd=clean, capture_output=True, text=True,
                          timeout=600, env={**ENV, "XDG_CACHE_HOME": str(tmp_path / "clean-cache")})
    assert done.returncode == 0, done.stderr
    built = _site_bytes(clean / "site")
    assert sorted(built) == sorted(served)
    assert [rel for rel in built if built[rel] != served[rel]] == []
