"""Listings for the terminal and for scripts: the rules, the ADRs, the decision drafts.

The renderers of the ``rules``, ``decisions`` and ``drafts`` outputs of the format
registry (:mod:`archgen.rendering.formats`). Text is for people (one item a line, model
text made safe for a terminal); JSON is for scripts (stable keys, every field).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from archgen.rendering.textutil import terminal_line


def _json(key: str, items: list[dict[str, Any]]) -> str:
    return json.dumps({key: items}, indent=2, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------------------
# rules (``archgen rules``)


def _rule(rule: Any) -> dict[str, Any]:
    fields = ("id", "title", "category", "severity", "remediation")
    return {
        **{f: getattr(rule, f) for f in fields},
        "stride": list(rule.stride),
        "cwe": [f"CWE-{n}" for n in rule.cwe],
        "false_positives": rule.false_positives,
        "references": rule.reference_urls,
        "doc": rule.doc.strip(),
    }


def rules_text(rules: Sequence[Any], *, explain: bool = False) -> str:
    """One rule a line; with ``explain``, the one rule's documentation."""
    if explain:
        (rule,) = rules
        threat = ", ".join(rule.stride) or "none (not a security threat)"
        cwe = ", ".join(f"CWE-{n}" for n in rule.cwe) or "none"
        return (
            f"{rule.id}: {rule.title}\n{rule.category}, {rule.severity}; STRIDE: {threat}; CWE: {cwe}\n\n"
            f"{rule.doc.strip()}\n\nRemediation: {rule.remediation}\n"
        )
    width = max((len(r.id) for r in rules), default=0)
    return "".join(f"{r.id:<{width}}  {r.category:<11}  {r.severity:<7}  {r.title}\n" for r in rules)


def rules_json(rules: Sequence[Any], *, explain: bool = False) -> str:
    """A list of rule objects; with ``explain``, the one rule's object."""
    if explain:
        (rule,) = rules
        return json.dumps(_rule(rule), indent=2, sort_keys=True) + "\n"
    return json.dumps([_rule(r) for r in rules], indent=2, sort_keys=True) + "\n"


# ---------------------------------------------------------------------------
# ADRs (``archgen adr list``)


def decisions_text(decisions: Sequence[Any]) -> str:
    if not decisions:
        return 'no ADRs in decisions/ yet; start one with: archgen adr new "TITLE"\n'
    width = max(len(d.status) for d in decisions)
    lines = []
    for d in decisions:
        extra = f" (by {', '.join(d.superseded_by)})" if d.superseded_by else ""
        comps = f"  [{', '.join(d.components)}]" if d.components else ""
        lines.append(f"{d.id}  {d.date or '----------'}  {d.status:<{width}}  {terminal_line(d.title)}{extra}{comps}\n")
    return "".join(lines)


def decisions_json(decisions: Sequence[Any]) -> str:
    fields = ("id", "number", "title", "status", "date", "path", "deciders", "components", "supersedes", "superseded_by", "tags")
    return _json("decisions", [{f: getattr(d, f) for f in fields} for d in decisions])


# ---------------------------------------------------------------------------
# decision drafts (``archgen adr drafts``)


def drafts_text(drafts: Sequence[Any]) -> str:
    if not drafts:
        return "no drafts: the rules weigh no choice in these models\n"
    width = max(len(d.name) for d in drafts)
    lines = [
        f"{d.name:<{width}}  {d.model}  {terminal_line(d.title)}"
        + (f"  (adopted: {d.adopted_by}, {d.adopted_status})" if getattr(d, "adopted_by", None) else "")
        + "\n"
        for d in drafts
    ]
    lines.append(
        "\nshow one with 'archgen adr drafts --show NAME'; copy it into decisions/ with "
        "'archgen adr new --from-draft NAME'\n"
    )
    return "".join(lines)


def drafts_json(drafts: Sequence[Any]) -> str:
    fields = ("name", "model", "title", "topic", "components", "chosen", "current", "adopted_by", "adopted_status")
    return _json("drafts", [{f: getattr(d, f) for f in fields} for d in drafts])
