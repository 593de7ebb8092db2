"""Drafted models written as archgen YAML: what every importer emits.

An importer (``archgen import structurizr``, ``archgen import terraform``) maps a foreign
description onto components and flows, then hands the fields here in the order a reader
expects. Free text (titles, descriptions, groups, labels) is written as a double-quoted
scalar on one line; identifiers (kinds, services, zones, ids) are written bare; empty
values are left out, so a field appears only when the importer knows it. Comments say
what was guessed: a reviewer reads them before running ``archgen check``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

__all__ = ["Text", "comment", "entries", "quoted"]


class Text(str):
    """Free text: written quoted, its white space folded to single spaces."""


def quoted(text: object) -> str:
    """A YAML double-quoted scalar on one line (JSON strings are valid YAML)."""
    return json.dumps(" ".join(str(text).split()), ensure_ascii=False)


def comment(text: object) -> str:
    """A YAML comment on one line."""
    return "# " + " ".join(str(text).split())


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"{value:g}"
    if isinstance(value, Text):
        return quoted(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return str(value)


def entries(fields: Iterable[tuple[str, object]], indent: str) -> list[str]:
    """``key: value`` lines for the fields that have a value (``False`` is a value, ``None``
    and empty text or lists are not), in the order given."""
    return [
        f"{indent}{key}: {_value(value)}"
        for key, value in fields
        if value is not None and value != "" and value != [] and value != ()
    ]
