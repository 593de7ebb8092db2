"""## What it checks
Two or more files in `decisions/` with the same number, such as
`0004-use-redis.md` and `0004-security-review.md`.

## Why it matters
An ADR is cited by its number (`ADR-0004`) from components, from other ADRs
(`supersedes`) and from reviews. When two files share a number every such
reference is ambiguous, and the link goes to whichever file sorts first. It
usually happens when two branches each add "the next" ADR and both are merged.

## Failing example
```text
decisions/0004-use-redis-for-sessions.md
decisions/0004-security-review.md
```

## What to do instead
Renumber the later one to the next free number (rename the file) and update the
references to it. `archgen adr new` always takes the next free number.

## False positives
Two branches that each added an ADR and were merged give two files with one number:
that is exactly what the rule is for. A deliberate pair (a translation of an ADR
under the same number) is not supported: keep translations outside `decisions/`.

## References
- MADR, file names NNNN-title.md: https://adr.github.io/madr/
- adr-tools numbering (one number per record): https://github.com/npryce/adr-tools
"""

from __future__ import annotations

from collections.abc import Iterator

from archgen.rules._base import Hit, RuleContext
from archgen.rules._registry import declare


def check(ctx: RuleContext) -> Iterator[Hit]:
    from archgen.decisions.adr import concerning

    concerned = {d.path for d in concerning(ctx.decisions, ctx.model, ctx.models)}
    by_number: dict[int, list] = {}
    for d in ctx.decisions:
        by_number.setdefault(d.number, []).append(d)
    for number in sorted(by_number):
        files = sorted(by_number[number], key=lambda d: d.path)
        if len(files) < 2 or not any(d.path in concerned for d in files):
            continue
        first = files[0]
        for d in files[1:]:
            yield Hit(
                None,
                f"{d.id} is used by {d.path} and by {first.path}; every ADR needs a number of its own",
                location=d.loc,
                extra={"adr": d.id},
            )


RULE = declare(__name__, check)
