"""How archgen writes the text of an ADR file the team will edit: titles and front-matter scalars.

Each writer has its reader: :func:`md_title` is undone by :func:`unescape_md`, and
:func:`yaml_scalar` gives what YAML reads back as the same string.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["md_title", "unescape_md", "yaml_flow_list", "yaml_scalar"]


def unescape_md(text: str) -> str:
    """Undo the escaping :func:`archgen.rendering.textutil.md_text` applies, for titles read back."""
    text = re.sub(r"\\([\\`*_{}\[\]()#+!|<>&~$-])", r"\1", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&#124;", "|").replace("&amp;", "&")


_TITLE_SPECIAL = set("\\`*_[]{}#|~$")


def md_title(text: str) -> str:
    """A title for the H1 of an ADR file the team will edit: escapes only what Markdown
    would read as markup or raw HTML, so the source stays readable. Read back by
    :func:`parse_decision` to the same text."""
    out = []
    s = " ".join(str(text).split())
    for i, ch in enumerate(s):
        if ch in _TITLE_SPECIAL:
            out.append("\\" + ch)
        elif ch == "<":
            out.append("&lt;")
        elif ch == "&" and re.match(r"&(#?[A-Za-z0-9]+);", s[i:]):
            out.append("&amp;")
        else:
            out.append(ch)
    return "".join(out)


_PLAIN_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._/@+-]*$")
_YAML_WORDS = re.compile(r"^(?:y|n|yes|no|on|off|true|false|null|~)$", re.IGNORECASE)


def yaml_scalar(value: str) -> str:
    """A front-matter scalar: plain when YAML reads it back as the same string, else quoted."""
    from archgen.rendering.textutil import yaml_string

    text = str(value)
    if (
        _PLAIN_RE.match(text)
        and not text.endswith(" ")
        and not _YAML_WORDS.match(text)
        and not re.match(r"^[-+]?[0-9._]+$", text)
        and " #" not in text
        and not _looks_like_date(text)
    ):
        return text
    return yaml_string(text)


def _looks_like_date(text: str) -> bool:
    return bool(re.match(r"^\d{4}-\d{1,2}-\d{1,2}", text))


def yaml_flow_list(values: Iterable[str]) -> str:
    """``[a, "b c#"]``: a one-line YAML list."""
    return "[" + ", ".join(yaml_scalar(v) for v in values) + "]"
