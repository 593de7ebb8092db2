"""## What it checks
A managed resource of a kind the catalog knows (a database, a queue, a bucket, a
function: a service's primary Terraform type) that no component of the model claims:
not tagged for one, not in any component's `terraform:` list, and not the one resource of
a component's kind.

## Why it matters
Infrastructure that the architecture does not show is infrastructure nobody reviewed:
its data, its exposure and its cost are outside every finding archgen reports.

## Failing example
A plan with `aws_sqs_queue.orders` and a model with no `queue` component.

## What to do instead
Add the component to the model (with `terraform: [aws_sqs_queue.orders]` when the
resource is not tagged), or remove the resource.

## False positives
Resources of another system in the same root module: tag them with their own model
(`archgen:model`), and verify leaves them out. Helpers (policies, routes, subnets) are
never reported.

## References
- Terraform, JSON output format (what verify reads): https://developer.hashicorp.com/terraform/internals/json-format
"""

from __future__ import annotations

from collections.abc import Iterator

from archgen.drift._context import DriftContext
from archgen.rules import Hit, declare


def check(ctx: DriftContext) -> Iterator[Hit]:
    for m in ctx.mapping.with_how("unmodelled"):
        yield Hit(
            None,
            f"{m.resource.address} ({m.resource.source.name}) is in no component of the model ({m.reason})",
            extra={"address": m.resource.address, "source": str(m.resource.source)},
        )


RULE = declare(__name__, check)
