"""Load YAML models into validated :class:`archgen.model.Model` objects.

The loader reads YAML through :mod:`archgen.sources.yamlpos` (the positioned reader
ADR front matter shares: line and column of every key and value; duplicate keys,
tags and alias bombs refused), normalises the flow shorthand, and then validates
with pydantic. Every problem of a
file is reported at once as ``FILE:LINE:COLUMN: message``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import archgen._pydantic  # noqa: F401 - pydantic without asyncio, first

# isort: split
from pydantic import ValidationError

from archgen.errors import Location, ModelError, ModelErrors, UsageError
from archgen.catalog.protocols import PROTOCOLS, match_label
from archgen.catalog.vocabulary import PROVIDERS, has_trait, kinds_with
from archgen.model import (
    ADR_ID,
    BUILTIN_ZONES,
    COMPONENT_ID,
    KINDS,
    WINDOWS_RESERVED,
    ZONE_ID,
    Component,
    Flow,
    Model,
    Zone,
    sizing_problems,
)
from archgen.sources.yamlpos import (
    MAX_DEPTH,
    MAX_NODES,
    MAX_SCALAR_BYTES,
    Collector,
    Positions,
    YamlPath,
    decode,
    did_you_mean,
    read,
    short,
)

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "MAX_SCALAR_BYTES",
    "discover",
    "display_path",
    "load_model",
    "load_models",
    "parse_model",
    "unique_names",
]

#: Longest model file read.
MAX_BYTES = 16 * 1024 * 1024

_COMPONENT_ID_RE = re.compile(COMPONENT_ID)
_ADR_ID_RE = re.compile(ADR_ID)
_ZONE_ID_RE = re.compile(ZONE_ID)
_FLOW_RE = re.compile(r"^\s*([^\s:>-][^\s:>]*?)\s*->\s*([^\s:>][^\s:>]*?)\s*(?::\s*(.*?))?\s*\Z")
_SECRET_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*\Z")


# ---------------------------------------------------------------------------
# flows: shorthand and long form


def _normalise_flows(data: dict[str, Any], pos: Positions, errs: Collector) -> None:
    flows = data.get("flows")
    if flows is None:
        data["flows"] = []
        return
    if not isinstance(flows, list):
        errs.add(pos.of_value(("flows",)), "'flows' must be a list of 'a -> b' items")
        data["flows"] = []
        return
    out: list[Any] = []
    for i, item in enumerate(flows):
        path = ("flows", i)
        loc = pos.of_value(path)
        if isinstance(item, str):
            match = _FLOW_RE.fullmatch(item)
            if not match:
                errs.add(loc, f"a flow must read 'a -> b' or 'a -> b: label', got {short(item)}")
                continue
            source, target, label = match.groups()
            entry: dict[str, Any] = {"from": source, "to": target}
            if label:
                entry["label"] = label
            out.append(entry)
        elif isinstance(item, dict) and len(item) == 1 and "->" in next(iter(item)):
            (text, label), = item.items()
            match = _FLOW_RE.fullmatch(text)
            if not match or match.group(3):
                errs.add(loc, f"a flow must read 'a -> b: label', got {short(text)}")
                continue
            entry = {"from": match.group(1), "to": match.group(2)}
            if label is not None:
                if not isinstance(label, (str, int, float)) or isinstance(label, bool):
                    errs.add(pos.of_value(path + (text,)), "a flow label must be short text")
                    continue
                entry["label"] = str(label)
            out.append(entry)
        elif isinstance(item, dict):
            out.append(item)
        else:
            errs.add(loc, f"a flow must be 'a -> b', 'a -> b: label' or a mapping, got {short(item)}")
    data["flows"] = out


# ---------------------------------------------------------------------------
# pydantic errors -> positioned messages

def _fields_at(path: YamlPath) -> list[str]:
    from archgen.model import Requirements

    if path == ():
        return [f.alias or n for n, f in Model.model_fields.items()]
    if path == ("requirements",):
        return list(Requirements.model_fields)
    if len(path) == 2 and path[0] == "components":
        return list(Component.model_fields)
    if len(path) == 2 and path[0] == "flows":
        return [f.alias or n for n, f in Flow.model_fields.items()]
    return []


def _pydantic_errors(exc: ValidationError, pos: Positions, errs: Collector) -> None:
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        kind = error["type"]
        if kind == "sizing_value":
            continue  # every bad sizing value is reported at its place by _check_sizing
        if kind == "extra_forbidden":
            parent, field = loc[:-1], loc[-1]
            errs.add(
                pos.of_key(loc),
                f"unknown field '{field}'{did_you_mean(str(field), _fields_at(parent))}",
            )
        elif kind == "missing":
            where = _describe(loc[:-1])
            errs.add(pos.of_value(loc[:-1]), f"{where}missing required field '{loc[-1]}'")
        elif kind == "literal_error" and loc and loc[-1] == "kind":
            value = error.get("input")
            errs.add(
                pos.of_value(loc),
                f"unknown kind {short(value)}{did_you_mean(str(value), KINDS)}; "
                f"kinds are: {', '.join(KINDS)}",
            )
        elif kind == "literal_error" and len(loc) == 3 and loc[0] == "flows" and loc[-1] == "protocol":
            value = str(error.get("input"))
            named = match_label(value)
            if named:
                message = f"unknown protocol {short(error.get('input'))}: the table calls it '{named}'"
            else:
                close = did_you_mean(value, PROTOCOLS)
                message = f"unknown protocol {short(error.get('input'))}" + (
                    close or f"; protocols are: {', '.join(PROTOCOLS)}"
                ) + "; a protocol outside the table goes in the flow's label, which is free text"
            errs.add(pos.of_value(loc), message)
        elif kind == "literal_error" and loc == ("archgen",):
            errs.add(
                pos.of_value(loc),
                f"unsupported format version {short(error.get('input'))}; this archgen reads 'archgen: 1'",
            )
        elif kind == "literal_error":
            value = error.get("input")
            expected = error.get("ctx", {}).get("expected", "")
            hint = did_you_mean(str(value), re.findall(r"'([^']*)'", expected))
            errs.add(pos.of_value(loc), f"{_describe(loc)}{short(value)} is not one of {expected}{hint}")
        elif kind == "string_pattern_mismatch" and loc == ("name",):
            errs.add(
                pos.of_value(loc),
                f"name {short(error.get('input'))} is not a slug: use lowercase letters, digits "
                "and single hyphens, e.g. 'ml-serving'",
            )
        else:
            value = error.get("input")
            shown = "" if isinstance(value, (dict, list)) else f", got {short(value)}"
            word = pos.word_bools.get(loc)
            if word is not None:
                shown += f" (YAML reads an unquoted {word} as {str(value).lower()}: write '{word}' in quotes)"
            errs.add(pos.of_value(loc), f"{_describe(loc)}{error['msg'][0].lower()}{error['msg'][1:]}{shown}")


def _describe(loc: YamlPath) -> str:
    if not loc:
        return ""
    return "'" + ".".join(str(p) for p in loc) + "': "


# ---------------------------------------------------------------------------
# semantic checks that make a model unreadable (exit 2)


def _check_ids(data: dict[str, Any], pos: Positions, errs: Collector) -> None:
    """Component ids, the model's name and zone ids name files and folders: slugs
    (matched as a whole: ``'api\\n'`` is not ``api``), never a name Windows reserves."""
    components = data.get("components")
    if isinstance(components, dict):
        for cid in components:
            where = pos.of_key(("components", cid))
            if not _COMPONENT_ID_RE.fullmatch(cid):
                errs.add(
                    where,
                    f"component id {short(cid)} is not a slug: start with a lowercase letter, then "
                    "lowercase letters, digits, '_' or '-', at most 63 characters",
                )
            elif cid in WINDOWS_RESERVED:
                errs.add(where, f"component id {cid!r} {_RESERVED}")
    name = data.get("name")
    if isinstance(name, str) and name in WINDOWS_RESERVED:
        errs.add(pos.of_value(("name",)), f"model name {name!r} {_RESERVED}")
    zones = data.get("zones")
    if isinstance(zones, dict):
        for zid in zones:
            if zid in WINDOWS_RESERVED:
                errs.add(pos.of_key(("zones", zid)), f"zone id {zid!r} {_RESERVED}")


_RESERVED = (
    "is a device name Windows reserves (con, prn, aux, nul, com1-com9, lpt1-lpt9): no file or folder "
    "can be named after it there; choose another"
)


def _check_sizing(data: dict[str, Any], pos: Positions, errs: Collector) -> None:
    """Every sizing value that cannot be priced, at its place (the model says which)."""
    places: list[YamlPath] = [("sizing",)]
    components = data.get("components")
    if isinstance(components, dict):
        places += [("components", cid, "sizing") for cid, c in components.items() if isinstance(c, dict)]
    for place in places:
        owner = data if len(place) == 1 else components[place[1]]  # type: ignore[index]
        sizing = owner.get("sizing")
        for key, message in sizing_problems(sizing):
            value = sizing[key]
            shown = "" if isinstance(value, (dict, list)) else f", got {short(value)}"
            errs.add(pos.of_value(place + (key,)), message + shown)


def _check_semantics(model: Model, pos: Positions, errs: Collector, parts: _Parts | None = None) -> None:
    """The checks that need the whole model. With ``parts`` (the model did not validate),
    on the parts that did: components that did not are still there for flows and
    placements to name, and services are checked only when the provider is known."""
    parts = parts or _Parts()
    ids = model.components
    broken = parts.broken
    _check_zones(model, pos, errs, parts.broken_zones)
    _check_placement(model, pos, errs, parts)
    for cid, comp in ids.items():
        base = ("components", cid)
        if comp.service is not None and parts.provider_known and comp.runs_on not in broken:
            _check_service(model, comp, pos, errs)
        _check_device_and_shield(model, comp, pos, errs, broken)
        for rule, reason in comp.accept.items():
            if not reason.strip():
                errs.add(
                    pos.of_value(base + ("accept", rule)),
                    f"accepting {rule} needs a reason: say why the risk is accepted",
                )
        for i, ref in enumerate(comp.decisions):
            if not _ADR_ID_RE.fullmatch(ref):
                errs.add(pos.of_value(base + ("decisions", i)), f"decision {short(ref)} is not an ADR id like ADR-0001")
        for i, name in enumerate(comp.secrets):
            if not _SECRET_NAME_RE.fullmatch(name):
                errs.add(
                    pos.of_value(base + ("secrets", i)),
                    "a secret is listed by name only (letters, digits, '_', '.', '-'); never put its value in the model",
                )
    for i, ref in enumerate(model.decisions):
        if not _ADR_ID_RE.fullmatch(ref):
            errs.add(pos.of_value(("decisions", i)), f"decision {short(ref)} is not an ADR id like ADR-0001")
    seen: dict[tuple[str, str, str], int] = {}
    for i, flow in zip(parts.flow_index or range(len(model.flows)), model.flows):
        base = ("flows", i)
        for end, field in ((flow.source, "from"), (flow.to, "to")):
            if end not in ids and end not in broken:
                errs.add(
                    pos.of_value(base + (field,)) if (base + (field,)) in pos.value else pos.of_value(base),
                    f"flow names a missing component {short(end)}{did_you_mean(end, ids)}",
                )
        if flow.source == flow.to:
            errs.add(pos.of_value(base), f"flow from {flow.source!r} to itself")
        if flow.key in seen:
            errs.add(pos.of_value(base), f"duplicate flow {flow.source} -> {flow.to} (first is flow {seen[flow.key] + 1})")
        else:
            seen[flow.key] = i


def _check_service(model: Model, comp: Component, pos: Positions, errs: Collector) -> None:
    from archgen.catalog import get_catalog

    catalog = get_catalog()
    assert comp.service is not None
    if comp.runs_on is not None and not _hosts(model, comp):
        return  # the placement is wrong: that error says enough
    home = catalog.placement_provider(model, comp)
    services = catalog.services(comp.kind, home)
    if comp.service in services:
        return
    placed = f" running on {comp.runs_on!r} (a placed component's service comes from the {home} catalog)" if comp.runs_on else ""
    if services:
        hint = did_you_mean(comp.service, services) + f"; services for {comp.kind} on {home}: {', '.join(sorted(services))}"
    else:
        gap = catalog.gap(comp.kind, home)
        hint = f"; {home} has no service for {comp.kind}" + (f": {gap}" if gap else "")
    errs.add(
        pos.of_value(("components", comp.id, "service")),
        f"unknown service {short(comp.service)} for kind {comp.kind} on {home}{placed}{hint}",
    )


def _hosts(model: Model, comp: Component) -> bool:
    """Whether ``comp``'s ``runs_on`` names another component that can host it."""
    host = model.components.get(comp.runs_on or "")
    return host is not None and host is not comp and has_trait(host.kind, "host")


