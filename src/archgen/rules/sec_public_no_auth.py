"""## What it checks
A flow that comes from an untrusted zone (the `internet`, a `partner`, a zone of your
own with `trusted: false`) into a trusted one and says `auth: none`, when the
component it enters leads to sensitive data (`pii`, `payment`, `health`,
`credentials`: the component holds it, or reaches something that does), or the flow
carries it. A flow into a fronting component (a load balancer, CDN, WAF, API gateway
or static site) is judged by what that component leads to, since it forwards the
unauthenticated request.

## Why it matters
An entry point that asks nobody who they are hands its data to whoever finds the URL:
scanners enumerate public endpoints within hours, and an API that returns payment or
health records without authentication is a breach that needs no exploit at all. The
authentication belongs at the entry point (an identity provider's token, OIDC at the
load balancer, API keys for partners, mutual TLS), before the request reaches code
that reads the data.

## Failing example
```yaml
requirements: {data: [payment]}
components:
  shoppers: {kind: actor}
  gw: {kind: api_gateway}
  payments: {kind: function, data: [payment]}
flows:
  - {from: shoppers, to: gw, protocol: https, auth: none}
  - gw -> payments: https
```

## What to do instead
Authenticate the callers where they enter, and say how:

```yaml
components:
  login: {kind: identity}
flows:
  - shoppers -> login: https
  - {from: shoppers, to: gw, protocol: https, auth: oidc}
```

A public endpoint that must stay anonymous (a catalogue, a status page) should not
lead to sensitive data; if it does on purpose, accept the finding with the reason.

## False positives
It fires only where a flow says `auth: none`: an endpoint that authenticates in a
way the flow does not state is not flagged, and one that is anonymous on purpose but
reaches sensitive data through a shared backend is. Check what the anonymous path can
really read; if only public data, draw it to a component that holds only that.

## References
- CWE-306 Missing Authentication for Critical Function: https://cwe.mitre.org/data/definitions/306.html
- OWASP API Security Top 10 2023, API2 Broken Authentication: https://owasp.org/API-Security/editions/2023/en/0xa2-broken-authentication/
- Threagile risk rule missing-authentication: https://github.com/Threagile/threagile/blob/master/pkg/risks/builtin/missing_authentication_rule.go
"""

from __future__ import annotations

from collections.abc import Iterator

from archgen.catalog.thresholds import SENSITIVE_DATA, references
from archgen.graph.facts import enters_trusted_zone, zone_of
from archgen.rules._base import Hit, RuleContext
from archgen.rules._registry import declare


def check(ctx: RuleContext) -> Iterator[Hit]:
    model = ctx.model
    sensitive = set(SENSITIVE_DATA.value)
    behind = ctx.sensitive_behind
    for flow in ctx.graph.flows():
        if flow.auth != "none" or not enters_trusted_zone(model, flow):
            continue
        data = sorted(behind[flow.to] | (set(flow.data) & sensitive))
        if not data:
            continue
        source = model.components[flow.source]
        yield Hit(
            flow.to,
            f"{flow.source!r} ({zone_of(model, source)}) reaches {flow.to!r} with auth: none, "
            f"and {flow.to!r} leads to {', '.join(data)}",
            location=flow.loc,
        )


RULE = declare(__name__, check, references(SENSITIVE_DATA))
