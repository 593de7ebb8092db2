"""The diff of two versions of the architecture, as plain immutable data.

Computed by :func:`archgen.generators.diff.compute.diff_models`; turned into text by
the renderers of this package (``text``, ``markdown``, ``jsondoc``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from archgen.findings import SEVERITIES, Finding, at_or_above

if TYPE_CHECKING:
    from archgen.model import Model

__all__ = [
    "ADDED",
    "CHANGED",
    "INTRODUCED",
    "JSON_VERSION",
    "REMOVED",
    "RESOLVED",
    "UNCHANGED",
    "ComponentDiff",
    "DecisionChange",
    "DRIFT_STATUSES",
    "Diff",
    "DriftReport",
    "FieldChange",
    "FindingChange",
    "FlowDiff",
    "ModelDiff",
    "ProviderDelta",
    "severity_counts",
    "totals",
]

#: Format version of ``render_json``'s output.
JSON_VERSION = 1

ADDED, REMOVED, CHANGED, UNCHANGED = "added", "removed", "changed", "unchanged"
INTRODUCED, RESOLVED = "introduced", "resolved"


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
    #: Components with no price on each side, and those priced before and not after:
    #: their former cost is left out of the change, so a gap never reads as a saving.
    unpriced_before: tuple[str, ...] = ()
    unpriced_after: tuple[str, ...] = ()
    newly_unpriced: tuple[str, ...] = ()
    left_out_usd: float = 0.0

    @property
    def usd_delta(self) -> float | None:
        """The change in what is priced on both sides (a component that lost its price is left out)."""
        if self.usd_before is None or self.usd_after is None:
            return None
        return round(self.usd_after - (self.usd_before - self.left_out_usd), 2)

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
                "not_priced_before": list(self.unpriced_before),
                "not_priced_after": list(self.unpriced_after),
                "left_out_of_delta": {"components": list(self.newly_unpriced), "usd_before": self.left_out_usd},
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
            unpriced_before=base.unpriced_before,
            unpriced_after=head.unpriced_after,
            newly_unpriced=tuple(c for c in head.unpriced_after if c not in base.unpriced_before),
            left_out_usd=head.left_out_usd if head.provider == base.provider else 0.0,
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


#: How a drift finding of the head models stands against the base models' (the JSON's keys)
DRIFT_STATUSES = {INTRODUCED: "new", RESOLVED: "resolved", UNCHANGED: "unchanged"}


@dataclass(frozen=True)
class DriftReport:
    """The models held against the plans and states the workflow passed (``archgen diff
    --plan``): each drift finding of the head models is new (the base models did not have
    it against the same files) or still there; one only the base models had is resolved."""

    inputs: tuple[str, ...]
    changes: tuple[tuple[str, FindingChange], ...]  # (model name, change): introduced, resolved or unchanged

    def with_status(self, status: str) -> list[tuple[str, FindingChange]]:
        return [(m, c) for m, c in self.changes if c.status == status]

    def to_json(self) -> dict[str, Any]:
        def item(model: str, change: FindingChange) -> dict[str, Any]:
            f = change.finding
            out = {"model": model, **f.to_json()}
            if f.extra.get("address"):
                out["resource"] = f.extra["address"]
            return out

        return {"inputs": list(self.inputs), **{key: [item(m, c) for m, c in self.with_status(s)] for s, key in DRIFT_STATUSES.items()}}


@dataclass(frozen=True)
class Diff:
    """The whole diff: every model of either side, and the ADRs (and, given a plan or a
    state, the drift of the head models against it)."""

    base_label: str
    head_label: str
    models: tuple[ModelDiff, ...]
    decisions: tuple[DecisionChange, ...] = ()
    drift: DriftReport | None = None

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
        summary = totals(self)
        return {
            "archgen_diff": JSON_VERSION,
            "base": self.base_label,
            "head": self.head_label,
            "summary": summary,
            "models": [m.to_json() for m in self.models],
            "decisions": {s: [d.to_json() for d in self.decisions_with(s)] for s in (ADDED, REMOVED, CHANGED)},
            **({"drift": self.drift.to_json()} if self.drift is not None else {}),
        }


def severity_counts(findings: Iterable[Finding]) -> dict[str, int]:
    counts = dict.fromkeys(SEVERITIES, 0)
    for f in findings:
        counts[f.severity] += 1
    return counts


def totals(diff: Diff) -> dict[str, Any]:
    """Counts over every model, for the summary (and the JSON's ``summary``)."""
    t: dict[str, Any] = {
        "models": {s: sum(1 for m in diff.models if m.status == s) for s in (ADDED, REMOVED, CHANGED, UNCHANGED)},
        "components": {s: sum(len(m.components_with(s)) for m in diff.models) for s in (ADDED, REMOVED, CHANGED)},
        "flows": {s: sum(len(m.flows_with(s)) for m in diff.models) for s in (ADDED, REMOVED, CHANGED)},
        "findings": {s: sum(len(m.findings_with(s)) for m in diff.models) for s in (INTRODUCED, RESOLVED, CHANGED)},
        "decisions": {s: len(diff.decisions_with(s)) for s in (ADDED, REMOVED, CHANGED)},
    }
    introduced = [f.finding for _, f in diff.introduced() if not f.finding.accepted]
    t["introduced_unaccepted"] = severity_counts(introduced)
    #: what ``--fail-on SEVERITY`` counts, per severity
    t["fail_on"] = {s: len(diff.gating(s)) for s in SEVERITIES}
    return t
