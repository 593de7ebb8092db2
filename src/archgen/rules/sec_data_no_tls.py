"""## What it checks
Sensitive data (`pii`, `payment`, `health`, `credentials`) travelling without
TLS inside one zone: a flow that carries such data (its own `data:`), or that
enters a component holding such data, and is not encrypted in transit. A flow that
crosses zones is `SEC-ZONE-NO-TLS`'s, and a flow into or out of a `vpn` is encrypted
by the tunnel. A flow is unencrypted when it
says `tls: false`, when its protocol (its `protocol:`, or the one its label names)
is a plaintext one of the table (`http`, `ws`, `redis`, `amqp`, `smtp`...), or, for a
protocol whose encryption follows the target (`postgres`) or with none, when its
target says `tls: false`.

## Why it matters
Traffic inside a private network is still read by anything that gets a foothold
there, by mirrored ports and by misrouted packets. GDPR, PCI DSS (requirement 4)
and HIPAA expect sensitive data to be encrypted in transit, and re-encrypting
between a load balancer and its targets costs little (HTTPS target groups, a
service mesh, TLS on the database connection).

## Failing example
```yaml
components:
  lb: {kind: load_balancer, public: true}
  api: {kind: container_service, data: [pii]}
flows:
  - lb -> api: http
```

## What to do instead
Encrypt the hop (`lb -> api: https`, HTTPS target group or mesh mTLS). When TLS
ends at the load balancer on purpose, accept the finding on the target with the
reason, so the decision is on record:

```yaml
  api:
    kind: container_service
    data: [pii]
    accept:
      SEC-DATA-NO-TLS: "TLS ends at the ALB; targets are in private subnets that only the ALB reaches"
```

## References
- Checkov CKV2_AWS_69 (RDS encryption in transit), CKV_GCP_6 (Cloud SQL requires SSL), CKV_AWS_30 (ElastiCache in transit), CKV_AZURE_91 (domain-facts 3, rows 11 and 33).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from archgen.graph.facts import crosses_zones, flow_tls, plaintext_reason, through_tunnel
from archgen.rules._base import Hit, Rule, RuleContext
from archgen.catalog.thresholds import PLAINTEXT_PROTOCOLS, SENSITIVE_DATA, TLS_PROTOCOLS, references

if TYPE_CHECKING:
    from archgen.model import Flow

def _how(flow: Flow) -> str:
    if flow.tls is False:
        return "with tls: false"
    return plaintext_reason(flow) or "to a component with tls: false"


def check(ctx: RuleContext) -> Iterator[Hit]:
    sensitive = set(SENSITIVE_DATA.value)
    for comp in ctx.graph.components():
        parts = []
        first = None
        for flow in sorted(ctx.graph.flows_into(comp.id), key=lambda f: f.key):
            if flow_tls(ctx.model, flow) or crosses_zones(ctx.model, flow) or through_tunnel(ctx.model, flow):
                continue  # a crossing is SEC-ZONE-NO-TLS's; a tunnel encrypts what crosses it
            data = sorted((set(flow.data) | set(comp.data)) & sensitive)
            if data:
                parts.append(f"{', '.join(data)} from {flow.source!r} {_how(flow)}")
                first = first or flow
        if parts:
            # point at the component's `tls: false` when that is the cause, else at the flow
            yield Hit(
                comp.id,
                f"sensitive data enters {comp.id!r} without TLS: {'; '.join(parts)}",
                field="tls" if comp.tls is False else None,
                location=None if comp.tls is False or first is None else first.loc,
            )


RULE = Rule(
    id="SEC-DATA-NO-TLS",
    title="Sensitive data without TLS",
    category="security",
    severity="error",
    remediation="Encrypt the hop in transit (https, TLS to the database, mesh mTLS), or accept it on the target with the reason TLS ends earlier.",
    doc=__doc__ + references(SENSITIVE_DATA, PLAINTEXT_PROTOCOLS, TLS_PROTOCOLS),
    check=check,
)
