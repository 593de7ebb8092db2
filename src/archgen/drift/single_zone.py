"""## What it checks
A component the model says is highly available (`high_availability: true`) that Terraform
builds in one zone or as one instance: RDS without Multi-AZ, ElastiCache without Multi-AZ,
a single-instance broker, an ECS service with fewer than two tasks, a node group that may
shrink to one node, a zonal Cloud SQL instance.

## Why it matters
The availability the design promises (and that its cost estimate prices) is not what is
built: one zone failing takes the component down.

## Failing example
```hcl
resource "aws_db_instance" "db" {
  multi_az = false
}
```

## What to do instead
Deploy it across zones (`multi_az = true`, two tasks or more, a regional instance), or
drop `high_availability` from the model if one zone is acceptable.

## False positives
A component made highly available by something Terraform does not show (an external
controller scaling it): accept the finding with the reason.

## References
- Amazon RDS Multi-AZ deployments: https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZ.html
- AWS Well-Architected, reliability pillar (REL10, use fault isolation): https://docs.aws.amazon.com/wellarchitected/latest/reliability-pillar/welcome.html
"""

from __future__ import annotations

from archgen.drift.properties import property_check
from archgen.rules import declare


check = property_check(
    "single_zone", lambda ctx, comp: comp.high_availability,
    "{address} runs in one zone or as one instance ({said}); the model says {component!r} is highly available",
    field="high_availability",
)

RULE = declare(__name__, check)
