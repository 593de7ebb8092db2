"""Structurizr: a DSL workspace and a JSON workspace of one model.

The mapping (docs/interop.md), which :mod:`archgen.sources.structurizr` reads back:

- the model is one software system (its title); people (``actor``) are ``person``s; an
  ``external`` component is a software system of its own, tagged ``External``;
- every other component is a ``container`` of that system, in a ``group`` when it has
  one, with its service as the technology (a client app's platform: ``Web browser``...),
  and the tag ``Database`` on data stores (Structurizr's cylinder);
- a cluster or VM that others run on is a ``deploymentNode`` of the ``Live`` environment,
  holding a ``containerInstance`` of each component with ``runs_on`` it; the other
  containers are instances in the provider's node, and what sits on premises (external
  systems, VPNs) in an ``On premises`` node;
- each flow is a relationship with the label as its description, the protocol as its
  technology and the tag ``Asynchronous`` for an ``async`` flow; a flow to or from a host
  is a relationship between deployment elements;
- every element and relationship carries ``archgen.*`` properties (id, kind, zone,
  service, data...), so the import gives back the very model; without them the importer
  infers what it can (what a real workspace gets).

Views: a system context, a container and a deployment view, with automatic layout.

DSL strings are double-quoted with ``\\`` and ``"`` escaped, on one line; Structurizr
substitutes ``${NAME}`` in every string, so a literal ``${`` is written
``${ARCHGEN_DOLLAR}{`` with ``!constant ARCHGEN_DOLLAR "$"`` declared: nothing of the model
is substituted.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from archgen.catalog.vocabulary import has_trait
from archgen.generators.export import _common as c

if TYPE_CHECKING:
    from archgen.model import Component, Model

__all__ = ["DOLLAR", "ENVIRONMENT", "dsl", "string", "workspace", "workspace_json"]

ENVIRONMENT = "Live"
DOLLAR = "ARCHGEN_DOLLAR"
#: What a client app is, as a container's technology.
PLATFORM_TECHNOLOGY = {"web": "Web browser", "mobile": "Mobile app", "desktop": "Desktop app"}
ON_PREM_ZONE = "on_prem"


def string(value: object) -> str:
    """A DSL string of model text: quoted, escaped, one line, no substitution."""
    text = c.one_line(value).replace("\\", "\\\\").replace('"', '\\"')
    return '"' + text.replace("${", "${" + DOLLAR + "}{") + '"'


# -- the workspace, as Structurizr's JSON shape ---------------------------------------


@dataclass
class Element:
    """One element of the workspace: what the DSL and the JSON both write."""

    type: str  # person, softwareSystem, container, deploymentNode, containerInstance, softwareSystemInstance
    ident: str  # the DSL identifier
    name: str = ""
    description: str = ""
    technology: str = ""
    tags: list[str] = field(default_factory=list)
    properties: dict[str, str] = field(default_factory=dict)
    group: str | None = None
    of: str | None = None  # an instance: the identifier of its container or software system
    children: list[Element] = field(default_factory=list)
    json_id: str = ""


@dataclass
class Relationship:
    source: str  # DSL identifiers
    target: str
    description: str
    technology: str
    tags: list[str]
    properties: dict[str, str]
    deployment: bool = False  # between deployment elements (a host at one end)
    json_id: str = ""


@dataclass
class Workspace:
    name: str
    description: str
    system: Element
    people: list[Element]
    externals: list[Element]
    deployment: list[Element]
    relationships: list[Relationship]
    skipped: list[str]  # flows Structurizr cannot hold, with why

    def elements(self) -> Iterator[Element]:
        def walk(items: list[Element]) -> Iterator[Element]:
            for item in items:
                yield item
                yield from walk(item.children)

        yield from walk([*self.people, self.system, *self.externals, *self.deployment])


def _names(model: Model) -> dict[str, str]:
    """Element names, unique (Structurizr requires it): a repeated title gets its id."""
    seen: dict[str, int] = {}
    for comp in model.components.values():
        key = c.one_line(comp.display_name).casefold()
        seen[key] = seen.get(key, 0) + 1
    out = {}
    for comp in c.components(model):
        name = c.one_line(comp.display_name) or comp.id
        out[comp.id] = f"{name} ({comp.id})" if seen[name.casefold()] > 1 else name
    return out


def _properties(model: Model, comp: Component, name: str) -> dict[str, str]:
    props = {"archgen.id": comp.id, "archgen.kind": comp.kind, "archgen.zone": model.zone_of(comp)}
    if comp.service:
        props["archgen.service"] = comp.service
    if comp.platform:
        props["archgen.platform"] = comp.platform
    if comp.group:
        props["archgen.group"] = comp.group
    if comp.data:
        props["archgen.data"] = ",".join(comp.data)
    if comp.public is not None:
        props["archgen.public"] = str(comp.public).lower()
    if comp.high_availability:
        props["archgen.high_availability"] = "true"
    if comp.protects:
        props["archgen.protects"] = ",".join(comp.protects)
    if name != c.one_line(comp.display_name):
        props["archgen.title"] = c.one_line(comp.display_name)
    return props


def workspace(model: Model) -> Workspace:
    """The model as a Structurizr workspace (the DSL and the JSON write this)."""
    comps = c.components(model)
    ids = c.safe_ids(model.components, prefix="", taken={"archgen_system", "live", "provider_node", "on_prem_node"})
    names = _names(model)
    hosts = {comp.id for comp in comps if c.is_host(model, comp)}
    system = Element("softwareSystem", "archgen_system", name=c.one_line(model.display_name) or model.name,
                     description=c.one_line(model.description or ""), properties={"archgen.name": model.name,
                     "archgen.provider": str(model.provider)})
    if model.region:
        system.properties["archgen.region"] = model.region
    requirements = model.requirements.model_dump(exclude_defaults=True)
    if requirements:
        system.properties["archgen.requirements"] = json.dumps(requirements, sort_keys=True)
    if model.zones:
        system.properties["archgen.zones"] = json.dumps(
            {zid: {"title": z.title or zid, "trusted": z.trusted} for zid, z in sorted(model.zones.items())},
            sort_keys=True, ensure_ascii=False)
    people, externals = [], []
    containers: dict[str, Element] = {}
    for comp in comps:
        props = _properties(model, comp, names[comp.id])
        desc = c.one_line(comp.description or "")
        if has_trait(comp.kind, "person") and not has_trait(comp.kind, "device"):
            people.append(Element("person", ids[comp.id], names[comp.id], desc, tags=["Person"], properties=props))
        elif has_trait(comp.kind, "external"):
            externals.append(Element("softwareSystem", ids[comp.id], names[comp.id], desc, tags=["External"], properties=props))
        elif comp.id not in hosts:
            tech = PLATFORM_TECHNOLOGY.get(comp.platform or "", "") if has_trait(comp.kind, "device") else c.service_name(model, comp)
            tags = ["Database"] if has_trait(comp.kind, "data_store") else []
            tags += ["Client app"] if has_trait(comp.kind, "device") else []
            el = Element("container", ids[comp.id], names[comp.id], desc, tech, tags, props, group=comp.group)
            containers[comp.id] = el
    system.children = list(containers.values())

    # deployment: hosts as nodes holding their guests, the rest in the provider's node
    def host_node(host: Component) -> Element:
        node = Element("deploymentNode", ids[host.id], names[host.id], c.one_line(host.description or ""),
                       c.service_name(model, host), properties=_properties(model, host, names[host.id]))
        for guest in c.guests(model, host.id):
            if guest.id in hosts:
                node.children.append(host_node(guest))
            elif guest.id in containers:
                node.children.append(Element("containerInstance", f"{ids[guest.id]}_instance", of=ids[guest.id]))
        return node

    provider_node = Element("deploymentNode", "provider_node", c.catalog().provider_name(str(model.provider)),
                            technology=model.region or "", tags=["Provider"],
                            properties={"archgen.provider": str(model.provider)})
    on_prem = Element("deploymentNode", "on_prem_node", "On premises", tags=["On premises"],
                      properties={"archgen.zone": ON_PREM_ZONE})
    for comp in comps:
        where = on_prem if model.zone_of(comp) == ON_PREM_ZONE else provider_node
        if comp.id in hosts and (comp.runs_on not in hosts):
            where.children.append(host_node(comp))
        elif comp.id in containers and comp.runs_on not in hosts:
            if has_trait(comp.kind, "device"):
                continue  # on the user's device: not deployed by the system
            where.children.append(Element("containerInstance", f"{ids[comp.id]}_instance", of=ids[comp.id]))
        elif has_trait(comp.kind, "external") and where is on_prem:
            on_prem.children.append(Element("softwareSystemInstance", f"{ids[comp.id]}_instance", of=ids[comp.id]))
    deployment = [n for n in (provider_node, on_prem) if n.children]

    # relationships
    relationships: list[Relationship] = []
    skipped: list[str] = []
    seen: set[tuple[str, str, str]] = set()
    deployable = {cid for cid in containers if not has_trait(model.components[cid].kind, "device")}
    for row in c.flows(model):
        flow = row.flow
        key = (flow.source, flow.to, row.label)
        if key in seen:
            skipped.append(f"{row.id}: a second flow with the same label (Structurizr needs a unique description)")
            continue
        seen.add(key)
        props: dict[str, str] = {}
        if flow.protocol:
            props["archgen.protocol"] = flow.protocol
        if flow.data:
            props["archgen.data"] = ",".join(flow.data)
        if flow.auth:
            props["archgen.auth"] = flow.auth
        if flow.rps is not None:
            props["archgen.rps"] = f"{flow.rps:g}"
        if flow.tls is not None:
            props["archgen.tls"] = str(flow.tls).lower()
        if not flow.label:
            props["archgen.label"] = ""
        tags = ["Asynchronous"] if flow.is_async else []
        ends = (flow.source, flow.to)
        if any(end in hosts for end in ends):
            def deployed(end: str) -> str | None:
                if end in hosts:
                    return ids[end]
                if end in deployable:
                    return f"{ids[end]}_instance"
                comp = model.components[end]
                if has_trait(comp.kind, "external") and model.zone_of(comp) == ON_PREM_ZONE:
                    return f"{ids[end]}_instance"
                return None

            src, dst = deployed(flow.source), deployed(flow.to)
            if src is None or dst is None:
                skipped.append(f"{row.id}: Structurizr relates a deployment node only to deployed elements, and a person or client app is none")
                continue
            relationships.append(Relationship(src, dst, row.label, row.protocol or "", tags, props, deployment=True))
        else:
            relationships.append(Relationship(ids[flow.source], ids[flow.to], row.label, row.protocol or "", tags, props))
    return Workspace(system.name, system.description, system, people, externals, deployment, relationships, skipped)


# -- the DSL ---------------------------------------------------------------------------


def _element_lines(el: Element, indent: str) -> list[str]:
    if el.type in ("containerInstance", "softwareSystemInstance"):
        return [f"{indent}{el.ident} = {el.type} {el.of}"]
    args = [string(el.name), string(el.description)]
    if el.type in ("container", "deploymentNode"):
        args.append(string(el.technology))
    head = f"{indent}{el.ident} = {el.type} {' '.join(args)}"
    lines = [head + " {"]
    if el.tags:
        lines.append(f"{indent}    tags {' '.join(string(t) for t in el.tags)}")
    if el.properties:
        lines.append(f"{indent}    properties {{")
        lines += [f"{indent}        {string(k)} {string(v)}" for k, v in sorted(el.properties.items())]
        lines.append(f"{indent}    }}")
    groups: dict[str | None, list[Element]] = {}
    for child in el.children:
        groups.setdefault(child.group, []).append(child)
    for child in groups.get(None, []):
        lines += _element_lines(child, indent + "    ")
    for name in sorted(g for g in groups if g is not None):
        lines.append(f"{indent}    group {string(name)} {{")
        for child in groups[name]:
            lines += _element_lines(child, indent + "        ")
        lines.append(f"{indent}    }}")
    lines.append(f"{indent}}}")
    return lines


def _relationship_line(rel: Relationship, indent: str) -> list[str]:
    head = f"{indent}{rel.source} -> {rel.target} {string(rel.description)} {string(rel.technology)}"
    if rel.tags:
        head += " " + string(",".join(rel.tags))
    if not rel.properties:
        return [head]
    lines = [head + " {", f"{indent}    properties {{"]
    lines += [f"{indent}        {string(k)} {string(v)}" for k, v in sorted(rel.properties.items())]
    return lines + [f"{indent}    }}", f"{indent}}}"]


def dsl(model: Model) -> str:
    """The model as a Structurizr DSL workspace."""
    ws = workspace(model)
    out = [f"// {c.generated_note(model)}", "workspace {"]
    if any("${" in text for text in _texts(model)):  # declared before any string that uses it
        out.append(f"    !constant {DOLLAR} \"$\"")
    out += [f"    name {string(ws.name)}", f"    description {string(ws.description)}", "    !identifiers flat", "", "    model {"]
    for el in ws.people:
        out += _element_lines(el, "        ")
    out += _element_lines(ws.system, "        ")
    for el in ws.externals:
        out += _element_lines(el, "        ")
    if ws.relationships:
        out.append("")
    for rel in ws.relationships:
        if not rel.deployment:
            out += _relationship_line(rel, "        ")
    for note in ws.skipped:
        out.append(f"        // not exported: {c.one_line(note)}")
    if ws.deployment:
        out += ["", f"        live = deploymentEnvironment {string(ENVIRONMENT)} {{"]
        for node in ws.deployment:
            out += _element_lines(node, "            ")
        for rel in ws.relationships:
            if rel.deployment:
                out += _relationship_line(rel, "            ")
        out.append("        }")
    out += ["    }", "", "    views {"]
    out += [f"        systemContext {ws.system.ident} \"SystemContext\" {{", "            include *", "            autolayout lr", "        }"]
    out += [f"        container {ws.system.ident} \"Containers\" {{", "            include *", "            autolayout lr", "        }"]
    if ws.deployment:
        out += [f"        deployment * \"{ENVIRONMENT}\" \"Deployment\" {{", "            include *", "            autolayout lr", "        }"]
    out += [
        "        styles {",
        '            element "Person" {',
        "                shape person",
        "            }",
        '            element "Database" {',
        "                shape cylinder",
        "            }",
        '            element "External" {',
        "                background #999999",
        "                color #ffffff",
        "            }",
        '            element "Client app" {',
        "                shape webbrowser",
        "            }",
        "        }",
        "    }",
        "}",
    ]
    return "\n".join(out) + "\n"


# -- the JSON workspace ------------------------------------------------------------------


def _json_element(el: Element, by_ident: dict[str, Element], environment: str) -> dict[str, Any]:
    out: dict[str, Any] = {"id": el.json_id}
    if el.type in ("containerInstance", "softwareSystemInstance"):
        key = "containerId" if el.type == "containerInstance" else "softwareSystemId"
        out.update({key: by_ident[el.of or ""].json_id, "instanceId": 1, "environment": environment})
        out["tags"] = "Container Instance" if el.type == "containerInstance" else "Software System Instance"
        return out
    base = {"person": "Element,Person", "softwareSystem": "Element,Software System", "container": "Element,Container",
            "deploymentNode": "Element,Deployment Node"}[el.type]
    out["name"] = el.name
    if el.description:
        out["description"] = el.description
    if el.technology:
        out["technology"] = el.technology
    out["tags"] = ",".join([base, *el.tags])
    if el.properties:
        out["properties"] = dict(sorted(el.properties.items()))
    if el.group:
        out["group"] = c.one_line(el.group)
    if el.type == "person":
        out["location"] = "Unspecified"
    if el.type == "deploymentNode":
        out["environment"] = environment
        out["instances"] = "1"
        nodes = [ch for ch in el.children if ch.type == "deploymentNode"]
        if nodes:
            out["children"] = [_json_element(ch, by_ident, environment) for ch in nodes]
        for typ, key in (("containerInstance", "containerInstances"), ("softwareSystemInstance", "softwareSystemInstances")):
            items = [ch for ch in el.children if ch.type == typ]
            if items:
                out[key] = [_json_element(ch, by_ident, environment) for ch in items]
    elif el.type == "softwareSystem" and el.children:
        out["containers"] = [_json_element(ch, by_ident, environment) for ch in el.children]
    return out


def workspace_json(model: Model) -> str:
    """The model as a Structurizr JSON workspace (the shape of Structurizr's published schema)."""
    ws = workspace(model)
    by_ident: dict[str, Element] = {}
    n = 0
    for el in ws.elements():
        n += 1
        el.json_id = str(n)
        by_ident[el.ident] = el
    rels_by_source: dict[str, list[dict[str, Any]]] = {}
    rel_ids = []
    for rel in ws.relationships:
        n += 1
        rel.json_id = str(n)
        rel_ids.append(rel.json_id)
        item: dict[str, Any] = {"id": rel.json_id, "sourceId": by_ident[rel.source].json_id,
                                "destinationId": by_ident[rel.target].json_id, "tags": ",".join(["Relationship", *rel.tags])}
        if rel.description:
            item["description"] = rel.description
        if rel.technology:
            item["technology"] = rel.technology
        item["interactionStyle"] = "Asynchronous" if "Asynchronous" in rel.tags else "Synchronous"
        if rel.properties:
            item["properties"] = dict(sorted(rel.properties.items()))
        rels_by_source.setdefault(rel.source, []).append(item)

    by_json_id = {el.json_id: el for el in ws.elements()}

    def with_relationships(el: Element, data: dict[str, Any]) -> dict[str, Any]:
        if el.ident in rels_by_source:
            data["relationships"] = rels_by_source[el.ident]
        for key in ("containers", "children", "containerInstances", "softwareSystemInstances"):
            for child_data in data.get(key, []):
                with_relationships(by_json_id[child_data["id"]], child_data)
        return data

    def emit(el: Element) -> dict[str, Any]:
        return with_relationships(el, _json_element(el, by_ident, ENVIRONMENT))

    system_id = ws.system.json_id
    static = [el.json_id for el in [*ws.people, ws.system, *ws.externals]]
    container_ids = [el.json_id for el in [*ws.people, *ws.system.children, *ws.externals]]
    static_rels = [r.json_id for r in ws.relationships if not r.deployment]
    deployed = [el.json_id for node in ws.deployment for el in _walk(node)]
    layout = {"rankDirection": "LeftRight", "rankSeparation": 300, "nodeSeparation": 300, "edgeSeparation": 0, "vertices": False}
    views: dict[str, Any] = {
        "systemContextViews": [{"key": "SystemContext", "softwareSystemId": system_id, "automaticLayout": layout,
                                "elements": [{"id": i} for i in static], "enterpriseBoundaryVisible": True}],
        "containerViews": [{"key": "Containers", "softwareSystemId": system_id, "automaticLayout": layout,
                            "elements": [{"id": i} for i in container_ids],
                            "relationships": [{"id": i} for i in static_rels],
                            "externalSoftwareSystemBoundariesVisible": False}],
    }
    if ws.deployment:
        views["deploymentViews"] = [{"key": "Deployment", "environment": ENVIRONMENT, "automaticLayout": layout,
                                     "elements": [{"id": i} for i in deployed],
                                     "relationships": [{"id": r.json_id} for r in ws.relationships if r.deployment]}]
    views["configuration"] = {"styles": {"elements": [
        {"tag": "Person", "shape": "Person"}, {"tag": "Database", "shape": "Cylinder"},
        {"tag": "External", "background": "#999999", "color": "#ffffff"}, {"tag": "Client app", "shape": "WebBrowser"},
    ]}}
    doc = {
        "name": ws.name,
        "description": ws.description,
        "properties": {"archgen.generated": c.generated_note(model)},
        "model": {
            "people": [emit(el) for el in ws.people],
            "softwareSystems": [emit(el) for el in [ws.system, *ws.externals]],
            "deploymentNodes": [emit(el) for el in ws.deployment],
        },
        "views": views,
        "documentation": {},
        "configuration": {},
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _texts(model: Model) -> Iterator[str]:
    """Every text of the model the DSL may write."""
    yield from (model.title or "", model.description or "", model.name)
    for comp in model.components.values():
        yield from (comp.title or "", comp.description or "", comp.group or "", comp.id)
    for flow in model.flows:
        yield flow.label or ""


def _walk(el: Element) -> Iterator[Element]:
    yield el
    for child in el.children:
        yield from _walk(child)
