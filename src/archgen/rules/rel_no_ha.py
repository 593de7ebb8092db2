"""## What it checks
A stateful component (a kind with the catalog traits `data_store` and `stateful`:
`postgres`, `mysql`, `nosql`, `cache`, `queue`, `stream`, `data_warehouse`) without
`high_availability: true`, unless its service is highly available by design (the
catalog's `ha_by_design`, with its source: DynamoDB, SQS, Kinesis, Pub/Sub, Firestore,
BigQuery).

## Why it matters
A single-zone database or cache is the part of a system that cannot simply be
restarted elsewhere: when its zone or instance fails, the system is down until a
restore, and writes since the last backup may be lost. Managed stores make a
standby in another zone one setting (RDS Multi-AZ, Cloud SQL HA, Azure zone-
redundant HA) at about twice the instance price, which is why archgen's estimate
prices it. Stores that are multi-zone by design (SQS, DynamoDB, Pub/Sub) need no
flag: the provider spreads them over zones whatever the configuration.

## Failing example
```yaml
components:
  db: {kind: postgres, data: [pii]}
```

## What to do instead
```yaml
components:
  db: {kind: postgres, data: [pii], high_availability: true}
```
For a development or throw-away store, accept the finding with the reason.

## False positives
Stores that are multi-zone only on some tiers (Azure Service Bus Premium, Cosmos DB
with zone redundancy, Memorystore Standard) are not HA by design in the catalog:
when you choose that tier, say `high_availability: true`. A throw-away or development
store is a real finding you may accept.

## References
- Amazon RDS Multi-AZ: https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZ.html
- Checkov CKV_AWS_157 (RDS Multi-AZ), CKV_GCP_14 and CKV_AZURE_136 (backups): https://www.checkov.io/5.Policy%20Index/terraform.html
- Services multi-zone by design carry their own source in the catalog (`ha_by_design`), e.g. DynamoDB: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Introduction.html
"""

from __future__ import annotations

from collections.abc import Iterator

from archgen.rules._base import Hit, Rule, RuleContext


def check(ctx: RuleContext) -> Iterator[Hit]:
    for comp in ctx.graph.components_with("data_store", "stateful"):
        svc = ctx.service(comp.id)
        if not comp.high_availability and (svc is None or svc.ha_by_design is None):
            yield Hit(
                comp.id,
                f"stateful {comp.kind} {comp.id!r} runs without high_availability: one zone or instance failure takes it down",
                field="high_availability",
            )


RULE = Rule(
    id="REL-NO-HA",
    title="Stateful component without high availability",
    category="reliability",
    severity="warning",
    remediation="Set high_availability: true (a standby or replicas in another zone), or accept the finding for a non-production store.",
    doc=__doc__,
    check=check,
    stride=('denial-of-service',),
    checkov=("CKV_AWS_157",),
)
