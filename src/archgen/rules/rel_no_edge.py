"""## What it checks
An application component (`container_service`, `function`, `vm`, `ml_endpoint`,
`workflow`, `ml_pipeline`) that takes traffic straight from the internet (it is
`public: true`, or an `actor` calls it) with no load balancer, CDN or API gateway
in front of it. Services on an app platform or serverless platform (catalog
`platform: app_platform` or `serverless`) are exempt: the provider's managed
endpoint is their front door; so are components placed on a Kubernetes cluster
(`runs_on`), which `public: true` exposes through the cluster's ingress or
LoadBalancer Service.

## Why it matters
The front door is where TLS certificates, health checks, spreading load over
instances and zones, rolling deploys, rate limits and a WAF live. A task or VM
with a public IP has none of that: one instance is a single point of failure, a
deploy is downtime, and the instance's own ports face every scanner.

## Failing example
```yaml
components:
  users: {kind: actor}
  api: {kind: container_service, service: ecs_fargate, public: true}
flows:
  - users -> api: https
```

## What to do instead
```yaml
components:
  users: {kind: actor}
  lb: {kind: load_balancer, public: true}
  api: {kind: container_service, service: ecs_fargate}
flows:
  - users -> lb: https
  - lb -> api: https
```

## False positives
A service whose provider runs the front door for it (App Runner, Cloud Run, Container
Apps: catalog platform `app_platform` or `serverless`) is exempt, but a container
service whose platform the catalog does not know that way is reported even if it is
behind a proxy the model does not draw: draw the proxy.

## References
- awslabs/agent-plugins deploy-on-aws defaults, web apps and APIs on Fargate go behind an ALB: https://github.com/awslabs/agent-plugins/blob/main/plugins/deploy-on-aws/skills/deploy/references/defaults.md
- Checkov CKV_AWS_333 (ECS services without automatic public IPs): https://www.checkov.io/5.Policy%20Index/terraform.html
- AWS Well-Architected, REL10 (use fault isolation to protect your workload): https://docs.aws.amazon.com/wellarchitected/latest/reliability-pillar/use-fault-isolation-to-protect-your-workload.html
"""

from __future__ import annotations

from collections.abc import Iterator

from archgen.graph.facts import exposure
from archgen.rules._base import Hit, RuleContext
from archgen.rules._registry import declare
from archgen.catalog.thresholds import MANAGED_PLATFORMS, references



def check(ctx: RuleContext) -> Iterator[Hit]:
    for comp in ctx.graph.components_with("compute"):
        why = exposure(ctx.graph, comp)
        if why is None:
            continue
        svc = ctx.service(comp.id)
        if svc is not None and svc.platform in MANAGED_PLATFORMS.value:
            continue
        host = ctx.graph.host_of(comp)
        if host is not None and getattr(ctx.service(host.id), "platform", None) == "kubernetes":
            continue  # public on a cluster means exposed through the cluster's ingress or LoadBalancer Service
        yield Hit(
            comp.id,
            f"{comp.kind} {comp.id!r} takes internet traffic directly ({why}) with no load balancer, CDN or API gateway in front",
            field="public" if comp.public else None,
        )


RULE = declare(__name__, check, references(MANAGED_PLATFORMS))
