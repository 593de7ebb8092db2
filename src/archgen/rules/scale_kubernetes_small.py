"""## What it checks
A platform choice of Kubernetes (EKS, GKE, AKS: catalog `platform: kubernetes`) on a
cloud provider (not on `provider: kubernetes`, where a cluster is the premise) when any
of these holds: the team has no platform team (`requirements.ops_team` below 3) or no
Kubernetes experience (`kubernetes_experience: false`), or the workload is small
(fewer than 5 services and a peak below 2,500 requests per second). The finding names
the platform without a cluster from the catalog that fits, and why. With
`portability: high`, a team with Kubernetes experience and a workload that is not
small, the Kubernetes API is what the requirements ask for: the rule stays quiet.

A choice is judged once: on a `kubernetes_cluster` component (naming what runs on it),
or, for components that name a Kubernetes service of their provider without `runs_on`
(`service: eks`), on the first of them by id, naming all: they share one implicit
cluster. An accepted ADR tagged `platform` that lists one of those components (or any
accepted ADR that lists the cluster) records the choice, and the finding is shown as
accepted with that ADR as its reason.

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

## False positives
A team that is building a platform on purpose (the second product is the point), or
a workload that needs what only Kubernetes offers (operators, GPUs shared across
services, a portable deployment for customers), is a deliberate choice: record it in an
ADR tagged `platform`, and the finding is shown as accepted. `services` counted from
the model may be lower than the services you will run: state `requirements.services`.

## References
- aws/agent-toolkit-for-aws, aws-containers skill ("never recommend EKS unless they explicitly ask for Kubernetes"): https://github.com/aws/agent-toolkit-for-aws/blob/main/skills/core-skills/aws-containers/SKILL.md
- AWS decision guide "Choosing a modern application strategy": https://docs.aws.amazon.com/decision-guides/latest/modern-apps-strategy-on-aws-how-to-choose/modern-apps-strategy-on-aws-how-to-choose.html
- EKS pricing (control plane $0.10 an hour): https://aws.amazon.com/eks/pricing/
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from archgen.graph.facts import CONTAINER_KIND, PlatformChoice, fits_because, platform_decisions, recorded_platform_choice, suggest_service
from archgen.rules._base import Hit, RuleContext
from archgen.rules._registry import declare
from archgen.catalog.thresholds import (
    KUBERNETES_MIN_SERVICES,
    LOW_TRAFFIC_RPS,
    PLATFORM_TEAM_MIN,
    references,
)

def reasons(ctx: RuleContext) -> list[str]:
    """Why the model's team and workload do not call for Kubernetes, in words (empty: they do)."""
    req = ctx.model.requirements
    count = ctx.service_count
    out = []
    if req.ops_team < int(PLATFORM_TEAM_MIN.value):
        out.append(f"ops_team {req.ops_team} (no platform team of {PLATFORM_TEAM_MIN.value}+)")
    if not req.kubernetes_experience:
        out.append("no Kubernetes experience")
    if small_workload(ctx):
        traffic = "" if req.peak_rps is None else f" and peak {req.peak_rps:,.0f} rps"
        out.append(
            f"{count} service{'s' if count != 1 else ''}{traffic} "
            f"(fewer than {KUBERNETES_MIN_SERVICES.value} services, below {LOW_TRAFFIC_RPS.shown} rps)"
        )
    return out


def small_workload(ctx: RuleContext) -> bool:
    """Fewer services than a cluster pays back, at a peak an app platform serves."""
    req = ctx.model.requirements
    return ctx.service_count < int(KUBERNETES_MIN_SERVICES.value) and (
        req.peak_rps is None or req.peak_rps < LOW_TRAFFIC_RPS.value
    )


def alternative(ctx: RuleContext, choice: PlatformChoice) -> Any:
    """The provider's platform without a cluster that fits the containers of ``choice``, or None."""
    return suggest_service(
        ctx.catalog, ctx.model, CONTAINER_KIND, ctx.model.provider, choice.service,
        kubernetes=False, portable=False, service_count=ctx.service_count,
    )


def check(ctx: RuleContext) -> Iterator[Hit]:
    why = reasons(ctx)
    if not why:
        return
    req = ctx.model.requirements
    if req.portability == "high" and req.kubernetes_experience and not small_workload(ctx):
        # portability: high asks for the Kubernetes API, the team runs it and the workload fills a cluster:
        # a platform team below the threshold is a staffing note, not a platform that does not fit
        return
    for choice in ctx.platform_choices:
        svc = choice.service
        if not choice.kubernetes or ctx.catalog.self_hosted(ctx.model.provider):
            continue  # provider: kubernetes is the premise: nothing runs without a cluster
        alt = alternative(ctx, choice)
        if alt is None:
            continue  # the catalog has nothing without a cluster here
        comp = ctx.model.components[choice.anchor]
        names = ", ".join(repr(m) for m in choice.members)
        if choice.cluster is not None:
            hosted = choice.others
            what = f"cluster {comp.id!r} ({svc.name})" + (
                f" hosts {len(hosted)} component{'s' if len(hosted) != 1 else ''} ({', '.join(repr(h) for h in hosted)})"
                if hosted else " hosts nothing yet"
            )
        elif len(choice.members) > 1:
            what = f"{names} run on {svc.name}, one shared cluster"
        else:
            what = f"{comp.id!r} runs on {svc.name}"
        adrs = platform_decisions(ctx.decisions, ctx.model, choice)
        caveat = ""
        if req.portability == "high" and alt.interface != "open_standard":
            caveat = (
                f" (its interface is a {alt.interface_label} while requirements.portability is high: without a "
                "platform team, lower requirements.portability or accept the lock-in)"
            )
        yield Hit(
            comp.id,
            f"{what} with {', '.join(why)}; {fits_because(alt)}{caveat}",
            field="service" if comp.service else None,
            extra={"suggested": alt.key, "members": list(choice.members)},
            accepted_by=recorded_platform_choice(adrs),
        )


RULE = declare(__name__, check, references(PLATFORM_TEAM_MIN, KUBERNETES_MIN_SERVICES, LOW_TRAFFIC_RPS))
