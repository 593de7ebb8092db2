"""``archgen diagram``: draw the views of each model as SVG, PNG or DOT files."""

from __future__ import annotations

import argparse

from archgen.commands._common import add_paths
from archgen.rendering.formats import names as format_names

NAME = "diagram"
HELP = "draw the diagram views of each model (SVG, PNG or DOT)"
DESCRIPTION = (
    "Draw each model's views (overview, network, data, findings; per group for large "
    "models) with its provider's icons, through Graphviz. SVGs embed their icons, so they "
    "display when opened alone or published. Files go to DIR/<model>/<view>.<format>; "
    "views that did not change are taken from the render cache without running Graphviz."
)
VIEWS = ("overview", "network", "data", "findings")
DEFAULT_OUT = "build/diagrams"
DEFAULT_CACHE = ".archgen/cache/diagrams"  # the one `archgen build` uses: they share renderings


def register(parser: argparse.ArgumentParser) -> None:
    add_paths(parser)
    parser.add_argument(
        "--view",
        action="append",
        metavar="VIEW",
        help="overview, network, data, findings, group-<name> (large models) or all "
        "(default: all); a view cut in parts by its name (all parts) or a part's (data-part-2); "
        "repeat or separate with commas for several",
    )
    parser.add_argument(
        "--format",
        action="append",
        metavar="FORMAT",
        help=f"{', '.join(format_names('diagram'))} (default: {format_names('diagram')[0]}); repeat or separate with commas for several",
    )
    parser.add_argument("-o", "--output", metavar="DIR", default=DEFAULT_OUT, help=f"output folder (default: {DEFAULT_OUT})")
    parser.add_argument("--cache-dir", metavar="DIR", default=DEFAULT_CACHE, help=f"render cache (default: {DEFAULT_CACHE})")
    parser.add_argument("--no-cache", action="store_true", help="render every view, and keep nothing in the cache")
    parser.add_argument("-j", "--jobs", type=int, metavar="N", help="views rendered at once (default: one per CPU)")


def _split(values: list[str] | None, default: str) -> list[str]:
    out: list[str] = []
    for value in values or [default]:
        out += [v.strip() for v in value.split(",") if v.strip()]
    return list(dict.fromkeys(out))


def run(args: argparse.Namespace) -> int:
    import functools
    import sys
    from collections.abc import Iterable
    from pathlib import Path

    from archgen.commands._common import claim_output, load, load_decisions
    from archgen.generators.draw import FORMATS, RenderStats, dot_pool, start_render
    from archgen.errors import UsageError
    from archgen.rules import run_rules
    from archgen.generators.views import ViewSpec, build_views, iter_views, whole_name
    from archgen.writer import mark, write_files

    formats = _split(args.format, format_names("diagram")[0])
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise UsageError(f"--format {bad[0]!r}: choose from {', '.join(FORMATS)}")
    wanted = _split(args.view, "all")
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")

    out = claim_output(args, args.output, "-o")
    models = load(args)
    decisions = load_decisions(".")
    cache = None if args.no_cache else Path(args.cache_dir)
    stats = RenderStats()
    renderings = []
    pool = dot_pool(args.jobs)  # `--jobs` dot processes at a time over all models
    try:
        for model in models:
            findings = functools.partial(run_rules, model, decisions)
            if "all" in wanted:
                # views are built one by one as the renderer asks, so Graphviz starts
                # on the first while the next is built; the rules run only when the
                # findings view is due
                specs: Iterable[ViewSpec] = iter_views(model, findings)
            else:
                specs = build_views(model, findings())
                # a view cut in parts (data-part-1, data-part-2...) is asked for by its name too
                names = [s.name for s in specs]
                known = set(names) | {whole_name(n) for n in names}
                unknown = [w for w in wanted if w not in known]
                if unknown:
                    raise UsageError(f"model {model.name} has no view {unknown[0]!r}; its views: {', '.join(names)}")
                specs = [s for s in specs if s.name in wanted or whole_name(s.name) in wanted]
            renderings.append((model, start_render(specs, formats=formats, cache_dir=cache, stats=stats, pool=pool)))
        # everything renders before anything is written
        outputs = [(model, rendering.result()) for model, rendering in renderings]
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    mark(out)
    for model, files in outputs:
        folder = Path(args.output) / model.name
        write_files(folder, files)
        for name in files:
            sys.stdout.write(f"{folder / name}\n")
    total = stats.hits + stats.misses
    if total:
        sys.stderr.write(
            f"archgen: {total} rendering{'s' if total != 1 else ''}: {stats.misses} by Graphviz "
            f"({stats.dot_seconds:.2f} s), {stats.hits} from the cache\n"
        )
    if stats.relabelled:
        sys.stderr.write(
            f"archgen: Graphviz could not lay out {', '.join(sorted(stats.relabelled))} with labels on the edges; "
            "labels placed beside them\n"
        )
    if stats.unclustered:
        sys.stderr.write(
            f"archgen: Graphviz could not lay out {', '.join(sorted(stats.unclustered))} with its clusters; "
            "drawn without the cluster boxes\n"
        )
    return 0
