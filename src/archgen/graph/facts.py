"""Facts about a model that several rules, drafts and generators need, computed in one place.

A rule decides *whether* something is a finding; what the model *is* (what the internet
reaches, which sensitive data a component holds, whether a flow is encrypted, whether
the team can run a cluster, what exceeds a service's limits, which accepted decisions
cover a component) is stated here once, from the graph, the catalog's traits and the
thresholds with their sources. Rules never import each other: they import this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from archgen.catalog import protocols
from archgen.catalog.thresholds import IDENTITY_AUTH, PLATFORM_TEAM_MIN, SENSITIVE_DATA
from archgen.catalog.vocabulary import has_trait, kinds_with

if TYPE_CHECKING:
    from archgen.graph import ArchGraph
    from archgen.model import Component, Flow, Model, Requirements

#: Kinds that are data stores whatever they hold (the catalog's `stateful` trait).
STATEFUL = kinds_with("data_store", "stateful")

# -- data -------------------------------------------------------------------------


def held_data(graph: ArchGraph, comp: Component) -> list[str]:
    """Sensitive data classes a component holds: its own, plus what flows bring into it."""
    found = set(comp.data)
    for flow in graph.flows_into(comp.id):
        found.update(flow.data)
    return sorted(found & set(SENSITIVE_DATA.value))


def held_all(graph: ArchGraph) -> dict[str, list[str]]:
    """:func:`held_data` of every component at once, in one pass over the flows."""
    sensitive = set(SENSITIVE_DATA.value)
    found: dict[str, set[str]] = {cid: set(c.data) & sensitive for cid, c in graph.model.components.items()}
    for flow in graph.model.flows:
        if flow.data:
            found[flow.to].update(set(flow.data) & sensitive)
    return {cid: sorted(v) for cid, v in found.items()}


def protected(comp: Component, held: list[str]) -> bool:
    """:func:`is_protected_store`, given what the component holds."""
    return comp.kind in STATEFUL or (has_trait(comp.kind, "data_store") and bool(held))


def is_protected_store(graph: ArchGraph, comp: Component) -> bool:
    """A store that must not face the internet: any stateful store, or a bucket with sensitive data."""
    if comp.kind in STATEFUL:
        return True
    return has_trait(comp.kind, "data_store") and bool(held_data(graph, comp))


def resolves_directly(graph: ArchGraph, catalog: Any, front: Component, store: Component) -> Any | None:
    """The catalog fact that lets ``front`` (a managed API) reach ``store`` with no application tier.

    A managed GraphQL or REST API that authorizes every request itself and resolves it
    straight to a store of that kind (AppSync resolvers to DynamoDB, API Gateway service
    integrations: the service's ``direct_integration``), unless a flow into the API says
    ``auth: none``, which leaves nobody to authorize. None when there is no such fact.
    """
    svc = catalog.resolve_service(graph.model, front)
    direct = getattr(svc, "direct_integration", None)
    if direct is None or store.kind not in direct.kinds:
        return None
    if any(f.auth == "none" for f in graph.flows_into(front.id)):
        return None
    return direct


def sensitive_behind(graph: ArchGraph) -> dict[str, set[str]]:
    """For every component, the sensitive data classes held by it or by anything it reaches.

    One backward walk per data class from where the class lives (components that hold
    it, flows that carry it), so the cost is linear in the size of the model.
    """
    sensitive = set(SENSITIVE_DATA.value)
    callers: dict[str, set[str]] = {}
    seeds: dict[str, set[str]] = {c: set() for c in sensitive}
    for flow in graph.model.flows:
        callers.setdefault(flow.to, set()).add(flow.source)
        for c in set(flow.data) & sensitive:
            seeds[c].add(flow.source)
    for comp in graph.model.components.values():
        for c in set(comp.data) & sensitive:
            seeds[c].add(comp.id)
    behind: dict[str, set[str]] = {cid: set() for cid in graph.model.components}
    for c, start in seeds.items():
        stack = sorted(start)
        seen = set(start)
        while stack:
            cur = stack.pop()
            behind[cur].add(c)
            for prev in callers.get(cur, ()):
                if prev not in seen:
                    seen.add(prev)
                    stack.append(prev)
    return behind


# -- the internet -----------------------------------------------------------------


def exposure(graph: ArchGraph, comp: Component) -> str | None:
    """Why the internet reaches ``comp`` directly, in words; None when it does not.

    Only people in the internet zone count: staff in ``corporate`` who call a database
    do not make it public.
    """
    if has_trait(comp.kind, "person"):
        return None
    if comp.is_public:
        return "it is public: true" if comp.public else f"a {comp.kind} is public by default"
    actors = [c.id for c in graph.callers(comp.id, kinds_with("person")) if graph.is_internet_caller(c)]
    if actors:
        return f"{', '.join(repr(i) for i in actors)} call{'s' if len(actors) == 1 else ''} it directly"
    return None


# -- transport --------------------------------------------------------------------


def label_protocol(label: str | None) -> str | None:
    """The protocol a flow label names, from the table (``'JSON/HTTPS'`` -> ``'https'``); None: free text."""
    return protocols.match_label(label)


def flow_protocol(flow: Flow) -> str | None:
    """The flow's protocol key: its ``protocol``, else the one its label names, else None."""
    return flow.protocol or protocols.match_label(flow.label)


def flow_tls(model: Model, flow: Flow) -> bool:
    """Whether a flow is encrypted in transit.

    Its ``tls`` always wins; then ``auth: mtls`` (mutual TLS is TLS); then a label word
    that says so (``plaintext``...); then its protocol's entry in the table (``https``
    yes, ``http`` and ``redis`` no, ``postgres`` as the target says); else the target's ``tls``.
    """
    if flow.tls is not None:
        return flow.tls
    if flow.auth == "mtls":
        return True
    if flow.protocol is None and protocols.says_unencrypted(flow.label):
        return False
    key = flow_protocol(flow)
    if key is not None:
        entry = protocols.protocol(key)
        if not entry.follows_target:
            return bool(entry.encrypted)
    return model.components[flow.to].tls


def plaintext_reason(flow: Flow) -> str | None:
    """Why a flow's protocol or label says it is not encrypted, in words (``over http``); None otherwise."""
    if flow.tls is not None or flow.auth == "mtls":
        return None
    if flow.protocol is None and protocols.says_unencrypted(flow.label):
        return f"over {flow.label}"
    key = flow_protocol(flow)
    if key is not None and protocols.protocol(key).encrypted is False:
        return f"over {flow.label}" if flow.protocol is None and flow.label else f"over {key}"
    return None


def through_tunnel(model: Model, flow: Flow) -> bool:
    """Whether one end of a flow is a tunnel (a `vpn`: catalog trait ``tunnel``), which
    encrypts the crossing between zones whatever the protocol inside it."""
    return has_trait(model.components[flow.source].kind, "tunnel") or has_trait(model.components[flow.to].kind, "tunnel")


# -- zones ------------------------------------------------------------------------


def zone_of(model: Model, comp: Component) -> str:
    """Where ``comp`` sits: its ``zone``, else its host's, else its kind's (internet or cloud)."""
    return model.zone_of(comp)


def is_trusted(model: Model, zone: str) -> bool:
    """Whether ``zone`` is trusted: cloud, on_prem, corporate yes; internet, partner no; a model's own by its flag."""
    return model.zone_trusted(zone)


def flow_zones(model: Model, flow: Flow) -> tuple[str, str]:
    """The zones a flow leaves and enters."""
    return zone_of(model, model.components[flow.source]), zone_of(model, model.components[flow.to])


def crosses_zones(model: Model, flow: Flow) -> bool:
    """Whether a flow leaves one zone for another."""
    a, b = flow_zones(model, flow)
    return a != b


def crosses_trust_boundary(model: Model, flow: Flow) -> bool:
    """Whether a flow goes between a trusted zone and an untrusted one (either way)."""
    a, b = flow_zones(model, flow)
    return a != b and is_trusted(model, a) != is_trusted(model, b)


def enters_trusted_zone(model: Model, flow: Flow) -> bool:
    """Whether a flow comes from an untrusted zone into a trusted one (the internet calling in)."""
    a, b = flow_zones(model, flow)
    return a != b and not is_trusted(model, a) and is_trusted(model, b)


# -- identity ---------------------------------------------------------------------


def identifies(flow: Flow) -> bool:
    """Whether a flow names who is calling (its ``auth`` is one of IDENTITY_AUTH)."""
    return flow.auth in IDENTITY_AUTH.value


def identity_in_front(graph: ArchGraph, comp: Component) -> str | None:
    """How people reaching ``comp`` from the internet are identified, in words; None when nothing says.

    Any of: every flow that brings internet traffic to it (directly or through fronting
    components) names the caller (``auth: oidc``, ``token``, ``iam``, ``mtls``); a
    fronting component on the way, or ``comp`` itself, hands the login to an ``identity``
    component (the ALB's OIDC action, JupyterHub's OAuthenticator).
    """
    identity = {c.id for c in graph.components(kinds_with("signs_in"))}
    if any(v.id in identity for v in graph.callees(comp.id)):
        return f"{comp.id!r} signs people in with an identity provider"
    entering: list[Flow] = []
    seen = {comp.id}
    stack = [comp.id]
    while stack:
        cur = stack.pop()
        for flow in graph.flows_into(cur):
            src = graph.component(flow.source)
            if graph.is_internet_caller(src):
                entering.append(flow)
            elif has_trait(src.kind, "fronting") and flow.source not in seen:
                if any(v.id in identity for v in graph.callees(src.id)):
                    return f"{src.id!r} in front of it signs people in with an identity provider"
                seen.add(flow.source)
                stack.append(flow.source)
    if entering and all(identifies(f) for f in entering):
        return "every flow from the internet names its caller (" + ", ".join(sorted({str(f.auth) for f in entering})) + ")"
    return None



# -- the team and the platform ----------------------------------------------------


def team_ready(requirements: Requirements) -> bool:
    """Whether the team can run Kubernetes: a platform team with Kubernetes experience."""
    return requirements.ops_team >= int(PLATFORM_TEAM_MIN.value) and requirements.kubernetes_experience


def over_limits(svc: Any, requirements: Requirements, service_count: int) -> list[str]:
    """What of the model exceeds the service's documented limits (peak rps, services), in words."""
    out = []
    limits = getattr(svc, "limits", None) or {}
    peak = requirements.peak_rps
    rps = limits.get("max_peak_rps")
    if rps is not None and peak is not None and isinstance(rps.value, (int, float)) and peak > rps.value:
        why = f": {rps.note}" if rps.note else ""
        out.append(f"peak {peak:,.0f} rps is above its limit of {rps.value:,} rps{why}")
    most = limits.get("max_services")
    if most is not None and isinstance(most.value, (int, float)) and service_count > most.value:
        out.append(f"{service_count} services are more than its limit of {most.value:,}")
    return out


# -- decisions --------------------------------------------------------------------


def covers(decision: Any, model: Any, component: str | None = None) -> bool:
    """Whether an ADR concerns ``model`` (or, given ``component``, that component of it)."""
    refs = list(getattr(decision, "components", None) or [])
    adr = getattr(decision, "id", None)
    named = set(model.decisions)
    if component is not None:
        named.update(model.components[component].decisions)
    else:
        for comp in model.components.values():
            named.update(comp.decisions)
    if adr is not None and adr in named:
        return True
    if not refs:
        return component is None
    for ref in refs:
        owner, _, cid = str(ref).rpartition("/")
        if owner and owner != model.name:
            continue
        if (component is None and cid in model.components) or cid == component:
            return True
    return False


def accepted_with_tag(decisions: Iterable[Any], tag: str) -> list[Any]:
    """Accepted ADRs carrying ``tag`` (duck-typed: status, tags)."""
    return [
        d
        for d in decisions
        if getattr(d, "status", None) == "accepted" and tag in [str(t).lower() for t in getattr(d, "tags", None) or []]
    ]




# -- platform fit -----------------------------------------------------------------

#: What each platform class gives, in words (provider-neutral; the service names come from the catalog).
PLATFORM_WHY = {
    "app_platform": "an app platform: the provider runs the load balancer, TLS, scaling and hosts, so there is no cluster to operate",
    "containers": "managed containers: no nodes or control plane to run, and full control of tasks and networking",
    "serverless": "serverless containers: no hosts to run, scaling (to zero where offered) and billing per use",
    "kubernetes": "Kubernetes: a conformant API that moves between clouds, for a team that runs it",
    "vm": "virtual machines: full control of the host, and all of its operation",
}
PLATFORM_ORDER = ("app_platform", "containers", "serverless", "kubernetes", "vm")


def suggest(
    catalog: Any, model: Model, comp: Component, current: Any, *, kubernetes: bool, portable: bool, service_count: int
) -> Any | None:
    """The catalog service of the same kind and provider that fits the model best, or None."""
    return suggest_service(
        catalog, model, comp.kind, catalog.placement_provider(model, comp), current,
        kubernetes=kubernetes, portable=portable, service_count=service_count,
    )


def suggest_service(
    catalog: Any, model: Model, kind: str, home: str, current: Any, *, kubernetes: bool, portable: bool, service_count: int
) -> Any | None:
    """The ``kind`` service of provider ``home`` that fits the model best instead of ``current``, or None.

    ``current`` may be of another kind: a ``kubernetes_cluster`` weighed against the
    provider's ``container_service`` platforms.
    """
    services = catalog.services(kind, home)
    successors = {s.lifecycle.successor for s in services.values() if s.lifecycle.successor}
    default = catalog.default_service(kind, home)
    candidates = [
        s
        for s in services.values()
        if s.key != current.key
        and s.ga
        and s.platform in PLATFORM_ORDER
        and (kubernetes or s.platform != "kubernetes")
        and not over_limits(s, model.requirements, service_count)
        and (not portable or s.lock_in > current.lock_in)
    ]
    if not candidates:
        return None
    return min(
        candidates,
        key=lambda s: (
            -s.lock_in if portable else 0,
            PLATFORM_ORDER.index(s.platform),
            s.key not in successors,  # the provider's recommended successor first
            s.key != default,
            s.key,
        ),
    )


def fits_because(svc: Any) -> str:
    return f"{svc.name} (service: {svc.key}) fits: {PLATFORM_WHY[svc.platform]}"


# -- platform choices: one decision, judged once ----------------------------------

#: The kind whose platforms a cluster is weighed against: what runs on a cluster is containers.
CONTAINER_KIND = "container_service"
#: The tag of an ADR that records a platform choice (the tag a platform draft carries).
PLATFORM_TAG = "platform"


@dataclass(frozen=True)
class PlatformChoice:
    """One platform decision of a model, and every component it places.

    - an explicit cluster: a host (``kubernetes_cluster``) and what runs on it;
    - the implicit shared cluster: every unplaced component that names a Kubernetes
      service of the model's provider (``service: eks``), one control plane for all;
    - an app platform or managed containers: the unplaced container services on one service.

    Rules judge the choice once, on :attr:`anchor` (the cluster, or the first member by
    id), and one decision draft is written for it.
    """

    anchor: str
    members: tuple[str, ...]
    service: Any
    cluster: str | None = None

    @property
    def kubernetes(self) -> bool:
        return self.service.platform == "kubernetes"

    @property
    def others(self) -> tuple[str, ...]:
        """The members other than the anchor."""
        return tuple(m for m in self.members if m != self.anchor)


def platform_choices(catalog: Any, graph: ArchGraph) -> list[PlatformChoice]:
    """The model's platform decisions (see :class:`PlatformChoice`), sorted by anchor."""
    model = graph.model
    out: list[PlatformChoice] = []
    implicit: list[Component] = []
    groups: dict[str, list[Component]] = {}
    for comp in graph.components():
        svc = catalog.resolve_service(model, comp)
        if svc is None or svc.platform is None:
            continue
        if has_trait(comp.kind, "host") and svc.platform == "kubernetes":
            guests = [g.id for g in graph.guests(comp.id)]
            out.append(PlatformChoice(comp.id, (comp.id, *guests), svc, cluster=comp.id))
        elif comp.runs_on:
            continue  # placed: its host is the choice
        elif svc.platform == "kubernetes":
            implicit.append(comp)
        elif comp.kind == CONTAINER_KIND:
            groups.setdefault(svc.key, []).append(comp)
    if implicit:
        first = implicit[0]
        out.append(PlatformChoice(first.id, tuple(c.id for c in implicit), catalog.resolve_service(model, first)))
    for comps in groups.values():
        first = comps[0]
        out.append(PlatformChoice(first.id, tuple(c.id for c in comps), catalog.resolve_service(model, first)))
    return sorted(out, key=lambda c: c.anchor)


def platform_decisions(decisions: Iterable[Any], model: Model, choice: PlatformChoice, statuses: tuple[str, ...] = ("accepted",)) -> list[Any]:
    """ADRs (of ``statuses``) that record ``choice``: tagged ``platform`` and linked to one of its
    members (``components:``, or a member's ``decisions:``), or linked to its cluster itself."""
    found = []
    for d in decisions:
        if getattr(d, "status", None) not in statuses:
            continue
        tags = [str(t).lower() for t in getattr(d, "tags", None) or []]
        if choice.cluster is not None and covers_component(d, model, choice.cluster):
            found.append(d)
        elif PLATFORM_TAG in tags and any(covers_component(d, model, m) for m in choice.members):
            found.append(d)
    return sorted(found, key=lambda d: getattr(d, "id", ""))


def recorded_platform_choice(decisions: list[Any]) -> str | None:
    """The ``accepted_by`` text of a platform finding that accepted ADRs record (see
    :func:`platform_decisions`), or None when none does."""
    if not decisions:
        return None
    return "; ".join(f"{d.id} (accepted) records this platform choice: {d.title}" for d in decisions)


def covers_component(decision: Any, model: Any, component: str) -> bool:
    """Whether an ADR names ``component`` (its ``components:``, or the component's ``decisions:``).

    Unlike :func:`covers`, an ADR that names no component is not about this one."""
    if getattr(decision, "id", None) in model.components[component].decisions:
        return True
    for ref in getattr(decision, "components", None) or []:
        owner, _, cid = str(ref).rpartition("/")
        if cid == component and (not owner or owner == model.name):
            return True
    return False
