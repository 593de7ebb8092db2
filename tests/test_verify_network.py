"""Network drift beyond AWS security groups: Azure network security rules (their own
resources and inline ``security_rule`` blocks), GCP ``google_compute_firewall`` (network
tags, service accounts, source ranges) and Kubernetes network policies (pod and namespace
selectors, ``ip_block``). Per provider: the plan that matches the model's flows has no
network drift; a rule opened to the internet is DRIFT-NETWORK-OPEN on its component; the
rule for a flow removed is DRIFT-FLOW-BLOCKED on the flow's target.

There is no azurerm, google or kubernetes provider mirror on this machine, so these plans
are written by hand in the format of `terraform show -json` (format_version 1.2:
planned_values, resource_changes, configuration with the references a plan records).
The attribute names are the providers' (checked against their schemas,
.tools/tf-schemas from the CDKTF bindings, by test_the_hand_made_plans_use_the_providers_attribute_names).
Last, the Kubernetes Terraform archgen writes for two gallery models, read by python-hcl2,
has no drift."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

NETWORK = {"DRIFT-NETWORK-OPEN", "DRIFT-FLOW-BLOCKED"}
SCHEMAS = Path(__file__).resolve().parents[1] / ".tools" / "tf-schemas"
SOURCES = {"azure": "azurerm", "gcp": "google", "kubernetes": "kubernetes"}


def _model(provider: str, lists: dict[str, list[str]] | None) -> str:
    """The model: lb (public) -> api -> db; each component lists its resources under
    ``terraform:``, or (``lists`` None) the resources carry archgen's labels instead."""

    def listed(cid: str) -> str:
        return f"\n    terraform: [{', '.join(lists[cid])}]" if lists else ""

    return f"""archgen: 1
name: network-{provider}
provider: {provider}
components:
  users: {{kind: actor}}
  lb:
    kind: load_balancer
    public: true{listed("lb")}
  api:
    kind: container_service{listed("api")}
  db:
    kind: postgres{listed("db")}
flows:
  - users -> lb: https
  - lb -> api: https
  - api -> db: postgres
"""


def _res(rtype: str, name: str, values: dict, refs: dict | None = None, provider: str = "") -> dict:
    """One resource: its planned values and what its configuration refers to (argument
    path -> addresses; a nested block's are a list of such objects)."""
    return {"type": rtype, "name": name, "values": values, "refs": refs or {}, "provider": provider or rtype.split("_")[0]}


def _expressions(refs: dict) -> dict:
    out: dict = {}
    for arg, value in refs.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            out[arg] = [_expressions(v) for v in value]
        else:
            out[arg] = {"references": [r for a in value for r in (f"{a}.id", a)]}
    return out


def _plan(resources: list[dict]) -> dict:
    """A plan in the JSON of `terraform show -json` (Terraform 1.x, format 1.2)."""
    planned, changes, config = [], [], []
    for r in resources:
        address = f"{r['type']}.{r['name']}"
        provider = f"registry.terraform.io/hashicorp/{r['provider']}"
        planned.append({"address": address, "mode": "managed", "type": r["type"], "name": r["name"], "provider_name": provider,
                        "schema_version": 0, "values": r["values"], "sensitive_values": {}})
        changes.append({"address": address, "mode": "managed", "type": r["type"], "name": r["name"], "provider_name": provider,
                        "change": {"actions": ["create"], "before": None, "after": r["values"], "after_unknown": {"id": True}}})
        config.append({"address": address, "mode": "managed", "type": r["type"], "name": r["name"],
                       "provider_config_key": r["provider"], "schema_version": 0, "expressions": _expressions(r["refs"])})
    return {"format_version": "1.2", "terraform_version": "1.9.8", "planned_values": {"root_module": {"resources": planned}},
            "resource_changes": changes, "configuration": {"root_module": {"resources": config}}, "timestamp": "2026-12-04T18:00:00Z",
            "applyable": True, "complete": True, "errored": False}


# -- Azure: a network security group and an application security group per component


