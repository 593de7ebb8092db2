"""Decision drafts: proposed ADRs for the choices the rules weigh.

Two choices are drafted, each from catalog data and the model's own requirements:

- **container platform**: for every ``container_service``, the provider's platforms
  for the kind (app platform, managed containers, Kubernetes...) weighed against
  scale (services, peak requests per second, the service's limits), team
  (``ops_team``, ``kubernetes_experience``), portability, lifecycle and budget;
- **managed service against its open equivalent**: for a component whose service
  is a proprietary API when lock-in is in question (a lock-in finding names it, the
  model accepts a ``LOCKIN-*`` finding on it, or portability is medium or high),
  the managed service against more portable services of the provider and the
  open-source equivalent on Kubernetes.

Everything here is pure: :func:`make_drafts` returns :class:`Draft` objects whose
``body`` is the MADR text, and :func:`render` the page the site shows. The
thresholds are the rules' own (:mod:`archgen.catalog.thresholds`), so a draft and
a finding never disagree on a number. ``archgen adr new --from-draft NAME`` copies
a draft into ``decisions/``, where it belongs to the team.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from archgen.rendering.templating import Trusted
from archgen.rendering.textutil import money

if TYPE_CHECKING:
    from archgen.findings import Finding
    from archgen.model import Component, Model

__all__ = ["Criterion", "Draft", "Option", "make_drafts", "render"]

CONTAINER_PLATFORM = "container-platform"
LOCK_IN = "lock-in"

#: Score weights: how much one criterion counts for or against an option.
_NOT_GA = {"closed_to_new_customers": -3, "retiring": -3, "retired": -4, "maintenance": -2}


@dataclass(frozen=True)
class Criterion:
    """A deciding criterion and its value in the model."""

    name: str
    field: str  # where the value comes from, e.g. requirements.ops_team
    value: str
    why: str


@dataclass(frozen=True)
class Option:
    """One option weighed: a catalog service, with what speaks for and against it."""

    key: str
    name: str
    provider: str
    summary: str
    good: tuple[str, ...]
    bad: tuple[str, ...]
    score: int
    current: bool


@dataclass(frozen=True)
class Draft:
    """A proposed decision record. ``body`` is MADR Markdown without front matter or title."""

    name: str  # unique within a model, e.g. "api-container-platform"
    title: str  # plain text (escaped where it is rendered)
    topic: str  # "container-platform" or "lock-in"
    model: str
    model_file: str
    components: list[str]
    tags: list[str]
    current: str  # the catalog key the model uses now
    chosen: str  # the catalog key the draft proposes
    criteria: tuple[Criterion, ...] = ()
    options: tuple[Option, ...] = ()
    rules: tuple[str, ...] = ()  # ids of the findings that weighed this choice
    body: str = field(default="", repr=False)
    #: the ADR that adopted this draft (an ADR with the draft's tag on one of its components), if any
    adopted_by: str | None = None
    adopted_status: str | None = None
    adopted_path: str | None = None

    @property
    def adopted(self) -> bool:
        return self.adopted_by is not None


# ---------------------------------------------------------------------------
# public API


def make_drafts(model: Model, findings: Sequence[Finding] = (), decisions: Sequence[Any] = ()) -> list[Draft]:
    """The decision drafts for one model, sorted by name.

    One platform draft per platform choice (a cluster and what runs on it, the implicit
    shared cluster, the services on one app platform: :func:`archgen.graph.facts.platform_choices`),
    which picks what its finding suggests when a scale rule weighed the choice; one lock-in
    draft per component whose lock-in is in question. A draft that an ADR of ``decisions``
    already records (its tag, one of its components, proposed or accepted) is marked adopted.
    """
    from archgen.rules._base import RuleContext

    ctx = RuleContext(model, list(decisions))
    about: dict[str | None, list[Finding]] = {}  # each component's findings, gathered once
    for f in findings:
        about.setdefault(f.component, []).append(f)
    drafts: list[Draft] = []
    for choice in ctx.platform_choices:
        draft = _container_platform(ctx, choice, about.get(choice.anchor, []))
        if draft is not None:
            drafts.append(draft)
    for comp in ctx.graph.components():
        if _lock_in_in_question(ctx, comp, about.get(comp.id, [])):
            draft = _lock_in(ctx, comp, about.get(comp.id, []))
            if draft is not None:
                drafts.append(draft)
    return sorted((_adoption(ctx, d) for d in drafts), key=lambda d: d.name)


#: ADR statuses that adopt a draft: a record in review or in force (not rejected, deprecated or superseded).
ADOPTING = ("proposed", "accepted")


def _adoption(ctx: Any, draft: Draft) -> Draft:
    """``draft``, marked adopted by the first ADR that records it, if one does."""
    from dataclasses import replace

    from archgen.graph.facts import covers_component

    for d in sorted(ctx.decisions, key=lambda d: getattr(d, "number", 0)):
        tags = {str(t).lower() for t in getattr(d, "tags", None) or []}
        if getattr(d, "status", None) not in ADOPTING or not tags & set(draft.tags):
            continue
        if any(covers_component(d, ctx.model, cid) for cid in draft.components):
            return replace(draft, adopted_by=d.id, adopted_status=d.status, adopted_path=getattr(d, "path", None))
    return draft


def render(draft: Draft) -> str:
    """The site page of a draft: marked as a draft, with how to adopt it."""
    from archgen.decisions.adr import template_env
    from archgen.rendering.textutil import md_code

    return template_env().get_template("draft_page.md.j2").render(
        d=draft,
        title=draft.title,
        model=draft.model,
        components=Trusted(", ".join(md_code(c) for c in draft.components)),
        command=Trusted(md_code(f"archgen adr new --from-draft {draft.name}")),
        body=Trusted(draft.body),
    ).rstrip("\n") + "\n"


# ---------------------------------------------------------------------------
# the criteria, with their values from the model


def _criteria(ctx: Any, topic: str) -> list[Criterion]:
    from archgen.catalog.thresholds import KUBERNETES_MIN_SERVICES, LOW_TRAFFIC_RPS, PLATFORM_TEAM_MIN

    model = ctx.model
    req = model.requirements
    counted = "stated" if req.services is not None else "counted from the model"
    out = [
        Criterion(
            "Team that runs infrastructure",
            "requirements.ops_team, requirements.kubernetes_experience",
            f"{req.ops_team} engineer{'s' if req.ops_team != 1 else ''}, "
            f"{'with' if req.kubernetes_experience else 'no'} Kubernetes experience",
            f"a cluster or self-hosted software needs a platform team ({PLATFORM_TEAM_MIN.value}+ engineers) that "
            "has run Kubernetes",
        ),
        Criterion(
            "Portability",
            "requirements.portability",
            req.portability,
            "how cheap a move to another cloud must stay: open standards move unchanged, proprietary APIs "
            "mean rewriting",
        ),
    ]
    if topic == CONTAINER_PLATFORM:
        out[1:1] = [
            Criterion(
                "Services",
                "requirements.services",
                f"{ctx.service_count} ({counted})",
                f"a shared platform pays back with many services; fewer than {KUBERNETES_MIN_SERVICES.value} "
                "count as few",
            ),
            Criterion(
                "Peak load",
                "requirements.peak_rps",
                "not stated" if req.peak_rps is None else f"{req.peak_rps:,.0f} requests/s",
                f"app platforms cap instances and concurrency; below {LOW_TRAFFIC_RPS.shown} requests/s counts "
                "as low traffic",
            ),
        ]
    data = sorted(ctx.data_classes)
    out.append(
        Criterion(
            "Data",
            "requirements.data, data",
            ", ".join(data) if data else "none stated",
            "sensitive data needs encryption, isolation and a security review whichever option is chosen",
        )
    )
    out.append(
        Criterion(
            "Budget",
            "requirements.monthly_budget_usd",
            "not stated" if req.monthly_budget_usd is None else f"{money(req.monthly_budget_usd, cents=False)} a month",
            "fixed fees (a cluster's control plane) count against it before any workload runs",
        )
    )
    return out


# ---------------------------------------------------------------------------
# weighing one option


def _team_words(model: Model) -> str:
    req = model.requirements
    people = "nobody runs" if req.ops_team == 0 else f"{req.ops_team} engineer{'s' if req.ops_team != 1 else ''} run"
    return f"{people} infrastructure, {'with' if req.kubernetes_experience else 'no'} Kubernetes experience"


def _lifecycle(svc: Any, ctx: Any) -> tuple[list[str], int]:
    lc = svc.lifecycle
    if lc.status == "ga":
        return [], 0
    text = f"it is {lc.flag}"
    if lc.successor:
        succ = ctx.catalog.service(svc.kind, svc.provider, lc.successor)
        text += f"; the provider points to {succ.name if succ else lc.successor}"
    return [text], _NOT_GA.get(lc.status, -3)


def _portability(model: Model, svc: Any) -> tuple[list[str], list[str], int]:
    portability = model.requirements.portability
    label = svc.interface_label
    if svc.interface is None:
        return [], [], 0
    if portability == "low":
        if svc.interface == "proprietary_api":
            return [], ["its interface is a proprietary API: leaving it means new code (portability is low, so this weighs little)"], 0
        return [], [], 0
    weight = 2 if portability == "high" else 1
    if svc.interface == "open_standard":
        return [f"its interface is an open standard with several implementations (portability is {portability})"], [], weight
    if svc.interface == "proprietary_api":
        return [], [f"its interface is a proprietary API while portability is {portability}: a move means rewriting"], -weight
    if portability == "high":
        return [], [f"its interface is a {label}: the artifact moves, its configuration is the provider's own"], -1
    return [], [], 0


def _fixed_fee(model: Model, svc: Any, ctx: Any) -> float:
    hours = float(ctx.catalog.assumptions.get("hours_per_month", 730))
    if svc.platform == "kubernetes" and not any(p.item == "cluster_hour" for p in svc.prices):
        svc = ctx.catalog.cluster_service(svc.provider) or svc  # a workload pays its cluster's control plane
    return sum(p.usd * hours for p in getattr(svc, "prices", ()) if p.item == "cluster_hour") + sum(
        p.usd for p in getattr(svc, "prices", ()) if p.item == "month" and svc.platform == "kubernetes"
    )


def _summary(svc: Any) -> str:
    parts = [f"on {svc.provider}"]
    if svc.platform:
        parts.append(f"platform: {svc.platform.replace('_', ' ')}")
    parts.append(f"interface: {svc.interface_label}, portability {svc.lock_in} of 3")
    if svc.licence:
        parts.append(f"licence: {svc.licence}")
    text = "; ".join(parts) + "."
    text = text[0].upper() + text[1:]
    notes = " ".join(n.rstrip(".") + "." for n in getattr(svc, "notes", ())[:2])
    return f"{text} {notes}".strip()


def _platform_option(ctx: Any, svc: Any, current: Any) -> Option:
    from archgen.catalog.thresholds import KUBERNETES_MIN_SERVICES, MANAGED_PLATFORMS, PLATFORM_TEAM_MIN

    model = ctx.model
    req = model.requirements
    count = ctx.service_count
    good: list[str] = []
    bad, score = _lifecycle(svc, ctx)  # a fresh list: the options add to it
    for problem in _over_limits(ctx, svc):
        bad.append(problem)
        score -= 2
    ready = ctx.team_ready
    if svc.platform == "kubernetes":
        if ready:
            good.append(f"the team runs Kubernetes ({_team_words(model)})")
            score += 1
        else:
            bad.append(
                f"it needs a platform team of {PLATFORM_TEAM_MIN.value}+ engineers who run Kubernetes; {_team_words(model)}"
            )
            score -= 2
        if count >= int(KUBERNETES_MIN_SERVICES.value):
            good.append(f"{count} services share one cluster")
            score += 1
        else:
            bad.append(f"{count} service{'s' if count != 1 else ''} do not pay back a cluster (fewer than {KUBERNETES_MIN_SERVICES.value})")
            score -= 1
    elif svc.platform in tuple(MANAGED_PLATFORMS.value) + ("containers",):
        if not ready:
            good.append(f"there is no cluster or host for the team to run ({_team_words(model)})")
            score += 1
        elif count >= int(KUBERNETES_MIN_SERVICES.value):
            bad.append(f"with {count} services and a platform team, a shared cluster may serve them better")
            score -= 1
    elif svc.platform == "vm" and req.ops_team < int(PLATFORM_TEAM_MIN.value):
        bad.append(f"the team patches, scales and replaces the machines itself; {_team_words(model)}")
        score -= 1
    p_good, p_bad, p_score = _portability(model, svc)
    good += p_good
    bad += p_bad
    score += p_score
    fee = _fixed_fee(model, svc, ctx)
    if fee:
        budget = req.monthly_budget_usd
        if budget and fee >= 0.1 * budget:
            bad.append(f"its fixed fee of about {money(fee, cents=False)} a month is {fee / budget:.0%} of the budget before any workload")
            score -= 1
        else:
            bad.append(f"it has a fixed fee of about {money(fee, cents=False)} a month before any workload")
    return Option(svc.key, svc.name, svc.provider, _summary(svc), tuple(good), tuple(bad), score, svc.key == current.key)


def _over_limits(ctx: Any, svc: Any) -> list[str]:
    return [f"the model exceeds its limits: {text}" for text in ctx.over_limits(svc)]


def _service_option(ctx: Any, svc: Any, current: Any) -> Option:
    """Weigh a service against lock-in: managed by the provider, or run on Kubernetes."""
    model = ctx.model
    good: list[str] = []
    bad, score = _lifecycle(svc, ctx)  # a fresh list: the options add to it
    self_hosted = ctx.catalog.self_hosted(svc.provider) and not ctx.catalog.self_hosted(model.provider)
    ready = ctx.team_ready
    if self_hosted:
        if ready:
            good.append(f"the team can run it on Kubernetes ({_team_words(model)})")
            score += 1
        else:
            bad.append(f"self-hosting means running a Kubernetes cluster and the software on it; {_team_words(model)}")
            score -= 2
    elif not ready:
        good.append(f"the provider runs it: deployment, scaling and patching ({_team_words(model)})")
        score += 1
    p_good, p_bad, p_score = _portability(model, svc)
    good += p_good
    bad += p_bad
    score += p_score
    if getattr(svc, "licence_risk", None):
        bad.append(f"licence risk: {svc.licence_risk.rstrip('.')}")
        score -= 1
    return Option(svc.key, svc.name, svc.provider, _summary(svc), tuple(good), tuple(bad), score, svc.key == current.key)


def _best(options: list[Option], default: str | None) -> Option:
    return min(options, key=lambda o: (-o.score, not o.current, o.key != default, o.key))


def _ordered(options: list[Option], chosen: Option) -> tuple[Option, ...]:
    return tuple(sorted(options, key=lambda o: (o.key != chosen.key, -o.score, not o.current, o.provider, o.key)))


# ---------------------------------------------------------------------------
# the two kinds of draft


def _findings_about(findings: Sequence[Finding], cid: str, categories: tuple[str, ...]) -> list[Finding]:
    return sorted(
        (f for f in findings if f.component == cid and f.category in categories),
        key=lambda f: (f.rule, f.message),
    )


def _container_platform(ctx: Any, choice: Any, findings: Sequence[Finding]) -> Draft | None:
    """The draft for one platform choice: the provider's container platforms weighed for it.

    A cluster (drawn or implicit) is weighed against the container platforms of its
    provider; the services on one platform against the other platforms of their kind.
    When a scale finding on the choice names a platform that fits, the draft chooses it:
    a draft and its finding never disagree.
    """
    from archgen.graph.facts import CONTAINER_KIND

    model = ctx.model
    anchor = model.components[choice.anchor]
    current = choice.service
    services = dict(ctx.catalog.services(CONTAINER_KIND, model.provider)) if choice.cluster else dict(ctx.catalog.services_for(model, anchor))
    if choice.cluster is not None:
        # the cluster itself is the Kubernetes option: drop the per-service Kubernetes entries
        services = {k: v for k, v in services.items() if v.platform != "kubernetes"}
        services[current.key] = current
    if current is None or len(services) < 2:
        return None  # no choice to weigh
    options = [_platform_option(ctx, svc, current) for _, svc in sorted(services.items())]
    related = _findings_about(findings, anchor.id, ("scale", "lock-in", "cost"))
    chosen = _best(options, ctx.catalog.default_service(CONTAINER_KIND, model.provider))
    suggested = [f.extra.get("suggested") for f in related if f.category == "scale" and f.extra.get("suggested")]
    if suggested:  # the finding's choice is the draft's: they never disagree
        chosen = next((o for o in options if o.key == suggested[0]), chosen)
    subject = _subject(ctx, choice)
    title = f"Run {subject} on {chosen.name}"
    return _finish(
        ctx, anchor, CONTAINER_PLATFORM, ["platform"], title, current, chosen, options, related,
        components=list(choice.members),
        change=_platform_change(ctx, choice, chosen),
        question=(
            f"Where should {_md(subject)} run on {_md(ctx.catalog.provider_name(model.provider))}? "
            f"{_members_md(ctx, choice)}The choice trades the operations the team takes on against scale, "
            "portability and cost."
        ),
    )


def _subject(ctx: Any, choice: Any) -> str:
    """What a platform draft is about, in words: the component, the cluster's workloads, or the group."""
    model = ctx.model
    anchor = model.components[choice.anchor]
    if choice.cluster is not None:
        return f"the workloads of {anchor.display_name}"
    if len(choice.members) == 1:
        return anchor.display_name
    return f"{anchor.display_name} and {len(choice.members) - 1} more service{'s' if len(choice.members) > 2 else ''}"


