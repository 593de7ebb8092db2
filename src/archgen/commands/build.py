"""``archgen build``: the main job, the published MkDocs Material site."""

from __future__ import annotations

import argparse
import os

from archgen.commands._common import add_paths
from archgen.commands.verify import add_infra_options

NAME = "build"
HELP = "check the models and publish the site (diagrams, findings, ADRs, comparison, Terraform)"
DESCRIPTION = (
    "Load and check the models, generate diagrams, comparison, Terraform and decision pages, "
    "and build the MkDocs Material site into site/. The site is built aside and swapped in: a "
    "failed build leaves the previous site as it was. When every page is the same as at the "
    "last build, MkDocs does not run and the site is kept (--force runs it)."
)


def register(parser: argparse.ArgumentParser) -> None:
    add_paths(parser)
    parser.add_argument("--site-dir", metavar="DIR", help="output folder (default: site_dir of mkdocs.yml, or site/)")
    parser.add_argument("--no-strict", dest="strict", action="store_false", help="let MkDocs warnings pass")
    parser.add_argument(
        "--docs-only",
        metavar="DIR",
        help="write the generated Markdown and its assets into DIR instead of building the site, for another "
        "MkDocs-compatible generator (Zensical, Backstage TechDocs); DIR is replaced as a whole",
    )
    add_infra_options(parser, "; each model gets a drift page, as archgen verify reports it")
    parser.add_argument("-j", "--jobs", type=int, default=None, help="parallel diagram renders (default: CPU count)")
    parser.add_argument(
        "--force",
        action="store_true",
        help="run MkDocs even when the pages are those the site was built from (by default such a build keeps the site)",
    )


def run(args: argparse.Namespace) -> int:
    from archgen.site.build import build

    verbosity = getattr(args, "verbosity", 0)
    quiet = verbosity < 0 or (verbosity == 0 and bool(os.environ.get("CI")))
    if args.docs_only:
        from archgen.site.build import write_docs

        write_docs(args.paths, args.docs_only, quiet=quiet, jobs=args.jobs, infra_paths=[*args.plan, *args.state])
        return 0
    build(
        args.paths, site_dir=args.site_dir, quiet=quiet, strict=args.strict, jobs=args.jobs, force=args.force,
        verbose=verbosity > 0, infra_paths=[*args.plan, *args.state],
    )
    return 0
