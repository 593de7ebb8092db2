"""Indicative monthly cost of a model on a provider, from the catalog's prices.

For every provisioned component the estimate picks the service the model would use
on the provider (its own service on the model's provider; elsewhere the catalog's
equivalent), sizes it (catalog defaults, then the model's ``sizing:``, then the
component's ``sizing:``), and multiplies each of the service's priced meters by the
quantity the sizing implies. Every line carries the formula it was computed with and
the sources of its prices, so a reader can check it; everything not priced says why.

Three things are computed from the model as a whole, not one component at a time:

- **Traffic follows the flows** (:func:`traffic`): the edge's requests (from
  ``requirements.peak_rps``) start with the people (actors, client apps) and are shared
  among the flows that leave them; a component's requests are what its incoming flows
  bring: a flow's own ``rps`` when it has one, otherwise its caller's requests shared
  equally among the caller's flows that state no ``rps``. A fan-out divides, it never
  multiplies.
- **Hosts are priced once** (clusters and VMs with guests): the control plane and the
  nodes in the host's line; what runs on it (``runs_on``) is priced as its share of the
  nodes (the mean of its share of their vCPUs and of their memory), and the host's line
  keeps the rest. Components that name a Kubernetes service of their provider (``eks``,
  ``gke``, ``aks``) without ``runs_on`` share one implicit cluster of the model (the
  model's only cluster when it has one). On the self-hosted provider every component
  runs on a cluster, whose nodes are priced on the reference cloud its catalog states.
- **Hours**: a batch job, a pipeline, a notebook or a build runs the hours its sizing
  says (the kind's default, not the month's 730).

Prices are indicative list prices: each comes with its source and date, and the
estimate's ``as_of`` is the oldest date among the prices it used.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from archgen.catalog import Catalog, Price, Service, get_catalog
from archgen.catalog.vocabulary import has_trait, kinds_with
from archgen.rendering.textutil import money

if TYPE_CHECKING:
    from archgen.model import Component, Model

__all__ = [
    "IMPLICIT_CLUSTER",
    "INDICATIVE",
    "Estimate",
    "Line",
    "Term",
    "estimate",
    "money",
    "not_priced_text",
    "num",
    "resolve_service",
    "sizing_for",
    "total_text",
    "traffic",
]

#: The caveat printed wherever an estimate appears.
INDICATIVE = (
    "Indicative list prices (on demand, before tax, discounts, free credits and support); "
    "internet data transfer and staff time are not included."
)

#: The line id of the one cluster that the components naming `service: eks` (gke, aks)
#: without `runs_on` share. Not a valid component id, so it never collides with one.
IMPLICIT_CLUSTER = "(shared cluster)"

_SHORT_UNIT = {
    "month": "month",
    "hour": "h",
    "cluster_hour": "h",
    "vcpu_hour": "vCPU-h",
    "gb_hour": "GB-h",
    "storage_gb_month": "GB-month",
    "egress_gb": "GB",
    "processed_gb": "GB",
    "capacity_unit_hour": "unit-h",
    "requests_million": "M requests",
    "gb_second": "GB-s",
    "user_month": "MAU",
    "thousand_messages": "1,000 messages",
    "ingested_gb": "GB ingested",
    "scanned_tb": "TB scanned",
}
_INSTANCE_METERS = {"hour", "vcpu_hour", "gb_hour"}
_CAPACITY_LABELS = (("vcpu", "vCPU"), ("memory_gb", "GB memory"), ("storage_gb", "GB storage"))
#: Meters a host's guests are charged by directly (a host billed on what its pods request).
_RATE_METERS = ("vcpu_hour", "gb_hour")


def num(x: float) -> str:
    """A quantity for a formula: no trailing zeros, thousands separated."""
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.4f}".rstrip("0").rstrip(".")


def _rate(usd: float) -> str:
    text = f"{usd:.10f}".rstrip("0").rstrip(".")
    if "." in text and len(text.split(".")[1]) < 2:
        text = f"{usd:.2f}"
    return f"${text}"


def _pct(x: float) -> str:
    return f"{100 * x:.2f}".rstrip("0").rstrip(".") + "%"


@dataclass(frozen=True)
class Term:
    """One part of a line, as the worked estimate shows it: quantity x rate = usd.

    ``what`` is ``meter`` (a price of the catalog: ``max(quantity x factor - free, 0) x ha
    x rate``), ``share`` (a guest's share of its host's nodes: ``quantity`` is the share,
    ``rate`` the nodes' month) or ``shared`` (a host giving back what its guests took:
    ``usd`` is minus their shares).
    """

    what: str
    quantity: float
    quantity_text: str
    rate: float
    unit: str
    usd: float
    factor: float = 1.0
    free: float = 0.0
    ha: float = 1.0
    instance_type: str | None = None


@dataclass(frozen=True)
class Line:
    """One component's share of the estimate."""

    component: str
    kind: str
    service: str | None
    service_name: str | None
    usd: float | None
    formula: str
    notes: tuple[str, ...] = ()
    as_of: str | None = None
    sizing: dict[str, Any] = field(default_factory=dict)
    #: Where the prices this line used come from (catalog `source:`), sorted.
    sources: tuple[str, ...] = ()
    #: The host whose nodes it shares (a cluster or VM id, or IMPLICIT_CLUSTER), if any.
    host: str | None = None
    #: Why it has no price (None when priced).
    why_unpriced: str | None = None
    #: The parts its price adds up from (empty when not priced).
    terms: tuple[Term, ...] = ()

    @property
    def priced(self) -> bool:
        return self.usd is not None


