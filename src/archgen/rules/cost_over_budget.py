"""## What it checks
A model whose indicative monthly estimate (from the catalog's list prices, see
`archgen compare` and the site's cost page) is above
`requirements.monthly_budget_usd`. The message names what the estimate could not
price beside the total it compares (`$317.85 + 1 not priced (database)`).

A model within its budget whose estimate leaves components unpriced gets an `info`
finding from the same rule: the total is a lower bound, so the budget is not shown to
hold until those components have a price.

## Why it matters
A design that costs more than its budget before it has a single user will not
fit it later: traffic, data and environments only add. Finding it at design time
means changing a service choice or a size in a YAML file rather than re-platforming
a running system.

## Failing example
```yaml
requirements: {monthly_budget_usd: 20}
components:
  db: {kind: postgres, high_availability: true}
  model: {kind: ml_endpoint}
```

## What to do instead
Look at the estimate's lines (the site's cost page shows each formula), then
change the biggest: smaller sizes under `sizing:`, a cheaper service, or no high
availability outside production. Or raise the budget if the estimate is right.
For the `info` finding, give the unpriced components a service the catalog prices
(the comparison says why each is not priced), or check their cost by hand.

## False positives
The estimate is indicative: list prices on demand, before discounts, credits, savings
plans and tax, with some meters (data transfer, requests) assumed or not priced. A
model a few percent over its budget may fit once commitments are counted; one that is
several times over will not. The finding lists the biggest lines: check their
formulas on the site's cost page before changing the design.

## References
- AWS pricing: https://aws.amazon.com/pricing/; Google Cloud pricing: https://cloud.google.com/pricing; Azure pricing: https://azure.microsoft.com/pricing/
- Each catalog price carries its own source and date (`archgen compare`, the site's cost page).
"""

from __future__ import annotations

from collections.abc import Iterator

from archgen.rules._base import Hit, RuleContext
from archgen.rules._registry import declare


def check(ctx: RuleContext) -> Iterator[Hit]:
    budget = ctx.model.requirements.monthly_budget_usd
    if budget is None:
        return
    from archgen.generators.cost import estimate, money, not_priced_text

    est = estimate(ctx.model, ctx.model.provider, ctx.catalog)
    extra = {"estimate_usd": est.total, "budget_usd": budget, "not_priced": list(est.unpriced)}
    # what is not priced goes beside the total it compares, every time
    total = f"{money(est.total)}/month{not_priced_text(est.unpriced)}" if est.priced_any else "not priced"
    if est.total <= budget:
        if est.unpriced:
            why = "; ".join(f"{ln.component}: {ln.why_unpriced}" for ln in est.lines if ln.usd is None)
            yield Hit(
                None,
                f"the estimate of {total} ({est.label}) is within the budget of {money(budget)}, but only as a "
                f"lower bound: what is not priced is not counted ({why}); give it a service the catalog "
                "prices, or check its cost, before relying on the budget",
                field="requirements",
                severity="info",
                extra=extra,
            )
        return
    top = sorted((ln for ln in est.lines if ln.usd), key=lambda ln: (-(ln.usd or 0), ln.component))[:3]
    biggest = ", ".join(f"{ln.component!r} {money(ln.usd)}" for ln in top)
    yield Hit(
        None,
        f"the estimate of {total} ({est.label}) is above the budget of {money(budget)}; biggest: {biggest}",
        field="requirements",
        extra=extra,
    )


RULE = declare(__name__, check)
