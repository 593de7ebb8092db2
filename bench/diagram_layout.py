"""How readable the diagrams are: every view of the given models drawn, then measured in
headless Chromium by tests/svgcheck.py (overlapping texts, texts on icons, split words,
shortened labels, edge labels far from their edge, arrowheads on texts).

    python bench/diagram_layout.py arch/ml-serving.yaml tests/fixtures/views/*.yaml [-v]

Run it with ``PYTHONPATH`` at another copy of archgen's ``src`` for before/after figures
(docs/diagrams.md, "Readable labels"). Nothing here asserts anything; the tests do.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

import svgcheck  # noqa: E402


def main(argv: list[str]) -> int:
    from archgen.generators import draw, views
    from archgen.rules import run_rules
    from archgen.sources.loader import load_model

    verbose = "-v" in argv
    paths = [Path(a) for a in argv if a != "-v"]
    files: list[Path] = []
    labels: dict[str, dict[str, str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for i, path in enumerate(paths):
            model = load_model(path)
            specs = views.build_views(model, run_rules(model))
            for name, data in draw.render(specs).items():
                # numbered: two models may share a name (the bank fixture and gallery model)
                out = Path(tmp) / f"{i:02d}-{model.name}.{name}"
                out.write_bytes(data)
                files.append(out)
                spec = next(s for s in specs if f"{s.name}.svg" == name)
                labels[str(out)] = {f"n-{n.id}": n.label for n in spec.nodes}
        total: dict[str, int] = {}
        for lay in svgcheck.measure_files(files, labels):
            c = lay.counts()
            for k, v in c.items():
                total[k] = total.get(k, 0) + v
            print(f"{Path(lay.name).name}: {lay.width:.0f}x{lay.height:.0f} px, " + ", ".join(f"{k} {v}" for k, v in c.items() if v))
            if verbose:
                for k in c:
                    for item in getattr(lay, k):
                        print(f"    {k}: {item}")
    print(f"{len(files)} views; total: " + ", ".join(f"{k} {v}" for k, v in total.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
