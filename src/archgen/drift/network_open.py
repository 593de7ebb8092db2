"""## What it checks
A firewall rule that lets traffic into a component from somewhere no flow of the model
explains: the internet into a component the model does not expose, or another component
that never calls it. Read from AWS security group rules (inline or on their own), Azure
network security rules (inline `security_rule` or `azurerm_network_security_rule`), GCP
`google_compute_firewall` rules (by network tags and service accounts) and Kubernetes
network policies (by pod and namespace selectors and `ip_block`).

## Why it matters
Every opening that the design does not account for is attack surface nobody reviewed: a
database reachable from a service that should not talk to it, an admin port left open to
the world after a debugging session.

## Failing example
The model has `api -> db` only; the Terraform also has:
```hcl
resource "aws_vpc_security_group_ingress_rule" "db_from_anywhere" {
  security_group_id = aws_security_group.db.id
  cidr_ipv4         = "0.0.0.0/0"
  from_port         = 5432
  to_port           = 5432
  ip_protocol       = "tcp"
}
```

## What to do instead
Remove the rule, or add the flow that needs it to the model (and let the design-time
rules weigh it).

## False positives
Rules from private address ranges (an office or a VPN's CIDR) are not judged: the model
does not say which addresses a zone has. A rule whose groups are given by id in a plan
(not by reference) is read only when the state holds those ids. A network policy that
admits a namespace where no component of the model runs (a monitoring namespace) is not
judged either.

## References
- Amazon VPC, security group rules: https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
- Azure, network security groups: https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview
- Google Cloud, VPC firewall rules: https://cloud.google.com/firewall/docs/firewalls
- Kubernetes, network policies: https://kubernetes.io/docs/concepts/services-networking/network-policies/
- Checkov CKV_AWS_24, CKV_AWS_25, CKV_AWS_260, CKV_AWS_277: https://www.checkov.io/5.Policy%20Index/terraform.html
"""

from __future__ import annotations

from collections.abc import Iterator

from archgen.drift._context import DriftContext
from archgen.drift.network import INTERNET, PREFIX_LIST, permits
from archgen.rules import Hit, declare


def check(ctx: DriftContext) -> Iterator[Hit]:
    expected = ctx.intent.ingress
    flows = {(f.to, f.source) for f in ctx.model.flows}
    seen: set[tuple[str, str]] = set()
    for p in permits(ctx):
        if p.to == p.source or p.source.startswith("cidr ") or (p.to, p.source) in seen:
            continue
        if (p.to, p.source) in expected or (p.to, p.source) in flows:
            continue
        if p.source == INTERNET and ctx.model.components[p.to].public:
            continue
        seen.add((p.to, p.source))
        who = {INTERNET: "the internet", PREFIX_LIST: "a provider-managed address list"}.get(p.source, repr(p.source))
        yield Hit(
            p.to,
            f"{p.resource.address} lets {who} in to {p.to!r} (port {p.port}); no flow of the model explains it",
            extra={"address": p.resource.address, "source": str(p.resource.source), "from": p.source},
        )


RULE = declare(__name__, check)
