"""The drawer: DOT through `diagrams` (golden files), real SVG and PNG from Graphviz,
embedded icons, escaping of hostile text, the render cache, and `archgen diagram`."""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import stat
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from archgen.generators import draw
from archgen.findings import Finding
from archgen.sources.loader import load_model, parse_model
from archgen.generators.views import ClusterSpec, EdgeSpec, NodeSpec, build_views, data_view, findings_view, make_view, network_view, overview_view

from conftest import EXAMPLE

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"
DOT = shutil.which("dot")
needs_dot = pytest.mark.skipif(DOT is None, reason="Graphviz 'dot' is not installed")

HOSTILE_TITLE = '<script>alert(1)</script> & "q" {a|b} \\N ${x} `t`'
HOSTILE = f"""\
archgen: 1
name: hostile
title: '{HOSTILE_TITLE}'
provider: aws
components:
  users:
    kind: actor
    title: '<b>Users</b> & &amp; friends'
  api:
    kind: container_service
    title: '"><img src=x onerror=alert(1)> \\G end\\'
    group: '<g> & "grp"'
    data: [pii]
  db:
    kind: postgres
    title: '&lt;no entity&gt; &#60; <<x>>'
    group: '<g> & "grp"'
  web:
    kind: static_site
    title: '<<b>bold</b>>'
flows:
  - from: users
    to: api
    label: '<i>https</i> & "x" \\l'
  - api -> db: ']]> <!-- c --> |'
"""


def example_views():
    model = load_model(EXAMPLE)
    # fixed findings, so the golden DOT does not follow the rule set as it grows
    findings = [
        Finding("SEC-EXAMPLE-ERROR", "security", "error", "m", "r", model.file, 1, component="db"),
        Finding("REL-EXAMPLE-WARNING", "reliability", "warning", "m", "r", model.file, 1, component="api"),
        Finding("LOCKIN-EXAMPLE", "lock-in", "warning", "m", "r", model.file, 1, component="model", accepted=True),
    ]
    return [overview_view(model), network_view(model), data_view(model), findings_view(model, findings)]


def svg_node_id(node_id: str) -> str:
    """A node's pinned id as Graphviz writes it in SVG (``-`` as ``&#45;``)."""
    return 'id="' + draw._svg_id("n", node_id).replace("-", "&#45;") + '"'


def svg_tree(data: bytes) -> ET.Element:
    return ET.fromstring(data)


def node_text(root: ET.Element, node_id: str) -> str:
    """The text of one drawn node (by its pinned SVG id), lines joined by spaces."""
    for g in root.iter(f"{SVG}g"):
        if g.get("id") == node_id:
            return " ".join("".join(t.itertext()) for t in g.iter(f"{SVG}text"))
    raise AssertionError(f"no element {node_id}")


# -- DOT ----------------------------------------------------------------------


@pytest.mark.parametrize("index", range(4))
def test_dot_of_the_example_matches_the_golden_file(golden, index):
    view = example_views()[index]
    golden(f"diagrams/ml-serving.{view.name}.dot", draw.to_dot(view))


