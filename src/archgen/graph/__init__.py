"""The model as a typed directed graph; the only module that imports networkx.

Nodes are component ids plus one implicit node, :data:`INTERNET`, with an edge to
every public component and every person (actor, client app) in the ``internet``
zone: staff in ``corporate`` or a load generator in ``cloud`` are people too, but
not the internet. Edges are the model's flows, each carrying its
:class:`~archgen.model.Flow`. Placement (``runs_on``) is not an edge: ask
:meth:`ArchGraph.host_of` and :meth:`ArchGraph.guests`.

The adjacency is kept in plain dicts, which answer every query rules make in
linear time; networkx (0.2 s to import, measured in bench/) is imported only for
path enumeration, so ``archgen check`` does not pay for it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from archgen.catalog.vocabulary import kinds_with
from archgen.model import Component, Flow, Model

INTERNET = "internet"  # a component may take this id: see _internet_id()

# What kinds *are* is the catalog's data (catalog/data/kinds.yaml, traits); these are
# the sets the graph's callers ask most, named once.
#: Kinds that hold data (the stores a rule protects).
DATA_STORE_KINDS = kinds_with("data_store")
#: Kinds that run application code.
COMPUTE_KINDS = kinds_with("compute")
#: People: they sit in their zone (the internet by default) and are never a flow's data target.
PERSON_KINDS = kinds_with("person")
#: The zone whose people and public components are "the internet" (a built-in zone, catalog data).
INTERNET_ZONE = "internet"


class ArchGraph:
    """Typed, read-only access to a model's components and flows."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.internet = _internet_id(model)
        ids = sorted(model.components)
        self._succ: dict[str, dict[str, list[Flow]]] = {self.internet: {}, **{cid: {} for cid in ids}}
        self._pred: dict[str, dict[str, list[Flow]]] = {self.internet: {}, **{cid: {} for cid in ids}}
        self._guests: dict[str, list[str]] = {}
        #: every component, sorted by id (the model is read-only: sorted once, not per query)
        self._sorted: list[Component] = [model.components[cid] for cid in ids]
        self._exposed: dict[str, bool] = {}
        for cid in ids:
            comp = model.components[cid]
            if self.is_internet_caller(comp) or (comp.kind not in PERSON_KINDS and comp.is_public):
                self._succ[self.internet][cid] = []  # implicit edge: no flow
                self._pred[cid][self.internet] = []
            if comp.runs_on is not None and comp.runs_on in model.components:
                self._guests.setdefault(comp.runs_on, []).append(cid)
        for flow in model.flows:  # several flows between one pair share the edge
            self._succ[flow.source].setdefault(flow.to, []).append(flow)
            self._pred[flow.to].setdefault(flow.source, []).append(flow)

    def to_networkx(self):  # noqa: ANN201 - networkx is imported lazily
        """The graph as a networkx DiGraph (edges carry ``flows``, implicit ones ``implicit=True``)."""
        import networkx as nx

        g = nx.DiGraph()
        g.add_nodes_from(self._succ)
        for u, targets in self._succ.items():
            for v, flows in targets.items():
                g.add_edge(u, v, flows=list(flows), implicit=(u == self.internet))
        return g

    # -- components ---------------------------------------------------------

    def component(self, cid: str) -> Component:
        return self.model.components[cid]

    def components_with(self, *traits: str) -> list[Component]:
        """Components sorted by id whose kind has every one of ``traits`` (catalog data)."""
        return self.components(kinds_with(*traits))

    def components(self, kinds: Iterable[str] | None = None) -> list[Component]:
        """Components sorted by id, optionally only the given kinds."""
        if kinds is None:
            return list(self._sorted)
        wanted = frozenset(kinds)
        return [c for c in self._sorted if c.kind in wanted]

    # -- placement and zones ------------------------------------------------

    def host_of(self, comp: Component | str) -> Component | None:
        """The cluster or VM a component runs on (``runs_on``), or None."""
        c = self.component(comp) if isinstance(comp, str) else comp
        return self.model.host_of(c)

    def guests(self, host_id: str) -> list[Component]:
        """Components that run on ``host_id``, sorted by id (directly, not their own guests)."""
        return [self.component(cid) for cid in self._guests.get(host_id, [])]

    def zone_of(self, comp: Component | str) -> str:
        """Where a component sits: its ``zone``, else its host's, else its kind's (catalog data)."""
        c = self.component(comp) if isinstance(comp, str) else comp
        return self.model.zone_of(c)

    def is_internet_caller(self, comp: Component) -> bool:
        """A person (actor, client app) in the internet zone: what makes a component it calls exposed."""
        return comp.kind in PERSON_KINDS and self.model.zone_of(comp) == INTERNET_ZONE

    def groups(self) -> dict[str, list[Component]]:
        """Components by group (components without a group are left out)."""
        out: dict[str, list[Component]] = {}
        for c in self.components():
            if c.group:
                out.setdefault(c.group, []).append(c)
        return dict(sorted(out.items()))

    # -- flows --------------------------------------------------------------

    def flows(self) -> list[Flow]:
        return sorted(self.model.flows, key=lambda f: f.key)

    def flows_into(self, cid: str) -> list[Flow]:
        return [f for u in sorted(self._pred[cid]) for f in self._pred[cid][u]]

    def flows_from(self, cid: str) -> list[Flow]:
        return [f for v in sorted(self._succ[cid]) for f in self._succ[cid][v]]

    def touched(self, cid: str) -> bool:
        """Whether any flow starts or ends at the component."""
        return bool(self.flows_from(cid)) or bool(self.flows_into(cid))

    # -- neighbours ---------------------------------------------------------

    def callers(self, cid: str, kinds: Iterable[str] | None = None) -> list[Component]:
        """Components with a flow into ``cid`` (not the internet)."""
        wanted = None if kinds is None else frozenset(kinds)
        ids = sorted(u for u in self._pred[cid] if u != self.internet)
        return [self.component(u) for u in ids if wanted is None or self.component(u).kind in wanted]

    def callees(self, cid: str, kinds: Iterable[str] | None = None) -> list[Component]:
        wanted = None if kinds is None else frozenset(kinds)
        ids = sorted(self._succ[cid])
        return [self.component(v) for v in ids if wanted is None or self.component(v).kind in wanted]

    # -- the internet -------------------------------------------------------

    def is_exposed(self, cid: str) -> bool:
        """Directly reachable from the internet: public, or called by a person in the internet zone."""
        found = self._exposed.get(cid)
        if found is None:
            comp = self.component(cid)
            if comp.kind in PERSON_KINDS:
                found = False
            else:
                found = comp.is_public or any(self.is_internet_caller(c) for c in self.callers(cid))
            self._exposed[cid] = found
        return found

    def exposed(self) -> list[Component]:
        """Components the internet reaches in one step (actors excluded)."""
        return [c for c in self.components() if self.is_exposed(c.id)]

    def reachable_from_internet(
        self, through: Callable[[Component], bool] | None = None
    ) -> set[str]:
        """Component ids reachable from the internet along flows.

        ``through`` limits which components a path may pass *through* (the ends
        are always included): e.g. ``lambda c: has_trait(c.kind, "edge")`` finds what
        the internet reaches without crossing an application tier.
        """
        seen: set[str] = set()
        frontier = [c.id for c in self.components() if self.is_internet_caller(c) or self.is_exposed(c.id)]
        for cid in frontier:
            seen.add(cid)
        stack = [
            cid
            for cid in frontier
            if through is None or self.component(cid).kind in PERSON_KINDS or through(self.component(cid))
        ]
        while stack:
            cid = stack.pop()
            for nxt in sorted(self._succ[cid]):
                if nxt in seen:
                    continue
                seen.add(nxt)
                if through is None or through(self.component(nxt)):
                    stack.append(nxt)
        return {cid for cid in seen if self.component(cid).kind not in PERSON_KINDS}

    def paths(self, source: str, target: str, cutoff: int | None = 8) -> Iterator[list[str]]:
        """Simple paths along flows from ``source`` (or the internet) to ``target``."""
        import networkx as nx

        return nx.all_simple_paths(self.to_networkx(), source, target, cutoff=cutoff)

    def has_path(self, source: str, target: str) -> bool:
        seen, stack = {source}, [source]
        while stack:
            cid = stack.pop()
            if cid == target:
                return True
            for nxt in self._succ[cid]:
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        return False

    # -- whole graph --------------------------------------------------------

    def orphans(self) -> list[Component]:
        """Components no flow touches."""
        return [c for c in self.components() if not self._succ[c.id] and not any(u != self.internet for u in self._pred[c.id])]

    def ids(self) -> list[str]:
        return sorted(self.model.components)


def _internet_id(model: Model) -> str:
    """The internet node's id: 'internet' unless a component already uses it."""
    name = INTERNET
    while name in model.components:
        name = "_" + name
    return name