def _azure_rule(name: str, nsg: str, port: str, *, asg: str = "", prefix: str = "", direction: str = "Inbound", access: str = "Allow") -> dict:
    values = {"name": name, "resource_group_name": "rg-net", "network_security_group_name": f"nsg-{nsg}", "priority": 100,
              "direction": direction, "access": access, "protocol": "Tcp", "source_port_range": "*", "destination_port_range": port,
              "destination_address_prefix": "*", "source_address_prefix": prefix or None}
    refs = {"network_security_group_name": [f"azurerm_network_security_group.{nsg}"]}
    if asg:
        refs["source_application_security_group_ids"] = [f"azurerm_application_security_group.{asg}"]
    return _res("azurerm_network_security_rule", name, values, refs)


def azure(opened: bool = False, blocked: bool = False) -> list[dict]:
    out = []
    for cid in ("lb", "api", "db"):
        out.append(_res("azurerm_application_security_group", cid, {"name": f"asg-{cid}", "location": "westeurope", "resource_group_name": "rg-net"}))
    out.append(_res("azurerm_network_security_group", "lb", {"name": "nsg-lb", "location": "westeurope", "resource_group_name": "rg-net", "security_rule": []}))
    out.append(_res("azurerm_network_security_group", "api", {"name": "nsg-api", "location": "westeurope", "resource_group_name": "rg-net", "security_rule": []}))
    inline = [] if blocked else [{"name": "from-api", "priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
                                  "source_port_range": "*", "destination_port_range": "5432", "destination_address_prefix": "*"}]
    # the rest of the network is denied, and everything may go out: neither lets anyone in
    inline += [{"name": "deny-all", "priority": 4000, "direction": "Inbound", "access": "Deny", "protocol": "*", "source_port_range": "*",
                "destination_port_range": "*", "source_address_prefix": "*", "destination_address_prefix": "*"},
               {"name": "out", "priority": 100, "direction": "Outbound", "access": "Allow", "protocol": "*", "source_port_range": "*",
                "destination_port_range": "*", "source_address_prefix": "*", "destination_address_prefix": "*"}]
    refs = {"security_rule": [{"source_application_security_group_ids": ["azurerm_application_security_group.api"]}]} if not blocked else {}
    out.append(_res("azurerm_network_security_group", "db", {"name": "nsg-db", "location": "westeurope", "resource_group_name": "rg-net", "security_rule": inline}, refs))
    out.append(_azure_rule("lb_https", "lb", "443", prefix="Internet"))
    out.append(_azure_rule("api_from_lb", "api", "8080", asg="lb"))
    out.append(_azure_rule("db_vnet", "db", "5432", prefix="VirtualNetwork", access="Deny"))
    if opened:
        out.append(_azure_rule("db_anywhere", "db", "5432", prefix="*"))
    return out


AZURE_LISTS = {c: [f"azurerm_network_security_group.{c}", f"azurerm_application_security_group.{c}"] for c in ("lb", "api", "db")}


# -- GCP: instances with network tags and service accounts, firewall rules between them


def _firewall(name: str, *, allow: str = "", deny: bool = False, ranges=(), source_tags=(), target_tags=(), source_sa: str = "",
              target_sa: str = "", direction: str = "INGRESS") -> dict:
    values = {"name": name, "network": "net", "direction": direction, "priority": 1000, "disabled": False,
              "allow": [{"protocol": "tcp", "ports": [allow]}] if allow else [], "deny": [{"protocol": "all", "ports": []}] if deny else [],
              "source_ranges": list(ranges), "source_tags": list(source_tags), "target_tags": list(target_tags)}
    refs = {"network": ["google_compute_network.main"]}
    if source_sa:
        refs["source_service_accounts"] = [f"google_service_account.{source_sa}"]
    if target_sa:
        refs["target_service_accounts"] = [f"google_service_account.{target_sa}"]
    return _res("google_compute_firewall", name, values, refs)


