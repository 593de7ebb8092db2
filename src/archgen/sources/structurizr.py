"""``archgen import structurizr``: a Structurizr workspace (DSL or JSON) as an archgen model.

The workspace is read into :class:`C4Workspace` (the DSL by
:mod:`archgen.sources.structurizr_dsl`, the JSON here), then mapped (docs/interop.md):

- people become actors, in the ``corporate`` zone when the workspace says they are staff
  (an ``Internal`` location, an ``enterprise`` block, or words such as "staff" or "back
  office"), otherwise on the internet;
- a software system with containers is the modelled system: its containers become
  components, their kind inferred from their technology, tags and name
  (``sources/data/structurizr.yaml``; a comment marks a guess), their C4 components folded
  into them; the other software systems become ``external``, with ``zone: on_prem`` when
  their instance is deployed in an on-premises node;
- in the deployment environment (``Live`` or ``Production`` when there are several), a
  node that is a Kubernetes cluster or a VM becomes a component, and what runs in it gets
  ``runs_on``; infrastructure nodes (DNS, load balancers, firewalls...) become components;
  the provider comes from the nodes' names (Amazon Web Services, Azure, Google Cloud);
- relationships become flows: the description as the label, the technology as the
  protocol when archgen's protocol table knows it (otherwise it joins the label), the tag
  ``Asynchronous`` as ``async: true``.

Elements and relationships that carry ``archgen.*`` properties (what ``archgen export
--format structurizr`` writes) are taken as they say, so an export imports back to the
same model. What cannot be mapped is listed in comments of the written YAML; what cannot
be read at all is a FILE:LINE:COLUMN error (exit 2).
"""

from __future__ import annotations

import bisect
import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archgen.errors import Location, ModelError, ModelErrors
from archgen.sources.modelyaml import Text, comment, entries, quoted

__all__ = ["C4Element", "C4Relationship", "C4Workspace", "Imported", "import_workspace", "read_json", "read_workspace", "to_model_yaml"]


# -- what a workspace holds ----------------------------------------------------------


@dataclass
class C4Element:
    key: str
    type: str  # person, softwareSystem, container, component, element, deploymentNode, infrastructureNode, containerInstance, softwareSystemInstance
    name: str
    loc: Location
    ident: str | None = None
    description: str = ""
    technology: str = ""
    tags: list[str] = field(default_factory=list)
    properties: dict[str, str] = field(default_factory=dict)
    group: str | None = None
    parent: str | None = None
    environment: str | None = None
    of: str | None = None  # an instance: the key of its container or software system
    location: str | None = None  # Internal / External (JSON, or an enterprise block)
    of_ref: Any = None  # the DSL reader's unresolved reference


@dataclass
class C4Relationship:
    source: str
    target: str
    description: str
    technology: str
    loc: Location
    tags: list[str] = field(default_factory=list)
    properties: dict[str, str] = field(default_factory=dict)
    interaction: str | None = None  # JSON's interactionStyle


@dataclass
class C4Workspace:
    file: str
    name: str = ""
    description: str = ""
    properties: dict[str, str] = field(default_factory=dict)
    elements: dict[str, C4Element] = field(default_factory=dict)
    relationships: list[C4Relationship] = field(default_factory=list)
    environments: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was read and left out on purpose


# -- reading -------------------------------------------------------------------------


