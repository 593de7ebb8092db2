"""## What it checks
A model with no component of kind `budget` (a budget with alerts: AWS Budgets,
Azure Cost Management budgets, Google Cloud billing budgets).

## Why it matters
An unexpected bill is the most common first failure in the cloud: a forgotten
test cluster, a NAT gateway moving more data than planned, an endpoint left
running over a holiday, a leaked key mining cryptocurrency. A budget with alerts
costs nothing and turns a surprise at the end of the month into an e-mail on the
day it starts. Providers do not cap spend by default.

## Failing example
```yaml
components:
  api: {kind: container_service}
  db: {kind: postgres}
```

## What to do instead
```yaml
requirements:
  monthly_budget_usd: 500
components:
  spend: {kind: budget, title: Monthly budget alert}
```
archgen's Terraform creates the budget with alerts at the stated amount.

## False positives
Expect it on models that are one part of an account whose budget lives elsewhere (a
platform team's landing zone sets budgets for every account). Tell it by asking where
the alert is configured: if it is outside this model, accept the finding with that
place as the reason, or draw the budget in the model that owns the account.

## References
- AWS Budgets: https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-managing-costs.html
- Google Cloud billing budgets: https://cloud.google.com/billing/docs/how-to/budgets
- Azure Cost Management budgets: https://learn.microsoft.com/azure/cost-management-billing/costs/tutorial-acm-create-budgets
- Terraform: `aws_budgets_budget`, `google_billing_budget`, `azurerm_consumption_budget_subscription` (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/budgets_budget).
"""

from __future__ import annotations

from collections.abc import Iterator

from archgen.rules._base import Hit, RuleContext
from archgen.rules._registry import declare


def check(ctx: RuleContext) -> Iterator[Hit]:
    if not ctx.graph.components(["budget"]):
        yield Hit(None, "the model has no budget component: nothing alerts when spending runs away", field="components")


RULE = declare(__name__, check)