@dataclass(frozen=True)
class Estimate:
    """The monthly estimate of one model on one provider."""

    model: str
    provider: str
    lines: tuple[Line, ...]
    total: float
    as_of: str | None
    assumptions: dict[str, Any]
    notes: tuple[str, ...]
    budget_usd: float | None = None
    capacity: dict[str, float] = field(default_factory=dict)
    #: Requests a month (millions) each component receives through the flows.
    requests: dict[str, float] = field(default_factory=dict)

    @property
    def unpriced(self) -> tuple[str, ...]:
        return tuple(line.component for line in self.lines if line.usd is None)

    @property
    def complete(self) -> bool:
        """True when every provisioned component has a price."""
        return not self.unpriced

    @property
    def priced_any(self) -> bool:
        return any(line.usd is not None for line in self.lines)

    @property
    def over_budget(self) -> bool | None:
        if self.budget_usd is None:
            return None
        return self.total > self.budget_usd

    @property
    def label(self) -> str:
        """'indicative, prices as of 2026-03' - shown next to every figure."""
        return f"indicative, prices as of {self.as_of}" if self.as_of else "indicative"

    def line(self, component: str) -> Line | None:
        return self._by_component.get(component)

    @property
    def shared_lines(self) -> tuple[Line, ...]:
        """Lines of no component of the model (the implicit shared cluster)."""
        return tuple(ln for ln in self.lines if ln.component == IMPLICIT_CLUSTER)

    @cached_property
    def _by_component(self) -> dict[str, Line]:
        # the comparison asks for every component's line: an index, not a scan each time
        out: dict[str, Line] = {}
        for ln in self.lines:
            out.setdefault(ln.component, ln)
        return out


def not_priced_text(unpriced: tuple[str, ...] | list[str]) -> str:
    """'' or ' + 2 not priced (images, logs)': what every total it affects is shown with."""
    if not unpriced:
        return ""
    return f" + {len(unpriced)} not priced ({', '.join(unpriced)})"


def total_text(est: Estimate, *, cents: bool = True, names: bool = True) -> str:
    """'$234.18 + 3 not priced (a, b, c)'; 'not priced' when nothing is."""
    if not est.priced_any:
        return "not priced"
    text = money(est.total, cents=cents)
    if est.unpriced:
        text += not_priced_text(est.unpriced) if names else f" + {len(est.unpriced)} not priced"
    return text


def resolve_service(model: Model, comp: Component, provider: str, catalog: Catalog | None = None) -> Service | None:
    """The service ``comp`` would use on ``provider`` (None: no equivalent there)."""
    catalog = catalog or get_catalog()
    return catalog.resolve_service(model, comp, provider)


def _assumptions(model: Model, catalog: Catalog) -> dict[str, Any]:
    out = dict(catalog.assumptions)
    out.update({k: v for k, v in (model.sizing or {}).items() if v is not None})
    peak = model.requirements.peak_rps
    if peak is None:
        peak = out.get("default_peak_rps", 10)
    out["peak_rps"] = peak
    out["requests_from_model"] = "requests_millions" in out
    if "requests_millions" not in out:
        out["requests_millions"] = _monthly_millions(float(peak), out)
    return out


def _monthly_millions(rps: float, assumptions: dict[str, Any]) -> float:
    """Peak requests per second as millions a month: x average load x 3,600 x hours."""
    hours = float(assumptions["hours_per_month"])
    return round(rps * float(assumptions["average_load_factor"]) * 3600 * hours / 1e6, 2)


# -- traffic that follows the flows ------------------------------------------------


def traffic(model: Model, catalog: Catalog | None = None, assumptions: dict[str, Any] | None = None) -> dict[str, float]:
    """Millions of requests a month that each component receives through the flows.

    The edge's requests (``sizing: {requests_millions}`` of the model, else
    ``requirements.peak_rps`` x average load x 3,600 x hours) start with the people:
    actors and client apps that nothing calls. They are shared equally among the flows
    that leave them. Every other flow carries its own ``rps`` (peak per second, turned
    into a month the same way) when it states one, else an equal share of its caller's
    requests among the caller's flows that state none. A component receives the sum of
    its incoming flows. A flow that closes a loop carries only its own ``rps``. A model
    whose people call nothing gives the edge to its public components. A WAF that no
    flow reaches receives what the components it protects receive.
    """
    catalog = catalog or get_catalog()
    a = assumptions if assumptions is not None else _assumptions(model, catalog)
    comps = model.components
    flows = model.flows
    persons = kinds_with("person")
    out: dict[str, list[int]] = {cid: [] for cid in comps}
    into: dict[str, list[int]] = {cid: [] for cid in comps}
    for i, f in enumerate(flows):
        if f.source in comps and f.to in comps:
            out[f.source].append(i)
            into[f.to].append(i)
    edge_total = float(a["requests_millions"])
    origins = [cid for cid in sorted(comps) if comps[cid].kind in persons and not into[cid]]
    edge_flows = [i for o in origins for i in out[o] if flows[i].rps is None]
    received = {cid: 0.0 for cid in comps}
    if not any(out[o] for o in origins):
        entries = [
            cid
            for cid in sorted(comps)
            if comps[cid].kind not in persons
            and comps[cid].is_public
            and catalog.provisioned(comps[cid].kind)
            and not into[cid]
        ]
        for cid in entries:
            received[cid] = edge_total / len(entries)
    back = _back_edges(sorted(comps), origins, out, flows)
    for cid in _topological(sorted(comps), out, flows, back):
        shared = [i for i in out[cid] if flows[i].rps is None and i not in back]
        for i in out[cid]:
            f = flows[i]
            if f.rps is not None:
                amount = _monthly_millions(float(f.rps), a)
            elif i in back:
                amount = 0.0
            elif cid in origins:
                amount = edge_total / len(edge_flows)
            else:
                amount = received[cid] / len(shared)
            received[f.to] += amount
    for cid in sorted(comps):
        comp = comps[cid]
        if has_trait(comp.kind, "shield") and not into[cid]:
            received[cid] = sum(received.get(p, 0.0) for p in comp.protects)
    return {cid: round(v, 4) for cid, v in received.items()}


