"""What every rule is: the :class:`Rule` record, the :class:`Hit` it yields, and the
:class:`RuleContext` it reads. A rule never renders and never reads files."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from dataclasses import field as dc_field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from archgen.errors import Location
from archgen.findings import CATEGORIES, SEVERITIES

if TYPE_CHECKING:
    from archgen.catalog import Catalog
    from archgen.findings import Finding
    from archgen.graph import ArchGraph
    from archgen.model import Model

#: The fixed sections of a rule's documentation, in order.
DOC_SECTIONS = (
    "What it checks",
    "Why it matters",
    "Failing example",
    "What to do instead",
    "References",
)
ID_RE = re.compile(r"^(MODEL|SEC|LOCKIN|SCALE|COST|REL)-[A-Z0-9]+(-[A-Z0-9]+)*$")
PREFIX = {
    "MODEL": "model",
    "SEC": "security",
    "LOCKIN": "lock-in",
    "SCALE": "scale",
    "COST": "cost",
    "REL": "reliability",
}


@dataclass(frozen=True)
class Hit:
    """One thing a rule found: about a component (or the whole model when None)."""

    component: str | None
    message: str
    field: str | None = None  # the field the finding points at, for FILE:LINE
    severity: str | None = None  # overrides the rule's severity for this hit
    extra: dict[str, Any] = dc_field(default_factory=dict)
    #: where the finding points when that is not the model file (e.g. an ADR's front matter)
    location: Location | None = None
    #: why the finding is accepted when that is not the component's ``accept:`` (an accepted ADR)
    accepted_by: str | None = None


@dataclass(frozen=True)
class Rule:
    """A design-time rule. ``doc`` is Markdown with the sections of DOC_SECTIONS."""

    id: str
    title: str
    category: str
    severity: str
    remediation: str
    doc: str
    check: Callable[[RuleContext], Iterable[Hit]]
    #: runs after the other rules, and sees their findings in ``ctx.findings``
    after_others: bool = False

    def sections(self) -> dict[str, str]:
        """The documentation split into its sections ('## Title' headings)."""
        out: dict[str, str] = {}
        current = None
        for line in self.doc.strip().splitlines():
            m = re.match(r"^##\s+(.*?)\s*$", line)
            if m:
                current = m.group(1)
                out[current] = ""
            elif current is not None:
                out[current] += line + "\n"
        return {k: v.strip() for k, v in out.items()}

    def problems(self) -> list[str]:
        """What is wrong with this rule's metadata (empty when it is complete)."""
        found = []
        if not ID_RE.match(self.id):
            found.append(f"id {self.id!r} does not have a category prefix")
        elif PREFIX[self.id.split("-")[0]] != self.category:
            found.append(f"id prefix of {self.id} does not match category {self.category}")
        if self.category not in CATEGORIES:
            found.append(f"invalid category {self.category!r}")
        if self.severity not in SEVERITIES:
            found.append(f"invalid severity {self.severity!r}")
        if not self.title.strip() or not self.remediation.strip():
            found.append("missing title or remediation")
        sections = self.sections()
        for name in DOC_SECTIONS:
            if not sections.get(name):
                found.append(f"documentation lacks section '## {name}'")
        return found


class RuleContext:
    """What rules read: the model, its graph, the catalog, the decisions, the estimate."""

    def __init__(self, model: Model, decisions: list[Any] | None = None, models: Iterable[Model] | None = None) -> None:
        self.model = model
        self.decisions = list(decisions or [])
        #: every model of the repository (this one included): an ADR may name a component of any
        self.models: tuple[Model, ...] = tuple(models) if models else (model,)
        if all(m is not model for m in self.models):
            self.models = (model, *self.models)
        self.findings: list[Finding] = []

    @cached_property
    def graph(self) -> ArchGraph:
        from archgen.graph import ArchGraph

        return ArchGraph(self.model)

    @cached_property
    def service_count(self) -> int:
        """``model.service_count``, counted once: rules and drafts ask it per component."""
        return self.model.service_count

    @cached_property
    def data_classes(self) -> frozenset[str]:
        """``model.data_classes``, gathered once."""
        return frozenset(self.model.data_classes)

    @cached_property
    def catalog(self) -> Catalog:
        from archgen.catalog import get_catalog

        return get_catalog()

    @cached_property
    def team_ready(self) -> bool:
        """Whether the team can run Kubernetes (:func:`archgen.graph.facts.team_ready`)."""
        from archgen.graph.facts import team_ready

        return team_ready(self.model.requirements)

    def over_limits(self, svc: Any) -> list[str]:
        """What of the model exceeds ``svc``'s documented limits, in words."""
        from archgen.graph.facts import over_limits

        return over_limits(svc, self.model.requirements, self.service_count)

    @cached_property
    def sensitive_behind(self) -> dict[str, set[str]]:
        """Each component's sensitive data, held or reached (:func:`archgen.graph.facts.sensitive_behind`)."""
        from archgen.graph.facts import sensitive_behind

        return sensitive_behind(self.graph)

    @cached_property
    def protected_by(self) -> dict[str, list[str]]:
        """Each component's WAFs: the components whose ``protects`` names it, sorted."""
        out: dict[str, list[str]] = {}
        for comp in self.graph.components_with("shield"):
            for target in comp.protects:
                out.setdefault(target, []).append(comp.id)
        return out

    @cached_property
    def platform_choices(self) -> list[Any]:
        """The model's platform decisions, each judged once (:func:`archgen.graph.facts.platform_choices`)."""
        from archgen.graph.facts import platform_choices

        return platform_choices(self.catalog, self.graph)

    def suggest(self, comp: Any, current: Any, *, kubernetes: bool, portable: bool) -> Any:
        """The service of the same kind and provider that fits the model best, or None."""
        from archgen.graph.facts import suggest

        return suggest(
            self.catalog, self.model, comp, current, kubernetes=kubernetes, portable=portable, service_count=self.service_count
        )

    def service(self, cid: str) -> Any:
        """The catalog's service for a component (placement included: a component that runs on a
        cluster has its Kubernetes service), or None."""
        return self.catalog.resolve_service(self.model, self.model.components[cid])
