"""What a resource's values say about a property the model states (``data/properties.yaml``):
a database answering from the internet, a bucket open to it, data unencrypted at rest, one
zone, a listener without TLS. The drift rules ask :func:`contradictions` for their property."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from archgen.rules import Hit

if TYPE_CHECKING:
    from archgen.drift._context import DriftContext
    from archgen.infra import Resource

__all__ = ["contradictions", "property_check", "value_at"]

_ABSENT = object()


@lru_cache(maxsize=1)
def _table() -> dict[str, dict[str, dict[str, Any]]]:
    import yaml
    from importlib import resources

    return yaml.safe_load(resources.files("archgen.drift").joinpath("data", "properties.yaml").read_text("utf-8"))


def value_at(values: Any, path: str) -> Any:
    """``settings.0.ip_configuration.0.ipv4_enabled`` in a resource's values, or _ABSENT."""
    here = values
    for step in path.split("."):
        if isinstance(here, (list, tuple)) and step.isdigit() and int(step) < len(here):
            here = here[int(step)]
        elif isinstance(here, Mapping) and step in here:  # the reader's values are read-only mappings
            here = here[step]
        else:
            return _ABSENT
    return _ABSENT if here is None else here


def _says(check: dict[str, Any], values: Any) -> str | None:
    """``path = value`` when the resource contradicts the model, else None."""
    unless = check.get("unless")
    if unless and value_at(values, unless["path"]) == unless["is"]:
        return None
    for path in check.get("paths") or [check["path"]]:
        value = value_at(values, path)
        if value is _ABSENT:
            continue
        bad = check.get("bad", _ABSENT)
        if bad is not _ABSENT and (value in bad if isinstance(bad, list) else value == bad):
            return f"{path} = {_show(value)}"
        if "below" in check and isinstance(value, (int, float)) and value < check["below"]:
            return f"{path} = {_show(value)}"
        if "count_below" in check and isinstance(value, list) and len(value) < check["count_below"]:
            return f"{path} has {len(value)}"
    return None


def _show(value: Any) -> str:
    return "true" if value is True else "false" if value is False else str(value)


def contradictions(ctx: DriftContext, prop: str) -> Iterator[tuple[str, Resource, str]]:
    """(component id, resource, what it says) for every resource of a component whose values
    contradict ``prop`` of data/properties.yaml, sorted by component and address."""
    table = _table()[prop]
    for cid in sorted(ctx.resources_of):
        for r in ctx.resources_of[cid]:
            check = table.get(r.type)
            if check is None:
                continue
            said = _says(check, r.values)
            if said is not None:
                yield cid, r, said


def property_check(
    prop: str, applies: Callable[[DriftContext, Any], bool], message: str, field: str | None = None
) -> Callable[[DriftContext], Iterator[Hit]]:
    """A drift rule's check: one hit per component whose model states ``applies(ctx, comp)``
    and whose resources contradict ``prop``. ``message`` is formatted with the resource's
    ``address``, what its values ``said`` and the ``component`` id; ``field`` is the model
    field the finding points at (when the component states it)."""

    def check(ctx: DriftContext) -> Iterator[Hit]:
        done: set[str] = set()
        for cid, r, said in contradictions(ctx, prop):
            comp = ctx.model.components[cid]
            if cid in done or not applies(ctx, comp):
                continue
            done.add(cid)
            yield Hit(cid, message.format(address=r.address, said=said, component=cid),
                      field=field if field in comp.model_fields_set else None,
                      extra={"address": r.address, "source": str(r.source)})

    return check
