"""## What it checks
A data store that the internet reaches directly: a database, cache, queue, stream,
NoSQL store or data warehouse (and object storage that holds sensitive data) that
is `public: true`, or that an `actor` calls without anything in between.

## Why it matters
A store on the internet is one leaked password, one unpatched engine or one
misconfigured firewall away from a breach, and scanners find open database ports
within hours. Stores belong in private subnets, reached only by the application
tier that checks who is asking. Checkov flags the same thing once Terraform exists
(CKV_AWS_17 "RDS not publicly accessible", CKV_GCP_60, CKV2_AZURE_57); archgen
flags it while it is still a line in a design.

## Failing example
```yaml
components:
  users: {kind: actor}
  db: {kind: postgres, public: true, data: [pii]}
flows:
  - users -> db
```

## What to do instead
Remove `public: true`, and let users reach the store only through the component
that serves them:

```yaml
components:
  users: {kind: actor}
  lb: {kind: load_balancer, public: true}
  api: {kind: container_service}
  db: {kind: postgres, data: [pii]}
flows:
  - users -> lb: https
  - lb -> api
  - api -> db: postgres
```

## References
- Checkov CKV_AWS_17, CKV_GCP_11, CKV_GCP_60, CKV2_AZURE_26, CKV2_AZURE_57 (domain-facts 3, row 6).
- Object storage counts as a data store when it or a flow into it names a data class;
  public object storage without sensitive data is SEC-PUBLIC-BUCKET.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from archgen.rules._base import Hit, Rule, RuleContext
from archgen.rules._thresholds import SENSITIVE_DATA, references

if TYPE_CHECKING:
    from archgen.model import Component

#: Kinds that are data stores whatever they hold (graph.STATEFUL_KINDS, spelt out so
#: that importing this module does not import networkx).
STORE_KINDS = frozenset({"postgres", "mysql", "nosql", "cache", "queue", "stream", "data_warehouse"})


def held_data(ctx: RuleContext, comp: Component) -> list[str]:
    """Sensitive data classes a component holds: its own, plus what flows bring into it."""
    found = set(comp.data)
    for flow in ctx.graph.flows_into(comp.id):
        found.update(flow.data)
    return sorted(found & set(SENSITIVE_DATA.value))


def is_protected_store(ctx: RuleContext, comp: Component) -> bool:
    """A store that must not face the internet: any stateful kind, or object storage with sensitive data."""
    if comp.kind in STORE_KINDS:
        return True
    return comp.kind == "object_storage" and bool(held_data(ctx, comp))


def exposure(ctx: RuleContext, comp: Component) -> str | None:
    """Why the internet reaches ``comp`` directly, in words; None when it does not."""
    if comp.kind == "actor":
        return None
    if comp.is_public:
        return "it is public: true" if comp.public else f"a {comp.kind} is public by default"
    actors = [c.id for c in ctx.graph.callers(comp.id, ["actor"])]
    if actors:
        return f"{_quoted(actors)} call{'s' if len(actors) == 1 else ''} it directly"
    return None


def _quoted(ids: list[str]) -> str:
    return ", ".join(repr(i) for i in ids)


def check(ctx: RuleContext) -> Iterator[Hit]:
    for comp in ctx.graph.components():
        if not is_protected_store(ctx, comp):
            continue
        why = exposure(ctx, comp)
        if why is None:
            continue
        data = held_data(ctx, comp)
        holding = f", holding {', '.join(data)}," if data else ""
        yield Hit(
            comp.id,
            f"data store {comp.id!r} ({comp.kind}){holding} is reachable from the internet: {why}",
            field="public" if comp.public else None,
        )


RULE = Rule(
    id="SEC-PUBLIC-DATASTORE",
    title="Data store reachable from the internet",
    category="security",
    severity="error",
    remediation="Make the store private and reach it only through the application tier (remove public: true, route actors through a load balancer or gateway and a service).",
    doc=__doc__ + references(SENSITIVE_DATA),
    check=check,
)
