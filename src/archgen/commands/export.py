"""``archgen export``: each model in a format another tool reads (docs/interop.md)."""

from __future__ import annotations

import argparse

from archgen.commands._common import add_paths
from archgen.rendering.formats import add_format_option

NAME = "export"
HELP = "export each model for other tools (Mermaid, LikeC4, Structurizr, Backstage, OTM, draw.io)"
DESCRIPTION = (
    "Write each model in a format another tool reads: a Mermaid flowchart or architecture-beta "
    "diagram, a LikeC4 .c4 file, a Structurizr DSL or JSON workspace, Backstage catalog "
    "entities, an Open Threat Model (with the findings as threats) or a diagrams.net file. "
    "With one model and no -o, the export goes to standard output; with -o DIR, each model's "
    "export goes to DIR/<model><suffix> (written atomically)."
)


def register(parser: argparse.ArgumentParser) -> None:
    add_paths(parser)
    add_format_option(parser, "export")
    parser.add_argument("-o", "--output", metavar="DIR", help="output folder (default: standard output, one model only)")


def run(args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    from archgen.commands._common import load, load_decisions
    from archgen.errors import UsageError
    from archgen.generators.export import file_name
    from archgen.rendering import formats

    if args.output is not None:  # a folder of archgen's own, checked before any work
        from archgen.commands._common import claim_output

        claim_output(args, args.output, "-o")
    models = load(args)
    if args.output is None and len(models) != 1:
        raise UsageError(f"{len(models)} models: give -o DIR to write one file per model")
    fmt = formats.get("export", args.format)
    decisions = load_decisions(".") if "findings" in fmt.options else []
    texts = []
    for model in models:  # everything is rendered before anything is written
        options = {}
        if "findings" in fmt.options:
            from archgen.rules import run_rules

            options["findings"] = run_rules(model, decisions, models=models)
        texts.append((model, formats.render("export", args.format, model, **options)))
    if args.output is None:
        sys.stdout.write(texts[0][1])
        return 0
    from archgen.writer import mark, write_files

    files = {file_name(model, args.format): text for model, text in texts}
    write_files(Path(args.output), files)
    mark(Path(args.output))
    for name in sorted(files):
        sys.stdout.write(f"{Path(args.output) / name}\n")
    return 0
