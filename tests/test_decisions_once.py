"""One finding per decision: a platform choice is judged once, drafted once, recorded once.

A cluster (drawn, or the implicit one that components naming ``service: eks`` share)
and the services on one app platform are each one choice: one finding on the cluster
or on the first member by id, naming all; one decision draft for it, which picks what
the finding suggests; an accepted ADR tagged ``platform`` on one of the members accepts
the finding; a draft an ADR records is shown as adopted. Models are read by the real
loader, ADRs by the real parser.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT

from archgen.decisions.adr import parse_decision
from archgen.generators.drafts import make_drafts, render
from archgen.rules import run_rules
from archgen.sources.loader import load_model, parse_model

ELEVEN = "\n".join(
    [
        "archgen: 1",
        "name: shop",
        "provider: aws",
        "requirements: {peak_rps: 60, ops_team: 0, kubernetes_experience: false}",
        "components:",
        "  users: {kind: actor}",
        "  lb: {kind: load_balancer, public: true}",
        *[f"  svc-{i:02d}: {{kind: container_service, service: eks}}" for i in range(11)],
        "flows:",
        "  - users -> lb: https",
        *[f"  - lb -> svc-{i:02d}: https" for i in range(11)],
    ]
) + "\n"

MEMBERS = [f"svc-{i:02d}" for i in range(11)]


def _adr(number: int, status: str, components: list[str], tags: list[str], title: str):
    text = (
        f"---\nstatus: {status}\ndate: 2026-11-20\ncomponents: [{', '.join(components)}]\n"
        f"tags: [{', '.join(tags)}]\n---\n# {title}\n"
    )
    return parse_decision(text, f"decisions/{number:04d}-x.md")


def _scale(findings, rule="SCALE-KUBERNETES-SMALL"):
    return [f for f in findings if f.rule == rule]


def test_eleven_services_on_eks_are_one_finding_and_one_draft():
    model = parse_model(ELEVEN, "arch/shop.yaml")
    findings = run_rules(model)
    (finding,) = _scale(findings)
    assert finding.component == "svc-00"
    assert all(repr(m) in finding.message for m in MEMBERS) and "one shared cluster" in finding.message
    assert finding.extra["members"] == MEMBERS
    platform = [d for d in make_drafts(model, findings) if d.topic == "container-platform"]
    assert [d.name for d in platform] == ["svc-00-container-platform"]
    (draft,) = platform
    assert draft.components == MEMBERS
    assert draft.chosen == finding.extra["suggested"] == "ecs_express"
    assert "SCALE-KUBERNETES-SMALL" in draft.rules


def test_an_accepted_platform_adr_on_one_member_accepts_the_choice():
    model = parse_model(ELEVEN, "arch/shop.yaml")
    adr = _adr(7, "accepted", ["svc-04"], ["platform"], "Build a platform team on EKS")
    (finding,) = _scale(run_rules(model, [adr]))
    assert finding.accepted and finding.reason.startswith("ADR-0007 (accepted) records this platform choice")
    # proposed is not a decision yet; an ADR without the platform tag is about something else
    for other in (_adr(7, "proposed", ["svc-04"], ["platform"], "t"), _adr(7, "accepted", ["svc-04"], ["lock-in"], "t")):
        (finding,) = _scale(run_rules(model, [other]))
        assert not finding.accepted


def test_accept_on_any_member_accepts_the_one_finding_and_is_not_unused():
    text = ELEVEN.replace(
        "  svc-03: {kind: container_service, service: eks}",
        "  svc-03: {kind: container_service, service: eks, accept: {SCALE-KUBERNETES-SMALL: 'the platform team starts in Q1'}}",
    )
    findings = run_rules(parse_model(text, "arch/shop.yaml"))
    (finding,) = _scale(findings)
    assert finding.accepted and finding.reason == "the platform team starts in Q1"
    assert not [f for f in findings if f.rule == "MODEL-ACCEPT-UNUSED"]


def test_a_drawn_cluster_is_judged_on_the_cluster_and_drafted_with_its_guests():
    model = load_model(ROOT / "tests" / "rules" / "SCALE-KUBERNETES-SMALL" / "fail-cluster.yaml")
    findings = run_rules(model)
    (finding,) = _scale(findings)
    assert finding.component == "platform" and "hosts 3 components" in finding.message
    (draft,) = [d for d in make_drafts(model, findings) if d.topic == "container-platform"]
    assert draft.name == "platform-container-platform"
    assert draft.components == ["platform", "cart", "catalog", "checkout"]
    assert (draft.current, draft.chosen) == ("eks", finding.extra["suggested"])
    options = {o.key for o in draft.options}
    assert "eks" in options and "ecs_fargate" in options  # the cluster against the provider's container platforms
    assert "removing the cluster `platform`" in draft.body and "`cart` to Amazon ElastiCache" in draft.body


def test_app_platform_limits_are_one_finding_for_the_services_on_one_platform():
    model = load_model(ROOT / "tests" / "rules" / "SCALE-APP-PLATFORM-LIMITS" / "fail-group.yaml")
    findings = run_rules(model)
    (finding,) = _scale(findings, "SCALE-APP-PLATFORM-LIMITS")
    assert finding.component == "orders" and "'payments'" in finding.message and "'search'" in finding.message
    (draft,) = [d for d in make_drafts(model, findings) if d.topic == "container-platform"]
    assert draft.components == ["orders", "payments", "search"] and draft.chosen == finding.extra["suggested"]


def _models() -> list[Path]:
    paths = sorted((ROOT / "tests" / "rules").glob("*/*.yaml")) + sorted((ROOT / "arch").glob("*.yaml"))
    paths += sorted((ROOT / "examples").glob("*/arch/*.yaml")) if (ROOT / "examples").is_dir() else []
    return paths


@pytest.mark.parametrize("path", _models(), ids=lambda p: str(p.relative_to(ROOT)))
def test_a_draft_never_disagrees_with_its_finding(path: Path):
    """Where a scale finding names a platform that fits, the draft for that choice picks it."""
    model = load_model(path)
    findings = run_rules(model)
    drafts = {d.components[0]: d for d in make_drafts(model, findings) if d.topic == "container-platform"}
    for f in findings:
        suggested = f.extra.get("suggested") if f.category == "scale" else None
        if suggested:
            assert f.component in drafts, f"{f.rule} on {f.component}: no draft for the choice"
            assert drafts[f.component].chosen == suggested, (f.rule, f.component, drafts[f.component].chosen)


def test_the_gke_team_without_experience_gets_cloud_run_in_both():
    model = load_model(ROOT / "tests" / "rules" / "SCALE-KUBERNETES-SMALL" / "fail-gke-team.yaml")
    findings = run_rules(model)
    (finding,) = _scale(findings)
    (draft,) = [d for d in make_drafts(model, findings) if d.topic == "container-platform"]
    assert finding.extra["suggested"] == draft.chosen == "cloud_run"
    assert "Cloud Run" in draft.title


def test_an_adopted_draft_is_shown_as_adopted():
    model = parse_model(ELEVEN, "arch/shop.yaml")
    findings = run_rules(model)
    fresh = {d.name: d for d in make_drafts(model, findings)}["svc-00-container-platform"]
    assert not fresh.adopted and "--from-draft svc-00-container-platform" in render(fresh)
    for status in ("proposed", "accepted"):
        adr = _adr(9, status, ["svc-10"], ["platform"], "Where the shop runs")
        draft = {d.name: d for d in make_drafts(model, findings, [adr])}["svc-00-container-platform"]
        assert (draft.adopted_by, draft.adopted_status) == ("ADR-0009", status)
        page = render(draft)
        assert "**Adopted.** ADR-0009" in page and "--from-draft" not in page
    rejected = _adr(9, "rejected", ["svc-10"], ["platform"], "Where the shop runs")
    assert not {d.name: d for d in make_drafts(model, findings, [rejected])}["svc-00-container-platform"].adopted
