"""## What it checks
A flow of the model into a component that has a firewall in the infrastructure (a
security group or network security group of its own, a GCP firewall rule or a Kubernetes
network policy that targets it), when no rule lets the caller in: the caller's own
security group (application security group, network tag, service account, pods), the
internet for an exposed component, or the provider's address list for a CDN in front of it.
For a component archgen's own Terraform firewalls, the flows are those it opens a way in
for (a flow to a batch job needs none: the job listens to no one).

## Why it matters
The design says the call happens; the network drops it. Either the model is out of date
(the flow is gone) or the deployment will fail the first time the call is made.

## Failing example
The model has `api -> db: postgres`, and the plan has no ingress rule on the database's
security group that references the API's group.

## What to do instead
Add the ingress rule (from the caller's security group, on the target's port), or remove
the flow from the model if the call no longer happens.

## False positives
A caller that reaches the component through something the rules cannot see (a VPC
endpoint policy, a peering connection with its own CIDR rules): accept the finding.

## References
- Amazon VPC, security group rules that reference other groups: https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
- Kubernetes, network policies: https://kubernetes.io/docs/concepts/services-networking/network-policies/
"""

from __future__ import annotations

from collections.abc import Iterator

from archgen.drift._context import DriftContext
from archgen.drift.network import INTERNET, PREFIX_LIST, firewalled, permits
from archgen.rules import Hit, declare


def check(ctx: DriftContext) -> Iterator[Hit]:
    walls = firewalled(ctx)
    open_ = {(p.to, p.source) for p in permits(ctx)}
    wanted = set(ctx.intent.ingress)
    # what archgen's Terraform would firewall, it opens for the flows that need it (a batch
    # job listens to no one); elsewhere every flow between two firewalled components needs a way in
    wanted |= {(f.to, f.source) for f in ctx.model.flows
               if f.to in walls and f.source in walls and f.to != f.source and f.to not in ctx.intent.firewalled}
    for to, source in sorted(wanted):
        if to not in walls or (to, source) in open_:
            continue
        who = {INTERNET: "the internet", PREFIX_LIST: "the CDN's address list"}.get(source, repr(source))
        yield Hit(to, f"no firewall rule of {to!r} lets {who} in, but the model's flows need it")


RULE = declare(__name__, check)
