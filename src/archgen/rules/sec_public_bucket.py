"""## What it checks
Object storage or a static site that the internet reaches directly: `public: true`,
or an `actor` calling it with no CDN in between. A bucket that is public *and*
sits behind a CDN is flagged too: the CDN should be the only reader.

## Why it matters
Public buckets are the classic cloud leak: one wrong object ACL or one listing
permission and everything in the bucket is downloadable by anyone. Serving files
through a CDN with origin access (CloudFront origin access control, Front Door with
a private origin, Cloud CDN with a backend bucket) keeps the bucket private, adds
TLS on your own domain and caches at the edge. Checkov asks for the same once
Terraform exists (CKV2_AWS_6 public access block, CKV_AWS_20 public-read ACL,
CKV2_AWS_46 CloudFront S3 origin access).

## Failing example
```yaml
components:
  users: {kind: actor}
  site: {kind: static_site, public: true}
flows:
  - users -> site: https
```

## What to do instead
Keep the bucket private and put a CDN in front:

```yaml
components:
  users: {kind: actor}
  cdn: {kind: cdn}
  site: {kind: static_site}
flows:
  - users -> cdn: https
  - cdn -> site: https
```

## False positives
A bucket that is public by design (a public dataset, open-source downloads) is a true
finding you accept with that reason. Managed hosting that serves through the
provider's own CDN (Amplify Hosting, Static Web Apps: the catalog's `own_cdn`) is
exempt; a hosting service the catalog does not mark that way is reported.

## References
- Amazon S3 Block Public Access: https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
- CloudFront origin access control for S3: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html
- Checkov CKV2_AWS_6, CKV_AWS_53 to 56, CKV_AWS_20, CKV2_AWS_46; CKV_AZURE_59, CKV_AZURE_190; CKV_GCP_114, CKV_GCP_28: https://www.checkov.io/5.Policy%20Index/terraform.html
"""

from __future__ import annotations

from collections.abc import Iterator

from archgen.graph.facts import exposure
from archgen.rules._base import Hit, Rule, RuleContext



def check(ctx: RuleContext) -> Iterator[Hit]:
    for comp in ctx.graph.components_with("bucket"):
        why = exposure(ctx.graph, comp)
        if why is None or ctx.protected(comp):
            continue  # private, or SEC-PUBLIC-DATASTORE's error
        svc = ctx.service(comp.id)
        if svc is not None and svc.own_cdn is not None:
            continue  # managed static hosting served through the provider's own CDN: public by design
        cdns = [c.id for c in ctx.graph.callers(comp.id, ["cdn"])]
        if cdns:
            advice = f"it is also served through {', '.join(repr(c) for c in cdns)}: let only the CDN read it (origin access)"
        else:
            advice = "serve it through a CDN with origin access instead"
        data = ctx.held[comp.id]
        yield Hit(
            comp.id,
            f"{comp.kind} {comp.id!r} is public ({why}); {advice}",
            field="public" if comp.public else None,
            severity="error" if data else None,
        )


RULE = Rule(
    id="SEC-PUBLIC-BUCKET",
    title="Public object storage not behind a CDN with origin access",
    category="security",
    severity="warning",
    remediation="Make the bucket private and serve it through a CDN with origin access (CloudFront OAC, Front Door private origin, Cloud CDN backend bucket).",
    doc=__doc__,
    check=check,
    stride=('information-disclosure',),
    cwe=(732, 200),
    checkov=("CKV2_AWS_6", "CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56", "CKV_AWS_20", "CKV2_AWS_46", "CKV_AZURE_59", "CKV_AZURE_190", "CKV_GCP_114", "CKV_GCP_28"),
)
