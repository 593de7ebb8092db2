"""## What it checks
A data store that the internet reaches through edge components alone: a load
balancer, CDN, API gateway, DNS name or static site passes traffic straight to a
database, cache, queue or stream (or to object storage holding sensitive data),
with no application component (`container_service`, `function`, `vm`,
`ml_endpoint`, `workflow`, `ml_pipeline`) in between.

## Why it matters
Edge components forward requests; they do not decide who may read which row. A
load balancer that routes to a database port, or a browser app that talks to the
database itself, puts the store's own authentication on the internet and the
application's authorisation nowhere. It is a reachable data store by another path.

## Failing example
```yaml
components:
  shoppers: {kind: actor}
  edge: {kind: load_balancer, public: true}
  orders: {kind: container_service}
  orders-db: {kind: postgres, data: [pii]}
flows:
  - shoppers -> edge: https
  - edge -> orders
  - edge -> orders-db   # the load balancer forwards to the database
  - orders -> orders-db
```

## What to do instead
Route every request through the application tier, which authenticates the caller
and queries the store on its behalf: drop the `edge -> orders-db` flow and keep `orders -> orders-db`.
An API gateway's direct service integration (for example to a NoSQL table) is a
deliberate exception: accept it on the store with the reason and the authoriser
that protects it.

## False positives
A managed API front door the catalog does not mark with `direct_integration` (an
Azure API Management policy that reads Cosmos DB) is reported even when it authorizes
every request: accept it on the store with the authorizer that protects it. A flow
drawn from the edge to the store that is really the application's own is a modelling
error: draw it from the application.

## References
- OWASP Top 10 2021, A01 Broken Access Control: https://owasp.org/Top10/A01_2021-Broken_Access_Control/
- Threagile risk rule unguarded-direct-datastore-access: https://github.com/Threagile/threagile/blob/master/pkg/risks/builtin/unguarded_direct_datastore_access_rule.go
- AppSync authorization modes and DynamoDB resolvers (the exempt idiom): https://docs.aws.amazon.com/appsync/latest/devguide/security-authz.html
"""

from __future__ import annotations

from collections.abc import Iterator

from archgen.graph.facts import exposure, resolves_directly
from archgen.catalog.vocabulary import kinds_with
from archgen.rules._base import Hit, RuleContext
from archgen.rules._registry import declare

#: Components that forward traffic without authorising it (edge kinds, DNS, static sites).
PASS_THROUGH_KINDS = kinds_with("fronting")


def check(ctx: RuleContext) -> Iterator[Hit]:
    graph = ctx.graph
    reached = graph.reachable_from_internet(through=lambda c: c.kind in PASS_THROUGH_KINDS)
    for comp in graph.components():
        if comp.id not in reached or not ctx.protected(comp):
            continue
        if exposure(ctx.graph, comp) is not None:
            continue  # directly exposed: SEC-PUBLIC-DATASTORE reports it
        via = [
            c.id
            for c in graph.callers(comp.id)
            if c.id in reached and c.kind in PASS_THROUGH_KINDS and resolves_directly(graph, ctx.catalog, c, comp) is None
        ]
        if not via:
            continue
        data = ctx.held[comp.id]
        holding = f" holding {', '.join(data)}" if data else ""
        names = ", ".join(f"{v!r} ({graph.component(v).kind})" for v in via)
        yield Hit(
            comp.id,
            f"data store {comp.id!r}{holding} is reached from the internet through {names} "
            "with no application component in between",
        )


RULE = declare(__name__, check)
