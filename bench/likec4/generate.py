"""An archgen model as an equivalent LikeC4 workspace, for the peer benchmark.

    python bench/likec4/generate.py arch/bench-1000.yaml OUTDIR    # writes OUTDIR/model.c4

Equivalent means the same elements, the same relationships and about the same pictures:

- each archgen component is a LikeC4 element of a kind named after the archgen kind, with
  its title, and its archgen kind as the technology;
- each archgen ``group`` is a ``system`` element holding its components (archgen draws a
  group as a cluster); components with no group sit at the top level;
- each flow is a relationship with its label;
- views: ``index`` (every top-level element: the groups and the ungrouped components,
  like archgen's group-level overview of a large model) and, per group, a view of that
  group's components and what they talk to (like archgen's ``group-<slug>`` views);
  a model of at most ``LARGE`` components gets one ``index`` view of every element
  instead, as archgen draws it.

Only the benchmark uses this; archgen itself never writes LikeC4.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from archgen.model import Model

#: archgen draws one overview of every component up to this many (views.LARGE_MODEL_COMPONENTS).
LARGE = 60


def _quote(text: str) -> str:
    """A LikeC4 single-quoted string."""
    return "'" + str(text).replace("\\", "\\\\").replace("'", "\\'").replace("\n", " ") + "'"


def _ident(text: str, used: set[str]) -> str:
    """A LikeC4 identifier (a letter first, then letters, digits, '-' or '_'), unique."""
    base = re.sub(r"[^A-Za-z0-9_-]+", "_", text)
    if not base or not base[0].isalpha():
        base = "g_" + base
    name, n = base, 2
    while name in used:
        name, n = f"{base}_{n}", n + 1
    used.add(name)
    return name


def to_likec4(model: Model) -> str:
    """The LikeC4 source (one file) equivalent to ``model``."""
    comps = sorted(model.components.values(), key=lambda c: c.id)
    kinds = sorted({c.kind for c in comps})
    groups: dict[str, list] = {}
    for c in comps:
        groups.setdefault(c.group or "", []).append(c)
    used: set[str] = {c.id for c in comps}
    group_ids = {g: _ident("grp-" + g, used) for g in sorted(groups) if g}
    fqn = {c.id: (f"{group_ids[c.group]}.{c.id}" if c.group else c.id) for c in comps}

    out = ["specification {", "  element system"]
    out += [f"  element {k}" for k in kinds]
    out += ["}", "", "model {"]
    for g, members in sorted(groups.items()):
        indent = "  "
        if g:
            out.append(f"  {group_ids[g]} = system {_quote(g)} {{")
            indent = "    "
        for c in members:
            out.append(f"{indent}{c.id} = {c.kind} {_quote(c.display_name)} {{")
            out.append(f"{indent}  technology {_quote(c.kind)}")
            out.append(f"{indent}}}")
        if g:
            out.append("  }")
    for f in model.flows:
        label = f" {_quote(f.label)}" if f.label else ""
        out.append(f"  {fqn[f.source]} -> {fqn[f.to]}{label}")
    out += ["}", "", "views {"]
    if len(comps) <= LARGE:
        # every element, nested ones too: LikeC4 1.59 has no top-level "**"
        nested = [f"    include {group_ids[g]}.**" for g in sorted(group_ids)]
        out += ["  view index {", f"    title {_quote(model.display_name)}", "    include *", *nested, "  }"]
    else:
        out += ["  view index {", f"    title {_quote(model.display_name)}", "    include *", "  }"]
        for g in sorted(group_ids):
            gid = group_ids[g]
            out += [f"  view {gid.replace('-', '_')} of {gid} {{", f"    title {_quote(g)}", "    include *", "  }"]
    out += ["}", ""]
    return "\n".join(out)


def write_workspace(model: Model, dest: Path) -> Path:
    """Write ``dest/model.c4`` (the benchmark's own temporary folder) and return it."""
    dest.mkdir(parents=True, exist_ok=True)
    path = dest / "model.c4"
    path.write_text(to_likec4(model), encoding="utf-8")
    return path


if __name__ == "__main__":
    from archgen.sources.loader import load_model

    write_workspace(load_model(sys.argv[1]), Path(sys.argv[2]))
