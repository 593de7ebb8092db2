"""The one Jinja factory: every template environment escapes for its output language.

``environment(language, package)`` gives a strict environment (StrictUndefined, trimmed
blocks) over ``package``'s ``templates/`` folder whose every ``{{ value }}`` is written
through the escaper of ``language``:

| language   | a plain value becomes                                  | None            |
|------------|--------------------------------------------------------|-----------------|
| `markdown` | Markdown prose, no markup or raw HTML (`md_text`)       | empty           |
| `html`     | HTML text or attribute (`html`)                         | empty           |
| `xml`      | XML/SVG text or attribute (`html`: the same five entities) | empty        |
| `hcl`      | an HCL literal: strings quoted with no interpolation, numbers, booleans, lists | an error |

A value wrapped in :class:`Trusted` (text archgen itself produced in that language: a
Markdown link it built, an HCL identifier it checked) is written as it is; every filter
that produces markup (``cell``, ``code``, ``html``, ``md``) returns a Trusted value.
``join`` escapes each plain item and keeps Trusted ones. Callers add their own filters to the environment they get (it is a fresh one per call:
cache it where it is used).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from archgen.rendering import textutil

if TYPE_CHECKING:
    from jinja2 import Environment

__all__ = ["LANGUAGES", "Trusted", "environment", "escape", "markdown_env", "render_markdown"]


class Trusted(str):
    """Text archgen produced itself in the output language: written unescaped."""

    __slots__ = ()


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _text_escaper(escape_text: Callable[[object], str]) -> Callable[[Any], str]:
    def finalize(value: Any) -> str:
        if isinstance(value, Trusted):
            return str(value)
        if value is None:
            return ""
        if _number(value):
            return str(value)
        return escape_text(value)

    return finalize


def _hcl(value: Any) -> str:
    if isinstance(value, Trusted):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if _number(value):
        return repr(value)
    if value is None:
        raise ValueError("a template wrote None into HCL")
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_hcl(v) for v in value) + "]"
    return textutil.hcl_string(value)


#: Output language -> how a ``{{ value }}`` is written in it.
LANGUAGES: dict[str, Callable[[Any], str]] = {
    "markdown": _text_escaper(textutil.md_text),
    "html": _text_escaper(textutil.html),
    "xml": _text_escaper(textutil.html),
    "hcl": _hcl,
}


def _joiner(language: str) -> Callable[..., Trusted]:
    """``join`` that escapes each plain item (the separator is template text, trusted), so
    a list of Trusted pieces joins without being escaped a second time."""
    finalize = LANGUAGES[language]

    def join(items: Any, separator: str = "", attribute: str | None = None) -> Trusted:
        if attribute is not None:
            items = [getattr(i, attribute) if not isinstance(i, dict) else i[attribute] for i in items]
        return Trusted(str(separator).join(finalize(i) for i in items))

    return join


def escape(language: str, value: Any) -> str:
    """``value`` written in ``language`` exactly as a template would write it."""
    return LANGUAGES[language](value)


def environment(language: str, package: str = "archgen.rendering", folder: str = "templates") -> Environment:
    """A new strict environment over ``package``/``folder`` escaping for ``language``."""
    import jinja2

    if language not in LANGUAGES:
        raise ValueError(f"no escaping for output language {language!r}; languages are {sorted(LANGUAGES)}")
    env = jinja2.Environment(
        loader=jinja2.PackageLoader(package, folder),
        undefined=jinja2.StrictUndefined,
        finalize=LANGUAGES[language],
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["trusted"] = Trusted
    if language != "hcl":
        env.filters["join"] = _joiner(language)
    if language == "markdown":
        env.filters["md"] = lambda v: Trusted(textutil.md_text(v))
        env.filters["cell"] = lambda v: Trusted(textutil.md_cell(v))
        env.filters["code"] = lambda v: Trusted(textutil.md_code(v))
    if language in ("markdown", "html", "xml"):
        env.filters["html"] = lambda v: Trusted(textutil.html(v))
    return env


@cache
def compiled_templates(*settings: Any) -> Any:
    """A ``jinja2.BytecodeCache`` in this process's memory, one for each ``settings`` (what
    the environments sharing it compile alike: their options and extensions).

    MkDocs makes a new environment for the theme at every build, and Jinja compiles each
    of Material's templates again: about 1 s of every rebuild of ``archgen serve``. With
    this cache a template whose source is unchanged (Jinja compares a checksum of it) is
    compiled once per process."""
    import jinja2

    class _Memory(jinja2.BytecodeCache):
        def __init__(self) -> None:
            self.code: dict[str, bytes] = {}

        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            data = self.code.get(bucket.key)
            if data is not None:
                bucket.bytecode_from_string(data)  # Jinja drops it when the checksum differs

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            self.code[bucket.key] = bucket.bytecode_to_string()

    return _Memory()


def share_compiled(env: Environment) -> None:
    """Give ``env`` the process's :func:`compiled_templates` for environments set up as it is."""
    autoescape = env.autoescape if isinstance(env.autoescape, bool) else id(env.autoescape)
    settings = (
        tuple(sorted(env.extensions)), autoescape, env.trim_blocks, env.lstrip_blocks, env.keep_trailing_newline,
        env.newline_sequence, env.block_start_string, env.block_end_string, env.variable_start_string,
        env.variable_end_string, env.comment_start_string, env.comment_end_string, env.line_statement_prefix,
        env.line_comment_prefix, env.optimized,
    )
    env.bytecode_cache = compiled_templates(*settings)


@lru_cache(maxsize=None)
def markdown_env() -> Environment:
    """The Markdown environment of archgen's own templates (site pages, the diff comment)."""
    return environment("markdown")


def render_markdown(template: str, **context: Any) -> str:
    return markdown_env().get_template(template).render(**context)