def _members_md(ctx: Any, choice: Any) -> str:
    """One sentence naming the components a platform choice places (empty for one component)."""
    model = ctx.model
    anchor = model.components[choice.anchor]
    if choice.cluster is not None:
        hosted = choice.others
        what = ", ".join(f"{_code(m)}" for m in hosted) if hosted else "nothing yet"
        return f"The cluster {_code(anchor.id)} ({_md(choice.service.name)}) hosts {what}. "
    if len(choice.members) == 1:
        return f"{_code(anchor.id)} is a container service. "
    names = ", ".join(f"{_code(m)}" for m in choice.members)
    return f"{names} share one platform today ({_md(choice.service.name)}): one decision for all of them. "


def _platform_change(ctx: Any, choice: Any, chosen: Option) -> str:
    """What adopting ``chosen`` changes in the model, in Markdown (empty when nothing changes)."""
    if chosen.key == choice.service.key:
        return ""
    model = ctx.model
    service = _code(f"service: {chosen.key}")
    if choice.cluster is None:
        names = ", ".join(f"{_code(m)}" for m in choice.members)
        return f"changing {names} to {service} in the model."
    containers = [m for m in choice.others if _is_container(model, m)]
    rest = [m for m in choice.others if m not in containers]
    parts = []
    if containers:
        parts.append(f"moving {', '.join(f'{_code(m)}' for m in containers)} off the cluster with {service}")
    if rest:
        managed = []
        for m in rest:
            svc = ctx.catalog.service(model.components[m].kind, model.provider)
            managed.append(f"{_code(m)} to {_md(svc.name) if svc is not None else 'a managed service'}")
        parts.append("the in-cluster stores to managed ones (" + ", ".join(managed) + ")")
    parts.append(f"removing the cluster {_code(choice.anchor)}")
    return "; ".join(parts) + "."


