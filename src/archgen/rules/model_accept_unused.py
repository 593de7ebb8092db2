"""## What it checks
An `accept:` entry on a component for a rule that does not fire there, or that
does not exist.

## Why it matters
An acceptance is a recorded decision to live with a risk. When the risk is gone
(the design changed) or the rule id is misspelt, the stale entry misleads readers
and would silently swallow the finding if the risk ever came back.

## Failing example
```yaml
components:
  db:
    kind: postgres
    high_availability: true
    accept:
      REL-NO-HA: "single AZ is fine for now"   # REL-NO-HA no longer fires
```

## What to do instead
Remove the entry, or correct the rule id (`archgen rules` lists them).

## False positives
An acceptance can go stale on purpose for a while: a rule that a change of the model
silenced (the component moved to a service the rule does not flag). It is still
worth removing, since it would silently swallow the risk if the change were undone.
An acceptance written for a rule of a newer archgen shows as unknown on an older one.

## References
- Risk acceptance should be explicit, reviewed and revisited: OWASP Risk Rating Methodology, https://owasp.org/www-community/OWASP_Risk_Rating_Methodology
- ISO/IEC 27005 risk acceptance (summary): https://www.iso.org/standard/80585.html
"""

from __future__ import annotations

from collections.abc import Iterator

from archgen.rules._base import Hit, RuleContext
from archgen.rules._registry import declare


def check(ctx: RuleContext) -> Iterator[Hit]:
    from archgen.rules import rule_ids

    known = rule_ids()
    fired = {(f.rule, f.component) for f in ctx.findings}
    fired |= {(f.rule, m) for f in ctx.findings for m in f.extra.get("members", ())}  # one finding for several
    for comp in ctx.graph.components():
        for rule_id in sorted(comp.accept):
            if rule_id not in known:
                yield Hit(comp.id, f"{comp.id!r} accepts unknown rule {rule_id!r}", field="accept")
            elif (rule_id, comp.id) not in fired:
                yield Hit(comp.id, f"{comp.id!r} accepts {rule_id}, which does not fire there", field="accept")


RULE = declare(__name__, check)