def gcp(opened: bool = False, blocked: bool = False) -> list[dict]:
    out = [_res("google_compute_network", "main", {"name": "net", "auto_create_subnetworks": False})]
    for cid in ("lb", "api", "db"):
        out.append(_res("google_service_account", cid, {"account_id": f"sa-{cid}", "display_name": cid}))
        out.append(_res("google_compute_instance", cid, {"name": cid, "machine_type": "e2-small", "zone": "europe-west1-b", "tags": [cid],
                                                         "labels": {}}, {"service_account.email": [f"google_service_account.{cid}"]}))
    out.append(_firewall("lb_https", allow="443", ranges=["0.0.0.0/0"], target_tags=["lb"]))
    out.append(_firewall("api_from_lb", allow="8080", source_tags=["lb"], target_tags=["api"]))
    if not blocked:
        out.append(_firewall("db_from_api", allow="5432", source_sa="api", target_sa="db"))
    # a deny from anywhere and an egress rule to anywhere: neither lets anyone in
    out.append(_firewall("db_deny", deny=True, ranges=["0.0.0.0/0"], target_tags=["db"]))
    out.append(_firewall("db_out", allow="443", ranges=["0.0.0.0/0"], target_tags=["db"], direction="EGRESS"))
    if opened:
        out.append(_firewall("db_ssh", allow="22", ranges=["0.0.0.0/0"], target_tags=["db"]))
    return out


GCP_LISTS = {c: [f"google_compute_instance.{c}", f"google_service_account.{c}"] for c in ("lb", "api", "db")}


# -- Kubernetes: a deployment per component, a network policy per component


def _deployment(cid: str, labelled: bool) -> dict:
    labels = {"app": cid}
    own = {**labels, "archgen/model": "network-kubernetes", "archgen/component": cid} if labelled else labels
    values = {"metadata": [{"name": cid, "namespace": "shop", "labels": own}],
              "spec": [{"replicas": "2", "selector": [{"match_labels": labels}],
                        "template": [{"metadata": [{"labels": labels}], "spec": [{"container": [{"name": cid, "image": "registry.example.com/app:1"}]}]}]}]}
    return _res("kubernetes_deployment_v1", cid, values)


def _policy(name: str, cid: str, ingress: list[dict], types=("Ingress",), rtype: str = "kubernetes_network_policy_v1") -> dict:
    spec = {"pod_selector": [{"match_labels": {"app": cid}, "match_expressions": []}], "policy_types": list(types), "ingress": ingress, "egress": []}
    if "Egress" in types:
        spec["egress"] = [{"to": [{"ip_block": [{"cidr": "0.0.0.0/0", "except": []}]}], "ports": []}]
    return _res(rtype, name, {"metadata": [{"name": name, "namespace": "shop", "labels": {}}], "spec": [spec]})


def _peer(pods: str = "", cidr: str = "", namespace: str = "") -> dict:
    return {"pod_selector": [{"match_labels": {"app": pods}, "match_expressions": []}] if pods else [],
            "namespace_selector": [{"match_labels": {"kubernetes.io/metadata.name": namespace}, "match_expressions": []}] if namespace else [],
            "ip_block": [{"cidr": cidr, "except": []}] if cidr else []}


def kubernetes(opened: bool = False, blocked: bool = False, labelled: bool = False) -> list[dict]:
    out = [_deployment(c, labelled) for c in ("lb", "api", "db")]
    port = [{"port": "8080", "protocol": "TCP", "end_port": None}]
    out.append(_policy("lb", "lb", [{"from": [], "ports": port}]))  # no `from`: from anywhere
    out.append(_policy("api", "api", [{"from": [_peer(pods="lb")], "ports": port}], rtype="kubernetes_network_policy"))
    # the database admits the API's pods, the office's private range and the monitoring namespace (no component of the model)
    peers = [_peer(cidr="10.20.0.0/16"), _peer(namespace="monitoring")] + ([] if blocked else [_peer(pods="api")])
    out.append(_policy("db", "db", [{"from": peers, "ports": [{"port": "5432", "protocol": "TCP", "end_port": None}]}]))
    out.append(_policy("db-egress", "db", [], types=("Egress",)))  # egress only: lets no one in
    if opened:
        out.append(_policy("db-debug", "db", [{"from": [_peer(cidr="0.0.0.0/0")], "ports": [{"port": "5432", "protocol": "TCP", "end_port": None}]}]))
    return out