def _known_zones(model: Model) -> list[str]:
    """The zones a component may name: the built-in ones, then the model's own valid ones."""
    return [*BUILTIN_ZONES, *(z for z in model.zones if z not in BUILTIN_ZONES and _ZONE_ID_RE.fullmatch(z))]


#: The one built-in zone whose trust a model cannot change: anyone is on the internet.
_UNTRUSTED_ALWAYS = "internet"


def _check_zones(model: Model, pos: Positions, errs: Collector, broken: frozenset[str] = frozenset()) -> None:
    for zid in model.zones:
        where = pos.of_key(("zones", zid))
        if zid == _UNTRUSTED_ALWAYS and model.zones[zid].trusted:
            errs.add(
                pos.of_value(("zones", zid, "trusted")),
                "the internet cannot be trusted: anyone is on it (say where a component sits with a zone of your own)",
            )
        elif zid in BUILTIN_ZONES:
            continue  # a built-in zone re-declared: its title or its trust, as the model says
        elif not _ZONE_ID_RE.fullmatch(zid):
            errs.add(
                where,
                f"zone id {short(zid)} is not a slug: start with a lowercase letter, then lowercase "
                "letters, digits, '_' or '-', at most 63 characters",
            )
    known = _known_zones(model)
    for cid, comp in model.components.items():
        if comp.zone is None or comp.zone in broken:
            continue
        if comp.zone not in known:
            errs.add(
                pos.of_value(("components", cid, "zone")),
                f"unknown zone {short(comp.zone)}{did_you_mean(comp.zone, known)}; zones are: {', '.join(known)} "
                "(add a zone of your own under 'zones:')",
            )