def _back_edges(ids: list[str], origins: list[str], out: dict[str, list[int]], flows: list[Any]) -> set[int]:
    """Flows that close a loop, found by a depth-first walk from the people, then every id."""
    state: dict[str, int] = {}  # 1 on the path, 2 done
    back: set[int] = set()
    for root in [*origins, *ids]:
        if root in state:
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        state[root] = 1
        while stack:
            node, pos = stack[-1]
            edges = out[node]
            if pos < len(edges):
                stack[-1] = (node, pos + 1)
                nxt = flows[edges[pos]].to
                if state.get(nxt) == 1:
                    back.add(edges[pos])
                elif nxt not in state:
                    state[nxt] = 1
                    stack.append((nxt, 0))
            else:
                state[node] = 2
                stack.pop()
    return back


def _topological(ids: list[str], out: dict[str, list[int]], flows: list[Any], back: set[int]) -> list[str]:
    """Components in flow order (callers before what they call), ties by id."""
    import heapq

    indegree = {cid: 0 for cid in ids}
    for cid in ids:
        for i in out[cid]:
            if i not in back:
                indegree[flows[i].to] += 1
    ready = [cid for cid in ids if indegree[cid] == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        cid = heapq.heappop(ready)
        order.append(cid)
        for i in out[cid]:
            if i in back:
                continue
            nxt = flows[i].to
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                heapq.heappush(ready, nxt)
    return order


# -- sizing and meters ---------------------------------------------------------------


def sizing_for(
    comp: Component | None, service: Service, assumptions: dict[str, Any], requests: float | None = None
) -> dict[str, Any]:
    """The sizing a component is priced with on a service: defaults < model < component.

    ``requests`` is what the flows bring it (:func:`traffic`); without it, the edge's. Egress
    follows the requests: a component sends the model's ``egress_gb`` (what the system
    delivers to its users in a month) times its share of the edge's requests, so two CDNs
    share the month's delivery instead of each sending all of it.
    """
    out = dict(service.sizing)
    out.setdefault("hours_per_month", assumptions.get("hours_per_month"))
    out.setdefault("egress_gb", _egress(assumptions, requests))
    out.setdefault("requests_millions", assumptions.get("requests_millions") if requests is None else requests)
    if comp is not None:
        out.update({k: v for k, v in (comp.sizing or {}).items() if v is not None})
    return out


def _egress(assumptions: dict[str, Any], requests: float | None) -> float:
    """GB a month a component sends: the model's egress x its share of the edge's requests."""
    total = float(assumptions.get("egress_gb") or 0)
    edge = float(assumptions.get("requests_millions") or 0)
    if requests is None:
        return total
    return round(total * requests / edge, 2) if edge > 0 else 0.0


@dataclass
class _Member:
    """A provisioned component (or the implicit cluster) resolved on one provider."""

    cid: str
    kind: str
    comp: Any  # Component, or None for the implicit cluster
    svc: Service
    size: dict[str, Any]
    notes: list[str]
    ha_factor: float = 1.0
    ha_text: str = ""
    chosen: Price | None = None  # the instance type it is priced with, if any
    unfit: bool = False  # instance-priced, and no priced type fits
    host: str | None = None
    #: Its share of a free tier that the account has once (price key -> free quantity).
    free: dict[tuple, float] = field(default_factory=dict)


def _instance_spec(catalog: Catalog, model: Model, comp: Component, instance_type: str) -> Price | None:
    """The vCPU/memory of an instance type named for the model's own provider."""
    own = catalog.resolve_service(model, comp)
    if own is None:
        return None
    return next((p for p in own.prices if p.instance_type == instance_type), None)


def _member(
    model: Model, comp: Component | None, cid: str, kind: str, svc: Service, catalog: Catalog,
    assumptions: dict[str, Any], requests: float | None,
) -> _Member:
    """Resolve a component's sizing, high availability and instance type on a service."""
    size = sizing_for(comp, svc, assumptions, requests)
    notes: list[str] = []
    m = _Member(cid, kind, comp, svc, size, notes)
    instances = float(size.get("instances", 1) or 1)
    if comp is not None and comp.high_availability:
        if svc.ha is not None:
            if svc.ha.min_instances and instances < svc.ha.min_instances:
                instances = float(svc.ha.min_instances)
            m.ha_factor = svc.ha.multiplier
            m.ha_text = svc.ha.note
        elif svc.prices and svc.ha_by_design is None:
            notes.append("high availability is not reflected in this price")
    size["instances"] = instances

    typed = [p for p in svc.prices if p.item == "hour" and p.instance_type]
    wanted = (comp.sizing or {}).get("instance_type") if comp is not None else None
    if wanted:
        m.chosen = next((p for p in typed if p.instance_type == wanted), None)
        if m.chosen is None and comp is not None:
            # An instance type of the model's own provider: carry its size over.
            spec = _instance_spec(catalog, model, comp, str(wanted))
            sized = "vcpu" in (comp.sizing or {}) or "memory_gb" in (comp.sizing or {})
            if spec is not None and not sized:
                size["vcpu"], size["memory_gb"] = spec.vcpu, spec.memory_gb
                notes.append(f"sized as {wanted}: {num(spec.vcpu or 0)} vCPU, {num(spec.memory_gb or 0)} GB")
            elif spec is None and not sized:
                notes.append(f"instance type {wanted} is not in the catalog; sized by the default vCPU and memory")
            size.pop("instance_type", None)
    if typed and m.chosen is None:
        need_v = float(size.get("vcpu") or 0)
        need_m = float(size.get("memory_gb") or 0)
        fits = [p for p in typed if (p.vcpu or 0) >= need_v and (p.memory_gb or 0) >= need_m]
        if fits:
            m.chosen = min(fits, key=lambda p: (p.usd, p.instance_type or ""))
            size["instance_type"] = m.chosen.instance_type
            notes.append(
                f"{m.chosen.instance_type}: the cheapest priced type with at least "
                f"{num(need_v)} vCPU and {num(need_m)} GB"
            )
        else:
            m.unfit = True
            notes.append(f"no priced instance type with at least {num(need_v)} vCPU and {num(need_m)} GB")
    return m


#: Meters billed on one sizing value: meter -> (sizing key, its default, what it is
#: multiplied by: "instance_hours", "hours" or nothing, how the quantity is said).
_SIZED_METERS: dict[str, tuple[str, float, str, str]] = {
    "vcpu_hour": ("vcpu", 0, "instance_hours", "{v} vCPU x {n} x {h} h"),
    "gb_hour": ("memory_gb", 0, "instance_hours", "{v} GB x {n} x {h} h"),
    "storage_gb_month": ("storage_gb", 0, "", "{v} GB"),
    "egress_gb": ("egress_gb", 0, "", "{v} GB out"),
    "capacity_unit_hour": ("capacity_units", 1, "hours", "{v} units x {h} h"),
    "requests_million": ("requests_millions", 0, "", "{v} M requests"),
    "user_month": ("users", 0, "", "{v} monthly active users"),
    "thousand_messages": ("messages_thousands", 0, "", "{v} x 1,000 messages"),
    "ingested_gb": ("ingested_gb", 0, "", "{v} GB ingested"),
    "scanned_tb": ("scanned_tb", 0, "", "{v} TB scanned"),
}


def _quantity(price: Price, size: dict[str, Any], hours: float, instances: float) -> tuple[float | None, str]:
    """How much of a meter the sizing implies, and how to say it."""
    item = price.item
    h = num(hours)
    n = num(instances)
    if item in _SIZED_METERS:
        key, default, scale, words = _SIZED_METERS[item]
        value = float(size.get(key, default) or 0)
        factor = {"instance_hours": instances * hours, "hours": hours}.get(scale, 1.0)
        return value * factor, words.format(v=num(value), n=n, h=h)
    if item == "month":
        count = float(size.get("count", 1) or 1)
        return count, f"{num(count)} x 1 month"
    if item == "hour":
        return instances * hours, f"{n} x {h} h"
    if item == "cluster_hour":
        return hours, f"{h} h"
    if item == "processed_gb":
        gb = float(size.get("processed_gb", size.get("egress_gb")) or 0)
        return gb, f"{num(gb)} GB processed"
    if item == "gb_second":
        req = float(size.get("requests_millions") or 0) * 1e6
        secs = float(size.get("duration_ms", 100)) / 1000
        mem = float(size.get("memory_gb") or 0)
        return req * secs * mem, f"{num(req)} requests x {num(secs)} s x {num(mem)} GB"
    return None, ""  # pragma: no cover - Meter is a closed Literal


@dataclass
class _Priced:
    usd: float = 0.0
    parts: list[str] = field(default_factory=list)
    used: list[Price] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)

    def add(self, price: Price, qty: float, qty_text: str, factor: float = 1.0, free: float | None = None) -> float:
        """Charge one meter; ``free`` is this component's share of a free tier the account has once."""
        gift = price.free_quantity if free is None else free
        billed = max(qty * price.factor - gift, 0.0) * factor
        cost = billed * price.usd
        self.usd += cost
        self.used.append(price)
        self.terms.append(
            Term("meter", qty, qty_text, price.usd, price.unit, cost, price.factor, gift, factor, price.instance_type)
        )
        share = f" x {num(price.factor)}" if price.factor != 1 else ""
        shared = f" (its share of {num(price.free_quantity)})" if gift != price.free_quantity else ""
        free = f" - {num(gift)} free{shared}" if price.free_quantity else ""
        ha = f" x {num(factor)} HA" if factor != 1 else ""
        what = f" {price.instance_type}" if price.instance_type else ""
        self.parts.append(
            f"({qty_text}{share}{free}){ha} x {_rate(price.usd)}/{_SHORT_UNIT[price.item]}{what} = {money(cost)}"
        )
        return cost


