"""## What it checks
The model's lock-in score: the mean of the catalog's portability points over its
provisioned components (operations tooling left out). Each service scores 3 for an
open standard (Postgres, the S3 API, Kubernetes, OCI images), 2 for a portable
artifact on a proprietary control plane (ECS task definitions, Cloud Run, an ALB),
1 for a proprietary API (SageMaker, DynamoDB, SQS), minus 1 when the service is
closed to new customers, in maintenance or retiring, and minus 1 for a licence
risk. The rule fires when the score is below what `requirements.portability`
asks for.

## Why it matters
Single proprietary services can each be a fair trade; the sum is what decides how
much a move costs. The score makes that sum visible in review, and the finding
names the components that pull it down most, so the conversation starts where
the switching cost is.

## Failing example
```yaml
provider: aws
requirements: {portability: high}
components:
  api: {kind: container_service, service: lambda}   # 1 point
  jobs: {kind: queue}                               # SQS: 1 point
  db: {kind: nosql}                                 # DynamoDB: 1 point
```

## What to do instead
Move the lowest-scoring components to open-standard services (Postgres instead of
a proprietary NoSQL API, AMQP instead of SQS, containers instead of function
handlers), or lower `requirements.portability` if a move is in fact unlikely.

## References
- domain-facts 4b: suggested archgen portability score [inference; no published standard found].
"""

from __future__ import annotations

from collections.abc import Iterator

from archgen.rules._base import Hit, Rule, RuleContext
from archgen.rules._thresholds import LOCKIN_SCORE_MIN_HIGH, LOCKIN_SCORE_MIN_MEDIUM, OPERATIONS_KINDS, references
from archgen.rules.lockin_service import application_services

MINIMUM = {"medium": LOCKIN_SCORE_MIN_MEDIUM, "high": LOCKIN_SCORE_MIN_HIGH}


def lock_in_score(ctx: RuleContext) -> tuple[float, list[tuple[str, str, int]]] | None:
    """(mean points, [(component, service name, points)]) or None when nothing is scored."""
    scored = [(comp.id, svc.name, int(svc.lock_in)) for comp, svc in application_services(ctx)]
    if not scored:
        return None
    return sum(p for _, _, p in scored) / len(scored), scored


def check(ctx: RuleContext) -> Iterator[Hit]:
    portability = ctx.model.requirements.portability
    minimum = MINIMUM.get(portability)
    if minimum is None:
        return
    result = lock_in_score(ctx)
    if result is None:
        return
    score, scored = result
    if round(score, 2) >= float(minimum.value):
        return
    worst = sorted(scored, key=lambda s: (s[2], s[0]))[:3]
    names = ", ".join(f"{cid!r} ({name}, {points})" for cid, name, points in worst)
    yield Hit(
        None,
        f"lock-in score {score:.1f} of 3 over {len(scored)} components is below {minimum.shown} "
        f"for portability {portability}; lowest: {names}",
        field="requirements",
        extra={"score": round(score, 2)},
    )


RULE = Rule(
    id="LOCKIN-SCORE",
    title="Lock-in score below the portability requirement",
    category="lock-in",
    severity="warning",
    remediation="Move the lowest-scoring components to open-standard services, or lower requirements.portability if a move is unlikely.",
    doc=__doc__ + references(LOCKIN_SCORE_MIN_MEDIUM, LOCKIN_SCORE_MIN_HIGH, OPERATIONS_KINDS),
    check=check,
)
