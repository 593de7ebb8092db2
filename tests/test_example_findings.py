"""The example's findings are what the README says they are.

``archgen check`` on the repository itself (``arch/ml-serving.yaml`` with the ADRs
of ``decisions/``) reports two warnings that are real to-dos before launch and
three findings accepted on purpose, each with its reason; it passes with the
default ``--fail-on error`` and fails with ``--fail-on warning``.
"""

from __future__ import annotations

import json
import re

import pytest

from conftest import EXAMPLE, ROOT

#: (rule, component or None, accepted)
EXPECTED = {
    # ADR-0004 (the security review) is still proposed: review before launch
    ("SEC-NO-SECURITY-REVIEW", None, False),
    # the public ALB leads to PII and no WAF is recorded for it
    ("SEC-NO-WAF", "lb", False),
    # TLS ends at the ALB; ALB -> tasks is http inside private subnets
    ("SEC-DATA-NO-TLS", "api", True),
    # SageMaker is a proprietary API and portability is medium: ADR-0003 accepts it
    ("LOCKIN-SERVICE", "model", True),
    # Secrets Manager is proprietary, but ECS injects the values: no SDK in the app
    ("LOCKIN-SERVICE", "vault", True),
}
README_SECTION = re.compile(r"^#+ .*What `archgen check` says about the example.*$", re.M)


def _findings(run_cli, *args: str) -> tuple[int, list[dict]]:
    proc = run_cli("check", "--format", "json", *args, cwd=ROOT)
    assert proc.returncode in (0, 1), proc.stderr
    (model,) = json.loads(proc.stdout)["models"]
    return proc.returncode, model["findings"]


def test_example_findings(run_cli) -> None:
    code, findings = _findings(run_cli)
    got = {(f["rule"], f.get("component"), f["accepted"]) for f in findings}
    assert got == EXPECTED
    assert code == 0, "no unaccepted error: the example passes the default check"
    for f in findings:
        if f["accepted"]:
            assert f["reason"].strip()
        assert f["help"] == f"rules/{f['rule']}/"


def test_example_fails_on_warnings(run_cli) -> None:
    code, _ = _findings(run_cli, "--fail-on", "warning")
    assert code == 1


def test_what_does_not_fire_and_why() -> None:
    """The README explains the rules that stay quiet with these figures."""
    from archgen.generators.cost import estimate
    from archgen.sources.loader import load_model
    from archgen.rules import RuleContext
    from archgen.catalog.thresholds import LOCKIN_SCORE_MIN_MEDIUM
    from archgen.rules.lockin_score import lock_in_score

    model = load_model(EXAMPLE)
    score, _ = lock_in_score(RuleContext(model))
    assert model.requirements.portability == "medium"
    assert score == 74 >= LOCKIN_SCORE_MIN_MEDIUM.value  # LOCKIN-SCORE quiet: 74/100, above 67 for medium
    assert estimate(model).total < model.requirements.monthly_budget_usd  # COST-OVER-BUDGET quiet
    assert model.components["api"].service == "ecs_fargate"  # not Kubernetes, not an app platform: no SCALE-*


def test_readme_names_exactly_these_findings() -> None:
    """When the README carries the example's findings section, it names exactly these rules."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = README_SECTION.search(readme)
    if match is None:
        pytest.skip("the README's section on the example's findings has not landed yet")
    section = readme[match.end() :]
    nxt = re.search(r"^#+ ", section, re.M)
    section = section[: nxt.start()] if nxt else section
    named = set(re.findall(r"\b(?:SEC|LOCKIN|SCALE|COST|REL|MODEL)-[A-Z0-9-]*[A-Z0-9]\b", section))
    firing = {rule for rule, _, _ in EXPECTED}
    assert firing <= named, f"README does not mention {sorted(firing - named)}"
