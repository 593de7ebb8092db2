"""Mermaid: a flowchart and an architecture-beta diagram of one model.

Both render in GitHub Markdown inside a ```` ```mermaid ```` fence and with the Mermaid
CLI (the tests render every export with ``mmdc``).

``flowchart``     every component (a person as a stadium, a data store as a cylinder, an
                  external system as a subroutine box), groups and hosts as subgraphs
                  (what runs on a cluster sits inside its box), every flow with its
                  label; asynchronous flows dotted.
``architecture``  the same components as services with Mermaid's built-in icons
                  (database, disk, internet, server), groups and hosts as groups, flows as
                  edges (architecture-beta has no edge labels).

Model text reaches a flowchart only inside double quotes, with every character Mermaid
or HTML reads (``" # & < > ` | \\``) written as a ``#NNN;`` entity; an architecture-beta
title may hold only ASCII letters, digits, ``_`` and spaces, so anything else becomes a space.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from archgen.catalog.vocabulary import has_trait
from archgen.generators.export import _common as c

if TYPE_CHECKING:
    from archgen.model import Component, Model

__all__ = ["architecture", "flowchart", "text"]

_ENTITIES = {ch: f"#{ord(ch)};" for ch in "\"#&<>`|\\"}


def text(value: object) -> str:
    """Model text for inside a quoted Mermaid label: one line, every special character an entity."""
    return "".join(_ENTITIES.get(ch, ch) for ch in c.one_line(value))


def _shape(comp: Component, label: str) -> str:
    if has_trait(comp.kind, "person"):
        return f'(["{label}"])'
    if has_trait(comp.kind, "data_store"):
        return f'[("{label}")]'
    if has_trait(comp.kind, "external"):
        return f'[["{label}"]]'
    return f'["{label}"]'


def _class(comp: Component) -> str:
    for trait in ("person", "external", "data_store"):
        if has_trait(comp.kind, trait):
            return trait
    return "component"


_CLASSDEFS = (
    "  classDef person fill:#E8F1FB,stroke:#1F5FA8,color:#12355B",
    "  classDef external fill:#F2F2F2,stroke:#6B6B6B,color:#333333,stroke-dasharray: 4 3",
    "  classDef data_store fill:#FFF4E0,stroke:#B26B00,color:#4D2E00",
    "  classDef component fill:#FFFFFF,stroke:#2D3436,color:#2D3436",
)


def _box_of(model: Model, comp: Component) -> str | None:
    """Where a component is drawn: inside its host when it runs on one, else its group."""
    return comp.runs_on if comp.runs_on in model.components else None


def flowchart(model: Model) -> str:
    """The model as a Mermaid flowchart (left to right)."""
    ids = c.safe_ids(model.components)
    groups = c.group_ids(model)
    out = [f"%% {c.generated_note(model)}", "flowchart LR"]
    hosts = {comp.id for comp in c.components(model) if c.is_host(model, comp)}
    # what goes in which box: host subgraphs hold their guests, group subgraphs the rest
    inside: dict[str, list[Component]] = {}
    top: dict[str | None, list[Component]] = {}
    for comp in c.components(model):
        host = _box_of(model, comp)
        if host is not None and host in hosts:
            inside.setdefault(host, []).append(comp)
        else:
            top.setdefault(comp.group, []).append(comp)

    def emit(comp: Component, indent: str) -> None:
        label = text(comp.display_name) + "<br/><small>" + text(c.service_name(model, comp)) + "</small>"
        if comp.id in hosts:
            out.append(f'{indent}subgraph {ids[comp.id]}["{label}"]')
            for guest in inside.get(comp.id, []):
                emit(guest, indent + "  ")
            out.append(f"{indent}end")
        else:
            out.append(f"{indent}{ids[comp.id]}{_shape(comp, label)}:::{_class(comp)}")

    for group in sorted(g for g in top if g is not None):
        out.append(f'  subgraph {groups[group]}["{text(group)}"]')
        for comp in top[group]:
            emit(comp, "    ")
        out.append("  end")
    for comp in top.get(None, []):
        emit(comp, "  ")
    for row in c.flows(model):
        arrow = "-.->" if row.flow.is_async else "-->"
        label = f'|"{text(row.label)}"|' if row.label else ""
        out.append(f"  {ids[row.source]} {arrow}{label} {ids[row.target]}")
    out.extend(_CLASSDEFS)
    return "\n".join(out) + "\n"


# -- architecture-beta -----------------------------------------------------------------

_TITLE_BAD = re.compile(r"[^A-Za-z0-9_ ]+")


def title(value: object) -> str:
    """Text for an architecture-beta ``[title]``: only ASCII letters, digits, ``_`` and spaces.

    Mermaid 11.17 reads quoted titles, but earlier 11.x releases (which a Markdown host
    may still run) take ``[\\w ]+`` only; accents are dropped to their base letter first.
    """
    ascii_text = unicodedata.normalize("NFKD", c.one_line(value)).encode("ascii", "ignore").decode("ascii")
    return " ".join(_TITLE_BAD.sub(" ", ascii_text).split()) or "untitled"


def _icon(comp: Component) -> str:
    if has_trait(comp.kind, "bucket"):
        return "disk"
    if has_trait(comp.kind, "data_store"):
        return "database"
    if has_trait(comp.kind, "person") or has_trait(comp.kind, "external"):
        return "internet"
    return "server"


def architecture(model: Model) -> str:
    """The model as a Mermaid architecture-beta diagram."""
    ids = c.safe_ids(model.components)
    groups = c.group_ids(model)
    hosts = {comp.id for comp in c.components(model) if c.is_host(model, comp)}
    out = [f"%% {c.generated_note(model)}", "architecture-beta"]
    for group in sorted(groups):
        out.append(f"  group {groups[group]}(cloud)[{title(group)}]")
    # hosts with guests are groups (a service of its own cannot hold others)
    for comp in c.components(model):
        if comp.id in hosts:
            parent = _parent(model, comp, hosts, ids, groups)
            out.append(f"  group {ids[comp.id]}(server)[{title(comp.display_name)}]{parent}")
    for comp in c.components(model):
        if comp.id not in hosts:
            parent = _parent(model, comp, hosts, ids, groups)
            out.append(f"  service {ids[comp.id]}({_icon(comp)})[{title(comp.display_name)}]{parent}")
    for row in c.flows(model):
        if row.source == row.target:
            continue  # architecture-beta draws no edge from a service to itself
        src, src_group = _end(model, row.source, hosts, ids)
        dst, dst_group = _end(model, row.target, hosts, ids)
        if src == dst:
            continue  # a host and its own guest: one box
        out.append(f"  {src}{src_group}:R --> L:{dst}{dst_group}")
    return "\n".join(out) + "\n"


def _parent(model: Model, comp: Component, hosts: set[str], ids: dict[str, str], groups: dict[str, str]) -> str:
    if comp.runs_on in hosts:
        return f" in {ids[comp.runs_on]}"
    if comp.group:
        return f" in {groups[comp.group]}"
    return ""


def _end(model: Model, cid: str, hosts: set[str], ids: dict[str, str]) -> tuple[str, str]:
    """An edge's end: the service, or for a host (a group) a service inside it with ``{group}``."""
    if cid not in hosts:
        return ids[cid], ""
    stack, seen = [cid], set()
    while stack:  # the first service inside the host, nested hosts included
        host = stack.pop(0)
        seen.add(host)
        for guest in c.guests(model, host):
            if guest.id not in hosts:
                return ids[guest.id], "{group}"
            if guest.id not in seen:
                stack.append(guest.id)
    return ids[cid], ""