def _applicable(m: _Member, items: tuple[str, ...] | None = None, skip: tuple[str, ...] = ()):
    """(price, quantity, how it is said) for each of the member's meters that applies."""
    hours = float(m.size.get("hours_per_month") or 730)
    instances = float(m.size.get("instances", 1) or 1)
    for price in m.svc.prices:
        if items is not None and price.item not in items:
            continue
        if price.item in skip:
            continue
        if price.item == "hour" and price.instance_type and price is not m.chosen:
            continue
        qty, qty_text = _quantity(price, m.size, hours, instances)
        if qty is not None:
            yield price, qty, qty_text


def _meters(m: _Member, items: tuple[str, ...] | None = None, skip: tuple[str, ...] = ()) -> _Priced:
    """The member's own meters (all, or only ``items``; never ``skip``)."""
    out = _Priced()
    for price, qty, qty_text in _applicable(m, items, skip):
        factor = m.ha_factor if price.item in _INSTANCE_METERS else 1.0
        out.add(price, qty, qty_text, factor, m.free.get(_free_key(m.svc, price)))
    return out


def _free_key(svc: Service, price: Price) -> tuple:
    """One free tier of the account: the same meter at the same rate on the same provider."""
    return (svc.provider, price.item, price.unit, price.usd, price.free_quantity)


