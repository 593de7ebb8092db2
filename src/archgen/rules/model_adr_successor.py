"""## What it checks
The two ends of a supersession:

- an ADR with `status: superseded` whose `superseded-by` is empty or names an ADR
  that does not exist (error);
- an ADR that names a successor in `superseded-by` but whose status is not
  `superseded` (warning);
- an ADR that `supersedes` another which is missing, or which does not say so in
  its own `status` and `superseded-by` (warning).

## Why it matters
A superseded decision is history: a reader who lands on it must be sent to the
decision now in force. Without the successor the trail ends, and a half-recorded
supersession (one file updated, not the other) leaves two decisions that both look
current.

## Failing example
```markdown
---
status: superseded
date: 2026-11-20
superseded-by: []          # superseded by what?
---
```

## What to do instead
Let archgen write both ends: `archgen adr supersede 2 "Run the API on EKS"` writes
the new ADR with `supersedes: [ADR-0002]` and marks ADR-0002 `superseded` with
`superseded-by: [ADR-0005]`. By hand, fill in both files.

## False positives
A successor kept in another repository is reported, since archgen reads only this
one's `decisions/`. Name an ADR of this repository as the successor, or keep the
supersession in a note of the body rather than in `superseded-by`.

## References
- MADR, status "superseded by ADR-NNNN": https://adr.github.io/madr/
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from archgen.rules._base import Hit, RuleContext
from archgen.rules._registry import declare


def check(ctx: RuleContext) -> Iterator[Hit]:
    from archgen.decisions.adr import concerning

    by_id: dict[str, object] = {}
    for d in sorted(ctx.decisions, key=lambda d: (d.number, d.path)):
        by_id.setdefault(d.id, d)
    for d in concerning(ctx.decisions, ctx.model, ctx.models):
        yield from _problems(d, by_id)


def _problems(d: Any, by_id: dict[str, Any]) -> Iterator[Hit]:
    """What is wrong with the supersession of ``d``: each a hit on the ADR named in its extra."""

    def hit(message: str, where: Any, severity: str | None = None) -> Hit:
        return Hit(None, message, severity=severity, location=where, extra={"adr": d.id})

    if d.status == "superseded" and not d.superseded_by:
        yield hit(f"{d.id} ({d.path}) is superseded, but 'superseded-by' names no successor", d.loc_of("superseded-by"))
    for ref in d.superseded_by:
        if ref not in by_id:
            yield hit(f"{d.id} ({d.path}) is superseded by {ref}, which is not in decisions/", d.loc_of("superseded-by"))
    if d.superseded_by and d.status != "superseded":
        yield hit(
            f"{d.id} ({d.path}) names {', '.join(d.superseded_by)} in 'superseded-by' but its status is "
            f"{d.status or 'empty'}, not superseded",
            d.loc_of("status"),
            "warning",
        )
    for ref in d.supersedes:
        old = by_id.get(ref)
        if old is None:
            yield hit(f"{d.id} ({d.path}) supersedes {ref}, which is not in decisions/", d.loc_of("supersedes"), "warning")
        elif old.status != "superseded" or d.id not in old.superseded_by:
            yield hit(
                f"{d.id} supersedes {ref}, but {ref} ({old.path}) does not say so: give it "
                f"'status: superseded' and 'superseded-by: [{d.id}]'",
                old.loc_of("status"),
                "warning",
            )

RULE = declare(__name__, check)
