"""## What it checks
Values in a component's `env` that look like secrets: by the variable's name
(`PASSWORD`, `SECRET`, `TOKEN`, `KEY`, `API_KEY`, `CREDENTIALS`, `DSN`, connection
strings...), by the shape of the value (a URL with `user:password@`, an AWS access
key id, GitHub, Slack or Stripe tokens, a private key) or by its randomness (a long
token with high Shannon entropy).

## Why it matters
The model lives in Git: a secret written there is in every clone, every fork and
every CI log for good, and rotating it is the only remedy. The finding never
repeats the value, and archgen redacts it in every output it writes (site pages,
Terraform, JSON, SARIF).

## Failing example
```yaml
components:
  api:
    kind: container_service
    env:
      DB_PASSWORD: hunter2
      DATABASE_URL: postgres://app:s3cret@db:5432/app
```

## What to do instead
Name the secret under `secrets:` and keep its value in the secrets store; the
platform injects it at run time (ECS `secrets`/`valueFrom`, Kubernetes
`secretKeyRef`, Cloud Run secret references):

```yaml
components:
  api:
    kind: container_service
    secrets: [DB_PASSWORD, DATABASE_URL]
  vault: {kind: secrets}
flows:
  - api -> vault
```

Then rotate the value that was in the model: it is in the Git history.

## False positives
A name that sounds secret but holds none (`TOKEN_TTL: 3600`, `KEY_PREFIX: app`) is
reported when the name matches and the value is not plainly harmless; a placeholder
such as `changeme` is reported on purpose. Rename the variable or move the value to
`secrets:`; a real secret that was in the model must be rotated.

## References
- CWE-798 Use of Hard-coded Credentials: https://cwe.mitre.org/data/definitions/798.html
- GitHub secret scanning (the value stays in the history): https://docs.github.com/en/code-security/secret-scanning/introduction/about-secret-scanning
- Checkov CKV_AWS_41, CKV_AWS_45, CKV_AWS_46, CKV_AZURE_235, CKV_K8S_35: https://www.checkov.io/5.Policy%20Index/terraform.html
- Threagile risk rule accidental-secret-leak: https://github.com/Threagile/threagile/blob/master/pkg/risks/builtin/accidental_secret_leak_rule.go
"""

from __future__ import annotations

from collections.abc import Iterator

from archgen.rules._base import Hit, Rule, RuleContext
from archgen.graph.secretscan import secret_reason


def check(ctx: RuleContext) -> Iterator[Hit]:
    for comp in ctx.graph.components():
        for name in sorted(comp.env):
            reason = secret_reason(name, comp.env[name])
            if reason is None:
                continue
            # the message names the variable and the reason, never the value
            yield Hit(
                comp.id,
                f"env {name} of {comp.id!r} looks like a secret ({reason}); its value is in the model",
                field="env",
                extra={"env": name},
            )


RULE = Rule(
    id="SEC-SECRET-IN-ENV",
    title="Secret value in the model",
    category="security",
    severity="error",
    remediation="Move the value to the secrets store, list its name under secrets:, and rotate it (it is in the Git history).",
    doc=__doc__,
    check=check,
    stride=('information-disclosure', 'spoofing'),
    cwe=(798, 260, 312),
    checkov=("CKV_AWS_41", "CKV_AWS_45", "CKV_AWS_46", "CKV_AZURE_235", "CKV_K8S_35"),
)
