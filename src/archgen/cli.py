"""The ``archgen`` command line: argparse, one module per subcommand.

Subcommand modules import nothing heavy at module level, so ``archgen --help``
stays fast; each one's ``run(args)`` imports what it needs.
"""

from __future__ import annotations

import sys

from archgen import _startup

_startup.guard()
try:  # Ctrl-C while archgen starts: a message and exit 130, never a traceback
    import argparse
    import gc
    from importlib import import_module
    from collections.abc import Sequence
    from typing import TYPE_CHECKING

    from archgen import __version__
    from archgen.errors import EXIT_BAD_INPUT, ArchgenError, ModelError, ModelErrors, checkpoint, os_error_message

    checkpoint("cli-imported")
except KeyboardInterrupt:
    sys.stderr.write("archgen: interrupted while starting; nothing was done\n")
    raise SystemExit(130) from None
_startup.release()

if TYPE_CHECKING:
    from archgen.rendering.style import Style

#: Every subcommand, by name -> module. Order is the order of ``archgen --help``.
COMMANDS: dict[str, str] = {
    "check": "archgen.commands.check",
    "verify": "archgen.commands.verify",
    "build": "archgen.commands.build",
    "diff": "archgen.commands.diff",
    "compare": "archgen.commands.compare",
    "diagram": "archgen.commands.diagram",
    "terraform": "archgen.commands.terraform",
    "export": "archgen.commands.export",
    "import": "archgen.commands.import_",
    "adr": "archgen.commands.adr",
    "rules": "archgen.commands.rules",
    "schema": "archgen.commands.schema",
    "serve": "archgen.commands.serve",
    "init": "archgen.commands.init",
    "completion": "archgen.commands.completion",
}

DESCRIPTION = (
    "Architecture as code: validate a cloud architecture model, check it at design time, "
    "and publish diagrams, ADRs, a provider comparison and skeleton Terraform as a site."
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # exit 2 with usage, as MODEL.md says
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\n")


def _add_global_options(parser: argparse.ArgumentParser, default: object) -> None:
    """-q, -v and --color: before the command (``archgen -q build``) or after it (``archgen build -q``)."""
    parser.add_argument(
        "-q", "--quiet", action="count", default=default,
        help="less output: no progress or summaries, only results and problems (default for build when CI is set)",
    )
    parser.add_argument(
        "-v", "--verbose", action="count", default=default,
        help="more output: per-finding references for check, MkDocs' own log for build",
    )
    parser.add_argument(
        "--color", choices=("auto", "always", "never"), default=default,
        help="colour the output: auto (on a terminal, honouring NO_COLOR and FORCE_COLOR), always or never",
    )


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The command line's parser. Given the arguments, and when they name a command, only
    that command's module is imported and registered (the others cost ``archgen check``
    a tenth of its start-up); otherwise every command, for ``--help`` and for the error
    that lists them."""
    named = next((a for a in argv if a in COMMANDS), None) if argv is not None else None
    parser = _Parser(prog="archgen", description=DESCRIPTION)
    parser.add_argument("-V", "--version", action="version", version=f"archgen {__version__}")
    _add_global_options(parser, None)
    parser.set_defaults(quiet=0, verbose=0, color="auto")
    # the same options on each command, without defaults: a command's -q adds to, never resets, the global one
    common = argparse.ArgumentParser(add_help=False)
    _add_global_options(common, argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, module_name in COMMANDS.items():
        if named is not None and name != named:
            continue
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:  # not written yet on this checkout
                continue
            raise
        p = sub.add_parser(
            name, help=module.HELP, description=getattr(module, "DESCRIPTION", module.HELP), parents=[common]
        )
        module.register(p)
        p.set_defaults(_run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; every way it can end is an exit status and at most a few lines."""
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print("archgen: interrupted; outputs were left as they were", file=sys.stderr)
        return 130


def _main(argv: Sequence[str] | None) -> int:
    from archgen.rendering.style import Style, color_enabled

    parser = build_parser(sys.argv[1:] if argv is None else argv)
    checkpoint("cli-parser")
    args = parser.parse_args(argv)
    args.verbosity = (args.verbose or 0) - (args.quiet or 0)
    args.style = Style(color_enabled(sys.stdout, args.color))
    if not getattr(args, "_run", None):
        parser.print_help()
        return EXIT_BAD_INPUT if argv or sys.argv[1:] else 0
    collecting = gc.isenabled()
    if collecting and args.command != "serve":
        gc.disable()  # until the models are read: commands._common.settle turns it back on
    err_style = Style(color_enabled(sys.stderr, args.color))
    try:
        return int(args._run(args) or 0)
    except ModelErrors as exc:
        for err in exc.errors:
            print(_problem(err, err_style), file=sys.stderr)
        count = len(exc.errors)
        print(f"archgen: {count} problem{'s' if count != 1 else ''} in the model; nothing was written", file=sys.stderr)
        return exc.exit_code
    except ArchgenError as exc:
        from archgen.rendering.textutil import terminal_text

        print(terminal_text(f"archgen: {exc}"), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("archgen: interrupted; outputs were left as they were", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:  # disk full, read-only folder, no permission: one line, exit 2
        print(f"archgen: {os_error_message(exc)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    finally:
        if collecting:
            gc.enable()


def _problem(err: ModelError, style: Style) -> str:
    """``FILE:LINE:COLUMN: message``, the location in bold on a terminal; one line with no
    control character (a message may quote the model)."""
    from archgen.rendering.textutil import terminal_line

    if not style.enabled:
        return terminal_line(err)
    return f"{style(terminal_line(err.location) + ':', 'location')} {terminal_line(err.message)}"


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
