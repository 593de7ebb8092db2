"""How to draw: view specs to DOT (through the ``diagrams`` package), DOT to SVG or PNG
(through Graphviz ``dot``), with icons embedded, a render cache and parallel renders.

This is the only module that imports ``diagrams``. It is pure in what it returns:
:func:`render` gives ``{"<view>.<format>": bytes}`` and the caller writes the files; the
only files it writes itself are cache entries, through :mod:`archgen.writer`.

What makes the output stable and publishable:

- node ids are the spec's ids (``nodeid=``), never ``diagrams``' random ones;
- icons are named in DOT by their path *inside* the ``diagrams`` installation and found
  through ``dot -Gimagepath=...``: no absolute path in the DOT (so golden files hold on
  every machine) and none in the SVG;
- every icon is embedded once per SVG (``<symbol>`` in ``<defs>`` holding a ``data:`` URI,
  drawn with ``<use>``), so the SVG shows its icons when opened alone, inside ``<img>``
  or on a published site;
- Graphviz's comments (its version, the graph name) are stripped; ``splines=spline``
  (``ortho``, the ``diagrams`` default, dominates layout time on large graphs);
- text from the model is escaped for DOT (backslash escapes, ``&`` entities, quotes,
  ``<...>`` HTML-like labels) and Graphviz escapes it again for SVG.

The cache key is a hash of the view spec (what is drawn), the format, Graphviz's version,
the ``diagrams`` version (its icons) and this module's own source: a rebuild with no
change builds no DOT and runs no ``dot`` at all. That key can be computed by anyone, so
an entry is used only if it carries the seal of this user's own key
(:func:`archgen.writer.read_sealed`); a poisoned entry is ignored and drawn again.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import itertools
import json
import math
import os
import re
import shutil
import struct
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any

from archgen.rendering import formats
from archgen.errors import ArchgenError
from archgen.generators import svglayout
from archgen.generators.views import CLUSTER_STYLES, EDGE_STYLES, NODE_STYLES, STATUSES, ClusterSpec, EdgeSpec, NodeSpec, ViewSpec

__all__ = ["FORMATS", "LAYOUT_FORMAT", "RENDERER_VERSION", "DrawError", "RenderStats", "Rendering", "dot_pool", "graphviz_version", "icon_file", "layout", "node_size", "render", "start_render", "to_dot"]

#: Bump when the DOT this module writes or the SVG post-processing changes: it is part
#: of the cache key, so old cache entries stop matching.
RENDERER_VERSION = "1"
#: What Graphviz draws: the "diagram" output of the format registry.
FORMATS = formats.names("diagram")
#: Graphviz's layout as JSON (``dot -Tjson``): not a picture, but rendered and cached like
#: one, for the draw.io export (:func:`layout`).
LAYOUT_FORMAT = "json"
#: Longest a single ``dot`` run may take before archgen gives up on it.
DOT_TIMEOUT_S = 600
#: Lines a node's label and its note keep (the rest becomes an ellipsis).
LABEL_LINES = 4
NOTE_LINES = 4
#: A single word longer than this is shortened before it is fitted (see _node_lines).
LONGEST_WORD = 36

_GRAPH_ATTRS = {
    "splines": "spline",
    "pad": "0.3",
    "nodesep": "0.6",
    "ranksep": "0.9",
    "fontsize": "16",
    "labelloc": "t",
    "labeljust": "l",
}
# `diagrams`' own node defaults (fixed 1.4 x 1.9 in boxes, label under the icon) are kept.
_NODE_ATTRS: dict[str, str] = {}

# `diagrams` puts its edge font on every edge; said once for the graph instead.
_EDGE_ATTRS = {"fontcolor": "#2D3436", "fontname": "Sans-Serif", "fontsize": "13"}

#: Views with more edges than this give Graphviz their edge labels as ``xlabel``: placed
#: after the layout instead of as a rank of their own. On the 5,000-component benchmark
#: model the data view (1,621 edges, 250 clusters) then lays out in 1.2 s with its
#: clusters, where with ``label`` Graphviz 2.43 fails after 5.9 s ("trouble in
#: init_rank", a known fault of labelled edges between clusters) and has to be drawn
#: again without them (1.1 s). The 1,000-component views (306 edges at most) keep theirs.
XLABEL_EDGES = 400

_ICON_NODE_HEIGHT = 1.9  # as `diagrams` draws a node with an icon
_NODE_WIDTH = 1.4  # `diagrams`' fixed node width (inches)
_LINE_HEIGHT = 0.25
_FONT_POINTS = 13  # `diagrams`' node font size
#: Kept free between a node's text and its side (points): Graphviz ends an edge at the
#: node's side, so a text that reaches it (or overflows it) is where arrowheads land.
_TEXT_MARGIN = 3.0
#: How wide a node's line may be in the node as `diagrams` draws it (points).
_TEXT_ROOM = _NODE_WIDTH * 72 - 2 * _TEXT_MARGIN
#: The widest line a node grows to hold at :data:`SMALLEST_FONT` (one long word, such
#: as a rule id): twice `diagrams`' width. A wider word is shortened.
_WIDEST_TEXT = 2 * _NODE_WIDTH * 72 - 2 * _TEXT_MARGIN
#: The smallest font a long word is drawn in before it is shortened.
SMALLEST_FONT = 10

# -- styles: what each spec style and status looks like --------------------------------

_BOX = {"shape": "box", "style": "rounded,filled", "penwidth": "2"}
NODE_LOOK: dict[str, dict[str, str]] = {
    "normal": {},
    "muted": {"fontcolor": "#9AA3AB"},
    "context": {**_BOX, "style": "rounded,dashed", "color": "#B0BEC5", "penwidth": "1", "fontcolor": "#78909C"},
    "sensitive": {**_BOX, "color": "#7B1FA2", "fillcolor": "#F3E5F5", "fontcolor": "#4A148C"},
    "exposed": {**_BOX, "color": "#C62828", "fillcolor": "#FFEBEE", "fontcolor": "#B71C1C"},
    "error": {**_BOX, "color": "#C62828", "fillcolor": "#FFEBEE", "penwidth": "3", "fontcolor": "#B71C1C"},
    "warning": {**_BOX, "color": "#E65100", "fillcolor": "#FFF3E0", "fontcolor": "#BF360C"},
    "group": {**_BOX, "color": "#607D8B", "fillcolor": "#ECEFF1", "penwidth": "1.5", "labelloc": "c", "fixedsize": "false", "width": "2.2", "height": "0.9"},
    "summary": {**_BOX, "color": "#90A4AE", "fillcolor": "#FAFAFA", "penwidth": "1", "labelloc": "c", "fixedsize": "false", "width": "2.2", "height": "0.9"},
    # the system as one box (the context view): C4's blue software-system box
    "system": {**_BOX, "color": "#0B4884", "fillcolor": "#1168BD", "fontcolor": "#FFFFFF", "penwidth": "1.5", "labelloc": "c", "fixedsize": "false", "width": "2.6", "height": "1.2"},
}
EDGE_LOOK: dict[str, dict[str, str]] = {
    "normal": {},
    "muted": {"color": "#D5DBE0", "fontcolor": "#9AA3AB"},
    "sensitive": {"color": "#7B1FA2", "fontcolor": "#4A148C", "penwidth": "2.5"},
    "implicit": {"style": "dashed", "color": "#90A4AE"},
    "aggregate": {"color": "#546E7A", "penwidth": "1.5"},
}
CLUSTER_LOOK: dict[str, dict[str, str]] = {
    "group": {"bgcolor": "#E5F5FD", "pencolor": "#AEB6BE"},
    "context": {"bgcolor": "#F7F8F9", "pencolor": "#CFD8DC", "style": "rounded,dashed", "fontcolor": "#78909C"},
    "internet": {"bgcolor": "#FFFFFF", "pencolor": "#90A4AE", "style": "rounded,dashed"},
    "external": {"bgcolor": "#FAFAFA", "pencolor": "#90A4AE", "style": "rounded,dashed"},
    "cloud": {"bgcolor": "#F4F8FB", "pencolor": "#78909C"},
    "edge": {"bgcolor": "#FFF3E0", "pencolor": "#EF6C00"},
    "private": {"bgcolor": "#EBF3E7", "pencolor": "#81A87A"},
    "tier": {"bgcolor": "#FFFFFF", "pencolor": "#AEB6BE"},
    # a Kubernetes cluster (or VM) around what runs on it
    "host": {"bgcolor": "#EEF2FC", "pencolor": "#3F6AD8", "penwidth": "2"},
    # a trust zone of its own (on premises, the corporate network...): solid when
    # trusted, dashed when not (a partner)
    "zone": {"bgcolor": "#F6F4EF", "pencolor": "#8D7B5A", "penwidth": "1.5"},
    "untrusted": {"bgcolor": "#FFFFFF", "pencolor": "#B0876A", "style": "rounded,dashed", "penwidth": "1.5"},
    # what the provider runs outside the private network (S3, Lambda, DynamoDB...)
    "managed": {"bgcolor": "#FFFFFF", "pencolor": "#90A4AE", "style": "rounded,dashed"},
    "system": {"bgcolor": "#FFFFFF", "pencolor": "#0B4884"},
}
#: A diff's statuses: they win over the style's colours.
STATUS_NODE_LOOK: dict[str, dict[str, str]] = {
    "added": {**_BOX, "color": "#2E7D32", "fillcolor": "#E8F5E9", "penwidth": "3", "fontcolor": "#1B5E20"},
    "removed": {**_BOX, "style": "rounded,dashed,filled", "color": "#C62828", "fillcolor": "#FFEBEE", "penwidth": "2.5", "fontcolor": "#B71C1C"},
    "changed": {**_BOX, "color": "#F59E0B", "fillcolor": "#FFF8E1", "penwidth": "3", "fontcolor": "#8D5A00"},
    "unchanged": {"fontcolor": "#9AA3AB"},
}
STATUS_EDGE_LOOK: dict[str, dict[str, str]] = {
    "added": {"color": "#2E7D32", "fontcolor": "#1B5E20", "penwidth": "2.5", "style": "solid"},
    "removed": {"color": "#C62828", "fontcolor": "#B71C1C", "penwidth": "2", "style": "dashed"},
    "changed": {"color": "#F59E0B", "fontcolor": "#8D5A00", "penwidth": "2.5", "style": "solid"},
    "unchanged": {"color": "#BDBDBD", "fontcolor": "#9E9E9E"},
}
assert set(NODE_LOOK) == set(NODE_STYLES) and set(EDGE_LOOK) == set(EDGE_STYLES)
assert set(CLUSTER_LOOK) == set(CLUSTER_STYLES) and set(STATUS_NODE_LOOK) == set(STATUSES) == set(STATUS_EDGE_LOOK)


class DrawError(ArchgenError):
    """Graphviz is missing or failed (exit 2, no traceback)."""


@dataclass
class RenderStats:
    """What a :func:`render` call did: cache hits, ``dot`` runs and their time."""

    hits: int = 0
    misses: int = 0
    dot_runs: int = 0
    dot_seconds: float = 0.0
    #: views Graphviz could only lay out with their clusters undrawn (see render)
    unclustered: list[str] = field(default_factory=list)
    #: views Graphviz laid out with their clusters once their edge labels were xlabels
    relabelled: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------
# text for DOT


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _wrap(text: str, width: int, max_lines: int) -> list[str]:
    """Model text in lines of about ``width`` characters, broken between words only (a
    word longer than a line gets a line of its own, and its node grows to hold it); a
    word longer than :data:`LONGEST_WORD` and lines beyond ``max_lines`` are shortened
    with an ellipsis after the last whole word (the SVG's ``<title>`` keeps it all)."""
    words = " ".join(_CONTROL.sub(" ", str(text)).split())
    if len(words) <= width:
        return [words]
    parts = [w if len(w) <= LONGEST_WORD else w[: LONGEST_WORD - 1] + "…" for w in words.split(" ")]
    lines = textwrap.wrap(" ".join(parts), width=width, break_long_words=False, break_on_hyphens=False) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        if len(last) >= width and " " in last:
            last = last.rsplit(" ", 1)[0]
        lines[-1] = last.rstrip("…") + "…"
    return lines


def dot_text(lines: Iterable[str]) -> str:
    """Lines of model text as one DOT label that Graphviz shows literally.

    Backslashes are doubled (no ``\\N``, ``\\G``, ``\\l`` escapes survive), ``&`` becomes
    ``&amp;`` (no entity survives), and the result is marked non-HTML so a label such as
    ``<script>`` is a quoted string, never an HTML-like label. The graphviz package then
    quotes it and escapes its double quotes.
    """
    from graphviz import nohtml

    parts = [_CONTROL.sub(" ", line).replace("\\", "\\\\").replace("&", "&amp;") for line in lines]
    return nohtml("\\n".join(parts))


def _fill(text: str, room: float, size: float) -> list[str]:
    """``text`` in lines no wider than ``room`` points at ``size`` (DejaVu Sans advance
    widths), broken between words only: a word wider than a line gets a line of its own."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and svglayout.text_width(f"{lines[-1]} {word}", size) <= room:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _clean(text: str) -> str:
    words = " ".join(_CONTROL.sub(" ", str(text)).split())
    return " ".join(w if len(w) <= LONGEST_WORD else w[: LONGEST_WORD - 1] + "…" for w in words.split(" "))


@functools.lru_cache(maxsize=1 << 14)
def _fit(label: str, note: str | None, room: float = _TEXT_ROOM, smallest: int = SMALLEST_FONT) -> tuple[str, ...]:
    """A node's label and note as the lines it shows, measured, not counted: the largest
    font from `diagrams`' 13 points down to :data:`SMALLEST_FONT` at which the label
    fills at most :data:`LABEL_LINES` lines (the note :data:`NOTE_LINES`) that each fit
    inside the node (``room``), broken between words only. At the smallest
    font, lines beyond those are dropped and the last kept line ends with an ellipsis
    after a whole word, and a word too wide even for :data:`_WIDEST_TEXT` is shortened
    with one (the SVG's ``<title>`` keeps it all); a word between the two widens its node
    (:func:`_node_width`)."""
    text = _clean(label)
    parts = [_clean(part) for part in note.split("\n")] if note else []
    for size in range(int(_FONT_POINTS), smallest - 1, -1):
        head = _fill(text, room, size)
        tail = [line for part in parts for line in _fill(part, room, size)]
        widest = max(svglayout.text_width(line, size) for line in head + tail)
        if len(head) <= LABEL_LINES and len(tail) <= NOTE_LINES and widest <= room:
            return tuple(head + tail)
    head, tail = _cut(head, LABEL_LINES), _cut(tail, NOTE_LINES) if tail else []
    return tuple(_shorten(line, _WIDEST_TEXT, SMALLEST_FONT) for line in head + tail)


def _cut(lines: list[str], most: int) -> list[str]:
    """The first ``most`` lines, the last ending with an ellipsis when any were dropped."""
    if len(lines) <= most:
        return lines
    last = lines[most - 1].rstrip("…")
    if " " in last and svglayout.text_width(last + "…", SMALLEST_FONT) > _TEXT_ROOM:
        last = last.rsplit(" ", 1)[0]
    return [*lines[: most - 1], last + "…"]


def _node_lines(node: NodeSpec) -> list[str]:
    """A node's label and note as the lines it shows (see :func:`_fit`). A node that
    grows to hold its text (``fixedsize=false``) keeps 13 points in its own width."""
    look = NODE_LOOK[node.style]
    if look.get("fixedsize") == "false":
        return list(_fit(node.label, node.note, float(look["width"]) * 72 - 2 * _TEXT_MARGIN, int(_FONT_POINTS)))
    return list(_fit(node.label, node.note))


def _shorten(line: str, room: float, size: float) -> str:
    if svglayout.text_width(line, size) <= room:
        return line
    while len(line) > 1 and svglayout.text_width(line + "…", size) > room:
        line = line[:-1]
    return line.rstrip() + "…"


def _font_size(lines: Sequence[str]) -> int:
    """The largest font, from `diagrams`' 13 points down to :data:`SMALLEST_FONT`, at
    which every line fits inside its node: a long word is drawn smaller rather than
    broken, cut, or laid over the node's side where edges end."""
    widest = max((svglayout.text_width(line, 1.0) for line in lines), default=0.0)
    for size in range(int(_FONT_POINTS), SMALLEST_FONT, -1):
        if widest * size <= _TEXT_ROOM:
            return size
    return SMALLEST_FONT


def _node_width(lines: Sequence[str], size: int) -> float:
    """How much wider than `diagrams`' 1.4 in a node must be (inches) to hold its widest
    line with :data:`_TEXT_MARGIN` on each side (0: it fits)."""
    widest = max((svglayout.text_width(line, size) for line in lines), default=0.0)
    return max(0.0, (widest + 2 * _TEXT_MARGIN) / 72 - _NODE_WIDTH)


# ---------------------------------------------------------------------------
# icons


@functools.lru_cache(maxsize=1)
def _diagrams_root() -> Path:
    """The folder ``diagrams`` resolves its icon paths against (its own parent)."""
    import diagrams

    return Path(diagrams.__file__).resolve().parent.parent


@functools.lru_cache(maxsize=1)
def _diagrams_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("diagrams")
    except PackageNotFoundError:  # pragma: no cover - a source checkout
        return "unknown"


@functools.lru_cache(maxsize=None)
def _icon(dotted: str | None) -> tuple[type, str | None]:
    """The ``diagrams`` class for an icon path and its icon's path relative to
    :func:`_diagrams_root`; the plain ``diagrams.Node`` (a box) when unknown."""
    import diagrams

    if dotted and dotted.startswith("diagrams.") and "." in dotted[9:]:
        module_name, _, cls_name = dotted.rpartition(".")
        try:
            cls = getattr(import_module(module_name), cls_name)
        except (ImportError, AttributeError):
            cls = None
        if isinstance(cls, type) and issubclass(cls, diagrams.Node) and cls._icon_dir and cls._icon:
            rel = f"{cls._icon_dir}/{cls._icon}"
            if (_diagrams_root() / rel).is_file():
                return cls, rel
    return diagrams.Node, None


# ---------------------------------------------------------------------------
# spec -> DOT


def _svg_id(prefix: str, value: str) -> str:
    return f"{prefix}-{value}"


def _node_attrs(node: NodeSpec, icon: str | None, lines: Sequence[str]) -> dict[str, str]:
    attrs: dict[str, str] = {"id": _svg_id("n", node.id)}
    size = _font_size(lines)
    wider = _node_width(lines, size)
    if icon:
        attrs["image"] = icon  # relative: found through -Gimagepath at render time
        # a wider node draws its icon as wide (Graphviz scales it to fit): as much taller
        attrs["height"] = f"{_ICON_NODE_HEIGHT + wider + _LINE_HEIGHT * max(0, len(lines) - 1):.2f}"
        if len(lines) > 2:
            # Graphviz centres the icon in the node, which grows by less than a line per
            # line: from three lines on, the label would climb over it
            attrs["imagepos"] = "tc"
    else:
        attrs.update({"shape": "box", "style": "rounded", "labelloc": "c", "height": f"{0.5 + _LINE_HEIGHT * len(lines):.2f}"})
    if wider:
        attrs["width"] = f"{_NODE_WIDTH + wider:.2f}"
    attrs.update(NODE_LOOK[node.style])
    if size != _FONT_POINTS and attrs.get("fixedsize") != "false":
        attrs["fontsize"] = str(size)
    if node.status is not None:
        attrs.update(STATUS_NODE_LOOK[node.status])
    if not icon and attrs.get("shape") == "box" and "filled" not in attrs.get("style", ""):
        attrs["style"] = attrs.get("style", "rounded") + ",filled"
        attrs.setdefault("fillcolor", "#FFFFFF")
    return attrs


@functools.lru_cache(maxsize=1)
def _diagrams_defaults() -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, str]]:
    """What ``diagrams`` puts on every diagram, node, edge and cluster before archgen's
    own attributes: read from its classes, so a new ``diagrams`` release is followed."""
    import diagrams

    return (
        dict(diagrams.Diagram._default_graph_attrs),
        dict(diagrams.Diagram._default_node_attrs),
        dict(diagrams.Diagram._default_edge_attrs),
        dict(diagrams.Cluster._default_graph_attrs),
    )


