"""Issue 23, script in the site: an ADR body is Markdown any contributor writes, and the
published HTML of its page must hold no script, no event handler and no ``javascript:``
link, whatever the Markdown extensions let through. Checked on the HTML MkDocs wrote
(``archgen build`` and the MkDocs plugin) and in headless Chromium: no script runs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOT, launch_chromium

#: Each attack of the issue (and a few neighbours), one per ADR body; each would set
#: ``window.__pwned`` or run ``alert`` if it ran.
ATTACKS = {
    "attr-list-image": '![x](https://example.org/x.png){: onerror="window.__pwned=1" }',
    "attr-list-paragraph": 'A paragraph.\n{: onmouseover="window.__pwned=2" style="position:fixed;inset:0" }',
    "attr-list-heading": "## Heading {: onclick=\"window.__pwned=3\" #id }",
    "fence-trick": "```x```\n<script>window.__pwned=4</script>\n\nafter",
    "unclosed-fence": "~~~ x ~~~\n<script>window.__pwned=5</script>",
    "reference-javascript": "[reference][r]\n\n[r]: javascript:window.__pwned=6",
    "inline-javascript": "[inline](javascript:window.__pwned=7) and [entity](java&#115;cript:window.__pwned=7)",
    "autolink-javascript": "<javascript:window.__pwned=8>",
    "raw-html": '<img src=x onerror="window.__pwned=9"><iframe src="javascript:window.__pwned=9"></iframe>',
    "data-image": "![d](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
}


def _hostile_repo(root: Path) -> Path:
    (root / "arch").mkdir(parents=True)
    shutil.copy(ROOT / "arch" / "ml-serving.yaml", root / "arch" / "ml-serving.yaml")
    shutil.copytree(ROOT / "decisions", root / "decisions")
    for n, (name, body) in enumerate(sorted(ATTACKS.items()), start=10):
        (root / "decisions" / f"{n:04d}-{name}.md").write_text(
            f"---\nstatus: proposed\ndate: 2026-12-01\ncomponents: [api]\n---\n\n# Attack {name}\n\n"
            f"## Context\n\n{body}\n\n## Kept\n\nA [link](https://example.org/) and [another ADR](0002-run-the-fastapi-backend-on-ecs-fargate.md), "
            "`code {x}` and\n\n```python\nif a < b and {1: 2}:\n    pass\n```\n",
            encoding="utf-8",
        )
    return root


def _adr_pages(site: Path) -> dict[str, str]:
    pages = {}
    for n, name in enumerate(sorted(ATTACKS), start=10):
        page = site / "decisions" / f"{n:04d}-{name}" / "index.html"
        pages[name] = page.read_text(encoding="utf-8")
    return pages


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    repo = _hostile_repo(tmp_path_factory.mktemp("hostile-adrs"))
    result = subprocess.run(
        [sys.executable, "-m", "archgen", "build", "-q"], cwd=repo, capture_output=True, text=True, timeout=900,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr
    return repo / "site"


def _article(html: str) -> str:
    """The page's content (MkDocs Material's theme has scripts of its own)."""
    start = html.index("<article")
    return html[start : html.index("</article>", start)]


class _Elements(HTMLParser):
    """Every element of a page with its attributes, as a browser's parser reads them
    (entities in attribute values decoded: ``java&#115;cript:`` is ``javascript:``)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))


def _elements(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Elements()
    parser.feed(html)
    return parser.elements


def _assert_clean(name: str, html: str) -> None:
    for tag, attrs in _elements(_article(html)):
        assert tag not in ("script", "iframe", "object", "embed", "style", "form"), (name, tag)
        for key, value in attrs.items():
            assert not key.startswith("on"), (name, tag, key, value)
            assert key != "style", (name, tag, value)
            if key in ("href", "src"):
                # as a browser reads it: C0 controls and spaces dropped; a scheme starts with a letter
                scheme = re.match(r"([a-z][a-z0-9+.-]*):", re.sub(r"[\x00-\x20]", "", value).lower())
                assert not scheme or scheme.group(1) in ("http", "https", "mailto"), (name, tag, value)


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_no_adr_body_puts_script_into_the_published_html(built, name):
    html = _adr_pages(built)[name]
    _assert_clean(name, html)
    article = _article(html)
    # what an ADR is for is kept: links, code with its < and {, the headings' anchors
    assert 'href="https://example.org/"' in article
    assert 'href="../0002-run-the-fastapi-backend-on-ecs-fargate/"' in article
    assert "<code>code {x}</code>" in article
    assert '<span class="o">&lt;</span>' in article
    assert 'class="headerlink"' in article


def test_the_fence_trick_and_raw_html_are_shown_as_text(built):
    pages = _adr_pages(built)
    assert "&lt;script&gt;window.__pwned=4&lt;/script&gt;" in _article(pages["fence-trick"])
    assert "{: onerror=" in _article(pages["attr-list-image"])  # the attribute list is text, not an attribute


def test_the_plugin_cleans_the_adr_pages_it_adds(tmp_path):
    repo = _hostile_repo(tmp_path / "repo")
    (repo / "mkdocs.yml").write_text(
        "site_name: Existing\ntheme: {name: material}\nplugins:\n  - search\n  - archgen:\n      prefix: architecture\n"
        "markdown_extensions: [admonition, tables, pymdownx.details, pymdownx.superfences, attr_list, toc]\n",
        encoding="utf-8",
    )
    (repo / "docs").mkdir()
    (repo / "docs" / "index.md").write_text("# Existing site\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q"], cwd=repo, capture_output=True, text=True, timeout=600,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr
    for name, html in _adr_pages(repo / "site" / "architecture").items():
        _assert_clean(name, html)


def test_docs_only_pages_read_by_plain_mkdocs_carry_no_script(tmp_path):
    """``build --docs-only`` writes Markdown for another generator (MkDocs without the
    plugin, TechDocs, Zensical), which makes the HTML with its own extensions and no
    cleaning of archgen's: the ADR Markdown itself must carry no raw HTML, no attribute
    list and no link or image of an unsafe scheme. Read here by plain MkDocs with the
    extensions such sites enable (attr_list, md_in_html)."""
    repo = _hostile_repo(tmp_path / "repo")
    result = subprocess.run(
        [sys.executable, "-m", "archgen", "build", "-q", "--docs-only", "out/docs"], cwd=repo, capture_output=True,
        text=True, timeout=900, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr
    (repo / "out" / "mkdocs.yml").write_text(
        "site_name: Plain\ntheme: {name: material}\nmarkdown_extensions: [admonition, tables, attr_list, md_in_html, "
        "pymdownx.details, pymdownx.superfences, {toc: {permalink: true}}]\n",
        encoding="utf-8",
    )
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q"], cwd=repo / "out", capture_output=True, text=True, timeout=600,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert built.returncode == 0, built.stderr
    pages = _adr_pages(repo / "out" / "site")
    for name, html in pages.items():
        _assert_clean(name, html)
        article = _article(html)  # and what an ADR is for is kept
        assert 'href="https://example.org/"' in article and 'href="../0002-run-the-fastapi-backend-on-ecs-fargate/"' in article
    assert "&lt;script&gt;window.__pwned=4&lt;/script&gt;" in _article(pages["fence-trick"])


@pytest.mark.skipif(not shutil.which("chromium") and not os.environ.get("CI"), reason="needs Debian's chromium")
def test_no_script_of_an_adr_runs_in_a_browser(built):
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            page = browser.new_page()
            dialogs: list[str] = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            for n, name in enumerate(sorted(ATTACKS), start=10):
                page.goto((built / "decisions" / f"{n:04d}-{name}" / "index.html").as_uri())
                page.wait_for_load_state("load")
                # hover and click everything of the article: handlers would fire now
                for el in page.query_selector_all("article *"):
                    if el.is_visible():
                        el.hover(timeout=2000, force=True)
                for link in page.query_selector_all("article a[href]"):
                    href = link.get_attribute("href") or ""
                    assert not href.strip().lower().startswith(("javascript", "data", "vbscript")), (name, href)
                assert page.evaluate("() => window.__pwned === undefined"), name
                assert page.evaluate("() => document.querySelectorAll('article script, article iframe').length") == 0, name
            assert dialogs == []
        finally:
            browser.close()


# ---------------------------------------------------------------------------
# the diagram cache: an entry's key can be computed, so only entries this user's
# archgen sealed are used


POISON = b'<svg xmlns="http://www.w3.org/2000/svg"><script>window.__pwned=1</script></svg>'


@pytest.mark.skipif(not shutil.which("dot") and not os.environ.get("CI"), reason="needs Graphviz")
def test_a_poisoned_diagram_cache_entry_is_ignored_and_drawn_again(tmp_path):
    import hashlib
    import hmac

    repo = tmp_path / "repo"
    (repo / "arch").mkdir(parents=True)
    shutil.copy(ROOT / "arch" / "ml-serving.yaml", repo / "arch" / "ml-serving.yaml")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "XDG_CACHE_HOME": str(tmp_path / "user-cache")}

    def build() -> None:
        result = subprocess.run([sys.executable, "-m", "archgen", "build", "-q", "--force"], cwd=repo, capture_output=True, text=True, timeout=900, env=env)
        assert result.returncode == 0, result.stderr

    build()
    entries = sorted((repo / ".archgen" / "cache" / "diagrams").rglob("*.svg"))
    assert entries, "the build cached its pictures"
    honest = {p: p.read_bytes() for p in entries}
    forged_key = b"k" * 32  # what a contributor could commit: a seal of a key of their own
    for n, path in enumerate(entries):
        if n % 2:  # the format of the cache before seals: the bare picture
            path.write_bytes(POISON)
        else:
            mac = hmac.new(forged_key, path.name.encode() + b"\0" + POISON, hashlib.sha256).hexdigest()
            path.write_bytes(b"archgen-sealed-1 " + mac.encode() + b"\n" + POISON)
    build()
    published = [p for p in (repo / "site").rglob("*") if p.is_file() and p.suffix in (".svg", ".html")]
    assert published
    for page in published:
        assert b"__pwned" not in page.read_bytes(), page
    for path in entries:  # drawn again and sealed with this user's key
        assert path.read_bytes().partition(b"\n")[2] == honest[path].partition(b"\n")[2], path
        assert path.read_bytes() == honest[path], path
