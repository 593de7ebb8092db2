"""The last touches of a Graphviz SVG: what Graphviz's layout does not do for a reader.

:mod:`archgen.generators.draw` hands every SVG it gets from ``dot`` through
:func:`finish`, and the site hands its copies through :func:`add_links`:

- **full titles on hover.** Each node's ``<title>`` (Graphviz writes the node id there)
  becomes the node's whole label, so a label shortened with an ellipsis can still be
  read in full, and a reader's tooltip names the component, not its id;
- **edge labels on their edge.** ``dot`` gives an edge label a place of its own in the
  rank between the edge's ends, and the edge's curve often passes 15 to 35 points away
  from it, nearer another edge than its own in a fan-out. Each label is moved to the
  nearest free place :data:`LABEL_GAP` from its own edge (along the shortest line to
  it, else beside a point of the edge's middle part): on no node, arrowhead, other
  label or line, and nearer its own edge than any other. A label with no such place
  stays where Graphviz put it;
- **links.** :func:`add_links` wraps a node or cluster in a plain ``<a>`` (no
  JavaScript), ``target="_top"`` so that a diagram shown in an ``<object>`` opens the
  page itself.

It works on the SVG text as Graphviz 2.43 to 14 write it (one ``<g class="node|edge|
cluster">`` per element, ``-`` in ids as ``&#45;``) and never imports Graphviz or
``diagrams``. Text widths are DejaVu Sans' advance widths (what Graphviz lays out with
for ``Sans-Serif`` on Debian; see :data:`_ADVANCE`); the tests measure the result in
Chromium (``tests/svgcheck.py``).
"""

from __future__ import annotations

import functools
import heapq
import html
import itertools
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping

__all__ = ["LABEL_GAP", "add_links", "finish", "fluid", "size", "text_width"]

#: How far (points) a moved edge label stays from its edge's line.
LABEL_GAP = 2.0
#: A label Graphviz put this near its edge (drawn narrow) stays where it is.
_NEAR_ENOUGH = 5.0
#: How much farther than its own edge any other edge must stay from a label (points):
#: the lines are measured on straight segments of about :data:`_STEP`, not the curve.
_CLEARANCE = 3.0
#: Places beside the edge tried, nearest to where Graphviz put the label first.
_BESIDE_TRIES = 12
#: ... beside this many points of the edge, the nearest to the label.
_BESIDE_POINTS = 6

_GROUP = re.compile(r'<g id="([^"]*)" class="(node|edge|cluster)">\n(.*?)</g>\n', re.DOTALL)
_TEXT = re.compile(r'<text text-anchor="(start|middle|end)" x="(-?[\d.]+)" y="(-?[\d.]+)"([^>]*?font-size="([\d.]+)"[^>]*)>(.*?)</text>', re.DOTALL)
_USE = re.compile(r'<(?:use|image)\b[^>]*?\bx="(-?[\d.]+)" y="(-?[\d.]+)" width="([\d.]+)(?:px)?" height="([\d.]+)(?:px)?"')
_POINTS = re.compile(r'<polygon\b[^>]*\bpoints="([^"]*)"')
_PATH_D = re.compile(r'<path\b[^>]*\bd="([^"]*)"')
_NUM = re.compile(r"-?\d+(?:\.\d+)?")

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 (SVG user units, y down)

