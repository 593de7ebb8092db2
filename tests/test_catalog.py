"""The provider catalog: complete, consistent, sourced, and usable by every consumer."""

from __future__ import annotations

import importlib
import json
import os
import re
import subprocess
import sys

import pytest
from conftest import doc_table
from pydantic import ValidationError

from archgen.catalog import KINDS, PROVIDERS, CatalogError, Lifecycle, Price, Service, get_catalog
from archgen.catalog import _build, _read

CAT = get_catalog()
ALL = list(CAT.all_services())
ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
#: Terraform resource-type prefixes each provider's services may use.
TF_PREFIXES = {
    "aws": ("aws_",),
    "azure": ("azurerm_", "azapi_", "azuredevops_"),
    "gcp": ("google_",),
    "kubernetes": ("kubernetes_", "helm_"),
}


def _id(svc: Service) -> str:
    return f"{svc.provider}.{svc.kind}.{svc.key}"


def test_kinds_and_providers_match_the_model_format():
    from archgen import model

    assert KINDS == model.KINDS  # MODEL.md order
    assert PROVIDERS == model.PROVIDERS


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_has_an_entry_or_a_reasoned_gap(kind, provider):
    services = CAT.services(kind, provider)
    if services:
        default = CAT.default_service(kind, provider)
        assert default in services
        assert CAT.service(kind, provider) is services[default]
        assert CAT.gap(kind, provider) is None
    else:
        reason = CAT.gap(kind, provider)
        assert reason and len(reason) >= 40, f"{provider} {kind}: no equivalent needs a reason"
        assert CAT.default_service(kind, provider) is None
        assert CAT.service(kind, provider) is None


@pytest.mark.parametrize("svc", ALL, ids=_id)
def test_every_icon_imports_from_diagrams(svc):
    module, _, cls = svc.icon.rpartition(".")
    node = getattr(importlib.import_module(module), cls)
    from diagrams import Node

    assert issubclass(node, Node)


@pytest.mark.parametrize("svc", ALL, ids=_id)
def test_every_price_and_lifecycle_fact_has_a_source_and_a_date(svc):
    facts = [svc.lifecycle, *svc.prices]
    for fact in facts:
        assert fact.source.strip() and len(fact.source) > 10, f"{_id(svc)}: {fact!r} has no real source"
        assert ISO.match(fact.as_of), f"{_id(svc)}: as_of {fact.as_of!r}"
    for price in svc.prices:
        assert price.unit and price.region
        # a price of nothing is a free service, and says so
        assert price.usd > 0 or price.note.startswith("Free"), f"{_id(svc)}: $0 without saying it is free"
    for name, limit in svc.limits.items():
        assert limit.source or limit.inference, f"{_id(svc)}: limit {name} is neither sourced nor marked inference"


@pytest.mark.parametrize("svc", ALL, ids=_id)
def test_terraform_types_belong_to_the_providers_terraform(svc):
    for t in svc.terraform:
        assert t.startswith(TF_PREFIXES[svc.provider]), f"{_id(svc)}: {t}"
    if svc.provisioned and not svc.terraform:
        assert svc.terraform_gap, f"{_id(svc)}: no Terraform type and no gap saying why"


def test_container_services_include_every_platform_the_issue_names():
    expect = {
        "aws": {"ecs_fargate", "ecs_express", "app_runner", "eks", "elastic_beanstalk", "lambda"},
        "gcp": {"cloud_run", "gke"},
        "azure": {"container_apps", "aks", "app_service"},
        "kubernetes": {"deployment"},
    }
    defaults = {"aws": "ecs_fargate", "gcp": "cloud_run", "azure": "container_apps", "kubernetes": "deployment"}
    for provider, keys in expect.items():
        assert keys <= set(CAT.services("container_service", provider)), provider
        assert CAT.default_service("container_service", provider) == defaults[provider]
    platforms = {k: s.platform for k, s in CAT.services("container_service", "aws").items()}
    assert platforms["eks"] == "kubernetes" and platforms["lambda"] == "serverless"
    assert platforms["app_runner"] == platforms["elastic_beanstalk"] == "app_platform"


