"""## What it checks
A flow whose target is a person (an `actor` or a `client_app`), unless it is an
ordinary relation: a kind that delivers messages to people (`email`, `topic`: the
catalog trait `notifies`) sending to them, a person using a client app
(`customers -> spa`), or an asynchronous push (`async: true`, a notification).

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

## False positives
A push to people that is neither an `email` or `topic` component nor marked `async:
true` is reported, for example a webhook or a WebSocket drawn as a call into the
person. Mark it `async: true` when it is a push, or draw the system that delivers it
(`email`, `topic`, or an `external` push service).

## References
- The C4 model, relationships point from the one that uses to the one used: https://c4model.com/diagrams/notation
- Flows are the edges every view and check is derived from (docs/model.md, "flows").
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from archgen.catalog.vocabulary import has_trait
from archgen.rules._base import Hit, RuleContext
from archgen.rules._registry import declare

if TYPE_CHECKING:
    from archgen.model import Flow


def delivery(ctx: RuleContext, flow: Flow) -> str | None:
    """Why a flow into a person is an ordinary relation, in words; None when it looks reversed."""
    source = ctx.model.components[flow.source]
    target = ctx.model.components[flow.to]
    if has_trait(source.kind, "notifies"):
        return f"{source.kind} delivers messages to people"
    if has_trait(source.kind, "person") and has_trait(target.kind, "device"):
        return "a person uses a client app"
    if flow.is_async:
        return "an asynchronous push (a notification)"
    return None


def check(ctx: RuleContext) -> Iterator[Hit]:
    for flow in ctx.graph.flows():
        target = ctx.model.components[flow.to]
        if has_trait(target.kind, "person") and delivery(ctx, flow) is None:
            yield Hit(
                flow.to,
                f"flow {flow.source} -> {flow.to} goes into {'a client app' if has_trait(target.kind, 'device') else 'an actor'}; "
                "flows point from caller to called",
                location=flow.loc,
            )


RULE = declare(__name__, check)
