"""``archgen rules``: list the rules, or explain one."""

from __future__ import annotations

import argparse

NAME = "rules"
HELP = "list the design-time rules, or explain one with --explain ID"


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--explain", metavar="ID", help="print the documentation of rule ID")
    parser.add_argument("--format", choices=("text", "json"), default="text")


def run(args: argparse.Namespace) -> int:
    import json
    import sys

    from archgen.errors import UsageError
    from archgen.rules import all_rules, get_rule

    if args.explain:
        try:
            rule = get_rule(args.explain.upper())
        except KeyError:
            import difflib

            close = difflib.get_close_matches(args.explain.upper(), [r.id for r in all_rules()], n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise UsageError(f"no rule {args.explain!r}{hint}; 'archgen rules' lists them") from None
        if args.format == "json":
            sys.stdout.write(json.dumps(_rule_json(rule), indent=2, sort_keys=True) + "\n")
        else:
            sys.stdout.write(f"{rule.id}: {rule.title}\n{rule.category}, {rule.severity}\n\n{rule.doc.strip()}\n\nRemediation: {rule.remediation}\n")
        return 0
    rules = all_rules()
    if args.format == "json":
        sys.stdout.write(json.dumps([_rule_json(r) for r in rules], indent=2, sort_keys=True) + "\n")
        return 0
    width = max(len(r.id) for r in rules)
    for r in rules:
        sys.stdout.write(f"{r.id:<{width}}  {r.category:<11}  {r.severity:<7}  {r.title}\n")
    return 0


def _rule_json(rule) -> dict:
    return {
        "id": rule.id,
        "title": rule.title,
        "category": rule.category,
        "severity": rule.severity,
        "remediation": rule.remediation,
        "doc": rule.doc.strip(),
    }
