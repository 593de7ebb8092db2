"""Computing the diff: models matched by name, components by id, flows by (from, to,
label), findings by (rule, component); lock-in and estimates per provider; ADRs.

Component values are compared as the architecture means them (``public`` as the
kind's default when not written, ``service`` as the provider's default when not
named, the Kubernetes one for a placed component, ``zone`` as where it sits), with secret-looking ``env`` values redacted through
:func:`archgen.graph.secretscan.redacted_env` before any value is kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from archgen.findings import Finding
from archgen.generators.diff.records import ADDED, CHANGED, INTRODUCED, REMOVED, RESOLVED, UNCHANGED
from archgen.generators.diff.records import ComponentDiff, DecisionChange, Diff, DriftReport, FieldChange, FindingChange, FlowDiff, ModelDiff, ProviderDelta
from archgen.graph.facts import flow_protocol
from archgen.graph.secretscan import redacted_env

if TYPE_CHECKING:
    from archgen.catalog import Catalog
    from archgen.model import Component, Flow, Model

__all__ = ["diff_models"]

#: Component fields compared one by one, in the order they are reported.
_COMPONENT_FIELDS = (
    "kind", "service", "title", "description", "group", "owner", "public", "encrypted", "tls",
    "high_availability", "data", "secrets", "decisions", "zone", "runs_on", "platform", "protects",
)
#: Component fields that are mappings: compared per key (``env.LOG_LEVEL``).
_COMPONENT_MAPS = ("env", "accept", "sizing")
#: Lists whose order carries no meaning: compared as sets.
_UNORDERED = frozenset({"data", "secrets", "decisions", "protects"})
_MODEL_FIELDS = ("title", "description", "provider", "region", "decisions")
_FLOW_FIELDS = ("protocol", "data", "tls", "auth", "async", "rps")


def diff_models(
    base: Sequence[Model],
    head: Sequence[Model],
    base_decisions: Sequence[Any] | None = None,
    head_decisions: Sequence[Any] | None = None,
    *,
    base_label: str = "base",
    head_label: str = "head",
    catalog: Catalog | None = None,
) -> Diff:
    """The semantic diff from ``base`` to ``head`` (models matched by name).

    ``*_decisions`` are the ADRs of each side (:class:`archgen.decisions.adr.Decision`); the rules
    run on each side with its own ADRs.
    """
    from archgen.catalog import get_catalog

    catalog = catalog or get_catalog()
    before = {m.name: m for m in base}
    after = {m.name: m for m in head}
    models = []
    for name in sorted(set(before) | set(after)):
        models.append(
            _model_diff(
                name,
                before.get(name),
                after.get(name),
                list(base_decisions or ()),
                list(head_decisions or ()),
                catalog,
                base_models=tuple(base),
                head_models=tuple(head),
            )
        )
    return Diff(
        base_label=base_label,
        head_label=head_label,
        models=tuple(models),
        decisions=tuple(_decision_changes(base_decisions or (), head_decisions or ())),
    )


def _model_diff(
    name: str,
    base: Model | None,
    head: Model | None,
    base_adrs: list[Any],
    head_adrs: list[Any],
    catalog: Catalog,
    *,
    base_models: tuple[Model, ...] = (),
    head_models: tuple[Model, ...] = (),
) -> ModelDiff:
    """One model's changes; the rules of each side see every model of that side, as
    ``archgen check`` does (an ADR may name a component of another model)."""
    from archgen.rules import run_rules

    either = head if head is not None else base
    assert either is not None
    comps = _component_diffs(base, head, catalog)
    flows = _flow_diffs(base, head)
    fields = _model_fields(base, head) if base is not None and head is not None else ()
    findings = _finding_changes(
        run_rules(base, base_adrs, models=base_models) if base is not None else [],
        run_rules(head, head_adrs, models=head_models) if head is not None else [],
    )
    if base is None:
        status = ADDED
    elif head is None:
        status = REMOVED
    elif fields or any(c.status != UNCHANGED for c in comps) or any(f.status != UNCHANGED for f in flows):
        status = CHANGED
    else:
        status = UNCHANGED
    return ModelDiff(
        name=name,
        status=status,
        title=either.display_name,
        file_before=base.file if base is not None else None,
        file_after=head.file if head is not None else None,
        provider=either.provider,
        base_provider=base.provider if base is not None else None,
        fields=tuple(fields),
        components=tuple(comps),
        flows=tuple(flows),
        findings=tuple(findings),
        providers=tuple(_provider_deltas(base, head, catalog)),
        base=base,
        head=head,
    )


def _effective(model: Model, comp: Component, catalog: Catalog) -> dict[str, Any]:
    """A component's values as the architecture means them, for comparison."""
    raw = comp.model_dump(mode="json")
    out = {name: raw.get(name) for name in _COMPONENT_FIELDS}
    out["public"] = comp.is_public
    out["zone"] = model.zone_of(comp)  # as the architecture means it: written, its host's, or its kind's
    svc = catalog.resolve_service(model, comp)
    out["service"] = svc.key if svc is not None else comp.service
    for name in _UNORDERED:
        out[name] = sorted(out[name] or [])
    out["accept"] = dict(sorted(comp.accept.items()))
    out["sizing"] = dict(sorted(raw.get("sizing", {}).items()))
    return out


