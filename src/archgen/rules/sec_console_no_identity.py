"""## What it checks
A component with a web UI that operates the system or its data (a `notebook`, an
`ml_pipeline` or `workflow` UI, a `model_registry`: the catalog trait `console`) that
the internet reaches, directly or through fronting components only (a load balancer,
CDN, API gateway), with no identity in front of it: no flow that brings internet
traffic to it names the caller (`auth: oidc`, `token`, `iam` or `mtls`), and neither
it nor a fronting component on the way hands the login to an `identity` component.

## Why it matters
Notebook servers, pipeline and experiment-tracking UIs and model registries run code
and hold credentials by design: a Jupyter server executes what it is sent, an
Airflow or Kubeflow UI triggers jobs with the platform's roles, an MLflow server
serves models and their training data. Left on the internet with no login (or with a
shared token in a URL), they are found by scanners and used to run code inside the
network, read the data the notebooks can read, or replace a model. Putting an
identity provider in front (OIDC at the load balancer, an identity-aware proxy, the
tool's own OAuth login) is the usual fix.

## Failing example
```yaml
components:
  scientists: {kind: actor}
  lb: {kind: load_balancer, public: true}
  jupyter: {kind: notebook, runs_on: platform}
  platform: {kind: kubernetes_cluster}
flows:
  - scientists -> lb: https
  - lb -> jupyter: https
```

## What to do instead
Sign people in before the request reaches the UI, and say so in the model:

```yaml
components:
  sso: {kind: identity}
flows:
  - scientists -> sso: https
  - {from: scientists, to: lb, protocol: https, auth: oidc}
  - lb -> sso: https            # the load balancer's OIDC action (or the tool's own OAuth login)
```

Better still, keep the UI off the internet: reach it over the corporate network or a
VPN (`zone: corporate` on the people who use it).

## False positives
Login that the tool does itself (JupyterHub's authenticator, Airflow's RBAC with OAuth)
is invisible unless the model draws the flow from the tool to the identity provider
or states `auth:` on the flows in: do one of those. A console reached only over a
VPN or the office network is not on the internet: give its people `zone: corporate`.

## References
- CWE-306 Missing Authentication for Critical Function: https://cwe.mitre.org/data/definitions/306.html
- CWE-284 Improper Access Control: https://cwe.mitre.org/data/definitions/284.html
- Jupyter Server security (tokens and passwords; do not expose a server without them): https://jupyter-server.readthedocs.io/en/latest/operators/security.html
- Application Load Balancer user authentication (OIDC, Cognito) before requests reach targets: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-authenticate-users.html
- Google Cloud Identity-Aware Proxy: https://cloud.google.com/iap/docs/concepts-overview
"""

from __future__ import annotations

from collections.abc import Iterator

from archgen.catalog.thresholds import IDENTITY_AUTH, references
from archgen.catalog.vocabulary import has_trait
from archgen.graph.facts import identity_in_front
from archgen.rules._base import Hit, RuleContext
from archgen.rules._registry import declare


def check(ctx: RuleContext) -> Iterator[Hit]:
    graph = ctx.graph
    consoles = graph.components_with("console")
    if not consoles:
        return
    reached = graph.reachable_from_internet(through=lambda c: has_trait(c.kind, "fronting"))
    for comp in consoles:
        if comp.id not in reached or identity_in_front(graph, comp) is not None:
            continue
        direct = graph.is_exposed(comp.id)
        how = "directly" if direct else "through " + ", ".join(
            repr(c.id) for c in graph.callers(comp.id) if c.id in reached and has_trait(c.kind, "fronting")
        )
        yield Hit(
            comp.id,
            f"{comp.kind} {comp.id!r} is reached from the internet {how} with no identity in front of it: "
            "no flow names its caller and nothing on the way signs people in",
            field="public" if comp.public else None,
        )


RULE = declare(__name__, check, references(IDENTITY_AUTH))
