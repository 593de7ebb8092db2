"""## What it checks
A component (or the model itself) whose `decisions:` still lists an ADR that is
`superseded`, `rejected` or `deprecated`.

## Why it matters
A component's `decisions:` says "this is why it is built this way". Pointing at a
decision that was replaced or turned down tells the reader a reason that no longer
holds, and hides the decision that does. It typically happens when an ADR is
superseded and the model is not updated.

## Failing example
```yaml
components:
  api:
    kind: container_service
    decisions: [ADR-0002]      # ADR-0002 is superseded by ADR-0005
```

## What to do instead
Point at the decision in force (`decisions: [ADR-0005]`), the successor the message
names. Keep the old ADR in `decisions/` as history.

## False positives
A component that points at a superseded ADR on purpose, to keep the history in view,
is reported: point it at the successor, which links back to what it supersedes.

## References
- MADR statuses (proposed, accepted, rejected, deprecated, superseded): https://adr.github.io/madr/
"""

from __future__ import annotations

from collections.abc import Iterator

from archgen.rules._base import Hit, RuleContext
from archgen.rules._registry import declare


def check(ctx: RuleContext) -> Iterator[Hit]:
    from archgen.decisions.adr import INACTIVE_STATUSES

    by_id: dict[str, object] = {}
    for d in sorted(ctx.decisions, key=lambda d: (d.number, d.path)):
        by_id.setdefault(d.id, d)

    def stale(ref: str) -> str | None:
        d = by_id.get(ref)
        if d is None or d.status not in INACTIVE_STATUSES:
            return None
        after = f"; its successor is {', '.join(d.superseded_by)}" if d.superseded_by else ""
        return f"{ref} ({d.title}), which is {d.status}{after}"

    for ref in ctx.model.decisions:
        what = stale(ref)
        if what:
            yield Hit(None, f"model {ctx.model.name!r} points at {what}", field="decisions", extra={"adr": ref})
    for comp in ctx.graph.components():
        for ref in comp.decisions:
            what = stale(ref)
            if what:
                yield Hit(comp.id, f"{comp.id!r} points at {what}", field="decisions", extra={"adr": ref})


RULE = declare(__name__, check)
