"""draw.io (diagrams.net): the overview as a file a user keeps editing by hand.

- the picture is archgen's overview view laid out by Graphviz as ``archgen diagram``
  draws it (:func:`archgen.generators.draw.layout`): the same positions, sizes and group
  boxes, turned from Graphviz's points (origin bottom left) into draw.io's (top left);
- each component is an image cell with the same icon as archgen's diagrams, embedded
  (``image=data:image/png,...``: the file needs nothing beside it), and an ``object`` that
  keeps archgen's id, kind, service and the icon's name (``diagrams.aws.network.Route53``);
- each group is a container cell holding its components (their geometry relative to it),
  and so is each cluster or VM around what runs on it (``archgen_host``: its id);
- each flow is an edge (``e-1``, ``e-2``... in the views' flow order) from its source cell
  to its target cell with the flow's label.

Above :data:`GRAPHVIZ_MAX_COMPONENTS` components the positions are archgen's own
(:func:`grid_layout`): Graphviz took 188 s to lay out the overview of 5,000 components
and 6,665 flows here, for a file whose user moves the boxes by hand anyway. Each box
holds its components (and its inner boxes) in rows, boxes in rows beside each other,
in the view's order; draw.io routes the edges itself.

No timestamps or tool versions are written; ids are archgen's. Labels are plain text
(no ``html=1``) and every attribute is escaped by the XML writer, so model text never
becomes markup.
"""

from __future__ import annotations

import base64
import functools
import math
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, Any

from archgen.generators.export import _common as c

if TYPE_CHECKING:
    from archgen.generators.views import ViewSpec
    from archgen.model import Model

__all__ = ["GRAPHVIZ_MAX_COMPONENTS", "grid_layout", "render"]

#: Largest overview laid out by Graphviz (1.2 s for 1,000 components here); above it,
#: :func:`grid_layout` (Graphviz's time grows much faster than the model).
GRAPHVIZ_MAX_COMPONENTS = 1000

_PT = 1.0  # draw.io units are pixels at 100 %; Graphviz points map one to one
_NODE_STYLE = (
    "shape=image;aspect=fixed;imageAspect=1;verticalLabelPosition=bottom;verticalAlign=top;"
    "labelPosition=center;align=center;whiteSpace=wrap;fontSize=12;"
)
_BOX_STYLE = "rounded=1;whiteSpace=wrap;fontSize=12;fillColor=#FFFFFF;strokeColor=#2D3436;"
_GROUP_STYLE = (
    "rounded=1;dashed=1;container=1;collapsible=0;verticalAlign=top;align=left;spacingLeft=8;"
    "fontSize=12;fillColor=#E5F5FD;strokeColor=#AEB6BE;"
)
_EDGE_STYLE = "endArrow=classic;rounded=1;fontSize=11;strokeColor=#7B8894;"


def _bb(text: str) -> tuple[float, float, float, float]:
    x1, y1, x2, y2 = (float(v) for v in text.split(","))
    return x1, y1, x2, y2


def _num(value: float) -> str:
    return f"{round(value, 1) + 0.0:g}"


@functools.lru_cache(maxsize=512)
def _icon_data(dotted: str | None) -> str | None:
    from archgen.generators.draw import icon_file

    path = icon_file(dotted)
    if path is None or path.suffix.lower() != ".png":
        return None
    return "data:image/png," + base64.b64encode(path.read_bytes()).decode("ascii")


_GAP = 36.0  # points between neighbours in a row, and between rows
_PAD = 18.0  # inside a box, around what it holds
_TITLE = 30.0  # a box's label, above what it holds