@functools.lru_cache(maxsize=1 << 16, typed=True)
def _q(value: str) -> str:
    """The ``graphviz`` package's quoting of one identifier or value (``typed``: a
    ``nohtml`` label and an equal plain string quote differently)."""
    from graphviz.quoting import quote

    return quote(value)


def _attr_list(label: str | None, attrs: dict[str, str]) -> str:
    """`` [label=... key=value ...]`` as the ``graphviz`` package writes it: the label
    first, the other attributes sorted, nothing for an empty list."""
    parts = [] if label is None else [f"label={_q(label)}"]
    parts += [f"{_q(k)}={_q(v)}" for k, v in sorted(attrs.items()) if v is not None]
    return f" [{' '.join(parts)}]" if parts else ""


def _node_line(node: NodeSpec, indent: str) -> str:
    _, icon = _icon(node.icon)
    lines = _node_lines(node)
    # a `diagrams` class with an icon starts from shape=none (its height and image are
    # archgen's: below); the plain `diagrams.Node` from nothing
    attrs = {"shape": "none"} if icon else {}
    attrs.update(_node_attrs(node, icon, lines))
    return f"{indent}{_q(node.id)}{_attr_list(dot_text(lines), attrs)}\n"


def _cluster_lines(
    cluster: ClusterSpec,
    depth: int,
    children: dict[str | None, list[ClusterSpec]],
    members: dict[str | None, list[NodeSpec]],
    out: list[str],
    points: dict[str | None, list[str]] | None = None,
) -> None:
    """A cluster as ``diagrams.Cluster`` adds it: its own graph attributes, its nodes, then
    its child clusters, one more tab for each level of nesting."""
    cluster_defaults = _diagrams_defaults()[3]
    attrs = {
        **cluster_defaults,
        "label": dot_text(_wrap(cluster.label, 60, 2)),
        "rankdir": "LR",
        "id": _svg_id("c", cluster.id),
        **CLUSTER_LOOK[cluster.style],  # its bgcolor wins over diagrams' colour by depth
    }
    tabs = "\t" * depth
    out.append(f"{tabs}subgraph {_q(f'cluster_{cluster.id}')} {{\n")  # pinned, not from the label
    out.append(f"{tabs}\tgraph{_attr_list(None, attrs)}\n")
    for node in members.get(cluster.id, []):
        out.append(_node_line(node, tabs + "\t"))
    for child in children.get(cluster.id, []):
        _cluster_lines(child, depth + 1, children, members, out, points)
    out.extend(_point_line(p, tabs + "\t") for p in (points or {}).get(cluster.id, []))
    out.append(f"{tabs}}}\n")


