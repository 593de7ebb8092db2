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


def _key(path: Path) -> str:
    """A model's name among the measured files: its path (two models may share a name:
    the bank is both a view fixture and a gallery model)."""
    return path.relative_to(ROOT).with_suffix("").as_posix().replace("/", "_")


@pytest.fixture(scope="module")
def layouts(tmp_path_factory):
    """Every view of every model drawn as SVG and measured once."""
    folder = tmp_path_factory.mktemp("svg")
    files: list[Path] = []
    for path in MODELS:
        model = load_model(path)
        specs = views.build_views(model, run_rules(model))
        for name, data in draw.render(specs).items():
            out = folder / f"{_key(path)}.{name}"
            out.write_bytes(data)
            files.append(out)
    return {Path(lay.name).name: lay for lay in svgcheck.measure_files(files)}


def test_every_model_is_measured(layouts):
    assert {name.split(".")[0] for name in layouts} == {_key(p) for p in MODELS}
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


def _zone_boxes(model, view: str) -> tuple[dict[str, str | None], set[str]]:
    """Where the model says each component of ``view`` is (the SVG id of its zone's box,
    None for the internet), and every zone box the view may draw. From the model alone:
    the network view boxes the cloud and every other zone, the context view the zones of
    what is around the system (the cloud is the system's box itself)."""
    from archgen.catalog import get_catalog
    from archgen.graph import INTERNET_ZONE, ArchGraph

    graph, cat = ArchGraph(model), get_catalog()
    boxes = {f"c-zone-{model.zone_of(c)}" for c in graph.components()} - {f"c-zone-{INTERNET_ZONE}", "c-zone-cloud"}
    expected: dict[str, str | None] = {}
    for comp in graph.components():
        zone = model.zone_of(comp)
        if view == "context" and cat.provisioned(comp.kind):
            continue  # inside the system's own box
        box = None if zone == INTERNET_ZONE else ("c-cloud" if zone == "cloud" else f"c-zone-{zone}")
        expected[f"n-{comp.id}"] = None if (view == "context" and box == "c-cloud") else box
    return expected, boxes | ({"c-cloud"} if view == "network" else set())


@pytest.mark.parametrize("view", ["network", "context"])
def test_every_component_is_inside_the_box_of_its_zone(layouts, view):
    """The zone boundaries hold what the model says (issue 17), measured from the SVG:
    each component lies inside its zone's box and inside no other zone's. The bank
    gallery model has staff on the corporate network, a mainframe, a VPN and an e-mail
    system on premises and ATMs in a zone of its own."""
    breaches, zoned = {}, 0
    for path in MODELS:
        model = load_model(path)
        expected, boxes = _zone_boxes(model, view)
        zoned += sum(1 for box in expected.values() if box and box != "c-cloud")
        found = svgcheck.zone_breaches(layouts[f"{_key(path)}.{view}.svg"], expected, boxes)
        if found:
            breaches[_key(path)] = found
    assert breaches == {}
    assert zoned >= 6  # the bank alone: 2 staff, VPN, mainframe, e-mail, ATMs


def test_a_node_outside_its_zone_box_is_a_breach():
    lay = svgcheck.Layout(name="x", width=100, height=100, texts=0, nodes={"n-a": [10, 10, 20, 20], "n-b": [60, 60, 70, 70]}, clusters={"c-zone-x": [0, 0, 50, 50]})
    assert svgcheck.zone_breaches(lay, {"n-a": "c-zone-x", "n-b": None}, {"c-zone-x"}) == []
    assert svgcheck.zone_breaches(lay, {"n-a": None, "n-b": "c-zone-x"}, {"c-zone-x"}) == ["n-a: inside c-zone-x", "n-b: outside c-zone-x"]
