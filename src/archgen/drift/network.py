"""Who each firewall lets in, read from the resources (``data/firewalls.yaml``). Four
styles of firewall resource, each a ``style`` of the table:

- ``rule``: one rule of a group it names by an argument (``aws_vpc_security_group_ingress_rule``,
  ``aws_security_group_rule``, ``azurerm_network_security_rule``);
- ``inline``: a group whose rules are nested blocks (``aws_security_group``'s ``ingress``,
  ``azurerm_network_security_group``'s ``security_rule``);
- ``tagged``: a rule guarding the instances that carry its network tags or run as its
  service accounts (``google_compute_firewall``);
- ``policy``: a rule guarding the pods its selector matches, admitting pods, namespaces
  and address blocks (``kubernetes_network_policy`` and ``_v1``).

A plan names a rule's groups and accounts by reference (their ids are not known yet), a
state by id, name or e-mail; both resolve to the component whose resource it is."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from archgen.drift._context import DriftContext
    from archgen.infra import Resource

__all__ = ["INTERNET", "PREFIX_LIST", "Permit", "firewalled", "permits"]

INTERNET = "internet"
PREFIX_LIST = "prefix-list"


@dataclass(frozen=True)
class Permit:
    """One way in: to component ``to``, from a component id, INTERNET, PREFIX_LIST or a CIDR."""

    to: str
    source: str
    port: Any
    resource: Resource


@lru_cache(maxsize=1)
def _table() -> dict[str, Any]:
    from importlib import resources

    import yaml

    return yaml.safe_load(resources.files("archgen.drift").joinpath("data", "firewalls.yaml").read_text("utf-8"))


class _Walls:
    """The indexes every style reads, built once per context."""

    def __init__(self, ctx: DriftContext) -> None:
        table = self.table = _table()
        self.owner = ctx.mapping.component_of
        self.named: dict[str, str] = {}  # a group's id or name, an account's e-mail -> its address
        self.net_tags: dict[str, set[str]] = {}  # a network tag -> the components whose instances carry it
        self.pods: list[tuple[dict[str, str], str]] = []  # a workload's pod labels, its component
        self.namespaces: dict[str, set[str]] = {}  # a namespace -> the components with resources in it
        named, net_tags, pods = table["named"], table["network_tags"], table["pod_labels"]
        for r in ctx.infra.resources:
            for attr in named.get(r.type, ()):
                if isinstance(r.values.get(attr), str) and r.values[attr]:
                    self.named.setdefault(r.values[attr], r.config_address)
            cid = self.owner(r.config_address)
            if cid is None:
                continue
            for tag in _strings(r.values.get(net_tags[r.type])) if r.type in net_tags else ():
                self.net_tags.setdefault(tag, set()).add(cid)
            if r.type in pods:
                labels = next(iter(_at(r.values, pods[r.type])), None)
                if isinstance(labels, dict) and labels:
                    self.pods.append(({str(k): str(v) for k, v in labels.items()}, cid))
            path = next((e["path"] for e in table["namespaces"] if r.type.startswith(e["types"])), None)
            for ns in _at(r.values, path) if path else ():
                if isinstance(ns, str) and ns:
                    self.namespaces.setdefault(ns, set()).add(cid)

    def by_ref_or_name(self, r: Resource, arg: str, values: dict[str, Any]) -> Iterator[str]:
        """The components an argument names: by reference (a plan), by id, name or e-mail (a state)."""
        for ref in r.references.get(arg) or ():
            if self.owner(ref):
                yield self.owner(ref)
        for v in _strings(values.get(arg.rsplit(".", 1)[-1])):
            if v in self.named and self.owner(self.named[v]):
                yield self.owner(self.named[v])

    def matching_pods(self, selector: Any) -> set[str]:
        labels = selector.get("match_labels") if isinstance(selector, dict) else None
        if not isinstance(labels, dict) or not labels:
            return set()  # an empty selector is every pod of the namespace: no one component
        want = {str(k): str(v) for k, v in labels.items()}
        return {cid for have, cid in self.pods if want.items() <= have.items()}

    def addresses(self, value: Any) -> Iterator[str]:
        for v in _strings(value):
            yield INTERNET if v in self.table["internet"] else f"cidr {v}"


def firewalled(ctx: DriftContext) -> set[str]:
    """Components with a firewall of their own in the infrastructure: a security group (or
    network security group) of theirs, or a firewall rule or network policy that targets them."""
    walls = _walls(ctx)
    groups = set(walls.table["groups"])
    out = {cid for cid, rs in ctx.resources_of.items() if any(r.type in groups for r in rs)}
    for r in ctx.infra.resources:
        spec = walls.table.get(r.type)
        if isinstance(spec, dict) and spec.get("style") in ("tagged", "policy") and not _skipped(r.values, spec):
            out |= _targets(r, spec, walls)
    return out


def permits(ctx: DriftContext) -> list[Permit]:
    """Every way in that the infrastructure's firewall rules open, sorted."""
    walls = _walls(ctx)
    out: list[Permit] = []
    for r in ctx.infra.resources:
        spec = walls.table.get(r.type)
        if isinstance(spec, dict):
            out.extend(_STYLES[spec["style"]](r, spec, walls))
    return sorted(set(out), key=lambda p: (p.to, p.source, str(p.port), p.resource.address))


def _walls(ctx: DriftContext) -> _Walls:
    cached = ctx.__dict__.get("_walls")
    if cached is None:
        cached = ctx.__dict__["_walls"] = _Walls(ctx)
    return cached


