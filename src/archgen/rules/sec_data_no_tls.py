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

## False positives
TLS that ends at a load balancer inside a private network, with targets only it can
reach, is a common and defensible design; the rule still reports it so the decision
is on record: accept it with the reason. A protocol whose TLS is configured on the
server (`postgres`, `kafka`) follows the target's `tls`, so a database that enforces
TLS needs nothing; one that says `tls: false` is reported.

## References
- CWE-319 Cleartext Transmission of Sensitive Information: https://cwe.mitre.org/data/definitions/319.html
- OWASP Transport Layer Security Cheat Sheet: https://cheatsheetseries.owasp.org/cheatsheets/Transport_Layer_Security_Cheat_Sheet.html
- Checkov CKV2_AWS_69 (RDS encryption in transit), CKV_GCP_6 (Cloud SQL requires SSL), CKV_AWS_30 (ElastiCache in transit), CKV_AZURE_91: https://www.checkov.io/5.Policy%20Index/terraform.html
- OWASP pytm threat library, CR01 Session Sidejacking and the other cleartext threats: https://github.com/OWASP/pytm/blob/master/pytm/threatlib/threats.json
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from archgen.graph.facts import flow_tls, plaintext_reason, through_tunnel
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
    model = ctx.model
    plain: dict[str, list[tuple[Flow, list[str]]]] = {}
    for flow in model.flows:
        target = model.components[flow.to]
        data = (set(flow.data) | set(target.data)) & sensitive
        if not data:
            continue  # the cheap test first: most flows carry nothing sensitive
        if ctx.crosses(flow) or through_tunnel(model, flow) or flow_tls(model, flow):
            continue  # a crossing is SEC-ZONE-NO-TLS's; a tunnel encrypts what crosses it
        plain.setdefault(flow.to, []).append((flow, sorted(data)))
    for cid in sorted(plain):
        comp = model.components[cid]
        hops = sorted(plain[cid], key=lambda item: item[0].key)
        parts = [f"{', '.join(data)} from {flow.source!r} {_how(flow)}" for flow, data in hops]
        first = hops[0][0]
        # point at the component's `tls: false` when that is the cause, else at the flow
        yield Hit(
            cid,
            f"sensitive data enters {cid!r} without TLS: {'; '.join(parts)}",
            field="tls" if comp.tls is False else None,
            location=None if comp.tls is False else first.loc,
        )


RULE = Rule(
    id="SEC-DATA-NO-TLS",
    title="Sensitive data without TLS",
    category="security",
    severity="error",
    remediation="Encrypt the hop in transit (https, TLS to the database, mesh mTLS), or accept it on the target with the reason TLS ends earlier.",
    doc=__doc__ + references(SENSITIVE_DATA, PLAINTEXT_PROTOCOLS, TLS_PROTOCOLS),
    check=check,
    stride=('information-disclosure', 'tampering'),
    cwe=(319,),
    checkov=("CKV2_AWS_69", "CKV_GCP_6", "CKV_AWS_30", "CKV_AZURE_91"),
)
