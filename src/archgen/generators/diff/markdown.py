"""The diff as GitHub Markdown for one pull-request comment, from ``diff.md.j2``.

This module chooses what the comment says and escapes each cell (as
:class:`~archgen.rendering.templating.Trusted` Markdown, through ``textutil.gfm_cell``
and ``gfm_text``: model and ADR text can mention no one and link nowhere); the template
(``archgen/rendering/templates/diff.md.j2``) lays it out. Lists are cut, with a count
of what was left out, until the comment fits :data:`COMMENT_LIMIT`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from archgen.findings import severity_rank
from archgen.generators.diff.records import ADDED, CHANGED, INTRODUCED, REMOVED, RESOLVED, UNCHANGED
from archgen.generators.diff.records import ComponentDiff, Diff, FieldChange, FindingChange, ModelDiff, severity_counts
from archgen.generators.diff.summary import arrow_text, counts_text, estimate_text, headline, severity_text, value_text
from archgen.rendering.textutil import plural
from archgen.rendering import textutil
from archgen.rendering.templating import Trusted

__all__ = ["COMMENT_LIMIT", "render_markdown"]

#: GitHub refuses a comment longer than 65,536 characters; the Markdown stays well below.
COMMENT_LIMIT = 60_000
#: How many items each Markdown list shows before "... and N more", tightened in turn
#: until the comment fits :data:`COMMENT_LIMIT`.
_ITEM_LIMITS = (100, 40, 15, 5, 0)
#: The comment's template, under ``archgen/rendering/templates``.
TEMPLATE = "diff.md.j2"

_MARK = {ADDED: "🟢 added", REMOVED: "🔴 removed", CHANGED: "🟠 changed"}
_SEV_MARK = {"error": "⛔ error", "warning": "⚠️ warning", "info": "ℹ️ info"}


class _Budget:
    """How many items each list shows; the rest is counted."""

    def __init__(self, limit: int) -> None:
        self.limit = limit

    def take(self, items: Sequence[Any]) -> tuple[Sequence[Any], int]:
        return items[: self.limit], max(0, len(items) - self.limit)


def _cell(value: Any) -> Trusted:
    return Trusted(textutil.gfm_cell(value))


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], more: int = 0, what: str = "", title: str | None = None) -> dict[str, Any]:
    """One table of the comment: ``header`` is archgen's own words, ``rows`` escaped cells."""
    return {
        "header": list(header),
        "rows": [[Trusted(c) for c in row] for row in rows],
        "more": more,
        "what": what,
        "title": title,
    }


def _section(summary: str, *parts: dict[str, Any]) -> dict[str, Any]:
    """A collapsed section; ``summary`` is archgen's own text (numbers and words)."""
    return {"summary": summary, "parts": list(parts)}


def _md_component(c: ComponentDiff) -> str:
    return f"{textutil.gfm_cell(c.id)} ({textutil.gfm_cell(c.title)})" if c.title != c.id else textutil.gfm_cell(c.id)


def _md_change(c: FieldChange) -> str:
    return f"{textutil.gfm_cell(c.field)}: {textutil.gfm_cell(value_text(c.before))} → {textutil.gfm_cell(value_text(c.after))}"


def _finding_rows(changes: Sequence[FindingChange]) -> list[list[str]]:
    rows = []
    for ch in changes:
        f = ch.finding
        sev = _SEV_MARK[f.severity]
        if ch.status == CHANGED and ch.before is not None:
            was = ch.before.severity + (", accepted" if ch.before.accepted else "")
            sev += f" (was {was})"
        if f.accepted:
            sev += ", accepted"
        rows.append([sev, f"`{f.rule}`", textutil.gfm_cell(f.component or "(model)"), textutil.gfm_cell(f.message)])
    return rows


