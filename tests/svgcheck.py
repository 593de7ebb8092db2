"""What a reader sees in a diagram, measured from the SVG itself in headless Chromium.

Graphviz writes every text as an SVG ``<text>`` with a position and a font; how wide
it is depends on the font the browser finds for it. So the geometry is read by the
program that shows the diagram to a reader: Debian's ``chromium`` through Playwright
opens the SVG and reports, for every element, its box in the page (``getBBox``
mapped through ``getScreenCTM``), and for every edge, points along its path. The checks
are plain Python over those numbers:

- ``text_overlaps``: two texts whose boxes overlap;
- ``text_on_icon``: a text over the icon or box of a node it does not belong to;
- ``text_on_own_icon``: a node's label over its own icon (its letters, by more than 2 px);
- ``split_words``: a node's line holding a piece of a word (a word broken across lines);
- ``cut_labels``: a label shortened with an ellipsis (allowed only with its full text in
  the node's ``<title>``; counted, and listed);
- ``far_labels``: an edge label (its lines together) farther than
  :data:`EDGE_LABEL_MAX_PX` from its edge;
- ``closer_edge``: an edge label nearer to another edge than to its own (a reader would
  give it to the wrong arrow);
- ``arrow_on_text``: an arrowhead landing on a text;
- :func:`zone_breaches`: a node outside the box (a trust zone) the model puts it in,
  or inside one it is not in.

``python tests/svgcheck.py FILE.svg...`` prints the counts (docs/diagrams.md quotes them).
"""

from __future__ import annotations

import json
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conftest import launch_chromium

#: An edge label farther than this (CSS pixels, from its box to the nearest point of its
#: edge's path) cannot be told to belong to its arrow.
EDGE_LABEL_MAX_PX = 12.0
#: Boxes that overlap by less than this (CSS pixels) in either direction only touch.
TOUCH_PX = 1.0


# Every text, icon, node shape and edge of a Graphviz SVG, in page coordinates.
_JS = r"""
() => {
  const svg = document.documentElement;
  const box = (el) => {
    const b = el.getBBox();
    const m = el.getScreenCTM();
    const pts = [[b.x, b.y], [b.x + b.width, b.y], [b.x, b.y + b.height], [b.x + b.width, b.y + b.height]].map(
      ([x, y]) => { const p = svg.createSVGPoint(); p.x = x; p.y = y; const q = p.matrixTransform(m); return [q.x, q.y]; });
    const xs = pts.map(p => p[0]), ys = pts.map(p => p[1]);
    return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
  };
  const owner = (el) => {
    let g = el.parentElement;
    while (g && !(g.tagName === 'g' && /\b(node|edge|cluster|graph)\b/.test(g.getAttribute('class') || ''))) g = g.parentElement;
    if (!g) return {id: '', cls: 'graph', title: ''};
    const t = g.querySelector(':scope > title');
    return {id: g.getAttribute('id') || '', cls: g.getAttribute('class'), title: t ? t.textContent : ''};
  };
  const r = svg.getBoundingClientRect();
  const out = {texts: [], shapes: [], edges: [], clusters: [], size: [r.width, r.height]};
  for (const g of svg.querySelectorAll('g.cluster')) {
    const frame = g.querySelector(':scope > path, :scope > polygon');
    if (frame) out.clusters.push({id: g.getAttribute('id') || '', box: box(frame)});
  }
  for (const t of svg.querySelectorAll('text')) {
    if (!t.textContent.trim()) continue;
    out.texts.push({text: t.textContent, box: box(t), ...owner(t)});
  }
  for (const g of svg.querySelectorAll('g.node')) {
    const o = owner(g.firstElementChild || g);
    for (const el of g.querySelectorAll('use, image, polygon, path, ellipse, rect')) {
      out.shapes.push({kind: el.tagName === 'use' || el.tagName === 'image' ? 'icon' : 'box', box: box(el), id: o.id, title: o.title});
    }
  }
  for (const g of svg.querySelectorAll('g.edge')) {
    const o = owner(g.firstElementChild || g);
    const paths = [];
    for (const p of g.querySelectorAll('path')) {
      const len = p.getTotalLength(); const m = p.getScreenCTM(); const pts = [];
      const n = Math.max(8, Math.ceil(len / 3));
      for (let i = 0; i <= n; i++) {
        const q = p.getPointAtLength(len * i / n); const s = svg.createSVGPoint(); s.x = q.x; s.y = q.y;
        const r = s.matrixTransform(m); pts.push([r.x, r.y]);
      }
      paths.push(pts);
    }
    const heads = [...g.querySelectorAll('polygon')].map(box);
    out.edges.push({id: o.id, title: o.title, paths, heads});
  }
  return out;
}
"""


