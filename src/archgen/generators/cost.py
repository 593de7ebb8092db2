"""Indicative monthly cost of a model on a provider, from the catalog's prices.

For every provisioned component the estimate picks the service the model would use
on the provider (its own service on the model's provider; elsewhere the catalog's
equivalent), sizes it (catalog defaults, then the model's ``sizing:``, then the
component's ``sizing:``), and multiplies each of the service's priced meters by the
quantity the sizing implies. Every line carries the formula it was computed with, so
a reader can check it; everything not priced is named in the notes.

Prices are indicative list prices: each comes with its source and date, and the
estimate's ``as_of`` is the oldest date among the prices it used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from archgen.catalog import Catalog, Price, Service, get_catalog
from archgen.rendering.textutil import money

if TYPE_CHECKING:
    from archgen.model import Component, Model

__all__ = ["INDICATIVE", "Estimate", "Line", "estimate", "money", "num", "resolve_service", "sizing_for"]

#: The caveat printed wherever an estimate appears.
INDICATIVE = (
    "Indicative list prices (on demand, before tax, discounts, free credits and support); "
    "internet data transfer and staff time are not included."
)

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
}
_INSTANCE_METERS = {"hour", "vcpu_hour", "gb_hour"}
_CAPACITY_LABELS = (("vcpu", "vCPU"), ("memory_gb", "GB memory"), ("storage_gb", "GB storage"))


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

    @property
    def unpriced(self) -> tuple[str, ...]:
        return tuple(line.component for line in self.lines if line.usd is None)

    @property
    def complete(self) -> bool:
        """True when every provisioned component has a price."""
        return not self.unpriced

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

    @cached_property
    def _by_component(self) -> dict[str, Line]:
        # the comparison asks for every component's line: an index, not a scan each time
        out: dict[str, Line] = {}
        for ln in self.lines:
            out.setdefault(ln.component, ln)
        return out


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
        hours = float(out["hours_per_month"])
        out["requests_millions"] = round(float(peak) * float(out["average_load_factor"]) * 3600 * hours / 1e6, 2)
    return out


def sizing_for(comp: Component, service: Service, assumptions: dict[str, Any]) -> dict[str, Any]:
    """The sizing a component is priced with on a service: defaults < model < component."""
    out = dict(service.sizing)
    for key in ("hours_per_month", "egress_gb", "requests_millions"):
        out.setdefault(key, assumptions.get(key))
    out.update({k: v for k, v in (comp.sizing or {}).items() if v is not None})
    return out


def _instance_spec(catalog: Catalog, model: Model, comp: Component, instance_type: str) -> Price | None:
    """The vCPU/memory of an instance type named for the model's own provider."""
    own = catalog.resolve_service(model, comp)
    if own is None:
        return None
    return next((p for p in own.prices if p.instance_type == instance_type), None)


def _line(
    model: Model, comp: Component, provider: str, catalog: Catalog, assumptions: dict[str, Any]
) -> Line:
    svc = resolve_service(model, comp, provider, catalog)
    if svc is None:
        gap = catalog.gap(comp.kind, provider) or "no equivalent"
        return Line(comp.id, comp.kind, None, None, None, f"no equivalent on {catalog.provider_name(provider)}", (gap,))
    size = sizing_for(comp, svc, assumptions)
    notes: list[str] = []
    hours = float(size.get("hours_per_month") or 730)
    instances = float(size.get("instances", 1) or 1)
    ha_factor = 1.0
    ha_text = ""
    if comp.high_availability:
        if svc.ha is not None:
            if svc.ha.min_instances and instances < svc.ha.min_instances:
                instances = float(svc.ha.min_instances)
            ha_factor = svc.ha.multiplier
            ha_text = svc.ha.note
        elif svc.prices:
            notes.append("high availability is not reflected in this price")
    size["instances"] = instances

    typed = [p for p in svc.prices if p.item == "hour" and p.instance_type]
    wanted = (comp.sizing or {}).get("instance_type")
    chosen: Price | None = None
    if wanted:
        chosen = next((p for p in typed if p.instance_type == wanted), None)
        if chosen is None:
            # An instance type of the model's own provider: carry its size over.
            spec = _instance_spec(catalog, model, comp, str(wanted))
            sized = "vcpu" in (comp.sizing or {}) or "memory_gb" in (comp.sizing or {})
            if spec is not None and not sized:
                size["vcpu"], size["memory_gb"] = spec.vcpu, spec.memory_gb
                notes.append(f"sized as {wanted}: {num(spec.vcpu or 0)} vCPU, {num(spec.memory_gb or 0)} GB")
            elif spec is None and not sized:
                notes.append(f"instance type {wanted} is not in the catalog; sized by the default vCPU and memory")
            size.pop("instance_type", None)
    if typed and chosen is None:
        need_v = float(size.get("vcpu") or 0)
        need_m = float(size.get("memory_gb") or 0)
        fits = [p for p in typed if (p.vcpu or 0) >= need_v and (p.memory_gb or 0) >= need_m]
        if fits:
            chosen = min(fits, key=lambda p: (p.usd, p.instance_type or ""))
            size["instance_type"] = chosen.instance_type
            notes.append(
                f"{chosen.instance_type}: the cheapest priced type with at least "
                f"{num(need_v)} vCPU and {num(need_m)} GB"
            )
        else:
            notes.append(f"no priced instance type with at least {num(need_v)} vCPU and {num(need_m)} GB")

    if not svc.prices:
        if catalog.self_hosted(svc.provider):
            formula = _capacity_text(size, instances)
            return Line(comp.id, comp.kind, svc.key, svc.name, None, formula, tuple(notes), None, size)
        return Line(
            comp.id, comp.kind, svc.key, svc.name, None, "no indicative price in the catalog", tuple(notes), None, size
        )

    parts: list[str] = []
    total = 0.0
    dates: list[str] = []
    for price in svc.prices:
        if price.item == "hour" and price.instance_type and price is not chosen:
            continue
        qty, qty_text = _quantity(price, size, hours, instances, assumptions)
        if qty is None:
            continue
        factor = ha_factor if price.item in _INSTANCE_METERS else 1.0
        billed = max(qty - price.free_quantity, 0.0) * factor
        cost = billed * price.usd
        total += cost
        dates.append(price.as_of)
        free = f" - {num(price.free_quantity)} free" if price.free_quantity else ""
        ha = f" x {num(factor)} HA" if factor != 1 else ""
        what = f" {price.instance_type}" if price.instance_type else ""
        parts.append(
            f"({qty_text}{free}){ha} x {_rate(price.usd)}/{_SHORT_UNIT[price.item]}{what} = {money(cost)}"
        )
    if typed and chosen is None:
        return Line(comp.id, comp.kind, svc.key, svc.name, None, "not priced: " + "; ".join(notes), tuple(notes), None, size)
    formula = " + ".join(parts) if parts else "no priced meter applies"
    if ha_text:
        formula += f" [HA: {ha_text}]"
    return Line(
        comp.id,
        comp.kind,
        svc.key,
        svc.name,
        round(total, 2),
        formula,
        tuple(notes),
        min(dates) if dates else None,
        size,
    )


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
}


