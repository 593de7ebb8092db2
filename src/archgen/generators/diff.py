"""What a change does to the architecture: the semantic diff of two versions of the models.

:func:`diff_models` compares a *base* and a *head* list of models (and their ADRs) and
returns a :class:`Diff`, plain data:

- models are matched by ``name``; components by id, compared field by field on their
  *effective* values (``public`` as the kind's default when not written, ``service`` as
  the provider's default when not named), with secret-looking ``env`` values redacted
  through :func:`archgen.graph.secretscan.redacted_env` before any value is kept;
- flows are matched by ``(from, to, label)``; a flow whose data classes or ``tls``
  changed is *changed*, a relabelled flow is one removed and one added;
- findings (the rules run on each side) are matched by ``Finding.match_key``
  (rule, component): *introduced*, *resolved*, or *changed* (the same finding with
  another severity or acceptance);
- per provider, the lock-in score and the indicative monthly estimate before and after
  (from :mod:`archgen.generators.compare`);
- ADRs added, removed, or with a new status.

:func:`render_markdown` (sized for a pull-request comment), :func:`render_json` and
:func:`render_text` turn a diff into text; :mod:`archgen.generators.diffdraw` draws it. Nothing here
reads files or writes them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from archgen.rendering import textutil
from archgen.findings import SEVERITIES, Finding, at_or_above, severity_rank
from archgen.graph.secretscan import redacted_env

if TYPE_CHECKING:
    from archgen.catalog import Catalog
    from archgen.model import Component, Flow, Model

__all__ = [
    "COMMENT_LIMIT",
    "ComponentDiff",
    "DecisionChange",
    "Diff",
    "FieldChange",
    "FindingChange",
    "FlowDiff",
    "ModelDiff",
    "ProviderDelta",
    "diff_models",
    "render_json",
    "render_markdown",
    "render_text",
    "value_text",
]

#: Format version of ``render_json``'s output.
JSON_VERSION = 1
#: GitHub refuses a comment longer than 65,536 characters; the Markdown stays well below.
COMMENT_LIMIT = 60_000
#: Longest value shown for one field in Markdown or text (the JSON keeps it whole).
VALUE_WIDTH = 80
#: How many items each Markdown list shows before "... and N more", tightened in turn
#: until the comment fits :data:`COMMENT_LIMIT`.
_ITEM_LIMITS = (100, 40, 15, 5, 0)

ADDED, REMOVED, CHANGED, UNCHANGED = "added", "removed", "changed", "unchanged"
INTRODUCED, RESOLVED = "introduced", "resolved"

#: Component fields compared one by one, in the order they are reported.
_COMPONENT_FIELDS = (
    "kind", "service", "title", "description", "group", "owner", "public", "encrypted", "tls",
    "high_availability", "data", "secrets", "decisions",
)
#: Component fields that are mappings: compared per key (``env.LOG_LEVEL``).
_COMPONENT_MAPS = ("env", "accept", "sizing")
#: Lists whose order carries no meaning: compared as sets.
_UNORDERED = frozenset({"data", "secrets", "decisions"})
_MODEL_FIELDS = ("title", "description", "provider", "region", "decisions")
_FLOW_FIELDS = ("data", "tls")


# ---------------------------------------------------------------------------
# the diff, as data


@dataclass(frozen=True)
class FieldChange:
    """One field that differs. ``None`` stands for "not set" (or not there at all)."""

    field: str
    before: Any
    after: Any

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "before": self.before, "after": self.after}


@dataclass(frozen=True)
class ComponentDiff:
    """One component of the union of both versions."""

    id: str
    status: str  # added, removed, changed, unchanged
    kind: str  # the head's kind (the base's when removed)
    title: str  # display name, same rule
    group: str | None
    changes: tuple[FieldChange, ...] = ()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "kind": self.kind, "title": self.title}
        if self.group is not None:
            out["group"] = self.group
        if self.status == CHANGED:
            out["changes"] = [c.to_json() for c in self.changes]
        return out


@dataclass(frozen=True)
class FlowDiff:
    """One flow of the union, identified by (from, to, label)."""

    source: str
    target: str
    label: str | None
    status: str
    changes: tuple[FieldChange, ...] = ()

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.source, self.target, self.label or "")

    @property
    def text(self) -> str:
        return f"{self.source} -> {self.target}" + (f": {self.label}" if self.label else "")

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"from": self.source, "to": self.target, "label": self.label}
        if self.status == CHANGED:
            out["changes"] = [c.to_json() for c in self.changes]
        return out


@dataclass(frozen=True)
class FindingChange:
    """A finding introduced (only ``after``), resolved (only ``before``), or changed
    (both: the same rule on the same component, with another severity or acceptance)."""

    status: str  # introduced, resolved, changed
    before: Finding | None
    after: Finding | None

    @property
    def finding(self) -> Finding:
        """The finding as it stands now (as it stood, when resolved)."""
        found = self.after if self.after is not None else self.before
        assert found is not None
        return found

    def worsens(self, threshold: str) -> bool:
        """Whether this change makes an unaccepted finding at or above ``threshold`` appear."""
        now = self.after
        if now is None or now.accepted or not at_or_above(now.severity, threshold):
            return False
        was = self.before
        return was is None or was.accepted or not at_or_above(was.severity, threshold)

    def to_json(self) -> dict[str, Any]:
        out = self.finding.to_json()
        if self.status == CHANGED and self.before is not None:
            out["before"] = {"severity": self.before.severity, "accepted": self.before.accepted}
        return out


@dataclass(frozen=True)
class ProviderDelta:
    """Lock-in score (0-100, higher is more portable) and indicative monthly estimate of
    one model on one provider, before and after. ``None``: not there, or not scored."""

    provider: str
    name: str
    chosen: bool  # the model's own provider (on the head side, else the base side)
    lockin_before: int | None
    lockin_after: int | None
    usd_before: float | None
    usd_after: float | None
    complete_before: bool = True
    complete_after: bool = True

    @property
    def usd_delta(self) -> float | None:
        if self.usd_before is None or self.usd_after is None:
            return None
        return round(self.usd_after - self.usd_before, 2)

    @property
    def changed(self) -> bool:
        return self.lockin_before != self.lockin_after or self.usd_before != self.usd_after

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "chosen": self.chosen,
            "lockin_score": {"before": self.lockin_before, "after": self.lockin_after},
            "monthly_usd": {
                "before": self.usd_before,
                "after": self.usd_after,
                "delta": self.usd_delta,
                "complete_before": self.complete_before,
                "complete_after": self.complete_after,
            },
        }


@dataclass(frozen=True)
class ModelDiff:
    """What changed in one model (matched by name)."""

    name: str
    status: str  # added, removed, changed, unchanged
    title: str
    file_before: str | None
    file_after: str | None
    provider: str  # the head's provider (the base's when removed)
    base_provider: str | None  # the base's provider (None when added)
    fields: tuple[FieldChange, ...]
    components: tuple[ComponentDiff, ...]  # the union: base order, then additions
    flows: tuple[FlowDiff, ...]  # the union: base order, then additions
    findings: tuple[FindingChange, ...]  # introduced, resolved and changed, sorted
    providers: tuple[ProviderDelta, ...]
    #: the two versions, for the diagram (None on the side where the model is not)
    base: Model | None = field(default=None, compare=False, repr=False)
    head: Model | None = field(default=None, compare=False, repr=False)

    def components_with(self, status: str) -> list[ComponentDiff]:
        return sorted((c for c in self.components if c.status == status), key=lambda c: c.id)

    def flows_with(self, status: str) -> list[FlowDiff]:
        return sorted((f for f in self.flows if f.status == status), key=lambda f: f.key)

    def findings_with(self, status: str) -> list[FindingChange]:
        return [f for f in self.findings if f.status == status]

    @property
    def own_provider(self) -> ProviderDelta | None:
        """Lock-in and estimate on the model's own provider: the base's provider before,
        the head's after (so a move from one cloud to another shows what it does)."""
        head = next((p for p in self.providers if p.chosen), None)
        if head is None or self.base_provider in (None, head.provider):
            return head
        base = next(p for p in self.providers if p.provider == self.base_provider)
        return ProviderDelta(
            provider=head.provider,
            name=f"{base.name} → {head.name}",
            chosen=True,
            lockin_before=base.lockin_before,
            lockin_after=head.lockin_after,
            usd_before=base.usd_before,
            usd_after=head.usd_after,
            complete_before=base.complete_before,
            complete_after=head.complete_after,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": self.status,
            "title": self.title,
            "provider": self.provider,
            "file": {"before": self.file_before, "after": self.file_after},
            "fields": [c.to_json() for c in self.fields],
            "components": {
                s: [c.to_json() for c in self.components_with(s)] for s in (ADDED, REMOVED, CHANGED)
            }
            | {"unchanged": len(self.components_with(UNCHANGED))},
            "flows": {s: [f.to_json() for f in self.flows_with(s)] for s in (ADDED, REMOVED, CHANGED)}
            | {"unchanged": len(self.flows_with(UNCHANGED))},
            "findings": {s: [f.to_json() for f in self.findings_with(s)] for s in (INTRODUCED, RESOLVED, CHANGED)},
            "providers": {p.provider: p.to_json() for p in self.providers},
        }