def _share_free_tiers(members: list[_Member]) -> None:
    """A free tier (Lambda's 1 M requests, DynamoDB's 25 GB...) is the account's, once a month:
    the components that use the meter share it in proportion to what each uses."""
    use: dict[tuple, dict[str, float]] = {}
    for m in members:
        for price, qty, _ in _applicable(m):
            if price.free_quantity:
                key = _free_key(m.svc, price)
                use.setdefault(key, {})[m.cid] = use.get(key, {}).get(m.cid, 0.0) + qty * price.factor
    by_id = {m.cid: m for m in members}
    for key, users in use.items():
        total = sum(users.values())
        if len(users) < 2 or total <= 0:
            continue
        for cid, amount in users.items():
            by_id[cid].free[key] = round(key[-1] * amount / total, 4)


def _unpriced_reason(svc: Service) -> str:
    return svc.unpriced or "the catalog has no sourced price for it"


def _line(m: _Member, usd: float | None, formula: str, used: list[Price], notes: list[str] | None = None,
          why: str | None = None, terms: list[Term] | None = None) -> Line:
    dates = sorted({p.as_of for p in used})
    return Line(
        component=m.cid,
        kind=m.kind,
        service=m.svc.key,
        service_name=m.svc.name,
        usd=None if usd is None else round(usd, 2),
        formula=formula,
        notes=tuple(notes if notes is not None else m.notes),
        as_of=dates[0] if dates and usd is not None else None,
        sizing=m.size,
        sources=tuple(sorted({p.source for p in used})) if usd is not None else (),
        host=m.host,
        why_unpriced=why,
        terms=tuple(terms or ()) if usd is not None else (),
    )


def _plain_line(m: _Member) -> Line:
    """A component priced on its own meters."""
    if not m.svc.prices:
        why = _unpriced_reason(m.svc)
        return _line(m, None, f"not priced: {why}", [], why=why)
    if m.unfit:
        why = "; ".join(m.notes)
        return _line(m, None, "not priced: " + why, [], why=why)
    priced = _meters(m)
    formula = " + ".join(priced.parts) if priced.parts else "no priced meter applies"
    if m.ha_text:
        formula += f" [HA: {m.ha_text}]"
    if not priced.used:
        return _line(m, 0.0, formula, [])
    return _line(m, priced.usd, formula, priced.used, terms=priced.terms)


# -- hosts: clusters (and VMs) priced once, their guests as shares of the nodes -------


@dataclass
class _Plan:
    """How a host's nodes are priced and shared."""

    host: _Member
    guests: list[_Member]
    hours: float
    node_cost: float = 0.0  # what the guests share: the nodes for the month
    node_text: str = ""  # how node_cost was computed
    node_prices: list[Price] = field(default_factory=list)
    cap_v: float = 0.0  # vCPU-hours the nodes supply
    cap_m: float = 0.0  # GB-hours
    rates: dict[str, Price] = field(default_factory=dict)  # billed per requested vCPU/GB-hour instead
    storage: Price | None = None  # persistent volumes of the guests
    why: str | None = None  # why the guests cannot be priced
    shares: dict[str, float] = field(default_factory=dict)  # guest -> its part of node_cost


def _demand(g: _Member) -> tuple[float, float, float, float]:
    """A guest's (vCPU, GB, replicas, hours)."""
    return (
        float(g.size.get("vcpu") or 0),
        float(g.size.get("memory_gb") or 0),
        float(g.size.get("instances", 1) or 1),
        float(g.size.get("hours_per_month") or 730),
    )


