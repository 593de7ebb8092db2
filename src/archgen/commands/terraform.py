"""``archgen terraform``: write a skeleton Terraform configuration per model."""

from __future__ import annotations

import argparse

from archgen.commands._common import add_paths, provider_choices

NAME = "terraform"
HELP = "write skeleton Terraform for each model (secure by default, derived from the graph)"
DESCRIPTION = (
    "Write a Terraform skeleton for each model: versions.tf, variables.tf, the resources, "
    "outputs.tf and a README of what is left to fill in. The network and permissions come "
    "from the model's flows. Files go to DIR/<model>/<provider>/ (default DIR: build/terraform), "
    "each written atomically; a manifest (.archgen-manifest.json) lists them, and only files "
    "archgen wrote there before are ever removed: state, .terraform/, tfvars, lock files and "
    "your own .tf files stay."
)


def register(parser: argparse.ArgumentParser) -> None:
    add_paths(parser)
    parser.add_argument(
        "--provider",
        choices=provider_choices(),
        metavar="PROVIDER",
        help="target provider, one of %(choices)s (default: each model's own provider)",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="DIR",
        default="build/terraform",
        help="output folder; each model's files go to DIR/<model>/<provider>/ (default: build/terraform)",
    )


def run(args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    from archgen.commands._common import claim_output, load
    from archgen.generators.terraform import generate, generated_gaps
    from archgen.writer import STATE_DIR, mark, write_tree

    out = claim_output(args, args.output, "-o")
    models = load(args)
    # generate everything first: a failure leaves every output as it was
    outputs = []
    for model in models:
        provider = args.provider or model.provider
        outputs.append((model, provider, generate(model, provider), generated_gaps(model, provider)))
    mark(out)
    for model, provider, files, gaps in outputs:
        dest = Path(args.output) / model.name / provider
        write_tree(dest, files, Path(STATE_DIR))  # keeps what archgen did not write: state, tfvars, .terraform/
        sys.stdout.write(f"{model.name} ({provider}): {len(files)} files in {dest}\n")
        for gap in gaps:
            sys.stdout.write(f"  gap: {gap}\n")
    return 0
