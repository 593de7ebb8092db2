"""``archgen diff``: what a change does to the architecture, for a pull-request review.

Each side is a model file, a folder of models, or an architecture repository (a folder
with ``arch/`` and ``decisions/``); with ``--git REV`` the base side is the same path as
committed at revision REV, read straight from the repository (``git ls-tree`` and
``git cat-file``: no checkout, no worktree, nothing written). Reading is
:mod:`archgen.sources`; this module is the command line only.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from archgen.rendering.formats import add_format_option

if TYPE_CHECKING:
    from archgen.sources import Bundle

NAME = "diff"
HELP = "what a change does to the architecture: components, flows, findings, cost, ADRs, drawn"
DESCRIPTION = (
    "Compare two versions of the architecture: components added, removed and changed (field "
    "by field), flows, findings introduced and resolved, lock-in score and indicative monthly "
    "estimate per provider, ADRs added or with a new status. BASE and HEAD are each a model "
    "file, a folder of models, or a repository folder holding arch/ (and decisions/). With "
    "--git REV the base side is HEAD's path as committed at git revision REV, e.g. "
    "'archgen diff --git origin/main' in a pull request. Exit status: 0; 1 when --fail-on is "
    "given and the change introduces an unaccepted finding at or above it (findings that "
    "were already there never count); 2 when a side cannot be read or the command is misused."
)

#: Files written by -o DIR.
OUTPUTS = ("diff.md", "diff.json", "diff.svg", "diff.png")


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "sides",
        nargs="*",
        metavar="SIDE",
        help="BASE HEAD: each a model file, a folder of models, or a folder with arch/; "
        "with --git, only HEAD (default: the current directory)",
    )
    parser.add_argument(
        "--git",
        metavar="REV",
        help="read the base side from git revision REV (a branch, tag or commit: origin/main, HEAD~1)",
    )
    add_format_option(parser, "diff", help="what to print: %(choices)s (default: %(default)s)")
    parser.add_argument(
        "-o",
        "--output",
        metavar="DIR",
        help="also write diff.md, diff.json, diff.svg and diff.png into DIR (needs Graphviz)",
    )
    parser.add_argument(
        "--fail-on",
        choices=("error", "warning", "info"),
        help="exit 1 when the change introduces an unaccepted finding at or above this severity "
        "(default: never)",
    )
    from archgen.commands.verify import add_infra_options

    add_infra_options(parser, "; the comment gets a Drift section (the head models against it, new and resolved since the base models)")
    parser.add_argument(
        "--diagram-url",
        metavar="URL",
        help="where the diagram will be published: the Markdown shows and links the image there",
    )


# ---------------------------------------------------------------------------
# the two sides


def read_sides(args: argparse.Namespace) -> tuple[Bundle, Bundle]:
    """(base, head) as the arguments name them: two paths, or ``--git REV`` and one path."""
    from archgen.errors import UsageError
    from archgen.sources import read_repository, read_revision
    from archgen.sources.git import RevisionError, check_revision

    if args.git is not None:
        if len(args.sides) > 1:
            raise UsageError("with --git REV, give only the HEAD side (the base side is read from REV)")
        head_path = args.sides[0] if args.sides else "."
        try:
            check_revision(args.git)
            head = read_repository(head_path, "working tree" if not args.sides else None)
            return read_revision(args.git, head_path), head
        except RevisionError as exc:
            raise UsageError(f"--git: {exc}") from None
    if len(args.sides) != 2:
        raise UsageError("give two sides, BASE and HEAD (or --git REV and at most one side)")
    return read_repository(args.sides[0]), read_repository(args.sides[1])


def run(args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    from archgen.generators.diff import diff_models, render_json, render_markdown
    from archgen.generators.diffdraw import diff_view, to_mermaid

    from archgen.commands._common import settle

    if args.output:
        from archgen.commands._common import claim_output

        claim_output(args, args.output, "-o", paths=args.sides)
    infra_paths = [*args.plan, *args.state]
    infra = None
    if infra_paths:
        from archgen.infra import read

        infra = read([Path(p) for p in infra_paths])  # an unreadable plan: a FILE error before any work
    base, head = read_sides(args)
    settle()
    for side, what in ((base, "added"), (head, "removed")):
        if not side.models:
            print(f"archgen diff: no models in {side.label}: every model counts as {what}", file=sys.stderr)
    diff = diff_models(
        base.models, head.models, base.decisions, head.decisions, base_label=base.label, head_label=head.label
    )
    if infra is not None:
        from dataclasses import replace

        from archgen.drift import verify
        from archgen.generators.diff import drift_report

        diff = replace(diff, drift=drift_report(verify(list(base.models), infra), verify(list(head.models), infra), infra_paths))
    view = diff_view(diff)
    structural = any(n.status != "unchanged" for n in view.nodes) or any(e.status != "unchanged" for e in view.edges)
    mermaid = to_mermaid(view) if structural else None
    if args.output:
        from archgen.generators.draw import render
        from archgen.writer import mark, write_files

        drawn = render([view], formats=("svg", "png"))
        files: dict[str, str | bytes] = {
            "diff.md": render_markdown(diff, args.diagram_url or "diff.svg", mermaid=mermaid),
            "diff.json": render_json(diff),
            "diff.svg": drawn[f"{view.name}.svg"],
            "diff.png": drawn[f"{view.name}.png"],
        }
        write_files(args.output, files)
        mark(Path(args.output))
    from archgen.rendering.formats import render as render_format

    sys.stdout.write(render_format("diff", args.format, diff, diagram_href=args.diagram_url, mermaid=mermaid))
    if args.fail_on:
        bad = diff.gating(args.fail_on)
        if bad:
            n = len(bad)
            print(
                f"archgen diff: the change introduces {n} unaccepted finding{'s' if n != 1 else ''} "
                f"at or above {args.fail_on}",
                file=sys.stderr,
            )
            return 1
    return 0
