"""## What it checks
The model's lock-in score on its own provider, the one the provider comparison
and the site show. It counts what a move would have to rebuild: the mean of the
catalog's portability points over the provisioned components, scaled to 0-100,
`round(100 x sum(points) / (3 x count))`. Each service scores 3 for an open
standard (Postgres, the S3 API, Kubernetes, OCI images), 2 for a portable artifact
on a proprietary control plane (ECS task definitions, Cloud Run, an ALB), 1 for a
proprietary API (SageMaker, DynamoDB, SQS), minus 1 when the service is closed to
new customers, in maintenance or retiring, and minus 1 for a licence risk.
Operations glue (the catalog trait `operations`: `budget`, `monitoring`, `ci_cd`) is
left out: replacing it changes configuration, so adding a budget alert never lowers
the score. The rule fires when the score is below what `requirements.portability`
asks for: 67 for `medium` (2 of 3 points), 83 for `high` (2.5 of 3 points).

For example, nine counted components with four at 3 points, three at 2 and two at 1
score `round(100 x 20 / 27) = 74`: enough for `medium`, not for `high`.

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
`archgen compare` shows the score on every provider.

## False positives
The score weighs every counted component alike: a proprietary queue and a proprietary
database pull it down by the same amount though moving the database costs far more.
It measures switching cost, not its likelihood: a score below the minimum on a system
that will never move is a reason to lower `requirements.portability`, not to rebuild.
Compare the lowest-scoring components the finding names with what a move would
really touch.

## References
- Gregor Hohpe, "Don't get locked up into avoiding lock-in" (2019): https://martinfowler.com/articles/oss-lockin.html
- CNCF Certified Kubernetes (conformance, the portability anchor of the open-standard class): https://www.cncf.io/training/certification/software-conformance/
- The score is the provider comparison's (`archgen compare`, docs/catalog.md "The lock-in score").
"""

from __future__ import annotations

from collections.abc import Iterator

from archgen.rules._base import Hit, RuleContext
from archgen.rules._registry import declare
from archgen.catalog.thresholds import LOCKIN_SCORE_MIN_HIGH, LOCKIN_SCORE_MIN_MEDIUM, references

MINIMUM = {"medium": LOCKIN_SCORE_MIN_MEDIUM, "high": LOCKIN_SCORE_MIN_HIGH}


def lock_in_score(ctx: RuleContext) -> tuple[int, list[tuple[str, str, int]]] | None:
    """(score 0-100, [(component, service name, points)]) on the model's provider, or None.

    The figure is the provider comparison's (``archgen.generators.compare``), so the finding, the
    comparison page and the site's home page always agree.
    """
    from archgen.generators.compare import compare, scored

    provider = ctx.model.provider
    comparison = compare(ctx.model, ctx.catalog, terraform=False)
    score = comparison.providers[provider].lockin_score
    if score is None:
        return None
    scored = [
        (row.component, cell.name or cell.service or row.kind, int(cell.lock_in))
        for row in comparison.rows
        for cell in [row.cells[provider]]
        if cell.provisioned and cell.service and cell.lock_in is not None and scored(row.kind)
    ]
    return score, scored


def check(ctx: RuleContext) -> Iterator[Hit]:
    portability = ctx.model.requirements.portability
    minimum = MINIMUM.get(portability)
    if minimum is None:
        return
    result = lock_in_score(ctx)
    if result is None:
        return
    score, scored = result
    if score >= int(minimum.value):
        return
    worst = sorted(scored, key=lambda s: (s[2], s[0]))[:3]
    names = ", ".join(f"{cid!r} ({name}, {points} of 3)" for cid, name, points in worst)
    yield Hit(
        None,
        f"lock-in score {score}/100 over {len(scored)} components is below {minimum.shown} "
        f"for portability {portability}; lowest: {names}",
        field="requirements",
        extra={"score": score},
    )


RULE = declare(__name__, check, references(LOCKIN_SCORE_MIN_MEDIUM, LOCKIN_SCORE_MIN_HIGH))
