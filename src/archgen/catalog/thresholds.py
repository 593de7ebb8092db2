"""Every number a design-time rule weighs a model against, with where it comes from.

A rule lists the thresholds it uses in ``THRESHOLDS``; :func:`references` renders
them into the rule's documentation (its *References* section), so the number the
code uses and the number the reader sees are one and the same. A value marked
``inference`` is reasoning from the cited facts, not a statement of the source.
Rules, graph facts and drafts read them from here. Every source is a public page, read
in November and December 2026.
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
    "the data classes of archgen's model (requirements.data); what makes them sensitive: personal data, GDPR "
    "Art. 4(1) https://gdpr-info.eu/art-4-gdpr/ and health data Art. 9 https://gdpr-info.eu/art-9-gdpr/; card data, "
    "PCI DSS https://www.pcisecuritystandards.org/standards/pci-dss/; credentials, CWE-522 "
    "https://cwe.mitre.org/data/definitions/522.html",
)

# -- transport --------------------------------------------------------------------


def _protocols(encrypted: bool) -> tuple[str, ...]:
    """The keys of the protocol table whose ``encrypted`` is ``encrypted``, in its order."""
    return tuple(p.key for p in all_protocols() if p.encrypted is encrypted)


#: The source of both protocol thresholds, before the specification each one names.
_PROTOCOL_TABLE = (
    "archgen's protocol table (catalog/data/protocols.yaml in the package), each entry with the specification that "
    "defines it, e.g. "
)

PLAINTEXT_PROTOCOLS = Threshold(
    "PLAINTEXT_PROTOCOLS",
    _protocols(encrypted=False),
    "protocols of the table that are not encrypted in transit (a flow's `protocol`, or the protocol "
    "its label names, e.g. JSON/HTTP is http); a label word such as plaintext says the same",
    _PROTOCOL_TABLE + "RFC 9110 section 4.2 https://www.rfc-editor.org/rfc/rfc9110#section-4.2 (http and https); "
    "Checkov CKV_AWS_2 (ALB listeners use HTTPS) https://www.checkov.io/5.Policy%20Index/terraform.html",
)
TLS_PROTOCOLS = Threshold(
    "TLS_PROTOCOLS",
    _protocols(encrypted=True),
    "protocols of the table that are always encrypted in transit; the others follow the target's tls",
    _PROTOCOL_TABLE + "RFC 8446 (TLS 1.3) https://www.rfc-editor.org/rfc/rfc8446",
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
    "archgen's requirements.portability scale (low, medium, high); weighing switching cost against its "
    "likelihood: Gregor Hohpe, 'Don't get locked up into avoiding lock-in', https://martinfowler.com/articles/oss-lockin.html",
)
LOCKIN_SCORE_MIN_MEDIUM = Threshold(
    "LOCKIN_SCORE_MIN_MEDIUM",
    67,
    "lowest lock-in score (0-100, the score of the provider comparison) for portability: medium: "
    "2 of 3 portability points on average, i.e. no worse than a portable artifact",
    "archgen's portability points (3 open standard, 2 portable artifact, 1 proprietary API, minus 1 for a lifecycle "
    "or licence risk; no published standard exists); interface classes after Gregor Hohpe, 'Don't get locked up "
    "into avoiding lock-in', https://martinfowler.com/articles/oss-lockin.html",
    inference=True,
)
LOCKIN_SCORE_MIN_HIGH = Threshold(
    "LOCKIN_SCORE_MIN_HIGH",
    83,
    "lowest lock-in score (0-100) for portability: high: 2.5 of 3 points on average, i.e. mostly open standards",
    "archgen's portability points (no published standard exists); Gregor Hohpe, 'Don't get locked up into "
    "avoiding lock-in', https://martinfowler.com/articles/oss-lockin.html",
    inference=True,
)
CONFIGURATION_KINDS = Threshold(
    "CONFIGURATION_KINDS",
    tuple(sorted(kinds_with("operations") | kinds_with("shield"))),
    "kinds left out of lock-in checks and of the lock-in score: operations tooling (catalog trait operations) "
    "and web application firewalls (trait shield); replacing them changes configuration (a budget, a log "
    "group, a rule set in front of the load balancer), not application code or data",
    "Gregor Hohpe, 'Don't get locked up into avoiding lock-in' (2019), weigh switching cost x likelihood: "
    "https://martinfowler.com/articles/oss-lockin.html",
    inference=True,
)

# -- scale-fit --------------------------------------------------------------------

PLATFORM_TEAM_MIN = Threshold(
    "PLATFORM_TEAM_MIN",
    3,
    "engineers running infrastructure (requirements.ops_team) below which a team has no "
    "dedicated platform team to run Kubernetes",
    "'dedicated platform team (3+ engineers)': https://hellouchit.com/decisions/compute-platform",
)
KUBERNETES_MIN_SERVICES = Threshold(
    "KUBERNETES_MIN_SERVICES",
    5,
    "independently deployed services below which a workload counts as 'few services'",
    "'the right answer at 5 services is wrong at 50': https://hellouchit.com/decisions/compute-platform; AWS "
    "decision guide 'Choosing a modern application strategy' (Kubernetes fits central platform teams serving "
    "many teams): https://docs.aws.amazon.com/decision-guides/latest/modern-apps-strategy-on-aws-how-to-choose/modern-apps-strategy-on-aws-how-to-choose.html",
    inference=True,
)
LOW_TRAFFIC_RPS = Threshold(
    "LOW_TRAFFIC_RPS",
    2500,
    "peak requests per second below which traffic counts as 'low': what one app platform serves with "
    "its default limits (25 instances x 100 concurrent requests at about 1 s per request)",
    "App Runner auto scaling defaults, MaxConcurrency 100 and MaxSize 25: "
    "https://docs.aws.amazon.com/apprunner/latest/api/API_CreateAutoScalingConfiguration.html",
    inference=True,
)
MANAGED_PLATFORMS = Threshold(
    "MANAGED_PLATFORMS",
    ("app_platform", "serverless"),
    "catalog platform classes of app platforms: the provider runs ingress, TLS, scaling and the "
    "hosts (App Runner, ECS Express Mode, Elastic Beanstalk, Cloud Run, Container Apps, App Service)",
    "the catalog's platform class of each service; ECS Express Mode provisions the load balancer, scaling and "
    "networking: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/express-service-create-full.html; Cloud "
    "Run: https://cloud.google.com/run/docs/overview/what-is-cloud-run",
)