# DejaVu Sans 2.37 advance widths in font units (2048 to the em), from its hmtx table
# (/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf, read with fontTools): the font
# fontconfig gives Graphviz for "Sans-Serif" on Debian, so the widths Graphviz laid out
# with. Chromium may draw the same text narrower (measured: Liberation Sans, about 10%
# less), never wider: the estimate is an upper bound. Other characters count as an "M".
_UNITS_PER_EM = 2048
_ADVANCE: dict[str, int] = {
    ' ': 651, '!': 821, '"': 942, '#': 1716, '$': 1303, '%': 1946, '&': 1597, "'": 563, '(': 799,
    ')': 799, '*': 1024, '+': 1716, ',': 651, '-': 739, '.': 651, '/': 690, '0': 1303, '1': 1303,
    '2': 1303, '3': 1303, '4': 1303, '5': 1303, '6': 1303, '7': 1303, '8': 1303, '9': 1303,
    ':': 690, ';': 690, '<': 1716, '=': 1716, '>': 1716, '?': 1087, '@': 2048, 'A': 1401,
    'B': 1405, 'C': 1430, 'D': 1577, 'E': 1294, 'F': 1178, 'G': 1587, 'H': 1540, 'I': 604,
    'J': 604, 'K': 1343, 'L': 1141, 'M': 1767, 'N': 1532, 'O': 1612, 'P': 1235, 'Q': 1612,
    'R': 1423, 'S': 1300, 'T': 1251, 'U': 1499, 'V': 1401, 'W': 2025, 'X': 1403, 'Y': 1251,
    'Z': 1403, '[': 799, '\\': 690, ']': 799, '^': 1716, '_': 1024, '`': 1024, 'a': 1255,
    'b': 1300, 'c': 1126, 'd': 1300, 'e': 1260, 'f': 721, 'g': 1300, 'h': 1298, 'i': 569, 'j': 569,
    'k': 1186, 'l': 569, 'm': 1995, 'n': 1298, 'o': 1253, 'p': 1300, 'q': 1300, 'r': 842,
    's': 1067, 't': 803, 'u': 1298, 'v': 1212, 'w': 1675, 'x': 1212, 'y': 1212, 'z': 1075,
    '{': 1303, '|': 690, '}': 1303, '~': 1716, '…': 2048, '«': 1253, '»': 1253, 'é': 1260,
    'è': 1260, 'à': 1255, 'ü': 1298, 'ö': 1253, 'ä': 1255, 'ß': 1290, 'ç': 1126, '–': 1024,
    '—': 2048,
}
_DEFAULT_ADVANCE = 1767


@functools.lru_cache(maxsize=1 << 14)
def text_width(text: str, font_size: float) -> float:
    """Estimated width of ``text`` in DejaVu Sans at ``font_size`` (same unit)."""
    return font_size * sum(_ADVANCE.get(ch, _DEFAULT_ADVANCE) for ch in text) / _UNITS_PER_EM


def _text_box(anchor: str, x: float, y: float, text: str, size: float) -> Box:
    w = text_width(html.unescape(text) if "&" in text else text, size)
    x0 = x - w / 2 if anchor == "middle" else (x - w if anchor == "end" else x)
    return (x0, y - 0.93 * size, x0 + w, y + 0.24 * size)


def _union(boxes: Iterable[Box]) -> Box:
    bs = list(boxes)
    return (min(b[0] for b in bs), min(b[1] for b in bs), max(b[2] for b in bs), max(b[3] for b in bs))


def _overlaps(a: Box, b: Box, tol: float = 0.5) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > tol and min(a[3], b[3]) - max(a[1], b[1]) > tol


def _points_box(numbers: list[float]) -> Box:
    xs, ys = numbers[0::2], numbers[1::2]
    return (min(xs), min(ys), max(xs), max(ys))