def _plan(h: _Member, guests: list[_Member], as_guest: Line | None) -> _Plan:
    hours = float(h.size.get("hours_per_month") or 730)
    plan = _Plan(h, guests, hours)
    plan.storage = next((p for p in h.svc.prices if p.item == "storage_gb_month"), None)
    want_v = sum(v * n * gh for v, _, n, gh in map(_demand, guests))
    want_m = sum(m * n * gh for _, m, n, gh in map(_demand, guests))
    if as_guest is not None:
        # a host that itself runs on a host (a VM's guests, a cluster on a VM): it shares its own share
        v, m, n, gh = _demand(h)
        plan.cap_v, plan.cap_m = v * n * gh, m * n * gh
        plan.node_cost = float(as_guest.usd or 0.0)
        plan.node_text = f"{h.cid}'s own share {money(plan.node_cost)}"
        if as_guest.usd is None:
            plan.why = f"it runs on {h.cid}, which is not priced"
        return plan
    node = h.chosen
    if node is not None and node.vcpu and node.memory_gb:
        base = float(h.size.get("instances", 1) or 1)
        fit = max(math.ceil(want_v / (node.vcpu * hours) - 1e-9), math.ceil(want_m / (node.memory_gb * hours) - 1e-9), 0)
        count = max(base, float(fit))
        if count > base:
            h.notes.append(
                f"{num(count)} nodes (not {num(base)}) to fit what runs on it: "
                f"{num(want_v / hours)} vCPU and {num(want_m / hours)} GB asked"
            )
        h.size["instances"] = count
        plan.cap_v, plan.cap_m = count * node.vcpu * hours, count * node.memory_gb * hours
        plan.node_cost = count * hours * node.usd * h.ha_factor
        plan.node_text = f"{num(count)} x {node.instance_type} nodes ({num(count)} x {num(hours)} h x {_rate(node.usd)}/h = {money(plan.node_cost)})"
        plan.node_prices = [node]
        return plan
    plan.rates = {p.item: p for p in h.svc.prices if p.item in _RATE_METERS and not p.instance_type}
    if not plan.rates:
        plan.why = (
            f"it runs on {h.cid} ({h.svc.name}), whose nodes have no price: "
            + ("; ".join(h.notes) if h.unfit else _unpriced_reason(h.svc))
        )
    return plan


def _guest_line(g: _Member, plan: _Plan) -> Line:
    h = plan.host
    where = "the shared cluster" if h.cid == IMPLICIT_CLUSTER else h.cid
    if plan.why:
        return _line(g, None, f"not priced: {plan.why}", [], why=plan.why)
    v, m, n, gh = _demand(g)
    reps = f" x {num(n)}" if n != 1 else ""
    hrs = f" x {num(gh)} h" if gh != plan.hours else ""
    priced = _Priced()
    parts: list[str] = []
    if plan.rates:
        size = dict(g.size)
        for item, price in sorted(plan.rates.items()):
            qty, qty_text = _quantity(price, size, gh, n)
            if qty is not None:
                priced.add(price, qty, qty_text)
        parts = [f"billed by {where} ({h.svc.name}) for what it asks: " + " + ".join(priced.parts)]
    else:
        terms, texts = [], []
        if plan.cap_v and v:
            terms.append(v * n * gh / plan.cap_v)
            texts.append(f"{num(v)} vCPU{reps}{hrs} / {num(plan.cap_v / plan.hours)} vCPU{' x ' + num(plan.hours) + ' h' if hrs else ''}")
        if plan.cap_m and m:
            terms.append(m * n * gh / plan.cap_m)
            texts.append(f"{num(m)} GB{reps}{hrs} / {num(plan.cap_m / plan.hours)} GB{' x ' + num(plan.hours) + ' h' if hrs else ''}")
        share = (sum(terms) / 2) if len(terms) == 2 else (terms[0] / 2 if terms else 0.0)
        cost = share * plan.node_cost
        plan.shares[g.cid] = cost
        priced.usd += cost
        priced.used.extend(plan.node_prices)
        if terms:
            parts.append(f"share of {where}'s nodes: ({' + '.join(texts)}) / 2 = {_pct(share)} x {money(plan.node_cost)} = {money(cost)}")
            priced.terms.append(
                Term("share", share, f"({' + '.join(texts)}) / 2", plan.node_cost, f"month of {where}'s nodes", cost)
            )
        else:
            parts.append(f"asks {where} for no vCPU or memory: no share of its nodes (set sizing: vcpu, memory_gb)")
    if plan.storage is not None and g.size.get("storage_gb"):
        qty, qty_text = _quantity(plan.storage, g.size, gh, n)
        volumes = float(qty or 0) * n
        priced.add(plan.storage, volumes, f"{qty_text} x {num(n)} volumes" if n != 1 else f"{qty_text} volume")
        parts.append(priced.parts[-1])
    formula = " + ".join(parts)
    if g.ha_text:
        formula += f" [HA: {g.ha_text}]"
    return _line(g, priced.usd, formula, priced.used, terms=priced.terms)