def _is_container(model: Any, cid: str) -> bool:
    from archgen.graph.facts import CONTAINER_KIND

    return model.components[cid].kind == CONTAINER_KIND


def _lock_in_in_question(ctx: Any, comp: Component, findings: Sequence[Finding]) -> bool:
    from archgen.catalog.thresholds import LOCKIN_PORTABILITY, CONFIGURATION_KINDS

    if comp.kind in CONFIGURATION_KINDS.value or not ctx.catalog.provisioned(comp.kind):
        return False
    if _findings_about(findings, comp.id, ("lock-in",)):
        return True
    if any(rule.startswith("LOCKIN-") for rule in comp.accept):
        return True
    svc = ctx.service(comp.id)
    return (
        svc is not None
        and svc.interface == "proprietary_api"
        and ctx.model.requirements.portability in LOCKIN_PORTABILITY.value
    )


def _lock_in(ctx: Any, comp: Component, findings: Sequence[Finding]) -> Draft | None:
    model = ctx.model
    current = ctx.service(comp.id)
    if current is None or current.interface is None:
        return None
    candidates = {current.key: current}
    for svc in ctx.catalog.services_for(model, comp).values():
        if svc.lock_in > current.lock_in and svc.ga:
            candidates[svc.key] = svc
    if not ctx.catalog.self_hosted(current.provider):
        oss = ctx.catalog.equivalent(comp.kind, current, ctx.catalog.open_provider)
        if oss is not None and oss.lock_in > current.lock_in and oss.interface is not None:
            candidates[f"{oss.provider}:{oss.key}"] = oss
    if len(candidates) < 2:
        return None  # nothing more open to weigh it against
    options = [_service_option(ctx, svc, current) for _, svc in sorted(candidates.items())]
    chosen = _best(options, current.key)
    related = _findings_about(findings, comp.id, ("lock-in",))
    verb = "Keep" if chosen.key == current.key and chosen.provider == current.provider else "Use"
    title = f"{verb} {chosen.name} for {comp.display_name}"
    return _finish(
        ctx, comp, LOCK_IN, ["lock-in"], title, current, chosen, options, related,
        components=[comp.id],
        change=f"changing {_code(comp.id)} to {_code(f'service: {chosen.key}')} in the model.",
        question=(
            f"{_md(comp.display_name)} ({_code(comp.id)}) uses {_md(current.name)}, whose interface is a "
            f"{current.interface_label} (portability {current.lock_in} of 3). Is the managed service worth the "
            "lock-in, or should it move to a more open equivalent?"
        ),
    )