def _summary_rows(diff: Diff, named: bool) -> list[list[str]]:
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
            parts.append(f"{len(intro)} introduced ({severity_text(severity_counts(intro))})")
        if m.findings_with(RESOLVED):
            parts.append(f"{len(m.findings_with(RESOLVED))} resolved")
        accepted_new = len(m.findings_with(INTRODUCED)) - len(intro)
        if accepted_new:
            parts.append(f"{accepted_new} introduced, accepted")
        if m.findings_with(CHANGED):
            parts.append(f"{len(m.findings_with(CHANGED))} changed")
        own = m.own_provider
        lockin = arrow_text(own.lockin_before, own.lockin_after) if own else "–"
        if named and own is not None:
            lockin = f"{textutil.gfm_cell(own.name)}: {lockin}"
        cost = estimate_text(own) if own else "–"
        status = {ADDED: " (new)", REMOVED: " (removed)"}.get(m.status, "")
        rows.append([f"**{textutil.gfm_cell(m.name)}**{status}", comps, flows, ", ".join(parts) or "–", lockin, cost])
    return rows


def _model_sections(m: ModelDiff, budget: _Budget) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    name = m.name
    if m.fields:
        shown, more = budget.take(m.fields)
        rows = [[textutil.gfm_cell(c.field), textutil.gfm_cell(value_text(c.before)), textutil.gfm_cell(value_text(c.after))] for c in shown]
        out.append(
            _section(f"{name}: {plural(len(m.fields), 'model field')} changed", _table(["field", "before", "after"], rows, more, "fields"))
        )
    changed_comps = m.components_with(ADDED) + m.components_with(REMOVED) + m.components_with(CHANGED)
    if changed_comps:
        shown, more = budget.take(changed_comps)
        rows = []
        for c in shown:
            what = "<br>".join(_md_change(ch) for ch in c.changes) if c.status == CHANGED else ""
            rows.append([_MARK[c.status], _md_component(c), textutil.gfm_cell(c.kind), what])
        counts = counts_text({s: len(m.components_with(s)) for s in (ADDED, REMOVED, CHANGED)}, "component")
        out.append(_section(f"{name}: {counts}", _table(["", "component", "kind", "what changed"], rows, more, "components")))
    changed_flows = m.flows_with(ADDED) + m.flows_with(REMOVED) + m.flows_with(CHANGED)
    if changed_flows:
        shown, more = budget.take(changed_flows)
        rows = [
            [
                _MARK[f.status],
                textutil.gfm_cell(f.source),
                textutil.gfm_cell(f.target),
                textutil.gfm_cell(f.label or ""),
                "<br>".join(_md_change(ch) for ch in f.changes),
            ]
            for f in shown
        ]
        counts = counts_text({s: len(m.flows_with(s)) for s in (ADDED, REMOVED, CHANGED)}, "flow")
        out.append(_section(f"{name}: {counts}", _table(["", "from", "to", "label", "what changed"], rows, more, "flows")))
    if m.findings:
        groups = []
        for status, title in ((INTRODUCED, "Introduced"), (CHANGED, "Changed"), (RESOLVED, "Resolved")):
            group = m.findings_with(status)
            if not group:
                continue
            shown, more = budget.take(group)
            groups.append(_table(["severity", "rule", "component", "message"], _finding_rows(shown), more, "findings", title))
        counts = counts_text({s: len(m.findings_with(s)) for s in (INTRODUCED, RESOLVED, CHANGED)}, "finding")
        out.append(_section(f"{name}: {counts}", *groups))
    if any(p.changed for p in m.providers):
        rows = [
            [
                textutil.gfm_cell(p.name) + (" (chosen)" if p.chosen else ""),
                arrow_text(p.lockin_before, p.lockin_after),
                estimate_text(p),
            ]
            for p in m.providers
        ]
        header = ["provider", "lock-in score (0-100, higher is more portable)", "indicative monthly estimate"]
        out.append(_section(f"{name}: lock-in and cost per provider", _table(header, rows)))
    return out


def _decision_section(diff: Diff, budget: _Budget) -> list[dict[str, Any]]:
    if not diff.decisions:
        return []
    shown, more = budget.take(list(diff.decisions))
    rows = [
        [_MARK[d.status], f"`{d.id}`", textutil.gfm_cell(d.title), textutil.gfm_cell(arrow_text(d.before, d.after))]
        for d in shown
    ]
    counts = counts_text({s: len(diff.decisions_with(s)) for s in (ADDED, REMOVED, CHANGED)}, "ADR", verbs={CHANGED: "changed status"})
    return [_section(f"ADRs: {counts}", _table(["", "ADR", "title", "status"], rows, more, "ADRs"))]