@functools.cache
def _weights(n: int) -> tuple[tuple[float, float, float, float], ...]:
    """Bernstein weights of ``n`` points sampled on a cubic piece (t = 1/n ... 1)."""
    return tuple(((1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t**2, t**3) for t in (k / n for k in range(1, n + 1)))


#: The spacing (points) the samples of a path aim at, and the most one piece gets.
_MOST_SAMPLES = 40
_STEP = 32.0


_PATH_SEPARATORS = str.maketrans({"M": " ", "C": " ", ",": " "})


def _curve(d: str) -> list[tuple[float, float]]:
    """Points along a Graphviz path (``M x,y C x,y x,y x,y ...``), about every
    :data:`_STEP` points of each cubic piece's length (its control polygon's)."""
    try:
        nums = [float(n) for n in d.translate(_PATH_SEPARATORS).split()]
    except ValueError:  # not the M/C path Graphviz writes
        nums = [float(n) for n in _NUM.findall(d)]
    if len(nums) < 2:
        return []
    out = [(nums[0], nums[1])]
    for k in range(2, len(nums) - 5, 6):
        x0, y0 = nums[k - 2], nums[k - 1]
        x1, y1, x2, y2, x3, y3 = nums[k : k + 6]
        length = abs(x1 - x0) + abs(y1 - y0) + abs(x2 - x1) + abs(y2 - y1) + abs(x3 - x2) + abs(y3 - y2)
        weights = _weights(max(2, min(_MOST_SAMPLES, int(length / _STEP) + 1)))  # segments under 2 x _Lines.PAD
        out += [(a * x0 + b * x1 + c * x2 + e * x3, a * y0 + b * y1 + c * y2 + e * y3) for a, b, c, e in weights]
    return out


def _nearest(box: Box, pts: list[tuple[float, float]]) -> tuple[float, tuple[float, float], tuple[float, float]]:
    """(distance, point of the curve, point of the box) of the curve's nearest approach."""
    x0, y0, x1, y1 = box
    best, bp, bq = math.inf, (0.0, 0.0), (0.0, 0.0)
    for p in pts:
        px, py = p
        qx = x0 if px < x0 else (x1 if px > x1 else px)
        qy = y0 if py < y0 else (y1 if py > y1 else py)
        d2 = (px - qx) ** 2 + (py - qy) ** 2
        if d2 < best:
            best, bp, bq = d2, p, (qx, qy)
    return math.sqrt(best), bp, bq


def _fmt(v: float) -> str:
    text = f"{v:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


#: How much narrower than DejaVu Sans a browser may draw a label, on each side of a
#: centred one (Liberation Sans, Chromium's Sans-Serif here, measured about 10% narrower):
#: a label counts as beside its edge only if it is even when drawn that narrow.
_NARROWER = 0.07


class _Label:
    """An edge label: its lines, and where it stands (``anchor``: start, middle or end
    of every line at ``x``; ``dy``: moved down by it). Its box is the widest the text
    can be drawn (DejaVu Sans); its ``core`` the narrowest (see :data:`_NARROWER`)."""

    def __init__(self, body: str) -> None:
        found = [(m.group(1), float(m.group(2)), float(m.group(3)), m.group(6), float(m.group(5))) for m in _TEXT.finditer(body)]
        self.lines = found
        self.anchor, self.x, self.dy = (found[0][0], found[0][1], 0.0) if found else ("middle", 0.0, 0.0)
        self.moved = False
        if found:
            boxes = [_text_box(a, x, y, t, sz) for a, x, y, t, sz in found]
            self.width = max(b[2] - b[0] for b in boxes)
            self.top, self.bottom = min(b[1] for b in boxes), max(b[3] for b in boxes)

    def at(self, anchor: str, x: float, dy: float) -> tuple[Box, Box]:
        """(box, core) of the label standing at ``anchor``/``x``, moved down by ``dy``."""
        w, top, bottom = self.width, self.top + dy, self.bottom + dy
        x0 = x - w / 2 if anchor == "middle" else (x - w if anchor == "end" else x)
        box = (x0, top, x0 + w, bottom)
        cut = w * _NARROWER
        if anchor == "middle":
            core = (x0 + cut, top, x0 + w - cut, bottom)
        elif anchor == "end":
            core = (x0 + 2 * cut, top, x0 + w, bottom)
        else:
            core = (x0, top, x0 + w - 2 * cut, bottom)
        return box, core

    @property
    def box(self) -> Box:
        return self.at(self.anchor, self.x, self.dy)[0]

    @property
    def core(self) -> Box:
        return self.at(self.anchor, self.x, self.dy)[1]

    def text(self, body: str) -> str:
        """``body`` with the label's lines where it now stands."""
        lines = iter(self.lines)

        def line(t: re.Match[str]) -> str:
            next(lines, None)
            y = _fmt(float(t.group(3)) + self.dy)
            return f'<text text-anchor="{self.anchor}" x="{_fmt(self.x)}" y="{y}"{t.group(4)}>{t.group(6)}</text>'

        return _TEXT.sub(line, body)


class _Grid:
    """Boxes bucketed in square cells: what lies near a box, without a scan of every
    element of a view of hundreds of edges."""

    def __init__(self, cell: float = 64.0) -> None:
        self.CELL = cell
        self.cells: dict[tuple[int, int], list[tuple[Box, int]]] = {}

    def _keys(self, b: Box) -> list[tuple[int, int]]:
        c = self.CELL
        i0, i1, j0, j1 = int(b[0] // c), int(b[2] // c), int(b[1] // c), int(b[3] // c)
        return [(i, j) for i in range(i0, i1 + 1) for j in range(j0, j1 + 1)]

    def add(self, b: Box, owner: int) -> None:
        for k in self._keys(b):
            self.cells.setdefault(k, []).append((b, owner))

    def remove(self, b: Box, owner: int) -> None:
        for k in self._keys(b):
            self.cells[k].remove((b, owner))

    def near(self, b: Box) -> list[tuple[Box, int]]:
        c, cells = self.CELL, self.cells
        i0, i1, j0, j1 = int(b[0] // c), int(b[2] // c), int(b[1] // c), int(b[3] // c)
        if i0 == i1 and j0 == j1:
            return cells.get((i0, j0), [])
        seen: dict[tuple[Box, int], None] = {}
        for i in range(i0, i1 + 1):  # the cells in the order of _keys
            for j in range(j0, j1 + 1):
                for item in cells.get((i, j), ()):
                    seen[item] = None
        return list(seen)


Segment = tuple[float, float, float, float, int]  # x0, y0, x1, y1, edge


class _Lines:
    """Every edge's line as short straight segments (a point about every
    :data:`_STEP` points of each cubic piece), bucketed in square cells by their middle."""

    CELL = 64.0
    #: Half the longest segment: how much farther than a box its segments' middles may be.
    PAD = 32.0

    def __init__(self) -> None:
        self.cells: defaultdict[tuple[int, int], list[Segment]] = defaultdict(list)
        self.of: dict[int, list[tuple[float, float]]] = {}

    def add(self, owner: int, paths: list[str]) -> None:
        c, cells = self.CELL, self.cells
        pts_all: list[tuple[float, float]] = []
        for d in paths:
            pts = _curve(d)
            pts_all += pts
            for (ax, ay), (bx, by) in itertools.pairwise(pts):
                cells[(int((ax + bx) / 2 // c), int((ay + by) / 2 // c))].append((ax, ay, bx, by, owner))
        self.of[owner] = pts_all

    def near(self, b: Box) -> Iterator[Segment]:
        c, cells, pad = self.CELL, self.cells, self.PAD
        for i in range(int((b[0] - pad) // c), int((b[2] + pad) // c) + 1):
            for j in range(int((b[1] - pad) // c), int((b[3] + pad) // c) + 1):
                if (i, j) in cells:
                    yield from cells[(i, j)]


def _crosses(seg: Segment, b: Box) -> bool:
    """Whether a segment passes through the inside of box ``b`` (Liang-Barsky)."""
    x0, y0, x1, y1, _ = seg
    dx, dy = x1 - x0, y1 - y0
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, x0 - b[0]), (dx, b[2] - x0), (-dy, y0 - b[1]), (dy, b[3] - y0)):
        if p == 0:
            if q <= 0:
                return False
        else:
            t = q / p
            if p < 0:
                if t > t1:
                    return False
                t0 = max(t0, t)
            else:
                if t < t0:
                    return False
                t1 = min(t1, t)
    return t0 < t1


def _seg_dist(seg: Segment, b: Box) -> float:
    """Distance from a segment to box ``b`` (0 when it crosses it)."""
    if _crosses(seg, b):
        return 0.0
    x0, y0, x1, y1, _ = seg
    best = min(_point_box(x0, y0, b), _point_box(x1, y1, b))
    dx, dy = x1 - x0, y1 - y0
    length2 = dx * dx + dy * dy
    if length2 > 0:
        for cx, cy in ((b[0], b[1]), (b[2], b[1]), (b[0], b[3]), (b[2], b[3])):
            t = max(0.0, min(1.0, ((cx - x0) * dx + (cy - y0) * dy) / length2))
            best = min(best, math.hypot(x0 + t * dx - cx, y0 + t * dy - cy))
    return best


def _point_box(x: float, y: float, b: Box) -> float:
    ddx = b[0] - x if x < b[0] else (x - b[2] if x > b[2] else 0.0)
    ddy = b[1] - y if y < b[1] else (y - b[3] if y > b[3] else 0.0)
    return math.hypot(ddx, ddy)


_NODE_TITLE = re.compile(r'(<g id="([^"]*)" class="node">\n<title>)(.*?)(</title>)', re.DOTALL)


def finish(svg: str, titles: Mapping[str, str]) -> str:
    """``svg`` with each node's ``<title>`` set to ``titles[node id]`` (the node's whole
    label; SVG ids as the drawer pins them, ``n-<id>``) and its edge labels moved onto
    their edges. Deterministic: the same SVG and titles give the same bytes."""
    groups = list(_GROUP.finditer(svg))
    lines = _Lines()
    labels: dict[int, _Label] = {}
    for i, m in enumerate(groups):
        if m.group(2) == "edge":
            body = m.group(3)
            lines.add(i, _PATH_D.findall(body))
            if "<text" in body:
                label = _Label(body)
                if label.lines:
                    labels[i] = label
    # only a label away from its edge, or nearer another, is moved: the nodes, titles
    # and arrowheads it must keep off are read only when there is one
    todo = [i for i, label in labels.items() if not _beside(i, label, lines)]
    if todo:
        obstacles, placed = _obstacles(groups), _Grid()
        for i, label in labels.items():
            placed.add(label.box, i)
        for i in todo:
            _place(i, labels[i], obstacles, lines, placed)
    out: list[str] = []
    last = 0
    for i in todo:
        label, m = labels[i], groups[i]
        if not label.moved:
            continue
        out.append(svg[last : m.start(3)])
        out.append(label.text(m.group(3)))
        last = m.end(3)
    out.append(svg[last:])

    def title(m: re.Match[str]) -> str:
        full = titles.get(html.unescape(m.group(2)))
        return m.group(0) if full is None else f"{m.group(1)}{html.escape(full, quote=False)}{m.group(4)}"

    return _NODE_TITLE.sub(title, "".join(out))


def _obstacles(groups: list[re.Match[str]]) -> _Grid:
    """What an edge label must keep off: node icons, boxes and labels, cluster titles,
    arrowheads."""
    grid = _Grid()
    for m in groups:
        cls, body = m.group(2), m.group(3)
        for p in _POINTS.finditer(body):  # an arrowhead; a framed node's box
            grid.add(_points_box([float(n) for n in _NUM.findall(p.group(1))]), -1)
        if cls == "edge":
            continue
        for t in _TEXT.finditer(body):
            grid.add(_text_box(t.group(1), float(t.group(2)), float(t.group(3)), t.group(6), float(t.group(5))), -1)
        for u in _USE.finditer(body):
            x, y, w, h = (float(v) for v in u.groups())
            grid.add((x, y, x + w, y + h), -1)
    return grid


def _shift(b: Box, dx: float, dy: float) -> Box:
    return (b[0] + dx, b[1] + dy, b[2] + dx, b[3] + dy)


def _beside(i: int, label: _Label, lines: _Lines) -> bool:
    """Whether ``label`` of edge ``i`` reads as its edge's where it stands: within
    :data:`LABEL_GAP` of it even drawn narrow, crossed by no line, and no other edge as
    near."""
    box, core = label.box, label.core
    mine = _own_distance(i, core, lines, _NEAR_ENOUGH)
    if mine > _NEAR_ENOUGH:
        return False
    return _clear(i, box, mine + _CLEARANCE, lines)


def _clear(i: int, box: Box, reach: float, lines: _Lines) -> bool:
    """No line crosses ``box``, and no other edge than ``i`` comes within ``reach``.

    The hot loop of label placement (tens of thousands of calls for a large model's
    views): the cells of :meth:`_Lines.near` are walked here, and a segment whose box
    misses the reach is passed over before any call."""
    inner = (box[0] + 0.5, box[1] + 0.5, box[2] - 0.5, box[3] - 0.5)
    x0, y0, x1, y1 = box[0] - reach, box[1] - reach, box[2] + reach, box[3] + reach
    c, cells, pad = lines.CELL, lines.cells, lines.PAD
    rows = range(int((y0 - pad) // c), int((y1 + pad) // c) + 1)
    for ci in range(int((x0 - pad) // c), int((x1 + pad) // c) + 1):
        for cj in rows:
            segs = cells.get((ci, cj))
            if not segs:
                continue
            for seg in segs:
                sx0, sy0, sx1, sy1, owner = seg
                if sx0 < x0 and sx1 < x0 or sx0 > x1 and sx1 > x1 or sy0 < y0 and sy1 < y0 or sy0 > y1 and sy1 > y1:
                    continue  # its box misses the reach: neither crosses nor comes near
                if _crosses(seg, inner):
                    return False  # a line would cross the label
                if owner != i and _seg_dist(seg, box) <= reach:
                    return False  # a reader would give it to that other edge
    return True


def _own_distance(i: int, box: Box, lines: _Lines, within: float) -> float:
    """How far ``box`` is from edge ``i``'s line, if no farther than ``within`` (else inf)."""
    near = lines.near((box[0] - within, box[1] - within, box[2] + within, box[3] + within))
    return min((_seg_dist(seg, box) for seg in near if seg[4] == i), default=math.inf)


def _free(i: int, box: Box, mine: float, obstacles: _Grid, lines: _Lines, placed: _Grid) -> bool:
    """Whether a label of edge ``i`` may sit at ``box``, ``mine`` from its own edge: on
    no node, arrowhead, other label or line, and nearer its own edge than any other."""
    bx0, by0, bx1, by1 = box
    for (x0, y0, x1, y1), _ in obstacles.near(box):
        if min(bx1, x1) - max(bx0, x0) > 0.5 and min(by1, y1) - max(by0, y0) > 0.5:
            return False
    for (x0, y0, x1, y1), owner in placed.near(box):
        if owner != i and min(bx1, x1) - max(bx0, x0) > 0.5 and min(by1, y1) - max(by0, y0) > 0.5:
            return False
    return _clear(i, box, mine + _CLEARANCE, lines)


def _place(i: int, label: _Label, obstacles: _Grid, lines: _Lines, placed: _Grid) -> None:
    """Put ``label`` at the nearest free place beside a point of its edge's middle part:
    above or below it (centred), left of it (its lines ending there) or right of it
    (starting there), :data:`LABEL_GAP` away, so that the side that faces the edge stays
    put whatever font the reader's browser draws it in. With no free place it stays
    where Graphviz put it."""
    own = lines.of[i]
    if not own:
        return
    box = label.box
    # a label a line crosses where it stands is worth a longer search than one that is
    # only away from its edge
    crossed = not _clear(-1, box, 0.0, lines)
    points, tries = (_BESIDE_POINTS * 3, _BESIDE_TRIES * 4) if crossed else (_BESIDE_POINTS, _BESIDE_TRIES)
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    half_h = (label.bottom - label.top) / 2
    g = LABEL_GAP
    middle = own[len(own) // 6 : len(own) - len(own) // 6] or own
    middle = heapq.nsmallest(points, middle, key=lambda pt: ((pt[0] - cx) ** 2 + (pt[1] - cy) ** 2, pt))
    candidates = []
    # the centre of label.at(anchor, x, dy)'s box, without building it: x itself, or half
    # the width left or right of it; the middle of the text's height, moved by dy
    half_w, mid = label.width / 2, (label.top + label.bottom) / 2
    for px, py in middle:
        above, below, level = py - g - label.bottom, py + g - label.top, py - (label.top + half_h)
        for anchor, x, dy in (
            ("middle", px, above), ("middle", px, below), ("end", px - g, level), ("start", px + g, level),
            ("end", px - g, above), ("start", px + g, above), ("end", px - g, below), ("start", px + g, below),
        ):
            mx = x if anchor == "middle" else (x - half_w if anchor == "end" else x + half_w)
            shift = (mx - cx) ** 2 + (mid + dy - cy) ** 2
            candidates.append((shift, anchor, x, dy))
    candidates.sort()
    for _, anchor, x, dy in candidates[:tries]:
        moved, _ = label.at(anchor, x, dy)
        # built LABEL_GAP from a point of its edge: no farther than that from it
        if _free(i, moved, LABEL_GAP, obstacles, lines, placed):
            placed.remove(label.box, i)
            placed.add(moved, i)
            label.anchor, label.x, label.dy, label.moved = anchor, round(x, 2), round(dy, 2), True
            return


_SVG_SIZE = re.compile(r'(<svg\b[^>]*?)\swidth="([\d.]+)pt" height="([\d.]+)pt"')


def size(svg: bytes) -> tuple[float, float] | None:
    """The width and height (points) Graphviz gave an SVG, if it says."""
    m = _SVG_SIZE.search(svg[:4096].decode("utf-8", "replace"))
    return (float(m.group(2)), float(m.group(3))) if m else None


#: A point in CSS pixels: a browser draws an SVG of ``width="300pt"`` 400 px wide.
PX_PER_PT = 4 / 3


def css_size(svg: bytes) -> tuple[float, float] | None:
    """The width and height a browser draws an SVG at full size (CSS pixels), if it says."""
    wh = size(svg)
    return None if wh is None else (wh[0] * PX_PER_PT, wh[1] * PX_PER_PT)


def fluid(svg: bytes) -> bytes:
    """``svg`` sized to whatever shows it (``width`` and ``height`` 100%; its viewBox
    keeps the proportions): an ``<object>`` as wide as a page's column scales it."""
    text = svg.decode("utf-8")
    return _SVG_SIZE.sub(r'\1 width="100%" height="100%"', text, count=1).encode("utf-8")


def add_links(svg: bytes, links: Mapping[str, str], target: str = "_top") -> bytes:
    """``svg`` with each node or cluster whose SVG id is a key of ``links`` wrapped in a
    link to its value (a relative URL). Plain SVG ``<a>``: it works with JavaScript off,
    and ``target`` opens it in the page that shows the diagram."""
    text = svg.decode("utf-8")

    def wrap(m: re.Match[str]) -> str:
        href = links.get(html.unescape(m.group(1)))
        if href is None:
            return m.group(0)
        url = html.escape(href, quote=True)
        return f'<a xlink:href="{url}" href="{url}" target="{html.escape(target, quote=True)}">\n{m.group(0)}</a>\n'

    return _GROUP.sub(wrap, text).encode("utf-8")
