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
    suites = ["help", "check", "diagram", "dot", "diagram-cached", "build", "rebuild", "diff"]
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
