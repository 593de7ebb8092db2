"""What the ``MODEL-ADR-*`` rules, the site and the CLI ask about ADRs and models together.

:func:`resolve_component` reads a component reference of an ADR (``api`` or
``model-name/api``), :func:`concerning` says which ADRs a model's check reports, and
:func:`links` gives both directions of the links between components and ADRs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from archgen.decisions.records import COMPONENT_REF_RE, Decision, split_component_ref

if TYPE_CHECKING:
    from archgen.model import Model

__all__ = ["concerning", "links", "qualify", "resolve_component", "split_component_ref"]


def resolve_component(ref: str, models: Sequence[Model]) -> tuple[str, str] | None:
    """``(model name, component id)`` a component reference of an ADR names, or None.

    ``api`` names a component of any model (the first by model name when several
    have it); ``ml-serving/api`` names one of that model.
    """
    match = COMPONENT_REF_RE.match(ref)
    if not match:
        return None
    model_name, cid = match.groups()
    for m in sorted(models, key=lambda m: m.name):
        if (model_name is None or model_name == m.name) and cid in m.components:
            return (m.name, cid)
    return None


def qualify(ref: str, models: Sequence[Model], prefer: str | None = None) -> list[str]:
    """The references an ADR should hold for ``ref`` (what ``archgen adr`` writes).

    ``ref`` itself when it names a model (``model-name/id``) or when at most one model
    has the id. When several have it, a bare id is ambiguous (the checks read it as the
    component of every model that has it, the links as the first model's by name), so it
    is written qualified, in the form :func:`resolve_component` and ``MODEL-ADR-COMPONENT``
    read: ``prefer/id`` when ``prefer`` (the model a draft was made for) has it, otherwise
    ``model/id`` for each model that has it, which says what the bare id meant."""
    model_name, cid = split_component_ref(ref)
    if model_name is not None:
        return [ref]
    owners = sorted(m.name for m in models if cid in m.components)
    if len(owners) <= 1:
        return [ref]
    if prefer in owners:
        return [f"{prefer}/{cid}"]
    return [f"{m}/{cid}" for m in owners]


def concerning(decisions: Iterable[Decision], model: Model, models: Sequence[Model] | None = None) -> list[Decision]:
    """The ADRs whose own problems ``archgen check`` reports with ``model``.

    An ADR concerns a model when the model (or one of its components) refers to it,
    or when it lists one of the model's components. An ADR that lists components
    of another model only (``other-model/id``) is left to that model. An ADR that
    names no model at all (no components, no references) concerns every model; when
    ``models`` (all models of the run) is given it is reported with the first model
    by name only, so that it is reported once.
    """
    models = list(models or [model])
    names = {m.name for m in models}
    out = []
    for d in decisions:
        if _refers(model, d.id) or _lists_component_of(d, model):
            out.append(d)
            continue
        if any(_refers(m, d.id) or _lists_component_of(d, m) for m in models if m.name != model.name):
            continue
        if any(split_component_ref(ref)[0] not in (None, model.name) for ref in d.components):
            continue  # about another system (``other-model/id``)
        if model.name == min(names):
            out.append(d)
    return sorted(out, key=Decision.sort_key)


def _refers(model: Model, ref: str) -> bool:
    return ref in model.decisions or any(ref in c.decisions for c in model.components.values())


def _lists_component_of(decision: Decision, model: Model) -> bool:
    for ref in decision.components:
        model_name, cid = split_component_ref(ref)
        if model_name == model.name or (model_name is None and cid in model.components):
            return True
    return False


def links(models: Sequence[Model], decisions: Sequence[Decision]) -> dict[str, Any]:
    """Both directions of the links between components and ADRs.

    A link exists when a component lists the ADR under ``decisions:`` or the ADR
    lists the component under ``components:``; either side is enough. Returns::

        {"components": {model name: {component id: [Decision]}},
         "models":     {model name: [Decision]},        # the model's own `decisions:`
         "decisions":  {ADR id: [(model name, component id)]}}

    Only ADRs that exist and components that exist are linked; every list is sorted
    (decisions by number). Components without a link are left out.
    """
    by_id: dict[str, Decision] = {}
    for d in sorted(decisions, key=Decision.sort_key):
        by_id.setdefault(d.id, d)  # a duplicate number links to the first file (MODEL-ADR-DUPLICATE reports it)
    components: dict[str, dict[str, set[str]]] = {}
    model_level: dict[str, set[str]] = {}
    for m in models:
        components[m.name] = {}
        model_level[m.name] = {ref for ref in m.decisions if ref in by_id}
        for cid, comp in m.components.items():
            refs = {ref for ref in comp.decisions if ref in by_id}
            if refs:
                components[m.name][cid] = set(refs)
    for d in by_id.values():
        for ref in d.components:
            target = resolve_component(ref, models)
            if target is not None:
                components[target[0]].setdefault(target[1], set()).add(d.id)
    by_decision: dict[str, set[tuple[str, str]]] = {ref: set() for ref in by_id}
    for model_name, comps in components.items():
        for cid, ids in comps.items():
            for ref in ids:
                by_decision[ref].add((model_name, cid))
    return {
        "components": {
            name: {cid: [by_id[i] for i in sorted(ids)] for cid, ids in sorted(comps.items())}
            for name, comps in sorted(components.items())
        },
        "models": {name: [by_id[i] for i in sorted(ids)] for name, ids in sorted(model_level.items())},
        "decisions": {ref: sorted(pairs) for ref, pairs in sorted(by_decision.items())},
    }
