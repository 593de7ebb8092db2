"""What to draw: the diagram views of one model, as plain, sorted, hashable specs.

This module decides *what* a picture shows and nothing about *how*: it never imports
``diagrams`` or Graphviz (that is :mod:`archgen.generators.draw`), and it reads the model's
structure only through :class:`~archgen.graph.ArchGraph`. A view is a
:class:`ViewSpec` of :class:`NodeSpec`, :class:`ClusterSpec` and :class:`EdgeSpec`:

- node ids are pinned to component ids (so a picture, a diff and a page agree),
- everything is sorted and frozen (same model, same spec, same hash, same bytes),
- text is kept raw; the drawer escapes it for DOT and SVG.

Views (see docs/diagrams.md):

``overview``  every component with its provider icon and title, groups as clusters,
              flows with their labels;
``network``   the internet, the public edge and the private tiers as nested clusters;
``data``      components and flows that carry pii, payment, health or credentials data;
``findings``  components with unaccepted errors or warnings marked.

A model with more than :data:`LARGE_MODEL_COMPONENTS` components gets a group-level
``overview`` plus one ``group-<slug>`` view per group instead of one unreadable picture,
and its ``network``, ``data`` and ``findings`` views keep only what they are about. Its
views of more than :data:`PART_NODES` nodes are cut in parts (``data-part-1``...) by
:func:`fit`, and laid out as a grid (``layout="grid"``), so that none is more than
:data:`MAX_SIDE_PX` on a side or :data:`MAX_ASPECT` times as long as wide.

Node and edge specs carry a ``status`` (``added``, ``removed``, ``changed``,
``unchanged`` or None) so that a model diff can draw a union spec with the same drawer.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, fields, replace
from typing import TYPE_CHECKING, Any

from archgen.catalog.vocabulary import KIND_TIER, ZONES, kinds_with
from archgen.graph.facts import flow_protocol, platform_choices
from archgen.graph import COMPUTE_KINDS, DATA_STORE_KINDS, INTERNET_ZONE, PERSON_KINDS, ArchGraph
from archgen.rendering.textutil import plural

if TYPE_CHECKING:
    from archgen.catalog import Catalog
    from archgen.findings import Finding
    from archgen.model import Component, Flow, Model

__all__ = [
    "CLUSTER_STYLES",
    "EDGE_STYLES",
    "GROUP_LINKS_SHOWN",
    "LARGE_MODEL_COMPONENTS",
    "NODE_STYLES",
    "STATUSES",
    "ClusterSpec",
    "EdgeSpec",
    "NodeSpec",
    "ViewSpec",
    "build_views",
    "context_view",
    "data_view",
    "findings_view",
    "iter_views",
    "network_view",
    "overview_view",
]

#: Above this many components a model is drawn per group (plus a group-level overview).
LARGE_MODEL_COMPONENTS = 60

#: In the group-level overview of a large model, each group's links to other groups
#: are cut to its busiest few (by number of flows); the group views show every flow.
GROUP_LINKS_SHOWN = 3

#: Styles the drawer knows; anything else is a bug (the drawer raises).
NODE_STYLES = ("normal", "muted", "context", "sensitive", "exposed", "error", "warning", "group", "summary", "system")
EDGE_STYLES = ("normal", "muted", "sensitive", "implicit", "aggregate")
CLUSTER_STYLES = ("group", "context", "internet", "external", "cloud", "edge", "private", "tier", "host", "zone", "untrusted", "managed", "system")
#: How a view is laid out (:attr:`ViewSpec.layout`).
LAYOUTS = ("ranks", "grid")
#: Diff statuses; they override the style's colours in the drawer.
STATUSES = ("added", "removed", "changed", "unchanged")

#: Icons for what is not a component: the internet itself, and a kind with no service
#: on the model's provider (the catalog names every real service's icon).
INTERNET_ICON = "diagrams.onprem.network.Internet"
GAP_ICON = "diagrams.generic.blank.Blank"

#: Data classes that make a flow or a component sensitive (all of MODEL.md's classes).
SENSITIVE = ("pii", "payment", "health", "credentials")

#: The private tiers of the network view, in drawing order: (id, label, kinds).
#: Kinds in no tier (secrets, registry, monitoring, budget, ci_cd, dns...) are platform services.
_TIERS: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("tier-app", "Application tier", frozenset(k for k, tier in KIND_TIER.items() if tier == "app")),
    ("tier-data", "Data tier", frozenset(k for k, tier in KIND_TIER.items() if tier == "data")),
    ("tier-platform", "Platform services", frozenset()),
)
_MAX_RULES_SHOWN = 3
_EXTERNAL_KINDS = kinds_with("external")


# ---------------------------------------------------------------------------
# the spec


@dataclass(frozen=True, order=True)
class NodeSpec:
    """One box of a picture. ``id`` is the component id (or a derived id that no
    component can take, e.g. ``group.backend``); ``cluster`` the innermost cluster."""

    id: str
    label: str
    icon: str | None = None  # dotted path of a `diagrams` class, from the catalog
    cluster: str | None = None
    style: str = "normal"
    note: str | None = None  # a second, smaller fact under the label (data classes, rule ids)
    status: str | None = None


@dataclass(frozen=True, order=True)
class ClusterSpec:
    """A box around nodes; ``parent`` nests it in another cluster."""

    id: str
    label: str
    parent: str | None = None
    style: str = "group"


@dataclass(frozen=True, order=True)
class EdgeSpec:
    """A directed edge. ``id`` is stable: ``source->target[:label][#n]``."""

    id: str
    source: str
    target: str
    label: str = ""
    style: str = "normal"
    status: str | None = None
    asynchronous: bool = False  # a message or event (the flow's `async`): drawn dashed


@dataclass(frozen=True)
class ViewSpec:
    """One picture: what it draws and a one-line description for the page."""

    name: str  # file stem: overview, network, data, findings, group-<slug>
    title: str
    description: str
    nodes: tuple[NodeSpec, ...]
    clusters: tuple[ClusterSpec, ...] = ()
    edges: tuple[EdgeSpec, ...] = ()
    direction: str = "LR"
    #: ``ranks``: as Graphviz ranks the flows; ``grid``: the boxes in columns of about
    #: the square root of their count (large views, see :func:`fit`)
    layout: str = "ranks"

    def __post_init__(self) -> None:
        if self.layout not in LAYOUTS:
            raise ValueError(f"view {self.name}: layout {self.layout!r}")
        ids = [n.id for n in self.nodes]
        if len(set(ids)) != len(ids):
            raise ValueError(f"view {self.name}: duplicate node ids")
        cluster_ids = {c.id for c in self.clusters}
        if len(cluster_ids) != len(self.clusters):
            raise ValueError(f"view {self.name}: duplicate cluster ids")
        for c in self.clusters:
            if c.parent is not None and c.parent not in cluster_ids:
                raise ValueError(f"view {self.name}: cluster {c.id} has unknown parent {c.parent}")
        for n in self.nodes:
            if n.cluster is not None and n.cluster not in cluster_ids:
                raise ValueError(f"view {self.name}: node {n.id} is in unknown cluster {n.cluster}")
        known = set(ids)
        edge_ids = [e.id for e in self.edges]
        if len(set(edge_ids)) != len(edge_ids):
            raise ValueError(f"view {self.name}: duplicate edge ids")
        for e in self.edges:
            if e.source not in known or e.target not in known:
                raise ValueError(f"view {self.name}: edge {e.id} names a node that is not drawn")

    def to_json(self) -> dict[str, Any]:
        """A plain, sorted description of the view (what the hash covers)."""
        return asdict(self)

    @functools.cached_property
    def _digest(self) -> str:
        rows: list[Any] = [self.name, self.title, self.description, self.direction, self.layout]
        for part in (self.nodes, self.clusters, self.edges):
            rows.append([_field_values(type(x))(x) for x in part])
        text = json.dumps(rows, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def digest(self) -> str:
        """SHA-256 of what the view draws (every field of every part, in order): equal
        specs, equal digests, across runs and machines."""
        return self._digest


@functools.lru_cache(maxsize=None)
def _field_values(cls: type) -> Callable[[Any], Any]:
    """A function giving every field of a spec part, in declaration order (as a tuple,
    which JSON writes as the list it was before)."""
    getter = operator.attrgetter(*(f.name for f in fields(cls)))
    return getter if len(fields(cls)) > 1 else lambda x: (getter(x),)


def make_view(
    name: str,
    title: str,
    description: str,
    nodes: Iterable[NodeSpec],
    clusters: Iterable[ClusterSpec] = (),
    edges: Iterable[EdgeSpec] = (),
    direction: str = "LR",
    layout: str = "ranks",
) -> ViewSpec:
    """A :class:`ViewSpec` with its parts sorted; empty clusters (no node inside, at
    any depth) are dropped. Other generators (the diff) build their specs here too."""
    node_list = sorted(nodes)
    cluster_list = sorted(clusters)
    used: set[str] = set()
    parents = {c.id: c.parent for c in cluster_list}
    for n in node_list:
        cid = n.cluster
        while cid is not None and cid not in used:
            used.add(cid)
            cid = parents.get(cid)
    return ViewSpec(
        name=name,
        title=title,
        description=description,
        nodes=tuple(node_list),
        clusters=tuple(c for c in cluster_list if c.id in used),
        edges=tuple(sorted(edges, key=lambda e: (e.source, e.target, e.label, e.id))),
        direction=direction,
        layout=layout,
    )


# ---------------------------------------------------------------------------
# helpers


def slug(text: str) -> str:
    """A lowercase [a-z0-9-] form of free text (group names), never empty."""
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s or "x"


def _slugs(names: Iterable[str]) -> dict[str, str]:
    """Unique slugs for sorted names: the first keeps ``slug``, later ones get ``-2``..."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for name in sorted(set(names)):
        base = slug(name)
        s, n = base, 1
        while s in taken:
            n += 1
            s = f"{base}-{n}"
        taken.add(s)
        out[name] = s
    return out


def flow_edge_ids(flows: Sequence[Flow]) -> list[tuple[str, Flow]]:
    """Stable ids for flows, sorted by (source, target, label): ``a->b``, ``a->b:label``,
    and ``#2``, ``#3`` for exact repeats."""
    seen: dict[str, int] = {}
    out = []
    for flow in sorted(flows, key=lambda f: f.key):
        base = f"{flow.source}->{flow.to}" + (f":{flow.label}" if flow.label else "")
        seen[base] = seen.get(base, 0) + 1
        out.append((base if seen[base] == 1 else f"{base}#{seen[base]}", flow))
    return out


def _icon(cat: Catalog, model: Model, comp: Component) -> str:
    """The icon the catalog gives the component's service; for a component on a device,
    the icon of its ``platform``; for a system archgen does not provision, the icon of
    the zone it sits in (a data centre on premises), where the zone has one."""
    svc = cat.resolve_service(model, comp)
    if svc is None:
        return GAP_ICON
    if comp.platform and comp.platform in svc.platform_icons:
        return svc.platform_icons[comp.platform]
    if comp.kind in _EXTERNAL_KINDS:
        zone_icon = ZONES.get(model.zone_of(comp), {}).get("icon")
        if zone_icon:
            return str(zone_icon)
    return svc.icon


class _Ctx:
    """What every view of one model reads: the graph, the catalog, group ids."""

    def __init__(self, model: Model, catalog: Catalog | None) -> None:
        if catalog is None:
            from archgen.catalog import get_catalog

            catalog = get_catalog()
        self.model = model
        self.cat = catalog
        self.graph = ArchGraph(model)
        self.group_slug = _slugs(c.group for c in self.graph.components() if c.group)
        self.host_key, self.host_label = _hosts(self)

    def title(self, what: str) -> str:
        return f"{self.model.display_name}: {what}"

    def group_cluster(self, group: str | None) -> str | None:
        return None if group is None else f"group-{self.group_slug[group]}"

    def group_clusters(self, style: str = "group", only: Iterable[str] | None = None) -> list[ClusterSpec]:
        wanted = None if only is None else set(only)
        return [
            ClusterSpec(id=f"group-{s}", label=g, style=style)
            for g, s in self.group_slug.items()
            if wanted is None or g in wanted
        ]

    def node(self, comp: Component, **kw: Any) -> NodeSpec:
        kw.setdefault("cluster", self.group_cluster(comp.group))
        return NodeSpec(id=comp.id, label=comp.display_name, icon=_icon(self.cat, self.model, comp), **kw)

    # -- placement: a cluster (or VM) drawn as a box around what runs on it

    def placed(self, base: Callable[[Component], str | None], shared_parent: str | None = None) -> _Placement:
        """Where each component goes in a view whose own rule is ``base`` (a cluster
        id per component): a component that runs on a host goes in the host's box
        (``host-<id>``, or :data:`SHARED_HOST` for the implicit shared cluster), in a
        box of its group inside it when it has one; the host's box goes where ``base``
        puts the host itself (the shared one in ``shared_parent``)."""
        return _Placement(self, base, shared_parent)


#: The box of the implicit cluster that components naming a Kubernetes service of their
#: provider (``service: eks``) share when they say no ``runs_on`` (MODEL.md, Placement).
#: A derived id no component can take (component ids have no dot).
SHARED_HOST = "host.shared"
_HOST_KINDS = kinds_with("host")


def host_cluster(key: str) -> str:
    """The cluster id of a host's box: ``host-<component id>``, or :data:`SHARED_HOST`."""
    return key if key == SHARED_HOST else f"host-{key}"


def _hosts(ctx: _Ctx) -> tuple[dict[str, str], dict[str, str]]:
    """(guest id -> host key, host key -> box label) for every host that has guests.

    A guest runs on its ``runs_on`` host; the components with no ``runs_on`` whose
    service runs on Kubernetes (its catalog ``platform``: ``service: eks``, or a
    Deployment of the kubernetes provider) share the model's one implicit cluster, as
    :func:`archgen.graph.facts.platform_choices` decides for the rules and drafts."""
    model, cat = ctx.model, ctx.cat
    key: dict[str, str] = {}
    for comp in ctx.graph.components():
        host = ctx.graph.host_of(comp)
        if host is not None:
            key[comp.id] = host.id
    for choice in platform_choices(cat, ctx.graph):  # the rules' and the drafts' own answer
        if choice.cluster is None and choice.kubernetes:
            key.update(dict.fromkeys(choice.members, SHARED_HOST))
    labels: dict[str, str] = {}
    for host_id in sorted(set(key.values())):
        if host_id == SHARED_HOST:
            cluster = cat.cluster_service(model.provider)
            name = cluster.name if cluster is not None else "Kubernetes"
            labels[host_id] = f"Shared Kubernetes cluster ({name}, implicit)"
        else:
            host = model.components[host_id]
            svc = cat.resolve_service(model, host)
            labels[host_id] = f"{host.display_name} ({svc.name})" if svc is not None else host.display_name
    return key, labels


class _Placement:
    """Where components and host boxes go in one view (see :meth:`_Ctx.placed`)."""

    def __init__(self, ctx: _Ctx, base: Callable[[Component], str | None], shared_parent: str | None) -> None:
        self.ctx, self.base, self.shared_parent = ctx, base, shared_parent
        self._group_boxes: dict[str, ClusterSpec] = {}

    def is_host(self, comp: Component) -> bool:
        return comp.id in self.ctx.host_label

    def cluster(self, comp: Component) -> str | None:
        """The innermost cluster of ``comp``: its host's box (or its group's box inside
        it); a host with guests sits in its own box (its icon names the service: EKS,
        GKE...); else what ``base`` says."""
        key = self.ctx.host_key.get(comp.id)
        if self.is_host(comp):
            return host_cluster(comp.id)
        if key is None:
            return self.base(comp)
        box = host_cluster(key)
        if not comp.group:
            return box
        inner = f"{box}.group-{self.ctx.group_slug[comp.group]}"
        self._group_boxes.setdefault(inner, ClusterSpec(inner, comp.group, box, "group"))
        return inner

    def clusters(self) -> list[ClusterSpec]:
        """The host boxes (each where its host would go, nested for a host placed on
        another) and the group boxes inside them that :meth:`cluster` handed out."""
        out = list(self._group_boxes.values())
        for key, label in self.ctx.host_label.items():
            if key == SHARED_HOST:
                parent = self.shared_parent
            else:
                host = self.ctx.model.components[key]
                outer = self.ctx.host_key.get(key)
                parent = host_cluster(outer) if outer is not None else self.base(host)
            out.append(ClusterSpec(host_cluster(key), label, parent, "host"))
        return out


def _flow_classes(ctx: _Ctx, flow: Flow) -> set[str]:
    """Sensitive data classes a flow carries: declared on it, or held by a data store at
    either end (what is read from or written to a store crosses the flow)."""
    found = set(flow.data)
    for cid in (flow.source, flow.to):
        comp = ctx.model.components[cid]
        if comp.kind in DATA_STORE_KINDS:
            found.update(comp.data)
    return found & set(SENSITIVE)


def _edge_label(flow: Flow, classes: Iterable[str] = ()) -> str:
    cls = sorted(classes)
    label = flow.label or ""
    if cls:
        label = f"{label} ({', '.join(cls)})" if label else f"({', '.join(cls)})"
    return label


# ---------------------------------------------------------------------------
# the views of a model of ordinary size


def _placement_note(ctx: _Ctx) -> str:
    """What the view's description says about cluster boxes, if there are any."""
    if not ctx.host_label:
        return ""
    guests = len(ctx.host_key)
    return f" {plural(guests, 'component')} that run on a cluster or VM are drawn inside its box."


def overview_view(model: Model, catalog: Catalog | None = None) -> ViewSpec:
    """Every component with its icon and title, groups as clusters, flows with labels;
    what runs on a cluster (or VM) inside the cluster's box."""
    ctx = _Ctx(model, catalog)
    place = ctx.placed(lambda c: ctx.group_cluster(c.group))
    nodes = [ctx.node(c, cluster=place.cluster(c)) for c in ctx.graph.components()]
    edges = [EdgeSpec(id=i, source=f.source, target=f.to, label=f.label or "", asynchronous=f.is_async) for i, f in flow_edge_ids(ctx.graph.flows())]
    groups = len(ctx.group_slug)
    desc = f"Every component with its {ctx.cat.provider_name(model.provider)} service and every flow"
    desc += f"; {plural(groups, 'group')} drawn as boxes." if groups else "."
    desc += _placement_note(ctx)
    if any(e.asynchronous for e in edges):
        desc += " Dashed arrows are messages or events nobody waits for (async)."
    return make_view("overview", ctx.title("overview"), desc, nodes, ctx.group_clusters() + place.clusters(), edges)


#: The cluster of the network view for the model's own cloud zone (catalog default_zone).
_CLOUD_ZONE = "cloud"


def _zone_cluster(zone: str) -> str:
    return "cloud" if zone == _CLOUD_ZONE else f"zone-{zone}"


def _network_placement(ctx: _Ctx, comp: Component) -> tuple[str, str]:
    """(cluster id, style) of a component in the network view: people and external
    systems in their zone (the internet's own boxes, or a zone box such as on premises
    or the corporate network); what is provisioned in the cloud in the public edge when
    the internet reaches it, outside the private network when the provider runs it
    there (catalog: the service's ``network``), else in its private tier."""
    zone = ctx.graph.zone_of(comp)
    if comp.kind in PERSON_KINDS:
        return ("internet" if zone == INTERNET_ZONE else _zone_cluster(zone)), "normal"
    if comp.kind in _EXTERNAL_KINDS:
        return ("external" if zone == INTERNET_ZONE else _zone_cluster(zone)), "normal"
    if zone != _CLOUD_ZONE:
        return _zone_cluster(zone), "normal"
    if ctx.graph.is_exposed(comp.id):
        risky = comp.kind in DATA_STORE_KINDS or comp.kind in COMPUTE_KINDS
        return "edge", "exposed" if risky else "normal"
    if ctx.cat.network(ctx.model, comp) == "provider":
        return "managed", "normal"
    for tier_id, _, kinds in _TIERS:
        if comp.kind in kinds:
            return tier_id, "normal"
    return _TIERS[-1][0], "normal"


def _network_clusters(ctx: _Ctx) -> list[ClusterSpec]:
    where = ctx.cat.provider_name(ctx.model.provider)
    if ctx.model.region:
        where += f" {ctx.model.region}"
    clusters = [
        ClusterSpec("internet", "Internet", None, "internet"),
        ClusterSpec("external", "External systems", None, "external"),
        ClusterSpec("cloud", where, None, "cloud"),
        ClusterSpec("edge", "Public edge (reachable from the internet)", "cloud", "edge"),
        ClusterSpec("private", "Private network", "cloud", "private"),
        ClusterSpec("managed", f"Run by {ctx.cat.provider_name(ctx.model.provider)} outside the private network", "cloud", "managed"),
    ]
    clusters += [ClusterSpec(tid, label, "private", "tier") for tid, label, _ in _TIERS]
    return clusters + _zone_clusters(ctx, ctx.graph.components())


def _zone_clusters(ctx: _Ctx, comps: Iterable[Component]) -> list[ClusterSpec]:
    """A box per trust zone of ``comps`` other than the internet and the cloud (on
    premises, the corporate network, a zone of the model's own): solid when trusted."""
    zones = {ctx.graph.zone_of(c) for c in comps} - {INTERNET_ZONE, _CLOUD_ZONE}
    return [
        ClusterSpec(_zone_cluster(zone), ctx.model.zone_title(zone), None, "zone" if ctx.model.zone_trusted(zone) else "untrusted")
        for zone in sorted(zones)
    ]


def _context_cluster(ctx: _Ctx, comp: Component) -> str | None:
    """The zone box of a person or system around the system (none in the internet)."""
    zone = ctx.graph.zone_of(comp)
    return None if zone in (INTERNET_ZONE, _CLOUD_ZONE) else _zone_cluster(zone)


def _internet_edges(ctx: _Ctx, drawn: set[str]) -> list[EdgeSpec]:
    """The internet's own edges: to each public component no actor already calls."""
    out = []
    for comp in ctx.graph.components():
        if comp.kind in PERSON_KINDS | _EXTERNAL_KINDS or not comp.is_public or comp.id not in drawn:
            continue
        if any(c.kind in PERSON_KINDS for c in ctx.graph.callers(comp.id)):
            continue
        out.append(EdgeSpec(id=f"{ctx.graph.internet}->{comp.id}", source=ctx.graph.internet, target=comp.id, style="implicit"))
    return out


def network_view(model: Model, catalog: Catalog | None = None) -> ViewSpec:
    """The zones as boxes: the internet, the public edge, the private tiers, what the
    provider runs outside the private network, on-premises and corporate networks."""
    ctx = _Ctx(model, catalog)
    style_of = {c.id: _network_placement(ctx, c) for c in ctx.graph.components()}
    place = ctx.placed(lambda c: style_of[c.id][0], shared_parent="tier-app")
    nodes = [ctx.node(comp, cluster=place.cluster(comp), style=style_of[comp.id][1]) for comp in ctx.graph.components()]
    edges = [EdgeSpec(id=i, source=f.source, target=f.to, label=f.label or "", asynchronous=f.is_async) for i, f in flow_edge_ids(ctx.graph.flows())]
    inet = _internet_edges(ctx, {n.id for n in nodes})
    if inet:
        nodes.append(NodeSpec(id=ctx.graph.internet, label="Internet", icon=INTERNET_ICON, cluster="internet"))
    exposed = ctx.graph.exposed()
    risky = [n.id for n in nodes if n.style == "exposed"]
    managed = sum(1 for c, (cluster, _) in style_of.items() if cluster == "managed")
    desc = f"What the internet reaches: {plural(len(exposed), 'component')} in the public edge"
    desc += f" ({len(risky)} of them application or data components)" if risky else ""
    desc += "; everything else in private tiers"
    if managed:
        desc += f", or, for {plural(managed, 'service')} {ctx.cat.provider_name(model.provider)} runs outside the private network, beside it"
    desc += "."
    zones = sorted({ctx.graph.zone_of(c) for c in ctx.graph.components()} - {INTERNET_ZONE, _CLOUD_ZONE})
    if zones:
        desc += " Other zones: " + ", ".join(model.zone_title(z) for z in zones) + "."
    desc += _placement_note(ctx)
    return make_view("network", ctx.title("network"), desc, nodes, _network_clusters(ctx) + place.clusters(), edges + inet)


def data_view(model: Model, catalog: Catalog | None = None, *, only_sensitive: bool = False) -> ViewSpec:
    """Components and flows that carry sensitive data highlighted, the rest muted
    (left out with ``only_sensitive``)."""
    ctx = _Ctx(model, catalog)
    edges = []
    hot_nodes: set[str] = set()
    for eid, flow in flow_edge_ids(ctx.graph.flows()):
        classes = _flow_classes(ctx, flow)
        if classes:
            hot_nodes.update((flow.source, flow.to))
        elif only_sensitive:
            continue
        edges.append(EdgeSpec(id=eid, source=flow.source, target=flow.to, label=_edge_label(flow, classes), style="sensitive" if classes else "muted", asynchronous=flow.is_async))
    nodes = []
    sensitive = 0
    place = ctx.placed(lambda c: ctx.group_cluster(c.group))
    for comp in ctx.graph.components():
        classes = sorted(set(comp.data) & set(SENSITIVE))
        cluster = place.cluster(comp)
        if classes:
            sensitive += 1
            nodes.append(ctx.node(comp, cluster=cluster, style="sensitive", note=", ".join(classes)))
        elif comp.id in hot_nodes or not only_sensitive:
            nodes.append(ctx.node(comp, cluster=cluster, style="normal" if comp.id in hot_nodes else "muted"))
    hot_edges = sum(1 for e in edges if e.style == "sensitive")
    if sensitive or hot_edges:
        desc = (
            f"Where pii, payment, health or credentials data lives and travels: {plural(sensitive, 'component')} "
            f"and {plural(hot_edges, 'flow')} highlighted."
        )
    else:
        desc = "No component or flow carries pii, payment, health or credentials data."
    return make_view("data", ctx.title("sensitive data"), desc, nodes, ctx.group_clusters() + place.clusters(), edges)


#: The node of the context view that stands for the whole system (no component id has a dot).
SYSTEM_NODE = "system.self"
#: Labels an aggregated edge of the context view lists before it says "+N more".
_CONTEXT_LABELS = 2


def _context_note(ctx: _Ctx, comp: Component) -> str:
    """What a box around the system is, in C4's manner: ``[Person]``, ``[Mobile app]``,
    ``[External system]``, with the zone it sits in when that is not the internet."""
    if comp.kind in _DEVICE_KINDS:
        what = f"{comp.platform.capitalize()} app" if comp.platform else "Client app"
    elif comp.kind in PERSON_KINDS:
        what = "Person"
    else:
        what = "External system"
    zone = ctx.graph.zone_of(comp)
    where = "" if zone == INTERNET_ZONE else f", {ctx.model.zone_title(zone)}"
    return f"[{what}{where}]"


_DEVICE_KINDS = kinds_with("device")


def context_view(model: Model, catalog: Catalog | None = None) -> ViewSpec:
    """The system context in C4's manner: the system as one box, the people, client
    apps and external systems around it (what archgen never provisions), and one arrow
    per pair that flows connect, labelled with what its flows speak (their protocols,
    else their labels)."""
    ctx = _Ctx(model, catalog)
    outside = [c for c in ctx.graph.components() if not ctx.cat.provisioned(c.kind)]
    ids = {c.id for c in outside}
    inside = len(model.components) - len(outside)
    nodes = [ctx.node(c, cluster=_context_cluster(ctx, c), note=_context_note(ctx, c)) for c in outside]
    nodes.append(NodeSpec(id=SYSTEM_NODE, label=model.display_name, style="system", note=f"[Software system: {plural(inside, 'component')}]"))
    pairs: dict[tuple[str, str], list[Flow]] = {}
    hidden = 0
    for flow in ctx.graph.flows():
        a = flow.source if flow.source in ids else SYSTEM_NODE
        b = flow.to if flow.to in ids else SYSTEM_NODE
        if a == b == SYSTEM_NODE:
            hidden += 1
            continue
        pairs.setdefault((a, b), []).append(flow)
    edges = []
    for (a, b), flows in pairs.items():
        # what each flow speaks (its protocol, else its label): "https" once, not
        # "JSON/HTTPS, OIDC over HTTPS +1 more"
        labels = sorted({flow_protocol(f) or f.label for f in flows if flow_protocol(f) or f.label})
        label = ", ".join(labels[:_CONTEXT_LABELS]) + (f" +{len(labels) - _CONTEXT_LABELS} more" if len(labels) > _CONTEXT_LABELS else "")
        edges.append(EdgeSpec(id=f"{a}->{b}", source=a, target=b, label=label, asynchronous=all(f.is_async for f in flows)))
    people = sum(1 for c in outside if c.kind in PERSON_KINDS)
    desc = (
        f"The system as one box, with {plural(people, 'person or client app', 'people or client apps')} and "
        f"{plural(len(outside) - people, 'external system')} around it; one arrow per pair that flows connect"
    )
    desc += f" ({plural(hidden, 'flow')} inside the system are in the overview)." if hidden else "."
    zones = _zone_clusters(ctx, outside)
    if zones:
        desc += " Boxes: " + ", ".join(z.label for z in zones) + "."
    return make_view("context", ctx.title("system context"), desc, nodes, zones, edges)


def _marks(findings: Iterable[Finding]) -> tuple[dict[str, list[Finding]], int]:
    """Unaccepted errors and warnings by component; and how many are about the model."""
    by_comp: dict[str, list[Finding]] = {}
    model_level = 0
    for f in findings:
        if f.accepted or f.severity not in ("error", "warning"):
            continue
        if f.component is None:
            model_level += 1
        else:
            by_comp.setdefault(f.component, []).append(f)
    return by_comp, model_level


def _finding_note(found: list[Finding]) -> str:
    rules = sorted({f.rule for f in found}, key=lambda r: (min(0 if f.severity == "error" else 1 for f in found if f.rule == r), r))
    shown = rules[:_MAX_RULES_SHOWN]
    if len(rules) > len(shown):
        shown.append(f"+{len(rules) - len(shown)} more")
    return "\n".join(shown)


def findings_view(
    model: Model, findings: Iterable[Finding], catalog: Catalog | None = None, *, only_marked: bool = False
) -> ViewSpec:
    """Components with unaccepted errors or warnings marked, with their rule ids; the
    rest muted (left out with ``only_marked``)."""
    ctx = _Ctx(model, catalog)
    by_comp, model_level = _marks(findings)
    place = ctx.placed(lambda c: ctx.group_cluster(c.group))
    nodes = []
    for comp in ctx.graph.components():
        found = by_comp.get(comp.id)
        cluster = place.cluster(comp)
        if found:
            style = "error" if any(f.severity == "error" for f in found) else "warning"
            nodes.append(ctx.node(comp, cluster=cluster, style=style, note=_finding_note(found)))
        elif not only_marked:
            nodes.append(ctx.node(comp, cluster=cluster, style="muted"))
    drawn = {n.id for n in nodes}
    edges = [
        EdgeSpec(id=i, source=f.source, target=f.to, label=f.label or "", style="muted", asynchronous=f.is_async)
        for i, f in flow_edge_ids(ctx.graph.flows())
        if f.source in drawn and f.to in drawn
    ]
    errors = sum(1 for n in nodes if n.style == "error")
    warnings = sum(1 for n in nodes if n.style == "warning")
    if errors or warnings:
        desc = f"Unaccepted findings on the picture: {plural(errors, 'component')} with errors, {plural(warnings, 'component')} with warnings only"
    else:
        desc = "No component has an unaccepted error or warning"
    desc += f"; {plural(model_level, 'finding')} about the whole model." if model_level else "."
    return make_view("findings", ctx.title("findings"), desc, nodes, ctx.group_clusters() + place.clusters(), edges)


# ---------------------------------------------------------------------------
# large models: per group


_UNGROUPED = "(no group)"


def _group_of(comp: Component) -> str:
    return comp.group or _UNGROUPED


def group_overview_view(model: Model, catalog: Catalog | None = None) -> ViewSpec:
    """One node per group (components without a group form one more), and one edge per
    pair of groups that flows connect, labelled with how many flows."""
    ctx = _Ctx(model, catalog)
    members: dict[str, int] = {}
    for comp in ctx.graph.components():
        members[_group_of(comp)] = members.get(_group_of(comp), 0) + 1
    ids = {g: f"group.{s}" for g, s in _slugs(members).items()}
    nodes = [NodeSpec(id=ids[g], label=g, style="group", note=plural(n, "component")) for g, n in members.items()]
    pairs: dict[tuple[str, str], int] = {}
    for flow in ctx.graph.flows():
        a, b = _group_of(ctx.model.components[flow.source]), _group_of(ctx.model.components[flow.to])
        if a != b:
            pairs[(ids[a], ids[b])] = pairs.get((ids[a], ids[b]), 0) + 1
    # Each group's busiest links only: a dense group graph is unreadable, and dot's
    # layout time grows with every long edge (810 links of 51 groups took minutes).
    busiest: dict[str, list[tuple[int, str]]] = {}
    for (a, b), n in pairs.items():
        busiest.setdefault(a, []).append((-n, b))
    kept = {(a, b) for a, links in busiest.items() for _, b in sorted(links)[:GROUP_LINKS_SHOWN]}
    edges = [
        EdgeSpec(id=f"{a}->{b}", source=a, target=b, label=plural(n, "flow"), style="aggregate")
        for (a, b), n in pairs.items()
        if (a, b) in kept
    ]
    desc = f"{plural(len(model.components), 'component')} in {plural(len(members), 'group')}: one box per group"
    if len(kept) < len(pairs):
        desc += f", and each group's {GROUP_LINKS_SHOWN} busiest links to other groups ({len(kept)} of {len(pairs)} links)"
    else:
        desc += ", one arrow per pair of groups that talk"
    desc += "; each group has its own view."
    return make_view("overview", ctx.title("overview by group"), desc, nodes, (), edges)


def group_views(model: Model, catalog: Catalog | None = None) -> list[ViewSpec]:
    """One view per group: its components, and the components of other groups they
    exchange flows with (muted, in their own group's box)."""
    ctx = _Ctx(model, catalog)
    by_group: dict[str, list[Component]] = {}
    for comp in ctx.graph.components():
        by_group.setdefault(_group_of(comp), []).append(comp)
    names = _slugs(by_group)
    # each group's flows, in the graph's order, gathered in one pass (not a sort and a
    # scan of every flow per group: 250 groups of a 5,000-component model took 4 s)
    touching: dict[str, list[Flow]] = {}
    for f in ctx.graph.flows():
        ends = (_group_of(ctx.model.components[f.source]), _group_of(ctx.model.components[f.to]))
        for g in dict.fromkeys(ends):
            touching.setdefault(g, []).append(f)
    out = []
    for group, comps in sorted(by_group.items()):
        inside = {c.id for c in comps}
        flows = touching.get(group, [])
        neighbours = sorted({cid for f in flows for cid in (f.source, f.to)} - inside)
        nodes = [ctx.node(c, cluster="this") for c in comps]
        clusters = [ClusterSpec("this", group, None, "group")]
        desc = f"Group {group}: {plural(len(comps), 'component')}"
        if len(comps) + len(neighbours) > PART_NODES:
            # too many to draw one by one: one box per other group, one arrow per
            # component and group saying how many flows it stands for
            nodes, edges = _collapsed(ctx, nodes, inside, flows, names)
            others = len(nodes) - len(comps)
            desc += (
                f", and the {plural(len(neighbours), 'component')} of other groups it exchanges flows with, "
                f"as one box per group ({plural(others, 'group')}; click one to open its view); "
                "an arrow with no number is one flow."
            )
        else:
            context_groups: set[str] = set()
            for cid in neighbours:
                comp = ctx.model.components[cid]
                context_groups.add(_group_of(comp))
                nodes.append(ctx.node(comp, cluster=f"ctx-{names[_group_of(comp)]}", style="context"))
            clusters += [ClusterSpec(f"ctx-{names[g]}", g, None, "context") for g in context_groups]
            edges = [EdgeSpec(id=i, source=f.source, target=f.to, label=f.label or "", asynchronous=f.is_async) for i, f in flow_edge_ids(flows)]
            desc += f", and {plural(len(neighbours), 'neighbour')} from other groups (muted)." if neighbours else "."
        out.append(make_view(f"group-{names[group]}", ctx.title(f"group {group}"), desc, nodes, clusters, edges))
    return out


def _collapsed(
    ctx: _Ctx, nodes: list[NodeSpec], inside: set[str], flows: list[Flow], names: dict[str, str]
) -> tuple[list[NodeSpec], list[EdgeSpec]]:
    """A group view's own nodes, plus one box per other group its flows reach (the id
    of the group's box in the group-level overview, ``group.<slug>``); its flows inside
    the group as they are, and those to or from another group summed up per component
    and group."""
    edges = []
    links: dict[tuple[str, str], int] = {}
    members: dict[str, set[str]] = {}
    for i, f in flow_edge_ids(flows):
        if f.source in inside and f.to in inside:
            edges.append(EdgeSpec(id=i, source=f.source, target=f.to, label=f.label or "", asynchronous=f.is_async))
            continue
        other = f.to if f.source in inside else f.source
        box = f"group.{names[_group_of(ctx.model.components[other])]}"
        members.setdefault(box, set()).add(other)
        key = (f.source, box) if f.source in inside else (box, f.to)
        links[key] = links.get(key, 0) + 1
    labels = {f"group.{s}": g for g, s in names.items()}
    boxes = [NodeSpec(id=b, label=labels[b], style="group", note=plural(len(m), "component")) for b, m in members.items()]
    edges += [EdgeSpec(id=f"{a}->{b}", source=a, target=b, label=_many(n), style="aggregate") for (a, b), n in links.items()]
    return nodes + boxes, edges


def _many(flows: int) -> str:
    """The label of an arrow that stands for ``flows`` flows in a view of a large model:
    none for one (the page says so; a 5,000-component model's group views had 17,556
    "1 flow" labels to place), the count for more."""
    return "" if flows == 1 else plural(flows, "flow")


def summary_network_view(model: Model, catalog: Catalog | None = None) -> ViewSpec:
    """The network view of a large model: actors, externals and the public edge drawn
    one by one; each private tier, and what the provider runs outside the private
    network, collapsed into one box that says how much it holds."""
    ctx = _Ctx(model, catalog)
    nodes = []
    tier_of: dict[str, str] = {}
    counts: dict[str, int] = {}
    for comp in ctx.graph.components():
        cluster, style = _network_placement(ctx, comp)
        if cluster.startswith("tier-") or cluster == "managed":
            tier_of[comp.id] = f"{cluster}.all"
            counts[cluster] = counts.get(cluster, 0) + 1
        else:
            nodes.append(ctx.node(comp, cluster=cluster, style=style))
    labels = {tid: label for tid, label, _ in _TIERS}
    labels["managed"] = f"Services {ctx.cat.provider_name(model.provider)} runs"
    nodes += [NodeSpec(id=f"{t}.all", label=labels[t], cluster=t, style="summary", note=plural(n, "component")) for t, n in counts.items()]
    edges = []
    pairs: dict[tuple[str, str], int] = {}
    for eid, flow in flow_edge_ids(ctx.graph.flows()):
        a, b = tier_of.get(flow.source, flow.source), tier_of.get(flow.to, flow.to)
        if a == flow.source and b == flow.to:  # both drawn one by one
            edges.append(EdgeSpec(id=eid, source=a, target=b, label=flow.label or "", asynchronous=flow.is_async))
        elif a != b:
            pairs[(a, b)] = pairs.get((a, b), 0) + 1
    edges += [
        EdgeSpec(id=f"{a}->{b}", source=a, target=b, label=plural(n, "flow"), style="aggregate") for (a, b), n in pairs.items()
    ]
    inet = _internet_edges(ctx, {n.id for n in nodes})
    if inet:
        nodes.append(NodeSpec(id=ctx.graph.internet, label="Internet", icon=INTERNET_ICON, cluster="internet"))
    exposed = ctx.graph.exposed()
    desc = (
        f"What the internet reaches: {plural(len(exposed), 'component')} in the public edge; "
        f"the {plural(sum(counts.values()), 'other component')} summed up per private tier and outside the private network."
    )
    return make_view("network", ctx.title("network"), desc, nodes, _network_clusters(ctx), edges + inet)


# ---------------------------------------------------------------------------
# large views: in parts, laid out as a grid

#: A view of a large model with more nodes than this is cut in parts; a part holds at
#: most this many less :data:`_PART_LINKS_ROOM` of its own, plus a box per other part
#: it has flows with. Measured with the grid layout at 1,000 components: parts of 40
#: made pictures up to 11,749 px tall, parts of 30 keep every view within
#: :data:`MAX_SIDE_PX` and :data:`MAX_ASPECT` (docs/diagrams.md).
PART_NODES = 30
#: The readable size every view meets (docs/diagrams.md, "Large models"): no side
#: longer than this many CSS pixels, ...
MAX_SIDE_PX = 7000
#: ... and the long side at most this many times the short one.
MAX_ASPECT = 4.0
#: A group view draws its own components and one box per group it talks to: up to this
#: many nodes in one picture before it is cut in parts (the boxes are few flows each).
GROUP_VIEW_NODES = 60
#: A view of a large model with more nodes than this is laid out as a grid.
GRID_NODES = 6
#: What a part's name ends with: ``data-part-2``.
PART_SUFFIX = "-part-"


def part_name(view: str, number: int) -> str:
    """The file stem of part ``number`` (from 1) of the view ``view``."""
    return f"{view}{PART_SUFFIX}{number}"


def whole_name(name: str) -> str:
    """The view a part belongs to (``data-part-2`` -> ``data``); a whole view's own name."""
    head, sep, tail = name.rpartition(PART_SUFFIX)
    return head if sep and tail.isdigit() else name


def _units(spec: ViewSpec) -> list[list[str]]:
    """The spec's nodes in pieces no part cuts unless a piece alone is too big: each
    top-level box with all it holds, then each node outside any box; a box of more than
    :data:`PART_NODES` nodes is cut along its own boxes (the same way, recursively)."""
    children: dict[str | None, list[str]] = {}
    for c in spec.clusters:
        children.setdefault(c.parent, []).append(c.id)
    members: dict[str | None, list[str]] = {}
    for n in spec.nodes:
        members.setdefault(n.cluster, []).append(n.id)

    def pieces(cid: str | None) -> list[list[str]]:
        out = [p for child in children.get(cid, []) for p in whole(child)]
        return out + [[n] for n in members.get(cid, [])]

    def whole(cid: str) -> list[list[str]]:
        parts = pieces(cid)
        flat = [n for p in parts for n in p]
        return [flat] if len(flat) <= PART_NODES else parts

    return pieces(None)


def fit(spec: ViewSpec, first: str | None = None, most: int = PART_NODES) -> list[ViewSpec]:
    """``spec`` as pictures of a readable size: whole when it has at most
    :data:`PART_NODES` nodes, else in parts, each its own view (``data-part-1``...).

    Parts are filled in the spec's order with whole boxes (a group, a tier, a host's
    box) as long as they fit. A flow between two parts becomes, in each, an arrow to a
    box that names the other part (``part.<name>``, which the site links to that part),
    one arrow per node and part, saying how many flows it stands for. A node of style
    ``system`` (the context view's system box, which every arrow touches) is in every
    part. The box ``first`` (a group view's own group) starts the first part. A view
    of more than :data:`GRID_NODES` nodes is laid out as a grid."""
    if len(spec.nodes) <= most:
        layout = "grid" if len(spec.nodes) > GRID_NODES else spec.layout
        return [spec if layout == spec.layout else replace(spec, layout=layout)]
    hubs = {n.id for n in spec.nodes if n.style == "system"}
    budget = most - len(hubs) - _PART_LINKS_ROOM
    home = {n.id for n in spec.nodes if first is not None and n.cluster == first}
    units = [[n for n in u if n not in hubs] for u in _units(spec)]
    units = sorted((u for u in units if u), key=lambda u: u[0] not in home)
    # as many parts as it takes, filled evenly (no part of one node at the end)
    total = sum(len(u) for u in units)
    even = math.ceil(total / math.ceil(total / budget))
    parts: list[list[str]] = [[]]
    for unit in units:
        if parts[-1] and (len(parts[-1]) + len(unit) > budget or len(parts[-1]) >= even):
            parts.append([])
        parts[-1].extend(unit)
    if len(parts) > 1 and len(parts[-2]) + len(parts[-1]) <= budget:  # a short last part joins the one before
        parts[-2].extend(parts.pop())
    count = len(parts)
    part_of = {n: i for i, p in enumerate(parts) for n in p}
    by_id = {n.id: n for n in spec.nodes}
    out = []
    for i, ids in enumerate(parts):
        mine = set(ids) | set(hubs)
        nodes = [by_id[n] for n in sorted(mine)]
        edges = [e for e in spec.edges if e.source in mine and e.target in mine]
        links: dict[tuple[str, str, bool], int] = {}
        for e in spec.edges:
            if e.source in hubs or e.target in hubs:
                continue  # drawn in the part of its other end, where the hub is too
            if e.source in mine and e.target not in mine:
                key = (e.source, part_name(spec.name, part_of[e.target] + 1), True)
            elif e.target in mine and e.source not in mine:
                key = (e.target, part_name(spec.name, part_of[e.source] + 1), False)
            else:
                continue
            links[key] = links.get(key, 0) + 1
        others = sorted({other for _, other, _ in links})
        nodes += [
            NodeSpec(id=f"part.{o}", label=f"Part {whole_part(o)} of {count}", style="summary",
                     note=plural(sum(n for (_, other, _), n in links.items() if other == o), "flow"))
            for o in others
        ]
        for (node, other, outgoing), n in links.items():
            a, b = (node, f"part.{other}") if outgoing else (f"part.{other}", node)
            edges.append(EdgeSpec(id=f"{a}->{b}", source=a, target=b, label=_many(n), style="aggregate"))
        name = part_name(spec.name, i + 1)
        desc = f"{spec.description} Part {i + 1} of {count}, with {len(ids)} of the view's {total} boxes"
        desc += (
            f"; a flow to another part ends at a grey box naming the part ({len(others)} here), "
            "an arrow with no number standing for one flow."
        ) if others else "."
        view = make_view(name, f"{spec.title} (part {i + 1} of {count})", desc, nodes, spec.clusters, edges, spec.direction,
                         "grid" if len(nodes) > GRID_NODES else spec.layout)
        out.append(view)
    return out


#: Nodes a part keeps free for the boxes that stand for the other parts.
_PART_LINKS_ROOM = 6


def whole_part(name: str) -> int:
    """The number of a part from its name (``data-part-2`` -> 2)."""
    return int(name.rpartition(PART_SUFFIX)[2])


# ---------------------------------------------------------------------------
# the entry point


def build_views(model: Model, findings: Iterable[Finding] = (), catalog: Catalog | None = None) -> list[ViewSpec]:
    """Every view of ``model``: overview, network, data, findings; for a model of more
    than :data:`LARGE_MODEL_COMPONENTS` components, a group-level overview, the
    network with private tiers summed up, data and findings limited to what they mark,
    and one ``group-<slug>`` view per group."""
    return list(iter_views(model, findings, catalog))


def iter_views(
    model: Model,
    findings: Iterable[Finding] | Callable[[], Iterable[Finding]] = (),
    catalog: Catalog | None = None,
) -> Iterator[ViewSpec]:
    """:func:`build_views` one view at a time, biggest first, so a renderer can lay out
    the first while the next is built. ``findings`` may be a function: it is called
    only when the findings view is due, so the views before it need no rules run."""
    if catalog is None:
        from archgen.catalog import get_catalog

        catalog = get_catalog()

    def marks() -> list[Finding]:
        return list(findings() if callable(findings) else findings)

    if len(model.components) <= LARGE_MODEL_COMPONENTS:
        yield overview_view(model, catalog)
        yield network_view(model, catalog)
        yield data_view(model, catalog)
        yield findings_view(model, marks(), catalog)
        yield context_view(model, catalog)
        return
    yield group_overview_view(model, catalog)
    yield from fit(summary_network_view(model, catalog))
    yield from fit(data_view(model, catalog, only_sensitive=True))
    yield from fit(findings_view(model, marks(), catalog, only_marked=True))
    yield from fit(context_view(model, catalog))
    for view in group_views(model, catalog):
        yield from fit(view, first="this", most=GROUP_VIEW_NODES)
