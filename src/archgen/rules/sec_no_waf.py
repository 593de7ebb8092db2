"""## What it checks
An internet entry point (a public or actor-facing load balancer, CDN, API gateway
or application component) from which sensitive data (`pii`, `payment`, `health`,
`credentials`) can be reached, with no web application firewall in front of it. A
WAF is a component of kind `waf` whose `protects` names the entry point, or, for a
WAF the model does not draw, an accepted ADR tagged `waf` that lists the entry point
under `components:` (or that the entry point names under `decisions:`).

## Why it matters
A WAF in front of an application that holds personal or payment data blocks the
commodity attacks (SQL injection and XSS probes, credential stuffing, known-CVE
scanners) and gives rate limiting before the application sees a request. It is
cheap to attach to a managed edge (AWS WAF on CloudFront, an ALB or API Gateway;
Azure Front Door or Application Gateway WAF; Cloud Armor), and PCI DSS 6.4.2 asks
for one in front of public web applications that handle card data.

## Failing example
```yaml
components:
  users: {kind: actor}
  lb: {kind: load_balancer, public: true}
  api: {kind: container_service, data: [pii]}
flows:
  - users -> lb: https
  - lb -> api: https
```

## What to do instead
Put a WAF in front of the entry point and draw it:

```yaml
components:
  edge-waf: {kind: waf, protects: [lb]}     # AWS WAF, Azure WAF, Cloud Armor
```

or, when it is configured outside the model, record it in an ADR:

```markdown
---
status: accepted
date: 2026-11-20
components: [lb]
tags: [waf]
---
# AWS WAF with the managed core rule set on the public ALB
```

## False positives
An entry point whose requests are already filtered by a WAF the model does not draw
(a CDN or an edge service of another team) is reported: draw the `waf` with
`protects:`, or record it in an ADR. The sensitive data counted is what the entry
point leads to along flows, so a public page that shares nothing with the API is not
flagged; one that reaches the API is.

## References
- Checkov CKV2_AWS_28 (public ALB behind a WAF), CKV_AWS_68 (CloudFront WAF), CKV_AZURE_120, CKV_AZURE_121: https://www.checkov.io/5.Policy%20Index/terraform.html
- PCI DSS v4.0 requirement 6.4.2 (an automated technical solution in front of public web applications): https://www.pcisecuritystandards.org/standards/pci-dss/
- Threagile risk rule missing-waf: https://github.com/Threagile/threagile/blob/master/pkg/risks/builtin/missing_waf_rule.go
"""

from __future__ import annotations

from collections.abc import Iterator

from archgen.graph.facts import accepted_with_tag, covers
from archgen.catalog.vocabulary import kinds_with
from archgen.rules._base import Hit, Rule, RuleContext
from archgen.catalog.thresholds import SENSITIVE_DATA, references

WAF_TAG = "waf"
#: Kinds a WAF can front: edge components and application components that face the internet.
ENTRY_KINDS = kinds_with("entry")


def check(ctx: RuleContext) -> Iterator[Hit]:
    wafs = accepted_with_tag(ctx.decisions, WAF_TAG)
    behind = ctx.sensitive_behind
    for comp in ctx.graph.exposed():
        if comp.kind not in ENTRY_KINDS or ctx.protected_by.get(comp.id):
            continue  # a waf component protects it
        if any(covers(d, ctx.model, comp.id) for d in wafs):
            continue
        data = sorted(behind[comp.id])
        if data:
            yield Hit(
                comp.id,
                f"internet entry point {comp.id!r} ({comp.kind}) leads to {', '.join(data)} and no WAF protects it "
                f"(a waf component with protects: [{comp.id}], or an accepted ADR tagged {WAF_TAG} listing {comp.id!r})",
            )


RULE = Rule(
    id="SEC-NO-WAF",
    title="Public entry point to sensitive data without a WAF",
    category="security",
    severity="warning",
    remediation="Put a web application firewall in front of the entry point (AWS WAF, Front Door/Application Gateway WAF, Cloud Armor): a waf component whose protects names it, or an accepted ADR tagged waf that lists it.",
    doc=__doc__ + references(SENSITIVE_DATA),
    check=check,
    stride=('tampering', 'denial-of-service'),
    cwe=(693,),
    checkov=("CKV2_AWS_28", "CKV_AWS_68", "CKV_AZURE_120", "CKV_AZURE_121"),
)