def _host_line(plan: _Plan, as_guest: Line | None) -> Line:
    h = plan.host
    shared = sum(plan.shares.values())
    names = ", ".join(g.cid for g in plan.guests)
    if as_guest is not None:
        # its own share of its host, less what its guests took of it
        usd = None if as_guest.usd is None else as_guest.usd - shared
        formula = as_guest.formula + (f"; less {money(shared)} shared by what runs on it ({names})" if plan.guests else "")
        terms = as_guest.terms + ((_shared_term(shared, names),) if plan.guests and usd is not None else ())
        return Line(
            **{**as_guest.__dict__, "usd": None if usd is None else round(usd, 2), "formula": formula, "terms": terms}
        )
    if plan.why and not plan.rates and h.svc.prices == ():
        why = _unpriced_reason(h.svc)
        return _line(h, None, f"not priced: {why}", [], why=why)
    skip = ("hour",) + (_RATE_METERS if plan.rates else ()) + (() if h.size.get("storage_gb") else ("storage_gb_month",))
    own = _meters(h, skip=skip)
    parts = list(own.parts)
    usd = own.usd
    used = list(own.used)
    terms = list(own.terms)
    if plan.node_prices:
        parts.append(plan.node_text)
        usd += plan.node_cost
        used += plan.node_prices
        node = plan.node_prices[0]
        count = float(h.size["instances"])
        terms.append(
            Term(
                "meter", count * plan.hours, f"{num(count)} nodes x {num(plan.hours)} h", node.usd, node.unit,
                plan.node_cost, ha=h.ha_factor, instance_type=node.instance_type,
            )
        )
        if plan.guests:
            usd -= shared
            terms.append(_shared_term(shared, names))
    elif plan.rates and plan.guests:
        parts.append(f"what runs on it ({names}) is billed on its own lines")
    elif plan.rates:
        parts.append("nothing runs on it: pods are billed for what they ask")
    if h.unfit and not plan.rates:
        why = "; ".join(h.notes)
        return _line(h, None, "not priced: " + why, [], why=why)
    formula = " + ".join(parts) if parts else "no priced meter applies"
    if plan.node_prices and plan.guests:
        formula += f" - {money(shared)} shared by what runs on it ({names})"
    if h.ha_text:
        formula += f" [HA: {h.ha_text}]"
    return _line(h, usd, formula, used, terms=terms)


def _shared_term(shared: float, names: str) -> Term:
    return Term("shared", 1.0, f"less the shares of what runs on it ({names})", -shared, "month", -shared)


# -- a service that is another one at a higher tier: one resource, priced once --------


def _price_tiers_once(members: dict[str, _Member], lines: dict[str, Line]) -> None:
    """A shield whose service is a tier of the service of what it protects (a WAF_v2
    Application Gateway in front of an Application Gateway) is that resource: the protected
    component is priced on the shield's line, once. Only the first such component it
    protects; a second gateway is a second resource."""
    for cid in sorted(members):
        m = members[cid]
        tier = m.svc.tier_of
        if tier is None or m.comp is None or not has_trait(m.kind, "shield"):
            continue
        if lines.get(cid) is None or lines[cid].usd is None:
            continue
        same = [p for p in sorted(m.comp.protects) if p in members and p in lines and members[p].svc.key == tier.service]
        if not same:
            continue
        pid = same[0]
        text = f"priced on {cid}'s line ({m.svc.name}): {tier.note}"
        lines[pid] = Line(
            **{
                **lines[pid].__dict__,
                "usd": 0.0,
                "formula": text,
                "as_of": tier.as_of,
                "sources": (tier.source,),
                "why_unpriced": None,
                "terms": (Term("included", 0.0, f"priced on {cid}'s line", 0.0, "", 0.0),),
            }
        )


# -- the estimate -------------------------------------------------------------------


def _capacity_text(size: dict[str, Any], instances: float) -> str:
    bits = []
    if size.get("vcpu"):
        bits.append(f"{num(float(size['vcpu']))} vCPU")
    if size.get("memory_gb"):
        bits.append(f"{num(float(size['memory_gb']))} GB memory")
    if size.get("storage_gb"):
        bits.append(f"{num(float(size['storage_gb']))} GB storage")
    reps = f" x {num(instances)} replicas" if instances != 1 else ""
    return ", ".join(bits) + reps if bits else "no stated capacity"


def _is_cluster(m: _Member) -> bool:
    return has_trait(m.kind, "host") and m.svc.platform == "kubernetes"


def _gap_line(catalog: Catalog, model: Model, comp: Component, provider: str) -> Line:
    gap = catalog.resolve_gap(model, comp, provider) or "no equivalent"
    return Line(
        comp.id, comp.kind, None, None, None, f"no equivalent on {catalog.provider_name(provider)}", (gap,),
        why_unpriced=gap,
    )


