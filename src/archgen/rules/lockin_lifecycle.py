"""## What it checks
A component whose service the provider has closed to new customers, put in
maintenance, or announced (or carried out) the retirement of, according to the
catalog's lifecycle data. The finding gives the date, the source and the
recommended successor. The first case: AWS App Runner closed to new customers on
2026-04-30, and AWS recommends Amazon ECS Express Mode.

## Why it matters
A design made today on a service that takes no new customers, gets no new
features or has an end date is a migration scheduled in advance, usually at the
worst moment. Providers give about a year's notice for shutdowns, and Terraform
providers deprecate the resources (hashicorp/terraform-provider-aws#47161 for
`aws_apprunner_*`). A retired service cannot be provisioned at all, so that case
is an error.

## Failing example
```yaml
provider: aws
components:
  api: {kind: container_service, service: app_runner}
```

## What to do instead
Design on the successor from the start (`service: ecs_express`), or, for a
system already running there, accept the finding with the migration plan:

```yaml
  api:
    kind: container_service
    service: app_runner
    accept:
      LOCKIN-LIFECYCLE: "running since 2025; move to ECS Express Mode planned in ADR-0007"
```

## False positives
A service closed to new customers still runs for those who have it: for a system
already on it, the finding is a reminder, not a defect. Accept it with the migration
plan. The catalog's lifecycle dates are as of the date each entry states; a provider
may reverse a decision (AWS CodeCommit returned to general availability), so check the
source the finding cites.

## References
- App Runner availability change (closed to new customers from 2026-04-30, successor ECS Express Mode): https://docs.aws.amazon.com/apprunner/latest/dg/apprunner-availability-change.html
- hashicorp/terraform-provider-aws#47161, plans to deprecate the `aws_apprunner_*` resources: https://github.com/hashicorp/terraform-provider-aws/issues/47161
- Azure retirements: https://github.com/Azure/EOL; Google's closed services: https://killedbygoogle.com/; open-source end of life dates: https://endoflife.date/
"""

from __future__ import annotations

from collections.abc import Iterator

from archgen.rules._base import Hit, RuleContext
from archgen.rules._registry import declare


def check(ctx: RuleContext) -> Iterator[Hit]:
    for comp in ctx.graph.components():
        svc = ctx.service(comp.id)
        if svc is None or svc.lifecycle.status == "ga":
            continue
        life = svc.lifecycle
        text = f"{comp.id!r} uses {svc.name}, {life.flag}"
        if life.note:
            text += f": {life.note.rstrip('.')}"
        if life.successor:
            succ = ctx.catalog.service(comp.kind, svc.provider, life.successor)
            name = succ.name if succ is not None else life.successor
            text += f"; recommended successor: {name} (service: {life.successor})"
        text += f" (source: {life.source}, as of {life.as_of})"
        yield Hit(
            comp.id,
            text,
            field="service" if comp.service else None,
            severity="error" if life.status == "retired" else None,
            extra={"status": life.status, "date": life.date, "successor": life.successor, "source": life.source},
        )


RULE = declare(__name__, check)
