"""## What it checks
A flow that leaves one zone for another (`cloud` to `on_prem`, `cloud` to a `partner`
or the `internet`, a zone of your own) unencrypted, and not through a tunnel (neither
end is a `vpn`: the catalog trait `tunnel`), when sensitive data (`pii`, `payment`,
`health`, `credentials`) is on the flow or held by either end. Encryption comes from
the flow's `tls`, then `auth: mtls`, then its protocol in the table (`http`, `smtp`,
`amqp`, `grpc` are plaintext; `postgres` follows the target's `tls`).

## Why it matters
Between zones the traffic crosses networks the team does not run: the provider's
edge, a carrier's line, the partner's network, the internet. A request that carries
customer records there in plaintext can be read or changed by anyone on the path. A
hop that stays inside one zone is `SEC-DATA-NO-TLS`'s; this rule is about the
crossing, which is fixed either by TLS end to end or by a tunnel that encrypts
everything crossing (a site-to-site VPN, a private interconnect with MACsec or IPsec).

## Failing example
```yaml
requirements: {data: [pii]}
components:
  api: {kind: container_service, data: [pii]}
  mainframe: {kind: external, zone: on_prem}
flows:
  - api -> mainframe: XML/HTTP
```

## What to do instead
Encrypt the crossing with TLS, or route it through a VPN drawn in the model:

```yaml
components:
  link: {kind: vpn, zone: on_prem}
flows:
  - api -> link
  - link -> mainframe: XML/HTTP
```

## False positives
A private interconnect the model draws as a plain flow (Direct Connect, ExpressRoute,
Cloud Interconnect without a `vpn` component) is reported: those links are private but
not encrypted unless MACsec or IPsec is turned on. Draw the link as a `vpn` when it is
encrypted; a flow whose TLS the label does not show needs `tls: true` or a protocol
such as `https`.

## References
- CWE-319 Cleartext Transmission of Sensitive Information: https://cwe.mitre.org/data/definitions/319.html
- OWASP Transport Layer Security Cheat Sheet: https://cheatsheetseries.owasp.org/cheatsheets/Transport_Layer_Security_Cheat_Sheet.html
- AWS Site-to-Site VPN (IPsec tunnels between a VPC and a data centre): https://docs.aws.amazon.com/vpn/latest/s2svpn/VPC_VPN.html
- Threagile risk rule unencrypted-communication: https://github.com/Threagile/threagile/blob/master/pkg/risks/builtin/unencrypted_communication_rule.go
"""

from __future__ import annotations

from collections.abc import Iterator

from archgen.catalog.thresholds import PLAINTEXT_PROTOCOLS, SENSITIVE_DATA, references
from archgen.graph.facts import flow_tls, plaintext_reason, through_tunnel
from archgen.rules._base import Hit, RuleContext
from archgen.rules._registry import declare


def check(ctx: RuleContext) -> Iterator[Hit]:
    model = ctx.model
    graph = ctx.graph
    sensitive = set(SENSITIVE_DATA.value)
    for flow in graph.flows():
        data = sorted((set(flow.data) & sensitive) | set(ctx.held[flow.source]) | set(ctx.held[flow.to]))
        if not data or not ctx.crosses(flow) or through_tunnel(model, flow) or flow_tls(model, flow):
            continue
        a, b = ctx.zones[flow.source], ctx.zones[flow.to]
        how = "with tls: false" if flow.tls is False else (plaintext_reason(flow) or "to a component with tls: false")
        yield Hit(
            flow.to,
            f"{', '.join(data)} crosses from {a} ({flow.source!r}) to {b} ({flow.to!r}) unencrypted ({how}) "
            "and not through a VPN",
            location=flow.loc,
        )


RULE = declare(__name__, check, references(SENSITIVE_DATA, PLAINTEXT_PROTOCOLS))
