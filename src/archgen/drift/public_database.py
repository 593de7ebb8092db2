"""## What it checks
A database the model keeps private (no `public: true`) whose Terraform makes it answer
from the internet: `publicly_accessible = true` on RDS or Redshift, public network access
on an Azure flexible server, a public IPv4 address on Cloud SQL.

## Why it matters
The design was reviewed with a private database; the plan builds a public one. Scanners
find open database ports within hours, and the only thing left between them and the data
is a password.

## Failing example
```hcl
resource "aws_db_instance" "db" {
  publicly_accessible = true
  tags = { "archgen:component" = "db" }
}
```

## What to do instead
Set `publicly_accessible = false` (or remove it: false is the default) and reach the
database from the application tier inside the VPC. If it must be public, say so in the
model (`public: true`) so that the design-time rules weigh it.

## False positives
A database that is public on purpose and modelled as private: model it as it is.

## References
- Amazon RDS, working with a DB instance in a VPC (publicly accessible): https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html
- Checkov CKV_AWS_17, CKV_GCP_60: https://www.checkov.io/5.Policy%20Index/terraform.html
"""

from __future__ import annotations

from archgen.drift.properties import property_check
from archgen.rules import declare


check = property_check(
    "public_endpoint", lambda ctx, comp: not comp.public,
    "{address} answers from the internet ({said}); the model keeps {component!r} private", field="public",
)

RULE = declare(__name__, check)
