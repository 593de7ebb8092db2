"""The same picture drawn by archgen and by its peers (issue 26, goal 6).

The picture is archgen's overview of every component (``views.overview_view``): each
component with its title, groups (and clusters that host workloads) as boxes, each flow
as a labelled arrow. archgen draws a model of more than 60 components as a group-level
overview instead, so for 100 components and more the benchmark asks for this view
directly; that is what a user of a peer tool would write by hand for the same model.

From one :class:`~archgen.generators.views.ViewSpec` this module writes, for each peer,
the input it reads, the same nodes, boxes and labelled edges:

``overview.d2``        D2 (containers for boxes), laid out by D2's bundled dagre
``overview.mmd``       a Mermaid flowchart (subgraphs for boxes), drawn by Mermaid CLI
``likec4/model.c4``    LikeC4 (nested elements for boxes), one view of everything
``mingrammer.py``      a plain ``diagrams`` script (``Cluster`` for boxes, the icons the
                       catalog names, ``Blank`` where it names none), as its users write

    python -m bench.peers write MODEL.yaml DIR    # the four inputs
    python -m bench.peers archgen MODEL.yaml OUT.svg

The second command is archgen's side as one whole process: start Python, load the
model, build the view, draw it with Graphviz and embed its icons.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from archgen.generators.views import ViewSpec

__all__ = ["overview_of", "to_d2", "to_mermaid", "to_likec4", "to_mingrammer", "write_inputs"]

#: Mermaid refuses a diagram of more than 50,000 characters or 500 edges by default.
MERMAID_CONFIG = {"maxTextSize": 50_000_000, "maxEdges": 1_000_000, "flowchart": {"htmlLabels": False}}


def overview_of(model_file: Path) -> ViewSpec:
    from archgen.generators.views import overview_view
    from archgen.sources.loader import load_model

    return overview_view(load_model(model_file))


def _text(value: str) -> str:
    """Plain text every peer's quoting accepts: no quotes, brackets or new lines."""
    return " ".join(str(value).replace('"', "'").replace("[", "(").replace("]", ")").split())


def _short_ids(spec: ViewSpec) -> dict[str, str]:
    """Identifiers every peer accepts (a letter, then letters and digits)."""
    ids = {c.id: f"b{i}" for i, c in enumerate(spec.clusters)}
    ids.update({n.id: f"n{i}" for i, n in enumerate(spec.nodes)})
    return ids


def _nest(spec: ViewSpec, open_box, node, close_box) -> list[str]:
    """Boxes and nodes in their nesting, through a peer's three ways of writing them
    (each given the box or node and its depth)."""
    from archgen.generators.draw import cluster_tree

    boxes, members = cluster_tree(spec)
    out: list[str] = []

    def emit(parent: str | None, depth: int) -> None:
        for c in boxes.get(parent, []):
            out.append(open_box(c, depth))
            emit(c.id, depth + 1)
            out.append(close_box(depth))
        for n in members.get(parent, []):
            out.append(node(n, depth))

    emit(None, 0)
    return out


def _paths(spec: ViewSpec, ids: dict[str, str]) -> dict[str, str]:
    """Each node's dotted path through its boxes (D2 and LikeC4 name nested things so)."""
    parent = {c.id: c.parent for c in spec.clusters}
    out = {}
    for n in spec.nodes:
        chain, box = [ids[n.id]], n.cluster
        while box is not None:
            chain.append(ids[box])
            box = parent.get(box)
        out[n.id] = ".".join(reversed(chain))
    return out


@dataclass(frozen=True)
class _Syntax:
    """How one peer writes a box, a node, a box's end and an edge (``str.format`` fields:
    ``pad``, ``id``, ``label``, ``source``, ``target``); ``depth`` is the top level's indent."""

    box: str
    node: str
    end: str
    edge: str
    labelled: str
    depth: int = 0
    nested_names: bool = False  # edges name nodes by their path through the boxes


D2 = _Syntax('{pad}{id}: "{label}" {{', '{pad}{id}: "{label}"', "{pad}}}", "{source} -> {target}", '{source} -> {target}: "{label}"',
             nested_names=True)
MERMAID = _Syntax('{pad}subgraph {id} ["{label}"]', '{pad}{id}["{label}"]', "{pad}end", "  {source} --> {target}",
                  '  {source} -- "{label}" --> {target}', depth=1)
LIKEC4 = _Syntax("{pad}{id} = box '{label}' {{", "{pad}{id} = component '{label}'", "{pad}}}", "  {source} -> {target}",
                 "  {source} -> {target} '{label}'", depth=1, nested_names=True)