def _check_placement(model: Model, pos: Positions, errs: Collector, parts: _Parts) -> None:
    from archgen.catalog import get_catalog

    catalog = get_catalog()
    ids = model.components
    hosts = sorted(kinds_with("host"))
    for cid, comp in ids.items():
        if comp.runs_on is None or comp.runs_on in parts.broken:
            continue
        where = pos.of_value(("components", cid, "runs_on"))
        host = ids.get(comp.runs_on)
        if comp.runs_on == cid:
            errs.add(where, f"{cid!r} cannot run on itself; runs_on names the {' or '.join(hosts)} it runs on")
        elif host is None:
            errs.add(where, f"runs_on names a missing component {short(comp.runs_on)}{did_you_mean(comp.runs_on, ids)}")
        elif not has_trait(host.kind, "host"):
            candidates = [c for c, h in ids.items() if has_trait(h.kind, "host") and c != cid]
            hint = f"; hosts in this model: {', '.join(sorted(candidates))}" if candidates else ""
            errs.add(
                where,
                f"{cid!r} runs on {comp.runs_on!r} (kind {host.kind}): only a {' or '.join(hosts)} can host "
                f"components{hint}",
            )
        elif not catalog.provisioned(comp.kind):
            errs.add(where, f"kind {comp.kind} is never provisioned, so {cid!r} cannot run on {comp.runs_on!r}")
        elif not parts.provider_known:
            continue
        elif comp.service is None and not catalog.services_for(model, comp):
            home = catalog.placement_provider(model, comp)
            gap = catalog.gap(comp.kind, home)
            errs.add(
                where,
                f"kind {comp.kind} cannot run on {comp.runs_on!r}: the {home} catalog has no service for it"
                + (f" ({gap})" if gap else ""),
            )
        elif comp.zone is not None and comp.zone in _known_zones(model) and model.zone_of(host) != comp.zone:
            errs.add(
                pos.of_value(("components", cid, "zone")),
                f"{cid!r} runs on {comp.runs_on!r} in zone {model.zone_of(host)}, so it sits there too; "
                f"drop 'zone: {comp.zone}' or move {comp.runs_on!r}",
            )
    # a cycle of placements: a runs on b, b runs on a (reported once, at its first member by id)
    reported: set[str] = set()
    for start in sorted(ids):
        chain: list[str] = []
        current: str | None = start
        while current is not None and current in ids and current not in chain and current not in reported:
            chain.append(current)
            nxt = ids[current].runs_on
            current = nxt if nxt != current else None
        if current is not None and current in chain:
            cycle = chain[chain.index(current):]
            first = min(cycle)
            order = cycle[cycle.index(first):] + cycle[: cycle.index(first)]
            if len(order) > 1:
                errs.add(
                    pos.of_value(("components", first, "runs_on")),
                    "a cycle of placements: " + ", ".join(f"{a!r} runs on {b!r}" for a, b in zip(order, order[1:] + order[:1])),
                )
        reported.update(chain)


