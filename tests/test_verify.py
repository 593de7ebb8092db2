"""`archgen verify`: the model against a real Terraform plan. The plan is made offline from
the Terraform archgen generates for the example (tests/tfplan.py: the skeleton's own
plan.tftest.hcl values, the local AWS provider mirror, `terraform plan` and
`terraform show -json`); verify finds no drift in it, and finds each drift made by
editing the plan, once, on the right component, at the component's line in the model."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

import tfplan
from archgen.generators.terraform import generate
from archgen.sources.loader import load_model
from conftest import EXAMPLE


@pytest.fixture(scope="module")
def example_plan(tmp_path_factory) -> dict:
    why = tfplan.cannot_plan()
    if why:
        pytest.skip(why)
    return tfplan.plan_json(generate(load_model(EXAMPLE), "aws"), tmp_path_factory.mktemp("plan"), tag="example")


def _verify(run_cli, tmp_path: Path, plan: dict, *extra: str):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    return run_cli("verify", str(EXAMPLE), "--plan", str(path), "--format", "json", *extra)


def _drift(result) -> list[dict]:
    assert result.returncode in (0, 1), result.stderr
    return [f for m in json.loads(result.stdout)["models"] for f in m["findings"] if f["category"] == "drift"]


def _resources(module: dict):
    yield from module.get("resources", [])
    for child in module.get("child_modules", []):
        yield from _resources(child)


def test_the_plan_of_archgens_own_terraform_has_no_drift(run_cli, tmp_path, example_plan):
    assert sum(1 for _ in _resources(example_plan["planned_values"]["root_module"])) > 50
    found = [f for f in _drift(_verify(run_cli, tmp_path, example_plan)) if f["severity"] != "info"]
    assert found == [], found


def test_a_database_made_public_is_reported_once_on_the_database(run_cli, tmp_path, example_plan):
    plan = copy.deepcopy(example_plan)
    hits = 0
    for res in _resources(plan["planned_values"]["root_module"]):
        if res["type"] == "aws_db_instance":
            res["values"]["publicly_accessible"] = True
            hits += 1
    assert hits == 1
    found = [f for f in _drift(_verify(run_cli, tmp_path, plan)) if f["severity"] != "info"]
    assert [(f["rule"], f["component"]) for f in found] == [("DRIFT-PUBLIC-DATABASE", "db")], found
    line = next(i for i, text in enumerate(EXAMPLE.read_text().splitlines(), 1) if text.strip() == "db:")
    assert found[0]["line"] == line and found[0]["resource"] == "aws_db_instance.db"


def test_a_component_with_no_resource_is_reported(run_cli, tmp_path, example_plan):
    plan = copy.deepcopy(example_plan)
    root = plan["planned_values"]["root_module"]
    before = len(root["resources"])
    root["resources"] = [r for r in root["resources"] if not r["type"].startswith("aws_sagemaker")]
    assert len(root["resources"]) < before
    found = [f for f in _drift(_verify(run_cli, tmp_path, plan)) if f["severity"] != "info"]
    assert ("DRIFT-MISSING", "model") in {(f["rule"], f["component"]) for f in found}, found


def test_a_plan_it_cannot_read_is_a_file_error_with_exit_2(run_cli, tmp_path):
    bad = tmp_path / "plan.json"
    bad.write_text("{not json")
    result = run_cli("verify", str(EXAMPLE), "--plan", str(bad))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and str(bad) in result.stderr.splitlines()[0]


def test_a_drift_rule_explains_itself_like_the_other_rules(run_cli):
    result = run_cli("rules", "--explain", "drift-public-database")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("DRIFT-PUBLIC-DATABASE: ") and "## What it checks" in result.stdout


#: A resource whose for_each key and values a hostile plan controls: it must reach the
#: drift page as text, never as HTML or Markdown
HOSTILE_KEY = '<img src=x onerror=alert(1)>|`*_[a](javascript:x)'


def _drifted(example_plan: dict) -> dict:
    """The example's plan with a database made public and an unmodelled bucket named by ``HOSTILE_KEY``."""
    plan = copy.deepcopy(example_plan)
    root = plan["planned_values"]["root_module"]
    for res in root["resources"]:
        if res["type"] == "aws_db_instance":
            res["values"]["publicly_accessible"] = True
    bucket = copy.deepcopy(next(r for r in root["resources"] if r["type"] == "aws_s3_bucket"))
    bucket.update(address=f"aws_s3_bucket.extra[{json.dumps(HOSTILE_KEY)}]", name="extra", index=HOSTILE_KEY)
    bucket["values"].update(tags={}, tags_all={}, bucket="<script>alert(2)</script>")
    root["resources"].append(bucket)
    return plan