@dataclass
class Layout:
    """What one SVG shows, and what is wrong with it."""

    name: str
    width: float
    height: float
    texts: int
    text_overlaps: list[tuple[str, str]] = field(default_factory=list)
    text_on_icon: list[tuple[str, str]] = field(default_factory=list)
    text_on_own_icon: list[str] = field(default_factory=list)
    split_words: list[str] = field(default_factory=list)
    cut_labels: list[str] = field(default_factory=list)
    far_labels: list[tuple[str, float]] = field(default_factory=list)
    closer_edge: list[tuple[str, str]] = field(default_factory=list)
    arrow_on_text: list[tuple[str, str]] = field(default_factory=list)
    #: where things are (page coordinates): each node's extent (its icon, frame and
    #: texts together) and each cluster's box, by SVG id
    nodes: dict[str, list[float]] = field(default_factory=dict, repr=False)
    clusters: dict[str, list[float]] = field(default_factory=dict, repr=False)

    def counts(self) -> dict[str, int]:
        return {
            "text_overlaps": len(self.text_overlaps),
            "text_on_icon": len(self.text_on_icon),
            "text_on_own_icon": len(self.text_on_own_icon),
            "split_words": len(self.split_words),
            "cut_labels": len(self.cut_labels),
            "far_labels": len(self.far_labels),
            "closer_edge": len(self.closer_edge),
            "arrow_on_text": len(self.arrow_on_text),
        }

    def problems(self) -> int:
        """Everything a reader would notice (a cut label with its full title is allowed)."""
        c = self.counts()
        return sum(v for k, v in c.items() if k != "cut_labels")


def _merge(a: list[float] | None, b: list[float]) -> list[float]:
    return list(b) if a is None else [min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])]


def inside(inner: list[float], outer: list[float], tol: float = TOUCH_PX) -> bool:
    """Whether box ``inner`` lies within box ``outer`` (``tol`` pixels of slack)."""
    return inner[0] >= outer[0] - tol and inner[1] >= outer[1] - tol and inner[2] <= outer[2] + tol and inner[3] <= outer[3] + tol


def zone_breaches(lay: Layout, expected: dict[str, str | None], boxes: set[str]) -> list[str]:
    """What a boundary drawn in the SVG says wrongly: ``expected`` gives, per node's SVG
    id, the SVG id of the box (one of ``boxes``) it must lie in (None: in none of them).
    A node outside its box, or inside another of ``boxes``, is a breach."""
    out = []
    for nid, want in sorted(expected.items(), key=lambda kv: kv[0]):
        where = lay.nodes.get(nid)
        if where is None:
            out.append(f"{nid}: not drawn")
            continue
        if want is not None and (want not in lay.clusters or not inside(where, lay.clusters[want])):
            out.append(f"{nid}: outside {want}")
        out += [f"{nid}: inside {c}" for c in sorted(boxes) if c != want and c in lay.clusters and inside(where, lay.clusters[c])]
    return out


def _overlap(a: list[float], b: list[float], tol: float = TOUCH_PX) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > tol and min(a[3], b[3]) - max(a[1], b[1]) > tol


def _glyphs(b: list[float]) -> list[float]:
    """The part of a text's box its letters cover: the box of a text is its font's
    ascent and descent, a fifth above the capitals and the descenders below."""
    h = b[3] - b[1]
    return [b[0], b[1] + 0.2 * h, b[2], b[3] - 0.1 * h]


def _dist_box_point(b: list[float], p: list[float]) -> float:
    dx = max(b[0] - p[0], 0.0, p[0] - b[2])
    dy = max(b[1] - p[1], 0.0, p[1] - b[3])
    return math.hypot(dx, dy)


def _split_words(lines: list[str], full: str) -> list[str]:
    """The lines of a node's label (top to bottom) that end inside a word of its title
    ``full``: the title's lines are read off the title in order ("productcatalogserv"
    then "ice" of "productcatalogservice"); the lines after the title (data classes,
    rule ids) are notes and not checked. A line cut with an ellipsis ends the title (its
    full text is in the node's ``<title>``)."""
    rest = " ".join(full.split())
    split = []
    for line in lines:
        line = " ".join(line.split())
        if not rest or line.endswith("…"):
            break
        if rest == line or rest.startswith(line + " "):
            rest = rest[len(line) :].lstrip()
        elif rest.startswith(line):
            split.append(line)
            rest = rest[len(line) :]
        else:
            break
    return split


