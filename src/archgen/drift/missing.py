"""## What it checks
A component the model provisions (a service, a store, a load balancer: not an actor, an
external system or a client app) for which the infrastructure has no resource of its
kind: no RDS instance for a `postgres`, no ECS service for a `container_service`.
A resource is the component's by the `archgen:component` tag, the component's
`terraform:` list, or its type (see docs/verify.md).

## Why it matters
The model shows something that is not built (or was torn down): diagrams, cost and
reviews rest on a component that does not exist.

## Failing example
```yaml
components:
  cache: {kind: cache}      # and no aws_elasticache_* resource in the plan
```

## What to do instead
Build it (archgen terraform writes a skeleton), point `terraform:` at the resources that
do build it, or remove it from the model.

## False positives
A component built by another root module: give `verify` that module's plan or state too
(`--plan` and `--state` take several files). What archgen's own Terraform leaves to do by
hand (its README's gaps), or writes nothing for (a monitoring component no flow sends logs
to), is reported as `info`. A component placed on a cluster, which archgen's Terraform
writes with the kubernetes or helm provider, is missing when the plan has none of those
resources (a plan of the cloud's root module only).

## References
- Terraform, JSON output format (what verify reads): https://developer.hashicorp.com/terraform/internals/json-format
"""

from __future__ import annotations

from collections.abc import Iterator

from archgen.drift._context import DriftContext
from archgen.rules import Hit, declare


def check(ctx: DriftContext) -> Iterator[Hit]:
    from archgen.generators.terraform import gap_components

    gaps = set(gap_components(ctx.model, ctx.provider))
    built = ctx.intent.built
    for cid in sorted(ctx.model.components):
        comp = ctx.model.components[cid]
        if not ctx.catalog.provisioned(comp.kind) or ctx.provider_service(cid) is None:
            continue
        types = {t for svc in ctx.catalog.services(comp.kind, ctx.provider).values() for t in svc.terraform}
        written = built.get(cid, frozenset())
        on_cluster = bool(written) and not written & types  # written with the kubernetes or helm provider
        if not types or any(r.type in types or (on_cluster and r.type in written) for r in ctx.resources_of.get(cid, ())):
            continue
        own = ", ".join(ctx.provider_service(cid).terraform) or "none"
        if cid in gaps:
            yield Hit(cid, f"no resource builds {cid!r} ({comp.kind}); archgen's Terraform leaves it to do by hand", severity="info")
        elif not written:
            yield Hit(cid, f"no resource builds {cid!r} ({comp.kind}); archgen's Terraform writes none for it either (see its README)", severity="info")
        elif not on_cluster:
            yield Hit(cid, f"no resource builds {cid!r} ({comp.kind}: expected {own})")
        else:
            yield Hit(cid, f"no resource builds {cid!r} ({comp.kind}: archgen's Terraform writes it as {', '.join(sorted(written))})")


RULE = declare(__name__, check)
