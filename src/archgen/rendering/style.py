"""Colour on a terminal: plain ANSI SGR codes, no library (nothing to import on ``--help``).

Whether a stream gets colour (:func:`color_enabled`), first rule that applies:

1. ``--color always`` / ``--color never`` on the command line;
2. ``NO_COLOR`` set to anything but the empty string: no colour (https://no-color.org);
3. ``FORCE_COLOR`` set and not empty: colour even into a pipe or a CI log
   (https://force-color.org), except ``0`` or ``false``, which mean no colour, as Node
   and its tools read it;
4. ``TERM=dumb``: no colour;
5. otherwise colour exactly when the stream is a terminal.

NO_COLOR wins over FORCE_COLOR, as pytest and most tools that read both decide.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import IO, Any

CHOICES = ("auto", "always", "never")

#: SGR codes by role, as compilers colour their diagnostics.
CODES = {
    "location": "1",
    "error": "1;31",
    "warning": "1;33",
    "info": "1;36",
    "note": "1;36",
    "rule": "1",
    "dim": "2",
    "ok": "32",
}


def color_enabled(stream: IO[Any] | Any, choice: str = "auto", environ: Mapping[str, str] | None = None) -> bool:
    """Whether text written to ``stream`` should carry ANSI colour (see the module's rules)."""
    if choice == "always":
        return True
    if choice == "never":
        return False
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR", ""):
        return False
    force = env.get("FORCE_COLOR", "")
    if force:
        return force.strip().lower() not in ("0", "false")
    if env.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (OSError, ValueError):  # a closed or odd stream
        return False


class Style:
    """Wraps text in SGR codes when enabled; the identity otherwise."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str, role: str) -> str:
        if not self.enabled or not text:
            return text
        return f"\x1b[{CODES[role]}m{text}\x1b[0m"


PLAIN = Style(False)
