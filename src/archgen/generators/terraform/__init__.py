"""Skeleton Terraform per provider, secure by default, derived from the model's graph.

::

    from archgen.generators.terraform import generate, generated_gaps
    files = generate(model)              # {"versions.tf": ..., "main.tf": ..., "README.md": ...}
    files = generate(model, "gcp")       # the same system on another provider
    generated_gaps(model, "azure")       # what Terraform (or archgen) leaves to do by hand

Pure: nothing is written here (``archgen terraform`` writes through
:mod:`archgen.writer`). The pipeline is model -> :mod:`._plan` (graph, catalog and
``templates/<provider>/provider.yaml``) -> :mod:`._render` (Jinja templates under
``templates/<provider>/``, every value escaped for HCL) -> files.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from archgen.generators.terraform._plan import Gap
    from archgen.model import Model

__all__ = [
    "PROVIDERS",
    "Intent",
    "intent",
    "accepted_checks",
    "expected_checkov_failures",
    "gap_components",
    "gaps",
    "generate",
    "generate_with_gaps",
    "generated_gaps",
]

#: Providers archgen writes Terraform for.
from archgen.catalog.vocabulary import PROVIDERS  # noqa: E402 - one list of providers: the catalog's


def _provider(model: Model, provider: str | None) -> str:
    from archgen.errors import UsageError

    chosen = provider or model.provider
    if chosen not in PROVIDERS:
        raise UsageError(f"no Terraform for provider {chosen!r}; choose one of {', '.join(PROVIDERS)}")
    return chosen


def generate(model: Model, provider: str | None = None) -> dict[str, str]:
    """File name -> content of the Terraform skeleton for ``provider`` (default: the
    model's own). Same model, same bytes."""
    from archgen.generators.terraform._plan import build_plan
    from archgen.generators.terraform._render import render

    return render(build_plan(model, _provider(model, provider)))


def generate_with_gaps(model: Model, provider: str | None = None) -> tuple[dict[str, str], tuple[Gap, ...]]:
    """:func:`generate` and :func:`gaps` from one plan (the site needs both, and hands the
    gaps to the comparison; a plan of 1,000 components takes about 0.4 s to build)."""
    from archgen.generators.terraform._plan import build_plan
    from archgen.generators.terraform._render import render

    plan = build_plan(model, _provider(model, provider))
    return render(plan), tuple(plan.gaps)


def gaps(model: Model, provider: str | None = None) -> tuple[Gap, ...]:
    """What the skeleton for ``provider`` leaves to do by hand: one :class:`Gap`
    (component id, sentence) each. The README, the command, the site and the
    comparison's "Terraform gaps" all read this one list."""
    from archgen.generators.terraform._plan import build_plan

    return tuple(build_plan(model, _provider(model, provider)).gaps)


def generated_gaps(model: Model, provider: str | None = None) -> list[str]:
    """What the skeleton for ``provider`` cannot provision, one sentence each: kinds the
    provider has no service for, what Terraform cannot do for a service (the catalog's
    ``terraform_gap``), and services archgen does not generate yet."""
    return [g.text for g in gaps(model, provider)]


def gap_components(model: Model, provider: str | None = None) -> tuple[str, ...]:
    """Ids of the components the skeleton for ``provider`` does not fully provision,
    sorted: the components of :func:`generated_gaps`, from the same list, so that the
    comparison's "Terraform gaps" and the generated README never disagree."""
    return tuple(sorted({g.component for g in gaps(model, provider)}))


def accepted_checks(model: Model, provider: str | None = None) -> dict[str, str]:
    """Checkov check id -> why the skeleton for ``provider`` does not satisfy it (the
    list in its README)."""
    from archgen.generators.terraform._plan import build_plan
    from archgen.generators.terraform._render import accepted_checks as _accepted
    from archgen.generators.terraform._render import render

    plan = build_plan(model, _provider(model, provider))
    return _accepted(plan, render(plan))


def expected_checkov_failures(model: Model, provider: str | None = None) -> dict[str, set[str]]:
    """Checkov check id -> the resource addresses (``type.name``) it fails on in the
    skeleton for ``provider``: exactly what the README lists, resource by resource (the
    tests compare it with what Checkov reports)."""
    from archgen.generators.terraform._plan import build_plan
    from archgen.generators.terraform._render import expected_failures, render

    plan = build_plan(model, _provider(model, provider))
    return expected_failures(plan, render(plan))


@dataclass(frozen=True)
class Intent:
    """What archgen's Terraform for a model says, for ``archgen verify`` to hold the real
    infrastructure against: which firewalls admit whom, how resources are tagged."""

    #: (component id, who its firewall admits): a caller's id, ``internet``, or
    #: ``prefix-list`` (a provider-managed list of addresses, such as CloudFront's)
    ingress: frozenset[tuple[str, str]]
    #: components with a firewall of their own in the skeleton
    firewalled: frozenset[str]
    #: the tag (or label) keys that carry the model's name and the component's id
    model_tag: str
    component_tag: str
    #: names the skeleton gives its shared resources (network, logs): no component's
    shared_names: frozenset[str]
    #: provider.yaml's entry per service key (engine, port...)
    services: dict[str, Any]
    #: the Terraform name of each component's resources (``api-gw`` -> ``api_gw``) -> its id:
    #: what names the resources written outside its section (its security group)
    names: dict[str, str]
    #: component id -> the resource types the skeleton writes in its section of main.tf
    built: dict[str, frozenset[str]]
    #: the metadata labels (model, component) of every Kubernetes object archgen writes, on
    #: a Kubernetes model or for the components a cloud model places on a cluster
    labels: tuple[str, str] = ("archgen/model", "archgen/component")


def intent(model: Model, provider: str | None = None) -> Intent:
    """:class:`Intent` of the skeleton ``generate(model, provider)`` writes."""
    from archgen.generators.terraform._plan import INTERNET_CIDR, build_plan
    from archgen.generators.terraform._render import _BLOCK, _SECTION, render

    plan = build_plan(model, _provider(model, provider))
    pieces = _SECTION.split(render(plan).get("main.tf", ""))
    built = {cid: frozenset(m.group(1) for m in _BLOCK.finditer(chunk)) for cid, chunk in zip(pieces[1::2], pieces[2::2])}
    ingress = set()
    for part in plan.firewalled:
        for rule in part.ingress:
            if rule.prefix_list:
                ingress.add((part.id, "prefix-list"))
            elif rule.peer is not None:
                ingress.add((part.id, rule.peer.id))
            elif rule.cidr == INTERNET_CIDR:
                ingress.add((part.id, "internet"))
    tags = plan.data.get("tags") or {}
    return Intent(
        ingress=frozenset(ingress),
        firewalled=frozenset(p.id for p in plan.firewalled),
        model_tag=str(tags.get("model", "")),
        component_tag=str(tags.get("component", "")),
        shared_names=frozenset(plan.data.get("reserved_names") or ()),
        services=dict(plan.data.get("services") or {}),
        names={str(p.name): p.id for p in plan.parts},
        built=built,
    )
