"""Backslash escapes as CommonMark and GitHub read them: before any ASCII punctuation.

Python-Markdown escapes 16 characters; a backslash before any other stays on the page.
ADRs and decision drafts are written for GitHub too, where ``$`` opens math and ``~~``
strikes text through, so archgen escapes them there (``\\$73 a month``,
:func:`archgen.decisions.text.md_title`) and a team's ADRs do the same. Without this
extension the site showed those backslashes (``\\~\\$35-40/month``). With it a page reads
the same on the site as on GitHub.
"""

from __future__ import annotations

import string
from typing import Any

from markdown.extensions import Extension

__all__ = ["CommonMarkEscapes"]


class CommonMarkEscapes(Extension):
    def extendMarkdown(self, md: Any) -> None:  # noqa: N802 - Python-Markdown's name
        # ESCAPED_CHARS is the instance's own list; Python-Markdown's escape pattern reads it
        md.ESCAPED_CHARS.extend(ch for ch in string.punctuation if ch not in md.ESCAPED_CHARS)
