"""Running the rules over models and rendering the findings (text, JSON, SARIF)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from archgen.findings import SEVERITIES, Finding
from archgen.rendering.textutil import plural

if TYPE_CHECKING:
    from archgen.model import Model

Results = list[tuple["Model", list[Finding]]]


def check_models(models: list[Model], decisions: list[Any] | None = None) -> Results:
    from archgen.rules import run_rules

    return [(m, run_rules(m, decisions, models=models)) for m in models]


def to_json(results: Results) -> dict[str, Any]:
    return {
        "models": [
            {"name": m.name, "file": m.file, "findings": [f.to_json() for f in findings]}
            for m, findings in results
        ]
    }


def render(results: Results, fmt: str, site_url: str | None = None) -> str:
    """The findings in format ``fmt`` of the registry (text, json, sarif)."""
    from archgen.rendering.formats import render as render_format

    return render_format("findings", fmt, results, site_url=site_url)


def render_json(results: Results) -> str:
    return json.dumps(to_json(results), indent=2) + "\n"


def render_sarif(results: Results, site_url: str | None = None) -> str:
    from archgen.rendering.sarif import to_sarif

    sarif = to_sarif(results, site_url=site_url) if site_url else to_sarif(results)
    return json.dumps(sarif, indent=2) + "\n"


def render_text(results: Results) -> str:
    lines: list[str] = []
    totals = dict.fromkeys(SEVERITIES, 0)
    accepted_total = 0
    for model, findings in results:
        lines.append(f"{model.file}: {model.name} ({model.display_name})")
        if not findings:
            lines.append("  no findings")
        for severity in SEVERITIES:
            group = [f for f in findings if f.severity == severity and not f.accepted]
            if not group:
                continue
            lines.append(f"  {severity} ({len(group)})")
            for f in group:
                totals[severity] += 1
                lines.append(_line(f))
        accepted = [f for f in findings if f.accepted]
        if accepted:
            accepted_total += len(accepted)
            lines.append(f"  accepted ({len(accepted)})")
            for f in accepted:
                lines.append(_line(f) + f"\n      accepted: {f.reason}")
        lines.append("")
    summary = ", ".join(
        [plural(totals["error"], "error"), plural(totals["warning"], "warning"), f"{totals['info']} info"]
    )
    if accepted_total:
        summary += f" ({accepted_total} accepted)"
    lines.append(f"{plural(len(results), 'model')}: {summary}")
    return "\n".join(lines) + "\n"


def _line(f: Finding) -> str:
    where = f"{f.file}:{f.line}" if f.line else f.file
    subject = f" [{f.component}]" if f.component else ""
    return f"    {where}: {f.rule}{subject} {f.message}\n      fix: {f.remediation}"
