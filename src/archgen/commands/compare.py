"""``archgen compare``: each component on AWS, Azure, GCP and Kubernetes, with costs and lock-in."""

from __future__ import annotations

import argparse

from archgen.commands._common import add_paths, provider_choices
from archgen.rendering.formats import add_format_option

NAME = "compare"
HELP = "compare the model's services, indicative monthly cost and lock-in across providers"
DESCRIPTION = (
    "For each component, the equivalent service on AWS, Azure, GCP and open source on "
    "Kubernetes, with its lock-in class, lifecycle flags and Terraform gaps; per provider an "
    "indicative monthly estimate (prices dated, sizing assumptions stated and overridable with "
    "`sizing:` in the model) and a lock-in score. Exit status: 0, or 2 when a model cannot be read."
)

def register(parser: argparse.ArgumentParser) -> None:
    add_paths(parser)
    add_format_option(parser, "comparison")
    parser.add_argument(
        "--provider",
        action="append",
        choices=provider_choices(),
        metavar="PROVIDER",
        help="show only this provider (repeatable; default: all of %(choices)s)",
    )


def run(args: argparse.Namespace) -> int:
    import sys

    from archgen.commands._common import load
    from archgen.generators.compare import compare
    from archgen.rendering.formats import render

    models = load(args)
    providers = tuple(args.provider) if args.provider else None
    sys.stdout.write(render("comparison", args.format, [compare(m, providers=providers) for m in models]))
    return 0
