"""MkDocs' rendering of each page, kept under ``.archgen/cache/pages/`` by content.

Converting Markdown is most of what MkDocs does for archgen's pages (at 1,000
components, the comparison page alone takes about two seconds), and a rebuild after an
edit changes few of them. For each page, the HTML MkDocs makes of its Markdown, its table
of contents, its title and its anchors are kept, keyed by a hash of what they are made
from: the page's Markdown and place, the names of every file of the site (the links
resolve against them), and the configuration, strictness and versions archgen passes
(:func:`configure`). A page whose key is known is handed to MkDocs as it was rendered;
every other one is converted and kept. Everything after the conversion (the theme's
templates, the search index, the sitemap) runs as always, so the site is byte for byte
the one a build without the cache makes (tests/test_build.py).

MkDocs loads this through ``archgen.site._mkdocs_hooks`` (a ``hooks:`` entry of the
configuration archgen writes) in the same process, only when the configuration has no
plugin but search and no hooks of the user's: another plugin could depend on each page's
conversion. Entries no page used in a build are removed at its end.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from archgen.site.inputs import Digest

#: Set by :func:`configure` for one MkDocs run in this process, None otherwise.
_state: dict[str, Any] | None = None


def configure(folder: Path | None, salt: str = "") -> None:
    """Use ``folder`` as the cache for the next MkDocs run (None: no cache); ``salt``
    holds what every page's rendering depends on besides its own source."""
    global _state
    if folder is not None:
        LAST_RUN["kept"], LAST_RUN["converted"] = [], []
    _state = None if folder is None else {"folder": Path(folder), "salt": salt, "files": "", "hits": {}, "used": set()}


#: The pages of the last run that used the cache: ``kept`` (taken from it) and
#: ``converted`` (source paths), for the build's log and its tests.
LAST_RUN: dict[str, list[str]] = {"kept": [], "converted": []}


def _key(page: Any, markdown: str) -> str:
    assert _state is not None
    return Digest("archgen-page-cache 1", _state["salt"], _state["files"], page.file.src_uri, page.url, markdown).hexdigest()


def on_files(files: Any, config: Any) -> Any:
    if _state is not None:
        _state["files"] = "\n".join(sorted(f"{f.src_uri}\t{f.dest_uri}" for f in files))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    if _state is None:
        return markdown
    key = _key(page, markdown)
    _state["used"].add(key)
    try:
        from archgen.writer import read_sealed

        sealed = read_sealed(_state["folder"] / f"{key}.json")  # an entry this user's archgen wrote, unaltered
        if sealed is None:
            raise ValueError("no entry")
        entry = json.loads(sealed.decode("utf-8"))
    except (OSError, ValueError):
        page._archgen_key = key  # converted below, kept in on_page_content
        LAST_RUN["converted"].append(page.file.src_uri)
        return markdown
    _state["hits"][page.file.src_uri] = entry
    LAST_RUN["kept"].append(page.file.src_uri)
    return ""  # nothing left to convert: on_page_content puts the kept rendering in


def _tokens(items: Any) -> list[dict[str, Any]]:
    return [{"level": a.level, "id": a.id, "name": a.title, "children": _tokens(a.children)} for a in items]


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    if _state is None:
        return html
    entry = _state["hits"].pop(page.file.src_uri, None)
    if entry is not None:
        from mkdocs.structure.toc import get_toc

        page.toc = get_toc(entry["toc"])
        page._title_from_render = entry["title"]
        page.present_anchor_ids = set(entry["anchors"])
        if entry["links"] is not None:
            links = {}
            for uri, anchors in entry["links"].items():
                target = files.get_file_from_path(uri)
                if target is not None:
                    links[target] = anchors
            page.links_to_anchors = links
        return entry["html"]
    key = getattr(page, "_archgen_key", None)
    if key is not None:
        from archgen.writer import write_sealed

        links = getattr(page, "links_to_anchors", None)
        entry = {
            "html": html,
            "toc": _tokens(page.toc),
            "title": getattr(page, "_title_from_render", None),
            "anchors": sorted(a for a in getattr(page, "present_anchor_ids", None) or () if a is not None),  # MkDocs keeps None for an element whose id it could not read
            "links": None if links is None else {f.src_uri: dict(a) for f, a in links.items()},
        }
        write_sealed(_state["folder"] / f"{key}.json", json.dumps(entry, sort_keys=True))
    return html


def on_post_build(config: Any) -> None:
    if _state is None:
        return
    folder: Path = _state["folder"]
    for path in folder.glob("*.json"):
        if path.stem not in _state["used"]:
            path.unlink(missing_ok=True)  # no page of this build has it: the cache stays the size of one site