# -- the four styles ------------------------------------------------------------------


def _rules(r: Resource, spec: dict[str, Any], walls: _Walls) -> Iterator[Permit]:
    """``rule`` and ``inline``: rules of a security group, alone or nested in the group."""
    if spec["style"] == "inline":
        target = walls.owner(r.config_address)
        rules = [(b, spec["blocks"] + ".") for b in r.values.get(spec["blocks"]) or () if isinstance(b, dict)]
    else:
        target = next(walls.by_ref_or_name(r, spec["target"], r.values), None)
        rules = [(r.values, "")]
    if target is None:
        return
    for values, prefix in rules:
        if _skipped(values, spec):
            continue
        port = next((values[a] for a in spec.get("ports", ()) if values.get(a) not in (None, "", [])), None)
        sources = [s for arg in spec.get("sources", ()) for s in walls.by_ref_or_name(r, prefix + arg, values)]
        sources += [s for arg in spec.get("cidrs", ()) for s in walls.addresses(values.get(arg))]
        if any(values.get(a) or r.references.get(prefix + a) for a in spec.get("prefix_lists", ())):
            sources.append(PREFIX_LIST)
        if spec.get("self") and values.get(spec["self"]) is True:
            sources.append(target)
        for source in sources:
            yield Permit(target, source, port, r)


def _tagged(r: Resource, spec: dict[str, Any], walls: _Walls) -> Iterator[Permit]:
    """``tagged``: a GCP firewall rule, from tags, accounts and ranges to tags and accounts."""
    if _skipped(r.values, spec):
        return
    sources = [s for tag in _strings(r.values.get(spec["source_tags"])) for s in sorted(walls.net_tags.get(tag, ()))]
    sources += list(walls.by_ref_or_name(r, spec["source_accounts"], r.values))
    sources += [s for arg in spec.get("cidrs", ()) for s in walls.addresses(r.values.get(arg))]
    for block in r.values.get(spec["allow"]) or ():
        port = ",".join(_strings(block.get("ports"))) or "all" if isinstance(block, dict) else "all"
        for target in sorted(_targets(r, spec, walls)):
            for source in sources:
                yield Permit(target, source, port, r)


def _policy(r: Resource, spec: dict[str, Any], walls: _Walls) -> Iterator[Permit]:
    """``policy``: a Kubernetes network policy's ingress rules."""
    if _skipped(r.values, spec):
        return
    targets = sorted(_targets(r, spec, walls))
    for rule in _at(r.values, spec["blocks"]):
        if not isinstance(rule, dict):
            continue
        ports = [p.get(spec["port"]) for p in rule.get(spec["ports"]) or () if isinstance(p, dict)] or ["all"]
        peers = [p for p in rule.get(spec["peers"]) or () if isinstance(p, dict)]
        sources: list[str] = [] if peers else [INTERNET]  # no `from`: from anywhere
        for peer in peers:
            for sel in peer.get("pod_selector") or ():
                sources += sorted(walls.matching_pods(sel))
            for sel in peer.get("namespace_selector") or ():
                labels = sel.get("match_labels") if isinstance(sel, dict) else None
                name = labels.get(spec["namespace_label"]) if isinstance(labels, dict) else None
                sources += sorted(walls.namespaces.get(str(name), ())) if name else []
            for block in peer.get("ip_block") or ():
                sources += list(walls.addresses(block.get("cidr") if isinstance(block, dict) else None))
        for target in targets:
            for source in sources:
                for port in ports:
                    yield Permit(target, source, port, r)


_STYLES = {"rule": _rules, "inline": _rules, "tagged": _tagged, "policy": _policy}


def _targets(r: Resource, spec: dict[str, Any], walls: _Walls) -> set[str]:
    if spec["style"] == "tagged":
        out = {c for tag in _strings(r.values.get(spec["target_tags"])) for c in walls.net_tags.get(tag, ())}
        return out | set(walls.by_ref_or_name(r, spec["target_accounts"], r.values))
    if spec["style"] == "policy":
        return {c for sel in _at(r.values, spec["selector"]) for c in walls.matching_pods(sel)}
    return set()


def _skipped(values: Any, spec: dict[str, Any]) -> bool:
    """A rule that lets nothing in: ``only_if`` does not hold (an egress or deny rule),
    ``skip_if`` holds (egress, disabled), or the list ``listing`` names lacks its item (a
    network policy whose ``policy_types`` leave out Ingress)."""
    if not isinstance(values, Mapping):
        return True
    if any(values.get(k) != v for k, v in (spec.get("only_if") or {}).items()):
        return True
    if any(v == bad for path, bad in (spec.get("skip_if") or {}).items() for v in _at(values, path)):
        return True
    return any(isinstance(v, list) and v and item not in v for path, item in (spec.get("listing") or {}).items() for v in _at(values, path))


def _at(values: Any, path: str) -> Iterator[Any]:
    """Every value at a dotted path, through the lists nested blocks are (``spec.ingress``)."""
    head, _, rest = path.partition(".")
    items = values if isinstance(values, list) else [values]
    for item in items:
        if isinstance(item, Mapping) and item.get(head) is not None:
            if rest:
                yield from _at(item[head], rest)
            elif isinstance(item[head], list) and item[head] and isinstance(item[head][0], dict):
                yield from item[head]
            else:
                yield item[head]


def _strings(value: Any) -> list[str]:
    return [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str) and v]
