"""## What it checks
A client app (a web single-page app, a mobile or desktop app: kind `client_app`) that
handles sensitive data (`pii`, `payment`, `health`, `credentials`: it holds it, or
reaches something that does) while nothing in the model says how its users sign in:
no path from the app to an `identity` component (the catalog trait `signs_in`:
Cognito, Entra External ID, Identity Platform, Keycloak...), and no flow out of the
app that names its caller (`auth: oidc`, `token`, `iam` or `mtls`). How users sign
in is one decision: the apps that lack it are named in one finding, on the first of
them by id.

## Why it matters
A client app runs on a device the team does not control: anything it embeds (an API
key, a shared secret) is public, and an API that trusts "the app" rather than a
signed-in user serves every user's records to anyone who reads the app's traffic.
Home-grown login (passwords in the application's own table, session tokens minted by
hand) is where credential stuffing, weak password storage and broken session
handling come from. A standard identity provider with OpenID Connect (Authorization
Code with PKCE for public clients) gives the API a verifiable token per user.

## Failing example
```yaml
requirements: {data: [pii]}
components:
  patients: {kind: actor}
  app: {kind: client_app, platform: mobile}
  api: {kind: container_service, data: [pii]}
flows:
  - patients -> app: https
  - app -> api: https
```

## What to do instead
Sign users in with an identity provider and send its token to the API:

```yaml
components:
  login: {kind: identity}
flows:
  - app -> login: https
  - {from: app, to: api, protocol: https, auth: oidc}
```

## False positives
An identity provider modelled as an `external` SaaS that the app reaches only through
the API, or a login the API delegates to an IdP the model does not draw, is reported:
draw the IdP as `identity` (or give the app's flows `auth: oidc`). An app that shows
sensitive data it never fetches (data only on the component) is reported too: check
where the data comes from.

## References
- CWE-287 Improper Authentication: https://cwe.mitre.org/data/definitions/287.html
- CWE-798 Use of Hard-coded Credentials (an API key shipped in an app): https://cwe.mitre.org/data/definitions/798.html
- RFC 8252, OAuth 2.0 for Native Apps (Authorization Code with PKCE): https://www.rfc-editor.org/rfc/rfc8252
- OWASP Mobile Top 10 2024, M3 Insecure Authentication/Authorization: https://owasp.org/www-project-mobile-top-10/2023-risks/m3-insecure-authentication-authorization
- Threagile risk rule missing-identity-store: https://github.com/Threagile/threagile/blob/master/pkg/risks/builtin/missing_identity_store_rule.go
"""

from __future__ import annotations

from collections.abc import Iterator

from archgen.catalog.thresholds import IDENTITY_AUTH, SENSITIVE_DATA, references
from archgen.graph.facts import identifies
from archgen.rules._base import Hit, RuleContext
from archgen.rules._registry import declare


def check(ctx: RuleContext) -> Iterator[Hit]:
    graph = ctx.graph
    apps = graph.components_with("device")
    if not apps:
        return
    providers = [c.id for c in graph.components_with("signs_in")]
    unsigned = []
    for app in apps:
        if not ctx.sensitive_behind[app.id]:
            continue
        if any(graph.has_path(app.id, p) for p in providers) or any(identifies(f) for f in graph.flows_from(app.id)):
            continue
        unsigned.append(app)
    if not unsigned:
        return
    # how the users sign in is one decision for the model: one finding, on the first app, naming all
    data = sorted(set().union(*(ctx.sensitive_behind[a.id] for a in unsigned)))
    names = ", ".join(f"{a.id!r} ({a.platform or 'client'})" for a in unsigned)
    yield Hit(
        unsigned[0].id,
        f"client app{'s' if len(unsigned) > 1 else ''} {names} handle{'' if len(unsigned) > 1 else 's'} {', '.join(data)} "
        "but nothing says how users sign in: no identity provider they reach, no flow that names the caller",
        extra={"members": [a.id for a in unsigned]},
    )


RULE = declare(__name__, check, references(SENSITIVE_DATA, IDENTITY_AUTH))
