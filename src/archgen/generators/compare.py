"""The provider comparison: a model's components on AWS, Azure, GCP and Kubernetes.

:func:`compare` builds the comparison as plain data from the catalog and the cost
estimate; :func:`render_text`, :func:`render_markdown` and :func:`render_json` turn
it into text. Nothing here reads YAML or writes files: the CLI prints, the site
builder writes through the writer.

For each component: the service on each provider (the model's own choice on its
provider, the catalog's equivalent elsewhere), its interface class and portability
points, lifecycle flags and Terraform gaps. Per provider: an indicative monthly
estimate with its formulas, the lock-in score, and notes on what has no equivalent
or no Terraform resource.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from archgen.rendering import textutil
from archgen.catalog import INTERFACE_LABELS, PROVIDERS, Catalog, Service, get_catalog
from archgen.generators.cost import INDICATIVE, Estimate, estimate, money, num, resolve_service, total_text

if TYPE_CHECKING:
    from collections.abc import Mapping

    from archgen.model import Model

__all__ = [
    "Cell",
    "Comparison",
    "ProviderSummary",
    "Row",
    "compare",
    "json_document",
    "lockin_score",
    "markdown_document",
    "render_json",
    "render_markdown",
    "render_text",
    "text_document",
]


SCORE_HELP = (
    "Lock-in score: the mean portability points of the provisioned components a move would have to "
    "rebuild on that provider (3 open standard, 2 portable artifact on a proprietary control plane, "
    "1 proprietary API; minus 1 when closed to new customers, in maintenance, retiring or retired, "
    "minus 1 for a licence change), scaled to 0-100: 100 means every component speaks an open "
    "standard. Operations glue (budgets, monitoring, CI/CD) and WAFs are left out: replacing them "
    "changes configuration, not the application."
)


@dataclass(frozen=True)
class Cell:
    """One component on one provider."""

    provider: str
    service: str | None
    name: str | None
    provisioned: bool
    interface: str | None
    lock_in: int | None
    lifecycle: str  # ga, closed_to_new_customers, maintenance, retiring, retired
    lifecycle_flag: str  # "" when GA, e.g. "closed to new customers since 2026-04-30 -> ECS Express Mode"
    terraform: tuple[str, ...]
    terraform_gap: str | None
    licence_risk: str | None
    gap: str | None  # why there is no equivalent
    chosen: bool  # the model's own choice (its provider)
    usd: float | None
    formula: str
    notes: tuple[str, ...] = ()  # the catalog's notes on the service
    why_unpriced: str | None = None  # why the estimate has no price for it
    sources: tuple[str, ...] = ()  # where its prices come from

    @property
    def interface_label(self) -> str:
        return INTERFACE_LABELS.get(self.interface or "", "")


@dataclass(frozen=True)
class Row:
    component: str
    title: str
    kind: str
    cells: dict[str, Cell]


@dataclass(frozen=True)
class ProviderSummary:
    provider: str
    name: str
    estimate: Estimate
    lockin_score: int | None
    proprietary: tuple[str, ...]  # component ids on a proprietary API that the lock-in score counts
    gaps: tuple[str, ...]  # component ids with no equivalent
    terraform_gaps: tuple[str, ...]  # component ids the Terraform skeleton leaves to do by hand
    flagged: tuple[str, ...]  # component ids whose service is not GA or carries a licence risk
    counts: dict[str, int] = field(default_factory=dict)  # interface class -> components the score counts
    comparable_usd: float | None = None  # sum over Comparison.comparable; None when not priced here


@dataclass(frozen=True)
class Comparison:
    model: str
    title: str
    file: str
    provider: str
    rows: tuple[Row, ...]
    providers: dict[str, ProviderSummary]
    assumptions: dict[str, Any]
    notes: tuple[str, ...]
    #: Components priced on every provider that prices anything: their sum compares like with like.
    comparable: tuple[str, ...] = ()
    #: The providers the renderers show (all by default; ``--provider`` narrows it).
    shown: tuple[str, ...] = PROVIDERS


def _flag(catalog: Catalog, svc: Service) -> str:
    flag = svc.lifecycle.flag
    if flag and svc.lifecycle.successor:
        succ = catalog.service(svc.kind, svc.provider, svc.lifecycle.successor)
        flag += f" → {succ.name if succ else svc.lifecycle.successor}"
    return flag


def _cell(model: Model, cid: str, provider: str, catalog: Catalog, est: Estimate) -> Cell:
    comp = model.components[cid]
    svc = resolve_service(model, comp, provider, catalog)
    line = est.line(cid)
    if svc is None:
        return Cell(
            provider, None, None, True, None, None, "ga", "", (), None, None,
            catalog.gap(comp.kind, provider) or "no equivalent", False, None, "",
        )
    return Cell(
        provider=provider,
        service=svc.key,
        name=svc.name,
        provisioned=svc.provisioned,
        interface=svc.interface,
        lock_in=svc.lock_in if svc.provisioned else None,
        lifecycle=svc.lifecycle.status,
        lifecycle_flag=_flag(catalog, svc),
        terraform=svc.terraform,
        terraform_gap=svc.terraform_gap,
        licence_risk=svc.licence_risk,
        gap=None,
        chosen=provider == model.provider,
        usd=line.usd if line else None,
        formula=line.formula if line else "",
        notes=svc.notes,
        why_unpriced=line.why_unpriced if line else None,
        sources=line.sources if line else (),
    )


def scored(kind: str) -> bool:
    """Whether a component of ``kind`` counts in the lock-in score: not configuration a move merely
    rewrites (operations glue, a WAF's rule set: ``thresholds.CONFIGURATION_KINDS``)."""
    from archgen.catalog.thresholds import CONFIGURATION_KINDS

    return kind not in CONFIGURATION_KINDS.value


def lockin_score(cells: list[Cell]) -> int | None:
    """0-100 from the portability points of provisioned, available services (None: none).

    ``cells`` are the components a move would rebuild (see :func:`scored`):
    ``round(100 * sum(points) / (3 * count))``.
    """
    points = [c.lock_in for c in cells if c.provisioned and c.service and c.lock_in is not None]
    if not points:
        return None
    return round(100 * sum(points) / (3 * len(points)))


def compare(
    model: Model,
    catalog: Catalog | None = None,
    providers: tuple[str, ...] | None = None,
    terraform: bool = True,
    known_gaps: Mapping[str, tuple[Any, ...]] | None = None,
) -> Comparison:
    """The comparison of ``model`` across every provider of the catalog.

    ``providers`` narrows what the renderers show (in catalog order); the comparison
    itself always covers every provider. The Terraform gaps are the Terraform
    generator's own list (:func:`archgen.generators.terraform.gaps`), so that the
    comparison and the generated README agree; ``terraform=False`` leaves them out
    (a rule that weighs only the score). ``known_gaps``: the gaps of providers whose
    Terraform plan the caller has already built (the site builds the model's own once).
    """
    catalog = catalog or get_catalog()
    shown = tuple(p for p in PROVIDERS if providers is None or p in providers)
    unknown = sorted(set(providers or ()) - set(PROVIDERS))
    if unknown:
        raise ValueError(f"unknown provider(s) {', '.join(unknown)}; choose from {', '.join(PROVIDERS)}")
    estimates = {p: estimate(model, p, catalog) for p in PROVIDERS}
    rows = []
    for cid in sorted(model.components):
        comp = model.components[cid]
        cells = {p: _cell(model, cid, p, catalog, estimates[p]) for p in PROVIDERS}
        rows.append(Row(cid, comp.title or cid, comp.kind, cells))
    priced_on = [p for p in PROVIDERS if any(ln.usd is not None for ln in estimates[p].lines)]
    comparable = tuple(
        r.component
        for r in rows
        if r.cells[model.provider].provisioned and priced_on and all(r.cells[p].usd is not None for p in priced_on)
    )
    tf_gaps: dict[str, tuple[Any, ...]] = {p: () for p in PROVIDERS}
    if terraform:
        from archgen.generators.terraform import gaps as terraform_gaps

        known = known_gaps or {}
        tf_gaps = {p: tuple(known[p]) if p in known else terraform_gaps(model, p) for p in PROVIDERS}
    providers = {}
    for p in PROVIDERS:
        cells = [r.cells[p] for r in rows if scored(r.kind)]
        used = [(r.component, r.cells[p]) for r in rows if r.cells[p].provisioned]
        # what the lock-in score counts: operations glue (budgets, monitoring, CI/CD) is left out
        counted = [(r.component, r.cells[p]) for r in rows if r.cells[p].provisioned and scored(r.kind)]
        counts = {k: 0 for k in INTERFACE_LABELS}
        for _, c in counted:
            if c.interface:
                counts[c.interface] += 1
        providers[p] = ProviderSummary(
            provider=p,
            name=catalog.provider_name(p),
            estimate=estimates[p],
            lockin_score=lockin_score(cells),
            proprietary=tuple(cid for cid, c in counted if c.interface == "proprietary_api"),
            gaps=tuple(cid for cid, c in used if c.service is None),
            terraform_gaps=tuple(sorted({g.component for g in tf_gaps[p]})),
            flagged=tuple(cid for cid, c in used if c.lifecycle_flag or c.licence_risk),
            counts=counts,
            comparable_usd=(
                round(sum(r.cells[p].usd or 0.0 for r in rows if r.component in comparable), 2)
                if p in priced_on
                else None
            ),
        )
    notes = _notes(model, rows, providers, catalog, shown, tf_gaps)
    return Comparison(
        model=model.name,
        title=model.display_name,
        file=model.file,
        provider=model.provider,
        rows=tuple(rows),
        providers=providers,
        assumptions=estimates[model.provider].assumptions,
        notes=tuple(notes),
        comparable=comparable,
        shown=shown,
    )


def _notes(
    model: Model,
    rows: list[Row],
    providers: dict[str, ProviderSummary],
    catalog: Catalog,
    shown: tuple[str, ...],
    tf_gaps: dict[str, tuple[Any, ...]],
) -> list[str]:
    """Plain-text notes: gaps, Terraform gaps, lifecycle and licence flags, per provider."""
    out = []
    for p in shown:
        name = providers[p].name
        tf_text: dict[str, list[str]] = {}
        for g in tf_gaps[p]:
            tf_text.setdefault(g.component, []).append(g.text)
        for r in rows:
            c = r.cells[p]
            if not c.provisioned:
                continue
            if c.service is None:
                out.append(f"{name}: {r.component} ({catalog.kinds[r.kind].title}) has no equivalent. {c.gap}")
                continue
            for text in tf_text.get(r.component, []):
                out.append(f"{name}: {text}")
            if c.lifecycle_flag:
                out.append(f"{name}: {r.component} ({c.name}) is {c.lifecycle_flag}.")
            if c.licence_risk:
                out.append(f"{name}: {r.component} ({c.name}) licence: {c.licence_risk}")
    return out


# -- rendering --------------------------------------------------------------------


def _total_text(s: ProviderSummary) -> str:
    """'$234.18 + 3 not priced (images, logs, spend)': a total never hides what it leaves out."""
    return total_text(s.estimate)


def _budget_text(s: ProviderSummary) -> str:
    est = s.estimate
    if not [ln for ln in est.lines if ln.usd is not None]:
        return "-"
    if est.over_budget:
        return "no"
    return "yes" if est.complete else f"yes so far ({len(est.unpriced)} not priced)"


def _cell_text(c: Cell) -> str:
    if not c.provisioned:
        return "not provisioned"
    if c.service is None:
        return "no equivalent"
    return f"{c.name} [{c.interface_label}, {c.lock_in}/3]"


def _flags(c: Cell) -> list[str]:
    out = []
    if c.lifecycle_flag:
        out.append(c.lifecycle_flag)
    if c.licence_risk:
        out.append("licence change")
    if c.terraform_gap:
        out.append("Terraform gap")
    return out


def render_text(c: Comparison) -> str:
    """The comparison for a terminal."""
    own = c.providers[c.provider].name
    out = [
        f"{c.title} ({c.model}), designed for {own}: compared across providers",
        f"Monthly figures are indicative. {INDICATIVE}",
        "",
    ]
    width = max(len(s.name) for s in c.providers.values()) + 2
    for r in c.rows:
        out.append(f"{r.component} - {r.title} [{r.kind}]")
        for p in c.shown:
            cell = r.cells[p]
            mark = "*" if cell.chosen else " "
            line = f"  {mark}{c.providers[p].name:<{width}}{_cell_text(cell)}"
            if cell.provisioned and cell.service is not None:
                line += f"  {money(cell.usd, missing='-')}"
            flags = _flags(cell)
            if flags:
                line += "  ! " + "; ".join(flags)
            if cell.service is not None and cell.usd is None and cell.why_unpriced:
                line += f"  (not priced: {cell.why_unpriced})"
            out.append(line.rstrip())
        out.append("")
    out.append("  * the model's own choice; [interface class, portability points out of 3]")
    out.append("")
    out.append("Per provider (monthly estimate, indicative)")
    for p in c.shown:
        s = c.providers[p]
        score = "-" if s.lockin_score is None else str(s.lockin_score)
        as_of = f", prices as of {s.estimate.as_of}" if s.estimate.as_of else ""
        out.append(f"  {s.name:<{width}}{_total_text(s)}{as_of}; lock-in score {score}/100")
        if s.proprietary:
            out.append(f"  {'':<{width}}proprietary APIs: {', '.join(s.proprietary)}")
        if s.estimate.over_budget:
            out.append(f"  {'':<{width}}over the budget of {money(s.estimate.budget_usd)}")
    if c.comparable:
        out.append(f"  Like for like, the components priced on every cloud ({', '.join(c.comparable)}):")
        for p in c.shown:
            s = c.providers[p]
            if s.comparable_usd is not None:
                out.append(f"  {s.name:<{width}}{money(s.comparable_usd)}")
    out.append("")
    out.append(_assumption_text(c))
    out.append(SCORE_HELP)
    if c.notes:
        out.append("")
        out.append("Notes")
        out.extend(f"  - {n}" for n in c.notes)
    return "\n".join(out) + "\n"


def _assumption_text(c: Comparison) -> str:
    a = c.assumptions
    if a.get("requests_from_model"):
        why = "set in the model"
    else:
        why = f"peak {num(a['peak_rps'])} rps x average load {num(a['average_load_factor'])}"
    return (
        f"Sizing assumptions: {num(a['hours_per_month'])} hours a month; {num(a['requests_millions'])} M requests "
        f"a month at the edge ({why}), shared along the flows: a flow carries its own `rps`, else an equal "
        f"share of its caller's requests; {num(a['egress_gb'])} GB a month "
        "delivered to users, sent by each component in proportion to its share of the edge's requests; per-component sizes from the catalog unless the model's `sizing:` overrides them; "
        "what runs on a cluster is priced as its share of the nodes."
    )


def _t(text: str) -> str:
    """Escape archgen's own text (catalog, figures) for a Markdown table cell or line.

    Model text goes through :func:`textutil.md_cell` / :func:`textutil.md_text` instead;
    archgen's own text only needs what would break a table or become HTML.
    """
    return (
        str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "&#124;")
    )


