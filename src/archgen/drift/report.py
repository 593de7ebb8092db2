"""``archgen verify``'s findings as JSON and SARIF (the text is ``check``'s own report)."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["render_json", "render_sarif", "to_json"]


def to_json(results: list[tuple[Any, list[Any]]]) -> dict[str, Any]:
    """MODEL.md's finding JSON; a finding about a resource names it (``resource``, ``plan``)."""
    models = []
    for model, findings in results:
        out = []
        for f in findings:
            item = f.to_json()
            if f.extra.get("address"):
                item["resource"] = f.extra["address"]
            if f.extra.get("source"):
                item["plan"] = f.extra["source"]
            if f.extra.get("checkov"):
                item["checkov"] = f.extra["checkov"]
            out.append(item)
        models.append({"name": model.name, "file": model.file, "findings": out})
    return {"models": models}


def render_json(results: list[tuple[Any, list[Any]]]) -> str:
    return json.dumps(to_json(results), indent=2) + "\n"


def render_sarif(results: list[tuple[Any, list[Any]]], site_url: str | None = None) -> str:
    from archgen.drift import all_drift_rules
    from archgen.rendering.sarif import to_sarif
    from archgen.rules import all_rules

    rules = (*all_drift_rules(), *all_rules())  # a Checkov failure confirms a design-time rule
    sarif = to_sarif(results, site_url=site_url, rules=rules) if site_url else to_sarif(results, rules=rules)
    return json.dumps(sarif, indent=2) + "\n"