K8S_LISTS = {c: [f"kubernetes_deployment_v1.{c}"] for c in ("lb", "api", "db")}

def kubernetes_labelled(**edit) -> list[dict]:
    """The same objects carrying the labels archgen's Kubernetes Terraform writes, and no
    ``terraform:`` list in the model: they are mapped to their components by label."""
    return kubernetes(labelled=True, **edit)


#: case -> (provider, the plan's resources, each component's terraform: list)
PROVIDERS = {"azure": ("azure", azure, AZURE_LISTS), "gcp": ("gcp", gcp, GCP_LISTS), "kubernetes": ("kubernetes", kubernetes, K8S_LISTS),
             "kubernetes-labels": ("kubernetes", kubernetes_labelled, None)}


def _network_drift(run_cli, tmp_path: Path, case: str, **edit) -> list[dict]:
    provider, build, lists = PROVIDERS[case]
    model = tmp_path / "arch" / f"network-{provider}.yaml"
    model.parent.mkdir(exist_ok=True)
    model.write_text(_model(provider, lists), encoding="utf-8")
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(_plan(build(**edit)), indent=1), encoding="utf-8")
    result = run_cli("verify", str(model), "--plan", str(plan), "--format", "json")
    assert result.returncode in (0, 1), result.stderr
    found = [f for m in json.loads(result.stdout)["models"] for f in m["findings"] if f["rule"] in NETWORK]
    db_line = next(i for i, t in enumerate(model.read_text().splitlines(), 1) if t.strip() == "db:")
    assert all(f["line"] == db_line for f in found), found
    return found


@pytest.mark.parametrize("case", sorted(PROVIDERS))
def test_firewall_rules_that_match_the_flows_are_no_drift(run_cli, tmp_path, case):
    assert _network_drift(run_cli, tmp_path, case) == []


@pytest.mark.parametrize("case", sorted(PROVIDERS))
def test_a_rule_opened_to_the_internet_is_reported_on_its_component(run_cli, tmp_path, case):
    found = _network_drift(run_cli, tmp_path, case, opened=True)
    assert [(f["rule"], f["component"]) for f in found] == [("DRIFT-NETWORK-OPEN", "db")], found
    assert "lets the internet in to 'db'" in found[0]["message"]
    assert found[0]["resource"] in {"azurerm_network_security_rule.db_anywhere", "google_compute_firewall.db_ssh",
                                    "kubernetes_network_policy_v1.db-debug"}, found


@pytest.mark.parametrize("case", sorted(PROVIDERS))
def test_a_flow_no_rule_permits_is_reported_on_its_target(run_cli, tmp_path, case):
    found = _network_drift(run_cli, tmp_path, case, blocked=True)
    assert [(f["rule"], f["component"]) for f in found] == [("DRIFT-FLOW-BLOCKED", "db")], found
    assert "lets 'api' in" in found[0]["message"]


def test_the_hand_made_plans_use_the_providers_attribute_names():
    """Every attribute (and nested block attribute) of the hand-made resources is in the
    provider's schema: a misspelt name would make the checks read nothing."""
    if not SCHEMAS.is_dir():
        pytest.skip(f"no provider schemas at {SCHEMAS} (scripts/setup.sh fetches them from npm)")

    def check(values: dict, schema: dict, where: str) -> None:
        for key, value in values.items():
            assert key in schema, f"{where}.{key} is not in the provider's schema"
            nested = schema[key].get("b")
            if nested is not None and isinstance(value, list):
                for item in value:
                    check(item, nested, f"{where}.{key}")

    checked = set()
    for provider, build, _ in PROVIDERS.values():
        schema = json.loads((SCHEMAS / f"{SOURCES[provider]}.json").read_text(encoding="utf-8"))["resources"]
        for r in build(opened=True) + build(blocked=True):
            check(copy.deepcopy(r["values"]), schema[r["type"]], r["type"])
            for arg in r["refs"]:
                assert arg.split(".")[0] in schema[r["type"]], f"{r['type']}.{arg} is not in the provider's schema"
            checked.add(r["type"])
    assert {"azurerm_network_security_rule", "azurerm_network_security_group", "google_compute_firewall",
            "kubernetes_network_policy_v1", "kubernetes_network_policy"} <= checked