def _check_device_and_shield(model: Model, comp: Component, pos: Positions, errs: Collector, broken: frozenset[str] = frozenset()) -> None:
    base = ("components", comp.id)
    if comp.platform is not None and not has_trait(comp.kind, "device"):
        devices = ", ".join(sorted(kinds_with("device")))
        errs.add(
            pos.of_key(base + ("platform",)),
            f"'platform' says where an app on a user's device runs ({devices}); {comp.id!r} is kind {comp.kind}",
        )
    if comp.protects and not has_trait(comp.kind, "shield"):
        shields = ", ".join(sorted(kinds_with("shield")))
        errs.add(
            pos.of_key(base + ("protects",)),
            f"'protects' lists what a {shields} sits in front of; {comp.id!r} is kind {comp.kind}",
        )
        return
    for i, target in enumerate(comp.protects):
        where = pos.of_value(base + ("protects", i))
        if target == comp.id:
            errs.add(where, f"{comp.id!r} cannot protect itself")
        elif target not in model.components and target not in broken:
            errs.add(where, f"protects names a missing component {short(target)}{did_you_mean(target, model.components)}")


def _attach_positions(model: Model, file: str, pos: Positions, flow_index: list[int] | None = None) -> None:
    by_parent: dict[YamlPath, dict[str, Location]] = {}
    for path, loc in pos.key.items():
        if path:
            by_parent.setdefault(path[:-1], {})[str(path[-1])] = loc
    model._file = file
    model._loc = pos.of_value(())
    model._field_locs = by_parent.get((), {})
    for cid, comp in model.components.items():
        base = ("components", cid)
        comp._id = cid
        comp._loc = pos.of_key(base)
        comp._field_locs = by_parent.get(base, {})
    for i, flow in zip(flow_index or range(len(model.flows)), model.flows):
        base = ("flows", i)
        flow._loc = pos.of_value(base)
        flow._field_locs = by_parent.get(base, {})


