"""How big the diagrams are: every view of a bench model (or of model files) drawn, and
each SVG's width and height read from the file, in CSS pixels (Graphviz writes points;
a browser draws a point as 4/3 px). Prints the views over the bound of docs/diagrams.md
("Large models") and the largest sides.

    python bench/view_sizes.py 1000            # a bench/generate.py model of 1,000 components
    python bench/view_sizes.py arch/ml-serving.yaml examples/*/arch/*.yaml [-v]

Run it with ``PYTHONPATH`` at another copy of archgen's ``src`` for before/after figures.
Nothing here asserts anything; tests/test_view_size.py does.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate


def sizes(model: object) -> dict[str, tuple[float, float]]:
    """Each view of ``model`` drawn, as (width, height) in CSS pixels, by file name."""
    from archgen.generators import draw, svglayout, views
    from archgen.rules import run_rules

    specs = views.build_views(model, run_rules(model))
    out = {}
    for name, data in sorted(draw.render(specs).items()):
        out[name] = svglayout.css_size(data) or (0.0, 0.0)
    return out


def main(argv: list[str]) -> int:
    from archgen.generators.views import MAX_ASPECT, MAX_SIDE_PX
    from archgen.sources.loader import load_model, parse_model

    verbose = "-v" in argv
    args = [a for a in argv if a != "-v"]
    found: dict[str, tuple[float, float]] = {}
    for arg in args:
        if arg.isdigit():
            model = parse_model(generate(int(arg)), f"bench-{arg}.yaml")
        else:
            model = load_model(Path(arg))
        for name, wh in sizes(model).items():
            found[f"{model.name}/{name}"] = wh
    side = max(max(w, h) for w, h in found.values())
    ratio = max(max(w, h) / max(min(w, h), 1.0) for w, h in found.values())
    for name, (w, h) in sorted(found.items(), key=lambda kv: -max(kv[1])):
        if verbose or max(w, h) > MAX_SIDE_PX or max(w, h) / max(min(w, h), 1.0) > MAX_ASPECT:
            print(f"{name}: {w:.0f}x{h:.0f} px")
    print(f"{len(found)} views; largest side {side:.0f} px; largest aspect ratio {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
