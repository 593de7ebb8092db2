"""``archgen import``: a model from another tool's workspace (docs/interop.md)."""

from __future__ import annotations

import argparse

NAME = "import"
HELP = "write an archgen model from a Structurizr workspace (DSL or JSON)"
DESCRIPTION = (
    "Read a Structurizr workspace (.dsl, or the JSON workspace .json) and write the archgen "
    "model it describes: people as actors, the modelled system's containers as components "
    "(kinds inferred from their technology, guesses marked in comments), other systems as "
    "external, Kubernetes and VM deployment nodes as hosts with runs_on, relationships as "
    "flows. What cannot be mapped is listed in comments; DSL archgen cannot read (scripts, "
    "plugins, !include outside the folder) is an error at FILE:LINE:COLUMN."
)
#: What can be imported: source -> its importer (a function of the file, returning YAML).
SOURCES = {"structurizr": "archgen.sources.structurizr:import_workspace"}


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", choices=sorted(SOURCES), help="the tool the workspace comes from: %(choices)s")
    parser.add_argument("file", metavar="FILE", help="the workspace: a .dsl file or a JSON workspace (.json)")
    parser.add_argument("-o", "--output", metavar="OUT.yaml", help="write the model there (default: standard output)")


def run(args: argparse.Namespace) -> int:
    import sys
    from importlib import import_module
    from pathlib import Path

    from archgen.errors import UsageError

    path = Path(args.file)
    if not path.is_file():
        raise UsageError(f"{args.file}: no such file")
    module, _, function = SOURCES[args.source].partition(":")
    text = getattr(import_module(module), function)(path)
    from archgen.sources.loader import parse_model

    parse_model(text, args.output or "<imported model>")  # what is written, archgen reads
    if args.output is None:
        sys.stdout.write(text)
        return 0
    from archgen.writer import write_file

    write_file(args.output, text)
    sys.stderr.write(f"archgen: wrote {args.output}; check it with: archgen check {args.output}\n")
    return 0
