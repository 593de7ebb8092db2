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
from archgen.findings import ALL_CATEGORIES, SEVERITIES

if TYPE_CHECKING:
    from archgen.catalog import Catalog
    from archgen.findings import Finding
    from archgen.graph import ArchGraph
    from archgen.model import Model

#: The fixed sections of a rule's documentation, in order. ``Threat`` is written from the
#: rule's ``stride`` and ``cwe`` (see :meth:`Rule.threat_section`), the others by hand.
DOC_SECTIONS = (
    "What it checks",
    "Why it matters",
    "Threat",
    "Failing example",
    "What to do instead",
    "False positives",
    "References",
)
#: The STRIDE threat categories (Microsoft's threat model), by the tag archgen gives them.
STRIDE = {
    "spoofing": "Spoofing",
    "tampering": "Tampering",
    "repudiation": "Repudiation",
    "information-disclosure": "Information disclosure",
    "denial-of-service": "Denial of service",
    "elevation-of-privilege": "Elevation of privilege",
}
STRIDE_SOURCE = "https://learn.microsoft.com/azure/security/develop/threat-modeling-tool-threats"
#: The CWE entries the rules cite, by number (names from https://cwe.mitre.org/).
CWE_NAMES = {
    200: "Exposure of Sensitive Information to an Unauthorized Actor",
    260: "Password in Configuration File",
    284: "Improper Access Control",
    287: "Improper Authentication",
    306: "Missing Authentication for Critical Function",
    311: "Missing Encryption of Sensitive Data",
    312: "Cleartext Storage of Sensitive Information",
    319: "Cleartext Transmission of Sensitive Information",
    400: "Uncontrolled Resource Consumption",
    522: "Insufficiently Protected Credentials",
    523: "Unprotected Transport of Credentials",
    657: "Violation of Secure Design Principles",
    668: "Exposure of Resource to Wrong Sphere",
    693: "Protection Mechanism Failure",
    732: "Incorrect Permission Assignment for Critical Resource",
    798: "Use of Hard-coded Credentials",
    862: "Missing Authorization",
    923: "Improper Restriction of Communication Channel to Intended Endpoints",
    1008: "Architectural Concepts",
    1390: "Weak Authentication",
}
#: What a rule's documentation must not cite: documents a reader of the rule page cannot open.
UNREADABLE_REFERENCES = (
    re.compile(r"domain-facts", re.I),
    re.compile(r"\bMODEL\.md\b"),
    re.compile(r"\bissue \d+", re.I),
    re.compile(r"shared/reference"),
)


#: A Checkov check id (CKV_AWS_17, CKV2_AZURE_57)
CHECKOV_ID = re.compile(r"CKV2?_[A-Z0-9]+_\d+")


def cwe_url(number: int) -> str:
    return f"https://cwe.mitre.org/data/definitions/{number}.html"
ID_RE = re.compile(r"^(MODEL|SEC|LOCKIN|SCALE|COST|REL|DRIFT)-[A-Z0-9]+(-[A-Z0-9]+)*$")
PREFIX = {
    "MODEL": "model",
    "SEC": "security",
    "LOCKIN": "lock-in",
    "SCALE": "scale",
    "COST": "cost",
    "REL": "reliability",
    "DRIFT": "drift",  # archgen verify: the model against a Terraform plan or state
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
    #: the STRIDE categories of the threat it guards against (keys of STRIDE); empty: not a security threat
    stride: tuple[str, ...] = ()
    #: CWE ids of the weakness it finds (keys of CWE_NAMES)
    cwe: tuple[int, ...] = ()
    #: Checkov check ids that find the same weakness in Terraform: ``archgen verify --checkov``
    #: prints a design-time finding and the Checkov failure that confirms it as one line
    checkov: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # the Threat section is written from the metadata, so the page, --explain and SARIF all carry it
        if "## Threat" not in self.doc and "## Failing example" in self.doc:
            doc = self.doc.replace("## Failing example", self.threat_section() + "\n\n## Failing example", 1)
            object.__setattr__(self, "doc", doc)

    def threat_section(self) -> str:
        """The ``## Threat`` section: STRIDE categories and CWE ids, with links."""
        lines = ["## Threat"]
        if self.stride:
            lines.append(
                "STRIDE: " + ", ".join(STRIDE.get(s, s) for s in self.stride) + f" ([STRIDE]({STRIDE_SOURCE}))."
            )
        else:
            lines.append(f"No STRIDE category: a {self.category} risk, not a security threat (see Why it matters).")
        if self.cwe:
            lines.append(
                "CWE: " + "; ".join(f"[CWE-{n}]({cwe_url(n)}) {CWE_NAMES.get(n, '')}".rstrip() for n in self.cwe) + "."
            )
        return "\n".join(lines)

    @property
    def false_positives(self) -> str:
        return self.sections().get("False positives", "")

    @property
    def reference_urls(self) -> list[str]:
        """The public addresses the References section cites, in order, once each."""
        found = re.findall(r"https?://[^\s)>\]]+", self.sections().get("References", ""))
        return list(dict.fromkeys(u.rstrip(".,;") for u in found))

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
        if self.category not in ALL_CATEGORIES:
            found.append(f"invalid category {self.category!r}")
        if self.severity not in SEVERITIES:
            found.append(f"invalid severity {self.severity!r}")
        if not self.title.strip() or not self.remediation.strip():
            found.append("missing title or remediation")
        sections = self.sections()
        for name in DOC_SECTIONS:
            if not sections.get(name):
                found.append(f"documentation lacks section '## {name}'")
        unknown = [s for s in self.stride if s not in STRIDE]
        if unknown:
            found.append(f"unknown STRIDE categories {unknown}")
        if [n for n in self.cwe if n not in CWE_NAMES]:
            found.append(f"CWE ids without a name in CWE_NAMES: {[n for n in self.cwe if n not in CWE_NAMES]}")
        odd = [c for c in self.checkov if not CHECKOV_ID.fullmatch(c)]
        if odd:
            found.append(f"not Checkov check ids: {odd}")
        if self.category == "security" and (not self.stride or not self.cwe):
            found.append("a security rule states its STRIDE categories and CWE ids")
        if sections.get("References") is not None and not self.reference_urls:
            found.append("References cite no public address (https://...)")
        for pattern in UNREADABLE_REFERENCES:
            if pattern.search(self.doc):
                found.append(f"documentation cites {pattern.pattern!r}, which a reader cannot open")
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
    def held(self) -> dict[str, list[str]]:
        """Each component's sensitive data, its own and what flows bring in (:func:`archgen.graph.facts.held_all`)."""
        from archgen.graph.facts import held_all

        return held_all(self.graph)

    @cached_property
    def zones(self) -> dict[str, str]:
        """Each component's zone (:meth:`archgen.model.Model.zone_of`), computed once."""
        return {cid: self.model.zone_of(c) for cid, c in self.model.components.items()}

    def protected(self, comp: Any) -> bool:
        """Whether ``comp`` is a store that must not face the internet (:func:`archgen.graph.facts.is_protected_store`)."""
        from archgen.graph.facts import protected

        return protected(comp, self.held[comp.id])

    def crosses(self, flow: Any) -> bool:
        """Whether a flow leaves one zone for another."""
        return self.zones[flow.source] != self.zones[flow.to]

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
        cluster has its Kubernetes service), or None. Resolved once per component."""
        cache = self.__dict__.setdefault("_services", {})
        if cid not in cache:
            cache[cid] = self.catalog.resolve_service(self.model, self.model.components[cid])
        return cache[cid]
