"""The whole diff as JSON (format version :data:`~archgen.generators.diff.records.JSON_VERSION`)."""

from __future__ import annotations

import json

from archgen.generators.diff.records import Diff

__all__ = ["render_json"]

def render_json(diff: Diff) -> str:
    """The whole diff as JSON: keys sorted, no timestamps (same input, same bytes)."""
    return json.dumps(diff.to_json(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
