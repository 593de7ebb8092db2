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
