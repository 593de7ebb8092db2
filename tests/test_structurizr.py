"""Structurizr: the DSL and JSON exports import back to the same model (round trip), the
importer maps workspaces written in the style of public Structurizr examples (a bank with
a mainframe and an e-mail system; microservices deployed onto Kubernetes), and DSL it
cannot read is a FILE:LINE:COLUMN error, never a silent drop."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from archgen.generators.export import structurizr as export
from archgen.generators.export._common import one_line
from archgen.graph.facts import flow_protocol
from archgen.sources.loader import load_model, parse_model
from archgen.sources.structurizr import import_workspace, read_workspace
from test_export import MODELS

ROOT = Path(__file__).resolve().parent.parent
WORKSPACES = ROOT / "tests" / "fixtures" / "structurizr"


def _shape(model):
    """What the round trip must keep: the model's identity, zones, components and flows."""
    comps = {
        cid: {
            "kind": c.kind, "title": one_line(c.display_name), "zone": model.zone_of(c), "runs_on": c.runs_on,
            "group": one_line(c.group) if c.group else None, "platform": c.platform, "protects": sorted(c.protects),
            "service": c.service, "data": sorted(c.data), "public": c.is_public, "ha": c.high_availability,
        }
        for cid, c in model.components.items()
    }
    flows = sorted(
        (f.source, f.to, one_line(f.label or ""), flow_protocol(f) or "", f.is_async, tuple(sorted(f.data)), f.auth or "", f.rps or 0, f.tls)
        for f in model.flows
    )
    zones = {z: (one_line(v.title or z), v.trusted) for z, v in model.zones.items()}
    head = (model.name, one_line(model.display_name), model.provider, model.region, model.requirements.model_dump())
    return head, zones, comps, flows


def _dedupe(flows):
    return sorted(set(flows))  # Structurizr keeps one relationship per (source, target, description)


@pytest.mark.parametrize("fmt,suffix", [("dsl", ".dsl"), ("workspace_json", ".json")])
@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_import_of_the_export_gives_back_the_model(path, fmt, suffix, tmp_path):
    model = load_model(path)
    ws = tmp_path / f"{model.name}{suffix}"
    ws.write_text(getattr(export, fmt)(model), encoding="utf-8")
    back = parse_model(import_workspace(ws), "imported.yaml")
    head, zones, comps, flows = _shape(model)
    head2, zones2, comps2, flows2 = _shape(back)
    assert head2 == head
    assert zones2 == zones
    assert comps2 == comps
    assert flows2 == _dedupe(flows)


def test_hostile_text_survives_the_dsl_unsubstituted(tmp_path):
    model = load_model(ROOT / "tests" / "fixtures" / "interop" / "hostile.yaml")
    text = export.dsl(model)
    assert '!constant ARCHGEN_DOLLAR "$"' in text
    assert "${env.SECRET}" not in text and "${ARCHGEN_DOLLAR}{env.SECRET}" in text
    for line in text.splitlines():  # every string closes on its line
        assert len(re.findall(r'(?<!\\)"', line)) % 2 == 0, line
    ws = tmp_path / "hostile.dsl"
    ws.write_text(text, encoding="utf-8")
    back = parse_model(import_workspace(ws), "imported.yaml")
    assert back.components["api"].title == "API ${env.SECRET} `whoami` | pipe [x] (y) {z}"


# -- the JSON workspace ----------------------------------------------------------------