def analyse(name: str, geometry: dict[str, Any], labels: dict[str, str] | None = None) -> Layout:
    """The checks over one SVG's geometry. ``labels``: the full text of each node's label
    by SVG id (default: the node's ``<title>``, which archgen sets to the full label)."""
    texts = geometry["texts"]
    lay = Layout(name=name, width=geometry["size"][0], height=geometry["size"][1], texts=len(texts))
    for item in [*geometry["shapes"], *(t for t in texts if t["cls"] == "node")]:
        lay.nodes[item["id"]] = _merge(lay.nodes.get(item["id"]), item["box"])
    lay.clusters = {c["id"]: c["box"] for c in geometry.get("clusters", [])}
    for i, a in enumerate(texts):
        for b in texts[i + 1 :]:
            if a["id"] == b["id"] and a["cls"] == b["cls"] and a["cls"] != "graph":
                continue  # lines of one label: Graphviz spaces them closer than their font's boxes
            if _overlap(a["box"], b["box"]):
                lay.text_overlaps.append((f"{a['id']}:{a['text']}", f"{b['id']}:{b['text']}"))
    for t in texts:
        for s in geometry["shapes"]:
            if s["id"] != t["id"]:
                if _overlap(t["box"], s["box"]):
                    lay.text_on_icon.append((f"{t['id']}:{t['text']}", s["id"]))
            elif s["kind"] == "icon" and _overlap(_glyphs(t["box"]), s["box"], 2.0):
                lay.text_on_own_icon.append(f"{t['id']}:{t['text']}")
    by_node: dict[str, list[str]] = {}
    for t in texts:
        if t["cls"] == "node":
            by_node.setdefault(t["id"], []).append(t["text"])
    for nid, lines in by_node.items():
        full = (labels or {}).get(nid)
        if full is None:
            full = next((t["title"] for t in texts if t["id"] == nid), "")
        full_words = full
        lay.cut_labels += [f"{nid}:{line}" for line in lines if line.endswith("…")]
        lay.split_words += [f"{nid}:{line}" for line in _split_words(lines, full_words)]
    edges = {e["id"]: e for e in geometry["edges"]}
    blocks: dict[str, list[dict[str, Any]]] = {}  # an edge's label: its lines together
    for t in texts:
        if t["cls"] == "edge":
            blocks.setdefault(t["id"], []).append(t)
    for eid, lines in blocks.items():
        box = [min(t["box"][0] for t in lines), min(t["box"][1] for t in lines), max(t["box"][2] for t in lines), max(t["box"][3] for t in lines)]
        name = f"{eid}:{' '.join(t['text'] for t in lines)}"
        e = edges.get(eid)
        pts = [p for path in (e["paths"] if e else []) for p in path]
        d = min((_dist_box_point(box, p) for p in pts), default=math.inf)
        if d > EDGE_LABEL_MAX_PX:
            lay.far_labels.append((name, round(d, 1)))
        for other in geometry["edges"]:
            if other["id"] == eid:
                continue
            od = min((_dist_box_point(box, p) for path in other["paths"] for p in path), default=math.inf)
            if od < d:
                lay.closer_edge.append((name, other["id"]))
                break
    for e in geometry["edges"]:
        for head in e["heads"]:
            for t in texts:
                if t["id"] != e["id"] and _overlap(head, t["box"]):
                    lay.arrow_on_text.append((e["id"], f"{t['id']}:{t['text']}"))
    return lay


#: Debian's chromium, headless, as the tests launch it (one launcher: conftest's).
browser = launch_chromium


def geometry(page: Any, svg_file: Path) -> dict[str, Any]:
    page.goto(Path(svg_file).resolve().as_uri())
    return page.evaluate(_JS)


def measure_files(files: list[Path], labels: dict[str, dict[str, str]] | None = None) -> list[Layout]:
    from playwright.sync_api import sync_playwright

    out = []
    with sync_playwright() as p:
        b = browser(p)
        page = b.new_page()
        for f in files:
            out.append(analyse(str(f), geometry(page, f), (labels or {}).get(str(f))))
        b.close()
    return out


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    files = [Path(a) for a in argv if a != "-v"]
    total: dict[str, int] = {}
    for lay in measure_files(files):
        c = lay.counts()
        for k, v in c.items():
            total[k] = total.get(k, 0) + v
        print(f"{lay.name}: {lay.width:.0f}x{lay.height:.0f} px, {lay.texts} texts, " + ", ".join(f"{k} {v}" for k, v in c.items()))
        if verbose:
            for k in c:
                for item in getattr(lay, k):
                    print(f"    {k}: {item}")
    print("total: " + json.dumps(total))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
