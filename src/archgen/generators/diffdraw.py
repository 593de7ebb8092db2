"""What to draw for a diff: the union of both versions as one :class:`~archgen.generators.views.ViewSpec`.

Every component and flow of either side is one node or edge with a ``status``
(``added``, ``removed``, ``changed``, ``unchanged``); :mod:`archgen.generators.draw` colours them
(green, red and dashed, amber, grey) and lays them out with Graphviz. Parts keep their
place as far as the layout allows: nodes and edges are handed to ``dot`` in the base
model's order, then the additions, and groups stay clusters, so an addition does not
reshuffle what was already there.

A union larger than :data:`FOCUS_ABOVE` components is drawn around the change: what was
added, removed or changed, the ends of changed flows and, while it stays readable,
their unchanged neighbours; the view's description says how much was left out.

:func:`to_mermaid` writes the same view as a Mermaid flowchart, which GitHub draws inside
a pull-request comment with no image to host.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from archgen.generators.views import GAP_ICON, ClusterSpec, EdgeSpec, NodeSpec, ViewSpec, slug

if TYPE_CHECKING:
    from archgen.catalog import Catalog
    from archgen.generators.diff import Diff, ModelDiff
    from archgen.model import Component, Model

__all__ = ["FOCUS_ABOVE", "MERMAID_MAX_NODES", "diff_view", "to_mermaid"]

#: Above this many components in the union, draw only the change and its surroundings.
FOCUS_ABOVE = 60
#: At most this many nodes in a focused view before unchanged neighbours are left out.
FOCUS_MAX_NODES = 150
#: Larger views are not written as Mermaid (GitHub would refuse or shrink them).
MERMAID_MAX_NODES = 120
MERMAID_MAX_CHARS = 30_000

_UNCHANGED = "unchanged"


def _node_id(model: str, cid: str, several: bool) -> str:
    # '.' is in no model name and no component id: the ids cannot collide.
    return f"{model}.{cid}" if several else cid


def _note(status: str, fields: list[str]) -> str | None:
    if status == "changed":
        shown = ", ".join(dict.fromkeys(f.split(".")[0] for f in fields))
        return f"changed: {shown}"
    if status in ("added", "removed"):
        return status
    return None


def _icon(catalog: Catalog, model: Model | None, comp: Component | None) -> str:
    if model is None or comp is None:
        return GAP_ICON
    svc = catalog.resolve_service(model, comp)
    return svc.icon if svc is not None else GAP_ICON


def _focus(m: ModelDiff) -> tuple[set[str], int]:
    """Component ids to draw for a large model, and how many unchanged ones are left out."""
    core = {c.id for c in m.components if c.status != _UNCHANGED}
    for f in m.flows:
        if f.status != _UNCHANGED:
            core.update((f.source, f.target))
    near = set(core)
    for f in m.flows:
        if f.source in core or f.target in core:
            near.update((f.source, f.target))
    keep = near if len(near) <= FOCUS_MAX_NODES else core
    return keep, len(m.components) - len(keep)


def diff_view(diff: Diff, catalog: Catalog | None = None, name: str = "diff") -> ViewSpec:
    """The union of both sides of ``diff`` as one view, statuses on every node and edge."""
    if catalog is None:
        from archgen.catalog import get_catalog

        catalog = get_catalog()
    several = len(diff.models) > 1
    total = sum(len(m.components) for m in diff.models)
    focused = total > FOCUS_ABOVE
    nodes: list[NodeSpec] = []
    clusters: list[ClusterSpec] = []
    edges: list[EdgeSpec] = []
    left_out = 0
    for m in diff.models:
        top = None
        if several:
            top = f"model-{m.name}"
            clusters.append(ClusterSpec(top, f"{m.title} ({m.name})", None, "cloud"))
        keep, skipped = _focus(m) if focused else ({c.id for c in m.components}, 0)
        left_out += skipped
        group_ids: dict[str, str] = {}
        for c in m.components:
            if c.id not in keep:
                continue
            side = m.base if c.status == "removed" else m.head
            comp = side.components[c.id] if side is not None else None
            cluster = top
            if c.group is not None:
                if c.group not in group_ids:
                    base_id = f"{top}/group-{slug(c.group)}" if top else f"group-{slug(c.group)}"
                    gid, n = base_id, 1
                    while gid in group_ids.values():
                        n += 1
                        gid = f"{base_id}-{n}"
                    group_ids[c.group] = gid
                    clusters.append(ClusterSpec(gid, c.group, top, "group"))
                cluster = group_ids[c.group]
            nodes.append(
                NodeSpec(
                    id=_node_id(m.name, c.id, several),
                    label=c.title,
                    icon=_icon(catalog, side, comp),
                    cluster=cluster,
                    note=_note(c.status, [ch.field for ch in c.changes]),
                    status=c.status,
                )
            )
        seen: dict[str, int] = {}
        for f in m.flows:
            if f.source not in keep or f.target not in keep:
                continue
            eid = f"{_node_id(m.name, f.source, several)}->{_node_id(m.name, f.target, several)}"
            eid += f":{f.label}" if f.label else ""
            seen[eid] = seen.get(eid, 0) + 1
            if seen[eid] > 1:
                eid += f"#{seen[eid]}"
            edges.append(
                EdgeSpec(
                    id=eid,
                    source=_node_id(m.name, f.source, several),
                    target=_node_id(m.name, f.target, several),
                    label=f.label or "",
                    status=f.status,
                )
            )
    used = {n.cluster for n in nodes}
    parents = {c.id: c.parent for c in clusters}
    for cid in list(used):
        while cid is not None:
            used.add(cid)
            cid = parents.get(cid)
    counts = {s: sum(1 for n in nodes if n.status == s) for s in ("added", "removed", "changed")}
    desc = "The union of both versions: " + ", ".join(f"{n} {s}" for s, n in counts.items()) + " components"
    desc += f"; {left_out} unchanged components away from the change are left out." if left_out else "."
    return ViewSpec(
        name=name,
        title=f"Architecture diff: {diff.base_label} → {diff.head_label}",
        description=desc,
        nodes=tuple(nodes),
        clusters=tuple(c for c in clusters if c.id in used),
        edges=tuple(edges),
        direction="LR",
    )


# ---------------------------------------------------------------------------
# Mermaid


_SAFE = re.compile(r"[A-Za-z0-9 .,:/()_+~\-]")


def mermaid_text(text: str) -> str:
    """Text for a quoted Mermaid label: every character that could be syntax, markup or
    an entity (quotes, ``#``, ``<``, ``&``, backticks, pipes, brackets...) is written as a
    decimal entity code, which Mermaid shows literally."""
    flat = " ".join(str(text).split())
    return "".join(ch if _SAFE.fullmatch(ch) else f"#{ord(ch)};" for ch in flat)


def _mermaid_styles() -> list[str]:
    from archgen.generators.draw import STATUS_NODE_LOOK

    out = []
    for status, look in STATUS_NODE_LOOK.items():
        parts = [f"fill:{look.get('fillcolor', '#FFFFFF')}", f"stroke:{look.get('color', '#BDBDBD')}", f"color:{look.get('fontcolor', '#9AA3AB')}"]
        if "dashed" in look.get("style", ""):
            parts.append("stroke-dasharray:5 5")
        out.append(f"  classDef {status} {','.join(parts)}")
    return out


def _mermaid_link(status: str | None) -> str:
    from archgen.generators.draw import STATUS_EDGE_LOOK

    look = STATUS_EDGE_LOOK.get(status or _UNCHANGED, {})
    parts = [f"stroke:{look.get('color', '#BDBDBD')}"]
    if look.get("penwidth"):
        parts.append(f"stroke-width:{float(look['penwidth']):g}px")
    return ",".join(parts)


def to_mermaid(view: ViewSpec) -> str | None:
    """The view as a Mermaid flowchart (GitHub draws it in comments), or None when it is
    too large to be useful there. Node ids are replaced by ``n0``, ``n1``...: no model
    text reaches Mermaid except through :func:`mermaid_text`."""
    if not view.nodes or len(view.nodes) > MERMAID_MAX_NODES:
        return None
    from archgen.generators.draw import cluster_tree

    ids = {n.id: f"n{i}" for i, n in enumerate(view.nodes)}
    cids = {c.id: f"c{i}" for i, c in enumerate(view.clusters)}
    marks = {"added": "+ ", "removed": "- ", "changed": "~ "}
    out = [f"flowchart {view.direction}"]
    out += _mermaid_styles()
    children, members = cluster_tree(view)

    def node_line(n: NodeSpec, indent: str) -> str:
        label = mermaid_text(marks.get(n.status or "", "") + n.label)
        if n.note and n.status not in ("added", "removed"):
            label += "<br/>" + mermaid_text(n.note)
        return f'{indent}{ids[n.id]}["{label}"]'

    def emit(cluster: ClusterSpec, depth: int) -> None:
        indent = "  " * depth
        out.append(f'{indent}subgraph {cids[cluster.id]}["{mermaid_text(cluster.label)}"]')
        for n in members.get(cluster.id, []):
            out.append(node_line(n, indent + "  "))
        for child in children.get(cluster.id, []):
            emit(child, depth + 1)
        out.append(f"{indent}end")

    for c in children.get(None, []):
        emit(c, 1)
    for n in members.get(None, []):
        out.append(node_line(n, "  "))
    links: dict[str, list[str]] = {}
    for i, e in enumerate(view.edges):
        arrow = "-.->" if e.status == "removed" else "-->"
        label = f'|"{mermaid_text(e.label)}"|' if e.label else ""
        out.append(f"  {ids[e.source]} {arrow}{label} {ids[e.target]}")
        links.setdefault(e.status or _UNCHANGED, []).append(str(i))
    for status in sorted(links):
        out.append(f"  linkStyle {','.join(links[status])} {_mermaid_link(status)}")
    by_status: dict[str, list[str]] = {}
    for n in view.nodes:
        by_status.setdefault(n.status or _UNCHANGED, []).append(ids[n.id])
    for status in sorted(by_status):
        out.append(f"  class {','.join(by_status[status])} {status}")
    text = "\n".join(out) + "\n"
    return text if len(text) <= MERMAID_MAX_CHARS else None