def _body(spec: ViewSpec, syntax: _Syntax) -> list[str]:
    """The boxes, nodes and edges of ``spec`` in one peer's syntax."""
    ids = _short_ids(spec)

    def pad(depth: int) -> str:
        return "  " * (depth + syntax.depth)

    lines = _nest(
        spec,
        lambda c, d: syntax.box.format(pad=pad(d), id=ids[c.id], label=_text(c.label)),
        lambda n, d: syntax.node.format(pad=pad(d), id=ids[n.id], label=_text(n.label)),
        lambda d: syntax.end.format(pad=pad(d)),
    )
    name = _paths(spec, ids) if syntax.nested_names else ids
    for e in spec.edges:
        form = syntax.labelled if e.label else syntax.edge
        lines.append(form.format(source=name[e.source], target=name[e.target], label=_text(e.label)))
    return lines


def to_d2(spec: ViewSpec) -> str:
    return "\n".join([f"direction: {'right' if spec.direction == 'LR' else 'down'}", *_body(spec, D2)]) + "\n"


def to_mermaid(spec: ViewSpec) -> str:
    return "\n".join([f"flowchart {spec.direction}", *_body(spec, MERMAID)]) + "\n"


def to_likec4(spec: ViewSpec) -> str:
    head = ["specification {", "  element box", "  element component", "}", "", "model {"]
    # LikeC4 has no "everything, nested too" of its own: the top level, then each box's descendants
    tops = [f"    include {_short_ids(spec)[c.id]}.**" for c in spec.clusters if c.parent is None]
    views = ["}", "", "views {", "  view index {", "    include *", *tops, "  }", "}", ""]
    return "\n".join([*head, *_body(spec, LIKEC4), *views])


def to_mingrammer(spec: ViewSpec, out_stem: str) -> str:
    """A plain ``diagrams`` script, as its README teaches: a ``Diagram``, ``Cluster`` blocks,
    one node object per component (the icon class the catalog names), ``>>`` with ``Edge``."""
    ids = _short_ids(spec)
    icons = sorted({n.icon for n in spec.nodes if n.icon} | {"diagrams.generic.blank.Blank"})
    lines = ["from diagrams import Cluster, Diagram, Edge"]
    alias = {dotted: f"Icon{i}" for i, dotted in enumerate(icons)}
    for dotted in icons:
        module, cls = dotted.rsplit(".", 1)
        lines.append(f"from {module} import {cls} as {alias[dotted]}")
    blank = alias["diagrams.generic.blank.Blank"]
    lines.append(f"with Diagram({json.dumps(_text(spec.title))}, filename={json.dumps(out_stem)}, outformat='svg', show=False, direction={json.dumps(spec.direction)}):")
    lines += _nest(
        spec,
        lambda c, d: f"{'    ' * (d + 1)}with Cluster({json.dumps(_text(c.label))}):",
        lambda n, d: f"{'    ' * (d + 1)}{ids[n.id]} = {alias.get(n.icon or '', blank)}({json.dumps(_text(n.label))})",
        lambda d: f"{'    ' * (d + 2)}pass",
    )
    for e in spec.edges:
        edge = f"Edge(label={json.dumps(_text(e.label))})" if e.label else "Edge()"
        lines.append(f"    {ids[e.source]} >> {edge} >> {ids[e.target]}")
    return "\n".join(lines) + "\n"


def write_inputs(spec: ViewSpec, dest: Path) -> dict[str, Path]:
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "likec4").mkdir(exist_ok=True)
    files = {
        "d2": dest / "overview.d2",
        "mermaid": dest / "overview.mmd",
        "mermaid-config": dest / "mermaid.json",
        "likec4": dest / "likec4" / "model.c4",
        "mingrammer": dest / "mingrammer.py",
    }
    files["d2"].write_text(to_d2(spec), encoding="utf-8")
    files["mermaid"].write_text(to_mermaid(spec), encoding="utf-8")
    files["mermaid-config"].write_text(json.dumps(MERMAID_CONFIG), encoding="utf-8")
    files["likec4"].write_text(to_likec4(spec), encoding="utf-8")
    files["mingrammer"].write_text(to_mingrammer(spec, str(dest / "mingrammer-overview")), encoding="utf-8")
    return files


def draw_with_archgen(model_file: Path, out: Path) -> None:
    from archgen.generators.draw import render

    [(name, data)] = render([overview_of(model_file)], ("svg",), cache_dir=None).items()
    out.write_bytes(data)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) == 3 and args[0] == "write":
        for what, path in write_inputs(overview_of(Path(args[1])), Path(args[2])).items():
            print(f"{what}: {path}")
        return 0
    if len(args) == 3 and args[0] == "archgen":
        draw_with_archgen(Path(args[1]), Path(args[2]))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
