"""Running the rules over models and rendering the findings (text, JSON, SARIF)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from archgen.findings import RULES_URL, SEVERITIES, Finding
from archgen.rendering.style import PLAIN, Style
from archgen.rendering.textutil import plural, terminal_line

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


def render(
    results: Results, fmt: str, site_url: str | None = None, verbosity: int = 0, style: Style | None = None
) -> str:
    """The findings in format ``fmt`` of the registry (text, json, sarif)."""
    from archgen.rendering.formats import render as render_format

    return render_format("findings", fmt, results, site_url=site_url, verbosity=verbosity, style=style or PLAIN)


def render_json(results: Results) -> str:
    return json.dumps(to_json(results), indent=2) + "\n"


def render_sarif(results: Results, site_url: str | None = None) -> str:
    from archgen.rendering.sarif import to_sarif

    sarif = to_sarif(results, site_url=site_url) if site_url else to_sarif(results)
    return json.dumps(sarif, indent=2) + "\n"


def render_text(results: Results, verbosity: int = 0, style: Style = PLAIN) -> str:
    """Findings as compilers print diagnostics: ``FILE:LINE:COLUMN: severity: RULE message``.

    Editors' quickfix lists and CI problem matchers read those lines; the ``fix:`` and
    ``accepted:`` lines under them are indented so no matcher takes them for a finding.
    An accepted finding's severity is ``note`` (its own severity follows in the message),
    so it is never counted as an error or a warning. ``verbosity`` below 0 (``-q``) keeps
    the finding lines alone: no headers, remediation, accepted findings or summary; above
    0 (``-v``) adds each finding's category and where its rule is explained.
    """
    quiet, verbose = verbosity < 0, verbosity > 0
    lines: list[str] = []
    totals = dict.fromkeys(SEVERITIES, 0)
    accepted_total = 0
    for model, findings in results:
        if not quiet:
            lines.append(f"{terminal_line(model.file)}: {model.name} ({terminal_line(model.display_name)})")
            if not findings:
                lines.append("  no findings")
        for severity in SEVERITIES:
            for f in (f for f in findings if f.severity == severity and not f.accepted):
                totals[severity] += 1
                lines.append(finding_line(f, style))
                if not quiet:
                    lines.append(f"  fix: {terminal_line(f.remediation)}")
                if verbose:
                    lines.append(_more(f))
        accepted = [f for f in findings if f.accepted]
        accepted_total += len(accepted)
        if not quiet:
            for f in accepted:
                lines.append(finding_line(f, style))
                lines.append(f"  accepted: {terminal_line(f.reason)}")
                if verbose:
                    lines.append(_more(f))
            lines.append("")
    if quiet:
        return "".join(line + "\n" for line in lines)
    summary = ", ".join(
        [plural(totals["error"], "error"), plural(totals["warning"], "warning"), f"{totals['info']} info"]
    )
    if accepted_total:
        summary += f" ({accepted_total} accepted)"
    lines.append(f"{plural(len(results), 'model')}: {summary}")
    return "\n".join(lines) + "\n"


def finding_line(f: Finding, style: Style = PLAIN) -> str:
    """``FILE:LINE:COLUMN: severity: RULE [component] message`` (line and column at least 1)."""
    where = f"{terminal_line(f.file)}:{max(f.line, 1)}:{max(f.column, 1)}:"
    severity = "note" if f.accepted else f.severity
    subject = f" [{terminal_line(f.component)}]" if f.component else ""
    message = terminal_line(f"{f.message} (accepted {f.severity})" if f.accepted else f.message)
    return f"{style(where, 'location')} {style(severity + ':', severity)} {style(f.rule, 'rule')}{subject} {message}"


def _more(f: Finding) -> str:
    return f"  {f.category}; explained by `archgen rules --explain {f.rule}` and {RULES_URL}{f.rule}/ on the site"
