"""Options and steps several subcommands share."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from archgen.model import Model


def add_paths(parser: argparse.ArgumentParser, nargs: str = "*") -> None:
    parser.add_argument(
        "paths",
        nargs=nargs,
        metavar="PATH",
        help="model files or folders of *.yaml (default: arch/ of the current directory)",
    )


def load(args: argparse.Namespace) -> list[Model]:
    from archgen.sources.loader import load_models

    return load_models(getattr(args, "paths", None) or ())


def load_decisions(root: str = ".") -> list[Any]:
    """The ADRs of the repository, when the decisions module is there."""
    try:
        from archgen.decisions.adr import load_decisions as _load
    except ImportError:
        return []
    return _load(root)