def test_app_runner_is_closed_to_new_customers_with_ecs_express_as_successor():
    svc = CAT.service("container_service", "aws", "app_runner")
    assert svc.lifecycle.status == "closed_to_new_customers"
    assert svc.lifecycle.date == "2026-04-30"
    assert svc.lifecycle.successor == "ecs_express"
    assert "apprunner-availability-change" in svc.lifecycle.source
    assert svc.lifecycle.flag == "closed to new customers since 2026-04-30"
    assert svc.lock_in == 1  # portable artifact (2), minus 1 for the availability change
    assert svc.limits["max_peak_rps"].inference


def test_function_defaults():
    got = {p: CAT.default_service("function", p) for p in PROVIDERS}
    assert got == {"aws": "lambda", "azure": "azure_functions", "gcp": "cloud_functions", "kubernetes": "knative"}


def test_azure_cache_defaults_to_managed_redis_and_keeps_the_retiring_one():
    assert CAT.default_service("cache", "azure") == "managed_redis"
    old = CAT.service("cache", "azure", "azure_cache_for_redis")
    assert old.lifecycle.status == "retiring" and old.lifecycle.date == "2028-09-30"
    assert old.lifecycle.successor == "managed_redis"
    assert old.terraform == ("azurerm_redis_cache",)


def test_terraform_gaps_the_issue_names_are_recorded():
    aml = CAT.service("ml_endpoint", "azure")
    assert "azapi_resource" in aml.terraform and "onlineEndpoints" in aml.terraform_gap
    assert not any(t.startswith("azurerm_machine_learning_online") for t in aml.terraform)
    vertex = CAT.service("ml_endpoint", "gcp")
    assert vertex.terraform == ("google_vertex_ai_endpoint", "google_vertex_ai_deployment_resource_pool")
    assert "output-only" in vertex.terraform_gap and "DeployModel" in vertex.terraform_gap


@pytest.mark.parametrize("kind", [k for k in KINDS if not get_catalog().provisioned(k)])
def test_actor_and_external_are_the_same_unprovisioned_entry_everywhere(kind):
    entries = [CAT.service(kind, p) for p in PROVIDERS]
    assert len({(s.key, s.name, s.icon) for s in entries}) == 1
    for s in entries:
        assert not s.provisioned and s.terraform == () and s.prices == () and s.interface is None


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize("kind", KINDS)
def test_defaults_are_generally_available(kind, provider):
    svc = CAT.service(kind, provider)
    if svc is not None:
        assert svc.ga, f"{provider} {kind}: the default {svc.key} is {svc.lifecycle.status}"
        assert not svc.licence_risk, f"{provider} {kind}: the default {svc.key} carries a licence risk"


@pytest.mark.parametrize("svc", [s for s in ALL if s.lifecycle.successor], ids=_id)
def test_successors_are_available_services_of_the_same_kind(svc):
    succ = CAT.service(svc.kind, svc.provider, svc.lifecycle.successor)
    assert succ is not None and succ.ga


@pytest.mark.parametrize("svc", [s for s in ALL if s.equivalents], ids=_id)
def test_equivalents_name_services_of_the_same_kind(svc):
    for provider, key in svc.equivalents.items():
        other = CAT.service(svc.kind, provider, key)
        assert other is not None and other.ga


def test_lock_in_follows_the_interface_class_and_risk_adjustments():
    points = {"open_standard": 3, "portable_artifact": 2, "proprietary_api": 1}
    for svc in ALL:
        if not svc.provisioned:
            continue
        expected = points[svc.interface] - (0 if svc.ga else 1) - (1 if svc.licence_risk else 0)
        assert svc.lock_in == max(expected, 0), _id(svc)
    assert CAT.service("ml_endpoint", "kubernetes", "seldon_core").lock_in == 2  # BSL since 2024
    assert CAT.service("object_storage", "kubernetes", "minio").lock_in == 1  # maintenance + licence
    assert CAT.service("object_storage", "azure").interface == "proprietary_api"  # Blob API is not S3


