"""## What it checks
A component that no flow starts or ends at. Exempt: a `budget` (it watches the
whole account rather than taking part in traffic), operations tooling (`monitoring`,
`ci_cd`: it collects from or deploys everything, and has no data flows by nature), a `waf` that names what it
`protects` (it sits in front of them), and a cluster or VM that components run on
(`runs_on`: their flows are its traffic).

## Why it matters
A component nobody calls and that calls nobody is either forgotten in the flows
(so the diagrams, the network rules and the Terraform security groups miss it) or
no longer part of the system. Either way the model no longer says what runs.

## Failing example
```yaml
components:
  api: {kind: container_service}
  cache: {kind: cache}        # nothing talks to it
flows:
  - users -> api
```

## What to do instead
Add the flows that reach the component (`api -> cache`), or remove it.

## False positives
A component that only other tools reach (a bucket written by a managed service the
model does not draw) is reported too: draw that service.

## References
- The C4 model, a diagram element with no relationship is usually a sign of a missing one: https://c4model.com/diagrams/notation
"""

from __future__ import annotations

from collections.abc import Iterator

from archgen.catalog.vocabulary import kinds_with
from archgen.rules._base import Hit, RuleContext
from archgen.rules._registry import declare


#: Kinds that act on the whole account, or run the delivery and operations, rather than take
#: part in traffic: no flows expected (catalog traits account_level and operations).
ACCOUNT_LEVEL = kinds_with("account_level") | kinds_with("operations")


def check(ctx: RuleContext) -> Iterator[Hit]:
    for comp in ctx.graph.orphans():
        if comp.kind in ACCOUNT_LEVEL:
            continue
        if comp.protects or ctx.graph.guests(comp.id):
            continue  # a WAF in front of what it protects, a host of what runs on it: no flows of its own
        yield Hit(comp.id, f"no flow starts or ends at {comp.id!r}")


RULE = declare(__name__, check)
