"""## What it checks
A component that stores sensitive data (`pii`, `payment`, `health`,
`credentials`, on the component or on a flow into it) and says `encrypted: false`.

## Why it matters
Encryption at rest is what keeps a copied disk, a shared snapshot or a backup
left in the wrong account from being a breach. Managed stores encrypt for almost
nothing (RDS, S3, Cloud SQL, Azure Storage), and GDPR, PCI DSS and HIPAA all expect
it for this data. Turning it on later usually means a new store and a migration.

## Failing example
```yaml
components:
  db: {kind: postgres, data: [pii], encrypted: false}
```

## What to do instead
Drop `encrypted: false` (encryption is the default), or keep the sensitive data
out of this store.

## False positives
A store that encrypts everything at rest whatever the setting (Cloud SQL, DynamoDB,
Azure Storage encrypt by default) is still reported when the model says `encrypted:
false`: the model then contradicts the service. Remove the setting.

## References
- OWASP Top 10 2021, A02 Cryptographic Failures: https://owasp.org/Top10/A02_2021-Cryptographic_Failures/
- Amazon RDS encryption at rest: https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html
- Checkov CKV_AWS_16, CKV_AWS_96, CKV_AWS_19, CKV_AWS_145, CKV_AWS_27, CKV_AWS_29, CKV2_AZURE_1: https://www.checkov.io/5.Policy%20Index/terraform.html
- Threagile risk rule unencrypted-asset: https://github.com/Threagile/threagile/blob/master/pkg/risks/builtin/unencrypted_asset_rule.go
"""

from __future__ import annotations

from collections.abc import Iterator

from archgen.rules._base import Hit, Rule, RuleContext
from archgen.catalog.thresholds import SENSITIVE_DATA, references


def check(ctx: RuleContext) -> Iterator[Hit]:
    for comp in ctx.graph.components():
        if comp.encrypted or not ctx.catalog.provisioned(comp.kind):
            continue
        data = ctx.held[comp.id]
        if data:
            yield Hit(
                comp.id,
                f"{comp.id!r} stores {', '.join(data)} with encrypted: false",
                field="encrypted",
            )


RULE = Rule(
    id="SEC-UNENCRYPTED-DATA",
    title="Sensitive data stored unencrypted",
    category="security",
    severity="error",
    remediation="Encrypt the store at rest (remove encrypted: false) or keep the sensitive data out of it.",
    doc=__doc__ + references(SENSITIVE_DATA),
    check=check,
    stride=('information-disclosure',),
    cwe=(311, 312),
    checkov=("CKV_AWS_16", "CKV_AWS_96", "CKV_AWS_19", "CKV_AWS_145", "CKV_AWS_27", "CKV_AWS_29", "CKV2_AZURE_1"),
)