def test_kubernetes_entries_are_open_source():
    """Open source speaks an open standard; a proprietary product in a container (SQL
    Server on Linux) says so by its licence and is no open standard."""
    proprietary = []
    for kind in KINDS:
        for svc in CAT.services(kind, "kubernetes").values():
            if svc.provisioned:
                if svc.licence and svc.licence.startswith("LicenseRef-"):
                    proprietary.append(svc.key)
                    assert svc.interface != "open_standard", _id(svc)
                else:
                    assert svc.interface == "open_standard", _id(svc)
                if svc.platform == "kubernetes" and "host" in CAT.kinds[kind].traits:
                    # the cluster is its nodes: priced on a stated reference cloud
                    assert svc.prices and all("reference cloud" in p.region for p in svc.prices), _id(svc)
                else:
                    assert not svc.prices, f"{_id(svc)}: runs on the cluster, it has no list price"
    assert "mssql_linux" in proprietary


def test_instance_prices_state_the_instance_size():
    for svc in ALL:
        for p in svc.prices:
            if p.instance_type:
                assert p.vcpu and p.memory_gb and p.item == "hour"


def test_schema_rejects_unsourced_or_inconsistent_facts():
    with pytest.raises(ValidationError):
        Price(item="hour", usd=1, unit="h", region="x", source="", as_of="2026-01-01")
    with pytest.raises(ValidationError):
        Price(item="hour", usd=1, unit="h", region="x", source="somewhere", as_of="last year")
    with pytest.raises(ValidationError):
        Lifecycle(status="retiring", source="Azure/EOL", as_of="2025")  # no date
    base = {
        "key": "x", "name": "X service", "kind": "queue", "provider": "aws", "icon": "diagrams.aws.integration.SQS",
        "lifecycle": {"source": "somewhere", "as_of": "2026"},
    }
    with pytest.raises(ValidationError, match="interface"):
        Service.model_validate(base)  # provisioned without an interface class
    with pytest.raises(ValidationError, match="computed"):
        Service.model_validate({**base, "interface": "open_standard", "lock_in": 3})
    with pytest.raises(ValidationError, match="terraform_unverified"):
        Service.model_validate({**base, "interface": "open_standard", "terraform_unverified": ["aws_sqs_queue"]})
    ok = Service.model_validate({**base, "interface": "portable_artifact"})
    assert ok.lock_in == 2


def test_the_loader_refuses_a_missing_kind_or_a_dangling_reference():
    raw_kinds = _read("kinds.yaml")
    raw = {p: _read(f"{p}.yaml") for p in PROVIDERS}
    broken = {**raw, "gcp": {**raw["gcp"], "kinds": {k: v for k, v in raw["gcp"]["kinds"].items() if k != "queue"}}}
    with pytest.raises(CatalogError, match="queue"):
        _build(raw_kinds, broken)
    aws = dict(raw["aws"]["kinds"])
    mq = dict(aws["queue"]["services"]["amazon_mq"])
    mq["equivalents"] = {"kubernetes": "no_such_service"}
    aws["queue"] = {**aws["queue"], "services": {**aws["queue"]["services"], "amazon_mq": mq}}
    with pytest.raises(CatalogError, match="no_such_service"):
        _build(raw_kinds, {**raw, "aws": {**raw["aws"], "kinds": aws}})


def test_unknown_keys_return_none_not_errors():
    assert CAT.service("container_service", "aws", "no_such") is None
    assert CAT.services("no_such_kind", "aws") == {}
    assert CAT.gap("cdn", "kubernetes")


