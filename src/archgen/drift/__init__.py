"""``archgen verify``: the model held against what Terraform builds (a plan or a state).

The drift rules are :class:`archgen.rules.Rule` records of category ``drift``, kept in
their own explicit registry (they read a :class:`DriftContext`, which has the
infrastructure, not only the model). Their ids and metadata are in ``data/rules.yaml``,
each id's module named after it without ``DRIFT-`` (``DRIFT-MISSING``: ``missing.py``); ``archgen
rules --explain DRIFT-...`` and the rule pages render from each module's docstring, as for
the design-time rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from archgen.rules._registry import Registry

if TYPE_CHECKING:
    from archgen.findings import Finding
    from archgen.infra import Infra
    from archgen.model import Model
    from archgen.rules import Rule

REGISTRY = Registry(__name__, prefix="DRIFT-")

__all__ = ["REGISTRY", "all_drift_rules", "infra_provider", "run_drift", "verify"]


def all_drift_rules() -> tuple[Rule, ...]:
    """Every drift rule, sorted by id; raises if a module's id disagrees."""
    return REGISTRY.rules


def infra_provider(infra: Infra, default: str) -> str:
    """The catalog provider most of the resources belong to (``hashicorp/aws`` -> aws)."""
    from collections import Counter

    from archgen.catalog import get_catalog

    catalog = get_catalog()
    by_source = {info.terraform_provider.rsplit("/", 1)[-1]: key for key, info in catalog.providers.items()}
    counts = Counter(by_source[r.provider] for r in infra.resources if r.provider in by_source)
    if not counts:
        return default
    top = max(counts.values())
    return default if counts.get(default) == top else sorted(p for p, n in counts.items() if n == top)[0]


def run_drift(model: Model, infra: Infra, provider: str | None = None) -> list[Finding]:
    """The drift findings of one model against the infrastructure, sorted, accepted ones marked."""
    from archgen.drift._context import DriftContext
    from archgen.rules import _finding

    ctx = DriftContext(model, infra, provider or infra_provider(infra, model.provider))
    found = []
    for rule in all_drift_rules():
        for hit in rule.check(ctx):
            found.append(_finding(rule, hit, model))
    return sorted(set(found), key=lambda f: f.sort_key)


def verify(models: list[Model], infra: Infra | None, checkov: dict | list | None = None, provider: str | None = None) -> list[tuple[Model, list[Finding]]]:
    """Each model's drift findings against ``infra``, and (given Checkov's JSON report) the
    design-time findings that Checkov confirms on the Terraform, one line each."""
    from archgen.infra import Infra as _Infra

    out = []
    for model in models:
        found = run_drift(model, infra if infra is not None else _Infra(()), provider) if infra is not None else []
        if checkov is not None:
            from archgen.drift.checkov import confirmations

            found = sorted({*found, *confirmations(model, checkov, infra, provider or (infra_provider(infra, model.provider) if infra else model.provider), models)}, key=lambda f: f.sort_key)
        out.append((model, found))
    return out
