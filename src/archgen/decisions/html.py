"""What HTML an ADR page of the site may hold: the allow-list, applied by nh3.

An ADR body is Markdown any contributor writes, so its page is cleaned *after*
Markdown has made HTML of it (by the site's build and by the MkDocs plugin, see
``archgen.site``): whatever the Markdown extensions of the site let through, only the
elements and attributes below reach the published page. Links and images keep only
``http``, ``https`` and ``mailto`` addresses or relative ones (``javascript:``,
``data:``, ``vbscript:`` are dropped); ``<script>``, ``<style>`` and their text go;
event handlers (``onerror=``, ``onmouseover=``) and ``style`` go (a table cell keeps
only ``text-align``). nh3 is the Python binding of Ammonia, a maintained HTML
sanitiser built on a browser-grade HTML parser (html5ever).
"""

from __future__ import annotations

__all__ = ["ATTRIBUTES", "TAGS", "URL_SCHEMES", "clean"]

#: What Markdown, its tables, admonitions, details, code highlighting and the table of
#: contents produce, and nothing else.
TAGS = frozenset(
    {
        "a", "abbr", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em",
        "h1", "h2", "h3", "h4", "h5", "h6", "hr", "img", "ins", "kbd", "li", "mark", "ol", "p",
        "pre", "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
        "tfoot", "th", "thead", "tr", "ul",
    }
)
#: Attributes kept, by element (``*``: on every element). No event handler, no ``style``
#: but a table cell's alignment (see :func:`clean`).
ATTRIBUTES = {
    "*": {"class", "id", "title"},
    "a": {"href"},
    "img": {"alt", "src"},
    "ol": {"start"},
    "td": {"style"},
    "th": {"style"},
}
#: Schemes a link or an image may use; relative addresses (``../x.md``, ``#part``) are kept.
URL_SCHEMES = frozenset({"http", "https", "mailto"})


def clean(html: str) -> str:
    """``html`` with only :data:`TAGS`, :data:`ATTRIBUTES` and :data:`URL_SCHEMES` left."""
    import nh3

    return nh3.clean(
        html,
        tags=set(TAGS),
        clean_content_tags={"script", "style"},
        attributes={k: set(v) for k, v in ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        filter_style_properties={"text-align"},
        link_rel=None,
        strip_comments=True,
    )