@dataclass(frozen=True)
class DecisionChange:
    """An ADR added, removed, or whose status changed (``status`` is what happened)."""

    id: str
    title: str
    status: str  # added, removed, changed
    before: str | None  # the ADR's status before (None when added)
    after: str | None  # and after (None when removed)
    path: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "path": self.path, "status": {"before": self.before, "after": self.after}}


@dataclass(frozen=True)
class Diff:
    """The whole diff: every model of either side, and the ADRs."""

    base_label: str
    head_label: str
    models: tuple[ModelDiff, ...]
    decisions: tuple[DecisionChange, ...] = ()

    @property
    def changed(self) -> bool:
        """Whether anything at all differs (findings and estimates included)."""
        return bool(self.decisions) or any(
            m.status != UNCHANGED or m.findings or any(p.changed for p in m.providers) for m in self.models
        )

    def introduced(self) -> list[tuple[ModelDiff, FindingChange]]:
        return [(m, f) for m in self.models for f in m.findings_with(INTRODUCED)]

    def gating(self, threshold: str) -> list[Finding]:
        """Findings this change makes fail at ``threshold``: introduced and unaccepted at or
        above it, or already there but now unaccepted or now at or above it. What was
        already failing before the change never counts."""
        return [f.finding for m in self.models for f in m.findings if f.worsens(threshold)]

    def decisions_with(self, status: str) -> list[DecisionChange]:
        return [d for d in self.decisions if d.status == status]

    def to_json(self) -> dict[str, Any]:
        totals = _totals(self)
        return {
            "archgen_diff": JSON_VERSION,
            "base": self.base_label,
            "head": self.head_label,
            "summary": totals,
            "models": [m.to_json() for m in self.models],
            "decisions": {s: [d.to_json() for d in self.decisions_with(s)] for s in (ADDED, REMOVED, CHANGED)},
        }


