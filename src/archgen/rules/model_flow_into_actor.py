"""## What it checks
A flow whose target is an `actor`.

## Why it matters
Flows point from the caller to the called: actors (people, client systems) call
the system, the system does not call them. A flow into an actor usually means the
arrow is reversed, which turns every derived view around: the network view shows
the wrong entry points and the Terraform ingress rules open the wrong way.

## Failing example
```yaml
flows:
  - api -> users      # a response, drawn as a call
```

## What to do instead
Draw the call the actor makes (`users -> api`); responses are implied. For a push
to an outside system (e-mail, webhooks) model that system as `kind: external`.

## References
- MODEL.md, "flows": directed edges, who calls or sends data to whom.
"""

from __future__ import annotations

from collections.abc import Iterator

from archgen.catalog.vocabulary import has_trait
from archgen.rules._base import Hit, Rule, RuleContext


def check(ctx: RuleContext) -> Iterator[Hit]:
    for flow in ctx.graph.flows():
        target = ctx.model.components[flow.to]
        if has_trait(target.kind, "person"):
            yield Hit(flow.to, f"flow {flow.source} -> {flow.to} goes into an actor; flows point from caller to called")


RULE = Rule(
    id="MODEL-FLOW-INTO-ACTOR",
    title="Flow into an actor",
    category="model",
    severity="warning",
    remediation="Reverse the flow so the actor calls the system, or model the target as kind: external.",
    doc=__doc__,
    check=check,
)
