"""## What it checks
An ADR whose front matter lists, under `components:`, a component id that no
model has (`api` for any model, `ml-serving/api` for the model `ml-serving`).

## Why it matters
The `components:` list is one half of the two-way link between the model and its
decisions: the site shows the ADR on the component's page and the component on
the ADR's page. A renamed or removed component leaves the ADR pointing at nothing,
so the decision no longer shows where a reader of the design would look for it.

## Failing example
```markdown
---
status: accepted
date: 2026-11-20
components: [cache]        # the model has no component 'cache'
---
```

## What to do instead
Correct the id (the message suggests the closest one), write `model-name/id` for a
component of another model, or remove the entry if the component is gone for good
(and consider `archgen adr status N deprecated`).

## False positives
An ADR that names a component of another repository, or one that was renamed on
purpose and kept under its old name for history, is reported. Write it as
`model-name/id` for another model of this repository; for a component that no longer
exists, supersede or deprecate the ADR rather than keep a dangling reference.

## References
- MADR (Markdown Architectural Decision Records): https://adr.github.io/madr/
- Michael Nygard, "Documenting architecture decisions": https://cognitect.com/blog/2011/11/15/documenting-architecture-decisions
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from archgen.rules._base import Hit, RuleContext
from archgen.rules._registry import declare


def check(ctx: RuleContext) -> Iterator[Hit]:
    from archgen.decisions.adr import concerning, resolve_component, split_component_ref

    models = list(ctx.models)
    for d in concerning(ctx.decisions, ctx.model, models):
        for ref in d.components:
            model_name, cid = split_component_ref(ref)
            if model_name not in (None, ctx.model.name) or resolve_component(ref, models) is not None:
                continue
            if model_name is None and ctx.model.name != _reporter(d, models):
                continue  # an id of no model: reported once, with the first model the ADR concerns
            close = difflib.get_close_matches(cid, sorted(ctx.model.components), n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            where = f"model {ctx.model.name}" if model_name or len(models) == 1 else "any model"
            yield Hit(
                None,
                f"{d.id} ({d.path}) lists component {ref!r}, which is not in {where}{hint}",
                location=d.loc_of(f"components:{ref}") if f"components:{ref}" in d.field_locs else d.loc_of("components"),
                extra={"adr": d.id, "ref": ref},
            )


def _reporter(decision, models) -> str:
    from archgen.decisions.adr import concerning

    return min(m.name for m in models if concerning([decision], m, models)) if len(models) > 1 else models[0].name


RULE = declare(__name__, check)