def _reference_cases():
    """Views of every kind: the example, the hostile model, each diff case, generated
    models (clusters nested, group views, the summary network), odd labels and styles."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from generate import generate

    from archgen.rendering.report import check_models

    cases = [(f"example.{v.name}", v) for v in example_views()]
    cases += [(f"hostile.{v.name}", v) for v in build_views(parse_model(HOSTILE))]
    for n, seed in ((12, 1), (90, 2)):
        [(model, findings)] = check_models([parse_model(generate(n, seed), f"gen{n}.yaml")], [])
        cases += [(f"gen{n}.{v.name}", v) for v in build_views(model, findings)]
    odd = [
        NodeSpec("a", "   ", icon=None, style="group"),
        NodeSpec("b", "x" * 200, note="first line\nsecond " * 5, style="summary"),
        NodeSpec("node", "a keyword id", icon="diagrams.aws.compute.Fargate", style="error"),
        NodeSpec("1.5", "<<b>html?</b>>", icon="diagrams.aws.compute.NoSuch", status="removed"),
    ]
    edges = [
        EdgeSpec("e1", "a", "b", label="   "),
        EdgeSpec("e2", "b", "node", label='"quoted" \\ <x>', style="implicit", status="changed"),
        EdgeSpec("e3", "node", "1.5", style="aggregate"),
    ]
    cases.append(("odd", make_view("odd", "t", "d", odd, (), edges, direction="TB")))
    many = [NodeSpec(f"n{i}", f"N {i}") for i in range(60)]
    wide = [EdgeSpec(f"e{i}", f"n{i % 60}", f"n{(i * 7 + 1) % 60}", label=f"flow {i}" if i % 3 else "") for i in range(draw.XLABEL_EDGES + 1)]
    cases.append(("xlabels", make_view("xlabels", "t", "d", many, (), wide)))
    boxes = [ClusterSpec(f"g{i}", f"G {i}") for i in range(6)] + [ClusterSpec("inner", "Inner", "g0")]
    placed = [NodeSpec(f"n{i}", f"N {i}", cluster="inner" if i < 5 else f"g{i % 6}" if i % 7 else None) for i in range(50)]
    links = [e for e in wide[:60] if max(int(e.source[1:]), int(e.target[1:])) < 50]
    cases.append(("grid", make_view("grid", "t", "d", placed, boxes, links, layout="grid")))
    return cases


@pytest.mark.parametrize("name,view", _reference_cases(), ids=lambda x: x if isinstance(x, str) else "")
def test_dot_is_what_the_diagrams_package_writes(name, view):
    """archgen writes DOT directly (fast); the same view built from `diagrams` objects
    (tests/diagrams_reference.py) must give the same bytes."""
    from diagrams_reference import to_dot_via_diagrams

    assert draw.to_dot(view) == to_dot_via_diagrams(view)
    assert draw.to_dot(view, outside_labels=True) == to_dot_via_diagrams(view, outside_labels=True)


def test_a_view_with_many_edges_places_its_labels_after_layout():
    nodes = [NodeSpec(f"n{i}", f"N {i}") for i in range(40)]
    for count, key in ((draw.XLABEL_EDGES, "label"), (draw.XLABEL_EDGES + 1, "xlabel")):
        edges = [EdgeSpec(f"e{i}", f"n{i % 40}", f"n{(i + 1) % 40}", label=f"flow {i}") for i in range(count)]
        lines = [line for line in draw.to_dot(make_view("v", "t", "d", nodes, (), edges)).splitlines() if " -> " in line]
        assert len(lines) == count
        assert all(re.search(rf'[ \[]{key}="flow ', line) for line in lines)
        assert all(("[label=" in line) == (key == "label") for line in lines)


def test_dot_pins_node_ids_uses_spline_and_names_icons_by_relative_path():
    view = example_views()[0]
    dot = draw.to_dot(view)
    assert "splines=spline" in dot and "ortho" not in dot
    for node in view.nodes:
        assert re.search(rf"^\s*{re.escape(node.id)} \[", dot, re.M), node.id
    images = re.findall(r'image="([^"]*)"', dot)
    assert len(images) == len(view.nodes)
    assert all(not os.path.isabs(p) and ".." not in p for p in images)
    assert str(Path.home()) not in dot and "site-packages" not in dot


def test_dot_is_identical_across_builds():
    assert [draw.to_dot(v) for v in example_views()] == [draw.to_dot(v) for v in example_views()]


def test_hostile_text_is_escaped_for_dot():
    view = overview_view(parse_model(HOSTILE))
    dot = draw.to_dot(view)
    # no HTML-like label (<...>), no live backslash escape, no entity, quotes escaped
    assert "label=<" not in dot
    assert '\\\\N' in dot and '\\\\G' in dot and "&amp;lt;" in dot and '\\"q\\"' in dot


def test_an_unknown_icon_is_drawn_as_a_plain_box():
    view = make_view("v", "t", "d", [NodeSpec("a", "A", icon="diagrams.aws.compute.NoSuchThing"), NodeSpec("b", "B", icon="os.system")])
    dot = draw.to_dot(view)
    assert "image=" not in dot
    assert dot.count("shape=box") >= 2


@pytest.mark.parametrize(
    "label",
    ["productcatalogservice", "kube-prometheus-stack", "store (Parquet on S3)", "recommendationservice frontend", "a b c"],
)
def test_labels_are_wrapped_between_words_only(label):
    lines = draw._node_lines(NodeSpec("n", label))
    assert " ".join(lines) == label  # every word whole, in order, nothing cut
    assert all(line == line.strip() and line for line in lines)


def test_a_word_too_long_for_its_node_is_drawn_smaller_not_broken():
    node = NodeSpec("n", "recommendationservice", icon="diagrams.k8s.compute.Deployment")
    assert draw._node_lines(node) == ["recommendationservice"]
    dot = draw.to_dot(make_view("v", "t", "d", [node, NodeSpec("m", "cart", icon="diagrams.k8s.compute.Deployment")]))
    lines = {line.split(" [")[0].strip(): line for line in dot.splitlines() if " [label=" in line}
    assert draw.SMALLEST_FONT <= int(re.search(r"fontsize=(\d+)", lines["n"]).group(1)) < 13
    assert "fontsize" not in lines["m"]  # a short label keeps diagrams' 13 points


def test_a_word_too_long_even_at_the_smallest_font_is_shortened_with_an_ellipsis():
    word = "x" * 60
    [line] = draw._node_lines(NodeSpec("n", word))
    assert line.endswith("…") and word.startswith(line[:-1]) and len(line) < 40


def test_too_many_lines_end_with_an_ellipsis_after_a_whole_word():
    label = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen"
    lines = draw._node_lines(NodeSpec("n", label))
    assert len(lines) == draw.LABEL_LINES and lines[-1].endswith("…")
    words = lines[-1][:-1].split()
    assert all(w in label.split() for w in " ".join(lines[:-1]).split() + words)


def test_async_flows_are_dashed_and_requests_solid():
    view = make_view(
        "v", "t", "d", [NodeSpec("a", "A"), NodeSpec("b", "B")], (),
        [EdgeSpec("a->b", "a", "b", label="event", asynchronous=True), EdgeSpec("b->a", "b", "a", label="call")],
    )
    dot = draw.to_dot(view)
    assert re.search(r"a -> b \[label=event .*style=dashed", dot)
    assert "dashed" not in next(line for line in dot.splitlines() if "b -> a" in line)


def test_views_draw_a_flows_async_as_a_dashed_edge():
    model = parse_model(
        "archgen: 1\nname: e\nprovider: aws\ncomponents:\n  a: {kind: function}\n  t: {kind: topic}\n  q: {kind: queue}\n"
        "flows:\n  - {from: a, to: t, label: OrderPlaced, async: true}\n  - a -> q: send\n"
    )
    for view in build_views(model):
        edges = {e.id: e for e in view.edges}
        if "a->t:OrderPlaced" in edges:
            assert edges["a->t:OrderPlaced"].asynchronous and not edges["a->q:send"].asynchronous


def test_statuses_of_a_diff_map_to_colours_and_dashes():
    view = make_view(
        "diff",
        "t",
        "d",
        [NodeSpec("a", "A", status="added"), NodeSpec("b", "B", status="removed"), NodeSpec("c", "C", status="changed"), NodeSpec("d", "D", status="unchanged")],
        (),
        [EdgeSpec("a->b", "a", "b", status="removed"), EdgeSpec("c->d", "c", "d", status="added")],
    )
    dot = draw.to_dot(view)
    lines = {m.group(1): m.group(0) for m in re.finditer(r"^\s*(\w+(?: -> \w+)?) \[.*$", dot, re.M)}
    for node, status in (("a", "added"), ("b", "removed"), ("c", "changed")):
        assert f'color="{draw.STATUS_NODE_LOOK[status]["color"]}"' in lines[node]
    assert "dashed" in lines["b"] and "dashed" not in lines["a"]
    assert "style=dashed" in lines["a -> b"] and draw.STATUS_EDGE_LOOK["added"]["color"] in lines["c -> d"]


# -- real SVG -------------------------------------------------------------------


@needs_dot
def test_svg_is_self_contained_with_each_icon_embedded_once():
    views = example_views()
    out = draw.render(views)
    assert sorted(out) == sorted(f"{v.name}.svg" for v in views)
    for view in views:
        data = out[f"{view.name}.svg"]
        text = data.decode("utf-8")
        assert "file:" not in text and str(draw._diagrams_root()) not in text and "resources/" not in text
        root = svg_tree(data)
        symbols = {s.get("id"): s for s in root.iter(f"{SVG}symbol")}
        images = list(root.iter(f"{SVG}image"))
        assert images and all(i.get(XLINK).startswith("data:image/png;base64,") for i in images)
        assert len(images) == len(symbols) == len({n.icon for n in view.nodes if n.icon})
        uses = [u.get(XLINK) for u in root.iter(f"{SVG}use")]
        assert len(uses) == sum(1 for n in view.nodes if n.icon)
        assert {u[1:] for u in uses} == set(symbols)
        assert "<!--" not in text  # Graphviz's version and title comments are gone


@needs_dot
def test_two_renders_give_byte_identical_svg_in_any_parallelism():
    views = example_views()
    assert draw.render(views, jobs=1) == draw.render(views, jobs=2)


@needs_dot
def test_hostile_text_comes_out_escaped_in_svg():
    model = parse_model(HOSTILE)
    out = draw.render(build_views(model, []))
    for name, data in out.items():
        root = svg_tree(data)  # well-formed XML, or this raises
        for el in root.iter():
            local = el.tag.rsplit("}", 1)[-1].lower()
            assert local not in ("script", "img", "foreignobject", "b", "i"), (name, local)
            assert not any(attr.lower().startswith("on") for attr in el.attrib), (name, el.attrib)
    root = svg_tree(out["overview.svg"])
    assert node_text(root, "n-api") == model.components["api"].title
    assert node_text(root, "n-db") == model.components["db"].title
    assert node_text(root, "n-users") == model.components["users"].title
    assert node_text(root, "n-web") == "<<b>bold</b>>"  # not an HTML-like label
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert '<i>https</i> & "x" \\l' in texts and "]]> <!-- c --> |" in texts
    assert '<g> & "grp"' in texts
    assert any(t.startswith("<script>alert(1)</script>") for t in texts)


@needs_dot
def test_png_on_request_is_a_png_and_deterministic():
    view = example_views()[:1]
    first = draw.render(view, formats=("png", "svg"))
    assert sorted(first) == ["overview.png", "overview.svg"]
    assert first["overview.png"].startswith(b"\x89PNG\r\n\x1a\n")
    assert draw.render(view, formats=("png",))["overview.png"] == first["overview.png"]


@needs_dot
def test_a_large_model_renders_every_view():
    from test_views import large_model_yaml

    views = build_views(parse_model(large_model_yaml()), [])
    out = draw.render(views)
    assert len(out) == len(views)
    for data in out.values():
        svg_tree(data)


def test_dot_format_needs_no_graphviz(monkeypatch):
    views = example_views()
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setenv(draw.ENGINE_ENV, "dot")  # the program only: no pygraphviz stand-in either
    out = draw.render(views, formats=("dot",))
    assert out == {f"{v.name}.dot": draw.to_dot(v).encode() for v in views}
    with pytest.raises(draw.DrawError, match="Graphviz is not installed"):
        draw.render(views, formats=("svg",))


def test_embed_icons_drops_an_image_it_cannot_embed():
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><g>'
        '<image xlink:href="/usr/lib/python3/site-packages/resources/aws/compute/fargate.png" width="10px" height="10px" x="1" y="2"/>'
        '<image xlink:href="/etc/passwd" width="10px" height="10px" x="1" y="2"/></g></svg>'
    )
    out = draw.embed_icons(svg, ["resources/aws/compute/fargate.png"])
    assert "/etc/passwd" not in out and "/usr/lib" not in out
    assert out.count("<use ") == 1 and out.count("<symbol ") == 1


# -- the cache ------------------------------------------------------------------


def _dot_shim(tmp_path: Path, monkeypatch, body: str, version: bool = False) -> None:
    """A `dot` first on PATH: a shell script running ``body``. ``version``: `dot -V`
    goes straight to the real Graphviz."""
    if DOT is None:
        pytest.skip("Graphviz 'dot' is not installed")
    bindir = tmp_path / "bin"
    bindir.mkdir()
    shim = bindir / "dot"
    head = "#!/bin/sh\n" + ('case "$*" in *-V*) exec "' + DOT + '" "$@";; esac\n' if version else "")
    shim.write_text(head + body)
    shim.chmod(shim.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ['PATH']}")


@pytest.fixture
def counting_dot(tmp_path, monkeypatch):
    """A `dot` first on PATH that logs each call, then runs the real one."""
    log = tmp_path / "dot.log"
    _dot_shim(tmp_path, monkeypatch, f'echo "$*" >> "{log}"\nexec "{DOT}" "$@"\n')
    log.write_text("")
    return log


def test_a_rebuild_with_no_change_runs_no_graphviz(tmp_path, counting_dot):
    views = example_views()
    cache = tmp_path / "cache"
    first_stats = draw.RenderStats()
    first = draw.render(views, cache_dir=cache, stats=first_stats)
    assert first_stats.misses == 4 and counting_dot.read_text().count("-Tsvg") == 4
    counting_dot.write_text("")
    draw._VERSIONS.clear()  # as in a new process: the version comes from the cache folder
    again_stats = draw.RenderStats()
    again = draw.render(views, cache_dir=cache, stats=again_stats)
    assert again == first
    assert (again_stats.hits, again_stats.misses) == (4, 0)
    assert counting_dot.read_text() == ""  # not even `dot -V`


def test_only_the_views_that_changed_are_laid_out_again(tmp_path, counting_dot):
    views = example_views()
    cache = tmp_path / "cache"
    draw.render(views, cache_dir=cache)
    counting_dot.write_text("")
    changed = [views[0], dataclasses.replace(views[1], title="Another title"), *views[2:]]
    stats = draw.RenderStats()
    out = draw.render(changed, cache_dir=cache, stats=stats)
    assert (stats.hits, stats.misses) == (3, 1)
    assert counting_dot.read_text().count("-Tsvg") == 1
    assert "Another title" in out["network.svg"].decode()


# -- the command ----------------------------------------------------------------


@needs_dot
def test_archgen_diagram_writes_every_view_and_then_uses_the_cache(run_cli, tmp_path):
    out_dir = tmp_path / "out"
    args = ("diagram", str(EXAMPLE), "-o", str(out_dir), "--cache-dir", str(tmp_path / "cache"))
    first = run_cli(*args, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    folder = out_dir / "ml-serving"
    names = ["context.svg", "data.svg", "findings.svg", "network.svg", "overview.svg"]
    assert sorted(p.name for p in folder.iterdir()) == names
    assert first.stdout.splitlines() == [str(folder / n) for n in names]
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    second = run_cli(*args, cwd=tmp_path)
    assert second.returncode == 0 and "0 by Graphviz" in second.stderr and "5 from the cache" in second.stderr
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_archgen_diagram_dot_format_and_one_view(run_cli, tmp_path):
    result = run_cli("diagram", str(EXAMPLE), "--view", "network", "--format", "dot", "-o", str(tmp_path / "out"), "--no-cache", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    written = (tmp_path / "out" / "ml-serving" / "network.dot").read_text()
    assert written == draw.to_dot(network_view(load_model(EXAMPLE)))
    assert [p.name for p in (tmp_path / "out" / "ml-serving").iterdir()] == ["network.dot"]


@pytest.mark.parametrize(
    "args, message",
    [
        (("--view", "nope"), "has no view 'nope'"),
        (("--format", "gif"), "--format 'gif'"),
        (("--jobs", "0"), "--jobs"),
    ],
)
def test_archgen_diagram_misuse_exits_2(run_cli, tmp_path, args, message):
    result = run_cli("diagram", str(EXAMPLE), "-o", str(tmp_path / "out"), *args, cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_archgen_diagram_on_a_bad_model_says_where_and_writes_nothing(run_cli, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("archgen: 1\nname: bad\nprovider: aws\ncomponents:\n  a: {kind: nope}\n")
    result = run_cli("diagram", str(bad), "-o", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 2
    assert re.search(r"bad\.yaml:5:\d+: ", result.stderr) and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_archgen_diagram_without_graphviz_exits_2_with_a_hint(run_cli, tmp_path):
    # the CLI runs as `python -m archgen` by absolute path: an empty PATH hides only dot
    result = run_cli(
        "diagram", str(EXAMPLE), "-o", str(tmp_path / "out"), "--no-cache", cwd=tmp_path,
        env={"PATH": "/nonexistent", draw.ENGINE_ENV: "dot"},  # no dot, and no pygraphviz stand-in
    )
    assert result.returncode == 2
    assert "Graphviz is not installed" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def _failing_dot(tmp_path, monkeypatch, pattern: str) -> None:
    """A `dot` on PATH that fails as Graphviz 2.43 does ("trouble in init_rank") on any
    DOT matching the grep pattern, and hands the rest to the real one."""
    _dot_shim(
        tmp_path,
        monkeypatch,
        f'in="$(mktemp "{tmp_path}/in.XXXXXX")"; cat > "$in"\n'
        f"if grep -q -e '{pattern}' \"$in\"; then echo 'Error: trouble in init_rank' >&2; exit 1; fi\n"
        f'exec "{DOT}" "$@" "$in"\n',
        version=True,
    )


def test_a_view_graphviz_fails_on_with_labelled_edges_is_drawn_with_xlabels_and_its_boxes(tmp_path, monkeypatch):
    """Graphviz 2.43 fails on some views whose clusters labelled edges cross ("trouble
    in init_rank"; e.g. the network view of `bench/generate.py 12 --seed 7`): the view
    is laid out again with its labels as xlabels, which keeps its cluster boxes."""
    _failing_dot(tmp_path, monkeypatch, " -> .*\\[label=")
    views = example_views()
    labelled = sorted(f"{v.name}.svg" for v in views if any(e.label for e in v.edges))
    assert labelled
    stats = draw.RenderStats()
    out = draw.render(views, jobs=1, stats=stats)
    assert sorted(stats.relabelled) == labelled and stats.unclustered == []
    assert stats.dot_runs == len(views) + len(labelled)
    for view in views:
        svg = out[f"{view.name}.svg"].decode()
        assert ('class="cluster"' in svg) == bool(view.clusters)
        assert all(svg_node_id(n.id) in svg for n in view.nodes)
        for edge in view.edges:
            if edge.label:
                assert edge.label.split()[0] in svg


def test_a_view_graphviz_cannot_lay_out_with_clusters_is_drawn_without_them(tmp_path, monkeypatch):
    """If the view fails with xlabels too, it is drawn with its clusters as plain
    subgraphs: every node and edge, no boxes."""
    _failing_dot(tmp_path, monkeypatch, "subgraph.*cluster_")
    views = example_views()
    clustered = sorted(f"{v.name}.svg" for v in views if v.clusters)
    assert clustered, "the example should have a view with clusters"
    stats = draw.RenderStats()
    out = draw.render(views, jobs=1, stats=stats)
    assert sorted(stats.unclustered) == clustered
    for view in views:
        svg = out[f"{view.name}.svg"].decode()
        assert 'class="cluster"' not in svg
        assert all(svg_node_id(n.id) in svg for n in view.nodes)


def test_a_view_graphviz_fails_on_every_way_is_an_error(tmp_path, monkeypatch):
    _failing_dot(tmp_path, monkeypatch, "digraph")
    with pytest.raises(draw.DrawError, match="trouble in init_rank"):
        draw.render(example_views()[:1], jobs=1)


def _waiting_dot(tmp_path, monkeypatch) -> Path:
    """A `dot` on PATH that lays nothing out until the file it returns exists (30 s at
    most, then it fails): proof that a caller went on while Graphviz was running."""
    go = tmp_path / "go"
    _dot_shim(
        tmp_path,
        monkeypatch,
        f'i=0; while [ ! -e "{go}" ]; do i=$((i+1)); [ $i -gt 300 ] && exit 1; sleep 0.1; done\nexec "{DOT}" "$@"\n',
        version=True,
    )
    return go


def test_start_render_returns_while_graphviz_runs_and_result_gives_the_same_bytes(tmp_path, monkeypatch):
    views = example_views()
    expected = draw.render(views)
    go = _waiting_dot(tmp_path, monkeypatch)
    stats = draw.RenderStats()
    rendering = draw.start_render(views, stats=stats)  # returns although no `dot` can finish
    assert stats.misses == 0
    go.touch()
    assert rendering.result() == expected
    assert stats.misses == stats.dot_runs == len(views)


def test_renderings_can_share_one_pool_of_dot_processes(tmp_path):
    views = example_views()
    pool = draw.dot_pool(1)
    try:
        first = draw.start_render(views[:2], pool=pool)
        second = draw.start_render(views[2:], formats=("svg", "dot"), pool=pool)
        out = {**first.result(), **second.result()}
    finally:
        pool.shutdown()
    assert sorted(out) == sorted([f"{v.name}.svg" for v in views] + [f"{v.name}.dot" for v in views[2:]])
    assert out == {**draw.render(views[:2]), **draw.render(views[2:], formats=("svg", "dot"))}


def test_a_cancelled_rendering_starts_no_more_dot_processes(tmp_path, monkeypatch):
    go = _waiting_dot(tmp_path, monkeypatch)
    views = example_views()
    pool = draw.dot_pool(1)
    rendering = draw.start_render(views, pool=pool)
    rendering.cancel()  # the first view's dot is running (waiting); the other three never start
    go.touch()
    pool.shutdown(wait=True)
    done = [f for f in rendering._futures if f.done() and not f.cancelled()]
    assert len(done) == 1 and sum(f.cancelled() for f in rendering._futures) == len(views) - 1
