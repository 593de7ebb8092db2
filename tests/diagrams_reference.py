"""The reference for :func:`archgen.generators.draw.to_dot`: the same view built through the
``diagrams`` package's own objects (``Diagram``, ``Cluster``, a node class per icon,
``Edge`` with ``>>``), as archgen drew it up to commit fb3a8b6.

archgen writes the DOT directly, because creating thousands of ``diagrams`` objects
(each quoting its attributes through the ``graphviz`` package) took 0.85 s of a 1.7 s
``archgen diagram`` of 1,000 components. ``tests/test_draw.py`` holds the two to the same
bytes on every view of the example, the hostile model, a diff and generated models, so
the drawing stays what ``diagrams`` draws.
"""

from __future__ import annotations

from typing import Any

import diagrams

from archgen.generators.draw import (
    _EDGE_ATTRS,
    _GRAPH_ATTRS,
    _NODE_ATTRS,
    CLUSTER_LOOK,
    GRID_EDGE,
    GRID_POINT,
    XLABEL_EDGES,
    edge_look,
    _icon,
    _node_attrs,
    _node_lines,
    _svg_id,
    _wrap,
    cluster_tree,
    dot_text,
    grid,
)
from archgen.generators.views import ClusterSpec, NodeSpec, ViewSpec


class _Edge(diagrams.Edge):
    """A ``diagrams`` edge whose font comes from the graph's edge defaults."""

    _default_edge_attrs: dict[str, str] = {}


def _emit_node(node: NodeSpec) -> Any:
    cls, icon = _icon(node.icon)
    if cls is None:
        cls = diagrams.Node
    lines = _node_lines(node)
    return cls(dot_text(lines), nodeid=node.id, **_node_attrs(node, icon, lines))


def _emit_points(dot: Any, points: list[str]) -> None:
    """The grid's invisible points (``draw.grid``), as a ``graphviz`` node each."""
    attrs = {k: v for k, v in GRID_POINT.items() if k != "label"}
    for point in points:
        dot.node(point, label="", **attrs)


def _emit_cluster(cluster: ClusterSpec, children: dict, members: dict, made: dict, points: dict) -> None:
    attrs = {"id": _svg_id("c", cluster.id), **CLUSTER_LOOK[cluster.style]}
    with diagrams.Cluster(dot_text(_wrap(cluster.label, 60, 2)), graph_attr=attrs) as cl:
        cl.dot.name = f"cluster_{cluster.id}"
        for node in members.get(cluster.id, []):
            made[node.id] = _emit_node(node)
        for child in children.get(cluster.id, []):
            _emit_cluster(child, children, members, made, points)
        _emit_points(cl.dot, points.get(cluster.id, []))


def to_dot_via_diagrams(spec: ViewSpec, outside_labels: bool | None = None) -> str:
    diagram = diagrams.Diagram(
        name=spec.name,
        filename=spec.name,
        direction=spec.direction,
        outformat="svg",
        show=False,
        graph_attr={**_GRAPH_ATTRS, "label": dot_text(_wrap(spec.title, 120, 2))},
        node_attr=_NODE_ATTRS,
        edge_attr=_EDGE_ATTRS,
    )
    children, members = cluster_tree(spec)
    made: dict[str, Any] = {}
    diagram.__enter__()  # not `with`: leaving a Diagram block renders a file
    try:
        points, grid_edges = grid(spec)
        for cluster in children.get(None, []):
            _emit_cluster(cluster, children, members, made, points)
        for node in members.get(None, []):
            made[node.id] = _emit_node(node)
        _emit_points(diagram.dot, points.get(None, []))
        for a, b in grid_edges:
            diagram.dot.edge(a, b, **GRID_EDGE, dir="forward")
        outside = (spec.layout == "grid" or len(spec.edges) > XLABEL_EDGES) if outside_labels is None else outside_labels
        for edge in spec.edges:
            label, attrs = edge_look(edge, outside)
            made[edge.source] >> _Edge(label=label, **attrs) >> made[edge.target]
    finally:
        diagrams.setdiagram(None)
        diagrams.setcluster(None)
    return diagram.dot.source
