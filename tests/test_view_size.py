"""Every view is of a readable size (issue 21: "large views split so that none exceeds a
readable size"): at most ``views.MAX_SIDE_PX`` CSS pixels on a side and at most
``views.MAX_ASPECT`` times as long as wide, read from each SVG's own width and height.

On the example, every view fixture and gallery model, and on bench models of 61
components (the smallest large model: before the views were cut in parts, its group
views were 7,751 px tall at an aspect ratio of 8.2) and 200 (13,155 px, 13.3)."""

from __future__ import annotations

import dataclasses
import shutil
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLE, ROOT

from archgen.generators import draw, svglayout, views
from archgen.rules import run_rules
from archgen.sources.loader import load_model, parse_model

sys.path.insert(0, str(ROOT / "bench"))
from generate import generate

pytestmark = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz 'dot' is not installed")

FIXTURES = sorted((ROOT / "tests" / "fixtures" / "views").glob("*.yaml"))
GALLERY = sorted((ROOT / "examples").glob("*/arch/*.yaml"))
BENCH_SIZES = (61, 200)


def _model(which: Path | int):
    return parse_model(generate(which), f"bench-{which}.yaml") if isinstance(which, int) else load_model(which)


def _sizes(which: Path | int) -> dict[str, tuple[float, float]]:
    model = _model(which)
    images = draw.render(views.build_views(model, run_rules(model)))
    return {name: svglayout.css_size(data) for name, data in sorted(images.items())}


def _too_big(sizes: dict[str, tuple[float, float]]) -> list[str]:
    return [
        f"{name}: {w:.0f}x{h:.0f} px"
        for name, (w, h) in sizes.items()
        if max(w, h) > views.MAX_SIDE_PX or max(w, h) > views.MAX_ASPECT * min(w, h)
    ]


@pytest.mark.parametrize("which", [*BENCH_SIZES, EXAMPLE, *FIXTURES, *GALLERY], ids=str)
def test_every_view_is_of_a_readable_size(which):
    sizes = _sizes(which if isinstance(which, int) else Path(which))
    assert sizes and all(wh is not None for wh in sizes.values())
    assert _too_big(sizes) == []


def test_a_large_models_big_views_are_cut_in_parts_and_laid_out_as_grids():
    model = _model(200)
    specs = views.build_views(model, run_rules(model))
    parts = [s for s in specs if views.whole_name(s.name) != s.name]
    assert {views.whole_name(s.name) for s in parts} >= {"data", "findings"}
    assert all(len(s.nodes) <= views.PART_NODES for s in parts)
    # the same flagged components drawn as Graphviz ranks them: one column, far too tall
    findings = next(s for s in specs if views.whole_name(s.name) == "findings")
    assert findings.layout == "grid" and len(findings.nodes) > views.GRID_NODES
    ranked = {k: svglayout.css_size(v) for k, v in draw.render([dataclasses.replace(findings, layout="ranks")]).items()}
    gridded = {k: svglayout.css_size(v) for k, v in draw.render([findings]).items()}
    (rw, rh), (gw, gh) = next(iter(ranked.values())), next(iter(gridded.values()))
    assert rh / rw > gh / gw and _too_big(gridded) == []


def test_the_model_page_explains_the_parts_and_every_part_box_links_to_its_part():
    from archgen.site import pages

    model = _model(200)
    findings = run_rules(model)
    specs = views.build_views(model, findings)
    bundle = pages.ModelBundle(model=model, findings=findings, views=specs)
    note = pages.split_note(bundle)
    split = sorted({views.whole_name(s.name) for s in specs if views.whole_name(s.name) != s.name})
    assert split and all(f"{name} (" in note for name in split)
    assert f"{views.MAX_SIDE_PX:,} pixels" in note
    names = {s.name for s in specs}
    boxes = 0
    for spec in specs:
        links = pages.diagram_links(bundle, spec)
        for node in spec.nodes:
            if node.id.startswith(("part.", "group.")):
                href = links[f"n-{node.id}"]
                assert href.partition("#view-")[2] in names, (spec.name, node.id, href)
                boxes += node.id.startswith("part.")
    assert boxes > 10
    # on the page, the parts follow each other where their view goes
    order = [s.name for s in sorted(specs, key=pages._view_order)]
    data = [i for i, n in enumerate(order) if views.whole_name(n) == "data"]
    assert data == list(range(data[0], data[0] + len(data)))
    assert [order[i] for i in data] == [views.part_name("data", k) for k in range(1, len(data) + 1)]


def test_every_link_in_the_parts_of_a_built_site_resolves(tmp_path):
    """``archgen build`` of a 200-component model (real MkDocs): every link of every SVG,
    those of the boxes standing for other parts included, opens a page and an anchor
    that exist."""
    import os
    import subprocess
    import xml.etree.ElementTree as ET
    from urllib.parse import unquote, urlsplit

    (tmp_path / "arch").mkdir()
    (tmp_path / "arch" / "bench.yaml").write_text(generate(200), encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    run = subprocess.run([sys.executable, "-m", "archgen", "build"], cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    site = tmp_path / "site"
    svgs = sorted(site.glob("models/*/diagrams/*.svg"))
    assert any("-part-" in s.name for s in svgs)
    to_parts = 0
    for svg in svgs:
        for a in ET.parse(svg).getroot().iter("{http://www.w3.org/2000/svg}a"):
            href = a.get("{http://www.w3.org/1999/xlink}href") or a.get("href")
            parts = urlsplit(href)
            target = (svg.parent / unquote(parts.path)).resolve()
            assert target.is_file(), f"{svg.name}: {href}"
            if parts.fragment:
                assert f'id="{parts.fragment}"' in target.read_text(encoding="utf-8"), f"{svg.name}: {href}"
            to_parts += "-part-" in parts.fragment
    assert to_parts > 10
    page = next(site.glob("models/*/index.html")).read_text(encoding="utf-8")
    assert "is cut in parts" in page and "data-part-2.svg" in page


def test_archgen_diagram_view_names_a_view_cut_in_parts_or_one_part(tmp_path, run_cli):
    model = tmp_path / "bench.yaml"
    model.write_text(generate(200), encoding="utf-8")
    out = tmp_path / "out"
    every = run_cli("diagram", str(model), "--view", "data", "--format", "dot", "-o", str(out), "--no-cache", cwd=tmp_path)
    assert every.returncode == 0, every.stderr
    written = sorted(p.name for p in (out / "bench-200").iterdir())
    assert len(written) > 2 and all(n.startswith("data-part-") and n.endswith(".dot") for n in written)
    one = run_cli("diagram", str(model), "--view", "data-part-2", "--format", "dot", "-o", str(tmp_path / "one"), "--no-cache", cwd=tmp_path)
    assert one.returncode == 0, one.stderr
    assert sorted(p.name for p in (tmp_path / "one" / "bench-200").iterdir()) == ["data-part-2.dot"]
    bad = run_cli("diagram", str(model), "--view", "data-part-99", "--format", "dot", "-o", str(tmp_path / "bad"), cwd=tmp_path)
    assert bad.returncode == 2 and "data-part-1" in bad.stderr