def _md(text: Any) -> Trusted:
    from archgen.rendering.textutil import md_text

    return Trusted(md_text(text))


def _code(text: Any) -> Trusted:
    from archgen.rendering.textutil import md_code

    return Trusted(md_code(text))


def _finish(
    ctx: Any,
    comp: Component,
    topic: str,
    tags: list[str],
    title: str,
    current: Any,
    chosen: Option,
    weighed: list[Option],
    related: list[Finding],
    *,
    question: str,
    components: list[str],
    change: str,
) -> Draft:
    """The draft named ``<component>-<topic>``: the options weighed, the chosen one first."""
    name = f"{comp.id}-{topic}"
    options = _ordered(weighed, chosen)
    from archgen.decisions.adr import template_env

    model = ctx.model
    criteria = _criteria(ctx, topic)
    accepted = {rule: reason for rule, reason in sorted(comp.accept.items()) if rule.startswith(("LOCKIN-", "SCALE-"))}
    findings_md = [
        Trusted(f"{_code(f.rule)} ({f.severity}{', accepted' if f.accepted else ''}): {_md(f.message)}"
        + (f" Accepted because: {_md(f.reason)}" if f.accepted and f.reason else ""))
        for f in related
    ]
    accepted_md = [
        Trusted(f"{_code(rule)}: {_md(reason)}") for rule, reason in accepted.items() if rule not in {f.rule for f in related}
    ]
    because = chosen.good[:2] or ("it has the fewest drawbacks against the criteria below",)
    sources = _sources(ctx, comp, options, topic)
    body = template_env().get_template("draft.md.j2").render(
        question=Trusted(question),
        model=_md(model.display_name),
        model_name=_code(model.name),
        component=_code(comp.id),
        criteria=[
            {"name": _lite(c.name), "field": _code(c.field), "value": _lite(c.value), "why": _lite(c.why)}
            for c in criteria
        ],
        options=[_option_md(o) for o in options],
        chosen=_option_md(chosen),
        current=_option_md(next(o for o in options if o.current)),
        changes=chosen.key != current.key or chosen.provider != current.provider,
        because=[_lite(b) for b in because],
        findings=findings_md,
        accepted=accepted_md,
        sources=[_lite(s) for s in sources],
        change=Trusted(change),
        topic=topic,
    ).rstrip("\n") + "\n"
    return Draft(
        name=name,
        title=title,
        topic=topic,
        model=model.name,
        model_file=model.file,
        components=components,
        tags=sorted(tags),
        current=current.key,
        chosen=chosen.key,
        criteria=tuple(criteria),
        options=options,
        rules=tuple(sorted({f.rule for f in related} | set(accepted))),
        body=body,
    )


