"""## What it checks
A component on Kubernetes (EKS, GKE, AKS: catalog `platform: kubernetes`) when
the provider's default for the kind runs without a cluster (so not on `provider:
kubernetes`, where a cluster is the premise) and any of these holds:
the team has no platform team (`requirements.ops_team` below 3) or no Kubernetes
experience (`kubernetes_experience: false`), or the workload is small (fewer than
5 services and a peak below 2,500 requests per second). The finding names the
platform from the catalog that fits, and why.

## Why it matters
Kubernetes pays off for many services and teams behind a platform team; below
that it is a second product to operate: upgrades every few months, node pools,
ingress, add-ons, and a control plane fee before the first request (about
$73/month on EKS, and $300-500/month for a minimal production cluster). AWS's
own guidance is to recommend EKS only when Kubernetes is asked for; the services
count and team size are what decide.

## Failing example
```yaml
provider: aws
requirements: {peak_rps: 50, services: 2, ops_team: 0, kubernetes_experience: false}
components:
  api: {kind: container_service, service: eks}
```

## What to do instead
Run the containers on an app platform or managed containers (`service:
ecs_express` or `ecs_fargate` on AWS, `cloud_run` on GCP, `container_apps` or
`app_service` on Azure); images stay portable OCI images. When Kubernetes is a
deliberate choice (a platform team is being built, the workload is about to
grow), accept the finding with the reason.

## References
- aws/agent-toolkit-for-aws `skills/core-skills/aws-containers/SKILL.md`: "never recommend EKS unless they explicitly ask for Kubernetes" (domain-facts 2a).
- AWS decision guide "Choosing a modern application strategy" (Nov 2023): Kubernetes fits central platform teams standardising for many dev teams (domain-facts 2a).
- EKS control plane $0.10/h (~$73/month) and minimal production cluster ~$300-500/month: aws/agent-toolkit-for-aws architect-for-startups/references/eks.md (catalog, EKS entry).
"""

from __future__ import annotations

from collections.abc import Iterator

from archgen.graph.facts import fits_because
from archgen.rules._base import Hit, Rule, RuleContext
from archgen.catalog.thresholds import (
    KUBERNETES_MIN_SERVICES,
    LOW_TRAFFIC_RPS,
    PLATFORM_TEAM_MIN,
    references,
)

def check(ctx: RuleContext) -> Iterator[Hit]:
    req = ctx.model.requirements
    count = ctx.service_count
    for comp in ctx.graph.components():
        svc = ctx.service(comp.id)
        if svc is None or svc.platform != "kubernetes" or comp.runs_on:
            continue  # a component placed on a cluster: the cluster is the choice of Kubernetes
        default = ctx.catalog.service(comp.kind, ctx.model.provider)
        if default is not None and default.platform == "kubernetes":
            continue  # the provider itself is a cluster (provider: kubernetes): nothing runs without one
        reasons = []
        if req.ops_team < int(PLATFORM_TEAM_MIN.value):
            reasons.append(f"ops_team {req.ops_team} (no platform team of {PLATFORM_TEAM_MIN.value}+)")
        if not req.kubernetes_experience:
            reasons.append("no Kubernetes experience")
        small = count < int(KUBERNETES_MIN_SERVICES.value) and (req.peak_rps is None or req.peak_rps < LOW_TRAFFIC_RPS.value)
        if small:
            traffic = "" if req.peak_rps is None else f" and peak {req.peak_rps:,.0f} rps"
            reasons.append(f"{count} service{'s' if count != 1 else ''}{traffic} (fewer than {KUBERNETES_MIN_SERVICES.value} services, below {LOW_TRAFFIC_RPS.shown} rps)")
        if not reasons:
            continue
        alt = ctx.suggest(comp, svc, kubernetes=False, portable=False)
        if alt is None:
            continue  # the catalog has nothing without a cluster for this kind here
        yield Hit(
            comp.id,
            f"{comp.id!r} runs on {svc.name} with {', '.join(reasons)}; {fits_because(alt)}",
            field="service" if comp.service else None,
            extra={"suggested": alt.key},
        )


RULE = Rule(
    id="SCALE-KUBERNETES-SMALL",
    title="Kubernetes for a small system or a team without a platform team",
    category="scale",
    severity="warning",
    remediation="Run the containers on the app platform or managed containers the finding names; choose Kubernetes when a platform team and the workload call for it.",
    doc=__doc__ + references(PLATFORM_TEAM_MIN, KUBERNETES_MIN_SERVICES, LOW_TRAFFIC_RPS),
    check=check,
)
