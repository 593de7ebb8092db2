"""``archgen compare``: each component on AWS, Azure, GCP and Kubernetes, with costs and lock-in."""

from __future__ import annotations

import argparse

from archgen.commands._common import add_paths

NAME = "compare"
HELP = "compare the model's services, indicative monthly cost and lock-in across providers"
DESCRIPTION = (
    "For each component, the equivalent service on AWS, Azure, GCP and open source on "
    "Kubernetes, with its lock-in class, lifecycle flags and Terraform gaps; per provider an "
    "indicative monthly estimate (prices dated, sizing assumptions stated and overridable with "
    "`sizing:` in the model) and a lock-in score. Exit status: 0, or 2 when a model cannot be read."
)

_PROVIDERS = ("aws", "azure", "gcp", "kubernetes")  # kept in step with archgen.catalog.PROVIDERS by a test


def register(parser: argparse.ArgumentParser) -> None:
    add_paths(parser)
    parser.add_argument(
        "--format", choices=("text", "markdown", "json"), default="text", help="output format (default: text)"
    )
    parser.add_argument(
        "--provider",
        action="append",
        choices=_PROVIDERS,
        metavar="PROVIDER",
        help="show only this provider (repeatable; default: all of " + ", ".join(_PROVIDERS) + ")",
    )


def run(args: argparse.Namespace) -> int:
    import json
    import sys

    from archgen.generators import compare
    from archgen.commands._common import load

    models = load(args)
    providers = tuple(args.provider) if args.provider else None
    comparisons = [compare.compare(m, providers=providers) for m in models]
    if args.format == "json":
        doc = {"models": [compare.to_dict(c) for c in comparisons]}
        sys.stdout.write(json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=False) + "\n")
    else:
        sep = "\n" if args.format == "text" else "\n---\n\n"
        sys.stdout.write(sep.join(compare.render(c, args.format) for c in comparisons))
    return 0