def _walk(items, out):
    for item in items or ():
        out.append(item)
        for key in ("containers", "components", "children", "infrastructureNodes", "containerInstances", "softwareSystemInstances"):
            _walk(item.get(key), out)
    return out


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_the_json_workspace_keeps_structurizrs_rules(path):
    """Structurizr's workspace rules (structurizr/json README): unique element and
    relationship ids, unique view keys, unique names of people and software systems,
    container names unique in their system, one description per source and destination;
    and every reference (relationship ends, instances, views) names an element."""
    doc = json.loads(export.workspace_json(load_model(path)))
    model = doc["model"]
    elements = _walk(model.get("people"), []) + _walk(model.get("softwareSystems"), []) + _walk(model.get("deploymentNodes"), [])
    ids = [e["id"] for e in elements]
    rels = [r for e in elements for r in e.get("relationships", [])]
    assert len(set(ids)) == len(ids)
    assert len({r["id"] for r in rels}) == len(rels) and not set(ids) & {r["id"] for r in rels}
    top = [e["name"] for e in (model.get("people") or []) + (model.get("softwareSystems") or [])]
    assert len(set(top)) == len(top)
    for system in model.get("softwareSystems") or []:
        names = [c["name"] for c in system.get("containers", [])]
        assert len(set(names)) == len(names)
    pairs = [(r["sourceId"], r["destinationId"], r.get("description", "")) for r in rels]
    assert len(set(pairs)) == len(pairs)
    known = set(ids)
    for r in rels:
        assert r["sourceId"] in known and r["destinationId"] in known
        assert r["interactionStyle"] in ("Synchronous", "Asynchronous")
    for e in elements:
        for key in ("containerId", "softwareSystemId"):
            if key in e:
                assert e[key] in known
    views = doc["views"]
    keys = [v["key"] for kind in ("systemContextViews", "containerViews", "deploymentViews") for v in views.get(kind, [])]
    assert len(set(keys)) == len(keys)
    for kind in ("systemContextViews", "containerViews", "deploymentViews"):
        for view in views.get(kind, []):
            assert all(e["id"] in known for e in view["elements"])
            assert all(r["id"] in {x["id"] for x in rels} for r in view.get("relationships", []))


# -- workspaces in the style of public examples ------------------------------------------


def test_a_bank_with_a_mainframe_and_an_email_system(tmp_path):
    text = import_workspace(WORKSPACES / "bank.dsl")
    model = parse_model(text, "bank.yaml")
    c = model.components
    assert c["customer"].kind == "actor" and model.zone_of(c["customer"]) == "internet"
    assert model.zone_of(c["helpdesk"]) == "corporate" and model.zone_of(c["clerk"]) == "corporate"
    assert c["mainframe"].kind == "external" and model.zone_of(c["mainframe"]) == "on_prem"
    assert c["mail"].kind == "external"
    assert (c["spa"].kind, c["spa"].platform) == ("client_app", "web")
    assert (c["app"].kind, c["app"].platform) == ("client_app", "mobile")
    assert c["db"].kind == "oracle" and c["api"].kind == "container_service"
    assert "# its 3 C4 components" in text and "# kind guessed from 'java'" in text
    assert c["api"].runs_on and model.components[c["api"].runs_on].kind == "vm"
    protocols = {(f.source, f.to): flow_protocol(f) for f in model.flows}
    assert protocols[("api", "mainframe")] == "https" and protocols[("api", "mail")] == "smtp"
    assert protocols[("spa", "api")] == "https"
    assert not any(f.source == f.to for f in model.flows)  # the folded components' own flows


def test_microservices_deployed_onto_kubernetes():
    text = import_workspace(WORKSPACES / "shop-k8s.dsl")
    model = parse_model(text, "shop.yaml")
    c = model.components
    cluster = c["shop-cluster"]
    assert cluster.kind == "kubernetes_cluster" and model.provider == "aws"
    assert {cid for cid, comp in c.items() if comp.runs_on == "shop-cluster"} == {"gateway", "catalogue", "orders", "shipping", "sessions"}
    assert c["ordersdb"].kind == "postgres" and c["ordersdb"].runs_on is None  # Amazon RDS is no host
    assert c["bus"].kind == "stream" and c["gateway"].kind == "api_gateway" and c["sessions"].kind == "cache"
    assert c["dns"].kind == "dns" and c["lb"].kind == "load_balancer"  # infrastructure nodes
    assert c["payments"].kind == "external"
    asyncs = {(f.source, f.to) for f in model.flows if f.is_async}
    assert asyncs == {("orders", "bus"), ("bus", "shipping")}
    assert ("lb", "gateway") in {(f.source, f.to) for f in model.flows}  # a deployment relationship
    assert "deployment environment 'Staging' (archgen read 'Production')" in text
    assert "names the modelled system as a whole" in text  # ops -> shop, said, not dropped silently
    assert "kind guessed: nothing in technology 'Something bespoke'" in text


