"""``archgen rules``: list the rules, or explain one."""

from __future__ import annotations

import argparse

from archgen.rendering.formats import add_format_option

NAME = "rules"
HELP = "list the rules (design-time, and the drift rules of verify), or explain one with --explain ID"


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--explain", metavar="ID", help="print the documentation of rule ID")
    add_format_option(parser, "rules")


def run(args: argparse.Namespace) -> int:
    import sys

    from archgen.errors import UsageError
    from archgen.rendering.formats import render
    from archgen.rules import all_rules

    from archgen.drift import all_drift_rules

    rules = (*all_rules(), *all_drift_rules())  # the drift rules of `archgen verify` too, category drift
    if not args.explain:
        sys.stdout.write(render("rules", args.format, rules))
        return 0
    known = {r.id: r for r in rules}
    try:
        rule = known[args.explain.upper()]
    except KeyError:
        import difflib

        close = difflib.get_close_matches(args.explain.upper(), sorted(known), n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise UsageError(f"no rule {args.explain!r}{hint}; 'archgen rules' lists them") from None
    sys.stdout.write(render("rules", args.format, [rule], explain=True))
    return 0
