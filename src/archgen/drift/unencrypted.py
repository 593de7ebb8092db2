"""## What it checks
A store the model says is encrypted at rest (`encrypted: true`, the default) whose
Terraform turns encryption off: `storage_encrypted = false` on RDS, `encrypted = false`
on EBS, EFS or Redshift, no at-rest encryption on ElastiCache or OpenSearch, a Kinesis
stream with `encryption_type = "NONE"`.

## Why it matters
Encryption at rest is what keeps a lost snapshot, a shared backup or a decommissioned
disk from being a breach, and it can rarely be turned on later without copying the data.

## Failing example
```hcl
resource "aws_db_instance" "db" {
  storage_encrypted = false
}
```

## What to do instead
Encrypt the store (`storage_encrypted = true` with a KMS key). If it really holds nothing
worth encrypting, say `encrypted: false` in the model.

## False positives
None known: the value is read from the plan, and an absent (computed) value never counts.

## References
- Encrypting Amazon RDS resources: https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html
- Checkov CKV_AWS_16, CKV_AWS_3, CKV_AWS_29: https://www.checkov.io/5.Policy%20Index/terraform.html
"""

from __future__ import annotations

from archgen.drift.properties import property_check
from archgen.rules import declare


check = property_check(
    "unencrypted", lambda ctx, comp: comp.encrypted,
    "{address} is not encrypted at rest ({said}); the model says {component!r} is", field="encrypted",
)

RULE = declare(__name__, check)