def _quantity(
    price: Price, size: dict[str, Any], hours: float, instances: float, assumptions: dict[str, Any]
) -> tuple[float | None, str]:
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


def _capacity_text(size: dict[str, Any], instances: float) -> str:
    bits = []
    if size.get("vcpu"):
        bits.append(f"{num(float(size['vcpu']))} vCPU")
    if size.get("memory_gb"):
        bits.append(f"{num(float(size['memory_gb']))} GB memory")
    if size.get("storage_gb"):
        bits.append(f"{num(float(size['storage_gb']))} GB storage")
    if not bits:
        return "runs on the cluster's nodes; not priced"
    reps = f" x {num(instances)} replicas" if instances != 1 else ""
    return f"requests {', '.join(bits)}{reps} on the cluster's nodes; not priced"


def estimate(model: Model, provider: str | None = None, catalog: Catalog | None = None) -> Estimate:
    """The indicative monthly cost of ``model`` on ``provider`` (default: the model's own)."""
    catalog = catalog or get_catalog()
    provider = provider or model.provider
    assumptions = _assumptions(model, catalog)
    lines: list[Line] = []
    for cid in sorted(model.components):
        comp = model.components[cid]
        if not catalog.provisioned(comp.kind):
            continue
        lines.append(_line(model, comp, provider, catalog, assumptions))
    total = round(sum(ln.usd for ln in lines if ln.usd is not None), 2)
    dates = [ln.as_of for ln in lines if ln.as_of]
    notes = [INDICATIVE]
    unpriced = [ln for ln in lines if ln.usd is None]
    capacity: dict[str, float] = {}
    if catalog.self_hosted(provider):
        for ln in lines:
            reps = float(ln.sizing.get("instances", 1) or 1)
            for key in ("vcpu", "memory_gb", "storage_gb"):
                if ln.sizing.get(key):
                    capacity[key] = round(capacity.get(key, 0.0) + float(ln.sizing[key]) * reps, 3)
        notes.append(
            "Open source on Kubernetes has no service fee: the cost is the cluster (nodes, storage, "
            "load balancer) wherever it runs, plus the people who run it. Capacity requested: "
            + (
                ", ".join(f"{num(capacity[k])} {label}" for k, label in _CAPACITY_LABELS if k in capacity)
                or "none stated"
            )
            + "."
        )
    elif unpriced:
        notes.append(
            f"{len(unpriced)} of {len(lines)} provisioned components are not priced "
            f"({', '.join(ln.component for ln in unpriced)}): the total is a lower bound."
        )
    return Estimate(
        model=model.name,
        provider=provider,
        lines=tuple(lines),
        total=total,
        as_of=min(dates) if dates else None,
        assumptions={k: assumptions[k] for k in sorted(assumptions)},
        notes=tuple(notes),
        budget_usd=model.requirements.monthly_budget_usd,
        capacity=capacity,
    )
