"""Jinja environments that escape for their output language by default.

Every ``{{ value }}`` in a Markdown template is escaped with :func:`textutil.md_text`
unless the value is wrapped in :class:`Trusted` (Markdown archgen itself produced).
Undefined names fail loudly (StrictUndefined).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from archgen.rendering import textutil


class Trusted(str):
    """Markdown or HTML that archgen generated itself: passed through unescaped."""

    __slots__ = ()


def _finalize_md(value: Any) -> str:
    if isinstance(value, Trusted):
        return str(value)
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return textutil.md_text(value)


@lru_cache(maxsize=None)
def markdown_env():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("archgen.rendering", "templates"),
        undefined=jinja2.StrictUndefined,
        finalize=_finalize_md,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cell"] = lambda v: Trusted(textutil.md_cell(v))
    env.filters["code"] = lambda v: Trusted(textutil.md_code(v))
    env.filters["html"] = lambda v: Trusted(textutil.html(v))
    env.filters["trusted"] = lambda v: Trusted(v)
    return env


def render_markdown(template: str, **context: Any) -> str:
    return markdown_env().get_template(template).render(**context)
