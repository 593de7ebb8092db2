"""``archgen check``: validate models and run the design-time rules."""

from __future__ import annotations

import argparse

from archgen.commands._common import add_paths
from archgen.rendering.formats import add_format_option

NAME = "check"
HELP = "validate models and report design-time findings"
DESCRIPTION = (
    "Validate the models and run the design-time rules. Exit status: 0 when no unaccepted "
    "finding is at or above --fail-on, 1 when one is, 2 when a model cannot be read."
)


def register(parser: argparse.ArgumentParser) -> None:
    add_paths(parser)
    add_format_option(parser, "findings")
    parser.add_argument(
        "--fail-on",
        choices=("error", "warning", "info"),
        default="error",
        help="lowest severity that fails the check (default: error)",
    )
    parser.add_argument(
        "--site-url",
        metavar="URL",
        help="base URL of the published site, for the rule links in SARIF (default: archgen's rule reference)",
    )


def run(args: argparse.Namespace) -> int:
    import sys

    from archgen.commands._common import load, load_decisions
    from archgen.errors import ArchgenError, ModelErrors
    from archgen.findings import failing
    from archgen.rendering.report import check_models, render

    try:
        models = load(args)
    except ArchgenError as exc:
        if args.format == "sarif":  # code scanning still gets a valid log, with the problems in it
            import json

            from archgen.rendering.sarif import error_log

            problems = exc.errors if isinstance(exc, ModelErrors) else [str(exc)]
            log = error_log(problems, **({"site_url": args.site_url} if args.site_url else {}))
            sys.stdout.write(json.dumps(log, indent=2) + "\n")
        raise  # the CLI prints FILE:LINE:COLUMN messages on stderr and exits 2
    results = check_models(models, load_decisions("."))
    sys.stdout.write(
        render(results, args.format, site_url=args.site_url, verbosity=getattr(args, "verbosity", 0), style=getattr(args, "style", None))
    )
    bad = [f for _, findings in results for f in failing(findings, args.fail_on)]
    return 1 if bad else 0