# ---------------------------------------------------------------------------
# computing it


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
            _model_diff(name, before.get(name), after.get(name), list(base_decisions or ()), list(head_decisions or ()), catalog)
        )
    return Diff(
        base_label=base_label,
        head_label=head_label,
        models=tuple(models),
        decisions=tuple(_decision_changes(base_decisions or (), head_decisions or ())),
    )


def _model_diff(
    name: str, base: Model | None, head: Model | None, base_adrs: list[Any], head_adrs: list[Any], catalog: Catalog
) -> ModelDiff:
    from archgen.rules import run_rules

    either = head if head is not None else base
    assert either is not None
    comps = _component_diffs(base, head, catalog)
    flows = _flow_diffs(base, head)
    fields = _model_fields(base, head) if base is not None and head is not None else ()
    findings = _finding_changes(
        run_rules(base, base_adrs) if base is not None else [],
        run_rules(head, head_adrs) if head is not None else [],
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
    svc = catalog.service(comp.kind, model.provider, comp.service)
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
    return {"data": sorted(flow.data), "tls": flow.tls}


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
            )
        )
    return out


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


# ---------------------------------------------------------------------------
# summaries shared by the renderers


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _severity_counts(findings: Iterable[Finding]) -> dict[str, int]:
    counts = dict.fromkeys(SEVERITIES, 0)
    for f in findings:
        counts[f.severity] += 1
    return counts


