"""## What it checks
A model that handles sensitive data (`pii`, `payment`, `health` or `credentials`,
anywhere in the model) with no accepted ADR tagged `security-review` that covers
it. An ADR covers the model when it lists none of its components (a decision for
the whole repository) or lists at least one of them (`api` or `ml-serving/api`),
or when the model or one of its components names it under `decisions:`.

## Why it matters
archgen's rules catch the design mistakes that can be seen in a model; they are
not a security review. Systems that go live with personal, payment or health data
need a professional review (threat model, data protection impact assessment,
penetration test) before launch, and the record of it belongs next to the design.
An ADR is that record: who reviewed what, when, and what was decided.

## Failing example
```yaml
requirements:
  data: [pii]
```
with no `decisions/NNNN-*.md` that is accepted and tagged `security-review`.

## What to do instead
Have the design reviewed, then record it:

```markdown
---
status: accepted
date: 2026-11-20
tags: [security-review]
---
# Security review before launch
```

`archgen adr new "Security review before launch"` starts the file.

## False positives
A review recorded outside the repository (a ticket, a document in the security team's
system) is invisible: write a short ADR tagged `security-review` that points at it.
A prototype that will never hold real data should say so in `requirements.data`
rather than accept the finding.

## References
- GDPR Art. 35, data protection impact assessment: https://gdpr-info.eu/art-35-gdpr/
- OWASP SAMM, Design: Threat Assessment: https://owaspsamm.org/model/design/threat-assessment/
- OWASP Threat Modeling Cheat Sheet: https://cheatsheetseries.owasp.org/cheatsheets/Threat_Modeling_Cheat_Sheet.html
- MADR, for the record of the review: https://adr.github.io/madr/
"""

from __future__ import annotations

from collections.abc import Iterator

from archgen.graph.facts import accepted_with_tag, covers
from archgen.rules._base import Hit, RuleContext
from archgen.rules._registry import declare
from archgen.catalog.thresholds import SENSITIVE_DATA, references

REVIEW_TAG = "security-review"


def check(ctx: RuleContext) -> Iterator[Hit]:
    data = sorted(ctx.model.data_classes & set(SENSITIVE_DATA.value))
    if not data:
        return
    reviews = [d for d in accepted_with_tag(ctx.decisions, REVIEW_TAG) if covers(d, ctx.model)]
    if reviews:
        return
    pending = sorted(
        getattr(d, "id", "?")
        for d in ctx.decisions
        if getattr(d, "status", None) == "proposed"
        and REVIEW_TAG in [str(t).lower() for t in getattr(d, "tags", None) or []]
        and covers(d, ctx.model)
    )
    tail = f"; {', '.join(pending)} {'is' if len(pending) == 1 else 'are'} still proposed" if pending else ""
    yield Hit(
        None,
        f"the model handles {', '.join(data)} but no accepted ADR tagged {REVIEW_TAG} records a "
        f"security review{tail}",
        field="requirements",
    )


RULE = declare(__name__, check, references(SENSITIVE_DATA))