def test_the_labels_verify_maps_by_are_the_ones_archgens_kubernetes_terraform_writes():
    from conftest import ROOT

    from archgen.generators.terraform import generate, intent
    from archgen.sources.loader import load_model

    model = load_model(ROOT / "examples" / "kubeflow-ml-platform" / "arch" / "kubeflow-ml-platform.yaml")
    model_label, component_label = intent(model, "kubernetes").labels
    text = "".join(t for n, t in generate(model, "kubernetes").items() if n.endswith(".tf"))
    assert text.count(f'"{component_label}" = "dashboard"') >= 3 and f'"{model_label}"' in text
    assert intent(model, "aws").labels == (model_label, component_label)  # its components on the cluster


def _literal(value):
    """What a plan knows of an HCL value before apply: literals; an expression is unknown."""
    if isinstance(value, str):
        return None if "${" in value else value
    if isinstance(value, list):
        return [v for v in (_literal(i) for i in value) if v is not None]
    if isinstance(value, dict):
        return {k.strip('"'): v for k, v in ((k, _literal(x)) for k, x in value.items() if not k.startswith("__")) if v is not None}
    return value


def _kubernetes_objects(files: dict[str, str]) -> list[dict]:
    """The kubernetes and helm resources of archgen's Terraform, read by python-hcl2 with
    their literal values: what a plan of them would hold (no kubernetes provider here to plan them)."""
    import hcl2

    out = []
    for name, text in sorted(files.items()):
        if name.endswith(".tf") and "/" not in name:
            for block in hcl2.loads(text).get("resource", []):
                for rtype, named in block.items():
                    for rname, body in named.items():
                        if rtype.startswith(("kubernetes_", "helm_")):
                            out.append(_res(rtype, rname, _literal(body)))
    return out


@pytest.mark.parametrize("name", ["online-boutique", "kubeflow-ml-platform"])
def test_archgens_own_kubernetes_terraform_of_a_gallery_model_has_no_drift(run_cli, tmp_path, name):
    """The Kubernetes Terraform archgen writes for the gallery models with a cluster: its
    objects map to their components (labels, and the names of Helm releases and
    manifests), its network policies admit exactly the model's flows. Removing
    cartservice's rule for the frontend is DRIFT-FLOW-BLOCKED on cartservice."""
    from conftest import ROOT

    from archgen.generators.terraform import generate
    from archgen.sources.loader import load_model

    path = ROOT / "examples" / name / "arch" / f"{name}.yaml"
    objects = _kubernetes_objects(generate(load_model(path), "kubernetes"))
    assert sum(r["type"] == "kubernetes_network_policy_v1" for r in objects) >= 8

    def drift(resources: list[dict]) -> list[tuple[str, str]]:
        plan = tmp_path / "plan.json"
        plan.write_text(json.dumps(_plan(resources)), encoding="utf-8")
        result = run_cli("verify", str(path), "--plan", str(plan), "--provider", "kubernetes", "--format", "json")
        assert result.returncode in (0, 1), result.stderr
        return sorted((f["rule"], f.get("component")) for m in json.loads(result.stdout)["models"] for f in m["findings"]
                      if f["category"] == "drift" and f["severity"] != "info")

    assert drift(objects) == []
    if name == "online-boutique":
        cart = next(r for r in objects if r["type"] == "kubernetes_network_policy_v1" and r["name"] == "cartservice")
        rules = cart["values"]["spec"][0]["ingress"]
        kept = [i for i in rules if "frontend" not in json.dumps(i["from"])]
        assert len(kept) == len(rules) - 1
        cart["values"]["spec"][0]["ingress"] = kept
        assert drift(objects) == [("DRIFT-FLOW-BLOCKED", "cartservice")]
