"""The Open Threat Model (OTM 0.2.0, IriusRisk's open format) of one model, as JSON.

- **trust zones**: every zone a component sits in (``zone``: internet, cloud, on_prem,
  corporate, partner, the model's own), trust rating 100 for a trusted zone, 1 for the
  internet and 30 for another untrusted zone;
- **components**: every component, its parent its trust zone, or the cluster or VM it
  runs on (``runs_on``); its kind and service as type and tags; the data classes it
  handles as processed assets, and as stored ones for a data store;
- **data flows**: every flow with its label, its protocol, whether it is encrypted, its
  authentication and whether it crosses a trust boundary (archgen's facts) as attributes,
  and the data classes it carries as assets;
- **assets**: the data classes (pii, payment, health, credentials) the model names;
- **threats** and **mitigations**: every finding of the rules is a threat (its rule's
  title, the finding's message, its category; impact 100, 60 or 20 for an error, a warning
  or an info), attached to the component it is about with state ``exposed``, or
  ``accepted`` with the model's reason; its remediation is the mitigation.

Deterministic: ids are archgen's (component ids, flow ids ``a->b:label``, rule ids with the
component), lists sorted, JSON keys in a fixed order; model text is JSON-escaped.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from archgen.catalog.vocabulary import has_trait
from archgen.generators.export import _common as c

if TYPE_CHECKING:
    from archgen.findings import Finding
    from archgen.model import Model

__all__ = ["OTM_VERSION", "document", "render"]

OTM_VERSION = "0.2.0"
IMPACT = {"error": 100, "warning": 60, "info": 20}
TRUSTED_RATING, INTERNET_RATING, UNTRUSTED_RATING = 100, 1, 30
#: archgen does not rate data classes; every sensitive class gets the top rating.
ASSET_RISK = {"confidentiality": 100, "integrity": 100, "availability": 100,
              "comment": "archgen names the data class, it does not rate it: 100 is the highest rating; set your own"}


def _zone_rating(model: Model, zone: str) -> int:
    from archgen.graph import INTERNET_ZONE

    if model.zone_trusted(zone):
        return TRUSTED_RATING
    return INTERNET_RATING if zone == INTERNET_ZONE else UNTRUSTED_RATING


def document(model: Model, findings: Sequence[Finding] | None = None) -> dict[str, Any]:
    """The OTM document as a JSON-ready dict."""
    from archgen.graph import facts

    if findings is None:
        from archgen.rules import run_rules

        findings = run_rules(model)
    comps = c.components(model)
    zones = sorted({model.zone_of(comp) for comp in comps} | set(model.zones))
    trust_zones = [
        {"id": z, "name": c.one_line(model.zone_title(z)), "type": "archgen-zone",
         "risk": {"trustRating": _zone_rating(model, z)}, "attributes": {"trusted": model.zone_trusted(z)}}
        for z in zones
    ]
    # threats: one per finding, ids unique and stable
    threats, mitigations = [], []
    by_component: dict[str, list[dict[str, Any]]] = {}
    seen: dict[str, int] = {}
    from archgen.rules import get_rule

    for f in sorted(findings, key=lambda x: x.sort_key):
        base = f"{f.rule}:{f.component or model.name}"
        seen[base] = seen.get(base, 0) + 1
        tid = base if seen[base] == 1 else f"{base}#{seen[base]}"
        rule = get_rule(f.rule)
        threats.append({
            "id": tid,
            "name": c.one_line(rule.title if rule else f.rule),
            "description": " ".join(f.message.split()),
            "categories": [f.category],
            "risk": {"likelihood": None, "impact": IMPACT[f.severity], "impactComment": f.severity},
            "tags": [f.rule, f.severity],
            "attributes": {"rule": f.rule, "accepted": f.accepted, **({"reason": " ".join(str(f.reason).split())} if f.accepted and f.reason else {})},
        })
        mid = f"{tid}:remediation"
        mitigations.append({"id": mid, "name": c.one_line(f"Remediate {f.rule}"), "description": " ".join(f.remediation.split()), "riskReduction": 100})
        if f.component in model.components:
            by_component.setdefault(f.component, []).append(
                {"threat": tid, "state": "accepted" if f.accepted else "exposed",
                 "mitigations": [{"mitigation": mid, "state": "implemented" if f.accepted else "recommended"}]})
    from archgen.graph import ArchGraph

    graph = ArchGraph(model)
    brought: dict[str, set[str]] = {}  # data classes the flows into a component carry
    for fl in model.flows:
        brought.setdefault(fl.to, set()).update(fl.data)
    components = []
    for comp in comps:
        host = comp.runs_on if comp.runs_on in model.components else None
        parent = {"component": host} if host else {"trustZone": model.zone_of(comp)}
        item: dict[str, Any] = {"id": comp.id, "name": c.one_line(comp.display_name), "type": comp.kind}
        if comp.description:
            item["description"] = " ".join(comp.description.split())
        item["parent"] = parent
        held = sorted(set(comp.data) | brought.get(comp.id, set()))
        if held:
            item["assets"] = {"processed": held, "stored": held if has_trait(comp.kind, "data_store") else []}
        if comp.id in by_component:
            item["threats"] = by_component[comp.id]
        key = c.service_key(model, comp)
        item["tags"] = [comp.kind] + ([key] if key and key != comp.kind else [])
        item["attributes"] = {"service": c.service_name(model, comp), "zone": model.zone_of(comp),
                              "public": comp.is_public, "exposed": graph.is_exposed(comp.id)}
        components.append(item)
    dataflows = []
    for row in c.flows(model):
        flow = row.flow
        attrs: dict[str, Any] = {"encrypted": facts.flow_tls(model, flow), "async": flow.is_async,
                                 "crossesTrustBoundary": facts.crosses_trust_boundary(model, flow)}
        if row.protocol:
            attrs["protocol"] = row.protocol
        if flow.auth:
            attrs["auth"] = flow.auth
        if flow.rps is not None:
            attrs["rps"] = flow.rps
        item = {"id": row.id, "name": row.label or f"{row.source} -> {row.target}", "source": row.source,
                "destination": row.target, "bidirectional": False}
        if flow.data:
            item["assets"] = sorted(flow.data)
        item["tags"] = [t for t in (row.protocol, "async" if flow.is_async else None) if t]
        item["attributes"] = attrs
        dataflows.append(item)
    assets = [{"id": d, "name": d, "risk": dict(ASSET_RISK)} for d in sorted(model.data_classes)]
    project: dict[str, Any] = {"name": c.one_line(model.display_name), "id": model.name}
    if model.description:
        project["description"] = " ".join(model.description.split())
    project["tags"] = [str(model.provider)]
    project["attributes"] = {"generatedBy": c.generated_note(model)}
    return {
        "otmVersion": OTM_VERSION,
        "project": project,
        "assets": assets,
        "trustZones": trust_zones,
        "components": components,
        "dataflows": dataflows,
        "threats": threats,
        "mitigations": mitigations,
    }


def render(model: Model, findings: Sequence[Finding] | None = None) -> str:
    """The OTM document as JSON."""
    return json.dumps(document(model, findings), indent=2, ensure_ascii=False) + "\n"