def estimate(model: Model, provider: str | None = None, catalog: Catalog | None = None) -> Estimate:
    """The indicative monthly cost of ``model`` on ``provider`` (default: the model's own)."""
    catalog = catalog or get_catalog()
    provider = provider or model.provider
    assumptions = _assumptions(model, catalog)
    requests = traffic(model, catalog, assumptions)
    self_hosted = catalog.self_hosted(provider)
    lines: dict[str, Line] = {}
    members: dict[str, _Member] = {}
    for cid in sorted(model.components):
        comp = model.components[cid]
        if not catalog.provisioned(comp.kind):
            continue
        svc = resolve_service(model, comp, provider, catalog)
        if svc is None:
            lines[cid] = _gap_line(catalog, model, comp, provider)
            continue
        members[cid] = _member(model, comp, cid, comp.kind, svc, catalog, assumptions, requests.get(cid))

    # placement: runs_on, else the implicit cluster (the model's only cluster when it has one)
    clusters = [cid for cid, m in members.items() if _is_cluster(m)]
    for cid, m in members.items():
        comp = m.comp
        if comp.runs_on:
            if comp.runs_on in members:
                m.host = comp.runs_on
            else:
                why = f"it runs on {comp.runs_on}, which has no equivalent on {catalog.provider_name(provider)}"
                lines[cid] = _line(m, None, f"not priced: {why}", [], why=why)
        elif not _is_cluster(m) and (self_hosted or m.svc.platform == "kubernetes"):
            m.host = clusters[0] if len(clusters) == 1 else IMPLICIT_CLUSTER
    implicit = [m for m in members.values() if m.host == IMPLICIT_CLUSTER]
    if implicit:
        svc = catalog.cluster_service(provider)
        if svc is None:  # pragma: no cover - every provider of the catalog has a cluster
            for m in implicit:
                lines[m.cid] = _line(m, None, "not priced: no Kubernetes cluster on this provider", [])
        else:
            host = _member(model, None, IMPLICIT_CLUSTER, svc.kind, svc, catalog, assumptions, None)
            if any(m.comp.high_availability for m in implicit) and svc.ha and svc.ha.min_instances:
                host.size["instances"] = max(float(host.size["instances"]), float(svc.ha.min_instances))
                host.ha_text = svc.ha.note
            host.notes.append(
                "one cluster shared by the components that run on Kubernetes without runs_on: "
                + ", ".join(m.cid for m in implicit)
            )
            members[IMPLICIT_CLUSTER] = host

    def depth(cid: str, seen: frozenset[str] = frozenset()) -> int:
        host = members[cid].host
        return 0 if host is None or host in seen or host not in members else 1 + depth(host, seen | {cid})

    hosted = {m.host for m in members.values() if m.host in members} | {c for c in clusters if c not in lines}
    hosts = sorted(hosted, key=lambda h: (depth(h), h))
    plans: dict[str, _Plan] = {}
    for hid in hosts:
        guests = [m for cid, m in sorted(members.items()) if m.host == hid and cid not in lines]
        plan = _plan(members[hid], guests, lines.get(hid))
        plans[hid] = plan
        for g in guests:
            lines[g.cid] = _guest_line(g, plan)
        lines[hid] = _host_line(plan, lines.get(hid))
    _share_free_tiers([m for cid, m in sorted(members.items()) if cid not in lines])
    for cid, m in members.items():
        if cid not in lines:
            lines[cid] = _plain_line(m)
    _price_tiers_once(members, lines)

    ordered = [lines[cid] for cid in sorted(lines) if cid != IMPLICIT_CLUSTER]
    if IMPLICIT_CLUSTER in lines:
        ordered.append(lines[IMPLICIT_CLUSTER])
    total = round(sum(ln.usd for ln in ordered if ln.usd is not None), 2)
    dates = [ln.as_of for ln in ordered if ln.as_of]
    notes = [INDICATIVE]
    unpriced = [ln for ln in ordered if ln.usd is None]
    capacity: dict[str, float] = {}
    if self_hosted:
        for ln in ordered:
            if has_trait(ln.kind, "host") and ln.host is None:
                continue  # the cluster is the nodes, not a request on them
            reps = float(ln.sizing.get("instances", 1) or 1)
            for key in ("vcpu", "memory_gb", "storage_gb"):
                if ln.sizing.get(key):
                    capacity[key] = round(capacity.get(key, 0.0) + float(ln.sizing[key]) * reps, 3)
        ref = next((plans[h] for h in hosts if plans[h].node_prices), None)
        where = ""
        if ref is not None:
            node = ref.node_prices[0]
            where = (
                f" Priced here as nodes on a reference cloud: {node.instance_type} at {_rate(node.usd)}/h "
                f"({node.region}, {node.source}, {node.as_of}); on other nodes, scale by their price."
            )
        notes.append(
            "Open source on Kubernetes has no service fee: the cost is the cluster's nodes wherever they run, "
            "plus the people who run them." + where + " Capacity requested: "
            + (
                ", ".join(f"{num(capacity[k])} {label}" for k, label in _CAPACITY_LABELS if k in capacity)
                or "none stated"
            )
            + "."
        )
    if unpriced:
        notes.append(
            f"{len(unpriced)} of {len(ordered)} provisioned components are not priced "
            f"({', '.join(ln.component for ln in unpriced)}): the total is a lower bound."
        )
    return Estimate(
        model=model.name,
        provider=provider,
        lines=tuple(ordered),
        total=total,
        as_of=min(dates) if dates else None,
        assumptions={k: assumptions[k] for k in sorted(assumptions)},
        notes=tuple(notes),
        budget_usd=model.requirements.monthly_budget_usd,
        capacity=capacity,
        requests={cid: requests[cid] for cid in sorted(requests) if cid in lines},
    )