def test_the_import_command_writes_a_model_archgen_check_reads(run_cli, tmp_path):
    out = tmp_path / "bank.yaml"
    proc = run_cli("import", "structurizr", str(WORKSPACES / "bank.dsl"), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    check = run_cli("check", str(out))
    assert check.returncode in (0, 1), check.stderr  # findings, but a model archgen reads


def test_the_json_workspace_imports_like_the_dsl(tmp_path):
    model = load_model(ROOT / "tests" / "fixtures" / "interop" / "shop.yaml")
    (tmp_path / "a.dsl").write_text(export.dsl(model), encoding="utf-8")
    (tmp_path / "a.json").write_text(export.workspace_json(model), encoding="utf-8")
    a = parse_model(import_workspace(tmp_path / "a.dsl"), "a.yaml")
    b = parse_model(import_workspace(tmp_path / "a.json"), "b.yaml")
    assert _shape(a) == _shape(b)


# -- what it cannot read -------------------------------------------------------------------


BAD = [
    ("!script groovy {\n    }\n", 3, "!script runs code"),
    ("!plugin com.example.Plugin\n", 3, "!plugin runs Java code"),
    ("!include ../outside.dsl\n", 3, "outside the workspace's folder"),
    ("!include https://example.com/x.dsl\n", 3, "!include of a URL"),
    ("model {\n        a = person \"A\"\n        a -> b \"x\"\n    }\n", 5, "'b' names no element"),
    ("model {\n        a = persn \"A\"\n    }\n", 4, "unknown keyword 'persn'"),
    ("model {\n        a = person \"A\n    }\n", 4, "a string is not closed"),
    ("model {\n        a = container \"A\"\n    }\n", 4, "container cannot be declared inside model"),
    ("model {\n        a = person \"A\" {\n", 3, "this block is not closed"),
]


@pytest.mark.parametrize("body,line,message", BAD, ids=[b[2] for b in BAD])
def test_dsl_it_cannot_read_is_an_error_at_its_line(body, line, message, run_cli, tmp_path):
    folder = tmp_path / "ws"
    folder.mkdir()
    (tmp_path / "outside.dsl").write_text("", encoding="utf-8")
    path = folder / "workspace.dsl"
    path.write_text("// a workspace\nworkspace {\n    " + body + "}\n", encoding="utf-8")
    proc = run_cli("import", "structurizr", str(path))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert re.search(rf"workspace\.dsl:{line}:\d+: .*{re.escape(message)}", proc.stderr), proc.stderr


def test_include_inside_the_folder_and_constants(tmp_path):
    (tmp_path / "people.dsl").write_text('u = person "${WHO}"\n', encoding="utf-8")
    (tmp_path / "w.dsl").write_text(
        'workspace "W" {\n    !const WHO "Ada"\n    model {\n        !include people.dsl\n'
        '        s = softwareSystem "S" {\n            api = container "API" "" "Go"\n        }\n'
        '        u -> api "Uses" "HTTPS"\n    }\n}\n',
        encoding="utf-8",
    )
    model = parse_model(import_workspace(tmp_path / "w.dsl"), "w.yaml")
    assert model.components["u"].title == "Ada"
    assert [(f.source, f.to, f.protocol) for f in model.flows] == [("u", "api", "https")]


def test_a_broken_json_workspace_is_an_error_at_its_line(run_cli, tmp_path):
    path = tmp_path / "w.json"
    path.write_text('{\n  "model": {\n    "people": [\n      {"id": "1", "name": "U",\n', encoding="utf-8")
    proc = run_cli("import", "structurizr", str(path))
    assert proc.returncode == 2 and re.search(r"w\.json:\d+:\d+: JSON syntax error", proc.stderr), proc.stderr
    path.write_text('{"model": {"people": [{"id": "1", "name": "U", "relationships": [{"id": "2", "sourceId": "1", "destinationId": "9"}]}]}}', encoding="utf-8")
    proc = run_cli("import", "structurizr", str(path))
    assert proc.returncode == 2 and "names a destination '9' that is no element" in proc.stderr


def test_a_json_element_problem_is_reported_at_the_line_and_column_of_its_id(run_cli, tmp_path):
    path = tmp_path / "w.json"
    path.write_text(
        '{"model": {\n  "people": [\n    {"id": "1", "name": "U",\n     "relationships": [\n'
        '       {"description": "x", "id": "2", "sourceId": "1", "destinationId": "9"}]}]}}\n',
        encoding="utf-8",
    )
    proc = run_cli("import", "structurizr", str(path))
    assert proc.returncode == 2 and re.search(r"w\.json:5:29: .*names a destination '9'", proc.stderr), proc.stderr


def test_inference_without_archgen_properties(tmp_path):
    """A workspace with no archgen.* properties (what another tool writes): the kinds the
    technology, tags and names give, measured on the export of the real-stack fixture with
    its properties stripped (docs/interop.md quotes this figure)."""
    model = load_model(ROOT / "tests" / "fixtures" / "interop" / "shop.yaml")
    text = export.dsl(model)
    bare = re.sub(r"\n\s*properties \{\n(?:\s*\".*\" \".*\"\n)*\s*\}", "", text)
    assert "archgen." not in bare
    (tmp_path / "bare.dsl").write_text(bare, encoding="utf-8")
    back = parse_model(import_workspace(tmp_path / "bare.dsl"), "bare.yaml")
    by_title = {one_line(c.display_name): c for c in back.components.values()}
    same = [c.id for c in model.components.values() if one_line(c.display_name) in by_title and by_title[one_line(c.display_name)].kind == c.kind]
    assert len(same) == len(model.components), sorted(set(model.components) - set(same))
    assert len(model.components) == 20


@pytest.fixture(scope="module")
def workspace_validator():
    import jsonschema
    import yaml

    doc = yaml.safe_load((ROOT / "tests" / "data" / "structurizr-1.22.0-schemas.yaml").read_text(encoding="utf-8"))
    schema = {**doc, "$ref": "#/components/schemas/Workspace"}
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_the_json_workspace_validates_against_structurizrs_published_schema(path, workspace_validator):
    doc = json.loads(export.workspace_json(load_model(path)))
    errors = [e.message for e in workspace_validator.iter_errors(doc)]
    assert errors == []


def test_the_workspace_schema_check_is_not_vacuous(workspace_validator):
    doc = json.loads(export.workspace_json(load_model(ROOT / "tests" / "fixtures" / "interop" / "shop.yaml")))
    doc["model"]["people"][0]["location"] = "Somewhere"
    doc["model"]["softwareSystems"][0]["containers"][0]["relationships"] = [{"id": 5, "interactionStyle": "Sideways"}]
    assert len(list(workspace_validator.iter_errors(doc))) >= 3


def test_hostile_workspace_text_stays_text_in_the_yaml(tmp_path):
    """Names, descriptions and archgen.* properties of a workspace are quoted or checked
    before they reach the YAML: none becomes YAML syntax."""
    (tmp_path / "w.dsl").write_text(
        'workspace "W: {x} # not a comment" "line\\" two" {\n    model {\n'
        '        u = person "- [a] &anchor *ref: !!python/object" "desc: {x}" {\n'
        '            properties {\n                "archgen.zone" "evil: {x}\\nkind: cdn"\n'
        '                "archgen.service" "rds\\nkind: cdn"\n            }\n        }\n'
        '        s = softwareSystem "S" {\n            api = container "API #1" "" "Go"\n        }\n'
        '        u -> api "calls: {now}" "HTTPS"\n    }\n}\n',
        encoding="utf-8",
    )
    text = import_workspace(tmp_path / "w.dsl")
    model = parse_model(text, "w.yaml")
    assert model.title == "W: {x} # not a comment"
    assert model.components["u"].title == "- [a] &anchor *ref: !!python/object"
    assert model.components["u"].zone is None and model.components["u"].kind == "actor"
    assert [f.label for f in model.flows] == ["calls: {now}"]
    assert "is no zone id: left out" in text
