"""``archgen import``: a model from another tool's workspace or from Terraform (docs/interop.md, docs/import.md)."""

from __future__ import annotations

import argparse

NAME = "import"
HELP = "write an archgen model from a Structurizr workspace or from Terraform (plan, state or .tf folder)"
DESCRIPTION = (
    "Read a Structurizr workspace (.dsl, or the JSON workspace .json) and write the archgen "
    "model it describes: people as actors, the modelled system's containers as components "
    "(kinds inferred from their technology, guesses marked in comments), other systems as "
    "external, Kubernetes and VM deployment nodes as hosts with runs_on, relationships as "
    "flows. What cannot be mapped is listed in comments; DSL archgen cannot read (scripts, "
    "plugins, !include outside the folder) is an error at FILE:LINE:COLUMN. "
    "Or read Terraform (the JSON of `terraform show -json` for a saved plan or a state, "
    "several files for several root modules, or a folder of .tf files) and draft a model: "
    "components from the resource types (via the catalog), groups from modules, flows from "
    "security groups, IAM policies and load balancer target groups, a comment on every guess."
)
#: What can be imported: source -> (its importer: a function of the paths, returning YAML; how many paths it takes).
SOURCES = {
    "structurizr": ("archgen.sources.structurizr:import_workspace", "one"),
    "terraform": ("archgen.sources.terraform:import_terraform", "many"),
}


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", choices=sorted(SOURCES), help="the tool the input comes from: %(choices)s")
    parser.add_argument(
        "paths", nargs="+", metavar="PATH",
        help="structurizr: a .dsl file or a JSON workspace (.json); terraform: PLAN.json or STATE.json "
             "(`terraform show -json`, several for several root modules) or one folder of .tf files",
    )
    parser.add_argument("-o", "--output", metavar="OUT.yaml", help="write the model there (default: standard output)")
    parser.add_argument("--force", action="store_true", help="replace OUT.yaml when it exists")


def run(args: argparse.Namespace) -> int:
    import sys
    from importlib import import_module
    from pathlib import Path

    from archgen.errors import UsageError

    target, arity = SOURCES[args.source]
    if arity == "one" and len(args.paths) != 1:
        raise UsageError(f"import {args.source} reads one file, not {len(args.paths)}")
    paths = [Path(p) for p in args.paths]
    for p in paths:
        if not (p.is_file() or (arity == "many" and p.is_dir() and len(paths) == 1)):
            raise UsageError(f"{p}: no such file" if not p.is_dir() else f"{p}: a folder is read alone, not with other paths")
    if args.output is not None and Path(args.output).exists() and not args.force:
        raise UsageError(f"{args.output} exists; archgen import does not replace it unless --force is given")
    module, _, function = target.partition(":")
    importer = getattr(import_module(module), function)
    text = importer(paths[0]) if arity == "one" else importer(paths)
    from archgen.sources.loader import parse_model

    parse_model(text, args.output or "<imported model>")  # what is written, archgen reads
    if args.output is None:
        sys.stdout.write(text)
        return 0
    from archgen.writer import write_file

    write_file(args.output, text)
    sys.stderr.write(f"archgen: wrote {args.output}; check it with: archgen check {args.output}\n")
    return 0
