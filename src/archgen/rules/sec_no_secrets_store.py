"""## What it checks
A component that names `secrets:` while the model has no component of kind
`secrets` to hold them, or while it has one but no flow leads from the component
to it.

## Why it matters
A secret name with nowhere to live ends up where it is easiest to put: an
environment file in the repository, a CI variable copied by hand, a value pasted
into a task definition. A secrets store (AWS Secrets Manager, Azure Key Vault,
Google Secret Manager, OpenBao) gives rotation, an audit log and access policies,
and the platform injects the values at run time. The flow to it is what grants the
component read access in the generated Terraform.

## Failing example
```yaml
components:
  api:
    kind: container_service
    secrets: [DATABASE_URL]
```

## What to do instead
```yaml
components:
  api:
    kind: container_service
    secrets: [DATABASE_URL]
  vault: {kind: secrets}
flows:
  - api -> vault: https
```

## False positives
Secrets injected by a platform the model does not draw (a CI system's variables, a
Kubernetes Secret synced by an operator) are reported: draw the store (`kind:
secrets`, `service: external_secrets` or the like) and the flow to it.

## References
- OWASP Secrets Management Cheat Sheet: https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html
- ECS: passing sensitive data to a container (secrets, valueFrom): https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html
- Checkov CKV_AWS_149, CKV2_AWS_57 (Secrets Manager CMK and rotation), CKV_AZURE_41, CKV_AZURE_110: https://www.checkov.io/5.Policy%20Index/terraform.html
"""

from __future__ import annotations

from collections.abc import Iterator

from archgen.rules._base import Hit, RuleContext
from archgen.rules._registry import declare


def check(ctx: RuleContext) -> Iterator[Hit]:
    graph = ctx.graph
    stores = [c.id for c in graph.components(["secrets"])]
    for comp in graph.components():
        if not comp.secrets or comp.kind == "secrets":
            continue
        names = ", ".join(sorted(comp.secrets))
        if not stores:
            yield Hit(comp.id, f"{comp.id!r} needs secrets ({names}) but the model has no secrets component to hold them", field="secrets")
        elif not any(graph.has_path(comp.id, s) for s in stores):
            yield Hit(
                comp.id,
                f"{comp.id!r} needs secrets ({names}) but no flow leads from it to a secrets component "
                f"({', '.join(repr(s) for s in stores)})",
                field="secrets",
            )


RULE = declare(__name__, check)
