"""Escaping for each output language. Model text reaches an output only through here.

- :func:`html` for HTML and SVG text and attributes,
- :func:`md_text` / :func:`md_cell` for Markdown prose and table cells (:func:`gfm_text`
  / :func:`gfm_cell` in a GitHub comment: no @mention, bare link or issue reference),
- :func:`hcl_string` for HCL string literals (no interpolation can survive),
- :func:`yaml_string` for YAML scalars we write (front matter);

and the two ways every output words a figure: :func:`money` and :func:`plural`.
"""

from __future__ import annotations

import json
import re

_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"}
#: What Python-Markdown lets a backslash escape (a backslash before anything else stays
#: visible), plus the table pipe; < > & become entities.
_MD_SPECIAL = set("\\`*_{}[]()#+!|")


def html(text: object) -> str:
    """Escape for HTML/SVG text content and quoted attribute values."""
    s = str(text)
    return "".join(_HTML.get(ch, ch) for ch in s)


_MD_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}


def md_text(text: object) -> str:
    """Escape model text for Markdown prose: no markup, no raw HTML, one line."""
    return "".join(_MD_ENTITIES.get(ch) or ("\\" + ch if ch in _MD_SPECIAL else ch) for ch in " ".join(str(text).split()))


def md_cell(text: object) -> str:
    """Escape model text for a Markdown table cell (pipes and newlines included)."""
    return md_text(text).replace("\\|", "&#124;")


#: What GitHub makes a notification or a link of in a comment's text: an @mention (a
#: user, an ``@org/team``, an e-mail address), a bare ``scheme://`` or ``www.`` address,
#: an issue reference ``#12``. A zero-width space after its first character breaks each.
_GFM_AUTO = re.compile(r"(@|:(?=//)|(?<![A-Za-z0-9])[Ww][Ww][Ww](?=\.)|#(?=\d))")


def _unlinked(text: object) -> str:
    return _GFM_AUTO.sub("\\1\u200b", str(text))


def gfm_text(text: object) -> str:
    """:func:`md_text` for GitHub comments: also no mention, bare link or issue reference."""
    return md_text(_unlinked(text))


def gfm_cell(text: object) -> str:
    """:func:`md_cell` for GitHub comments (see :func:`gfm_text`)."""
    return md_cell(_unlinked(text))


def md_code(text: object) -> str:
    """Inline code that no backtick in ``text`` can close early."""
    s = " ".join(str(text).split())
    fence = "`"
    while fence in s:
        fence += "`"
    pad = " " if s.startswith("`") or s.endswith("`") else ""
    return f"{fence}{pad}{s}{pad}{fence}"


_HCL_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def hcl_string(text: object) -> str:
    """An HCL quoted string literal: quotes, backslashes, control characters, ``${`` and
    ``%{`` are escaped so model text can never become interpolation or syntax."""
    out = ['"']
    s = str(text)
    i = 0
    while i < len(s):
        ch = s[i]
        nxt = s[i + 1] if i + 1 < len(s) else ""
        if ch in _HCL_ESCAPES:
            out.append(_HCL_ESCAPES[ch])
        elif ch in "$%" and nxt == "{":
            out.append(ch + ch + "{")
            i += 1
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
        i += 1
    out.append('"')
    return "".join(out)


def yaml_string(text: object) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(str(text), ensure_ascii=False)


def plain(text: object, fallback: str = "Untitled") -> str:
    """Model text for places that print it raw (MkDocs' site_name and nav titles):
    markup characters removed, white space folded."""
    kept = "".join(ch for ch in str(text) if ch not in "<>&\"'`{}\\")
    return " ".join(kept.split()) or fallback


def terminal_line(text: object) -> str:
    """One line for a terminal with no control characters: model or ADR text cannot move
    the cursor, clear the screen or fake a result."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in str(text)).split())


#: archgen's own colours (SGR sequences of :mod:`archgen.rendering.style`) in a text it styled.
_SGR = re.compile(r"\x1b\[[0-9;]*m")


def terminal_text(text: str, *, colours: bool = False) -> str:
    """A whole text output for a terminal: every control character but new lines and
    tabs removed (``ESC[2J``, ``\\r``, backspaces, C1 controls); with ``colours``, the
    SGR colour sequences archgen's own styling wrote are kept (model text in a styled
    output goes through :func:`terminal_line` first)."""
    def keep(part: str) -> str:
        # the zero-width space stays: it is what keeps "@someone" and bare links in a PR
        # comment from being a mention or a link (gfm_text), and moves no cursor
        return "".join(ch for ch in part if ch in "\n\t\u200b" or ch.isprintable())

    if not colours:
        return keep(text)
    out, last = [], 0
    for match in _SGR.finditer(text):
        out += [keep(text[last : match.start()]), match.group(0)]
        last = match.end()
    out.append(keep(text[last:]))
    return "".join(out)


#: What a missing amount is called in prose; tables that show "-" for any empty cell say so.
NOT_PRICED = "not priced"


def money(usd: float | None, *, cents: bool = True, missing: str = NOT_PRICED) -> str:
    """An amount in US dollars: ``$1,234.56`` (``$1,235`` without cents); ``missing`` for None."""
    if usd is None:
        return missing
    return f"${usd:,.2f}" if cents else f"${usd:,.0f}"


def plural(n: int, word: str, plural_word: str | None = None) -> str:
    """``1 finding``, ``2 findings`` (``plural_word`` when the plural is not word + s)."""
    return f"{n} {word if n == 1 else (plural_word or word + 's')}"
