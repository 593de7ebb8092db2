"""## What it checks
A `decisions:` entry of the model or of a component that names an ADR with no file
in `decisions/` (for `ADR-0007`, a file `decisions/0007-*.md`).

## Why it matters
The reference promises a reader that the reason for the design is written down.
A missing file breaks that promise and the link on the site; it usually means a
typo in the number, an ADR that was never committed, or `archgen check` run from a
folder other than the repository root (decisions are read from `./decisions/`).

## Failing example
```yaml
components:
  model:
    kind: ml_endpoint
    decisions: [ADR-0009]      # there is no decisions/0009-*.md
```

## What to do instead
Correct the number (`archgen adr list` shows the ADRs), write the record
(`archgen adr new "TITLE" --component model`), or run the check from the
repository root.

## False positives
A reference to an ADR kept in another repository (a platform team's decisions) is
reported, since archgen reads only this repository's `decisions/`. Copy or link the
record there, or drop the reference from `decisions:` and cite it in the component's
description instead.

## References
- MADR: https://adr.github.io/madr/
- Michael Nygard, "Documenting architecture decisions": https://cognitect.com/blog/2011/11/15/documenting-architecture-decisions
"""

from __future__ import annotations

from collections.abc import Iterator

from archgen.rules._base import Hit, RuleContext
from archgen.rules._registry import declare


def check(ctx: RuleContext) -> Iterator[Hit]:
    known = {d.id for d in ctx.decisions}
    why = "which is not in decisions/" if known else "but no ADRs were found in decisions/"

    for ref in ctx.model.decisions:
        if ref not in known:
            yield Hit(None, f"model {ctx.model.name!r} refers to {ref}, {why}", field="decisions", extra={"adr": ref})
    for comp in ctx.graph.components():
        for ref in comp.decisions:
            if ref not in known:
                yield Hit(comp.id, f"{comp.id!r} refers to {ref}, {why}", field="decisions", extra={"adr": ref})


RULE = declare(__name__, check)