@pytest.fixture(scope="module")
def drift_site(tmp_path_factory, example_plan) -> tuple[Path, Path]:
    """A real `archgen build --plan` (MkDocs, strict) of the example against a drifted plan."""
    import os
    import shutil
    import subprocess
    import sys

    work = tmp_path_factory.mktemp("drift-site")
    (work / "arch").mkdir()
    shutil.copyfile(EXAMPLE.resolve(), work / "arch" / EXAMPLE.name)
    plan = work / "plan.json"
    plan.write_text(json.dumps(_drifted(example_plan)))
    done = subprocess.run([sys.executable, "-m", "archgen", "build", "--plan", str(plan)], cwd=work, capture_output=True,
                          text=True, timeout=600, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 0, done.stderr
    return work, plan


def test_every_help_uri_of_a_verify_sarif_is_a_page_of_the_built_site(run_cli, drift_site):
    from archgen.rendering.sarif import DEFAULT_SITE_URL

    work, plan = drift_site
    result = run_cli("verify", "--plan", str(plan), "--format", "sarif", cwd=work)
    assert result.returncode == 1, result.stderr
    run = json.loads(result.stdout)["runs"][0]
    uris = {d["id"]: d["helpUri"] for d in run["tool"]["driver"]["rules"]}
    assert {r["ruleId"] for r in run["results"]} >= {"DRIFT-PUBLIC-DATABASE", "DRIFT-UNMODELLED"}
    assert {"DRIFT-PUBLIC-DATABASE", "DRIFT-MISSING", "SEC-PUBLIC-DATASTORE"} <= set(uris)
    for rule_id, uri in uris.items():
        assert uri.startswith(DEFAULT_SITE_URL), uri
        page = work / "site" / uri.removeprefix(DEFAULT_SITE_URL) / "index.html"
        assert page.is_file(), f"{rule_id}: {uri} is no page of the site"
        assert rule_id in page.read_text(encoding="utf-8")


def test_rules_lists_the_drift_rules_under_category_drift(run_cli):
    from archgen.drift import REGISTRY

    listing = json.loads(run_cli("rules", "--format", "json").stdout)
    drift = {r["id"] for r in listing if r["category"] == "drift"}
    assert drift == set(REGISTRY.modules)


def test_the_drift_page_shows_each_drift_on_its_component_and_line(drift_site):
    work, _ = drift_site
    page = (work / "site" / "models" / "ml-serving" / "drift" / "index.html").read_text(encoding="utf-8")
    line = next(i for i, text in enumerate(EXAMPLE.read_text().splitlines(), 1) if text.strip() == "db:")
    row = next(r for r in page.split("<tr>") if "DRIFT-PUBLIC-DATABASE" in r)
    cells = [c.split("</td>")[0].split(">", 1)[1] for c in row.split("<td")[1:]]
    assert cells[:4] == ["<code>db</code>", '<a href="../../../rules/DRIFT-PUBLIC-DATABASE/">DRIFT-PUBLIC-DATABASE</a>',
                         "aws_db_instance.db", f"<code>{line}</code>"], cells
    assert "DRIFT-UNMODELLED" in page
    overview = (work / "site" / "models" / "ml-serving" / "index.html").read_text(encoding="utf-8")
    assert 'href="drift/"' in overview


def test_resource_names_and_values_on_the_drift_page_are_text(drift_site):
    work, _ = drift_site
    page = (work / "site" / "models" / "ml-serving" / "drift" / "index.html").read_text(encoding="utf-8")
    article = page.split("<article", 1)[1].split("</article>", 1)[0]
    assert "<img" not in article and "<script" not in article and 'href="javascript' not in article
    row = next(r for r in article.split("<tr>") if "DRIFT-UNMODELLED" in r)
    assert row.count("<td") == 5  # the key's pipe did not split the row
    shown = 'aws_s3_bucket.extra["&lt;img src=x onerror=alert(1)&gt;&#124;`*_[a](javascript:x)"]'
    assert f"<td>{shown}</td>" in row, row  # the address as text, whole, in its own cell


def test_no_plan_no_drift_page_and_an_unreadable_plan_stops_the_build(run_cli, tmp_path):
    from archgen.site.build import generated_pages
    from archgen.site.pages import ModelBundle

    model = load_model(EXAMPLE)
    without = generated_pages([ModelBundle(model=model, findings=[])], [])
    assert not [p for p in without if p.endswith("drift.md")]
    assert "drift.md" not in without["models/ml-serving/index.md"]
    clean = generated_pages([ModelBundle(model=model, findings=[], drift=[], drift_inputs=("plan.json",))], [])
    assert "No drift" in clean["models/ml-serving/drift.md"] and "(drift.md)" in clean["models/ml-serving/index.md"]
    bad = tmp_path / "plan.json"
    bad.write_text('{"format_version": "9.0"}')
    result = run_cli("build", str(EXAMPLE), "--plan", str(bad), "--site-dir", str(tmp_path / "site"), cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert str(bad) in result.stderr and not (tmp_path / "site").exists()


CHECKOV = Path(__file__).resolve().parents[1] / ".tools" / "checkov" / "bin" / "checkov"


def test_real_checkov_confirms_the_design_findings_on_their_components(run_cli, tmp_path):
    """`verify --checkov` runs the real Checkov on archgen's Terraform of the example with
    its database made public and unencrypted: each design-time finding and the Checkov
    failure that confirms it are one finding, one line, on db."""
    import os

    if not CHECKOV.exists():
        (pytest.fail if os.environ.get("CI") else pytest.skip)(f"Checkov is not installed at {CHECKOV}; run scripts/setup.sh")
    text = EXAMPLE.read_text(encoding="utf-8")
    head, tail = text.split("\n  db:\n", 1)
    body, rest = tail.split("\n  model:\n", 1)
    assert "encrypted: true" in body
    model = tmp_path / "arch" / "m.yaml"
    model.parent.mkdir()
    model.write_text(f"{head}\n  db:\n    public: true\n{body.replace('encrypted: true', 'encrypted: false')}\n  model:\n{rest}", encoding="utf-8")
    tf = tmp_path / "tf"
    for name, content in generate(load_model(model), "aws").items():
        if name.endswith(".tf") and "/" not in name:
            (tf / name).parent.mkdir(exist_ok=True)
            (tf / name).write_text(content, encoding="utf-8")
    assert "publicly_accessible    = true" in (tf / "main.tf").read_text() and "storage_encrypted     = false" in (tf / "main.tf").read_text()
    env = {"ARCHGEN_CHECKOV": str(CHECKOV), "BC_SKIP_MAPPING": "TRUE", "LOG_LEVEL": "ERROR"}
    result = run_cli("verify", str(model), "--checkov", str(tf), "--format", "json", env=env, timeout=900)
    assert result.returncode == 1, result.stderr
    found = json.loads(result.stdout)["models"][0]["findings"]
    on_db = {(f["rule"], f["component"]): f for f in found if f.get("component") == "db"}
    assert set(on_db) == {("SEC-PUBLIC-DATASTORE", "db"), ("SEC-UNENCRYPTED-DATA", "db")}, found
    assert [c.split()[0] for c in on_db[("SEC-PUBLIC-DATASTORE", "db")]["checkov"]] == ["CKV_AWS_17"]
    assert [c.split()[0] for c in on_db[("SEC-UNENCRYPTED-DATA", "db")]["checkov"]] == ["CKV_AWS_16"]
    db_line = next(i for i, t in enumerate(model.read_text().splitlines(), 1) if t.strip() == "db:")
    assert all(db_line <= f["line"] <= db_line + 8 for f in on_db.values())
    lines = run_cli("verify", str(model), "--checkov", str(tf), env=env, timeout=900).stdout.splitlines()
    (public,) = [line for line in lines if "SEC-PUBLIC-DATASTORE [db]" in line]
    assert "is reachable from the internet" in public and "Checkov confirms it in the Terraform: CKV_AWS_17 on aws_db_instance.db" in public