# ---------------------------------------------------------------------------
# public API


def display_path(path: Path) -> str:
    """A path as the user should see it: relative to the working directory when below it."""
    try:
        return os.path.relpath(path) if not os.path.relpath(path).startswith("..") else str(path)
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(path)


@dataclass
class _Parts:
    """What validated of a model that did not validate as a whole."""

    #: ids of the components that did not validate: still there for flows to name
    broken: frozenset[str] = frozenset()
    #: each validated flow's index in the file
    flow_index: list[int] | None = None
    provider_known: bool = True
    #: ids of the model's own zones that did not validate: still there for components to name
    broken_zones: frozenset[str] = frozenset()


def _valid_entries(entries: Any, cls: Any) -> tuple[dict[str, Any], set[str]]:
    """Of a mapping of ids to entries (components, zones), those that validate as ``cls`` on
    their own, by id, and the ids of the others (nothing when it is no mapping)."""
    good: dict[str, Any] = {}
    broken: set[str] = set()
    if isinstance(entries, dict):
        for key, value in entries.items():
            try:
                good[key] = cls.model_validate(value)
            except ValidationError:
                broken.add(key)
    return good, broken


def _validate_parts(data: dict[str, Any]) -> tuple[Model | None, _Parts]:
    """The model from the parts of ``data`` that validate on their own, so that the checks
    needing the whole model (dangling flows, unknown services, placements) still run when
    another part is wrong: every problem of a file comes at once. Their errors are those
    of the whole model's validation, already reported; here they are only skipped."""
    good, broken = _valid_entries(data.get("components"), Component)
    flows: list[Flow] = []
    index: list[int] = []
    for i, value in enumerate(data.get("flows") or []):
        try:
            flows.append(Flow.model_validate(value))
            index.append(i)
        except ValidationError:
            pass
    good_zones, broken_zones = _valid_entries(data.get("zones"), Zone)
    rest = {k: v for k, v in data.items() if k not in ("components", "flows", "zones")}
    placeholders = {"archgen": 1, "name": "model", "provider": PROVIDERS[0]}
    provider_known = True
    for _attempt in range(2):
        try:
            model = Model.model_validate({**rest, "components": {}, "flows": []})
            break
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                field = error["loc"][0] if error["loc"] else None
                if field == "provider":
                    provider_known = False
                if field in placeholders:
                    rest[field] = placeholders[field]
                elif field in rest:
                    rest.pop(field)
    else:
        return None, _Parts()
    model.components = good
    model.flows = flows
    model.zones = good_zones
    return model, _Parts(frozenset(broken), index, provider_known, frozenset(broken_zones))


