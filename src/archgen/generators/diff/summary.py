"""The words and numbers the diff's renderers share: counts, arrows, money, values."""

from __future__ import annotations

import json
import re
from typing import Any

from archgen.generators.diff.records import CHANGED, UNCHANGED, Diff, ProviderDelta, totals
from archgen.rendering.textutil import money, plural

__all__ = [
    "VALUE_WIDTH",
    "arrow_text",
    "counts_text",
    "delta_money",
    "estimate_text",
    "headline",
    "plain",
    "severity_text",
    "value_text",
]

#: Longest value shown for one field in Markdown or text (the JSON keeps it whole).
VALUE_WIDTH = 80


def counts_text(counts: dict[str, int], noun: str, plural_word: str | None = None, verbs: dict[str, str] | None = None) -> str:
    """'2 components added, 1 removed' ('' when all are zero)."""
    parts = []
    for status, n in counts.items():
        if n:
            verb = (verbs or {}).get(status, status)
            parts.append(f"{plural(n, noun, plural_word)} {verb}" if not parts else f"{n} {verb}")
    return ", ".join(parts)


def severity_text(counts: dict[str, int]) -> str:
    return ", ".join(plural(n, s, s if s == "info" else None) for s, n in counts.items() if n)


def delta_money(delta: float | None) -> str:
    if delta is None or delta == 0:
        return ""
    sign = "+" if delta > 0 else "-"
    return f"{sign}{money(abs(delta))}"


def arrow_text(before: Any, after: Any, fmt: Any = str, arrow: str = "→", none: str = "–") -> str:
    """'a → b', or 'a' when equal."""
    a = none if before is None else fmt(before)
    b = none if after is None else fmt(after)
    return a if before == after else f"{a} {arrow} {b}"


def estimate_text(p: ProviderDelta, arrow: str = "→", none: str = "–") -> str:
    if (p.usd_before, p.usd_after) == (None, None):
        text = "not priced"
    else:
        text = arrow_text(p.usd_before, p.usd_after, money, arrow, none)
    delta = delta_money(p.usd_delta)
    if delta:
        text += f" ({delta}{' on what is priced on both sides' if p.newly_unpriced else ''})"
    if p.unpriced_after and p.usd_after is not None:
        text += f" + {len(p.unpriced_after)} not priced ({', '.join(p.unpriced_after)})"
    if p.newly_unpriced:
        text += (
            f"; {', '.join(p.newly_unpriced)} lost {'its' if len(p.newly_unpriced) == 1 else 'their'} price: "
            f"{money(p.left_out_usd)} before, left out of the change, not a saving"
        )
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


def plain(text: Any) -> str:
    return " ".join(_CONTROL.sub(" ", str(text)).split())


def headline(diff: Diff) -> str:
    t = totals(diff)
    parts = [
        counts_text(t["models"] | {UNCHANGED: 0}, "model"),
        counts_text(t["components"], "component"),
        counts_text(t["flows"], "flow"),
        counts_text(t["findings"], "finding"),
        counts_text(t["decisions"], "ADR", verbs={CHANGED: "changed status"}),
    ]
    text = "; ".join(p for p in parts if p)
    return text + "." if text else "No change to the architecture."
