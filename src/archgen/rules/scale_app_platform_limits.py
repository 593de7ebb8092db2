"""## What it checks
A container service on an app platform (App Runner, ECS Express Mode, Elastic
Beanstalk, Cloud Run, Container Apps, App Service: catalog `platform:
app_platform` or `serverless`) when the model goes beyond the platform's
documented limits in peak requests per second or number of services, or when
`requirements.portability` is `high` and the platform's interface is not an open
standard. The finding names the platform from the catalog that fits, and why.
The services on one platform are one choice: one finding, on the first of them by
id, naming all (an accepted ADR tagged `platform` that lists one of them accepts it).

## Why it matters
App platforms are the right start for a small team because the provider runs
ingress, TLS, scaling and hosts, and they cap what they run to do so: instance
counts and concurrency per instance (App Runner: 25 instances x 100 concurrent
requests by default), sizes, no sidecars. A design that already exceeds the caps
will be re-platformed under load. And their configuration is the provider's own:
with `portability: high`, the deployable unit should be one that other clouds run
unchanged (Kubernetes manifests, Knative services).

## Failing example
```yaml
provider: aws
requirements: {peak_rps: 5000}
components:
  api: {kind: container_service, service: app_runner}
```

## What to do instead
Use the platform the finding names: managed containers (ECS on Fargate) when the
limits are the problem; Kubernetes (EKS, GKE, AKS) or Knative when portability is,
with a team that can run it.

## False positives
The limits compared are the platform's defaults; several are quotas a support ticket
raises (App Runner's maximum instances). A model above a default it has already had
raised is a false positive: accept it with the quota that applies. `peak_rps` is the
whole system's peak, so a service behind a cache that absorbs most of it is judged
too harshly.

## References
- App Runner auto scaling configuration (MaxConcurrency 100, MaxSize 25 by default): https://docs.aws.amazon.com/apprunner/latest/api/API_CreateAutoScalingConfiguration.html
- Cloud Run, is it a fit (up to 8 CPU / 32 GiB per instance, otherwise GKE): https://cloud.google.com/run/docs/fit-for-run
- Azure Container Apps gives no access to the Kubernetes API: https://learn.microsoft.com/azure/container-apps/compare-options
"""

from __future__ import annotations

from collections.abc import Iterator

from archgen.graph.facts import fits_because, platform_decisions, recorded_platform_choice
from archgen.rules._base import Hit, RuleContext
from archgen.rules._registry import declare
from archgen.catalog.thresholds import MANAGED_PLATFORMS, PLATFORM_TEAM_MIN, references


def check(ctx: RuleContext) -> Iterator[Hit]:
    req = ctx.model.requirements
    for choice in ctx.platform_choices:
        svc = choice.service
        if choice.cluster is not None or svc.platform not in MANAGED_PLATFORMS.value:
            continue
        comp = ctx.model.components[choice.anchor]
        over = ctx.over_limits(svc)
        portable = req.portability == "high" and svc.interface != "open_standard"
        if not over and not portable:
            continue
        reasons = list(over)
        if portable:
            reasons.append(f"requirements.portability is high and its interface is a {svc.interface_label}")
        alt = ctx.suggest(comp, svc, kubernetes=portable or ctx.team_ready, portable=portable)
        who = f"{comp.id!r} runs" if len(choice.members) == 1 else f"{', '.join(repr(m) for m in choice.members)} run"
        text = f"{who} on {svc.name}, an app platform, but {'; '.join(reasons)}"
        if alt is not None:
            text += f"; {fits_because(alt)}"
            if alt.platform == "kubernetes" and not ctx.team_ready:
                text += (
                    f" (it needs a platform team of {PLATFORM_TEAM_MIN.value}+ engineers with Kubernetes "
                    f"experience; ops_team is {req.ops_team}: without one, lower requirements.portability "
                    "or accept the lock-in)"
                )
        yield Hit(
            comp.id,
            text,
            field="service" if comp.service else None,
            extra={"suggested": alt.key if alt is not None else None, "members": list(choice.members)},
            accepted_by=recorded_platform_choice(platform_decisions(ctx.decisions, ctx.model, choice)),
        )


RULE = declare(__name__, check, references(MANAGED_PLATFORMS, PLATFORM_TEAM_MIN))
