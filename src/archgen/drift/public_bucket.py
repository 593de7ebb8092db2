"""## What it checks
A bucket (or storage account) the model keeps private whose Terraform lets the public in:
an S3 public access block with any of its four settings off, a `public-read` ACL, nested
items allowed to be public on an Azure storage account.

## Why it matters
Public buckets are the most common cloud data leak. The model says nobody outside reads
this storage; the plan says anyone may.

## Failing example
```hcl
resource "aws_s3_bucket_public_access_block" "files" {
  bucket              = aws_s3_bucket.files.id
  block_public_policy = false
}
```

## What to do instead
Turn every setting of the public access block on, serve public files through the CDN
(origin access control), and keep the bucket private. A bucket that is a public website on
purpose is `public: true` in the model.

## False positives
A public static site served straight from the bucket: model it `public: true`.

## References
- Amazon S3, blocking public access: https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
- Checkov CKV_AWS_53 to CKV_AWS_56, CKV_AWS_20: https://www.checkov.io/5.Policy%20Index/terraform.html
"""

from __future__ import annotations

from archgen.drift.properties import property_check
from archgen.rules import declare


check = property_check(
    "public_bucket", lambda ctx, comp: not comp.public,
    "{address} lets the public in ({said}); the model keeps {component!r} private", field="public",
)

RULE = declare(__name__, check)