def parse_model(text_or_bytes: str | bytes, file: str = "<model>") -> Model:
    """Parse one model from bytes or text; raise :class:`ModelErrors` with every problem."""
    raw = text_or_bytes.encode("utf-8") if isinstance(text_or_bytes, str) else text_or_bytes
    try:
        if len(raw) > MAX_BYTES:
            raise ModelError(
                Location(file, 1, 1),
                f"the file is {len(raw):,} bytes; a model may be at most {MAX_BYTES:,} bytes",
            )
        text = decode(raw, file)
        doc = read(text, file)
        if doc.root is None:
            raise ModelError(Location(file, 1, 1), "the file is empty; a model starts with 'archgen: 1'")
        if doc.root != "mapping":
            raise ModelError(
                doc.root_loc or Location(file, 1, 1),
                "a model must be a mapping with 'archgen: 1', 'name', 'provider' and 'components'",
            )
    except ModelError as err:
        raise ModelErrors([err]) from None
    data, pos, errs = doc.data, doc.positions, doc.errors
    _normalise_flows(data, pos, errs)
    _check_ids(data, pos, errs)
    _check_sizing(data, pos, errs)
    parts: _Parts | None = None
    model: Model | None
    try:
        model = Model.model_validate(data)
    except ValidationError as exc:
        _pydantic_errors(exc, pos, errs)
        model, parts = _validate_parts(data)
    if model is not None:
        _attach_positions(model, file, pos, parts.flow_index if parts else None)
        _check_semantics(model, pos, errs, parts)
    if errs:
        raise ModelErrors(errs.errors)
    assert model is not None
    return model


