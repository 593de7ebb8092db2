"""## What it checks
An entry point the internet reaches (a public component, or one that people in
the `internet` zone call) that accepts traffic without TLS: the component says
`tls: false`, or a flow from such a person into it is unencrypted (`tls: false`,
or a plaintext protocol such as `http`). A load generator or staff in another zone
are not the internet. DNS is exempt: resolvers speak plain DNS.

## Why it matters
Anything sent over plain HTTP on the internet (session cookies, tokens, form
fields) can be read and changed on the way by anyone on the path: public Wi-Fi,
ISPs, compromised routers. Browsers mark such sites "Not secure", and certificates
cost nothing on every managed edge (ACM, Google-managed and Azure-managed
certificates).

## Failing example
```yaml
components:
  users: {kind: actor}
  lb: {kind: load_balancer, public: true}
flows:
  - users -> lb: http
```

## What to do instead
Serve HTTPS only and redirect HTTP to HTTPS at the edge:

```yaml
flows:
  - users -> lb: https
```

## False positives
An HTTP listener that only redirects to HTTPS is fine but looks the same as one that
serves: draw the flow the users make (`https`), not the redirect. DNS and people are
exempt (`tls_exempt`).

## References
- Checkov CKV_AWS_2 (ALB listener HTTPS), CKV2_AWS_20 (HTTP to HTTPS redirect), CKV_AWS_34 (CloudFront viewer HTTPS), CKV_AZURE_14, CKV_AZURE_197/198, CKV_AZURE_217: https://www.checkov.io/5.Policy%20Index/terraform.html
- OWASP Transport Layer Security Cheat Sheet: https://cheatsheetseries.owasp.org/cheatsheets/Transport_Layer_Security_Cheat_Sheet.html
- OWASP pytm threat library, CR01 Session Sidejacking: https://github.com/OWASP/pytm/blob/master/pytm/threatlib/threats.json
"""

from __future__ import annotations

from collections.abc import Iterator

from archgen.graph.facts import flow_tls, plaintext_reason
from archgen.catalog.vocabulary import kinds_with
from archgen.rules._base import Hit, Rule, RuleContext
from archgen.catalog.thresholds import PLAINTEXT_PROTOCOLS, references

#: Entry points that do not speak TLS by nature.
EXEMPT_KINDS = kinds_with("tls_exempt")


def check(ctx: RuleContext) -> Iterator[Hit]:
    graph = ctx.graph
    for comp in graph.exposed():
        if comp.kind in EXEMPT_KINDS:
            continue
        reasons = []
        first = None
        if comp.tls is False:
            reasons.append("it says tls: false")
        for flow in sorted(graph.flows_into(comp.id), key=lambda f: f.key):
            if graph.is_internet_caller(graph.component(flow.source)) and comp.tls is not False and not flow_tls(ctx.model, flow):
                how = "tls: false" if flow.tls is False else (plaintext_reason(flow) or f"over {flow.label}")
                reasons.append(f"{flow.source!r} reaches it {how}")
                first = first or flow
        if reasons:
            yield Hit(
                comp.id,
                f"internet entry point {comp.id!r} ({comp.kind}) accepts traffic without TLS: {'; '.join(reasons)}",
                field="tls" if comp.tls is False else None,
                location=first.loc if first is not None else None,
            )


RULE = Rule(
    id="SEC-PUBLIC-NO-TLS",
    title="Internet entry point without TLS",
    category="security",
    severity="error",
    remediation="Serve HTTPS only (a managed certificate on the load balancer, CDN or gateway) and redirect HTTP to HTTPS.",
    doc=__doc__ + references(PLAINTEXT_PROTOCOLS),
    check=check,
    stride=('information-disclosure', 'tampering'),
    cwe=(319, 523),
    checkov=("CKV_AWS_2", "CKV2_AWS_20", "CKV_AWS_34", "CKV_AZURE_14", "CKV_AZURE_197", "CKV_AZURE_198", "CKV_AZURE_217"),
)
