"""Diagrams without a system Graphviz: the pygraphviz wheel's libraries, in archgen's
gvdot worker processes, when no ``dot`` is on PATH (or ``ARCHGEN_GRAPHVIZ=pygraphviz``)."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from conftest import EXAMPLE, ROOT

from archgen.errors import ArchgenError
from archgen.generators import draw, views
from archgen.rules import run_rules
from archgen.sources.loader import load_model

pytest.importorskip("pygraphviz", reason="pygraphviz is not installed (pip install 'archgen[graphviz]')")

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def wheel_only(monkeypatch):
    monkeypatch.setenv(draw.ENGINE_ENV, draw.PYGRAPHVIZ)
    yield
    draw._workers.close()


def example_views():
    model = load_model(EXAMPLE)
    return list(views.iter_views(model, run_rules(model, [])))


def test_the_wheel_is_chosen_when_no_dot_is_on_path(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv(draw.ENGINE_ENV, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # no dot here
    assert draw._find_dot() == draw.PYGRAPHVIZ
    monkeypatch.setenv(draw.ENGINE_ENV, "dot")
    with pytest.raises(ArchgenError, match="archgen\\[graphviz\\]"):
        draw._find_dot()
    monkeypatch.delenv(draw.ENGINE_ENV)
    monkeypatch.setattr(draw, "_has_pygraphviz", lambda: False)
    with pytest.raises(ArchgenError, match="no 'dot' on PATH and no pygraphviz"):
        draw._find_dot()


def test_svg_and_png_with_icons_embedded(wheel_only) -> None:
    specs = example_views()
    out = draw.render(specs, formats=("svg", "png"))
    assert sorted(out) == sorted(f"{v.name}.{f}" for v in specs for f in ("svg", "png"))
    for spec in specs:
        root = ET.fromstring(out[f"{spec.name}.svg"])
        uses = root.findall(f".//{SVG}use")
        symbols = root.findall(f".//{SVG}symbol")
        assert uses and len(symbols) == len({u.get("{http://www.w3.org/1999/xlink}href") for u in uses})
        assert b"file://" not in out[f"{spec.name}.svg"] and str(ROOT).encode() not in out[f"{spec.name}.svg"]
        assert out[f"{spec.name}.png"].startswith(b"\x89PNG\r\n\x1a\n")
    version = draw.graphviz_version(draw.PYGRAPHVIZ)
    assert version[0].isdigit() and int(version.split(".")[0]) >= 9  # the wheel's Graphviz, not Debian's 2.43


def test_same_bytes_in_any_parallelism(wheel_only) -> None:
    specs = example_views()
    one = draw.render(specs, formats=("svg", "png"), jobs=1)
    draw._workers.close()  # fresh workers: a first layout in a process gives the same bytes as a later one
    two = draw.render(list(reversed(specs)), formats=("svg", "png"), jobs=2)
    assert one == two


def test_a_worker_that_dies_is_a_draw_error_and_is_replaced(wheel_only) -> None:
    (spec, *_) = example_views()
    worker = draw._workers.get()
    worker.proc.kill()
    worker.proc.wait()
    with pytest.raises(ArchgenError, match="pygraphviz"):
        worker.run(draw.to_dot(spec), "svg", str(draw._diagrams_root()), "overview.svg")
    assert draw._workers.get() is not worker  # the next layout gets a new process
    assert b"<svg" in draw.render([spec], formats=("svg",))["overview.svg"]


def test_bad_dot_is_an_error_not_a_crash(wheel_only) -> None:
    worker = draw._workers.get()
    with pytest.raises(ArchgenError, match="failed on broken"):
        worker.run("digraph { a -> ", "svg", "", "broken")
    assert worker.alive()


def test_the_cli_draws_with_no_dot_on_path(tmp_path) -> None:
    env = {**os.environ, "PATH": str(tmp_path / "empty"), "PYTHONPATH": str(ROOT / "src"), "NO_MKDOCS_2_WARNING": "1"}
    env.pop(draw.ENGINE_ENV, None)
    result = subprocess.run([sys.executable, "-m", "archgen", "diagram", str(EXAMPLE), "-o", str(tmp_path / "out"),
                             "--no-cache", "--format", "svg,png"], capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stderr
    files = sorted(p.name for p in (tmp_path / "out" / "ml-serving").iterdir())
    assert files == sorted(f"{v}.{f}" for v in ("overview", "network", "data", "findings", "context") for f in ("svg", "png"))
    assert "Traceback" not in result.stderr
