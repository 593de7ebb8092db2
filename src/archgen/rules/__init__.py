"""The rule registry: a plain, explicit list of rule modules, and the engine that runs them.

To add a rule: write one module with its page (the docstring), its ``check`` and
``RULE = declare(__name__, check)``, give its metadata in ``data/rules.yaml``, add a
fixture pair under ``tests/rules/<RULE-ID>/``, then list the module below. No import
side effects, no globbing: duplicate ids fail loudly.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from archgen.rules._base import Hit, Rule, RuleContext
from archgen.rules._registry import Registry, declare

if TYPE_CHECKING:
    from archgen.findings import Finding
    from archgen.model import Model

#: Every rule module, by id. Keep sorted by id.
RULE_MODULES: dict[str, str] = {
    "COST-NO-BUDGET": "archgen.rules.cost_no_budget",
    "COST-OVER-BUDGET": "archgen.rules.cost_over_budget",
    "LOCKIN-LIFECYCLE": "archgen.rules.lockin_lifecycle",
    "LOCKIN-SCORE": "archgen.rules.lockin_score",
    "LOCKIN-SERVICE": "archgen.rules.lockin_service",
    "MODEL-ACCEPT-UNUSED": "archgen.rules.model_accept_unused",
    "MODEL-ADR-COMPONENT": "archgen.rules.model_adr_component",
    "MODEL-ADR-DUPLICATE": "archgen.rules.model_adr_duplicate",
    "MODEL-ADR-MISSING": "archgen.rules.model_adr_missing",
    "MODEL-ADR-STALE": "archgen.rules.model_adr_stale",
    "MODEL-ADR-STATUS": "archgen.rules.model_adr_status",
    "MODEL-ADR-SUCCESSOR": "archgen.rules.model_adr_successor",
    "MODEL-DATA-UNDECLARED": "archgen.rules.model_data_undeclared",
    "MODEL-FLOW-INTO-ACTOR": "archgen.rules.model_flow_into_actor",
    "MODEL-ORPHAN": "archgen.rules.model_orphan",
    "REL-NO-EDGE": "archgen.rules.rel_no_edge",
    "REL-NO-HA": "archgen.rules.rel_no_ha",
    "SCALE-APP-PLATFORM-LIMITS": "archgen.rules.scale_app_platform_limits",
    "SCALE-KUBERNETES-SMALL": "archgen.rules.scale_kubernetes_small",
    "SEC-CLIENT-NO-IDENTITY": "archgen.rules.sec_client_no_identity",
    "SEC-CLUSTER-NO-NETPOL": "archgen.rules.sec_cluster_no_netpol",
    "SEC-CONSOLE-NO-IDENTITY": "archgen.rules.sec_console_no_identity",
    "SEC-DATA-NO-TLS": "archgen.rules.sec_data_no_tls",
    "SEC-DATASTORE-BYPASS": "archgen.rules.sec_datastore_bypass",
    "SEC-NO-SECRETS-STORE": "archgen.rules.sec_no_secrets_store",
    "SEC-NO-SECURITY-REVIEW": "archgen.rules.sec_no_security_review",
    "SEC-NO-WAF": "archgen.rules.sec_no_waf",
    "SEC-PUBLIC-BUCKET": "archgen.rules.sec_public_bucket",
    "SEC-PUBLIC-DATASTORE": "archgen.rules.sec_public_datastore",
    "SEC-PUBLIC-NO-AUTH": "archgen.rules.sec_public_no_auth",
    "SEC-PUBLIC-NO-TLS": "archgen.rules.sec_public_no_tls",
    "SEC-SECRET-IN-ENV": "archgen.rules.sec_secret_in_env",
    "SEC-UNENCRYPTED-DATA": "archgen.rules.sec_unencrypted_data",
    "SEC-ZONE-NO-TLS": "archgen.rules.sec_zone_no_tls",
}

#: The modules and their metadata (``data/rules.yaml``): what ``declare`` reads.
REGISTRY = Registry(__name__, RULE_MODULES)

__all__ = ["Hit", "Rule", "RuleContext", "all_rules", "declare", "get_rule", "rule_ids", "run_rules"]


def all_rules() -> tuple[Rule, ...]:
    """Every registered rule, sorted by id; raises if a module's id disagrees."""
    return REGISTRY.rules


def rule_ids() -> frozenset[str]:
    return frozenset(RULE_MODULES)


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