def _point_line(point: str, indent: str) -> str:
    """An invisible point of the grid (:func:`grid`)."""
    attrs = {k: v for k, v in GRID_POINT.items() if k != "label"}
    return f"{indent}{_q(point)}{_attr_list('', attrs)}\n"


def edge_look(edge: EdgeSpec, outside: bool = False) -> tuple[str, dict[str, str]]:
    """An edge's label (DOT text, empty for none) and its attributes. ``outside``: the
    label goes in ``xlabel``, placed by Graphviz after the layout (see
    :data:`XLABEL_EDGES`), and the label itself is empty."""
    attrs = dict(EDGE_LOOK[edge.style])
    if edge.asynchronous:  # a message or an event: nobody waits for it
        attrs["style"] = "dashed"
    if edge.status is not None:
        attrs.update(STATUS_EDGE_LOOK[edge.status])
    label = dot_text(_wrap(edge.label, 28, 3)) if edge.label else ""
    if outside and label:
        attrs["xlabel"] = label
        label = ""
    return label, attrs


def cluster_tree(spec: ViewSpec) -> tuple[dict[str | None, list[ClusterSpec]], dict[str | None, list[NodeSpec]]]:
    """The view's clusters by parent and its nodes by cluster (``None``: the top level),
    each in the spec's order."""
    children: dict[str | None, list[ClusterSpec]] = {}
    for c in spec.clusters:
        children.setdefault(c.parent, []).append(c)
    members: dict[str | None, list[NodeSpec]] = {}
    for n in spec.nodes:
        members.setdefault(n.cluster, []).append(n)
    return children, members


