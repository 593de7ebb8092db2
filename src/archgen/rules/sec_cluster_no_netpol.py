"""## What it checks
A Kubernetes cluster (`kubernetes_cluster`) that hosts a data store or a component
holding sensitive data (`pii`, `payment`, `health`, `credentials`) next to other
workloads that have no flow to it, when nothing records how pods are isolated: no
accepted ADR tagged `network-policy` that lists the cluster (or that the cluster
names under `decisions:`). Without NetworkPolicies, every pod of a cluster can open
a connection to every other.

## Why it matters
Kubernetes allows all traffic between pods until a NetworkPolicy selects them, and a
policy only takes effect with a network plugin that enforces it. One compromised
workload (a vulnerable dependency in the storefront, a notebook) can then reach the
in-cluster database, cache or payment service directly, whatever the diagram's arrows
say. A default-deny policy per namespace plus allow rules for the flows the model
draws is the segmentation the arrows assume.

## Failing example
```yaml
components:
  platform: {kind: kubernetes_cluster}
  storefront: {kind: container_service, runs_on: platform}
  orders: {kind: container_service, runs_on: platform}
  orders-db: {kind: postgres, runs_on: platform, data: [pii]}
flows:
  - orders -> orders-db: postgres
```

## What to do instead
Write default-deny NetworkPolicies and allow only the drawn flows (with a CNI that
enforces them: Calico, Cilium, the provider's network policy option), then record it:

```markdown
---
status: accepted
components: [platform]
tags: [network-policy]
---
# Default-deny NetworkPolicies in every namespace, allow rules from the model's flows
```

## False positives
A cluster whose isolation is enforced by something the model cannot see (a service
mesh with authorization policies, a namespace per tenant with default-deny set by a
platform team) is reported until an ADR tagged `network-policy` records it. Guests
that need each other through a path the model does not draw (a shared cache used by
a sidecar) are counted as strangers: draw the flow.

## References
- Kubernetes Network Policies (pods are non-isolated until a policy selects them): https://kubernetes.io/docs/concepts/services-networking/network-policies/
- CWE-923 Improper Restriction of Communication Channel to Intended Endpoints: https://cwe.mitre.org/data/definitions/923.html
- CWE-1008 Architectural Concepts (missing segmentation): https://cwe.mitre.org/data/definitions/1008.html
- NSA/CISA Kubernetes Hardening Guide, "Network separation and hardening": https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF
- Threagile risk rule missing-network-segmentation: https://github.com/Threagile/threagile/blob/master/pkg/risks/builtin/missing_network_segmentation_rule.go
"""

from __future__ import annotations

from collections.abc import Iterator

from archgen.catalog.thresholds import SENSITIVE_DATA, references
from archgen.catalog.vocabulary import has_trait
from archgen.graph.facts import accepted_with_tag, covers_component
from archgen.rules._base import Hit, RuleContext
from archgen.rules._registry import declare

POLICY_TAG = "network-policy"


def check(ctx: RuleContext) -> Iterator[Hit]:
    graph = ctx.graph
    recorded = accepted_with_tag(ctx.decisions, POLICY_TAG)
    for choice in ctx.platform_choices:
        if choice.cluster is None:
            continue
        cluster = choice.cluster
        guests = graph.guests(cluster)
        if len(guests) < 2 or any(covers_component(d, ctx.model, cluster) for d in recorded):
            continue
        valuable = [g for g in guests if has_trait(g.kind, "data_store") or ctx.held[g.id]]
        exposed = []
        for target in valuable:
            strangers = [g.id for g in guests if g.id != target.id and not graph.has_path(g.id, target.id)]
            if strangers:
                who = ", ".join(repr(s) for s in strangers) if len(strangers) <= 3 else f"{len(strangers)} other workloads"
                exposed.append(f"{who} can reach {target.id!r} with no flow to it")
        if exposed:
            yield Hit(
                cluster,
                f"cluster {cluster!r} has no network-policy story (an accepted ADR tagged {POLICY_TAG}): "
                f"every pod can reach every other, so {'; '.join(exposed)}",
            )


RULE = declare(__name__, check, references(SENSITIVE_DATA))