def _lite(text: Any) -> Trusted:
    """Escaping for catalog and archgen text: markup and HTML off, the source kept readable."""
    from archgen.decisions.adr import md_title

    return Trusted(md_title(str(text)))


def _option_md(o: Option) -> dict[str, Any]:
    return {
        "key": _code(o.key),
        "name": _lite(o.name),
        "provider": o.provider,
        "summary": _lite(o.summary),
        "good": [_lite(g) for g in o.good],
        "bad": [_lite(b) for b in o.bad],
        "score": o.score,
        "current": o.current,
    }


def _sources(ctx: Any, comp: Component, options: tuple[Option, ...], topic: str) -> list[str]:
    """Where the facts behind the options come from: the catalog's sources, deduplicated."""
    from archgen.catalog.thresholds import KUBERNETES_MIN_SERVICES, PLATFORM_TEAM_MIN

    out: list[str] = []
    for o in options:
        svc = ctx.catalog.service(comp.kind, o.provider, o.key)
        if svc is None:
            continue
        if svc.lifecycle.status != "ga":
            out.append(f"{svc.name}: {svc.lifecycle.flag}. Source: {svc.lifecycle.source} (as of {svc.lifecycle.as_of})")
        for limit_name, limit in sorted(svc.limits.items()):
            if limit.source:
                out.append(f"{svc.name}, {limit_name.replace('_', ' ')} {limit.value} {limit.unit}: {limit.source}".rstrip())
        fees = svc
        if svc.platform == "kubernetes" and not any(p.item == "cluster_hour" for p in svc.prices):
            fees = ctx.catalog.cluster_service(svc.provider) or svc
        for p in fees.prices:
            if p.item == "cluster_hour":
                out.append(f"{svc.name}, ${p.usd:.2f} per {p.unit} ({p.region}): {p.source} (as of {p.as_of})")
    out.append(f"Platform team threshold ({PLATFORM_TEAM_MIN.value}+ engineers): {PLATFORM_TEAM_MIN.source}")
    if topic == CONTAINER_PLATFORM:
        out.append(f"Few services (fewer than {KUBERNETES_MIN_SERVICES.value}): {KUBERNETES_MIN_SERVICES.source}")
    return list(dict.fromkeys(out))