#: The invisible edges and points of the grid. An edge orders ranks (``minlen`` 1) and
#: pulls its ends together as a flow does (weight 1: with weight 0 a node that only the
#: grid constrains fell back to the first rank, and the columns to one again).
GRID_EDGE = {"style": "invis"}
GRID_POINT = {"shape": "point", "style": "invis", "width": "0", "height": "0", "label": ""}


#: How many nodes tall a column of the grid is, times the square root of the level's
#: node count (measured at 1,000 components: see docs/diagrams.md, "Large models").
GRID_TALL = 0.6


def grid(spec: ViewSpec) -> tuple[dict[str | None, list[str]], list[tuple[str, str]]]:
    """Invisible nodes and edges that lay a large view out in columns, not in one column.

    Graphviz puts nodes with no edge between them in the same rank, and a rank of a
    left-to-right view is one column: the 145 flagged components of the 1,000-component
    findings view (8 flows between them) made a picture 632 px wide and 35,411 px tall.
    Here each box of a level (a cluster with all it holds, or a node outside any) is a
    *unit*; a level's units, in the spec's order, fill columns of about the square root
    of the level's node count, and an invisible point after each column (the column's
    last node has an edge to it, it has an edge to every node of the next) starts the
    next column where the previous one ends. Levels inside boxes are arranged the same
    way. Returns the points by the cluster they go in (``None``: the top level) and the
    edges; nothing unless the view's ``layout`` is ``grid``."""
    points: dict[str | None, list[str]] = {}
    edges: list[tuple[str, str]] = []
    if spec.layout != "grid":
        return points, edges
    children, members = cluster_tree(spec)
    inside: dict[str | None, list[str]] = {}

    def collect(cid: str | None) -> list[str]:
        ids = [n.id for n in members.get(cid, [])]
        for child in children.get(cid, []):
            ids += collect(child.id)
        inside[cid] = ids
        return ids

    collect(None)

    def arrange(cid: str | None) -> None:
        units = [inside[c.id] for c in children.get(cid, [])] + [[n.id] for n in members.get(cid, [])]
        for child in children.get(cid, []):
            arrange(child.id)
        if len(units) < 2:
            return
        heights = [math.ceil(math.sqrt(len(u))) for u in units]
        room = max(max(heights), math.ceil(GRID_TALL * math.sqrt(sum(len(u) for u in units))))
        columns: list[list[str]] = [[]]
        used = 0
        for unit, h in zip(units, heights):
            if columns[-1] and used + h > room:
                columns.append([])
                used = 0
            columns[-1].extend(unit)
            used += h
        for i, (left, right) in enumerate(itertools.pairwise(columns)):
            point = f"grid.{cid or ''}.{i}"  # no component id has a dot
            points.setdefault(cid, []).append(point)
            # one edge in is enough to rank the point after its column (whose nodes the
            # point before it ranks); every node of the next column needs its edge out.
            # Tying every node of the column to the point too cost Graphviz 1.8x the time
            # on the 1,000-component group views, for the same columns.
            edges.append((left[-1], point))
            edges.extend((point, b) for b in right)

    arrange(None)
    return points, edges


