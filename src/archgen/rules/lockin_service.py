"""## What it checks
A component whose catalog service is a proprietary API (the application's code
or data is written against one vendor's SDK or format: SageMaker endpoints,
DynamoDB, SQS, Secrets Manager, Lambda handlers, Step Functions...) while
`requirements.portability` is `medium` or `high`. Operations tooling (`budget`,
`ci_cd`, `monitoring`) and web application firewalls (`waf`) are left out: replacing
them changes configuration, not the application.

## Why it matters
`portability: medium` or `high` says a move to another cloud must stay affordable.
A proprietary API is where a move costs most: code, data formats and operations
are rewritten, not redeployed. Lock-in can be the right trade (a managed service
instead of a platform team), but it should be a decision, not an accident:
Hohpe's rule of thumb is to weigh switching cost x likelihood against what
avoiding it costs. The finding names a portable alternative from the catalog when
the provider has one, and the open-source equivalent on Kubernetes.

## Failing example
```yaml
provider: aws
requirements: {portability: medium}
components:
  jobs: {kind: queue}          # Amazon SQS: proprietary API
```

## What to do instead
Pick the open-standard service (`jobs: {kind: queue, service: amazon_mq}` speaks
AMQP), keep the vendor API behind one adapter in the code, or accept the lock-in
with the reason and the ADR that weighed it:

```yaml
  model:
    kind: ml_endpoint
    accept:
      LOCKIN-SERVICE: "managed scaling and monitoring outweigh portability at this size, see ADR-0003"
```

## False positives
A proprietary API the application never calls is not lock-in of the code: secrets that
the platform injects at start (ECS `valueFrom`), a queue reached through a library that
also speaks AMQP. Tell it by searching the code for the vendor's SDK: if there is none,
accept the finding with that reason. Lock-in that was weighed on purpose (a managed ML
endpoint instead of a platform team) belongs in an ADR and an `accept:`.

## References
- Gregor Hohpe, "Don't get locked up into avoiding lock-in" (2019): https://martinfowler.com/articles/oss-lockin.html
- Open standards the catalog counts as portable: the PostgreSQL wire protocol (https://www.postgresql.org/docs/current/protocol.html), the S3 API as implemented by other stores (https://cloud.google.com/storage/docs/interoperability), AMQP 1.0 (https://www.amqp.org/).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from archgen.rules._base import Hit, RuleContext
from archgen.rules._registry import declare
from archgen.catalog.thresholds import LOCKIN_PORTABILITY, CONFIGURATION_KINDS, references

if TYPE_CHECKING:
    from archgen.model import Component


def application_services(ctx: RuleContext) -> list[tuple[Component, Any]]:
    """(component, catalog service) for every provisioned component outside operations tooling."""
    out = []
    for comp in ctx.graph.components():
        if comp.kind in CONFIGURATION_KINDS.value or not ctx.catalog.provisioned(comp.kind):
            continue
        svc = ctx.service(comp.id)
        if svc is not None and svc.interface is not None:
            out.append((comp, svc))
    return out


def portable_alternatives(ctx: RuleContext, svc: Any) -> str:
    """A sentence naming more portable services for the same kind, from the catalog."""
    provider = svc.provider  # a component placed on a cluster: the Kubernetes catalog
    better = sorted(
        (s for s in ctx.catalog.services(svc.kind, provider).values() if s.lock_in > svc.lock_in and s.ga),
        key=lambda s: (-s.lock_in, s.key),
    )
    parts = []
    if better:
        parts.append(
            "more portable here: "
            + ", ".join(f"{s.name} (service: {s.key}, {s.interface_label})" for s in better[:2])
        )
    if not ctx.catalog.self_hosted(provider):
        oss = ctx.catalog.equivalent(svc.kind, svc, ctx.catalog.open_provider)
        if oss is not None and oss.lock_in > svc.lock_in:
            parts.append(f"open-source equivalent on Kubernetes: {oss.name}")
    return "; ".join(parts)


def check(ctx: RuleContext) -> Iterator[Hit]:
    portability = ctx.model.requirements.portability
    if portability not in LOCKIN_PORTABILITY.value:
        return
    for comp, svc in application_services(ctx):
        if svc.interface != "proprietary_api":
            continue
        alt = portable_alternatives(ctx, svc)
        yield Hit(
            comp.id,
            f"{comp.id!r} uses {svc.name}, a proprietary API, while requirements.portability is {portability}"
            + (f"; {alt}" if alt else ""),
            field="service" if comp.service else None,
            extra={"service": svc.key, "interface": svc.interface},
        )


RULE = declare(__name__, check, references(LOCKIN_PORTABILITY, CONFIGURATION_KINDS))
