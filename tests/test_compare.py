"""The provider comparison and the cost estimate, on real models through the real loader."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from archgen.catalog.vocabulary import kinds_with

from archgen.generators import compare as cmp
from archgen.catalog import PROVIDERS, get_catalog
from archgen.cli import main as cli_main
from archgen.generators.cost import estimate
from archgen.sources.loader import load_model

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "tests" / "fixtures" / "compare"


@pytest.fixture
def example(monkeypatch):
    monkeypatch.chdir(ROOT)  # the file shows as arch/ml-serving.yaml, as in the site
    return load_model("arch/ml-serving.yaml")


@pytest.fixture
def k8s(monkeypatch):
    monkeypatch.chdir(ROOT)
    return load_model("tests/fixtures/compare/k8s-only.yaml")


@pytest.fixture
def legacy(monkeypatch):
    monkeypatch.chdir(ROOT)
    return load_model("tests/fixtures/compare/app-runner.yaml")


def _row(c: cmp.Comparison, cid: str) -> cmp.Row:
    return next(r for r in c.rows if r.component == cid)


# -- golden files ------------------------------------------------------------------


def test_example_markdown_matches_golden(example, golden):
    golden("compare/ml-serving.md", cmp.render_markdown(cmp.compare(example)))


def test_example_json_matches_golden(example, golden):
    golden("compare/ml-serving.json", cmp.render_json(cmp.compare(example)))


def test_kubernetes_model_markdown_matches_golden(k8s, golden):
    golden("compare/k8s-platform.md", cmp.render_markdown(cmp.compare(k8s)))


# -- what an architect reads in the example -------------------------------------------


def test_example_maps_each_component_to_the_expected_service(example):
    c = cmp.compare(example)
    expect = {
        "api": ("ecs_fargate", "container_apps", "cloud_run", "deployment"),
        "db": ("rds_postgres", "postgres_flexible", "cloud_sql_postgres", "cloudnative_pg"),
        "model": ("sagemaker_endpoint", "azure_ml_online_endpoint", "vertex_ai_endpoint", "kserve"),
        "cdn": ("cloudfront", "front_door", "cloud_cdn", None),
        "lb": ("alb", "application_gateway", "external_alb", "envoy_gateway"),
        "dns": ("route53", "azure_dns", "cloud_dns", "external_dns"),
    }
    for cid, keys in expect.items():
        assert tuple(_row(c, cid).cells[p].service for p in PROVIDERS) == keys, cid
    users = _row(c, "users")
    assert all(not cell.provisioned for cell in users.cells.values())


def test_example_names_the_terraform_gaps_and_the_missing_cdn(example):
    c = cmp.compare(example)
    model = _row(c, "model")
    assert "azapi_resource" in model.cells["azure"].terraform_gap
    assert "output-only" in model.cells["gcp"].terraform_gap
    assert model.cells["aws"].terraform_gap is None
    assert c.providers["azure"].terraform_gaps == ("model",)
    assert c.providers["gcp"].terraform_gaps == ("model",)
    assert c.providers["kubernetes"].gaps == ("cdn",)
    # the Terraform generator's own list, nothing else: the comparison and the README agree
    from archgen.generators import terraform

    for provider in c.providers:
        assert c.providers[provider].terraform_gaps == terraform.gap_components(example, provider)
    assert c.providers["kubernetes"].terraform_gaps == ("cdn",)
    md = cmp.render_markdown(c)
    assert "⚠ Terraform gap" in md
    notes = "\n".join(c.notes)
    assert "Azure: model" in notes and "Google Cloud: model" in notes and "Kubernetes (open source): cdn" in notes


def test_example_aws_estimate_adds_up_and_states_its_formulas(example):
    est = estimate(example, "aws")
    priced = [ln for ln in est.lines if ln.usd is not None]
    assert est.total == pytest.approx(sum(ln.usd for ln in priced), abs=0.01)
    fargate = est.line("api")
    assert fargate.usd == pytest.approx(0.5 * 730 * 0.04048 + 1 * 730 * 0.004445, abs=0.01)
    assert "0.5 vCPU" in fargate.formula and "$0.04048" in fargate.formula
    db = est.line("db")  # high_availability: Multi-AZ doubles the instance price
    assert "2 HA" in db.formula and "Multi-AZ" in db.formula
    assert db.usd == pytest.approx(2 * 0.072 * 730 + 20 * 0.115, abs=0.01)
    assert est.line("model").usd == pytest.approx(0.115 * 730, abs=0.01)
    assert est.line("cdn").usd == 0  # 100 GB is inside CloudFront's 1 TB free tier
    assert est.line("vault").usd == pytest.approx(5 * 0.40)  # 5 secrets by default
    assert est.line("images").usd == pytest.approx(10 * 0.10)  # 10 GB in ECR
    assert est.line("logs").usd == pytest.approx((10 - 5) * 0.50)  # 10 GB of logs, 5 free
    assert est.line("spend").usd == 0  # the first two budgets are free
    assert est.unpriced == () and est.complete and est.over_budget is False


def test_as_of_is_the_oldest_price_date_used(example):
    cat = get_catalog()
    for p in ("aws", "azure", "gcp"):
        est = estimate(example, p)
        used = []
        for ln in est.lines:
            if ln.usd is None:
                continue
            svc = cat.service(example.components[ln.component].kind, p, ln.service)
            used += [pr.as_of for pr in svc.prices if not pr.instance_type or pr.instance_type == ln.sizing.get("instance_type")]
        assert est.as_of == min(used)
        assert est.label == f"indicative, prices as of {est.as_of}"


def test_prices_are_labelled_indicative_with_their_date_everywhere(example):
    c = cmp.compare(example)
    for text in (cmp.render_markdown(c), cmp.render_text(c)):
        assert "indicative" in text.lower()
        for p in ("aws", "azure", "gcp"):
            assert c.providers[p].estimate.as_of in text
    data = json.loads(cmp.render_json(c))
    for p in ("aws", "azure", "gcp"):
        assert data["providers"][p]["indicative"] is True
        assert data["providers"][p]["prices_as_of"] == c.providers[p].estimate.as_of


def test_like_for_like_subtotal_only_sums_components_priced_everywhere(example):
    c = cmp.compare(example)
    # the CDN has no self-hosted equivalent: everything else is priced on all four
    assert c.comparable == ("api", "db", "dns", "images", "lb", "logs", "model", "spend", "vault", "web")
    for p in PROVIDERS:
        assert c.providers[p].comparable_usd == pytest.approx(
            sum(_row(c, cid).cells[p].usd for cid in c.comparable), abs=0.01
        )


def test_lock_in_score(example):
    c = cmp.compare(example)
    aws = c.providers["aws"]
    # what a move would rebuild: operations glue (budget, monitoring) is left out
    cells = [r.cells["aws"] for r in c.rows if r.cells["aws"].provisioned and r.kind not in kinds_with("operations")]
    assert aws.lockin_score == round(100 * sum(x.lock_in for x in cells) / (3 * len(cells))) == 74
    # the columns list what the score counts: CloudWatch logs and the budget are proprietary
    # APIs too, but glue that the score leaves out
    assert set(aws.proprietary) == {"model", "vault"}
    assert sum(aws.counts.values()) == len(cells)
    assert c.providers["kubernetes"].lockin_score == 100
    assert aws.lockin_score < c.providers["kubernetes"].lockin_score


def test_operations_glue_does_not_lower_the_score(example):
    """Adding the budget alert COST-NO-BUDGET asks for (or monitoring, CI/CD) leaves the score as it is."""
    from archgen.rules import run_rules

    without = example.model_copy(deep=True)
    for cid in [cid for cid, comp in example.components.items() if comp.kind in kinds_with("operations")]:
        del without.components[cid]
    without.flows = [f for f in example.flows if f.source in without.components and f.to in without.components]
    before = cmp.compare(without).providers["aws"].lockin_score
    assert before == cmp.compare(example).providers["aws"].lockin_score == 74
    assert "COST-NO-BUDGET" in {f.rule for f in run_rules(without)}
    assert "COST-NO-BUDGET" not in {f.rule for f in run_rules(example)}


# -- a Kubernetes-only model shows open source throughout ------------------------------


def test_kubernetes_model_shows_open_source_equivalents_throughout(k8s):
    c = cmp.compare(k8s)
    cat = get_catalog()
    for r in c.rows:
        cell = r.cells["kubernetes"]
        if not cell.provisioned:
            continue
        assert cell.service is not None, r.component  # no kind of this model lacks an OSS equivalent
        svc = cat.service(r.kind, "kubernetes", cell.service)
        assert svc.interface == "open_standard" and svc.licence, r.component
        assert cell.chosen
    names = {r.component: r.cells["kubernetes"].name for r in c.rows}
    assert "KServe" in names["scorer"] and "CloudNativePG" in names["db"]
    assert "Strimzi" in names["events"] and "Valkey" in names["cache"]
    assert c.providers["kubernetes"].lockin_score == 100
    assert c.providers["kubernetes"].proprietary == ()


def test_kubernetes_model_maps_open_protocols_to_their_managed_twins(k8s):
    c = cmp.compare(k8s)
    assert _row(c, "events").cells["aws"].service == "msk"  # Kafka stays Kafka
    assert _row(c, "events").cells["gcp"].service == "managed_kafka"
    assert _row(c, "jobs").cells["aws"].service == "amazon_mq"  # AMQP stays AMQP
    assert _row(c, "api").cells["gcp"].service == "cloud_run"


def test_kubernetes_estimate_prices_nodes_on_the_stated_reference_cloud(k8s):
    est = estimate(k8s, "kubernetes")
    cat = get_catalog()
    node = next(p for p in cat.service("kubernetes_cluster", "kubernetes").prices if p.instance_type == "m7g.large")
    cluster = est.line("(shared cluster)")
    nodes = cluster.sizing["instances"]
    # enough nodes for what is asked (vCPU and memory), never fewer than the cluster's default of 2
    asked_v = sum(float(ln.sizing.get("vcpu") or 0) * ln.sizing["instances"] * ln.sizing["hours_per_month"] / 730
                  for ln in est.lines if ln.host)
    assert nodes == max(2, -(-asked_v // node.vcpu))
    # the cluster line plus every guest's share is the nodes and the volumes, priced once
    volumes = sum(float(ln.sizing.get("storage_gb") or 0) * ln.sizing["instances"] * 0.08 for ln in est.lines if ln.host)
    assert est.total == pytest.approx(nodes * 730 * node.usd + volumes, abs=0.05)
    assert all(ln.usd is not None for ln in est.lines) and est.complete
    assert any("reference cloud" in n and "m7g.large" in n for n in est.notes)  # the assumption is shown
    assert est.capacity["storage_gb"] >= 100  # db: 50 GB x 2 replicas
    md = cmp.render_markdown(cmp.compare(k8s))
    assert "reference cloud" in md and "share of the shared cluster's nodes" in md


# -- lifecycle, overrides, escaping ---------------------------------------------------


def test_app_runner_is_flagged_with_its_successor(legacy):
    c = cmp.compare(legacy)
    web = _row(c, "web").cells["aws"]
    assert web.lifecycle_flag == "closed to new customers since 2026-04-30 → Amazon ECS Express Mode"
    assert web.lock_in == 1
    for text in (cmp.render_markdown(c), cmp.render_text(c)):
        assert "closed to new customers since 2026-04-30 → Amazon ECS Express Mode" in text
    assert c.providers["aws"].flagged == ("web",)
    assert c.providers["aws"].lockin_score < c.providers["gcp"].lockin_score


def test_component_sizing_and_ha_drive_the_figures(legacy):
    est = estimate(legacy, "aws")
    web = est.line("web")  # 1 vCPU / 2 GB, HA -> at least 2 instances
    assert web.sizing["instances"] == 2
    assert web.usd == pytest.approx(1 * 2 * 730 * 0.064 + 2 * 2 * 730 * 0.007, abs=0.01)
    db = est.line("db")  # instance_type from the model
    assert db.usd == pytest.approx(0.016 * 730 + 10 * 0.115, abs=0.01)
    assert est.over_budget is True  # budget 50
    # On other providers the AWS instance type is carried over by size (2 vCPU, 1 GB)
    gcp = estimate(legacy, "gcp").line("db")
    assert gcp.usd == pytest.approx(2 * 730 * 0.0413 + 1 * 730 * 0.007, abs=0.01)
    azure = estimate(legacy, "azure").line("db")
    assert azure.usd is None and "no priced instance type with at least 2 vCPU" in azure.formula


def test_model_sizing_overrides_the_defaults(monkeypatch, tmp_path):
    text = (ROOT / "arch" / "ml-serving.yaml").read_text(encoding="utf-8")
    base = estimate(load_model(ROOT / "arch" / "ml-serving.yaml"), "aws")
    half = tmp_path / "half.yaml"
    half.write_text(text.replace("region: us-east-1", "region: us-east-1\nsizing: {hours_per_month: 365}"), encoding="utf-8")
    est = estimate(load_model(half), "aws")
    assert est.assumptions["hours_per_month"] == 365
    assert est.line("model").usd == pytest.approx(base.line("model").usd / 2, abs=0.01)
    assert est.line("dns").usd == base.line("dns").usd  # a monthly fee does not depend on hours
    assert "365 h" in est.line("model").formula


def test_a_batch_job_is_priced_for_the_hours_it_runs(tmp_path):
    path = tmp_path / "batch.yaml"
    path.write_text(
        "archgen: 1\nname: batch\nprovider: aws\nsizing: {hours_per_month: 730}\ncomponents:\n"
        "  nightly: {kind: batch_job}\n"
        "  weekly: {kind: batch_job, sizing: {hours_per_month: 10, vcpu: 1, memory_gb: 2}}\n"
        "  api: {kind: container_service}\nflows: []\n",
        encoding="utf-8",
    )
    est = estimate(load_model(path), "aws")
    nightly, weekly = est.line("nightly"), est.line("weekly")
    # the kind's own hours (40), not the model's 730, which the always-on service keeps
    assert nightly.sizing["hours_per_month"] == 40 and "40 h" in nightly.formula
    assert nightly.usd == pytest.approx(2 * 40 * 0.04048 + 4 * 40 * 0.004445, abs=0.01)
    assert weekly.usd == pytest.approx(1 * 10 * 0.04048 + 2 * 10 * 0.004445, abs=0.01)
    assert "730 h" in est.line("api").formula
    gcp = estimate(load_model(path), "gcp").line("weekly")  # the same hours on another provider
    assert gcp.sizing["hours_per_month"] == 10 and "10 h" in gcp.formula


def test_identity_and_email_are_priced_by_users_and_messages(tmp_path):
    path = tmp_path / "signin.yaml"
    path.write_text(
        "archgen: 1\nname: signin\nprovider: aws\ncomponents:\n"
        "  login: {kind: identity, sizing: {users: 25000}}\n"
        "  small: {kind: identity}\n"
        "  mail: {kind: email, sizing: {messages_thousands: 200}}\nflows: []\n",
        encoding="utf-8",
    )
    est = estimate(load_model(path), "aws")
    # the 10,000 free MAU are the account's, once: the two pools share them by their users
    assert est.line("login").usd + est.line("small").usd == pytest.approx((26000 - 10000) * 0.015, abs=0.02)
    assert est.line("login").usd == pytest.approx((25000 - 10000 * 25 / 26) * 0.015, abs=0.01)
    assert "25,000 monthly active users - 9,615.3846 free (its share of 10,000)" in est.line("login").formula
    assert est.line("mail").usd == pytest.approx(200 * 0.10, abs=0.01)
    gcp = estimate(load_model(path), "gcp")
    assert gcp.line("mail").usd is None and "no equivalent" in gcp.line("mail").formula


def test_markdown_escapes_model_text(legacy):
    md = cmp.render_markdown(cmp.compare(legacy))
    assert "<script>" not in md and "<b>" not in md
    assert "](http://x)" not in md  # no link survives
    assert "Web &#124; API" in md  # a pipe in a title does not split the table row
    blocks: list[list[str]] = [[]]
    for line in md.splitlines():
        if line.startswith("|"):
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    for block in (b for b in blocks if b):
        widths = {len(re.findall(r"(?<!\\)\|", line)) for line in block}
        assert len(widths) == 1, block  # every row of a table has the same number of cells


def test_json_is_deterministic_and_complete(example):
    a = cmp.render_json(cmp.compare(example))
    b = cmp.render_json(cmp.compare(example))
    assert a == b
    data = json.loads(a)
    assert list(data) == sorted(data)
    assert {comp["id"] for comp in data["components"]} == set(example.components)
    assert set(data["providers"]) == set(PROVIDERS)
    api = next(comp for comp in data["components"] if comp["id"] == "api")
    assert api["providers"]["aws"]["chosen"] is True and api["providers"]["gcp"]["chosen"] is False


def test_provider_filter_narrows_the_output(example):
    c = cmp.compare(example, providers=("gcp",))
    text = cmp.render_text(c)
    assert "Google Cloud" in text and "Azure" not in text
    assert set(json.loads(cmp.render_json(c))["providers"]) == {"gcp"}
    with pytest.raises(ValueError, match="unknown provider"):
        cmp.compare(example, providers=("oracle",))


# -- the command line -------------------------------------------------------------------


def test_cli_compare_defaults_to_arch_and_prints_json(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    assert cli_main(["compare", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [m["model"] for m in data["models"]] == ["ml-serving"]


def test_cli_compare_markdown_and_provider(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    assert cli_main(["compare", str(FIX / "k8s-only.yaml"), "--format", "markdown", "--provider", "kubernetes"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("<!-- Generated by archgen")
    assert "KServe InferenceService" in out
    assert "| Kubernetes (open source) (model) |" in out and "| AWS" not in out and "Amazon RDS" not in out


def test_cli_compare_bad_model_exits_2(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("archgen: 1\nname: x\nprovider: aws\ncomponents:\n  a: {kind: container_service, service: nope}\n")
    assert cli_main(["compare", str(bad)]) == 2
    assert "unknown service 'nope'" in capsys.readouterr().err
