"""Who each firewall lets in, read from the resources (``data/firewalls.yaml``): security
group rules in their three Terraform styles (``aws_vpc_security_group_ingress_rule``,
``aws_security_group_rule``, inline ``ingress`` blocks). A plan names a rule's groups by
reference (their ids are not known yet), a state by id; both resolve to the component
whose security group it is."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from archgen.drift._context import DriftContext
    from archgen.infra import Resource

__all__ = ["Permit", "firewalled", "permits", "INTERNET", "PREFIX_LIST"]

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
    import yaml
    from importlib import resources

    return yaml.safe_load(resources.files("archgen.drift").joinpath("data", "firewalls.yaml").read_text("utf-8"))


def firewalled(ctx: DriftContext) -> set[str]:
    """Components with a firewall (security group) of their own in the infrastructure."""
    groups = set(_table()["groups"])
    return {cid for cid, rs in ctx.resources_of.items() if any(r.type in groups for r in rs)}


def permits(ctx: DriftContext) -> list[Permit]:
    """Every way in that the infrastructure's firewall rules open, sorted."""
    table = _table()
    groups = set(table["groups"])
    by_id = {str(r.values["id"]): r.config_address for r in ctx.infra.resources if r.type in groups and r.values.get("id")}
    owner = ctx.mapping.component_of
    out: list[Permit] = []
    for r in ctx.infra.resources:
        spec = table.get(r.type)
        if not isinstance(spec, dict) or any(r.values.get(k) != v for k, v in (spec.get("only_if") or {}).items()):
            continue
        if "blocks" in spec:
            target = owner(r.config_address)
            rules = [(b, "ingress.") for b in r.values.get(spec["blocks"]) or ()]
        else:
            target = _group(r, spec["target"], by_id, owner)
            rules = [(r.values, "")]
        if target is None:
            continue
        for values, prefix in rules:
            for source in _sources(r, values, prefix, spec, table, by_id, owner, target):
                out.append(Permit(target, source, values.get(spec.get("port", "from_port")), r))
    return sorted(set(out), key=lambda p: (p.to, p.source, str(p.port), p.resource.address))


def _group(r: Resource, arg: str, by_id: dict[str, str], owner) -> str | None:
    refs = r.references.get(arg) or ()
    for ref in refs:
        if owner(ref):
            return owner(ref)
    value = r.values.get(arg)
    if isinstance(value, str) and value in by_id:
        return owner(by_id[value])
    return None


def _sources(r: Resource, values: dict[str, Any], prefix: str, spec: dict[str, Any], table: dict[str, Any], by_id, owner, target: str):
    for arg in spec.get("sources", ()):
        for ref in r.references.get(prefix + arg) or ():
            if owner(ref):
                yield owner(ref)
        value = values.get(arg)
        for v in value if isinstance(value, list) else [value]:
            if isinstance(v, str) and v in by_id and owner(by_id[v]):
                yield owner(by_id[v])
    for arg in spec.get("cidrs", ()):
        value = values.get(arg)
        for v in value if isinstance(value, list) else [value]:
            if isinstance(v, str) and v:
                yield INTERNET if v in table["internet"] else f"cidr {v}"
    for arg in spec.get("prefix_lists", ()):
        value = values.get(arg)
        if value or r.references.get(prefix + arg):
            yield PREFIX_LIST
    if spec.get("self") and values.get(spec["self"]) is True:
        yield target