def _totals(diff: Diff) -> dict[str, Any]:
    """Counts over every model, for the summary (and the JSON's ``summary``)."""
    t: dict[str, Any] = {
        "models": {s: sum(1 for m in diff.models if m.status == s) for s in (ADDED, REMOVED, CHANGED, UNCHANGED)},
        "components": {s: sum(len(m.components_with(s)) for m in diff.models) for s in (ADDED, REMOVED, CHANGED)},
        "flows": {s: sum(len(m.flows_with(s)) for m in diff.models) for s in (ADDED, REMOVED, CHANGED)},
        "findings": {s: sum(len(m.findings_with(s)) for m in diff.models) for s in (INTRODUCED, RESOLVED, CHANGED)},
        "decisions": {s: len(diff.decisions_with(s)) for s in (ADDED, REMOVED, CHANGED)},
    }
    introduced = [f.finding for _, f in diff.introduced() if not f.finding.accepted]
    t["introduced_unaccepted"] = _severity_counts(introduced)
    #: what ``--fail-on SEVERITY`` counts, per severity
    t["fail_on"] = {s: len(diff.gating(s)) for s in SEVERITIES}
    return t


def _counts_text(counts: dict[str, int], noun: str, plural: str | None = None, verbs: dict[str, str] | None = None) -> str:
    """'2 components added, 1 removed' ('' when all are zero)."""
    parts = []
    for status, n in counts.items():
        if n:
            verb = (verbs or {}).get(status, status)
            parts.append(f"{_plural(n, noun, plural)} {verb}" if not parts else f"{n} {verb}")
    return ", ".join(parts)


