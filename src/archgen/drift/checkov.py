"""Checkov's failures on the Terraform, tied to components and to the archgen rules they
confirm. Each design-time rule names the Checkov checks that find the same weakness in
Terraform (``Rule.checkov``: CKV_AWS_17 for SEC-PUBLIC-DATASTORE...). A failure belongs to
a component by the resource's tag (Checkov reports ``entity_tags``), by the address the
plan maps, or by the component's ``terraform:`` list. When the design-time rule already
reports the component, the two are one finding (the design's message, confirmed by
Checkov); when it does not, the Terraform has a weakness the model hides, reported under
the rule it confirms."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from archgen.findings import Finding
    from archgen.infra import Infra
    from archgen.model import Model

__all__ = ["confirmations", "failed_checks"]


def failed_checks(report: Any) -> list[dict[str, Any]]:
    """The failed checks of Checkov's JSON report (one framework's object, or a list of them)."""
    reports = report if isinstance(report, list) else [report]
    out = []
    for r in reports:
        if isinstance(r, dict):
            out += [c for c in ((r.get("results") or {}).get("failed_checks") or []) if isinstance(c, dict)]
    return sorted(out, key=lambda c: (str(c.get("check_id")), str(c.get("resource")), str(c.get("file_path"))))


def confirmations(model: Model, report: Any, infra: Infra | None, provider: str, models: list[Model]) -> list[Finding]:
    from dataclasses import replace

    from archgen.drift.mapping import map_resources
    from archgen.findings import Finding
    from archgen.generators.terraform import intent
    from archgen.rules import all_rules, run_rules

    rules = {ck: rule for rule in all_rules() for ck in rule.checkov}
    facts = intent(model, provider)
    mapping = map_resources(model, infra, facts) if infra is not None else None
    listed = sorted(((e, cid) for cid, c in model.components.items() for e in c.terraform), key=lambda e: -len(e[0]))
    grouped: dict[tuple[str, str], list[str]] = {}
    for check in failed_checks(report):
        rule = rules.get(str(check.get("check_id")))
        if rule is None:
            continue
        address = str(check.get("resource", ""))
        tags = check.get("entity_tags") or {}
        cid = tags.get(facts.component_tag) if isinstance(tags, dict) else None
        if cid not in model.components and mapping is not None:
            cid = mapping.component_of(address)
        if cid not in model.components:
            cid = next((c for e, c in listed if address == e or address.startswith((e + ".", e + "["))), None)
        if cid not in model.components:
            continue
        where = f"{check.get('file_path', '')}:{(check.get('file_line_range') or [0])[0]}".lstrip("/")
        grouped.setdefault((rule.id, cid), []).append(f"{check['check_id']} on {address} ({where})")
    design = {(f.rule, f.component): f for f in run_rules(model, models=models)}
    out: list[Finding] = []
    for (rule_id, cid), seen in sorted(grouped.items()):
        said = "; ".join(dict.fromkeys(seen))
        found = design.get((rule_id, cid))
        if found is not None:
            out.append(replace(found, message=f"{found.message}; Checkov confirms it in the Terraform: {said}", extra={**found.extra, "checkov": seen}))
            continue
        rule = next(r for r in all_rules() if r.id == rule_id)
        comp = model.components[cid]
        out.append(Finding(
            rule=rule_id, category=rule.category, severity=rule.severity,
            message=f"Checkov finds in the Terraform what {rule_id} ({rule.title.lower()}) warns about, though the model does not say so: {said}",
            remediation=rule.remediation, file=model.file, line=comp.loc.line, column=comp.loc.column, component=cid,
            accepted=rule_id in comp.accept, reason=comp.accept.get(rule_id), extra={"checkov": seen},
        ))
    return out
