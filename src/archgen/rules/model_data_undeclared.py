"""## What it checks
A component or flow handles a data class (`pii`, `payment`, `health`,
`credentials`) that `requirements.data` does not list.

## Why it matters
`requirements.data` is the model's statement of what it handles; reviewers,
compliance and the security rules read it first. A data class that appears only
on one component is easy to miss in a review and says the model contradicts itself.

## Failing example
```yaml
requirements:
  data: []
components:
  db: {kind: postgres, data: [pii]}
```

## What to do instead
List every data class the system handles under `requirements.data`.

## False positives
A data class named on a component for documentation only (this component never
stores it) is reported too; declare it anyway, or remove it from the component. The
rule cannot see data the model does not name: it is no substitute for a data
inventory.

## References
- GDPR Art. 30, records of processing activities (knowing which personal data a system handles): https://gdpr-info.eu/art-30-gdpr/
- OWASP Threat Modeling Cheat Sheet (data assets first): https://cheatsheetseries.owasp.org/cheatsheets/Threat_Modeling_Cheat_Sheet.html
"""

from __future__ import annotations

from collections.abc import Iterator

from archgen.rules._base import Hit, RuleContext
from archgen.rules._registry import declare


def check(ctx: RuleContext) -> Iterator[Hit]:
    declared = set(ctx.model.requirements.data)
    for comp in ctx.graph.components():
        missing = sorted(set(comp.data) - declared)
        if missing:
            yield Hit(comp.id, f"{comp.id!r} handles {', '.join(missing)} but requirements.data does not list it", field="data")
    for flow in ctx.graph.flows():
        missing = sorted(set(flow.data) - declared - set(ctx.model.components[flow.to].data))
        if missing:
            yield Hit(flow.to, f"flow {flow.source} -> {flow.to} carries {', '.join(missing)} but requirements.data does not list it")


RULE = declare(__name__, check)