def to_dot(spec: ViewSpec, outside_labels: bool | None = None) -> str:
    """The view as DOT text: what the ``diagrams`` package writes for it (its defaults,
    a node class per icon, clusters, ``>>`` edges) byte for byte, without creating its
    objects; byte-stable for an equal spec, with icon paths relative to the ``diagrams``
    installation. ``tests/diagrams_reference.py`` builds the same view through
    ``diagrams`` and the tests hold the two equal. ``outside_labels``: edge labels as
    ``xlabel`` (default: for views of more than :data:`XLABEL_EDGES` edges)."""
    if spec.direction not in ("LR", "TB", "RL", "BT"):
        raise ValueError(f"view {spec.name}: direction {spec.direction!r}")
    graph_defaults, node_defaults, edge_defaults, _ = _diagrams_defaults()
    graph_attrs = {
        **graph_defaults,
        "rankdir": spec.direction,
        **_GRAPH_ATTRS,
        "label": dot_text(_wrap(spec.title, 120, 2)),
    }
    out = [
        f"digraph {_q(spec.name)} {{\n",
        f"\tgraph{_attr_list(None, graph_attrs)}\n",
        f"\tnode{_attr_list(None, {**node_defaults, **_NODE_ATTRS})}\n",
        f"\tedge{_attr_list(None, {**edge_defaults, **_EDGE_ATTRS})}\n",
    ]
    children, members = cluster_tree(spec)
    points, grid_edges = grid(spec)
    for cluster in children.get(None, []):
        _cluster_lines(cluster, 1, children, members, out, points)
    for node in members.get(None, []):
        out.append(_node_line(node, "\t"))
    out.extend(_point_line(p, "\t") for p in points.get(None, []))
    # before the flows: Graphviz breaks cycles along the edges in the order given, so
    # a flow back to an earlier column is the edge it turns round, not the grid's
    grid_attrs = _attr_list(None, {**GRID_EDGE, "dir": "forward"})  # the same on every one
    out.extend(f"\t{_q_edge(a)} -> {_q_edge(b)}{grid_attrs}\n" for a, b in grid_edges)
    outside = (spec.layout == "grid" or len(spec.edges) > XLABEL_EDGES) if outside_labels is None else outside_labels
    for edge in spec.edges:
        label, attrs = edge_look(edge, outside)
        attrs = {k: v for k, v in attrs.items() if v or k not in ("color", "style")}
        attrs["dir"] = "forward"  # as `diagrams` draws `a >> Edge() >> b`
        out.append(f"\t{_q_edge(edge.source)} -> {_q_edge(edge.target)}{_attr_list(label or None, attrs)}\n")
    out.append("}\n")
    return "".join(out)


@functools.lru_cache(maxsize=1 << 16)
def _q_edge(node_id: str) -> str:
    from graphviz.quoting import quote_edge

    return quote_edge(node_id)


def _titles(spec: ViewSpec) -> dict[str, str]:
    """Each node's whole text, for its SVG ``<title>`` (a reader's tooltip): its label,
    then its note, unwrapped and never shortened."""
    out = {}
    for n in spec.nodes:
        text = " ".join(_CONTROL.sub(" ", n.label).split())
        if n.note:
            text += "\n" + "\n".join(" ".join(_CONTROL.sub(" ", part).split()) for part in n.note.split("\n"))
        out[_svg_id("n", n.id)] = text
    return out


def _icons_of(spec: ViewSpec) -> list[str]:
    return sorted({rel for n in spec.nodes for rel in [_icon(n.icon)[1]] if rel})


# ---------------------------------------------------------------------------
# SVG post-processing


