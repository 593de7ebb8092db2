"""Every number a design-time rule weighs a model against, with where it comes from.

A rule lists the thresholds it uses in ``THRESHOLDS``; :func:`references` renders
them into the rule's documentation (its *References* section), so the number the
code uses and the number the reader sees are one and the same. A value marked
``inference`` is reasoning from the cited facts, not a statement of the source.
Rules, graph facts and drafts read them from here. Facts are from ``shared/reference/domain-facts.md`` (read November 2026).
"""

from __future__ import annotations

from dataclasses import dataclass

from archgen.catalog.protocols import all_protocols
from archgen.catalog.vocabulary import kinds_with


@dataclass(frozen=True)
class Threshold:
    """One named number (or set of words) a rule compares against."""

    name: str
    value: float | int | str | tuple[str, ...]
    meaning: str
    source: str
    inference: bool = False

    @property
    def shown(self) -> str:
        if isinstance(self.value, tuple):
            return ", ".join(self.value)
        if isinstance(self.value, float) and self.value.is_integer():
            return f"{self.value:.1f}"
        return f"{self.value:,}" if isinstance(self.value, int) else str(self.value)


def references(*thresholds: Threshold) -> str:
    """Markdown bullets for a rule's References section."""
    lines = []
    for t in thresholds:
        tag = " [inference]" if t.inference else ""
        lines.append(f"- `{t.name}` = {t.shown}: {t.meaning}. Source: {t.source}{tag}.")
    return "\n".join(lines) + "\n"


# -- data -------------------------------------------------------------------------

SENSITIVE_DATA = Threshold(
    "SENSITIVE_DATA",
    ("pii", "payment", "health", "credentials"),
    "data classes that make a component or flow sensitive (every class of the model format)",
    "MODEL.md, requirements.data; issue 4 (sensitive data: pii, payment, health, credentials)",
)

# -- transport --------------------------------------------------------------------

PLAINTEXT_PROTOCOLS = Threshold(
    "PLAINTEXT_PROTOCOLS",
    tuple(p.key for p in all_protocols() if p.encrypted is False),
    "protocols of the table that are not encrypted in transit (a flow's `protocol`, or the protocol "
    "its label names, e.g. JSON/HTTP is http); a label word such as plaintext says the same",
    "catalog/data/protocols.yaml, each entry with its specification (docs/model.md, Protocols); "
    "Checkov CKV_AWS_2 / CKV2_AWS_20 (ALB listeners must be HTTPS) in domain-facts 3",
)
TLS_PROTOCOLS = Threshold(
    "TLS_PROTOCOLS",
    tuple(p.key for p in all_protocols() if p.encrypted is True),
    "protocols of the table that are always encrypted in transit; the others follow the target's tls",
    "catalog/data/protocols.yaml, each entry with its specification (docs/model.md, Protocols)",
)

# -- authentication ---------------------------------------------------------------

IDENTITY_AUTH = Threshold(
    "IDENTITY_AUTH",
    ("oidc", "token", "iam", "mtls"),
    "flow `auth` values that name who is calling (a token from an identity provider, OpenID Connect, cloud "
    "IAM, a client certificate); `api_key` identifies an application, not a person, and `none` nobody",
    "OWASP Authentication Cheat Sheet, https://cheatsheetseries.owasp.org/cheatsheets/Authentication_Cheat_Sheet.html; "
    "OWASP API Security Top 10 2023 API2 Broken Authentication, https://owasp.org/API-Security/editions/2023/en/0xa2-broken-authentication/",
)

# -- lock-in ----------------------------------------------------------------------

LOCKIN_PORTABILITY = Threshold(
    "LOCKIN_PORTABILITY",
    ("medium", "high"),
    "requirements.portability values at which a proprietary-API service is flagged",
    "issue 4 ('a proprietary-API service where portability is medium or high')",
)
LOCKIN_SCORE_MIN_MEDIUM = Threshold(
    "LOCKIN_SCORE_MIN_MEDIUM",
    67,
    "lowest lock-in score (0-100, the score of the provider comparison) for portability: medium: "
    "2 of 3 portability points on average, i.e. no worse than a portable artifact",
    "domain-facts 4b, suggested archgen portability score (3 / 2 / 1 points by interface class, "
    "minus 1 for a lifecycle or licence risk)",
    inference=True,
)
LOCKIN_SCORE_MIN_HIGH = Threshold(
    "LOCKIN_SCORE_MIN_HIGH",
    83,
    "lowest lock-in score (0-100) for portability: high: 2.5 of 3 points on average, i.e. mostly open standards",
    "domain-facts 4b, suggested archgen portability score",
    inference=True,
)
OPERATIONS_KINDS = Threshold(
    "OPERATIONS_KINDS",
    tuple(sorted(kinds_with("operations"))),
    "kinds left out of lock-in checks: replacing them changes configuration, not application "
    "code or data, so their switching cost is small",
    "Gregor Hohpe, 'Don't get locked up into avoiding lock-in' (martinfowler.com, 2019): weigh "
    "switching cost x likelihood (domain-facts 4b); catalog note on AWS Budgets ('cheap to recreate elsewhere')",
    inference=True,
)

# -- scale-fit --------------------------------------------------------------------

PLATFORM_TEAM_MIN = Threshold(
    "PLATFORM_TEAM_MIN",
    3,
    "engineers running infrastructure (requirements.ops_team) below which a team has no "
    "dedicated platform team to run Kubernetes",
    "hellouchit.com/decisions/compute-platform ('dedicated platform team (3+ engineers)'), domain-facts 2b",
)
KUBERNETES_MIN_SERVICES = Threshold(
    "KUBERNETES_MIN_SERVICES",
    5,
    "independently deployed services below which a workload counts as 'few services'",
    "hellouchit.com/decisions/compute-platform ('the right answer at 5 services is wrong at 50'); AWS decision "
    "guide 'Choosing a modern application strategy' (Kubernetes fits central platform teams serving many "
    "teams), domain-facts 2a/2b",
    inference=True,
)
LOW_TRAFFIC_RPS = Threshold(
    "LOW_TRAFFIC_RPS",
    2500,
    "peak requests per second below which traffic counts as 'low': what one app platform serves with "
    "its default limits (25 instances x 100 concurrent requests at about 1 s per request)",
    "App Runner auto-scaling defaults MaxSize 25, MaxConcurrency 100 (domain-facts 2c)",
    inference=True,
)
MANAGED_PLATFORMS = Threshold(
    "MANAGED_PLATFORMS",
    ("app_platform", "serverless"),
    "catalog platform classes of app platforms: the provider runs ingress, TLS, scaling and the "
    "hosts (App Runner, ECS Express Mode, Elastic Beanstalk, Cloud Run, Container Apps, App Service)",
    "issue 4; catalog field `platform`; ECS Express Mode provisions the ALB, scaling and networking "
    "(AWS docs, domain-facts 0)",
)
