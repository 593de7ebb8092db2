"""## What it checks
A data store that the internet reaches directly: a database, cache, queue, stream,
NoSQL store or data warehouse (and object storage that holds sensitive data) that
is `public: true`, or that an `actor` calls without anything in between.

## Why it matters
A store on the internet is one leaked password, one unpatched engine or one
misconfigured firewall away from a breach, and scanners find open database ports
within hours. Stores belong in private subnets, reached only by the application
tier that checks who is asking. Checkov flags the same thing once Terraform exists
(CKV_AWS_17 "RDS not publicly accessible", CKV_GCP_60, CKV2_AZURE_57); archgen
flags it while it is still a line in a design.

## Failing example
```yaml
components:
  users: {kind: actor}
  db: {kind: postgres, public: true, data: [pii]}
flows:
  - users -> db
```

## What to do instead
Remove `public: true`, and let users reach the store only through the component
that serves them:

```yaml
components:
  users: {kind: actor}
  lb: {kind: load_balancer, public: true}
  api: {kind: container_service}
  db: {kind: postgres, data: [pii]}
flows:
  - users -> lb: https
  - lb -> api
  - api -> db: postgres
```

## False positives
People who call a store from the office or over a VPN are not the internet: give them
`zone: corporate` (or put them behind a `vpn`) and the rule is quiet. A managed store
whose only public face is an authorized API (a serverless database's HTTPS data API)
is reported when an actor calls it directly; draw the API in between.

## References
- Checkov CKV_AWS_17 (RDS not publicly accessible), CKV_GCP_11, CKV_GCP_60, CKV2_AZURE_26, CKV2_AZURE_57: https://www.checkov.io/5.Policy%20Index/terraform.html
- OWASP Top 10 2021, A05 Security Misconfiguration: https://owasp.org/Top10/A05_2021-Security_Misconfiguration/
- Threagile risk rule unguarded-access-from-internet: https://github.com/Threagile/threagile/blob/master/pkg/risks/builtin/unguarded_access_from_internet_rule.go
"""

from __future__ import annotations

from collections.abc import Iterator

from archgen.graph.facts import exposure
from archgen.rules._base import Hit, Rule, RuleContext
from archgen.catalog.thresholds import SENSITIVE_DATA, references

def check(ctx: RuleContext) -> Iterator[Hit]:
    for comp in ctx.graph.components():
        if not ctx.protected(comp):
            continue
        why = exposure(ctx.graph, comp)
        if why is None:
            continue
        data = ctx.held[comp.id]
        holding = f", holding {', '.join(data)}," if data else ""
        yield Hit(
            comp.id,
            f"data store {comp.id!r} ({comp.kind}){holding} is reachable from the internet: {why}",
            field="public" if comp.public else None,
        )


RULE = Rule(
    id="SEC-PUBLIC-DATASTORE",
    title="Data store reachable from the internet",
    category="security",
    severity="error",
    remediation="Make the store private and reach it only through the application tier (remove public: true, route actors through a load balancer or gateway and a service).",
    doc=__doc__ + references(SENSITIVE_DATA),
    check=check,
    stride=('information-disclosure', 'tampering'),
    cwe=(668, 284),
    checkov=("CKV_AWS_17", "CKV_GCP_11", "CKV_GCP_60", "CKV2_AZURE_26", "CKV2_AZURE_57"),
)
