"""Options and steps several subcommands share."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from archgen.model import Model


class _CatalogChoices:
    """The catalog's providers as argparse ``choices``, read on first use.

    Reading the catalog costs more than ``archgen --help`` may: the parser is built with
    this stand-in, which loads :data:`archgen.catalog.vocabulary.PROVIDERS` only when an
    argument is checked or a command's own help lists the choices.
    """

    def _values(self) -> tuple[str, ...]:
        from archgen.catalog.vocabulary import PROVIDERS

        return tuple(PROVIDERS)

    def __contains__(self, value: object) -> bool:
        return value in self._values()

    def __iter__(self):  # noqa: ANN204 - argparse iterates the choices for its messages
        return iter(self._values())

    def __len__(self) -> int:
        return len(self._values())


def provider_choices() -> _CatalogChoices:
    """``choices=`` for a ``--provider`` option: every provider of the catalog."""
    return _CatalogChoices()


def add_paths(parser: argparse.ArgumentParser, nargs: str = "*") -> None:
    parser.add_argument(
        "paths",
        nargs=nargs,
        metavar="PATH",
        help="model files or folders of *.yaml (default: arch/ of the current directory)",
    )


def claim_output(args: argparse.Namespace, folder: str, option: str, paths: Any = None) -> Any:
    """The real path of an output folder the command may write (see :func:`archgen.writer.claim`),
    checked before any work: never a source folder, the repository, or a folder archgen did not make."""
    from archgen.sources.repository import source_folders
    from archgen.writer import claim

    return claim(folder, root=".", sources=source_folders(".", paths if paths is not None else getattr(args, "paths", None) or ()), option=option)


def load(args: argparse.Namespace) -> list[Model]:
    from archgen.sources.loader import load_models

    models = load_models(getattr(args, "paths", None) or ())
    settle()
    return models


def settle() -> None:
    """The models are read: collect garbage again, leaving what is loaded out of it.

    :func:`archgen.cli.main` turns the cyclic garbage collector off while the modules are
    imported and the models are read (tens of thousands of long-lived objects, no garbage
    cycles: the collector would only walk them again and again); from here on it runs, and
    ``gc.freeze`` keeps those objects out of its walks. Measured in docs/performance.md.
    """
    import gc

    gc.freeze()
    gc.enable()


def load_decisions(root: str = ".") -> list[Any]:
    """The ADRs of the repository, when the decisions module is there."""
    try:
        from archgen.decisions.adr import load_decisions as _load
    except ImportError:
        return []
    return _load(root)
