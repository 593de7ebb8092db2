"""## What it checks
An ADR in `decisions/` whose front matter gives a `status` that is not one of
`proposed`, `accepted`, `rejected`, `deprecated` or `superseded`.

## Why it matters
The status is what a reader looks at first: is this decision in force? The site's
timeline, the links from components and the other ADR checks (a component pointing
at a rejected decision, a superseded decision without its successor) all read it.
A status such as `approved` or `done` is read as none of them, so the decision is
silently neither in force nor retired.

## Failing example
```markdown
---
status: approved
date: 2026-11-20
---
# Use Postgres for customer data
```

## What to do instead
Use one of the five statuses, or let archgen set it:
`archgen adr status 3 accepted` (and `archgen adr supersede 3 "New title"` to
replace a decision).

## False positives
Teams with statuses of their own (`draft`, `approved`) get this finding for every ADR.
Map them to MADR's statuses; archgen reads only those.

## References
- MADR (Markdown Architectural Decision Records), front matter `status`: https://adr.github.io/madr/
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from archgen.rules._base import Hit, RuleContext
from archgen.rules._registry import declare


def check(ctx: RuleContext) -> Iterator[Hit]:
    from archgen.decisions.adr import STATUSES, concerning

    for d in concerning(ctx.decisions, ctx.model, ctx.models):
        if d.status in STATUSES:
            continue
        close = difflib.get_close_matches(d.status, STATUSES, n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        shown = repr(d.status) if d.status else "no status"
        yield Hit(
            None,
            f"{d.id} ({d.path}) has status {shown}{hint}; statuses are: {', '.join(STATUSES)}",
            location=d.loc_of("status"),
            extra={"adr": d.id},
        )


RULE = declare(__name__, check)