def _md_service(cell: Cell) -> str:
    if not cell.provisioned:
        return "not provisioned"
    if cell.service is None:
        return "**no equivalent** (see notes)"
    text = f"{_t(cell.name)}<br>{_t(cell.interface_label)} ({cell.lock_in}/3)"
    for flag in _flags(cell):
        text += f"<br>⚠ {_t(flag)}"
    return text


def render_markdown(c: Comparison) -> str:
    """The comparison as a Markdown page for the site, from ``compare.md.j2``.

    The cells are built here; the template lays out the page. Model text is escaped with
    textutil (``md_text``, ``md_cell``, ``md_code``), archgen's own text with :func:`_t`;
    every cell reaches the template as Trusted Markdown.
    """
    from archgen.rendering.templating import Trusted, render_markdown as render_template

    def row(cells: Any) -> list[Trusted]:
        return [Trusted(x) for x in cells]

    md = _t  # archgen's own text; model text is escaped with textutil where it appears
    heads = row(md(c.providers[p].name) + (" (model)" if p == c.provider else "") for p in c.shown)
    summ = [c.providers[p] for p in c.shown]
    summary = [
        row(["Monthly estimate (indicative)"] + [md(_total_text(s)) for s in summ]),
        row(["Prices as of"] + [md(s.estimate.as_of or "-") for s in summ]),
    ]
    if c.comparable:
        summary.append(row([f"Like for like: {md(', '.join(c.comparable))}"] + [money(s.comparable_usd, missing="-") for s in summ]))
    summary.append(row(["Lock-in score (100 = portable)"] + ["-" if s.lockin_score is None else str(s.lockin_score) for s in summ]))
    summary.append(row(["Proprietary APIs"] + [md(", ".join(s.proprietary) or "none") for s in summ]))
    summary.append(row(["No equivalent"] + [md(", ".join(s.gaps) or "none") for s in summ]))
    summary.append(row(["Terraform gaps"] + [md(", ".join(s.terraform_gaps) or "none") for s in summ]))
    budget = c.providers[c.provider].estimate.budget_usd
    if budget is not None:
        summary.append(row([f"Within the budget of {money(budget)}"] + [_budget_text(s) for s in summ]))
    services = [
        row([f"{textutil.md_cell(r.title)}<br>{textutil.md_code(r.component)} · {md(r.kind)}"] + [_md_service(r.cells[p]) for p in c.shown])
        for r in c.rows
    ]
    estimate = [
        row([textutil.md_code(r.component)] + ["no equivalent" if r.cells[p].service is None else money(r.cells[p].usd) for p in c.shown])
        for r in c.rows
        if r.cells[c.provider].provisioned
    ]
    if any(s.estimate.shared_lines for s in summ):
        estimate.append(
            row(
                ["(shared cluster)"]
                + [
                    money(s.estimate.shared_lines[0].usd) if s.estimate.shared_lines else "–"
                    for s in summ
                ]
            )
        )
    estimate.append(row(["**Total**"] + [f"**{md(_total_text(s))}**" for s in summ]))
    if c.comparable:
        estimate.append(row(["Priced on every cloud"] + [money(s.comparable_usd, missing="-") for s in summ]))
    estimate.append(row(["Prices as of"] + [md(s.estimate.as_of or "-") for s in summ]))
    how = [
        {
            "name": Trusted(md(s.name)),
            "lines": [
                {
                    "text": Trusted(
                        f"{textutil.md_code(ln.component)} ({md(ln.service_name or 'no equivalent')}): "
                        f"{money(ln.usd) + ' = ' if ln.usd is not None else ''}{textutil.md_code(ln.formula)}"
                    ),
                    "notes": [Trusted(textutil.md_text(n)) for n in ln.notes] if ln.service is not None else [],
                }
                for ln in s.estimate.lines
            ],
            "notes": [Trusted(_t(n)) for n in s.estimate.notes if n != INDICATIVE],
        }
        for s in summ
    ]
    lockin = [
        row(
            [
                md(s.name) + (" (model)" if s.provider == c.provider else ""),
                "-" if s.lockin_score is None else str(s.lockin_score),
                str(s.counts.get("open_standard", 0)),
                str(s.counts.get("portable_artifact", 0)),
                str(s.counts.get("proprietary_api", 0)),
                md(", ".join(s.proprietary) or "none"),
            ]
        )
        for s in summ
    ]
    know = []
    for r in c.rows:
        items = [
            Trusted(f"**{_t(c.providers[p].name)}**, {_t(r.cells[p].name or '')}: {_t(' '.join(r.cells[p].notes))}")
            for p in c.shown
            if r.cells[p].provisioned and r.cells[p].service is not None and r.cells[p].notes
        ]
        if items:
            know.append({"title": Trusted(f"{textutil.md_text(r.title)} ({textutil.md_code(r.component)})"), "notes": items})
    return render_template(
        "compare.md.j2",
        file=c.file,
        title=c.title,
        model=c.model,
        own=Trusted(md(c.providers[c.provider].name)),
        indicative=Trusted(_t(INDICATIVE)),
        heads=heads,
        summary=summary,
        services=services,
        estimate=estimate,
        how=how,
        assumptions=Trusted(_t(_assumption_text(c))),
        lockin=lockin,
        score_help=Trusted(_t(SCORE_HELP)),
        know=know,
        notes=[Trusted(_t(n)) for n in c.notes],
    )