def _values_differ(a: Any, b: Any) -> bool:
    """Equality that keeps ``1`` and ``true`` apart (YAML gives both)."""
    return type(a) is not type(b) or a != b


def _component_changes(base_model: Model, base: Component, head_model: Model, head: Component, catalog: Catalog) -> list[FieldChange]:
    old, new = _effective(base_model, base, catalog), _effective(head_model, head, catalog)
    changes = [FieldChange(n, old[n], new[n]) for n in _COMPONENT_FIELDS if _values_differ(old[n], new[n])]
    for name in _COMPONENT_MAPS:
        if name == "env":
            old_map, new_map = base.env, head.env
            shown_old, shown_new = redacted_env(dict(base.env)), redacted_env(dict(head.env))
        else:
            old_map, new_map = old[name], new[name]
            shown_old, shown_new = old_map, new_map
        for key in sorted(set(old_map) | set(new_map)):
            a, b = old_map.get(key), new_map.get(key)
            if _values_differ(a, b):
                changes.append(FieldChange(f"{name}.{key}", shown_old.get(key), shown_new.get(key)))
    return changes


def _component_diffs(base: Model | None, head: Model | None, catalog: Catalog) -> list[ComponentDiff]:
    old = base.components if base is not None else {}
    new = head.components if head is not None else {}
    out = []
    for cid in [*old, *(c for c in new if c not in old)]:
        if cid not in new:
            c = old[cid]
            out.append(ComponentDiff(cid, REMOVED, c.kind, c.display_name, c.group))
        elif cid not in old:
            c = new[cid]
            out.append(ComponentDiff(cid, ADDED, c.kind, c.display_name, c.group))
        else:
            assert base is not None and head is not None
            c = new[cid]
            changes = _component_changes(base, old[cid], head, c, catalog)
            out.append(ComponentDiff(cid, CHANGED if changes else UNCHANGED, c.kind, c.display_name, c.group, tuple(changes)))
    return out


def _flow_values(flow: Flow) -> dict[str, Any]:
    return {
        "protocol": flow_protocol(flow),  # written, or the one its label names
        "data": sorted(flow.data),
        "tls": flow.tls,
        "auth": flow.auth,
        "async": flow.is_async,
        "rps": flow.rps,
    }


def _flow_diffs(base: Model | None, head: Model | None) -> list[FlowDiff]:
    old = {f.key: f for f in (base.flows if base is not None else [])}
    new = {f.key: f for f in (head.flows if head is not None else [])}
    out = []
    for key in [*old, *(k for k in new if k not in old)]:
        f = new.get(key) or old[key]
        if key not in new:
            out.append(FlowDiff(f.source, f.to, f.label, REMOVED))
        elif key not in old:
            out.append(FlowDiff(f.source, f.to, f.label, ADDED))
        else:
            a, b = _flow_values(old[key]), _flow_values(new[key])
            changes = tuple(FieldChange(n, a[n], b[n]) for n in _FLOW_FIELDS if _values_differ(a[n], b[n]))
            out.append(FlowDiff(f.source, f.to, f.label, CHANGED if changes else UNCHANGED, changes))
    return out


def _model_fields(base: Model, head: Model) -> list[FieldChange]:
    old, new = base.model_dump(mode="json"), head.model_dump(mode="json")
    changes = []
    for name in _MODEL_FIELDS:
        a, b = old.get(name), new.get(name)
        if name == "decisions":
            a, b = sorted(a or []), sorted(b or [])
        if _values_differ(a, b):
            changes.append(FieldChange(name, a, b))
    a_zones, b_zones = old.get("zones") or {}, new.get("zones") or {}
    for zid in sorted(set(a_zones) | set(b_zones)):
        a, b = a_zones.get(zid), b_zones.get(zid)
        if a is None or b is None:
            changes.append(FieldChange(f"zones.{zid}", a, b))
            continue
        for key in sorted(set(a) | set(b)):
            if _values_differ(a.get(key), b.get(key)):
                changes.append(FieldChange(f"zones.{zid}.{key}", a.get(key), b.get(key)))
    for group in ("requirements", "sizing"):
        a_map, b_map = old.get(group) or {}, new.get(group) or {}
        for key in sorted(set(a_map) | set(b_map)):
            a, b = a_map.get(key), b_map.get(key)
            if key == "data":
                a, b = sorted(a or []), sorted(b or [])
            if _values_differ(a, b):
                changes.append(FieldChange(f"{group}.{key}", a, b))
    return changes


def _finding_order(change: FindingChange) -> tuple[Any, ...]:
    order = {INTRODUCED: 0, CHANGED: 1, RESOLVED: 2}
    return (order[change.status], *change.finding.sort_key)