def test_importing_the_catalog_stays_light():
    code = (
        "import sys; from archgen.catalog import get_catalog; get_catalog(); "
        "heavy = [m for m in ('diagrams', 'networkx', 'jinja2') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


@pytest.mark.parametrize("command", ["compare", "terraform"])
def test_the_cli_provider_choices_are_the_catalogs(command, capsys):
    from archgen.cli import build_parser

    parser = build_parser()
    for provider in PROVIDERS:
        assert parser.parse_args([command, "--provider", provider]).provider in (provider, [provider])
    with pytest.raises(SystemExit) as exc:
        parser.parse_args([command, "--provider", "oracle-cloud"])
    assert exc.value.code == 2
    assert "invalid choice: 'oracle-cloud'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        parser.parse_args([command, "--help"])
    assert ", ".join(PROVIDERS) in " ".join(capsys.readouterr().out.split())


def test_the_defaults_table_in_the_docs_matches_the_catalog():
    from pathlib import Path

    doc = (Path(__file__).resolve().parent.parent / "docs" / "catalog.md").read_text(encoding="utf-8")
    rows = {}
    for line in doc.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[0].startswith("`") and cells[0].strip("`") in KINDS:
            rows[cells[0].strip("`")] = cells[1:]
    assert list(rows) == list(KINDS)
    for kind, cells in rows.items():
        for provider, cell in zip(PROVIDERS, cells):
            key = CAT.default_service(kind, provider)
            assert cell == (f"`{key}`" if key else "no equivalent"), (kind, provider)


# -- kinds as data: traits ---------------------------------------------------------


def test_every_kind_has_traits_from_the_vocabulary() -> None:
    from archgen.catalog import vocabulary

    assert vocabulary.problems() == []
    assert set(vocabulary.KIND_TRAITS) == set(vocabulary.KINDS)
    for kind, traits in vocabulary.KIND_TRAITS.items():
        assert traits <= set(vocabulary.TRAITS), kind


def _copy_catalog(tmp_path: Path) -> Path:
    import shutil
    from importlib import resources

    data = tmp_path / "catalog"
    shutil.copytree(str(resources.files("archgen.catalog").joinpath("data")), data)
    return data


def _run(args: list[str], env_dir: Path, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "ARCHGEN_CATALOG_DIR": str(env_dir)}
    return subprocess.run([sys.executable, "-m", "archgen", *args], cwd=cwd, env=env, capture_output=True, text=True)


def test_a_kind_without_traits_fails_the_catalog(tmp_path: Path) -> None:
    data = _copy_catalog(tmp_path)
    kinds = data / "kinds.yaml"
    text = kinds.read_text(encoding="utf-8")
    kinds.write_text(text.replace("    traits: [data_store, stateful]\n", "", 1), encoding="utf-8")
    (tmp_path / "arch").mkdir()
    (tmp_path / "arch" / "m.yaml").write_text(
        "archgen: 1\nname: m\nprovider: aws\ncomponents:\n  a: {kind: actor}\nflows: []\n", encoding="utf-8"
    )
    out = _run(["check"], data, tmp_path)
    assert out.returncode != 0
    assert "has no traits" in out.stderr


NEW_KIND = """\
  graph_db:
    traits: [data_store, stateful]
    tier: data
    title: Graph database
    sizing: {vcpu: 2, memory_gb: 8, instances: 1, storage_gb: 20}
"""
NEW_AWS_ENTRY = """\
  graph_db:
    default: neptune
    services:
      neptune:
        name: Amazon Neptune
        terraform: [aws_neptune_cluster, aws_neptune_cluster_instance]
        icon: diagrams.aws.database.Neptune
        interface: proprietary_api
        lifecycle: {status: ga, source: test catalog, as_of: "2026-12"}
"""
GAP = """\
  graph_db:
    gap: {reason: "not in this test catalog", inference: true}
"""


def test_a_data_store_kind_added_as_data_is_checked_by_the_security_and_ha_rules(tmp_path: Path) -> None:
    """Catalog data alone makes a new kind a data store: the rules, views and cost pick it up."""
    data = _copy_catalog(tmp_path)
    kinds = data / "kinds.yaml"
    kinds.write_text(_insert_kind(kinds.read_text(encoding="utf-8")), encoding="utf-8")
    for provider in ("aws", "azure", "gcp", "kubernetes"):
        f = data / f"{provider}.yaml"
        body = f.read_text(encoding="utf-8").rstrip("\n") + "\n"
        f.write_text(body + (NEW_AWS_ENTRY if provider == "aws" else GAP), encoding="utf-8")
    (tmp_path / "arch").mkdir()
    (tmp_path / "arch" / "m.yaml").write_text(
        "archgen: 1\nname: m\nprovider: aws\n"
        "components:\n  users: {kind: actor}\n  api: {kind: container_service}\n"
        "  graph: {kind: graph_db, public: true, data: [pii]}\n"
        "flows:\n  - users -> api: https\n  - api -> graph\n",
        encoding="utf-8",
    )
    out = _run(["check", "--format", "json"], data, tmp_path)
    assert out.returncode == 1, out.stderr
    found = {(f["rule"], f.get("component")) for m in json.loads(out.stdout)["models"] for f in m["findings"]}
    assert ("SEC-PUBLIC-DATASTORE", "graph") in found
    assert ("REL-NO-HA", "graph") in found
    # the same model without the new kind's traits: neither rule knows it is a store
    kinds.write_text(kinds.read_text(encoding="utf-8").replace("traits: [data_store, stateful]\n    tier: data\n    title: Graph", "traits: []\n    title: Graph"), encoding="utf-8")
    out = _run(["check", "--format", "json"], data, tmp_path)
    found = {(f["rule"], f.get("component")) for m in json.loads(out.stdout)["models"] for f in m["findings"]}
    assert ("SEC-PUBLIC-DATASTORE", "graph") not in found and ("REL-NO-HA", "graph") not in found


def _insert_kind(text: str) -> str:
    head, sep, rest = text.partition("\nunprovisioned:")
    return head.rstrip("\n") + "\n" + NEW_KIND + "\n" + sep.lstrip("\n") + rest if sep else text


# -- the kinds of "Additions for real stacks" (MODEL.md) ----------------------------

REAL_STACK_KINDS = (
    "kubernetes_cluster", "client_app", "identity", "waf", "vpn", "topic", "search", "email",
    "notebook", "feature_store", "model_registry", "batch_job", "sqlserver", "oracle",
)


@pytest.mark.parametrize("kind", REAL_STACK_KINDS)
def test_each_new_kind_is_a_model_kind_with_a_title_and_traits(kind):
    from archgen import model
    from archgen.catalog import vocabulary

    assert kind in model.KINDS and kind in vocabulary.KIND_TRAITS
    assert CAT.kinds[kind].title
    for provider in PROVIDERS:
        assert CAT.services(kind, provider) or CAT.gap(kind, provider), (kind, provider)


def test_the_traits_other_model_code_asks_for_sit_on_the_right_kinds():
    from archgen.catalog.vocabulary import TRAITS, kinds_with

    assert {"host", "device", "shield"} <= set(TRAITS)
    assert kinds_with("host") == {"vm", "kubernetes_cluster"}
    assert kinds_with("device") == {"client_app"}
    assert kinds_with("shield") == {"waf"}
    assert kinds_with("data_store", "stateful") >= {"sqlserver", "oracle", "postgres", "mysql"}


def test_a_client_app_is_drawn_never_provisioned_and_still_needs_tls():
    from archgen.catalog.vocabulary import has_trait

    assert not CAT.provisioned("client_app")
    assert has_trait("client_app", "person") and has_trait("client_app", "public_by_default")
    assert not has_trait("client_app", "tls_exempt")  # an SPA calling an API must use TLS
    for provider in PROVIDERS:
        assert CAT.service("client_app", provider).terraform == ()


def test_a_batch_job_is_sized_by_the_hours_it_runs_not_the_month():
    hours = CAT.kinds["batch_job"].sizing["hours_per_month"]
    assert 0 < hours < CAT.assumptions["hours_per_month"]
    for provider in PROVIDERS:
        for svc in CAT.services("batch_job", provider).values():
            assert svc.sizing["hours_per_month"] == hours, _id(svc)


def test_service_variants_where_a_kind_has_several_forms():
    expect = {
        ("api_gateway", "aws"): {"api_gateway_http", "api_gateway_rest", "appsync"},
        ("topic", "aws"): {"sns", "eventbridge"},
        ("topic", "azure"): {"event_grid", "service_bus_topic"},
        ("topic", "gcp"): {"pubsub", "eventarc"},
        ("topic", "kubernetes"): {"nats", "knative_eventing"},
        ("kubernetes_cluster", "aws"): {"eks"},
        ("kubernetes_cluster", "gcp"): {"gke", "gke_autopilot"},
        ("kubernetes_cluster", "azure"): {"aks"},
        ("kubernetes_cluster", "kubernetes"): {"self_managed"},
        ("waf", "azure"): {"app_gateway_waf", "front_door_waf"},
        ("batch_job", "aws"): {"aws_batch", "sagemaker_training"},
    }
    for (kind, provider), keys in expect.items():
        assert keys <= set(CAT.services(kind, provider)), (kind, provider)
    assert CAT.service("api_gateway", "aws", "appsync").icon == "diagrams.aws.mobile.Appsync"
    assert CAT.default_service("api_gateway", "aws") == "api_gateway_http"  # old models price the same
    assert CAT.default_service("topic", "aws") == "sns"
    # the container services that named a cluster stay as they were
    for provider, key in (("aws", "eks"), ("gcp", "gke"), ("azure", "aks")):
        assert CAT.service("container_service", provider, key).platform == "kubernetes"
    for provider in ("aws", "azure", "gcp"):
        assert CAT.service("kubernetes_cluster", provider).platform == "kubernetes"
        assert any(p.item == "cluster_hour" for p in CAT.service("kubernetes_cluster", provider).prices)


def test_a_gap_is_a_reason_with_a_source_and_callers_get_none_for_services():
    reason = CAT.gap("email", "gcp")
    assert reason and "third-party" in reason
    entry = CAT.entry("email", "gcp")
    assert entry.gap.source and not entry.services
    assert CAT.services("email", "gcp") == {} and CAT.service("email", "gcp") is None
    assert CAT.default_service("email", "gcp") is None
    assert CAT.gap("email", "aws") is None
    assert CAT.gap("no_such_kind", "aws").startswith("the catalog has no entry")


def test_the_catalog_refuses_a_kind_with_services_and_a_gap_or_neither():
    raw_kinds = _read("kinds.yaml")
    raw = {p: _read(f"{p}.yaml") for p in PROVIDERS}
    gcp = dict(raw["gcp"]["kinds"])
    gcp["email"] = {"gap": {"reason": "short"}}
    with pytest.raises(CatalogError, match="email"):
        _build(raw_kinds, {**raw, "gcp": {**raw["gcp"], "kinds": gcp}})
    gcp["email"] = {}
    with pytest.raises(CatalogError, match="gap"):
        _build(raw_kinds, {**raw, "gcp": {**raw["gcp"], "kinds": gcp}})
    aws = dict(raw["aws"]["kinds"])
    aws["email"] = {**aws["email"], "gap": {"reason": "a reason long enough to pass the length check"}}
    with pytest.raises(CatalogError, match="not both"):
        _build(raw_kinds, {**raw, "aws": {**raw["aws"], "kinds": aws}})


def test_proprietary_engines_say_so_by_their_licence_everywhere():
    for kind in ("sqlserver", "oracle"):
        for provider in PROVIDERS:
            for svc in CAT.services(kind, provider).values():
                assert svc.licence and svc.licence.startswith("LicenseRef-"), _id(svc)
                assert svc.interface == "portable_artifact", _id(svc)


NEW_KINDS_MODEL = """\
archgen: 1
name: new-kinds
title: Every kind of the additions for real stacks
provider: {provider}
components:
  users: {{kind: actor}}
  spa: {{kind: client_app}}
  login: {{kind: identity}}
  edge-waf: {{kind: waf}}
  lb: {{kind: load_balancer, public: true}}
  platform: {{kind: kubernetes_cluster}}
  api: {{kind: container_service}}
  link: {{kind: vpn}}
  events: {{kind: topic}}
  find: {{kind: search}}
  mail: {{kind: email}}
  nb: {{kind: notebook}}
  features: {{kind: feature_store}}
  models: {{kind: model_registry}}
  train: {{kind: batch_job, sizing: {{hours_per_month: 10}}}}
  mssql: {{kind: sqlserver}}
  ora: {{kind: oracle}}
flows:
  - spa -> lb: https
  - users -> login: https
  - lb -> api: https
  - api -> events
  - api -> find
  - api -> mail
  - api -> mssql
  - api -> ora
  - api -> link
  - api -> platform
  - nb -> features
  - train -> models
  - train -> features
"""


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_model_with_every_new_kind_checks_compares_and_writes_terraform(provider, tmp_path, run_cli):
    (tmp_path / "arch").mkdir()
    path = tmp_path / "arch" / "new-kinds.yaml"
    path.write_text(NEW_KINDS_MODEL.format(provider=provider), encoding="utf-8")
    check = run_cli("check", "--format", "json", str(path), cwd=tmp_path)
    assert check.returncode in (0, 1), check.stderr  # findings, not a model error
    found = json.loads(check.stdout)["models"][0]["findings"]
    assert not [f for f in found if f["category"] == "model" and f["severity"] == "error"]
    compare = run_cli("compare", "--format", "json", str(path), cwd=tmp_path)
    assert compare.returncode == 0, compare.stderr
    rows = {c["id"]: c for c in json.loads(compare.stdout)["models"][0]["components"]}
    assert set(rows) == set(REAL_STACK_KINDS_IDS)
    mail_gcp = rows["mail"]["providers"]["gcp"]
    assert mail_gcp["service"] is None and "third-party" in mail_gcp["gap"]
    tf = run_cli("terraform", "-o", str(tmp_path / "tf"), str(path), cwd=tmp_path)
    assert tf.returncode == 0, tf.stderr
    assert "Traceback" not in tf.stderr + tf.stdout
    assert "resource types none" not in tf.stderr + tf.stdout  # a service with no type says why instead
    assert (tmp_path / "tf" / "new-kinds" / provider).is_dir()


REAL_STACK_KINDS_IDS = (
    "users", "spa", "login", "edge-waf", "lb", "platform", "api", "link", "events", "find", "mail",
    "nb", "features", "models", "train", "mssql", "ora",
)


def test_the_docs_list_every_service_and_gap_of_the_new_kinds():
    table = doc_table("catalog.md", "### The kinds for real stacks", "### Lifecycle")
    rows = {}
    for cells in table:
        match = re.search(r"\(`([a-z_]+)`\)$", cells[0])
        if len(cells) == 5 and match:
            rows[match.group(1)] = cells[1:]
    assert set(REAL_STACK_KINDS) <= set(rows)
    for kind, cells in rows.items():
        for provider, cell in zip(PROVIDERS, cells):
            listed = re.findall(r"`([a-z0-9_]+)`", cell)
            services = CAT.services(kind, provider)
            if services:
                assert listed[0] == CAT.default_service(kind, provider), (kind, provider)
                assert set(listed) == set(services), (kind, provider)
            else:
                assert not listed and "gap" in cell, (kind, provider)
                assert [f"`{kind}`", CAT.provider_name(provider)] in (c[:2] for c in table), (kind, provider)


def test_the_traits_table_in_the_docs_matches_the_catalog():
    """docs/catalog.md lists every trait with its meaning and exactly the kinds that have it."""
    from archgen.catalog import vocabulary

    rows = {}
    for cells in doc_table("catalog.md", "### What a kind is: its traits", "\n### "):
        if len(cells) == 3 and cells[0].startswith("`"):
            rows[cells[0].strip("`")] = (cells[1], {k.strip().strip("`") for k in cells[2].split(",") if k.strip()})
    assert set(rows) == set(vocabulary.TRAITS)
    for trait, (meaning, kinds) in rows.items():
        assert meaning == vocabulary.TRAITS[trait], trait
        assert kinds == set(vocabulary.kinds_with(trait)), trait


def _catalog_dump(cat) -> list:
    return [(s.provider, s.kind, s.key, s.model_dump()) for s in cat.all_services()]


def test_the_cached_catalog_is_the_validated_one_and_an_altered_entry_is_refused(tmp_path, monkeypatch):
    """The validated catalog is kept sealed in the user's cache: a later process gets the very
    same services from it, and an entry with one byte changed is not unpickled but built again."""
    import archgen.catalog as catalog_module
    from archgen.catalog.vocabulary import read_text

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    texts = {n: read_text(n) for n in ("kinds.yaml", *(f"{p}.yaml" for p in PROVIDERS))}
    path = catalog_module._cache_path(texts)
    assert path.parent == tmp_path / "archgen"
    assert catalog_module._cached(path) is None  # nothing there yet
    catalog_module._keep(path, CAT)
    again = catalog_module._cached(path)
    assert again is not None and again is not CAT
    assert _catalog_dump(again) == _catalog_dump(CAT)
    assert again.assumptions == CAT.assumptions and again.providers == CAT.providers
    data = bytearray(path.read_bytes())
    data[-10] ^= 1
    path.write_bytes(bytes(data))
    assert catalog_module._cached(path) is None
    # other data gives another entry; keeping it drops the stale one
    other = catalog_module._cache_path({**texts, "aws.yaml": texts["aws.yaml"] + "\n# edited\n"})
    assert other != path
    catalog_module._keep(other, CAT)
    assert sorted(p.name for p in (tmp_path / "archgen").glob("catalog-*")) == [other.name]


def test_a_fresh_process_reads_the_catalog_from_the_cache(tmp_path):
    """Two processes: the first writes the cache, the second loads from it (no YAML parsed),
    and both see the same catalog."""
    code = (
        "import json, sys, archgen.catalog.vocabulary as v\n"
        "parsed = []\n"
        "real = v.parse_data\n"
        "def counted(text):\n"
        "    data = real(text)\n"
        "    parsed.append(isinstance(data, dict) and 'provider' in data)\n"
        "    return data\n"
        "v.parse_data = counted\n"
        "from archgen.catalog import get_catalog\n"
        "cat = get_catalog()\n"
        "print(json.dumps([sum(parsed), [[s.provider, s.kind, s.key, s.model_dump(mode='json')] for s in cat.all_services()]]))\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    first, second = (
        json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout)
        for _ in range(2)
    )
    assert first[0] == len(PROVIDERS) and second[0] == 0  # each provider's YAML parsed, then none
    assert first[1] == second[1] and len(first[1]) == len(ALL)


def test_pydantic_is_imported_without_asyncio_which_still_works_afterwards():
    """archgen._pydantic: loading a model does not import asyncio (a fifth of check's start-up),
    and a later ``import asyncio`` gets the whole, working package."""
    code = (
        "import sys\n"
        "import archgen.sources.loader, archgen.catalog\n"
        "print('asyncio' in sys.modules, any(m.startswith('asyncio.') for m in sys.modules))\n"
        "import asyncio\n"
        "print(asyncio.run(asyncio.sleep(0, 'ran')), asyncio.coroutines.iscoroutinefunction(asyncio.sleep))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[0] == "False False"
    assert out[1] == "ran True"
