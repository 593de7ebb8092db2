"""The rule registry: a plain, explicit list of rule ids (``data/rules.yaml``), and the engine that runs them.

To add a rule: write one module named after its id (``SEC-NO-WAF``: ``sec_no_waf.py``)
with its page (the docstring), its ``check`` and ``RULE = declare(__name__, check)``,
give its metadata under its id in ``data/rules.yaml`` (sorted by id: that entry registers
it), and add a fixture pair under ``tests/rules/<RULE-ID>/``. No import side effects, no
globbing: an id twice, ids out of order, an id with no module and a module with no entry
fail loudly.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from archgen.rules._base import Hit, Rule, RuleContext
from archgen.rules._registry import Registry, declare

if TYPE_CHECKING:
    from archgen.findings import Finding
    from archgen.model import Model

REGISTRY = Registry(__name__)

__all__ = ["Hit", "Rule", "RuleContext", "all_rules", "declare", "get_rule", "rule_ids", "run_rules"]


def all_rules() -> tuple[Rule, ...]:
    """Every registered rule, sorted by id; raises if a module's id disagrees."""
    return REGISTRY.rules


def rule_ids() -> frozenset[str]:
    return frozenset(REGISTRY.modules)


def get_rule(rule_id: str) -> Rule:
    for rule in all_rules():
        if rule.id == rule_id:
            return rule
    raise KeyError(rule_id)


def run_rules(
    model: Model,
    decisions: list[Any] | None = None,
    rules: tuple[Rule, ...] | None = None,
    models: Iterable[Model] | None = None,
) -> list[Finding]:
    """Run the rules on one model; findings sorted, accepted ones marked.

    ``models`` are all the models of the repository (default: this one), so that an ADR
    naming a component of another model is not an error against this one.
    """
    ctx = RuleContext(model, decisions, models)
    chosen = all_rules() if rules is None else rules
    for rule in [r for r in chosen if not r.after_others] + [r for r in chosen if r.after_others]:
        for hit in rule.check(ctx):
            ctx.findings.append(_finding(rule, hit, model))
    return sorted(set(ctx.findings), key=lambda f: f.sort_key)


def _finding(rule: Rule, hit: Hit, model: Model) -> Finding:
    from archgen.findings import Finding

    comp = model.components.get(hit.component) if hit.component else None
    if comp is not None:
        loc = comp.loc_of(hit.field) if hit.field else comp.loc
    else:
        loc = model.loc_of(hit.field) if hit.field else model.loc
    file = model.file
    if hit.location is not None:  # a finding about another file, e.g. an ADR
        loc, file = hit.location, hit.location.file
    reason = comp.accept.get(rule.id) if comp is not None else None
    if reason is None and comp is not None:  # a finding about several components: any of them may accept it
        reason = next((model.components[m].accept[rule.id] for m in hit.extra.get("members", ()) if rule.id in model.components[m].accept), None)
    if reason is None:
        reason = hit.accepted_by
    accepted = reason is not None and rule.id != "MODEL-ACCEPT-UNUSED"
    return Finding(
        rule=rule.id,
        category=rule.category,
        severity=hit.severity or rule.severity,
        message=hit.message,
        remediation=rule.remediation,
        file=file,
        line=loc.line,
        column=loc.column,
        component=hit.component,
        accepted=accepted,
        reason=reason if accepted else None,
        extra=hit.extra,
    )