def _finding_changes(before: list[Finding], after: list[Finding]) -> list[FindingChange]:
    """Pair findings by (rule, component); equal messages pair first, then in order."""
    old: dict[tuple[str, str], list[Finding]] = {}
    new: dict[tuple[str, str], list[Finding]] = {}
    for f in sorted(before, key=lambda f: f.sort_key):
        old.setdefault(f.match_key, []).append(f)
    for f in sorted(after, key=lambda f: f.sort_key):
        new.setdefault(f.match_key, []).append(f)
    out: list[FindingChange] = []
    for key in sorted(set(old) | set(new)):
        olds, news = list(old.get(key, [])), list(new.get(key, []))
        pairs: list[tuple[Finding, Finding]] = []
        for f in list(news):
            same = next((g for g in olds if g.message == f.message), None)
            if same is not None:
                olds.remove(same)
                news.remove(f)
                pairs.append((same, f))
        while olds and news:
            pairs.append((olds.pop(0), news.pop(0)))
        out += [FindingChange(INTRODUCED, None, f) for f in news]
        out += [FindingChange(RESOLVED, f, None) for f in olds]
        out += [
            FindingChange(CHANGED, a, b) for a, b in pairs if a.severity != b.severity or a.accepted != b.accepted
        ]
    return sorted(out, key=_finding_order)


def drift_report(base: Sequence[tuple[Model, list[Finding]]], head: Sequence[tuple[Model, list[Finding]]], inputs: Sequence[str]) -> DriftReport:
    """The drift of the head models against ``inputs`` (plans, states) next to the base
    models' drift against the same files (``archgen verify``'s findings of each side): a
    finding is the same when model, rule, component, resource and message are."""

    def keyed(results: Sequence[tuple[Model, list[Finding]]]) -> dict[tuple[str, ...], Finding]:
        return {(m.name, f.rule, f.component or "", str(f.extra.get("address", "")), f.message): f for m, fs in results for f in fs}

    before, after = keyed(base), keyed(head)
    order = {INTRODUCED: 0, UNCHANGED: 1, RESOLVED: 2}
    changes = []
    for key in set(before) | set(after):
        was, now = before.get(key), after.get(key)
        status = INTRODUCED if was is None else RESOLVED if now is None else UNCHANGED
        changes.append((key[0], FindingChange(status, was, now)))
    changes.sort(key=lambda mc: (order[mc[1].status], mc[0], *mc[1].finding.sort_key, str(mc[1].finding.extra.get("address", ""))))
    return DriftReport(tuple(inputs), tuple(changes))


def _provider_deltas(base: Model | None, head: Model | None, catalog: Catalog) -> list[ProviderDelta]:
    from archgen.catalog import PROVIDERS
    from archgen.generators.compare import compare

    old = compare(base, catalog) if base is not None else None
    new = compare(head, catalog) if head is not None else None
    own = (head or base).provider  # type: ignore[union-attr]
    out = []
    for p in PROVIDERS:
        a = old.providers[p] if old is not None else None
        b = new.providers[p] if new is not None else None
        out.append(
            ProviderDelta(
                provider=p,
                name=catalog.provider_name(p),
                chosen=p == own,
                lockin_before=a.lockin_score if a else None,
                lockin_after=b.lockin_score if b else None,
                usd_before=_priced_total(a),
                usd_after=_priced_total(b),
                complete_before=a.estimate.complete if a else True,
                complete_after=b.estimate.complete if b else True,
                **_left_out(a, b),
            )
        )
    return out


def _left_out(a: Any, b: Any) -> dict[str, Any]:
    """What lost its price between the two sides, and what it cost before."""
    before = a.estimate.unpriced if a else ()
    after = b.estimate.unpriced if b else ()
    newly = tuple(cid for cid in after if a is not None and a.estimate.line(cid) is not None and cid not in before)
    left = round(sum(a.estimate.line(cid).usd or 0.0 for cid in newly), 2) if a is not None else 0.0
    return {"unpriced_before": tuple(before), "unpriced_after": tuple(after), "newly_unpriced": newly, "left_out_usd": left}


def _priced_total(summary: Any) -> float | None:
    """The estimate's total, or None when nothing on that provider has a price."""
    if summary is None or not any(ln.usd is not None for ln in summary.estimate.lines):
        return None
    return summary.estimate.total


def _decision_changes(base: Iterable[Any], head: Iterable[Any]) -> list[DecisionChange]:
    old: dict[str, Any] = {}
    new: dict[str, Any] = {}
    for d in sorted(base, key=lambda d: d.sort_key()):
        old.setdefault(d.id, d)
    for d in sorted(head, key=lambda d: d.sort_key()):
        new.setdefault(d.id, d)
    out = []
    for adr in sorted(set(old) | set(new)):
        a, b = old.get(adr), new.get(adr)
        if a is None:
            out.append(DecisionChange(adr, b.title, ADDED, None, b.status, b.path))
        elif b is None:
            out.append(DecisionChange(adr, a.title, REMOVED, a.status, None, a.path))
        elif a.status != b.status:
            out.append(DecisionChange(adr, b.title, CHANGED, a.status, b.status, b.path))
    return out
