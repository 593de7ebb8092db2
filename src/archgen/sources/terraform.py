"""``archgen import terraform``: a draft model from existing Terraform (docs/import.md).

Input: the JSON of ``terraform show -json`` for a saved plan or a state (read by
:mod:`archgen.infra.tfjson`; several files for several root modules), or a folder of
``.tf`` files (read by :mod:`archgen.sources.tfconfig` with python-hcl2, local modules
included, registry modules recognised by their source).

Mapping (the tables are in ``sources/data/terraform.yaml``, the kinds in the catalog):

- every resource whose type is a service's primary Terraform type (``archgen.infra.kinds``)
  is a component, its kind refined by an argument where the type serves several kinds
  (``engine = "postgres"``); a module whose resources are all one kind is one component
  named after the module (``terraform: [module.db]``); the helpers of a component
  (listeners, policies, subnet groups) are listed with it, so ``archgen verify`` finds
  every resource accounted for;
- components of a module with several are grouped by the module's name;
- flows come from security groups (a rule that lets group A into group B: the holders of
  A call the holders of B, on the protocol of the port; an ingress open to the internet:
  an ``internet`` actor calls it), IAM (a policy of the role a component runs as names a
  resource of another component: ``auth: iam``), and linking resources (a load balancer
  target group, an API integration, an event source mapping, DNS records...).

Every guess carries a YAML comment that says why. The output is sorted and carries no
time: the same input gives the same bytes.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archgen.errors import Location, ModelError, ModelErrors
from archgen.sources import tfconfig
from archgen.sources.structurizr import (
    Imported,
    _Comp,
    _Flow,
    _slug_id,
    _unique_id,
    to_model_yaml,
)

__all__ = ["import_terraform", "map_resources", "read_resources"]

#: The tag generated Terraform carries on each resource: the component it provisions.
COMPONENT_TAG = "archgen:component"


@functools.lru_cache(maxsize=1)
def _rules() -> dict[str, Any]:
    from importlib import resources

    import yaml

    text = resources.files("archgen.sources").joinpath("data", "terraform.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


# -- what was read ------------------------------------------------------------------------


@dataclass
class Res:
    """One resource of the configuration (all its instances), or a registry module call."""

    address: str  # module-qualified configuration address: module.db.aws_db_instance.this
    type: str  # the resource type; "module" for a call of a module that is not on disk
    module: str  # the configuration path of its module: "module.db"
    values: dict[str, Any]  # known values (the first instance's), constants for a folder
    body: dict[str, Any]  # arguments with references resolved to frozensets of addresses
    tags: dict[str, str] = field(default_factory=dict)
    source: str = ""  # a module call's source
    instances: int = 1

    @property
    def name(self) -> str:
        return self.address.rsplit(".", 1)[-1]


def _strip_keys(address: str) -> str:
    return re.sub(r"\[[^\]]*\]", "", address)


def _module_of(address: str) -> str:
    parts = address.split(".")
    out = []
    while len(parts) > 2 and parts[0] == "module":
        out += parts[:2]
        parts = parts[2:]
    return ".".join(out)


def read_resources(paths: Sequence[Path]) -> tuple[list[Res], str | None, str]:
    """(resources, region, what was read) from plan/state JSON files or one folder of .tf files."""
    if len(paths) == 1 and Path(paths[0]).is_dir():
        root = tfconfig.from_dir(Path(paths[0]), str(paths[0]))
        return _from_config(root), root.provider_region, f"the Terraform configuration {paths[0]}"
    from archgen.infra import tfjson

    infra = tfjson.read([Path(p) for p in paths])
    configs, region, kinds_read = {}, None, set()
    for p in paths:
        doc = json.loads(Path(p).read_text(encoding="utf-8"))  # tfjson.read proved it is a plan or a state
        kinds_read.add("plan" if "planned_values" in doc or "resource_changes" in doc else "state")
        root = tfconfig.from_plan(doc.get("configuration"))
        region = region or root.provider_region
        configs[str(p)] = root
    grouped: dict[str, list[Any]] = {}
    for r in infra.resources:
        grouped.setdefault(r.config_address, []).append(r)
    by_id = _value_index(infra.resources)
    out: list[Res] = []
    for address, instances in sorted(grouped.items()):
        first = instances[0]
        mod = _config_module(configs[str(first.source)], address)
        cres = mod.resources.get(f"{first.type}.{first.name}") if mod is not None else None
        if cres is not None:
            body = tfconfig.resolved(mod, cres.body)
        else:  # a state (no configuration): references are the ids and ARNs it holds
            body = _value_refs(dict(first.values), by_id, address)
        out.append(Res(address, first.type, _module_of(address), dict(first.values), body, dict(first.tags), instances=len(instances)))
    what = " and ".join(sorted(kinds_read))
    return out, region, f"the Terraform {what} {', '.join(str(p) for p in paths)}"


def _config_module(root: tfconfig.ConfigModule, config_address: str) -> tfconfig.ConfigModule | None:
    mod = root
    parts = _module_of(config_address).split(".") if _module_of(config_address) else []
    for i in range(0, len(parts), 2):
        call = mod.calls.get(parts[i + 1])
        if call is None or call.module is None:
            return None
        mod = call.module
    return mod


def _from_config(root: tfconfig.ConfigModule) -> list[Res]:
    out: list[Res] = []
    for mod in root.walk():
        for local, cres in mod.resources.items():
            body = tfconfig.resolved(mod, cres.body)
            out.append(Res(mod.prefix() + local, cres.type, mod.path, _constants(body), body, _constant_tags(body)))
        for name, call in mod.calls.items():
            if call.module is None or (not call.module.resources and not call.module.calls):
                body = tfconfig.resolved(mod, call.inputs)
                out.append(Res(f"{mod.prefix()}module.{name}", "module", mod.path, _constants(body), body, source=call.source))
    return sorted(out, key=lambda r: r.address)


def _constants(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if not isinstance(v, frozenset)}


def _constant_tags(body: dict[str, Any]) -> dict[str, str]:
    tags = body.get("tags")
    return {str(k): str(v) for k, v in tags.items() if isinstance(v, (str, int, float, bool))} if isinstance(tags, dict) else {}


def _value_index(resources: Iterable[Any]) -> dict[str, str]:
    """id and ARN values -> the configuration address of the resource that has them."""
    out: dict[str, str] = {}
    for r in resources:
        for attr in ("arn", "id", "invoke_arn"):
            v = r.values.get(attr)
            if isinstance(v, str) and len(v) > 3:
                out.setdefault(v, r.config_address)
    return out


def _value_refs(values: Any, by_id: dict[str, str], own: str) -> Any:
    """A state's values with each string that is (or ARN-prefixes) another resource's id as a reference."""
    if isinstance(values, dict):
        return {k: _value_refs(v, by_id, own) for k, v in values.items() if k not in ("id", "arn")}
    if isinstance(values, list):
        return [_value_refs(v, by_id, own) for v in values]
    if isinstance(values, str):
        found = by_id.get(values) or by_id.get(values.split("/*")[0])
        if found and found != own:
            return frozenset({found})
        if values.startswith("{"):
            try:
                doc = json.loads(values)
            except ValueError:
                return values
            hits = {a for a in _all_refs(_value_refs(doc, by_id, own))}
            return frozenset(hits) if hits else values
    return values


# -- reading the trees ----------------------------------------------------------------------


def _at(tree: Any, path: str) -> list[Any]:
    """The leaves at a dotted path, through nested blocks (lists)."""
    items = [tree]
    for part in path.split("."):
        nxt = []
        for item in items:
            if isinstance(item, list):
                item_list = item
            else:
                item_list = [item]
            for it in item_list:
                if isinstance(it, dict) and part in it:
                    nxt.append(it[part])
        items = nxt
    out = []
    for item in items:
        out.extend(item if isinstance(item, list) else [item])
    return out


def _refs_at(tree: Any, path: str) -> set[str]:
    return {a for leaf in _at(tree, path) if isinstance(leaf, frozenset) for a in leaf}


def _all_refs(tree: Any) -> set[str]:
    if isinstance(tree, frozenset):
        return set(tree)
    if isinstance(tree, dict):
        return {a for v in tree.values() for a in _all_refs(v)}
    if isinstance(tree, list):
        return {a for v in tree for a in _all_refs(v)}
    return set()


def _known(res: Res, path: str) -> Any:
    """A known constant value at path (planned or configured), else None."""
    for tree in (res.values, res.body):
        for leaf in _at(tree, path):
            if leaf is not None and not isinstance(leaf, frozenset):
                return leaf
    return None


# -- components ---------------------------------------------------------------------------


@dataclass
class _Guess:
    kind: str
    provider: str
    service: str | None
    why: str


def _guess(res: Res, referrers: dict[str, set[str]], types: dict[str, str]) -> _Guess | None:
    """What a resource provisions, refined by the argument the data file names, with why."""
    from archgen.infra import kinds

    rules = _rules()
    if res.type == "module":
        entry = _module_entry(res.source)
        if not entry:
            return None
        kind, service, why = entry["kind"], entry.get("service"), f"module {res.source} provisions a {entry['kind']}"
        refine = rules["refine"].get(entry.get("refine", ""), {})
        return _refined(res, refine, _Guess(kind, "aws", service, why), referrers, types, f"module {res.source}")
    found = kinds.guess(res.type)
    if found is None:
        return None
    base = _Guess(found.kind, found.provider, found.service, found.reason)
    return _refined(res, rules["refine"].get(res.type, {}), base, referrers, types, res.type)


def _refined(res: Res, refine: dict[str, Any], base: _Guess, referrers: dict[str, set[str]], types: dict[str, str], what: str) -> _Guess:
    arg = refine.get("argument")
    if arg:
        value = _known(res, arg)
        if isinstance(value, str):
            for key, kind in (refine.get("kinds") or {}).items():
                if value == key or value.startswith(key + "-"):
                    return _Guess(kind, base.provider, _service_for(kind, base.provider, res.type), f'{what} -> kind {kind} ({arg} = "{value}")')
            for key, service in (refine.get("services") or {}).items():
                if value == key:
                    return _Guess(base.kind, base.provider, service, f'{what} -> kind {base.kind}, service {service} ({arg} = "{value}")')
    for rtype, kind in (refine.get("referenced_by") or {}).items():
        if any(types.get(a) == rtype for a in referrers.get(res.address, ())):
            return _Guess(kind, base.provider, _service_for(kind, base.provider, res.type), f"{what} -> kind {kind} (an {rtype} refers to it)")
    reason = base.why.removeprefix(f"{res.type} is ")
    service = f", service {base.service}" if base.service else ""
    return _Guess(base.kind, base.provider, base.service, f"{what} -> kind {base.kind}{service} ({reason})")


def _service_for(kind: str, provider: str, rtype: str) -> str | None:
    from archgen.catalog import get_catalog

    for svc in get_catalog().all_services():
        if svc.kind == kind and svc.provider == provider and svc.terraform and svc.terraform[0] == rtype:
            return svc.key
    return None


def _module_entry(source: str) -> dict[str, Any] | None:
    key = source.split("//", 1)[0].split("?", 1)[0]
    key = re.sub(r"^(registry\.terraform\.io/|app\.terraform\.io/[^/]+/)", "", key)
    return _rules()["module_sources"].get(key)


@dataclass(eq=False)
class _Component:
    id: str
    guess: _Guess
    anchor: Res
    members: list[Res]  # the anchor first
    terraform: list[str]  # addresses or module paths for the model's terraform: list
    group: str | None = None
    notes: list[str] = field(default_factory=list)


def _components(resources: list[Res]) -> tuple[list[_Component], dict[str, _Component]]:
    """The components, and the component each resource address belongs to."""
    rules = _rules()
    types = {r.address: r.type for r in resources}
    referrers: dict[str, set[str]] = {}
    for r in resources:
        for a in _all_refs(r.body):
            referrers.setdefault(a, set()).add(r.address)
    guesses = {r.address: g for r in resources if (g := _guess(r, referrers, types)) is not None}
    anchors = [r for r in resources if r.address in guesses]
    companions = set(rules["companions"])

    def main_anchors(rs: list[Res]) -> list[Res]:
        """Companions last, then what the others refer to (a dead-letter queue) after what refers."""
        inside = {r.address for r in rs}
        main = [r for r in rs if r.type not in companions] or rs
        return sorted(main, key=lambda r: (len(referrers.get(r.address, set()) & inside), r.address))

    by_module: dict[str, list[Res]] = {}
    for r in resources:
        by_module.setdefault(r.module, []).append(r)

    def subtree(path: str) -> list[Res]:
        return [r for r in resources if r.module == path or r.module.startswith(path + ".")]

    owned: dict[str, str] = {}  # module path -> the address of the one anchor it is
    modules = sorted({r.module for r in resources if r.module} | {_parent_paths(r.module) for r in resources if r.module} - {""}, key=lambda p: (p.count("."), p))
    taken: set[str] = set()
    for path in modules:
        if any(path.startswith(t + ".") for t in taken):
            continue
        inside = [r for r in anchors if r.module == path or r.module.startswith(path + ".")]
        main = main_anchors(inside)
        if inside and len({guesses[r.address].kind for r in main}) == 1:
            owned[path] = main[0].address
            taken.add(path)
    comps: list[_Component] = []
    of: dict[str, _Component] = {}
    for path, anchor_addr in owned.items():
        anchor = next(r for r in anchors if r.address == anchor_addr)
        members = [anchor] + [r for r in subtree(path) if r is not anchor]
        comp = _Component("", guesses[anchor.address], anchor, members, [path])
        comps.append(comp)
        for r in members:
            of[r.address] = comp
    for r in anchors:
        if r.address in of:
            continue
        comp = _Component("", guesses[r.address], r, [r], [r.address])
        comps.append(comp)
        of[r.address] = comp
    # helpers outside module components: to the anchor of their module they refer to (or that refers to them)
    from archgen.catalog import get_catalog

    catalog_types = {(s.kind, s.provider): set() for s in get_catalog().all_services()}
    for s in get_catalog().all_services():
        catalog_types[(s.kind, s.provider)].update(s.terraform)
    for r in resources:
        if r.address in of:
            continue
        near = sorted({of[a] for a in _all_refs(r.body) | referrers.get(r.address, set()) if a in of and of[a].anchor.module == r.module and of[a].terraform[0] == of[a].anchor.address},
                      key=lambda c: (r.type not in catalog_types.get((c.guess.kind, c.guess.provider), set()), c.anchor.address))
        if near:
            near[0].members.append(r)
            near[0].terraform.append(r.address)
            of[r.address] = near[0]
    _name(comps, by_module)
    return sorted(comps, key=lambda c: c.id), of


def _parent_paths(module: str) -> str:
    """The top-level module of a path (module.a of module.a.module.b)."""
    return ".".join(module.split(".")[:2])


def _name(comps: list[_Component], by_module: dict[str, list[Res]]) -> None:
    rules = _rules()
    generic = set(rules["generic_names"])
    per_module: dict[str, int] = {}
    for c in comps:
        if not c.terraform[0].startswith("module.") or c.terraform[0] != c.anchor.module:
            per_module[c.anchor.module] = per_module.get(c.anchor.module, 0) + 1
    used: set[str] = set()
    for c in sorted(comps, key=lambda c: c.anchor.address):
        tagged = c.anchor.tags.get(COMPONENT_TAG)
        whole_module = c.terraform[0] == c.anchor.module and c.anchor.module != ""
        if c.anchor.type == "module":
            base = c.anchor.name
        elif whole_module:
            base = c.anchor.module.rsplit(".", 1)[-1]
        elif c.anchor.name not in generic:
            base = c.anchor.name
        elif c.anchor.module:
            base = f"{c.anchor.module.rsplit('.', 1)[-1]}-{c.guess.kind}"
        else:
            base = c.guess.kind
        if tagged and re.fullmatch(r"[a-z][a-z0-9_-]{0,62}", tagged):
            base = tagged
        c.id = _unique_id(_slug_id(base), used, keep=59)
        if not whole_module and c.anchor.module and per_module.get(c.anchor.module, 0) > 1:
            c.group = c.anchor.module.rsplit(".", 1)[-1]


# -- flows ----------------------------------------------------------------------------------


def _port_protocol(port: Any) -> str | None:
    from archgen.catalog.protocols import all_protocols

    if not isinstance(port, int) or isinstance(port, bool):
        return None
    return next((p.key for p in all_protocols() if p.port == port), None)


def _flows(resources: list[Res], of: dict[str, _Component]) -> tuple[list[tuple[str, str, dict[str, Any]]], set[str]]:
    """(from id, to id, fields) of every flow found, and the ids the internet reaches."""
    rules = _rules()
    sg = rules["security_groups"]
    index = {r.address: r for r in resources}
    out: list[tuple[str, str, dict[str, Any]]] = []
    internet: dict[str, dict[str, Any]] = {}

    def comps(addresses: Iterable[str]) -> list[_Component]:
        return sorted({of[a] for a in addresses if a in of}, key=lambda c: c.id)

    # who sits in each security group
    holders: dict[str, set[str]] = {}
    for r in resources:
        for arg in sg["members"]:
            for group in _refs_at(r.body, arg):
                if index.get(group) is not None and index[group].type == sg["type"] and r.address in of:
                    holders.setdefault(group, set()).add(r.address)

    def allow(target: str, sources: set[str], cidrs: list[Any], port: Any, why: str) -> None:
        proto = _port_protocol(port)
        fields = {"protocol": proto, "note": f"{why}: port {port}" if port is not None else why}
        if port is not None and proto is None:
            fields["label"] = f"port {port}"
        for dst in comps(holders.get(target, ())):
            for src in comps(a for s in sources for a in holders.get(s, ())):
                if src is not dst:
                    out.append((src.id, dst.id, fields))
            if any(c in rules["internet_cidrs"] for c in cidrs):
                internet.setdefault(dst.id, {**fields, "note": f"{why}: port {port} open to the internet"})

    for r in resources:
        if r.type == sg["type"]:
            inline = sg["inline"]
            for block in _at(r.body, inline["block"]):
                if isinstance(block, dict):
                    cidrs = [c for arg in inline["cidr"] for c in _at(block, arg)]
                    allow(r.address, _refs_at(block, inline["sources"]), cidrs, _known_in(block, inline["port"]), f"ingress of {r.address}")
        rule = sg["rules"].get(r.type)
        if rule and (not rule.get("type") or _known(r, "type") == rule["type"]):
            cidrs = [c for arg in rule["cidr"] for c in _at(r.body, arg) + _at(r.values, arg)]
            for target in _refs_at(r.body, rule["target"]):
                allow(target, _refs_at(r.body, rule["source"]), cidrs, _known(r, rule["port"]), r.address)

    # IAM: the policies of the roles components run as
    iam = rules["iam"]
    role_users: dict[str, set[str]] = {}
    for r in resources:
        for arg in iam["role_arguments"]:
            for role in _refs_at(r.body, arg):
                if r.address in of and role in index:
                    role_users.setdefault(role, set()).add(r.address)
    documents: dict[str, set[str]] = {}  # policy address -> what its document names
    for r in resources:
        spec = iam["policies"].get(r.type)
        if spec:
            documents[r.address] = _refs_at(r.body, spec["document"])
    for r in resources:
        spec = iam["policies"].get(r.type)
        att = iam["attachments"].get(r.type)
        if spec and spec.get("role"):
            roles, targets = _refs_at(r.body, spec["role"]), documents[r.address]
        elif att:
            roles = _refs_at(r.body, att["role"])
            targets = {t for p in _refs_at(r.body, att["policy"]) for t in documents.get(p, ())}
        else:
            continue
        actions = _actions(_known(r, spec["document"]) if spec else None)
        fields = {"auth": "iam", "note": f"IAM policy {r.address}", "label": actions}
        for role in roles:
            for src in comps(role_users.get(role, ())):
                for dst in comps(targets):
                    if src is not dst:
                        out.append((src.id, dst.id, fields))

    # linking resources
    for r in resources:
        for edge in rules["edges"].get(r.type, ()):
            froms = [of[r.address]] if edge["from"] == "self" and r.address in of else comps(_refs_at(r.body, edge["from"]))
            tos = [of[r.address]] if edge["to"] == "self" and r.address in of else comps(_refs_at(r.body, edge["to"]))
            for src in froms:
                for dst in tos:
                    if src is not dst:
                        out.append((src.id, dst.id, {"async": bool(edge.get("async")), "note": f"{r.type} {r.address}"}))
    return out, internet


def _known_in(block: dict[str, Any], arg: str) -> Any:
    value = block.get(arg)
    return None if isinstance(value, frozenset) else value


def _actions(document: Any) -> str | None:
    """The actions of a known policy document, shortened: "s3:GetObject, s3:PutObject"."""
    if not isinstance(document, str):
        return None
    try:
        doc = json.loads(document)
    except ValueError:
        return None
    statements = doc.get("Statement") if isinstance(doc, dict) else None
    found: list[str] = []
    for st in statements if isinstance(statements, list) else [statements]:
        if isinstance(st, dict) and st.get("Effect", "Allow") == "Allow":
            acts = st.get("Action")
            found += acts if isinstance(acts, list) else [acts] if isinstance(acts, str) else []
    found = sorted(dict.fromkeys(str(a) for a in found))
    if not found:
        return None
    return ", ".join(found[:4]) + (", ..." if len(found) > 4 else "")


# -- the model --------------------------------------------------------------------------------


def map_resources(resources: list[Res], *, region: str | None, source: str, name: str) -> Imported:
    """The resources as an archgen model draft (see the module's docstring)."""
    from archgen.catalog.vocabulary import PROVIDERS

    if not resources:
        raise ModelErrors([ModelError(Location(source), "no managed resources to import")])
    rules = _rules()
    comps, of = _components(resources)
    flows_found, internet = _flows(resources, of)
    providers = [c.guess.provider for c in comps]
    provider = max(PROVIDERS, key=lambda p: (providers.count(p), -PROVIDERS.index(p)))
    notes: list[str] = []
    left = sorted(r.address for r in resources if r.address not in of)
    if left:
        shown = ", ".join(left[:8]) + (f" and {len(left) - 8} more" if len(left) > 8 else "")
        notes.append(f"{len(left)} resource{'s' if len(left) != 1 else ''} of no component (networks, IAM, links): {shown}")
    out_comps: list[_Comp] = []
    if internet:
        actor = _Comp(id=_free_id("internet", {c.id for c in comps}), kind="actor", el=None, title="Internet users")
        actor.notes.append("guessed: an ingress rule open to 0.0.0.0/0 lets anyone on the internet in")
        out_comps.append(actor)
    for c in comps:
        title = next((v for arg in rules["title_arguments"] if isinstance(v := _known(c.anchor, arg), str) and v), None) or c.id
        comp = _Comp(id=c.id, kind=c.guess.kind, el=None, title=title, group=c.group, service=c.guess.service)
        comp.notes.append(f"guessed: {c.guess.why}")
        extra = len(c.members) - 1
        comp.notes.append(f"from {c.anchor.address}" + (f" and {extra} more resource{'s' if extra != 1 else ''}" if extra else ""))
        comp.terraform = sorted(c.terraform)
        for fld, arg in (rules["properties"].get(c.anchor.type) or {}).items():
            value = _known(c.anchor, arg.lstrip("!"))
            if isinstance(value, bool):
                value = value != arg.startswith("!")
                if fld == "encrypted" and value is False:
                    comp.encrypted = False
                elif fld == "high_availability" and value:
                    comp.high_availability = True
                elif fld == "public" and value:
                    comp.public = True
        out_comps.append(comp)
    flows: list[_Flow] = []
    seen: set[tuple[str, str]] = set()
    if internet:
        for dst in sorted(internet):
            f = internet[dst]
            flows.append(_flow(out_comps[0].id, dst, f))
            seen.add((out_comps[0].id, dst))
    for src, dst, f in sorted(flows_found, key=lambda x: (x[0], x[1], x[2].get("note", ""))):
        if (src, dst) in seen:
            continue
        seen.add((src, dst))
        flows.append(_flow(src, dst, f))
    return Imported(name=name, title=_title(name), description="", provider=provider, region=region, components=out_comps,
                    flows=flows, zones={}, notes=notes, source=source)


def _flow(src: str, dst: str, f: dict[str, Any]) -> _Flow:
    flow = _Flow(src, dst, f.get("label"), f.get("protocol"))
    flow.is_async = bool(f.get("async"))
    flow.auth = f.get("auth")
    if f.get("note"):
        flow.notes.append(f"guessed from {f['note']}")
    return flow


def _free_id(base: str, used: set[str]) -> str:
    name, n = base, 2
    while name in used:
        name = f"{base}-{n}"
        n += 1
    return name


def _title(name: str) -> str:
    return " ".join(w.capitalize() for w in re.split(r"[-_]+", name) if w) or name


def _model_name(paths: Sequence[Path]) -> str:
    p = Path(paths[0]).resolve()
    stem = p.name if p.is_dir() else p.stem
    if stem.lower() in ("plan", "state", "tfplan", "terraform", "main", "show") and not p.is_dir():
        stem = p.parent.name
    name = re.sub(r"-+", "-", re.sub(r"[^a-z0-9]+", "-", stem.lower())).strip("-")[:63].strip("-")
    return name if name and name[0].isalpha() else f"tf-{name}".strip("-")


def import_terraform(paths: Path | Sequence[Path]) -> str:
    """``archgen import terraform PATH...``: the infrastructure as archgen YAML that ``archgen check`` reads."""
    paths = [Path(paths)] if isinstance(paths, (str, Path)) else [Path(p) for p in paths]
    resources, region, what = read_resources(paths)
    imp = map_resources(resources, region=region, source=what, name=_model_name(paths))
    return to_model_yaml(imp, origin=what)
