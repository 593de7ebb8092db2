"""``archgen schema``: the model's JSON Schema, for editors."""

from __future__ import annotations

import argparse

NAME = "schema"
HELP = "print the model's JSON Schema (for editor completion)"


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")


def run(args: argparse.Namespace) -> int:
    import json
    import sys

    from archgen.model import json_schema

    text = json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"
    if args.output:
        from archgen.writer import write_file

        write_file(args.output, text)
    else:
        sys.stdout.write(text)
    return 0