def load_model(path: str | os.PathLike[str]) -> Model:
    """Load and validate one model file."""
    p = Path(path)
    file = display_path(p)
    try:
        raw = _read_limited(p)
    except OSError as exc:
        raise ModelErrors([ModelError(Location(file), f"cannot read: {exc.strerror or exc}")]) from None
    return parse_model(raw, file)


def _read_limited(path: Path) -> bytes:
    with path.open("rb") as fh:
        raw = fh.read(MAX_BYTES + 1)
    return raw


def discover(paths: Sequence[str | os.PathLike[str]] = (), root: str | os.PathLike[str] = ".") -> list[Path]:
    """The model files named by ``paths``: files as given, folders as their ``*.yaml``.

    With no paths: ``arch/*.yaml`` below ``root``. Symbolic links that lead outside
    the repository are refused.
    """
    base = Path(root).resolve()
    if not paths:
        arch = Path(root) / "arch"
        if not arch.is_dir():
            raise UsageError(
                f"no models: {display_path(arch)}/ does not exist (give a model path, or run "
                "'archgen init' to start an architecture repository)"
            )
        paths = [arch]
    found: list[Path] = []
    for given in paths:
        p = Path(given)
        if escapes(p, base):
            raise UsageError(
                f"{display_path(p)}: a symbolic link that points outside the repository is refused"
            )
        if p.is_dir():
            candidates = sorted([*p.glob("*.yaml"), *p.glob("*.yml")])
            for c in candidates:
                if escapes(c, base):
                    raise UsageError(
                        f"{display_path(c)}: a symbolic link that points outside the repository is refused"
                    )
            found.extend(candidates)
        elif p.exists():
            found.append(p)
        else:
            raise UsageError(f"{given}: no such file or folder")
    if not found:
        raise UsageError("no model files (*.yaml) found in " + ", ".join(str(p) for p in paths))
    return found


def _inside(path: Path, base: Path) -> bool:
    try:
        path.relative_to(base)
    except ValueError:
        return False
    return True


def escapes(path: Path, base: Path) -> bool:
    """Whether ``path`` stands inside the repository ``base`` but leads out of it through
    a symbolic link (of the file itself or of a folder on the way, such as ``arch/``)."""
    return _inside(Path(os.path.abspath(path)), base) and not _inside(path.resolve(), base)


def load_models(paths: Sequence[str | os.PathLike[str]] = (), root: str | os.PathLike[str] = ".") -> list[Model]:
    """Load every model named by ``paths`` (see :func:`discover`); all errors at once."""
    errors: list[ModelError] = []
    models: list[Model] = []
    for path in discover(paths, root):
        try:
            models.append(load_model(path))
        except ModelErrors as exc:
            errors.extend(exc.errors)
    errors.extend(unique_names(models))
    if errors:
        raise ModelErrors(errors)
    return sorted(models, key=lambda m: m.name)


def unique_names(models: Sequence[Model]) -> list[ModelError]:
    """One error per model whose name an earlier model of ``models`` already uses.

    Models are matched by name across a repository (diff, ADR links, the site), so two
    files may not give the same one, whether they are read from a folder or a revision.
    """
    errors: list[ModelError] = []
    names: dict[str, Model] = {}
    for m in models:
        if m.name in names:
            errors.append(
                ModelError(m.loc_of("name"), f"model name {m.name!r} is also used by {names[m.name].file}")
            )
        names[m.name] = m
    return errors