_COMMENT = re.compile(r"<!--.*?-->\n?", re.S)
_IMAGE = re.compile(r"<image\b([^>]*?)/?>(?:\s*</image>)?")
_ATTR = re.compile(r'([\w:-]+)="([^"]*)"')
_SVG_OPEN = re.compile(r"<svg\b[^>]*>")
_MIME = {".png": "image/png", ".svg": "image/svg+xml", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def _symbol_id(rel: str) -> str:
    return "icon-" + re.sub(r"[^a-z0-9]+", "-", rel.lower().rsplit(".", 1)[0]).strip("-")


@functools.lru_cache(maxsize=512)
def _symbol(rel: str) -> str:
    """One ``<symbol>`` holding an icon as a data: URI, sized from the PNG header."""
    data = (_diagrams_root() / rel).read_bytes()
    mime = _MIME.get(Path(rel).suffix.lower(), "application/octet-stream")
    uri = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        w, h = struct.unpack(">II", data[16:24])
        return (
            f'<symbol id="{_symbol_id(rel)}" viewBox="0 0 {w} {h}" preserveAspectRatio="xMinYMin meet">'
            f'<image width="{w}" height="{h}" xlink:href="{uri}"/></symbol>'
        )
    return (
        f'<symbol id="{_symbol_id(rel)}"><image width="100%" height="100%" '
        f'preserveAspectRatio="xMinYMin meet" xlink:href="{uri}"/></symbol>'
    )


def embed_icons(svg: str, icons: Sequence[str]) -> str:
    """Graphviz's SVG with its comments gone and each ``<image>`` (a file path) turned into
    a ``<use>`` of one embedded ``<symbol>`` per distinct icon. An image that is not one of
    ``icons`` is dropped rather than left pointing at a local file."""
    svg = _COMMENT.sub("", svg)
    used: set[str] = set()

    def replace(m: re.Match[str]) -> str:
        attrs = dict(_ATTR.findall(m.group(1)))
        href = attrs.get("xlink:href") or attrs.get("href") or ""
        rel = next((r for r in icons if href == r or href.endswith("/" + r)), None)
        if rel is None:
            return ""
        used.add(rel)
        geometry = " ".join(f'{k}="{attrs[k]}"' for k in ("x", "y", "width", "height") if k in attrs)
        return f'<use xlink:href="#{_symbol_id(rel)}" {geometry}/>'

    svg = _IMAGE.sub(replace, svg)
    if used:
        defs = "<defs>" + "".join(_symbol(r) for r in sorted(used)) + "</defs>"
        m = _SVG_OPEN.search(svg)
        if m is None:  # pragma: no cover - Graphviz always writes <svg>
            raise DrawError("Graphviz wrote SVG without an <svg> element")
        opening = m.group(0)
        if "xmlns:xlink" not in opening:
            opening = opening[:-1] + ' xmlns:xlink="http://www.w3.org/1999/xlink">'
        svg = svg[: m.start()] + opening + "\n" + defs + svg[m.end() :]
    return svg


# ---------------------------------------------------------------------------
# Graphviz


#: The ``exe`` that means "Graphviz's libraries from the pygraphviz wheel" (no ``dot`` program).
PYGRAPHVIZ = "pygraphviz"
#: ``ARCHGEN_GRAPHVIZ``: ``dot`` (the program only), ``pygraphviz`` (the wheel only), unset: dot, else pygraphviz.
ENGINE_ENV = "ARCHGEN_GRAPHVIZ"


def _has_pygraphviz() -> bool:
    import importlib.util

    return importlib.util.find_spec("pygraphviz") is not None


def _find_dot() -> str:
    """Graphviz: the ``dot`` program on PATH, else the pygraphviz wheel's libraries
    (:data:`PYGRAPHVIZ`, laid out by :mod:`archgen.generators.gvdot` worker processes)."""
    wanted = os.environ.get(ENGINE_ENV, "").strip().lower()
    if wanted not in ("", "dot", PYGRAPHVIZ):
        raise DrawError(f"{ENGINE_ENV}={wanted!r}: use 'dot', 'pygraphviz', or leave it unset")
    exe = shutil.which("dot") if wanted != PYGRAPHVIZ else None
    if exe is not None:
        return exe
    if wanted != "dot" and _has_pygraphviz():
        return PYGRAPHVIZ
    raise DrawError(
        "Graphviz is not installed: no 'dot' on PATH and no pygraphviz. Install it with "
        "pip install 'archgen[graphviz]' (Graphviz's libraries in a wheel, no system package), "
        "or the system package (Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz), "
        "or ask for --format dot."
    )


_VERSIONS: dict[str, str] = {}
_VERSION_FILE = "graphviz-version.json"


def graphviz_version(dot_exe: str | None = None, cache_dir: Path | None = None) -> str:
    """``dot -V``'s version, remembered per binary (path, size, mtime) in the process and
    in ``cache_dir``, so a cached rebuild runs no Graphviz at all."""
    from archgen.writer import write_file

    exe = dot_exe or _find_dot()
    binary = _pygraphviz_library() if exe == PYGRAPHVIZ else exe
    st = os.stat(binary)
    ident = f"{os.path.realpath(binary)}|{st.st_size}|{st.st_mtime_ns}|{exe}"
    if ident in _VERSIONS:
        return _VERSIONS[ident]
    known: dict[str, str] = {}
    if cache_dir is not None:
        try:
            known = json.loads((Path(cache_dir) / _VERSION_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            known = {}
        if isinstance(known, dict) and isinstance(known.get(ident), str):
            _VERSIONS[ident] = known[ident]
            return known[ident]
    try:
        proc = subprocess.run([*_command(exe), "-V"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise DrawError(f"could not run Graphviz ({exe} -V): {exc}") from None
    m = re.search(r"version\s+(\S+)", proc.stderr + proc.stdout)
    version = m.group(1) if m else (proc.stderr + proc.stdout).strip() or "unknown"
    _VERSIONS[ident] = version
    if cache_dir is not None:
        known = known if isinstance(known, dict) else {}
        known[ident] = version
        write_file(Path(cache_dir) / _VERSION_FILE, json.dumps(known, indent=1, sort_keys=True) + "\n")
    return version


def _command(exe: str) -> list[str]:
    """How to start ``exe``: the program, or the pygraphviz stand-in for it."""
    if exe == PYGRAPHVIZ:
        return [sys.executable, "-m", "archgen.generators.gvdot"]
    return [exe]


def _pygraphviz_library() -> str:
    """The file that identifies the installed pygraphviz (its compiled module), for the cache."""
    import importlib.util

    spec = importlib.util.find_spec("pygraphviz")
    assert spec is not None and spec.submodule_search_locations
    folder = Path(next(iter(spec.submodule_search_locations)))
    compiled = sorted(folder.glob("_graphviz*"))
    return str(compiled[0] if compiled else folder / "__init__.py")


def _run_dot(exe: str, dot: str, fmt: str, name: str) -> tuple[bytes, float]:
    start = time.perf_counter()
    if exe == PYGRAPHVIZ:
        return _workers.get().run(dot, fmt, str(_diagrams_root()), name), time.perf_counter() - start
    try:
        proc = subprocess.run(
            [exe, f"-T{fmt}", f"-Gimagepath={_diagrams_root()}"],
            input=dot.encode("utf-8"),
            capture_output=True,
            timeout=DOT_TIMEOUT_S,
        )
    except subprocess.TimeoutExpired:
        raise DrawError(f"Graphviz took longer than {DOT_TIMEOUT_S} s on {name}; try --format dot") from None
    except OSError as exc:
        raise DrawError(f"could not run Graphviz ({exe}): {exc}") from None
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        raise DrawError(f"Graphviz failed on {name} (exit {proc.returncode}): {' / '.join(detail)}")
    return proc.stdout, time.perf_counter() - start


class _GvWorker:
    """One ``python -m archgen.generators.gvdot --serve`` process: lays out one graph at a
    time for the thread that owns it, with pygraphviz's Graphviz, and is replaced when
    Graphviz kills it (an assertion) or a layout outlasts :data:`DOT_TIMEOUT_S`."""

    def __init__(self) -> None:
        import tempfile

        self._errors = tempfile.TemporaryFile()  # Graphviz's warnings and errors (its C code writes to fd 2)
        self.proc = subprocess.Popen(
            [*_command(PYGRAPHVIZ), "--serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._errors,
        )

    def alive(self) -> bool:
        return self.proc.poll() is None

    def _stderr_tail(self, since: int) -> str:
        self._errors.seek(since)
        lines = self._errors.read().decode("utf-8", "replace").strip().splitlines()
        return " / ".join(line for line in lines[-3:] if "Fontconfig" not in line)

    def run(self, dot: str, fmt: str, imagepath: str, name: str) -> bytes:
        import threading

        since = os.fstat(self._errors.fileno()).st_size
        payload = dot.encode("utf-8")
        header = json.dumps({"format": fmt, "imagepath": imagepath, "size": len(payload)}).encode("utf-8")
        timer = threading.Timer(DOT_TIMEOUT_S, self.proc.kill)
        timer.start()
        try:
            assert self.proc.stdin is not None and self.proc.stdout is not None
            self.proc.stdin.write(header + b"\n" + payload)
            self.proc.stdin.flush()
            line = self.proc.stdout.readline()
            reply = json.loads(line) if line else None
            data = self.proc.stdout.read(reply["size"]) if reply else b""
        except (OSError, ValueError):
            reply, data = None, b""
        finally:
            timed_out = not timer.is_alive() and self.proc.poll() is not None
            timer.cancel()
        if reply is None or len(data) != reply.get("size", -1):
            detail = self._stderr_tail(since)
            self.close()
            if timed_out:
                raise DrawError(f"Graphviz took longer than {DOT_TIMEOUT_S} s on {name}; try --format dot")
            raise DrawError(f"Graphviz (pygraphviz) failed on {name} (it stopped): {detail}")
        if not reply.get("ok"):
            detail = reply.get("error") or self._stderr_tail(since)
            raise DrawError(f"Graphviz (pygraphviz) failed on {name}: {detail}")
        return data

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                assert self.proc.stdin is not None
                self.proc.stdin.close()  # the worker ends at end of input
                self.proc.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()
        for stream in (self.proc.stdout, self.proc.stdin):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass
        self._errors.close()


class _Workers:
    """A :class:`_GvWorker` per thread of the ``dot`` pool (each lays out one graph at a
    time, as a ``dot`` process would); all are closed when archgen exits."""

    def __init__(self) -> None:
        import threading

        self._local = threading.local()
        self._all: list[_GvWorker] = []
        self._lock = threading.Lock()

    def get(self) -> _GvWorker:
        worker = getattr(self._local, "worker", None)
        if worker is None or not worker.alive():
            worker = _GvWorker()
            self._local.worker = worker
            with self._lock:
                if not self._all:
                    import atexit

                    atexit.register(self.close)
                self._all = [w for w in self._all if w.alive()] + [worker]
        return worker

    def close(self) -> None:
        with self._lock:
            workers, self._all = self._all, []
        for worker in workers:
            worker.close()


_workers = _Workers()


@functools.lru_cache(maxsize=1)
def _renderer_id() -> str:
    """The hash of this module's source and of :mod:`svglayout`'s: a change to how specs
    are drawn invalidates the cache even if :data:`RENDERER_VERSION` was not bumped."""
    h = hashlib.sha256(Path(__file__).read_bytes())
    h.update(Path(svglayout.__file__).read_bytes())
    return h.hexdigest()[:16]


def _cache_key(spec: ViewSpec, fmt: str, version: str) -> str:
    """A hash of what is drawn (the spec) and of everything that turns it into bytes."""
    head = (
        f"archgen-draw {RENDERER_VERSION} {_renderer_id()}\ngraphviz {version}\n"
        f"diagrams {_diagrams_version()}\nformat {fmt}\nspec {spec.digest()}\n"
    )
    return hashlib.sha256(head.encode("utf-8")).hexdigest()


class Rendering:
    """Views being drawn, from :func:`start_render`: ``dot`` processes run in background
    threads while the caller does other work; :meth:`result` waits for them."""

    def __init__(self, out: dict[str, bytes], stats: RenderStats, pool: ThreadPoolExecutor | None, futures: list[Any], own_pool: bool) -> None:
        self._out, self._stats, self._pool, self._futures = out, stats, pool, futures
        self._own_pool = own_pool

    def result(self) -> dict[str, bytes]:
        """``{"<view>.<format>": bytes}``, sorted by name, once every view is drawn; a
        :class:`DrawError` of any view is raised here."""
        try:
            for future in self._futures:
                name, data, seconds, runs, how = future.result()
                self._out[name] = data
                self._stats.misses += 1
                self._stats.dot_runs += runs
                self._stats.dot_seconds += seconds
                if how:
                    getattr(self._stats, how).append(name)
        finally:
            self.cancel()
        self._futures = []
        return dict(sorted(self._out.items()))

    def cancel(self) -> None:
        """Start no more ``dot`` runs of this rendering (those running finish)."""
        for future in self._futures:
            future.cancel()
        if self._pool is not None and self._own_pool:
            self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = None


def dot_pool(jobs: int | None = None) -> ThreadPoolExecutor:
    """Threads that each wait on one ``dot`` process: ``jobs`` at a time (default: one
    per CPU). Pass it to several :func:`start_render` calls to share the limit."""
    return ThreadPoolExecutor(max_workers=max(1, jobs or os.cpu_count() or 1), thread_name_prefix="archgen-dot")


def render(
    specs: Iterable[ViewSpec],
    formats: Sequence[str] = ("svg",),
    cache_dir: Path | str | None = None,
    jobs: int | None = None,
    stats: RenderStats | None = None,
) -> dict[str, bytes]:
    """Draw each view in each format: ``{"<view>.<format>": bytes}``, sorted by name.

    ``svg`` is self-contained (icons embedded once), ``png`` is Graphviz's own, ``dot``
    is :func:`to_dot`. A view found in ``cache_dir`` (keyed by a hash of its spec,
    the format and the Graphviz, ``diagrams`` and renderer versions) is read back
    without building its DOT or running Graphviz; the others are laid out by ``jobs``
    ``dot`` processes at a time (default: one per CPU) while the next view is built.
    """
    return start_render(specs, formats, cache_dir, jobs, stats).result()


def start_render(
    specs: Iterable[ViewSpec],
    formats: Sequence[str] = ("svg",),
    cache_dir: Path | str | None = None,
    jobs: int | None = None,
    stats: RenderStats | None = None,
    pool: ThreadPoolExecutor | None = None,
) -> Rendering:
    """:func:`render`, returning as soon as every DOT is handed to Graphviz: the caller
    goes on with other work (``archgen build`` writes its other pages) while the ``dot``
    processes run, and takes the files from :meth:`Rendering.result`. ``stats`` is
    complete once ``result`` has returned. ``pool`` (from :func:`dot_pool`) replaces
    ``jobs`` when several renderings share it; the caller shuts it down."""
    from archgen.writer import write_sealed

    formats = list(dict.fromkeys(formats))
    bad = [f for f in formats if f not in FORMATS and f != LAYOUT_FORMAT]
    if bad:
        raise ValueError(f"unknown diagram format {bad[0]!r}; one of {', '.join(FORMATS)}")
    stats = stats if stats is not None else RenderStats()
    cache = Path(cache_dir) if cache_dir is not None else None
    drawn = [f for f in formats if f != "dot"]
    exe = version = None
    out: dict[str, bytes] = {}
    seen: set[str] = set()
    own_pool = pool is None
    futures: list[Any] = []

    def finish(name: str, fmt: str, key: str, spec: ViewSpec, dot: str, icons: list[str]) -> tuple[str, bytes, float, int, str]:
        seconds, runs, error = 0.0, 0, None
        for text, how in dot_attempts(spec, dot):
            start = time.perf_counter()
            runs += 1
            try:
                data, _ = _run_dot(exe or "dot", text, fmt, name)
                break
            except DrawError as exc:
                error = exc
            finally:
                seconds += time.perf_counter() - start
        else:
            assert error is not None
            raise error  # the last way of drawing it failed too
        if fmt == "svg":
            data = svglayout.finish(embed_icons(data.decode("utf-8"), icons), _titles(spec)).encode("utf-8")
        if cache is not None:
            write_sealed(_cache_path(cache, key, fmt), data)
        return name, data, seconds, runs, how

    # Views are taken one at a time from `specs` (a generator such as views.iter_views
    # builds them as they are asked for): each one's DOT is handed at once to threads
    # that wait on `dot` processes, so layout starts with the first view and runs while
    # the next is built. Cached views are read back without building their DOT.
    try:
        for spec in specs:
            if spec.name in seen:
                raise ValueError(f"two views are named {spec.name!r}")
            seen.add(spec.name)
            dot = None
            if "dot" in formats:
                dot = to_dot(spec)
                out[f"{spec.name}.dot"] = dot.encode("utf-8")
            if drawn and exe is None:
                exe = _find_dot()
                version = graphviz_version(exe, cache)
            todo = []
            for fmt in drawn:
                key = _cache_key(spec, fmt, version or "")
                hit = _cache_read(cache, key, fmt)
                if hit is not None:
                    out[f"{spec.name}.{fmt}"] = hit
                    stats.hits += 1
                else:
                    todo.append((fmt, key))
            if todo:
                pool = pool or dot_pool(jobs)
                dot, icons = dot or to_dot(spec), _icons_of(spec)
                futures += [pool.submit(finish, f"{spec.name}.{fmt}", fmt, key, spec, dot, icons) for fmt, key in todo]
    except BaseException:
        Rendering(out, stats, pool, futures, own_pool).cancel()
        raise
    return Rendering(out, stats, pool, futures, own_pool)


def dot_attempts(spec: ViewSpec, dot: str | None = None) -> Iterator[tuple[str, str]]:
    """The DOT texts :func:`render` hands Graphviz for a view, each only if the one
    before failed: ``(dot, how)`` with ``how`` empty, then ``"relabelled"`` (edge labels
    as ``xlabel``: Graphviz 2.43 fails on some views whose clusters labelled edges cross,
    "trouble in init_rank", and this keeps their boxes), then ``"unclustered"``
    (clusters as plain subgraphs: every node and edge, no boxes). An attempt equal to
    the one before is skipped; a failure of the last one is the view's failure."""
    first = dot if dot is not None else to_dot(spec)
    yield first, ""
    outside = to_dot(spec, outside_labels=True)
    if outside != first:
        yield outside, "relabelled"
    flat = _without_clusters(outside)
    if flat != outside:
        yield flat, "unclustered"


#: A cluster's opening line in :func:`to_dot`'s output (a label never holds a newline).
_CLUSTER_OPEN = re.compile(r'^(\s*subgraph\s+"?)cluster_', re.M)


def _without_clusters(dot: str) -> str:
    """The same graph with its clusters as plain subgraphs, which ``dot`` does not box.

    Graphviz fails on some large views whose clusters are crossed by thousands of edges
    (2.43: "trouble in init_rank", "lost ... edge"; 14: an assertion in mincross), e.g.
    the data and network views of a 5,000-component model. Such a view is drawn again
    without its cluster boxes rather than failing the whole build.
    """
    return _CLUSTER_OPEN.sub(r"\1unboxed_", dot)


def _cache_path(cache: Path, key: str, fmt: str) -> Path:
    return cache / key[:2] / f"{key}.{fmt}"


def _cache_read(cache: Path | None, key: str, fmt: str) -> bytes | None:
    """The cached picture, if this user's archgen sealed it (:func:`archgen.writer.read_sealed`):
    an entry committed to the repository or edited is drawn again, never published."""
    if cache is None:
        return None
    from archgen.writer import read_sealed

    return read_sealed(_cache_path(cache, key, fmt))


# ---------------------------------------------------------------------------
# the layout, for other tools (the draw.io export)


def layout(spec: ViewSpec) -> dict[str, Any]:
    """Graphviz's layout of a view (``dot -Tjson`` of :func:`to_dot`): the positions, sizes
    and cluster boxes archgen's own picture of it has, in points, origin bottom left."""
    out, _ = _run_dot(_find_dot(), to_dot(spec), LAYOUT_FORMAT, spec.name)
    return json.loads(out)


def node_size(node: NodeSpec) -> tuple[float, float]:
    """The width and height (inches) archgen asks Graphviz for: the room a layout of
    its own must leave for the node (the draw.io export of a very large model)."""
    lines = _node_lines(node)
    attrs = _node_attrs(node, _icon(node.icon)[1], lines)
    return float(attrs.get("width", _NODE_WIDTH)), float(attrs["height"])


def icon_file(dotted: str | None) -> Path | None:
    """The image file of a ``diagrams`` icon class (None: no such icon)."""
    _, rel = _icon(dotted)
    return _diagrams_root() / rel if rel else None