def read_workspace(path: str | Path) -> C4Workspace:
    """A DSL (``.dsl``) or JSON (``.json``) workspace; ModelErrors at FILE:LINE:COLUMN."""
    p = Path(path)
    if p.suffix.lower() == ".json":
        return read_json(p)
    from archgen.sources.structurizr_dsl import read_dsl

    return read_dsl(p)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def read_json(path: Path) -> C4Workspace:
    """A Structurizr JSON workspace (the shape of Structurizr's published schema)."""
    file = _display(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ModelErrors([ModelError(Location(file, 1, 1), f"the file is not valid UTF-8 (byte 0x{exc.object[exc.start]:02x})")]) from None
    except OSError as exc:
        raise ModelErrors([ModelError(Location(file), f"cannot read: {exc.strerror or exc}")]) from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ModelErrors([ModelError(Location(file, exc.lineno, exc.colno), f"JSON syntax error: {exc.msg}")]) from None
    errors: list[ModelError] = []

    # JSON gives no positions: the first ``"id": "<id>"`` of each id, found in one pass
    # (searching the text once per element took 9 s for 1,000 elements)
    first_at: dict[str, int] = {}
    for m in re.finditer(r'"id"\s*:\s*(?:"((?:[^"\\]|\\.)*)"|(-?\d+))\s*[,}]', text):
        first_at.setdefault(m.group(1) if m.group(1) is not None else m.group(2), m.start())
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def where(json_id: object) -> Location:
        """The line of ``"id": "<json_id>"`` in the text."""
        at = first_at.get(str(json_id))
        if at is None:
            return Location(file, 1, 1)
        line = bisect.bisect_right(line_starts, at)
        return Location(file, line, at - line_starts[line - 1] + 1)

    if not isinstance(doc, dict) or not isinstance(doc.get("model"), dict):
        raise ModelErrors([ModelError(Location(file, 1, 1), "not a Structurizr workspace: no \"model\" object")])
    ws = C4Workspace(file=file, name=str(doc.get("name") or ""), description=str(doc.get("description") or ""))
    ws.properties = {str(k): str(v) for k, v in (doc.get("properties") or {}).items()}
    ws.notes.append("views (archgen draws its own)") if doc.get("views") else None
    rels: list[tuple[dict[str, Any], str]] = []

    def text_of(item: dict[str, Any], key: str) -> str:
        value = item.get(key)
        return "" if value is None else str(value)

    def add(item: Any, typ: str, parent: str | None, environment: str | None = None) -> None:
        if not isinstance(item, dict):
            errors.append(ModelError(Location(file, 1, 1), f"a {typ} is not an object"))
            return
        key = text_of(item, "id")
        if not key:
            errors.append(ModelError(where(""), f"a {typ} has no id"))
            return
        if key in ws.elements:
            errors.append(ModelError(where(key), f"id {key!r} is used twice"))
            return
        tags = [t.strip() for t in text_of(item, "tags").split(",") if t.strip()]
        el = C4Element(key=key, type=typ, name=text_of(item, "name"), loc=where(key), description=text_of(item, "description"),
                       technology=text_of(item, "technology"), tags=tags, parent=parent,
                       properties={str(k): str(v) for k, v in (item.get("properties") or {}).items()},
                       group=item.get("group") or None, environment=item.get("environment") or environment,
                       location=item.get("location") or None)
        if typ == "containerInstance":
            el.of = text_of(item, "containerId")
        elif typ == "softwareSystemInstance":
            el.of = text_of(item, "softwareSystemId")
        ws.elements[key] = el
        for rel in item.get("relationships") or ():
            rels.append((rel, key))
        children = {"softwareSystem": [("containers", "container")], "container": [("components", "component")],
                    "deploymentNode": [("children", "deploymentNode"), ("infrastructureNodes", "infrastructureNode"),
                                       ("softwareSystemInstances", "softwareSystemInstance"), ("containerInstances", "containerInstance")]}
        for field_name, child_type in children.get(typ, []):
            for child in item.get(field_name) or ():
                add(child, child_type, key, el.environment)

    model = doc["model"]
    for field_name, typ in (("people", "person"), ("softwareSystems", "softwareSystem"), ("deploymentNodes", "deploymentNode"), ("customElements", "element")):
        for item in model.get(field_name) or ():
            add(item, typ, None)
    for rel, source in rels:
        if not isinstance(rel, dict):
            continue
        dest = str(rel.get("destinationId") or "")
        loc = where(rel.get("id", ""))
        if dest not in ws.elements:
            errors.append(ModelError(loc, f"relationship {rel.get('id')!r} names a destination {dest!r} that is no element"))
            continue
        if rel.get("linkedRelationshipId"):
            continue  # an instance-to-instance copy of a container relationship
        ws.relationships.append(C4Relationship(
            source=str(rel.get("sourceId") or source), target=dest, description=text_of(rel, "description"),
            technology=text_of(rel, "technology"), loc=loc,
            tags=[t.strip() for t in text_of(rel, "tags").split(",") if t.strip()],
            properties={str(k): str(v) for k, v in (rel.get("properties") or {}).items()},
            interaction=rel.get("interactionStyle")))
    for el in ws.elements.values():
        if el.type in ("containerInstance", "softwareSystemInstance") and el.of not in ws.elements:
            errors.append(ModelError(el.loc, f"instance {el.key!r} is of {el.of!r}, which is no element"))
        if el.environment and el.environment not in ws.environments:
            ws.environments.append(el.environment)
    if errors:
        raise ModelErrors(errors)
    return ws


# -- mapping ---------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _rules() -> dict[str, Any]:
    from importlib import resources

    import yaml

    text = resources.files("archgen.sources").joinpath("data", "structurizr.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


_WORD = re.compile(r"[a-z0-9]+")


def _words(*texts: str) -> str:
    return " " + " ".join(w for t in texts for w in _WORD.findall(t.lower())) + " "


def _has(words: str, phrase: str) -> bool:
    return " " + " ".join(_WORD.findall(phrase.lower())) + " " in words


def _infer(el: C4Element, skip: frozenset[str] = frozenset()) -> tuple[str | None, str | None, bool, str]:
    """(kind, platform, guessed, the words that decided) from technology, tags and name;
    kinds in ``skip`` are never the answer (a container is no cluster)."""
    tags = [t for t in el.tags if t not in ("Element", "Container", "Software System", "Person", "Component", "Deployment Node", "Infrastructure Node")]
    words = _words(el.technology, " ".join(tags), el.name)
    for rule in _rules()["kinds"]:
        if rule["kind"] in skip:
            continue
        for phrase in rule["words"]:
            if _has(words, phrase):
                return rule["kind"], rule.get("platform"), bool(rule.get("guess")), phrase
    return None, None, True, ""


def _matches(words: str, table: dict[str, list[str]]) -> str | None:
    for key, phrases in table.items():
        if any(_has(words, p) for p in phrases):
            return key
    return None


_SLUG = re.compile(r"[^a-z0-9]+")


def _slug_id(text: str) -> str:
    s = _SLUG.sub("-", text.lower()).strip("-")[:63].strip("-")
    if not s or not s[0].isalpha():
        s = ("c-" + s)[:63].strip("-")
    return s


def _unique_id(base: str, used: set[str], keep: int) -> str:
    """``base``, or when ``used`` has it, its first ``keep`` characters and -2, -3 and so on:
    the first id not in ``used``, added to it."""
    name, n = base, 2
    while name in used:
        name = f"{base[:keep]}-{n}"
        n += 1
    used.add(name)
    return name


@dataclass
class _Comp:
    id: str
    kind: str
    el: C4Element
    title: str
    description: str = ""
    zone: str | None = None
    runs_on: str | None = None
    group: str | None = None
    platform: str | None = None
    service: str | None = None
    data: list[str] = field(default_factory=list)
    public: bool | None = None
    high_availability: bool = False
    protects: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    encrypted: bool | None = None
    terraform: list[str] = field(default_factory=list)  # resource addresses or module paths (archgen import terraform)


@dataclass
class _Flow:
    source: str
    to: str
    label: str | None
    protocol: str | None
    is_async: bool = False
    data: list[str] = field(default_factory=list)
    auth: str | None = None
    rps: float | None = None
    tls: bool | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class Imported:
    """The model the import writes, before it is YAML."""

    name: str
    title: str
    description: str
    provider: str
    region: str | None
    components: list[_Comp]
    flows: list[_Flow]
    zones: dict[str, dict[str, Any]]
    notes: list[str]
    source: str
    requirements: dict[str, Any] = field(default_factory=dict)


def _prop_bool(value: str | None) -> bool | None:
    return None if value is None else value.strip().lower() == "true"


def map_workspace(ws: C4Workspace) -> Imported:
    """The workspace as archgen components and flows (see the module's docstring)."""
    from archgen.catalog.protocols import PROTOCOLS, match_label
    from archgen.catalog.vocabulary import KINDS, PROVIDERS, kinds_with
    from archgen.model import AUTH_METHODS, DATA_CLASSES

    rules = _rules()
    notes = list(dict.fromkeys(ws.notes))
    els = ws.elements
    children: dict[str | None, list[C4Element]] = {}
    for el in els.values():
        children.setdefault(el.parent, []).append(el)
    people_like = kinds_with("person")

    # the deployment environment to read
    env = None
    if ws.environments:
        wanted = [e for e in ws.environments if e.strip().lower() in rules["environments"]]
        env = wanted[0] if wanted else ws.environments[0]
        others = [e for e in ws.environments if e != env]
        if others:
            notes.append(f"deployment environment{'s' if len(others) > 1 else ''} {', '.join(repr(e) for e in others)} (archgen read {env!r})")

    def ancestors(el: C4Element) -> list[C4Element]:
        out, cur = [], el
        while cur.parent is not None and cur.parent in els:
            cur = els[cur.parent]
            out.append(cur)
        return out

    def node_words(el: C4Element) -> str:
        return _words(el.name, el.technology, " ".join(el.tags))

    # the provider: a property, else the outermost nodes' names
    system_props: dict[str, str] = {}
    modelled = [el for el in els.values() if el.type == "softwareSystem" and any(ch.type == "container" for ch in children.get(el.key, []))]
    for el in modelled:
        system_props.update({k: v for k, v in el.properties.items() if k.startswith("archgen.")})
    provider = system_props.get("archgen.provider")
    if provider not in PROVIDERS:
        provider = None
        for el in els.values():
            if el.type == "deploymentNode" and (env is None or el.environment == env):
                provider = provider or (el.properties.get("archgen.provider") if el.properties.get("archgen.provider") in PROVIDERS else None)
                provider = provider or _matches(node_words(el), {p: rules["providers"][p] for p in PROVIDERS if p in rules["providers"] and p != "kubernetes"})
        if provider is None:
            provider = PROVIDERS[0]
            notes.append(f"the provider: no deployment node names a cloud, so {provider} is assumed (change provider: to yours)")

    used: set[str] = set()

    def new_id(el: C4Element) -> str:
        base = el.properties.get("archgen.id") or (_slug_id(el.ident) if el.ident else _slug_id(el.name or el.key))
        if not re.fullmatch(r"[a-z][a-z0-9_-]{0,62}", base):
            base = _slug_id(base)
        return _unique_id(base, used, keep=60)

    comps: list[_Comp] = []
    by_key: dict[str, _Comp] = {}

    def from_props(el: C4Element, comp: _Comp) -> None:
        p = el.properties
        if p.get("archgen.title"):
            comp.title = p["archgen.title"]
        comp.service = p.get("archgen.service") or None
        comp.platform = p.get("archgen.platform") or comp.platform
        comp.group = p.get("archgen.group", comp.group) or None
        if p.get("archgen.data"):
            comp.data = [d for d in p["archgen.data"].split(",") if d]
        comp.public = _prop_bool(p.get("archgen.public"))
        comp.high_availability = _prop_bool(p.get("archgen.high_availability")) or False
        comp.protects = [x for x in p.get("archgen.protects", "").split(",") if x]
        if p.get("archgen.zone"):
            comp.zone = p["archgen.zone"]

    def add(el: C4Element, kind: str, **kw: Any) -> _Comp:
        comp = _Comp(id=new_id(el), kind=kind, el=el, title=el.name, description=el.description, **kw)
        if el.properties.get("archgen.kind") in KINDS:
            comp.kind = el.properties["archgen.kind"]
        from_props(el, comp)
        comps.append(comp)
        by_key[el.key] = comp
        return comp

    staff_words = rules["staff"]
    for el in els.values():
        if el.type == "person":
            comp = add(el, "actor")
            if "archgen.zone" not in el.properties:
                staff = el.location == "Internal" or any(_has(_words(el.name, " ".join(el.tags), el.description), w) for w in staff_words)
                comp.zone = "corporate" if staff else None
                if staff:
                    comp.notes.append("zone corporate: the workspace says this person works for the organisation")
        elif el.type == "softwareSystem" and el not in modelled:
            comp = add(el, "external")
            inside = el.location == "Internal" or (el.group is not None and any(m.group == el.group for m in modelled))
            if inside and "archgen.zone" not in el.properties:
                where = f"group {_one(el.group)!r}" if el.group else "its enterprise"
                comp.notes.append(f"the workspace puts it inside the organisation ({where}): say zone: on_prem or corporate if it runs there")
        elif el.type == "element":
            comp = add(el, "external")
            comp.notes.append("a custom element of the workspace, drawn as an external system")
    multi = len(modelled) > 1
    for system in modelled:
        for el in children.get(system.key, []):
            if el.type != "container":
                continue
            kind, platform, guessed, why = _infer(el, kinds_with("host"))
            comp = add(el, kind or "container_service", platform=platform, group=el.group or (system.name if multi else None))
            if "archgen.kind" not in el.properties:
                if kind is None:
                    comp.notes.append(f"kind guessed: nothing in {_what(el)} names a kind, so container_service")
                elif guessed:
                    comp.notes.append(f"kind guessed from {why!r} in {_what(el)}")
                if comp.kind in kinds_with("device") and comp.platform is None:
                    comp.platform = "web"
            folded = [ch for ch in children.get(el.key, []) if ch.type == "component"]
            if folded:
                comp.notes.append(f"its {len(folded)} C4 component{'s' if len(folded) != 1 else ''} ({', '.join(_one(f.name) for f in folded[:5])}{', ...' if len(folded) > 5 else ''}) are folded into it")
                for f in folded:
                    by_key[f.key] = comp
        if not multi and system.group:
            pass

    # deployment: hosts, infrastructure, zones
    zone_table = rules["zones"]

    def node_zone(el: C4Element) -> str | None:
        for node in [el, *ancestors(el)]:
            if node.type == "deploymentNode":
                zone = node.properties.get("archgen.zone") or _matches(node_words(node), zone_table)
                if zone:
                    return zone
        return None

    hosts_kinds = kinds_with("host")
    for el in els.values():
        if el.type != "deploymentNode" or (env is not None and el.environment != env):
            continue
        kind = el.properties.get("archgen.kind")
        if kind is None and ("archgen.provider" in el.properties or "archgen.zone" in el.properties):
            continue  # archgen's own provider or zone node: a place, not a component
        if kind is None:
            inferred, _, guessed, _ = _infer(el)
            kind = inferred if inferred in hosts_kinds and not guessed else None
        if kind is None or kind not in hosts_kinds:
            continue
        outer = next((a for a in ancestors(el) if a.key in by_key and by_key[a.key].kind in hosts_kinds), None)
        if outer is not None and "archgen.kind" not in el.properties:
            by_key[el.key] = by_key[outer.key]  # a node inside a cluster (a namespace, a node pool) is the cluster
            continue
        comp = add(el, kind)
        if outer is not None:
            comp.runs_on = by_key[outer.key].id
        zone = node_zone(el)
        if zone and comp.zone is None and outer is None:
            comp.zone = zone
        if "archgen.kind" not in el.properties:
            comp.notes.append(f"deployment node {_one(el.name)!r} ({_one(el.technology) or 'no technology'}): what runs in it runs on it")
    for el in els.values():
        if el.type == "infrastructureNode" and (env is None or el.environment == env):
            kind = el.properties.get("archgen.kind")
            inferred, _, guessed, why = _infer(el)
            kind = kind or inferred
            if kind is None or kind in hosts_kinds:
                notes.append(f"infrastructure node {_one(el.name)!r} ({_one(el.technology) or 'no technology'}): no kind found for it")
                continue
            comp = add(el, kind)
            zone = node_zone(el)
            if zone and comp.zone is None:
                comp.zone = zone
            if guessed and "archgen.kind" not in el.properties:
                comp.notes.append(f"kind guessed from {why!r} in {_what(el)}")
    for el in els.values():
        if el.type not in ("containerInstance", "softwareSystemInstance") or (env is not None and el.environment != env):
            continue
        target = by_key.get(el.of or "")
        if target is None:
            continue
        host = next((by_key[a.key] for a in ancestors(el) if a.key in by_key and by_key[a.key].kind in hosts_kinds), None)
        if host is not None and target.kind not in people_like and target.kind != "external" and target.runs_on is None and host is not target:
            target.runs_on = host.id
        zone = node_zone(el)
        if zone and target.zone is None and "archgen.zone" not in target.el.properties and host is None:
            target.zone = zone
            node = next(a for a in ancestors(el) if a.properties.get("archgen.zone") == zone or _matches(node_words(a), zone_table) == zone)
            target.notes.append(f"zone {zone}: deployed in {_one(node.name)!r}")
    device_kinds = kinds_with("device")
    for comp in comps:  # what a workspace's properties say is checked before it is written
        if comp.zone is not None and not re.fullmatch(r"[a-z][a-z0-9_-]{0,62}", comp.zone):
            comp.notes.append(f"zone {_one(comp.zone)!r} is no zone id: left out")
            comp.zone = None
        if comp.service is not None and not re.fullmatch(r"[a-z0-9_]+", comp.service):
            comp.notes.append(f"service {_one(comp.service)!r} is no service key: left out")
            comp.service = None
        if comp.platform not in (None, "web", "mobile", "desktop"):
            comp.platform = None
    for comp in comps:
        if comp.runs_on or comp.zone == _default_zone(comp.kind):
            comp.zone = None  # a placed component sits where its host sits
        if comp.kind not in device_kinds:
            comp.platform = None
        comp.data = [d for d in comp.data if d in DATA_CLASSES]
    ids = {comp.id for comp in comps}
    for comp in comps:
        comp.protects = [x for x in comp.protects if x in ids and x != comp.id] if comp.kind in kinds_with("shield") else []

    # zones of the workspace's own
    zones: dict[str, dict[str, Any]] = {}
    raw_zones = system_props.get("archgen.zones")
    if raw_zones:
        try:
            zones = {str(k): dict(v) for k, v in json.loads(raw_zones).items()}
        except (ValueError, AttributeError, TypeError):
            notes.append("the archgen.zones property is not JSON: zones of the model's own were not read")
    from archgen.catalog.vocabulary import ZONES

    for comp in comps:
        if comp.zone is not None and comp.zone not in ZONES and comp.zone not in zones:
            zones[comp.zone] = {"title": comp.zone, "trusted": False}
            comp.notes.append(f"zone {comp.zone} is not built in: declared untrusted (say trusted: true if it is)")

    # flows
    flows: list[_Flow] = []
    seen: set[tuple[str, str, str]] = set()
    for rel in ws.relationships:
        src, dst = by_key.get(rel.source), by_key.get(rel.target)
        if src is None or dst is None:
            missing = els[rel.source if src is None else rel.target]
            if missing.type == "softwareSystem":
                notes.append(f"the relationship {_one(els[rel.source].name)!r} -> {_one(els[rel.target].name)!r} (line {rel.loc.line}): it names the modelled system as a whole, not one of its containers")
                continue
            if missing.type in ("containerInstance", "softwareSystemInstance"):
                src = src or by_key.get(els[rel.source].of or "")
                dst = dst or by_key.get(els[rel.target].of or "")
            if src is None or dst is None:
                notes.append(f"the relationship {_one(els[rel.source].name)!r} -> {_one(els[rel.target].name)!r} (line {rel.loc.line}): an end that is not mapped")
                continue
        if src is dst:
            continue  # inside one folded container
        p = rel.properties
        tech = rel.technology.strip()
        description = rel.description.strip()
        if "archgen.protocol" in p or any(k.startswith("archgen.") for k in p):
            protocol = p.get("archgen.protocol") if p.get("archgen.protocol") in PROTOCOLS else None
            label = None if "archgen.label" in p and not p["archgen.label"] else (description or None)
        else:
            protocol = match_label(tech) if tech else None
            label = description or tech or None
            if tech and protocol is None and description:
                label = f"{description} ({tech})"
            if protocol is not None and protocol == match_label(label):
                protocol = None  # the label says it already
        key = (src.id, dst.id, label or "")
        if key in seen:
            continue
        seen.add(key)
        flow = _Flow(src.id, dst.id, label, protocol)
        flow.is_async = "Asynchronous" in rel.tags or rel.interaction == "Asynchronous"
        if p.get("archgen.data"):
            flow.data = [d for d in p["archgen.data"].split(",") if d in DATA_CLASSES]
        flow.auth = p.get("archgen.auth") if p.get("archgen.auth") in AUTH_METHODS else None
        if p.get("archgen.rps"):
            try:
                flow.rps = float(p["archgen.rps"])
            except ValueError:
                pass
        flow.tls = _prop_bool(p.get("archgen.tls"))
        flows.append(flow)

    requirements: dict[str, Any] = {}
    if system_props.get("archgen.requirements"):
        try:
            requirements = dict(json.loads(system_props["archgen.requirements"]))
        except (ValueError, TypeError):
            notes.append("the archgen.requirements property is not JSON: requirements were not read")
    name = system_props.get("archgen.name") or _slug_id(ws.name or Path(ws.file).stem).replace("_", "-")
    name = re.sub(r"-+", "-", re.sub(r"[^a-z0-9-]", "-", name)).strip("-") or "imported"
    title = ws.name or (modelled[0].name if modelled else name)
    return Imported(name=name[:63].strip("-"), title=title, description=ws.description or (modelled[0].description if modelled else ""),
                    provider=provider, region=system_props.get("archgen.region"), components=comps, flows=flows,
                    zones=zones, notes=notes, source=ws.file, requirements=requirements)


def _default_zone(kind: str) -> str:
    from archgen.catalog.vocabulary import KIND_ZONE

    return KIND_ZONE[kind]


def _one(text: str) -> str:
    return " ".join(str(text).split())


def _what(el: C4Element) -> str:
    parts = []
    if el.technology:
        parts.append(f"technology {_one(el.technology)!r}")
    tags = [t for t in el.tags if t not in ("Element", "Container", "Software System", "Person")]
    if tags:
        parts.append(f"tags {_one(', '.join(tags))!r}")
    parts.append(f"name {_one(el.name)!r}")
    return ", ".join(parts)


# -- writing -----------------------------------------------------------------------------


def to_model_yaml(imp: Imported, origin: str | None = None) -> str:
    """The imported model as archgen YAML, with comments for what was guessed or left out
    (``origin``: where it came from, for the first line; a Structurizr workspace by default)."""
    out = [
        comment(f"Imported by archgen from {origin or 'the Structurizr workspace ' + imp.source}."),
        "# Review the kinds marked 'guessed', the provider and the zones; then run archgen check.",
    ]
    if imp.notes:
        out.append("# Not imported:")
        out += ["#   - " + " ".join(n.split()) for n in imp.notes]
    out += entries(
        [
            ("archgen", 1),
            ("name", imp.name),
            ("title", Text(imp.title)),
            ("description", Text(imp.description or "")),
            ("provider", imp.provider),
            ("region", Text(imp.region or "")),
            ("requirements", imp.requirements or None),
        ],
        "",
    )
    if imp.zones:
        out.append("zones:")
        for zid in sorted(imp.zones):
            z = imp.zones[zid]
            out.append(f"  {zid}: {{title: {quoted(z.get('title') or zid)}, trusted: {'true' if z.get('trusted') else 'false'}}}")
    out.append("components:")
    for comp in imp.components:
        out += _entry(comp.notes, f"  {comp.id}:", _component_fields(comp))
    if imp.flows:
        out.append("flows:")
    for flow in imp.flows:
        out += _entry(flow.notes, f"  - from: {flow.source}", _flow_fields(flow))
    return "\n".join(out) + "\n"


def _entry(notes: list[str], head: str, fields: list[tuple[str, Any]]) -> list[str]:
    """The lines of one component or flow: its notes as comments, its first line, then its
    fields one level in (those with no value left out)."""
    return ["  " + comment(n) for n in notes] + [head] + entries(fields, "    ")


def _component_fields(comp: _Comp) -> list[tuple[str, Any]]:
    """A component's fields in the order the model format documents them."""
    return [
        ("kind", comp.kind),
        ("service", comp.service),
        ("title", Text(comp.title) if comp.title and comp.title != comp.id else None),
        ("description", Text(comp.description or "")),
        ("group", Text(comp.group or "")),
        ("zone", comp.zone),
        ("runs_on", comp.runs_on),
        ("platform", comp.platform),
        ("public", comp.public),
        ("encrypted", comp.encrypted),
        ("high_availability", comp.high_availability or None),
        ("data", comp.data),
        ("protects", comp.protects),
        ("terraform", [Text(a) for a in comp.terraform]),
    ]


def _flow_fields(flow: _Flow) -> list[tuple[str, Any]]:
    """A flow's fields after its ``from:``."""
    return [
        ("to", flow.to),
        ("label", Text(flow.label or "")),
        ("protocol", flow.protocol),
        ("async", flow.is_async or None),
        ("data", flow.data),
        ("auth", flow.auth),
        ("rps", flow.rps),
        ("tls", flow.tls),
    ]


def import_workspace(path: str | Path) -> str:
    """``archgen import structurizr FILE``: the workspace as archgen YAML that ``archgen check`` reads."""
    return to_model_yaml(map_workspace(read_workspace(path)))
