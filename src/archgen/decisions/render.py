"""The site's Markdown for ADRs: the index (a timeline) and one page per ADR.

Pages are rendered from the templates under ``archgen/rendering/templates``
(``adr_index.md.j2``, ``adr_page.md.j2``) with :func:`template_env`, which also
renders new ADR files (:func:`archgen.decisions.store.new_text`) and drafts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from archgen.decisions.checks import links, resolve_component
from archgen.decisions.records import H1_RE, STATUSES, Decision
from archgen.decisions.text import md_title, yaml_flow_list, yaml_scalar

if TYPE_CHECKING:
    from jinja2 import Environment

    from archgen.model import Model

__all__ = ["page_name", "render_index", "render_page", "safe_markdown", "strip_title", "template_env"]


@lru_cache(maxsize=1)
def template_env() -> Environment:
    """The Markdown environment (rendering.templating) for ADR and draft templates, with
    the filters of ADR files: ``title`` (an H1 the team edits), ``yaml`` and ``yaml_list``
    (front-matter values)."""
    from archgen.rendering.templating import Trusted, environment

    env = environment("markdown")
    env.filters["yaml"] = lambda v: Trusted(yaml_scalar(v))
    env.filters["yaml_list"] = lambda v: Trusted(yaml_flow_list(v))
    env.filters["title"] = lambda v: Trusted(md_title(v))
    return env


def page_name(decision: Decision) -> str:
    """The site page of an ADR: its file name, so links between ADR bodies keep working."""
    return decision.file_name


def _component_label(model_name: str, cid: str, models: Sequence[Model], several: bool) -> str:
    from archgen.rendering.textutil import md_code, md_text

    model = next((m for m in models if m.name == model_name), None)
    comp = model.components.get(cid) if model else None
    title = comp.display_name if comp is not None else cid
    shown = f"{model_name}/{cid}" if several else cid
    return md_code(shown) + (f" {md_text(title)}" if title != cid else "")


def render_index(
    decisions: Sequence[Decision],
    models: Sequence[Model] = (),
    link: str = "{page}",
) -> str:
    """The ADR index: a timeline table (oldest first) of number, title, status, date, components.

    ``link`` formats each ADR's page address from ``{page}`` (``0002-slug.md``); the
    components column joins the ADR's own list with the components that point at it.
    """
    from archgen.rendering.templating import Trusted
    from archgen.rendering.textutil import md_cell

    linked = links(models, decisions)["decisions"] if models else {}
    several = len(models) > 1
    rows = []
    for d in sorted(decisions, key=lambda d: (d.date, d.number, d.path)):
        names = set()
        for model_name, cid in linked.get(d.id, []):
            names.add(f"{model_name}/{cid}" if several else cid)
        if not models:
            names.update(d.components)
        rows.append(
            {
                "id": d.id,
                "url": Trusted(link.format(page=page_name(d))),
                "title": Trusted(md_cell(d.title)),
                "status": d.status if d.status in STATUSES else Trusted(md_cell(d.status)),
                "date": Trusted(md_cell(d.date)),
                "components": Trusted(", ".join(f"`{n}`" for n in sorted(names))),
                "successor": ", ".join(d.superseded_by),
            }
        )
    counts = {s: sum(1 for d in decisions if d.status == s) for s in STATUSES}
    return template_env().get_template("adr_index.md.j2").render(rows=rows, counts=counts, statuses=STATUSES)


def render_page(
    decision: Decision,
    models: Sequence[Model] = (),
    decisions: Sequence[Decision] = (),
    component_link: str | None = "../models/{model}/index.md",
) -> str:
    """The site page of one ADR: its status and links (both directions), then its text.

    ``component_link`` formats the address of a component's page from ``{model}`` and
    ``{component}``, relative to the ADR's page (default: the model's page of the site,
    ``models/NAME/index.md``); None gives no links. ``decisions`` lets supersedes/superseded-by
    link to the other ADRs' pages.
    """
    from archgen.rendering.templating import Trusted
    from archgen.rendering.textutil import md_text

    linked = links(models, list(decisions) or [decision])["decisions"].get(decision.id, []) if models else []
    several = len(models) > 1
    comps = []
    for model_name, cid in linked:
        label = _component_label(model_name, cid, models, several)
        if component_link:
            label = f"[{label}]({component_link.format(model=model_name, component=cid)})"
        comps.append(label)
    known = {d.id: d for d in decisions}
    unresolved = [ref for ref in decision.components if models and resolve_component(ref, models) is None]

    def ref_link(ref: str) -> str:
        other = known.get(ref)
        return Trusted(f"[{ref}]({page_name(other)}) {md_text(other.title)}") if other else ref

    return template_env().get_template("adr_page.md.j2").render(
        d=decision,
        file_name=Trusted(decision.file_name),
        title=decision.title,
        status=decision.status,
        date=decision.date,
        deciders=list(decision.deciders),
        tags=list(decision.tags),
        components=[Trusted(c) for c in comps],
        unresolved=unresolved,
        supersedes=[ref_link(r) for r in decision.supersedes],
        superseded_by=[ref_link(r) for r in decision.superseded_by],
        body=Trusted(safe_markdown(strip_title(decision.body))),
    )


def strip_title(body: str) -> str:
    """The body without its first H1 (the page gives its own, escaped)."""
    lines = body.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        if H1_RE.match(line):
            return "".join(lines[i + 1 :]).lstrip("\n")
        break
    return body.lstrip("\n")


_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def safe_markdown(markdown: str) -> str:
    """An ADR's Markdown with raw HTML and attribute lists neutralised (shown as text),
    code left alone.

    ADR prose is Markdown the team writes, so its formatting is kept; HTML comments
    (notes to the author, such as the template's) are dropped, any other raw HTML is
    escaped, and so is every ``{`` of the prose, so no attribute list (``{: onerror=...}``)
    reaches an element. A fence counts only when Markdown would take it for one: a plain
    opening line (three backticks or tildes and at most a language word) that a closing
    line ends; ```` ```x``` ```` or a fence never closed is prose, escaped like the rest.
    A link or image whose address has a scheme other than :data:`~archgen.decisions.html.URL_SCHEMES`
    (``javascript:``, ``data:``, also written with entities or control characters) gets
    ``#`` before it, so it is a link within the page (harmless, and no missing page for
    MkDocs' link check). This is the Markdown half, all
    that guards ``build --docs-only`` pages (another generator makes their HTML); the site
    cleans the HTML of each ADR page too (:func:`archgen.decisions.html.clean`).
    """
    out: list[str] = []
    prose: list[str] = []

    def flush() -> None:
        if prose:
            text = _safe_destinations(_COMMENT.sub("", "".join(prose)))
            out.append("".join(_escape_outside_code_spans(line) for line in text.splitlines(keepends=True)))
            prose.clear()

    lines = markdown.splitlines(keepends=True)
    i = 0
    while i < len(lines):
        match = _FENCE_OPEN.match(lines[i])
        end = _fence_end(lines, i + 1, match.group(1)) if match else None
        if end is None:
            prose.append(lines[i])  # indented code is escaped too: it may be a list's paragraph
            i += 1
            continue
        flush()
        out.extend(lines[i : end + 1])
        i = end + 1
    flush()
    return "".join(out)


#: The opening line of a fenced code block, at its strictest: the fence and at most a
#: language word (Python-Markdown's fences and pymdownx.superfences both take it).
_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})[ \t]*[\w#.+-]*[ \t]*$")


def _fence_end(lines: list[str], start: int, fence: str) -> int | None:
    """The index of the line that closes ``fence`` (the same character, as many or more,
    nothing else on the line, at any indentation), or None: then it is no fence."""
    for j in range(start, len(lines)):
        text = lines[j].strip()
        if text and text == fence[0] * len(text) and len(text) >= len(fence):
            return j
    return None


#: A code span as Python-Markdown reads one: N backticks, text, the same N backticks.
_CODE_SPAN = re.compile(r"(?<!\\)(`+)(.+?)(?<!`)\1(?!`)")


def _escape_outside_code_spans(line: str) -> str:
    out, last = [], 0
    for match in _CODE_SPAN.finditer(line):
        out.append(_prose(line[last : match.start()]))
        out.append(match.group(0))
        last = match.end()
    out.append(_prose(line[last:]))
    return "".join(out)


def _prose(text: str) -> str:
    """Prose outside code: no tag can start, no attribute list can open."""
    return _ATTR_OPEN.sub(r"\1\\{", _TAG_START.sub("&lt;", text))


#: A ``{`` that no backslash escapes (after none, or after escaped backslashes).
_ATTR_OPEN = re.compile(r"(?<!\\)((?:\\\\)*)\{")


#: Where a link's or an image's address starts: after ``](`` (inline) or ``[label]:``
#: at the start of a line (a reference, whose address may be on the next line).
_DESTINATION = re.compile(r"\]\(\s*<?|^ {0,3}\[(?:[^\[\]\\]|\\.)*\]:[ \t]*\n?[ \t]*<?", re.M)
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):")


def _safe_destinations(text: str) -> str:
    """``text`` with ``#`` before every address that a browser would read as a URL of a
    scheme not in :data:`archgen.decisions.html.URL_SCHEMES`: the rest of the line is
    read as a browser reads an attribute (entities decoded, control characters and
    spaces dropped, any case)."""
    import html

    from archgen.decisions.html import URL_SCHEMES

    out, last = [], 0
    for match in _DESTINATION.finditer(text):
        start = match.end()
        line = text[start : text.find("\n", start) if "\n" in text[start:] else len(text)]
        seen = re.sub(r"[\x00-\x20]", "", html.unescape(line)).lower()
        scheme = _SCHEME.match(seen)
        if scheme and scheme.group(1) not in URL_SCHEMES:
            out.append(text[last:start] + "#")
            last = start
    out.append(text[last:])
    return "".join(out)
