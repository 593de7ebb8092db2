"""A model "EKS + RDS + S3 + KServe on the cluster" goes through every command.

Placement (``runs_on``) resolves a component's service in the Kubernetes catalog even in
an AWS model; every stage that asks for a component's service (rules, comparison, cost,
Terraform, diagrams, diff, drafts, the site) goes through one accessor and must neither
crash nor fall back to the managed service. Real tools: Graphviz draws the views,
``terraform fmt`` (when installed) reads the Terraform, MkDocs builds the site.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from archgen.catalog import PROVIDERS, get_catalog
from archgen.generators.compare import compare
from archgen.generators.diff import diff_models
from archgen.generators.drafts import make_drafts
from archgen.generators.terraform import generate, generated_gaps
from archgen.generators.views import build_views
from archgen.rules import run_rules
from archgen.sources.loader import parse_model

STACK = """\
archgen: 1
name: shop-on-eks
title: Shop on EKS
provider: aws
region: eu-west-1
requirements:
  data: [pii]
  portability: high
components:
  users: {kind: actor}
  staff: {kind: actor, zone: corporate}
  spa: {kind: client_app, platform: web}
  lb: {kind: load_balancer, public: true}
  platform:
    kind: kubernetes_cluster
    service: eks
    high_availability: true
  api:
    kind: container_service
    runs_on: platform
    data: [pii]
  model:
    kind: ml_endpoint
    runs_on: platform
    service: kserve
  cart:
    kind: cache
    runs_on: platform
  orders:
    kind: postgres
    data: [pii]
    high_availability: true
  assets: {kind: object_storage}
flows:
  - users -> spa
  - spa -> lb: JSON/HTTPS
  - lb -> api: https
  - from: api
    to: model
    protocol: grpc
    auth: mtls
  - api -> cart: rediss
  - api -> orders: postgres
  - api -> assets: https
  - staff -> orders: postgres
"""

PLACED = ("api", "model", "cart")


@pytest.fixture(scope="module")
def stack():
    return parse_model(STACK, "arch/shop-on-eks.yaml")


def test_placed_components_are_self_hosted_on_every_provider(stack):
    cat = get_catalog()
    for provider in PROVIDERS:
        for cid in PLACED:
            svc = cat.resolve_service(stack, stack.components[cid], provider)
            assert svc.provider == "kubernetes" and svc.lock_in == 3, (cid, provider)
    assert cat.resolve_service(stack, stack.components["orders"]).key == "rds_postgres"
    assert cat.resolve_service(stack, stack.components["model"]).key == "kserve"


def test_the_rules_run_and_treat_what_runs_on_the_cluster_as_self_hosted(stack):
    findings = run_rules(stack, [])
    about = {(f.rule, f.component) for f in findings}
    # portability is high: a placed component is open software, never a proprietary API
    assert not {c for r, c in about if r == "LOCKIN-SERVICE"} & set(PLACED)
    # the cluster is the choice of Kubernetes: not each Deployment on it
    assert not {c for r, c in about if r == "SCALE-KUBERNETES-SMALL"} & set(PLACED)
    # staff in the corporate network calling the database do not make it public
    assert ("SEC-PUBLIC-DATABASE", "orders") not in about


def test_the_comparison_lists_every_component_on_every_provider(stack):
    comparison = compare(stack)
    rows = {r.component: r for r in comparison.rows}
    assert set(rows) == set(stack.components)
    for cid in PLACED:
        for provider in PROVIDERS:
            cell = rows[cid].cells[provider]
            assert cell.service is not None and cell.lock_in == 3, (cid, provider)


def test_terraform_for_every_provider_names_the_placed_components_as_gaps(stack, tmp_path):
    terraform = shutil.which("terraform")
    for provider in PROVIDERS:
        files = generate(stack, provider)
        assert "main.tf" in files
        gaps = " ".join(generated_gaps(stack, provider))
        for cid in PLACED:
            assert cid in gaps or cid in files["main.tf"], (cid, provider)
        if terraform:
            folder = tmp_path / provider
            folder.mkdir()
            for name, text in files.items():
                (folder / name).parent.mkdir(parents=True, exist_ok=True)  # tests/plan.tftest.hcl
                (folder / name).write_text(text, encoding="utf-8")
            result = subprocess.run([terraform, "fmt", "-check", "-no-color", str(folder)], capture_output=True, text=True, timeout=60)
            assert result.returncode == 0, result.stdout + result.stderr


def test_the_views_draw_the_kubernetes_icons_with_graphviz(stack, tmp_path, run_cli):
    cat = get_catalog()
    views = build_views(stack, run_rules(stack, []))
    overview = next(v for v in views if v.name == "overview")
    icons = {n.id: n.icon for n in overview.nodes}
    for cid in PLACED:
        assert icons[cid] == cat.resolve_service(stack, stack.components[cid]).icon
    arch = tmp_path / "arch"
    arch.mkdir()
    (arch / "shop-on-eks.yaml").write_text(STACK, encoding="utf-8")
    result = run_cli("diagram", "-o", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert list((tmp_path / "out").rglob("*.svg"))


def test_diff_and_drafts_take_the_placement_into_account(stack):
    moved = parse_model(STACK.replace("    runs_on: platform\n    data: [pii]", "    data: [pii]"), "arch/shop-on-eks.yaml")
    (m,) = diff_models([stack], [moved]).models
    (api,) = [c for c in m.components if c.id == "api"]
    changes = {ch.field: (ch.before, ch.after) for ch in api.changes}
    assert changes["runs_on"] == ("platform", None)
    assert changes["service"] == ("deployment", "ecs_fargate")
    drafts = make_drafts(stack, run_rules(stack, []))
    # a placed component gets no platform draft of its own: the cluster's one draft names it
    placing = [d for d in drafts if set(d.components) & set(PLACED) and d.topic == "container-platform"]
    assert [d.components[0] for d in placing] == ["platform"]
    assert set(PLACED) <= set(placing[0].components)


def test_check_compare_and_build_from_the_command_line(tmp_path, run_cli):
    arch = tmp_path / "arch"
    arch.mkdir()
    (arch / "shop-on-eks.yaml").write_text(STACK, encoding="utf-8")
    check = run_cli("check", "--format", "json", cwd=tmp_path)
    assert check.returncode in (0, 1), check.stderr
    assert json.loads(check.stdout)["models"][0]["name"] == "shop-on-eks"
    comparison = run_cli("compare", cwd=tmp_path)
    assert comparison.returncode == 0, comparison.stderr
    assert "KServe InferenceService" in comparison.stdout
    build = run_cli("build", cwd=tmp_path)
    assert build.returncode == 0, build.stderr
    assert (tmp_path / "site" / "index.html").exists()
