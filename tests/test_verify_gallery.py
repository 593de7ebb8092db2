"""`archgen verify` against offline plans of the AWS Terraform archgen generates for every
gallery model (examples/*/arch/*.yaml, whatever provider the model names): no drift. Then
the five kinds of drift the issue names, made by editing one gallery model's Terraform
(a database made public, a security group opened, a flow's rule removed, a resource
added) and its plan (a resource removed): each reported once, on its component, at the
component's line in the model.

The plans are real (`terraform plan` with the local hashicorp/aws mirror,
`terraform show -json`: tests/tfplan.py), all six made in one Terraform run (each
skeleton a module of one root, the plan cut back into one per skeleton) and cached under
tests/artifacts/plans. Two
gallery models place components on a Kubernetes cluster, which archgen writes with the
kubernetes and helm providers; this machine has no mirror of those, so what they write is
taken out before planning (:func:`tfplan.without_providers`) and exactly those components
must be reported missing, nothing else."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
import tfplan
from conftest import ROOT

from archgen.generators.terraform import generate, intent
from archgen.sources.loader import load_model

GALLERY = sorted((ROOT / "examples").glob("*/arch/*.yaml"))
#: the gallery model the drift is made on: it has a database, security groups between
#: its components, and an internet-facing load balancer
DRIFTED = ROOT / "examples" / "internet-banking" / "arch" / "internet-banking.yaml"


def _cluster_only(model) -> set[str]:
    """Components archgen's AWS Terraform writes only with the kubernetes or helm provider."""
    built = intent(model, "aws").built
    return {cid for cid, types in built.items() if types and all(t.startswith(("kubernetes_", "helm_")) for t in types)}


@pytest.fixture(scope="module")
def plans(tmp_path_factory) -> dict[str, dict]:
    """Name -> offline plan: every gallery model's, and internet-banking's drifted one
    (``_drifted_terraform``). Planned in one Terraform run (tfplan.plan_many), cached
    across sessions."""
    why = tfplan.cannot_plan()
    if why:
        pytest.skip(why)
    skeletons = {p.stem: generate(load_model(p), "aws") for p in GALLERY}
    skeletons[DRIFTED.stem + "-drifted"] = _drifted_terraform(skeletons[DRIFTED.stem])
    return tfplan.plan_many(skeletons, tmp_path_factory.mktemp("gallery-plans"), edit=tfplan.without_providers, tag="gallery-")


def _drift(run_cli, model: Path, plan: dict, tmp_path: Path) -> list[dict]:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan), encoding="utf-8")
    result = run_cli("verify", str(model), "--plan", str(path), "--format", "json")
    assert result.returncode in (0, 1), result.stderr
    return [f for m in json.loads(result.stdout)["models"] for f in m["findings"] if f["category"] == "drift" and f["severity"] != "info"]


def _line(model: Path, cid: str) -> int:
    return next(i for i, text in enumerate(model.read_text(encoding="utf-8").splitlines(), 1) if text.strip() == f"{cid}:")


def test_the_gallery_has_models_on_every_provider():
    assert {load_model(p).provider for p in GALLERY} >= {"aws", "azure", "gcp", "kubernetes"}, GALLERY


@pytest.mark.parametrize("model", GALLERY, ids=[p.stem for p in GALLERY])
def test_the_plan_of_archgens_aws_terraform_of_a_gallery_model_has_no_drift(run_cli, tmp_path, plans, model):
    plan = plans[model.stem]
    resources = plan["planned_values"]["root_module"]["resources"]
    assert len(resources) > 20 and all(r["type"].startswith("aws_") for r in resources)
    found = _drift(run_cli, model, plan, tmp_path)
    # what the kubernetes and helm providers would build is not in this plan: exactly those
    # components are missing, each once, and nothing else drifts
    expected = sorted(_cluster_only(load_model(model)))
    assert sorted((f["rule"], f["component"]) for f in found) == [("DRIFT-MISSING", c) for c in expected], found


def _drifted_terraform(files: dict[str, str]) -> dict[str, str]:
    """internet-banking's Terraform, with its database made public, the database's rule for
    the API's flow removed, SSH opened to the world on the API's security group, and a
    bucket no component of the model names."""
    files = dict(files)
    main, count = re.subn(r"(resource \"aws_db_instance\" \"database\" \{.*?publicly_accessible\s+=) false", r"\1 true", files["main.tf"], flags=re.DOTALL)
    assert count == 1
    network, count = re.subn(r'^resource "aws_vpc_security_group_ingress_rule" "database_from_api_app" \{.*?^\}\n', "", files["network.tf"], flags=re.MULTILINE | re.DOTALL)
    assert count == 1
    files["main.tf"] = main + '''
resource "aws_vpc_security_group_ingress_rule" "api_app_ssh" {
  security_group_id = aws_security_group.api_app.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
}

resource "aws_s3_bucket" "exports" {
  bucket = "internet-banking-exports"
}
'''
    files["network.tf"] = network
    return files


def test_each_kind_of_drift_is_reported_once_on_its_component_at_its_line(run_cli, tmp_path, plans):
    plan = copy.deepcopy(plans[DRIFTED.stem + "-drifted"])
    root = plan["planned_values"]["root_module"]
    before = len(root["resources"])
    # the web app's resources removed (its ECS cluster, task definition, service, roles)
    root["resources"] = [r for r in root["resources"] if ((r.get("values") or {}).get("tags_all") or {}).get("archgen:component") != "web-app"]
    assert "aws_ecs_service.web_app" not in {r["address"] for r in root["resources"]} and len(root["resources"]) < before
    found = _drift(run_cli, DRIFTED, plan, tmp_path)
    got = sorted((f["rule"], f.get("component")) for f in found)
    assert got == [
        ("DRIFT-FLOW-BLOCKED", "database"),
        ("DRIFT-MISSING", "web-app"),
        ("DRIFT-NETWORK-OPEN", "api-app"),
        ("DRIFT-PUBLIC-DATABASE", "database"),
        ("DRIFT-UNMODELLED", None),
    ], found
    by_rule = {f["rule"]: f for f in found}
    for rule, f in by_rule.items():
        if f.get("component") is not None:
            assert f["line"] == _line(DRIFTED, f["component"]), (rule, f)
    assert by_rule["DRIFT-PUBLIC-DATABASE"]["resource"] == "aws_db_instance.database"
    assert by_rule["DRIFT-NETWORK-OPEN"]["resource"] == "aws_vpc_security_group_ingress_rule.api_app_ssh"
    assert "the internet" in by_rule["DRIFT-NETWORK-OPEN"]["message"] and "port 22" in by_rule["DRIFT-NETWORK-OPEN"]["message"]
    assert "'api-app'" in by_rule["DRIFT-FLOW-BLOCKED"]["message"]
    assert by_rule["DRIFT-UNMODELLED"]["resource"] == "aws_s3_bucket.exports"
