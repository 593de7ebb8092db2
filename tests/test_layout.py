"""What a reader sees in every diagram of the example, the real-stack fixtures and the
gallery: measured from the SVG in headless Chromium (tests/svgcheck.py), never assumed.

No two texts overlap, no text lies on an icon or box it does not belong to, no word is
split across lines, every edge label lies within a few pixels of its own edge and
nearer to it than to any other. docs/diagrams.md quotes the counts before and after."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import svgcheck
from conftest import EXAMPLE, ROOT

from archgen.generators import draw, views
from archgen.rules import run_rules
from archgen.sources.loader import load_model

pytestmark = pytest.mark.skipif(
    (not shutil.which("chromium") or not shutil.which("dot")) and not os.environ.get("CI"),
    reason="needs Graphviz and Debian's chromium",
)

FIXTURES = sorted((ROOT / "tests" / "fixtures" / "views").glob("*.yaml"))
GALLERY = sorted((ROOT / "examples").glob("*/arch/*.yaml")) if (ROOT / "examples").is_dir() else []
MODELS = [EXAMPLE, *FIXTURES, *GALLERY]


@pytest.fixture(scope="module")
def layouts(tmp_path_factory):
    """Every view of every model drawn as SVG and measured once."""
    folder = tmp_path_factory.mktemp("svg")
    files: list[Path] = []
    for path in MODELS:
        model = load_model(path)
        specs = views.build_views(model, run_rules(model))
        for name, data in draw.render(specs).items():
            out = folder / f"{model.name}.{name}"
            out.write_bytes(data)
            files.append(out)
    return {Path(lay.name).name: lay for lay in svgcheck.measure_files(files)}


def test_every_model_is_measured(layouts):
    assert {name.split(".")[0] for name in layouts} == {load_model(p).name for p in MODELS}
    assert all(lay.texts > 0 for lay in layouts.values())


@pytest.mark.parametrize(
    "check", ["text_overlaps", "text_on_icon", "text_on_own_icon", "split_words", "far_labels", "closer_edge", "arrow_on_text"]
)
def test_no_diagram_has(layouts, check):
    found = {name: getattr(lay, check) for name, lay in layouts.items() if getattr(lay, check)}
    assert found == {}


def test_a_shortened_label_keeps_its_full_text_in_the_title(layouts, tmp_path):
    """A label cut with an ellipsis (a word too long even in small type) is read in
    full in the node's <title>, the tooltip of every browser."""
    from archgen.generators.views import NodeSpec, make_view

    word = "a" + "b" * 70
    spec = make_view("v", "t", "d", [NodeSpec("n", word, icon="diagrams.k8s.compute.Deployment")])
    svg = draw.render([spec])["v.svg"]
    (tmp_path / "v.svg").write_bytes(svg)
    [lay] = svgcheck.measure_files([tmp_path / "v.svg"])
    assert len(lay.cut_labels) == 1 and lay.split_words == []
    assert f"<title>{word}</title>" in svg.decode()


def test_the_checks_find_what_they_look_for(tmp_path):
    """The measure itself: a hand-made SVG with two overlapping texts, a split word, a
    label far from its edge and an arrowhead on another node's text is caught on each
    count (and the arrowhead on nothing else: its own edge's label does not count)."""
    svg = """<svg xmlns="http://www.w3.org/2000/svg" width="400pt" height="300pt" viewBox="0 0 400 300">
<g id="graph0" class="graph">
<g id="n-a" class="node"><title>productcatalogservice</title>
<text text-anchor="middle" x="50" y="50" font-family="Sans-Serif" font-size="13">productcatalogserv</text>
<text text-anchor="middle" x="50" y="64" font-family="Sans-Serif" font-size="13">ice</text></g>
<g id="n-b" class="node"><title>b</title>
<text text-anchor="middle" x="60" y="52" font-family="Sans-Serif" font-size="13">overlapping</text></g>
<g id="edge1" class="edge"><title>a-&gt;b</title>
<path fill="none" stroke="black" d="M10,200C60,200 120,200 200,200"/>
<text text-anchor="middle" x="100" y="150" font-family="Sans-Serif" font-size="13">far</text></g>
<g id="n-c" class="node"><title>c</title>
<text text-anchor="middle" x="300" y="100" font-family="Sans-Serif" font-size="13">target</text></g>
<g id="edge2" class="edge"><title>b-&gt;c</title>
<path fill="none" stroke="black" d="M200,60C230,70 260,80 280,92"/>
<polygon fill="black" stroke="black" points="276,88 290,96 280,84 276,88"/>
<text text-anchor="middle" x="240" y="60" font-family="Sans-Serif" font-size="13">own</text></g>
</g></svg>"""
    (tmp_path / "bad.svg").write_text(svg)
    [lay] = svgcheck.measure_files([tmp_path / "bad.svg"])
    assert lay.split_words == ["n-a:productcatalogserv"]
    assert lay.text_overlaps and lay.far_labels and lay.far_labels[0][0] == "edge1:far"
    assert lay.arrow_on_text == [("edge2", "n-c:target")]