def _severity_text(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {s}{'s' if n != 1 and s != 'info' else ''}" for s, n in counts.items() if n)


def _money(usd: float | None) -> str:
    from archgen.generators.cost import money

    return "not priced" if usd is None else money(usd)


def _delta_money(delta: float | None) -> str:
    if delta is None or delta == 0:
        return ""
    sign = "+" if delta > 0 else "-"
    return f"{sign}{_money(abs(delta))}"


def _arrow(before: Any, after: Any, fmt: Any = str, arrow: str = "→", none: str = "–") -> str:
    """'a → b', or 'a' when equal."""
    a = none if before is None else fmt(before)
    b = none if after is None else fmt(after)
    return a if before == after else f"{a} {arrow} {b}"


def _estimate_text(p: ProviderDelta, arrow: str = "→", none: str = "–") -> str:
    if (p.usd_before, p.usd_after) == (None, None):
        text = "not priced"
    else:
        text = _arrow(p.usd_before, p.usd_after, _money, arrow, none)
    delta = _delta_money(p.usd_delta)
    if delta:
        text += f" ({delta})"
    if not p.complete_after and p.usd_after is not None:
        text += " (lower bound)"
    return text


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def value_text(value: Any, width: int = VALUE_WIDTH) -> str:
    """A field value as one short line of plain text (escape it for the output after)."""
    if value is None:
        text = "(not set)"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, list):
        text = ", ".join(value_text(v, width) for v in value) if value else "(none)"
    elif isinstance(value, dict):
        text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    else:
        text = str(value)
    text = " ".join(_CONTROL.sub(" ", text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


# ---------------------------------------------------------------------------
# Markdown (a pull-request comment)


class _Budget:
    """How many items each list shows; the rest is counted."""

    def __init__(self, limit: int) -> None:
        self.limit = limit

    def take(self, items: Sequence[Any]) -> tuple[Sequence[Any], int]:
        return items[: self.limit], max(0, len(items) - self.limit)


def _more(n: int, what: str) -> list[str]:
    return [f"", f"… and {n} more {what} (see the JSON output for all)."] if n else []


def _md_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out


def _md_details(summary: str, body: list[str]) -> list[str]:
    """A collapsed section; ``summary`` is archgen's own text (numbers and words)."""
    return ["<details>", f"<summary>{textutil.html(summary)}</summary>", "", *body, "", "</details>", ""]


def _md_component(c: ComponentDiff) -> str:
    return f"{textutil.md_cell(c.id)} ({textutil.md_cell(c.title)})" if c.title != c.id else textutil.md_cell(c.id)


def _md_change(c: FieldChange) -> str:
    return f"{textutil.md_cell(c.field)}: {textutil.md_cell(value_text(c.before))} → {textutil.md_cell(value_text(c.after))}"


_MARK = {ADDED: "🟢 added", REMOVED: "🔴 removed", CHANGED: "🟠 changed"}
_SEV_MARK = {"error": "⛔ error", "warning": "⚠️ warning", "info": "ℹ️ info"}


def _md_finding_rows(changes: Sequence[FindingChange]) -> list[list[str]]:
    rows = []
    for ch in changes:
        f = ch.finding
        sev = _SEV_MARK[f.severity]
        if ch.status == CHANGED and ch.before is not None:
            was = ch.before.severity + (", accepted" if ch.before.accepted else "")
            sev += f" (was {was})"
        if f.accepted:
            sev += ", accepted"
        rows.append([sev, f"`{f.rule}`", textutil.md_cell(f.component or "(model)"), textutil.md_cell(f.message)])
    return rows


def _md_summary_rows(diff: Diff, named: bool) -> list[list[str]]:
    rows = []
    for m in diff.models:
        comps = " · ".join(
            f"{sym}{len(m.components_with(s))}" for s, sym in ((ADDED, "+"), (REMOVED, "−"), (CHANGED, "~")) if m.components_with(s)
        ) or "–"
        flows = " · ".join(
            f"{sym}{len(m.flows_with(s))}" for s, sym in ((ADDED, "+"), (REMOVED, "−"), (CHANGED, "~")) if m.flows_with(s)
        ) or "–"
        intro = [f.finding for f in m.findings_with(INTRODUCED) if not f.finding.accepted]
        parts = []
        if intro:
            parts.append(f"{len(intro)} introduced ({_severity_text(_severity_counts(intro))})")
        if m.findings_with(RESOLVED):
            parts.append(f"{len(m.findings_with(RESOLVED))} resolved")
        accepted_new = len(m.findings_with(INTRODUCED)) - len(intro)
        if accepted_new:
            parts.append(f"{accepted_new} introduced, accepted")
        if m.findings_with(CHANGED):
            parts.append(f"{len(m.findings_with(CHANGED))} changed")
        own = m.own_provider
        lockin = _arrow(own.lockin_before, own.lockin_after) if own else "–"
        if named and own is not None:
            lockin = f"{textutil.md_cell(own.name)}: {lockin}"
        cost = _estimate_text(own) if own else "–"
        status = {ADDED: " (new)", REMOVED: " (removed)"}.get(m.status, "")
        rows.append([f"**{textutil.md_cell(m.name)}**{status}", comps, flows, ", ".join(parts) or "–", lockin, cost])
    return rows


def _md_model(m: ModelDiff, budget: _Budget) -> list[str]:
    out: list[str] = []
    name = m.name
    if m.fields:
        shown, more = budget.take(m.fields)
        out += _md_details(
            f"{name}: {_plural(len(m.fields), 'model field')} changed",
            _md_table(["field", "before", "after"], [[textutil.md_cell(c.field), textutil.md_cell(value_text(c.before)), textutil.md_cell(value_text(c.after))] for c in shown])
            + _more(more, "fields"),
        )
    changed_comps = m.components_with(ADDED) + m.components_with(REMOVED) + m.components_with(CHANGED)
    if changed_comps:
        shown, more = budget.take(changed_comps)
        rows = []
        for c in shown:
            what = "<br>".join(_md_change(ch) for ch in c.changes) if c.status == CHANGED else ""
            rows.append([_MARK[c.status], _md_component(c), textutil.md_cell(c.kind), what])
        counts = _counts_text({s: len(m.components_with(s)) for s in (ADDED, REMOVED, CHANGED)}, "component")
        out += _md_details(f"{name}: {counts}", _md_table(["", "component", "kind", "what changed"], rows) + _more(more, "components"))
    changed_flows = m.flows_with(ADDED) + m.flows_with(REMOVED) + m.flows_with(CHANGED)
    if changed_flows:
        shown, more = budget.take(changed_flows)
        rows = [
            [
                _MARK[f.status],
                textutil.md_cell(f.source),
                textutil.md_cell(f.target),
                textutil.md_cell(f.label or ""),
                "<br>".join(_md_change(ch) for ch in f.changes),
            ]
            for f in shown
        ]
        counts = _counts_text({s: len(m.flows_with(s)) for s in (ADDED, REMOVED, CHANGED)}, "flow")
        out += _md_details(f"{name}: {counts}", _md_table(["", "from", "to", "label", "what changed"], rows) + _more(more, "flows"))
    if m.findings:
        body: list[str] = []
        for status, title in ((INTRODUCED, "Introduced"), (CHANGED, "Changed"), (RESOLVED, "Resolved")):
            group = m.findings_with(status)
            if not group:
                continue
            shown, more = budget.take(group)
            body += [f"**{title}**", ""] + _md_table(["severity", "rule", "component", "message"], _md_finding_rows(shown))
            body += _more(more, "findings") + [""]
        counts = _counts_text({s: len(m.findings_with(s)) for s in (INTRODUCED, RESOLVED, CHANGED)}, "finding")
        out += _md_details(f"{name}: {counts}", body[:-1])
    if any(p.changed for p in m.providers):
        rows = [
            [
                textutil.md_cell(p.name) + (" (chosen)" if p.chosen else ""),
                _arrow(p.lockin_before, p.lockin_after),
                _estimate_text(p),
            ]
            for p in m.providers
        ]
        body = _md_table(["provider", "lock-in score (0-100, higher is more portable)", "indicative monthly estimate"], rows)
        out += _md_details(f"{name}: lock-in and cost per provider", body)
    return out


def _md_decisions(diff: Diff, budget: _Budget) -> list[str]:
    if not diff.decisions:
        return []
    shown, more = budget.take(list(diff.decisions))
    rows = [
        [_MARK[d.status], f"`{d.id}`", textutil.md_cell(d.title), textutil.md_cell(_arrow(d.before, d.after))]
        for d in shown
    ]
    counts = _counts_text({s: len(diff.decisions_with(s)) for s in (ADDED, REMOVED, CHANGED)}, "ADR", verbs={CHANGED: "changed status"})
    return _md_details(f"ADRs: {counts}", _md_table(["", "ADR", "title", "status"], rows) + _more(more, "ADRs"))


def _md_attention(diff: Diff, budget: _Budget) -> list[str]:
    """Unaccepted errors and warnings the change introduces (or un-accepts, or raises to
    a warning or an error): shown open, above the details."""
    items = [(m, f) for m in diff.models for f in m.findings if f.worsens("warning")]
    if not items:
        return []
    items.sort(key=lambda mf: (severity_rank(mf[1].finding.severity), mf[0].name, mf[1].finding.sort_key))
    shown, more = budget.take(items)
    several = len(diff.models) > 1
    out = ["**Introduced by this change:**", ""]
    for m, ch in shown:
        f = ch.finding
        where = f"{m.name}/{f.component}" if several and f.component else (f.component or m.name)
        was = ""
        if ch.before is not None:
            was = " (was accepted)" if ch.before.accepted else f" (was {ch.before.severity})"
        out.append(
            f"- {_SEV_MARK[f.severity]}{was} `{f.rule}` on {textutil.md_text(where)}: {textutil.md_text(f.message)}"
        )
    if more:
        out.append(f"- … and {more} more")
    return out + [""]


def _md_headline(diff: Diff) -> str:
    t = _totals(diff)
    parts = [
        _counts_text(t["models"] | {UNCHANGED: 0}, "model"),
        _counts_text(t["components"], "component"),
        _counts_text(t["flows"], "flow"),
        _counts_text(t["findings"], "finding"),
        _counts_text(t["decisions"], "ADR", verbs={CHANGED: "changed status"}),
    ]
    text = "; ".join(p for p in parts if p)
    return text + "." if text else "No change to the architecture."


def render_markdown(diff: Diff, diagram_href: str | None = None, *, mermaid: str | None = None, limit: int = COMMENT_LIMIT) -> str:
    """The diff as GitHub Markdown for one pull-request comment: a headline and a summary
    table, what the change introduces, the details collapsed, then the diagram
    (``diagram_href`` links the drawn SVG; ``mermaid`` is an inline Mermaid chart that
    GitHub draws in the comment). Lists are cut, with a count of what was left out,
    until the whole text is shorter than ``limit`` characters."""
    for items in _ITEM_LIMITS:
        for with_chart in (True, False):
            text = _markdown(diff, diagram_href, mermaid if with_chart else None, _Budget(items))
            if len(text) <= limit:
                return text
    return _markdown(diff, diagram_href, None, _Budget(0))[:limit]  # pragma: no cover - hundreds of models


def _markdown(diff: Diff, diagram_href: str | None, mermaid: str | None, budget: _Budget) -> str:
    out = [
        "### Architecture diff",
        "",
        f"{textutil.md_code(diff.base_label)} → {textutil.md_code(diff.head_label)}: {_md_headline(diff)}",
        "",
    ]
    if diff.models:
        own = {m.provider for m in diff.models} | {m.base_provider for m in diff.models if m.base_provider}
        first = diff.models[0].own_provider
        where = f"on {first.name}" if len(own) == 1 and first is not None else "on the model's provider"
        out += _md_table(
            ["model", "components", "flows", "findings", f"lock-in {where}", f"monthly estimate {where}"],
            _md_summary_rows(diff, named=where == "on the model's provider"),
        )
        out.append("")
    out += _md_attention(diff, budget)
    for m in diff.models:
        out += _md_model(m, budget)
    out += _md_decisions(diff, budget)
    if diagram_href or mermaid:
        out += ["#### Diagram", ""]
        out.append("Added in green, removed in red and dashed, changed in amber, unchanged in grey.")
        out.append("")
        if diagram_href:
            href = textutil.html(diagram_href)
            out += [f'<a href="{href}"><img src="{href}" alt="Architecture diff diagram"></a>', ""]
        if mermaid:
            out += ["```mermaid", mermaid.rstrip("\n"), "```", ""]
    elif budget.limit < _ITEM_LIMITS[0] and any(m.status != UNCHANGED for m in diff.models):
        out += ["_The diagram did not fit in this comment: see diff.svg._", ""]
    out.append("<sub>Generated by archgen diff. Estimates are indicative list prices.</sub>")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------
# JSON and text


def render_json(diff: Diff) -> str:
    """The whole diff as JSON: keys sorted, no timestamps (same input, same bytes)."""
    return json.dumps(diff.to_json(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _plain(text: Any) -> str:
    return " ".join(_CONTROL.sub(" ", str(text)).split())


def render_text(diff: Diff) -> str:
    """The diff for a terminal: one line per change."""
    out = [f"{_plain(diff.base_label)} -> {_plain(diff.head_label)}: {_md_headline(diff)}"]
    sym = {ADDED: "+", REMOVED: "-", CHANGED: "~", INTRODUCED: "+", RESOLVED: "-"}
    for m in diff.models:
        out.append("")
        out.append(f"{m.name} ({_plain(m.title)}): {m.status}")
        for c in m.fields:
            out.append(f"  ~ {c.field}: {value_text(c.before)} -> {value_text(c.after)}")
        for status in (ADDED, REMOVED, CHANGED):
            for c in m.components_with(status):
                title = f" ({_plain(c.title)})" if c.title != c.id else ""
                out.append(f"  {sym[status]} component {c.id}{title} [{c.kind}]")
                for ch in c.changes:
                    out.append(f"      {ch.field}: {value_text(ch.before)} -> {value_text(ch.after)}")
        for status in (ADDED, REMOVED, CHANGED):
            for f in m.flows_with(status):
                out.append(f"  {sym[status]} flow {_plain(f.text)}")
                for ch in f.changes:
                    out.append(f"      {ch.field}: {value_text(ch.before)} -> {value_text(ch.after)}")
        for ch in m.findings:
            f = ch.finding
            subject = f" [{f.component}]" if f.component else ""
            note = ""
            if ch.status == CHANGED and ch.before is not None:
                note = f" (was {ch.before.severity}{', accepted' if ch.before.accepted else ''})"
            accepted = ", accepted" if f.accepted else ""
            out.append(f"  {ch.status} {f.severity}{accepted}{note}: {f.rule}{subject} {_plain(f.message)}")
        own = m.own_provider
        if own is not None and m.base_provider not in (None, m.provider):
            lockin = _arrow(own.lockin_before, own.lockin_after, str, "->", "-")
            out.append(f"  {_plain(own.name).replace('→', '->')}: lock-in {lockin}, estimate {_estimate_text(own, '->', '-')}")
        for p in m.providers:
            if p.changed:
                lockin = _arrow(p.lockin_before, p.lockin_after, str, "->", "-")
                out.append(f"  {p.name}{' (chosen)' if p.chosen else ''}: lock-in {lockin}, estimate {_estimate_text(p, '->', '-')}")
    if diff.decisions:
        out.append("")
        for d in diff.decisions:
            out.append(f"{sym[d.status]} {d.id} {_plain(d.title)}: {_arrow(d.before, d.after, str, '->', '-')}")
    return "\n".join(out) + "\n"

