"""## What it checks
A component built by another service than the one the model names: the model says
`postgres` on RDS and the plan's database engine is MySQL; the model says ECS on Fargate
and the component's resources are an App Runner service.

## Why it matters
Lock-in, cost, limits and every rule archgen weighs follow the service. When Terraform
builds another one, the findings and the comparison describe a system that does not exist.

## Failing example
```yaml
components:
  db: {kind: postgres}       # and aws_db_instance.db has engine = "mysql"
```

## What to do instead
Change the model's `kind` or `service` to what is built, or change the Terraform.

## False positives
A migration in progress, with both services running: accept the finding until it is done.

## References
- Terraform, JSON output format (what verify reads): https://developer.hashicorp.com/terraform/internals/json-format
"""

from __future__ import annotations

from collections.abc import Iterator

from archgen.drift._context import DriftContext
from archgen.rules import Hit, declare


def check(ctx: DriftContext) -> Iterator[Hit]:
    for cid in sorted(ctx.resources_of):
        comp = ctx.model.components[cid]
        svc = ctx.provider_service(cid)
        if svc is None or not svc.terraform:
            continue
        rs = ctx.resources_of[cid]
        own = [r for r in rs if r.type in svc.terraform]
        engine = (ctx.intent.services.get(svc.key) or {}).get("engine")
        if own:
            wrong = [r for r in own if r.type == svc.terraform[0] and engine and isinstance(r.values.get("engine"), str)
                     and not r.values["engine"].startswith(engine.split("-")[0])]
            if wrong:
                yield Hit(cid, f"{wrong[0].address} runs engine {wrong[0].values['engine']!r}; the model's {svc.name} is {engine}",
                          field="kind", extra={"address": wrong[0].address})
            continue
        others = {o.key: o for o in ctx.catalog.services(comp.kind, ctx.provider).values() if o.key != svc.key and o.terraform}
        built = sorted({o.name for o in others.values() for r in rs if r.type == o.terraform[0]})
        if built:
            yield Hit(cid, f"{cid!r} is built as {', '.join(built)}; the model names {svc.name}", field="service")


RULE = declare(__name__, check)
