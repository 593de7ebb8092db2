"""An insecure model written the way a new user writes it is caught on every count.

``tests/fixtures/insecure/arch/shop.yaml`` is an online shop with a public,
unencrypted database of card and personal data, passwords in ``env``, plain HTTP
from customers, a public invoice bucket, Kubernetes for two services and no ops
team, App Runner (closed to new customers), no budget, no HA and no WAF. The
check runs as a whole process in the fixture's folder (no ADRs there).
"""

from __future__ import annotations

import json
from pathlib import Path

FIXTURE = Path(__file__).parent / "fixtures" / "insecure"
MODEL = FIXTURE / "arch" / "shop.yaml"

#: Every count, by the issue's list: (rule, component or None for the whole model).
EXPECTED = {
    # security: what exposes or leaks data today (errors)
    ("SEC-PUBLIC-DATASTORE", "db"),  # public: true "so I can connect from my laptop"
    ("SEC-PUBLIC-DATASTORE", "invoices"),  # public bucket holding PII
    ("SEC-DATASTORE-BYPASS", "cart"),  # API gateway writes straight into DynamoDB
    ("SEC-UNENCRYPTED-DATA", "db"),  # encrypted: false with pii and payment
    ("SEC-SECRET-IN-ENV", "api"),  # DB_PASSWORD and STRIPE_KEY values in env
    ("SEC-ZONE-NO-TLS", "api"),  # pii/payment from customers (the internet) over http
    ("SEC-PUBLIC-NO-TLS", "api"),
    ("SEC-PUBLIC-NO-TLS", "site"),
    # security: advice (warnings)
    ("SEC-PUBLIC-BUCKET", "site"),  # S3 website hosting instead of a CDN with origin access
    ("SEC-NO-SECRETS-STORE", "api"),  # JWT_SIGNING_KEY named, no secrets component
    ("SEC-NO-SECURITY-REVIEW", None),  # pii and payment, no security-review ADR
    ("SEC-NO-WAF", "api"),
    ("SEC-NO-WAF", "gateway"),
    # lock-in and lifecycle
    ("LOCKIN-SERVICE", "cart"),  # DynamoDB with portability: high
    ("LOCKIN-SERVICE", "orders"),  # SQS with portability: high
    ("LOCKIN-SCORE", None),
    ("LOCKIN-LIFECYCLE", "worker"),  # App Runner, closed to new customers 2026-04-30
    # scale-fit
    ("SCALE-KUBERNETES-SMALL", "api"),  # EKS for 2 services, 30 rps, no ops team
    ("SCALE-APP-PLATFORM-LIMITS", "worker"),  # app platform with portability: high
    # reliability
    ("REL-NO-HA", "db"),
    ("REL-NO-HA", "cache"),
    # cart (DynamoDB) and orders (SQS) are multi-zone by design: no REL-NO-HA
    ("REL-NO-EDGE", "api"),  # public EKS service, no load balancer
    # cost
    ("COST-NO-BUDGET", None),
    ("COST-OVER-BUDGET", None),  # EKS control plane alone is above the $50 budget
}
SECRET_VALUES = ("Tr0ub4dor&3-fake", "sk_live_4eC39HqLyjWDarjtT1zdp7dc")


def test_insecure_model_is_caught_on_every_count(run_cli) -> None:
    proc = run_cli("check", "--format", "json", "arch/shop.yaml", cwd=FIXTURE)
    assert proc.returncode == 1, proc.stderr
    (model,) = json.loads(proc.stdout)["models"]
    got = {(f["rule"], f.get("component")) for f in model["findings"]}
    assert got == EXPECTED, f"missing: {sorted(EXPECTED - got, key=str)}; unexpected: {sorted(got - EXPECTED, key=str)}"
    errors = {(f["rule"], f.get("component")) for f in model["findings"] if f["severity"] == "error"}
    assert errors == {pair for pair in EXPECTED if pair[0] in {
        "SEC-PUBLIC-DATASTORE", "SEC-DATASTORE-BYPASS", "SEC-UNENCRYPTED-DATA", "SEC-SECRET-IN-ENV",
        "SEC-ZONE-NO-TLS", "SEC-PUBLIC-NO-TLS",
    }}


def test_every_category_is_represented() -> None:
    from archgen.rules import get_rule

    categories = {get_rule(rule).category for rule, _ in EXPECTED}
    assert categories >= {"security", "lock-in", "scale", "cost", "reliability"}


def test_secret_values_are_never_echoed(run_cli) -> None:
    for fmt in ("text", "json", "sarif"):
        proc = run_cli("check", "--format", fmt, "arch/shop.yaml", cwd=FIXTURE)
        assert proc.returncode == 1
        for value in SECRET_VALUES:
            assert value not in proc.stdout and value not in proc.stderr, f"{fmt} echoes a secret value"


def test_accepting_every_finding_makes_the_check_pass(run_cli, tmp_path: Path) -> None:
    """Accepting is per component and needs a reason; whole-model findings are fixed, not accepted."""
    import yaml

    data = yaml.safe_load(MODEL.read_text(encoding="utf-8"))
    for rule, component in EXPECTED:
        if component is not None:
            data["components"][component].setdefault("accept", {})[rule] = "accepted for this test"
    (tmp_path / "arch").mkdir()
    (tmp_path / "arch" / "shop.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    proc = run_cli("check", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr  # only warnings are left unaccepted
    findings = json.loads(proc.stdout)["models"][0]["findings"]
    assert all(f["accepted"] for f in findings if f["severity"] == "error")
    assert {f["rule"] for f in findings if not f["accepted"]} <= {r for r, c in EXPECTED if c is None}