def _json_cell(cell: Cell) -> dict[str, Any]:
    return {
        "service": cell.service,
        "name": cell.name,
        "provisioned": cell.provisioned,
        "interface": cell.interface,
        "lock_in": cell.lock_in,
        "lifecycle": cell.lifecycle,
        "lifecycle_flag": cell.lifecycle_flag or None,
        "terraform": list(cell.terraform),
        "terraform_gap": cell.terraform_gap,
        "licence_risk": cell.licence_risk,
        "gap": cell.gap,
        "chosen": cell.chosen,
        "monthly_usd": cell.usd,
        "formula": cell.formula or None,
        "notes": list(cell.notes),
        "not_priced_because": cell.why_unpriced,
        "price_sources": list(cell.sources),
    }


def to_dict(c: Comparison) -> dict[str, Any]:
    """The comparison as plain JSON-ready data."""
    providers = {}
    for p in c.shown:
        s = c.providers[p]
        est = s.estimate
        providers[p] = {
            "name": s.name,
            "monthly_usd": est.total,
            "comparable_usd": s.comparable_usd,
            "monthly_usd_is_lower_bound": not est.complete,
            "prices_as_of": est.as_of,
            "indicative": True,
            "not_priced": list(est.unpriced),
            "over_budget": est.over_budget,
            "lockin_score": s.lockin_score,
            "interface_counts": dict(s.counts),
            "proprietary": list(s.proprietary),
            "no_equivalent": list(s.gaps),
            "terraform_gaps": list(s.terraform_gaps),
            "flagged": list(s.flagged),
            "capacity": dict(est.capacity),
            "notes": list(est.notes),
            "requests_millions": dict(est.requests),
            "shared_cluster": (
                {
                    "service": est.shared_lines[0].service,
                    "name": est.shared_lines[0].service_name,
                    "monthly_usd": est.shared_lines[0].usd,
                    "formula": est.shared_lines[0].formula,
                    "price_sources": list(est.shared_lines[0].sources),
                }
                if est.shared_lines
                else None
            ),
        }
    return {
        "model": c.model,
        "title": c.title,
        "file": c.file,
        "provider": c.provider,
        "indicative": INDICATIVE,
        "assumptions": c.assumptions,
        "budget_usd": c.providers[c.provider].estimate.budget_usd,
        "comparable_components": list(c.comparable),
        "components": [
            {
                "id": r.component,
                "title": r.title,
                "kind": r.kind,
                "providers": {p: _json_cell(r.cells[p]) for p in c.shown},
            }
            for r in c.rows
        ],
        "providers": providers,
        "lockin_score_definition": SCORE_HELP,
        "notes": list(c.notes),
    }


def render_json(c: Comparison) -> str:
    """Deterministic JSON: sorted keys, indent 2."""
    return json.dumps(to_dict(c), sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def text_document(comparisons: list[Comparison]) -> str:
    """``archgen compare`` as text: each model's tables in turn."""
    return "\n".join(render_text(c) for c in comparisons)


def markdown_document(comparisons: list[Comparison]) -> str:
    """``archgen compare --format markdown``: each model's page, separated by a rule."""
    return "\n---\n\n".join(render_markdown(c) for c in comparisons)


def json_document(comparisons: list[Comparison]) -> str:
    """``archgen compare --format json``: ``{"models": [...]}``, sorted keys."""
    doc = {"models": [to_dict(c) for c in comparisons]}
    return json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