def _drift(diff: Diff, budget: _Budget) -> dict[str, Any] | None:
    """The "Drift" section: the head models against the plans and states the workflow
    passed, what is new since the base models, resolved, and still there."""
    report = diff.drift
    if report is None:
        return None
    several = len(diff.models) > 1
    counts = {s: len(report.with_status(s)) for s in (INTRODUCED, RESOLVED, UNCHANGED)}
    files = ", ".join(textutil.md_code(p) for p in report.inputs)
    summary = (
        f"Against {files}: {counts[INTRODUCED]} new since the base models, {counts[RESOLVED]} resolved, "
        f"{counts[UNCHANGED]} still there."
        if counts[INTRODUCED] or counts[RESOLVED] or counts[UNCHANGED] else f"Against {files}: no drift."
    )
    parts = []
    for status, title in ((INTRODUCED, "New"), (RESOLVED, "Resolved"), (UNCHANGED, "Still there")):
        shown, more = budget.take(report.with_status(status))
        if not shown and not more:
            continue
        rows = []
        for model, ch in shown:
            f = ch.finding
            where = f"{model}/{f.component}" if several and f.component else (f.component or "(model)")
            rows.append([_SEV_MARK[f.severity] + (", accepted" if f.accepted else ""), f"`{f.rule}`", textutil.gfm_cell(where),
                         textutil.gfm_cell(f.extra.get("address") or "–"), str(f.line), textutil.gfm_cell(f.message)])
        parts.append(_table(["severity", "rule", "component", "resource", "line", "drift"], rows, more, "drift findings", title))
    return {"summary": Trusted(summary), "parts": parts}


def _attention(diff: Diff, budget: _Budget) -> dict[str, Any] | None:
    """Unaccepted errors and warnings the change introduces (or un-accepts, or raises to
    a warning or an error): shown open, above the details."""
    items = [(m, f) for m in diff.models for f in m.findings if f.worsens("warning")]
    if not items:
        return None
    items.sort(key=lambda mf: (severity_rank(mf[1].finding.severity), mf[0].name, mf[1].finding.sort_key))
    shown, more = budget.take(items)
    several = len(diff.models) > 1
    lines = []
    for m, ch in shown:
        f = ch.finding
        where = f"{m.name}/{f.component}" if several and f.component else (f.component or m.name)
        was = ""
        if ch.before is not None:
            was = " (was accepted)" if ch.before.accepted else f" (was {ch.before.severity})"
        lines.append(Trusted(f"{_SEV_MARK[f.severity]}{was} `{f.rule}` on {textutil.gfm_text(where)}: {textutil.gfm_text(f.message)}"))
    return {"lines": lines, "more": more}


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
    from archgen.rendering.templating import render_markdown as render_template

    summary = None
    if diff.models:
        own = {m.provider for m in diff.models} | {m.base_provider for m in diff.models if m.base_provider}
        first = diff.models[0].own_provider
        where = f"on {first.name}" if len(own) == 1 and first is not None else "on the model's provider"
        summary = _table(
            ["model", "components", "flows", "findings", f"lock-in {where}", f"monthly estimate {where}"],
            _summary_rows(diff, named=where == "on the model's provider"),
        )
    sections = [s for m in diff.models for s in _model_sections(m, budget)] + _decision_section(diff, budget)
    return render_template(
        TEMPLATE,
        diff=diff,
        headline=headline(diff),
        summary=summary,
        attention=_attention(diff, budget),
        drift=_drift(diff, budget),
        sections=sections,
        diagram_href=diagram_href,
        mermaid=mermaid.rstrip("\n") if mermaid else None,
        did_not_fit=budget.limit < _ITEM_LIMITS[0] and any(m.status != UNCHANGED for m in diff.models),
    )