def grid_layout(spec: ViewSpec) -> dict[str, Any]:
    """A layout in the shape of Graphviz's JSON (points, origin bottom left: ``bb``, and
    ``objects`` with ``cluster_<id>`` boxes and node ``pos``/``width``/``height``) made
    without Graphviz: each box's members in rows about as wide as the box is tall, the
    node sizes those archgen asks Graphviz for."""
    from archgen.generators.draw import cluster_tree, node_size

    boxes, members = cluster_tree(spec)
    placed: list[tuple[str, float, float, float, float]] = []  # name, x, y (top left, y down), w, h

    def pack(parent: str | None) -> tuple[float, float, list[tuple[str, float, float, float, float, list]]]:
        items: list[tuple[str, float, float, list]] = []
        for cl in boxes.get(parent, []):
            w, h, inner = pack(cl.id)
            items.append((f"cluster_{cl.id}", w + 2 * _PAD, h + 2 * _PAD + _TITLE, inner))
        for node in members.get(parent, []):
            w, h = node_size(node)
            items.append((node.id, w * 72, h * 72, []))
        if not items:
            return 0.0, 0.0, []
        area = sum((w + _GAP) * (h + _GAP) for _, w, h, _ in items)
        room = max(max(w for _, w, _, _ in items), math.sqrt(area) * 1.3)
        out, x, y, row_h, width = [], 0.0, 0.0, 0.0, 0.0
        for name, w, h, inner in items:
            if x > 0 and x + w > room:
                x, y, row_h = 0.0, y + row_h + _GAP, 0.0
            out.append((name, x, y, w, h, inner))
            x, row_h, width = x + w + _GAP, max(row_h, h), max(width, x + w)
        return width, y + row_h, out

    def place(items: list, ox: float, oy: float) -> None:
        for name, x, y, w, h, inner in items:
            placed.append((name, ox + x, oy + y, w, h))
            if name.startswith("cluster_"):
                place(inner, ox + x + _PAD, oy + y + _PAD + _TITLE)

    width, height, items = pack(None)
    place(items, 0.0, 0.0)
    objects: list[dict[str, Any]] = []
    for name, x, y, w, h in placed:
        bottom = height - (y + h)
        if name.startswith("cluster_"):
            objects.append({"name": name, "bb": f"{x:.2f},{bottom:.2f},{x + w:.2f},{bottom + h:.2f}"})
        else:
            objects.append({"name": name, "pos": f"{x + w / 2:.2f},{bottom + h / 2:.2f}", "width": f"{w / 72:.4f}", "height": f"{h / 72:.4f}"})
    return {"bb": f"0,0,{width:.2f},{height:.2f}", "objects": objects}


