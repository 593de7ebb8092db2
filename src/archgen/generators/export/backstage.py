"""Backstage: the model as software catalog entities (a ``catalog-info.yaml`` of several documents).

- the model is a ``System``;
- what runs application code (the catalog's ``compute`` kinds) and client apps are
  ``Component``s (type ``service``, ``website`` for a web client or a static site,
  ``mobile-app``, ``desktop-app``), each ``dependsOn`` what it calls and the cluster or VM
  it runs on;
- every other provisioned part (databases, queues, buckets, load balancers, clusters...)
  and each external system is a ``Resource`` (its type is its kind);
- a component that others call over a protocol gets an ``API`` (``openapi`` for HTTP,
  ``grpc``, ``graphql``, ``asyncapi`` for messages) that it ``providesApis`` and its callers
  ``consumesApis``; its definition is a placeholder that says so, because the model
  names the protocol, not the operations;
- people are not entities (Backstage's users and groups come from the organisation's
  directory); components name their ``owner``, or ``unassigned``.

Entity names are the component ids made valid for Backstage (no trailing ``-``, ``_``);
archgen's id, kind, service and zone are annotations. PyYAML writes the YAML, so model
text is always a quoted or plain scalar, never YAML syntax.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from archgen.catalog.vocabulary import has_trait
from archgen.generators.export import _common as c

if TYPE_CHECKING:
    from archgen.model import Component, Model

__all__ = ["entities", "render"]

API_VERSION = "backstage.io/v1alpha1"
ANNOTATION = "archgen.dev"
LIFECYCLE = "production"
UNASSIGNED = "unassigned"
_NAME_BAD = re.compile(r"[^A-Za-z0-9_.-]+")
_TAG_BAD = re.compile(r"[^a-z0-9:+#]+")


def _name(text: str) -> str:
    """A Backstage entity name: [A-Za-z0-9] at both ends, [-A-Za-z0-9_.] inside, at most 63."""
    s = _NAME_BAD.sub("-", text)[:63].strip("-_.")
    return s or "x"


def _tag(text: str) -> str:
    return "-".join(p for p in _TAG_BAD.sub("-", text.lower()).split("-") if p)[:63].strip("-") or "x"


def _owner(comp: Component | None) -> str:
    return _name(comp.owner) if comp is not None and comp.owner else UNASSIGNED


_API_TYPES = {"grpc": "grpc", "grpcs": "grpc", "graphql": "graphql"}


def _api_type(protocols: set[str], asynchronous: bool) -> str:
    for p in sorted(protocols):
        if p in _API_TYPES:
            return _API_TYPES[p]
    return "asyncapi" if asynchronous else "openapi"


def _definition(kind: str, title: str, protocols: list[str]) -> str:
    said = ", ".join(protocols) or "no protocol named"
    note = f"archgen: the model names this API's protocol ({said}), not its operations; replace with its definition"
    if kind in ("openapi", "asyncapi"):
        head, rest = ("openapi: 3.0.3", "paths: {}") if kind == "openapi" else ("asyncapi: 2.6.0", "channels: {}")
        info = {"title": c.one_line(title), "version": "0", "description": note}
        return head + "\ninfo:\n" + "".join(f"  {k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in info.items()) + rest + "\n"
    if kind == "grpc":
        return f'// {note}\nsyntax = "proto3";\n'
    return f"# {note}\nschema {{ query: Query }}\ntype Query {{ _placeholder: Boolean }}\n"


def _kind_of(comp: Component) -> str | None:
    """The Backstage kind of a component (None: not an entity)."""
    if has_trait(comp.kind, "person") and not has_trait(comp.kind, "device"):
        return None
    if has_trait(comp.kind, "compute") and not has_trait(comp.kind, "host") or has_trait(comp.kind, "device"):
        return "Component"
    return "Resource"


def _component_type(comp: Component) -> str:
    if has_trait(comp.kind, "device"):
        return {"web": "website", "mobile": "mobile-app", "desktop": "desktop-app"}.get(comp.platform or "web", "website")
    return "service"


def entities(model: Model) -> list[dict[str, Any]]:
    """The catalog entities, in order: the System, then Components, Resources and APIs by name."""
    comps = c.components(model)
    kinds = {comp.id: _kind_of(comp) for comp in comps}
    names: dict[str, str] = {}
    taken: dict[str, set[str]] = {}
    for comp in comps:
        kind = kinds[comp.id]
        if kind is None:
            continue
        base, n = _name(comp.id), 2
        name = base
        while name in taken.setdefault(kind, set()):
            name, n = f"{base[:60]}-{n}", n + 1
        taken[kind].add(name)
        names[comp.id] = name
    system = _name(model.name)

    def ref(cid: str) -> str:
        return f"{kinds[cid].lower()}:{names[cid]}"  # type: ignore[union-attr]

    owners = sorted({_owner(comp) for comp in comps if comp.owner})
    docs: list[dict[str, Any]] = [{
        "apiVersion": API_VERSION,
        "kind": "System",
        "metadata": _metadata(system, model.display_name, model.description, {f"{ANNOTATION}/source": c.one_line(model.file)}, [_tag(str(model.provider))]),
        "spec": {"owner": owners[0] if len(owners) == 1 else UNASSIGNED},
    }]
    # APIs: one per component that others call over a protocol (a compute callee)
    provided: dict[str, dict[str, Any]] = {}
    callers: dict[str, set[str]] = {}
    for row in c.flows(model):
        target = model.components[row.target]
        if kinds.get(row.target) != "Component" or has_trait(target.kind, "device"):
            continue
        entry = provided.setdefault(row.target, {"protocols": set(), "async": False})
        if row.protocol:
            entry["protocols"].add(row.protocol)
        entry["async"] = entry["async"] or row.flow.is_async
        if kinds.get(row.source) == "Component":
            callers.setdefault(row.source, set()).add(row.target)
    api_names = {cid: f"{names[cid][:59]}-api".strip("-_.") for cid in provided}
    apis = []
    for cid, entry in sorted(provided.items()):
        comp = model.components[cid]
        api_type = _api_type(entry["protocols"], entry["async"])
        title = f"{c.one_line(comp.display_name)} API"
        apis.append({
            "apiVersion": API_VERSION,
            "kind": "API",
            "metadata": _metadata(api_names[cid], title, None, {f"{ANNOTATION}/id": comp.id}, []),
            "spec": {"type": api_type, "lifecycle": LIFECYCLE, "owner": _owner(comp), "system": system,
                     "definition": _definition(api_type, title, sorted(entry["protocols"]))},
        })
    calls: dict[str, set[str]] = {}
    for f in model.flows:
        calls.setdefault(f.source, set()).add(f.to)
    for comp in comps:
        kind = kinds[comp.id]
        if kind is None:
            continue
        annotations = {f"{ANNOTATION}/id": comp.id, f"{ANNOTATION}/kind": comp.kind, f"{ANNOTATION}/zone": model.zone_of(comp)}
        key = c.service_key(model, comp)
        if key:
            annotations[f"{ANNOTATION}/service"] = key
        tags = [_tag(comp.kind)] + ([_tag(comp.group)] if comp.group else [])
        spec: dict[str, Any] = {"type": _component_type(comp) if kind == "Component" else _tag(comp.kind),
                                "owner": _owner(comp), "system": system}
        if kind == "Component":
            spec = {"type": spec["type"], "lifecycle": LIFECYCLE, "owner": spec["owner"], "system": system}
        depends = sorted({ref(t) for t in calls.get(comp.id, ()) if kinds.get(t) and t != comp.id})
        if comp.runs_on and kinds.get(comp.runs_on):
            depends = sorted({*depends, ref(comp.runs_on)})
        if depends:
            spec["dependsOn"] = depends
        if kind == "Component":
            if comp.id in provided:
                spec["providesApis"] = [f"api:{api_names[comp.id]}"]
            consumed = sorted(f"api:{api_names[t]}" for t in callers.get(comp.id, ()) if t != comp.id)
            if consumed:
                spec["consumesApis"] = consumed
        docs.append({
            "apiVersion": API_VERSION,
            "kind": kind,
            "metadata": _metadata(names[comp.id], comp.display_name, comp.description, annotations, tags),
            "spec": spec,
        })
    order = {"System": 0, "Component": 1, "Resource": 2, "API": 3}
    return sorted(docs + apis, key=lambda d: (order[d["kind"]], d["metadata"]["name"]))


def _metadata(name: str, title: str | None, description: str | None, annotations: dict[str, str], tags: list[str]) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name}
    if title:
        meta["title"] = c.one_line(title)
    if description:
        meta["description"] = " ".join(str(description).split())
    if annotations:
        meta["annotations"] = dict(sorted(annotations.items()))
    if tags:
        meta["tags"] = sorted(set(tags))
    return meta


def render(model: Model) -> str:
    """The entities as one multi-document ``catalog-info.yaml``."""
    import yaml

    head = f"# {c.generated_note(model)}\n"
    # libyaml's emitter when PyYAML has it (several times faster; the same bytes on the
    # example, the fixtures and the gallery: tests/test_export.py checks it)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return head + yaml.dump_all(entities(model), Dumper=dumper, sort_keys=False, allow_unicode=True, width=10_000, explicit_start=True)