def render(model: Model, layout: dict[str, Any] | bytes | None = None) -> str:
    """The model's overview as a draw.io file (one page). ``layout``: Graphviz's JSON
    layout of :func:`~archgen.generators.views.overview_view` when the caller has it (the
    site takes it from the diagram cache); otherwise Graphviz is run here."""
    import json

    from archgen.generators import draw
    from archgen.generators.views import host_cluster, overview_view

    spec = overview_view(model)
    if isinstance(layout, bytes):
        laid = json.loads(layout)
    elif layout:
        laid = layout
    else:
        laid = draw.layout(spec) if len(spec.nodes) <= GRAPHVIZ_MAX_COMPONENTS else grid_layout(spec)
    height = _bb(laid["bb"])[3]
    objects = laid.get("objects", [])
    boxes: dict[str, tuple[float, float, float, float]] = {}  # cluster id -> x, y, w, h (top left)
    places: dict[str, tuple[float, float, float, float]] = {}  # node id -> x, y, w, h
    for obj in objects:
        if obj.get("name", "").startswith("cluster_") and "bb" in obj:
            x1, y1, x2, y2 = _bb(obj["bb"])
            boxes[obj["name"][len("cluster_"):]] = (x1, height - y2, x2 - x1, y2 - y1)
        elif "pos" in obj:
            x, y = (float(v) for v in obj["pos"].split(","))
            w, h = float(obj["width"]) * 72, float(obj["height"]) * 72
            places[obj["name"]] = (x - w / 2, height - y - h / 2, w, h)

    mxfile = ET.Element("mxfile", {"host": "archgen", "type": "device"})
    diagram = ET.SubElement(mxfile, "diagram", {"id": spec.name, "name": c.one_line(spec.title)})
    gm = ET.SubElement(diagram, "mxGraphModel", {
        "dx": "0", "dy": "0", "grid": "1", "gridSize": "10", "guides": "1", "tooltips": "1", "connect": "1",
        "arrows": "1", "fold": "1", "page": "1", "pageScale": "1", "pageWidth": _num(_bb(laid["bb"])[2]),
        "pageHeight": _num(height), "math": "0", "shadow": "0",
    })
    root = ET.SubElement(gm, "root")
    ET.SubElement(root, "mxCell", {"id": "0"})
    ET.SubElement(root, "mxCell", {"id": "1", "parent": "0"})
    cell_of_cluster = {cl.id: f"c-{cl.id}" for cl in spec.clusters}
    host_of_box = {host_cluster(cid): cid for cid in model.components}
    parent_of = {cl.id: cl.parent for cl in spec.clusters}

    def origin(cluster: str | None) -> tuple[float, float]:
        if cluster is None or cluster not in boxes:
            return 0.0, 0.0
        return boxes[cluster][0], boxes[cluster][1]

    def geometry(cell: ET.Element, box: tuple[float, float, float, float], inside: str | None) -> None:
        ox, oy = origin(inside)
        ET.SubElement(cell, "mxGeometry", {"x": _num(box[0] - ox), "y": _num(box[1] - oy), "width": _num(box[2]),
                                           "height": _num(box[3]), "as": "geometry"})

    depth = {cl.id: 0 for cl in spec.clusters}
    for cl in spec.clusters:
        p, d = cl.parent, 0
        while p is not None:
            d, p = d + 1, parent_of.get(p)
        depth[cl.id] = d
    for cl in sorted(spec.clusters, key=lambda x: (depth[x.id], x.id)):  # parents first
        if cl.id not in boxes:
            continue
        attrs = {"id": cell_of_cluster[cl.id], "label": c.one_line(cl.label)}
        if cl.style == "host":  # a cluster or VM drawn as a box around what runs on it
            attrs["archgen_host"] = host_of_box.get(cl.id, "")
        else:
            attrs["archgen_group"] = c.one_line(cl.label)
        obj = ET.SubElement(root, "object", attrs)
        cell = ET.SubElement(obj, "mxCell", {"style": _GROUP_STYLE, "vertex": "1",
                                             "parent": cell_of_cluster.get(cl.parent or "", "1") if cl.parent in boxes else "1"})
        geometry(cell, boxes[cl.id], cl.parent if cl.parent in boxes else None)

    icons: dict[str, str] = {}  # icon data -> its token in the tree
    for node in spec.nodes:
        comp = model.components.get(node.id)
        attrs: dict[str, Any] = {"id": f"n-{node.id}", "label": c.one_line(node.label)}
        if comp is not None:
            attrs.update({"archgen_id": comp.id, "archgen_kind": comp.kind, "archgen_service": c.service_key(model, comp) or "",
                          "archgen_icon": node.icon or ""})
        obj = ET.SubElement(root, "object", attrs)
        data = _icon_data(node.icon)
        if data:  # the tree holds a token; the data (base64, nothing to escape) goes in after
            token = icons.setdefault(data, f"\x00{len(icons)}\x00")
        style = (_NODE_STYLE + f"image={token};") if data else _BOX_STYLE
        inside = node.cluster if node.cluster in boxes else None
        cell = ET.SubElement(obj, "mxCell", {"style": style, "vertex": "1", "parent": cell_of_cluster[inside] if inside else "1"})
        box = places.get(node.id, (0.0, 0.0, 80.0, 80.0))
        if data:  # the icon is the node's square; the label sits under it
            side = min(box[2], box[3] - 24)
            box = (box[0] + (box[2] - side) / 2, box[1], side, side)
        geometry(cell, box, inside)

    for n, edge in enumerate(spec.edges, start=1):
        cell = ET.SubElement(root, "mxCell", {"id": f"e-{n}", "value": c.one_line(edge.label), "style": _EDGE_STYLE,
                                              "edge": "1", "parent": "1", "source": f"n-{edge.source}", "target": f"n-{edge.target}"})
        ET.SubElement(cell, "mxGeometry", {"relative": "1", "as": "geometry"})
    ET.indent(mxfile, space="  ")
    note = ET.Comment(f" {c.generated_note(model).replace('--', '- -')} ")
    text = ET.tostring(mxfile, encoding="unicode")
    # model text reaches the tree only through one_line, which turns control characters
    # into spaces (ids, kinds and icons are slugs): a NUL here is one of the tokens
    pieces = text.split("\x00")  # text, icon number, text, icon number, ... text
    data_of = list(icons)
    pieces[1::2] = [data_of[int(n)] for n in pieces[1::2]]
    text = "".join(pieces)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(note, encoding="unicode") + "\n" + text + "\n"
