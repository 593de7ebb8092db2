"""The site as a reader sees it, in headless Debian chromium (Playwright), at 1280 and
390 pixels wide: tables and code boxes that fit or scroll inside their own box, file:line
references on one line, one navigation entry per page, adopted drafts marked, and
diagrams whose links (plain SVG, no JavaScript) lead to pages that exist.

The site is the example's repository with the real-stack fixtures beside it in arch/
(six models on the home page, as in issue 21)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import ROOT, launch_chromium

pytestmark = pytest.mark.skipif(
    (not shutil.which("chromium") or not shutil.which("dot")) and not os.environ.get("CI"),
    reason="needs Graphviz and Debian's chromium",
)

#: The pages issue 21 names: home, a model page, the comparison, a findings page.
PAGES = {
    "home": "index.html",
    "model": "models/online-boutique/index.html",
    "comparison": "models/ml-serving/compare/index.html",
    "findings": "models/online-boutique/findings/index.html",
}
XLINK = "{http://www.w3.org/1999/xlink}href"

# Boxes that overflow their width: the page itself, and every table, scroll wrapper and
# code block (each [what, scrollWidth, clientWidth]).
_OVERFLOW = """() => {
  const d = document.scrollingElement;
  const out = {page: [d.scrollWidth, d.clientWidth], boxes: []};
  for (const el of document.querySelectorAll('article table, article .md-typeset__scrollwrap, article pre')) {
    if (el.scrollWidth > el.clientWidth + 1) out.boxes.push([el.tagName + '.' + el.className, el.scrollWidth, el.clientWidth]);
  }
  return out;
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    repo = tmp_path_factory.mktemp("screens")
    (repo / "arch").mkdir()
    for model in [ROOT / "arch" / "ml-serving.yaml", *sorted((ROOT / "tests" / "fixtures" / "views").glob("*.yaml"))]:
        shutil.copy(model, repo / "arch" / model.name)
    shutil.copytree(ROOT / "decisions", repo / "decisions")
    shutil.copy(ROOT / "mkdocs.yml", repo / "mkdocs.yml")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "archgen", "build", "-q"], cwd=repo, capture_output=True, text=True, timeout=900, env=env)
    assert result.returncode == 0, result.stderr
    return repo / "site"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch_chromium(p)
        yield b
        b.close()


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("page_name", list(PAGES))
def test_pages_fit_the_screen(site, browser, page_name, width):
    """At 1280 px no table or code box needs sideways scrolling; at 390 px nothing is
    wider than the screen (a table may scroll inside its own box)."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto((site / PAGES[page_name]).as_uri())
    page.wait_for_load_state("load")
    found = page.evaluate(_OVERFLOW)
    artifacts = ROOT / "tests" / "artifacts"
    artifacts.mkdir(exist_ok=True)
    page.screenshot(path=str(artifacts / f"{page_name}-{width}.png"), full_page=True)
    page.close()
    scroll, client = found["page"]
    assert scroll <= client, f"the page scrolls sideways at {width} px"
    if width >= 1280:
        assert found["boxes"] == []


def test_file_line_references_stay_on_one_line(site, browser):
    """At 390 px a finding's line reference, a component id and a rule id are each one
    piece (issue 21: `arch/online-boutique.yaml:32` wrapped inside the word)."""
    page = browser.new_page(viewport={"width": 390, "height": 900})
    page.goto((site / PAGES["findings"]).as_uri())
    pieces = page.evaluate(
        "() => [...document.querySelectorAll('article td code, article td a[href*=\"rules/\"]')]"
        ".map(e => [e.textContent, e.getClientRects().length])"
    )
    page.close()
    assert pieces and all(lines == 1 for _, lines in pieces), [p for p in pieces if p[1] != 1]


def test_every_page_has_one_navigation_entry(site, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((site / "index.html").as_uri())
    links = page.evaluate(
        "() => [...document.querySelectorAll('nav.md-nav--primary a.md-nav__link[href]')].map(a => [a.textContent.trim(), a.href])"
    )
    page.close()
    hrefs = [h for _, h in links]
    assert len(hrefs) == len(set(hrefs)), sorted(h for h in hrefs if hrefs.count(h) > 1)
    assert [t for t, _ in links].count("Schema") == 1


def test_adopted_drafts_are_marked_adopted(site):
    text = (site / "decisions" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"adopted: <a [^>]*>ADR-0002</a> \(accepted\)", text)


def _svg_links(svg: Path) -> list[str]:
    return [a.get(XLINK) or a.get("href") for a in ET.parse(svg).getroot().iter("{http://www.w3.org/2000/svg}a")]


def test_every_link_in_a_diagram_resolves_to_a_page_that_exists(site):
    diagrams = sorted(site.glob("models/*/diagrams/*.svg"))
    assert diagrams
    checked = 0
    for svg in diagrams:
        for href in _svg_links(svg):
            parts = urlsplit(href)
            assert not parts.scheme and not parts.netloc, href  # relative: the site can move
            target = (svg.parent / unquote(parts.path)).resolve()
            assert target.is_file(), f"{svg.relative_to(site)}: {href}"
            if parts.fragment:
                assert f'id="{parts.fragment}"' in target.read_text(encoding="utf-8"), f"{svg.relative_to(site)}: {href}"
            checked += 1
    assert checked > 100
    # every kind of link is there: components, rules, clusters, the system
    hrefs = {h for svg in diagrams for h in _svg_links(svg)}
    assert any("#component-" in h for h in hrefs) and any("/rules/" in h for h in hrefs)
    assert any("#view-overview" in h for h in hrefs)


def test_a_diagram_link_opens_its_page_with_javascript_off(site, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto((site / PAGES["model"]).as_uri())
    page.wait_for_load_state("load")
    frame = next(f for f in page.frames if f.url.endswith("/diagrams/overview.svg"))
    link = frame.locator('a:has(g[id="n-frontend"])')
    assert link.get_attribute("href") == "../index.html#component-frontend"
    with page.expect_navigation():
        link.click()
    assert page.url.endswith("/models/online-boutique/index.html#component-frontend")
    findings = next(f for f in page.frames if f.url.endswith("/diagrams/findings.svg"))
    rule = findings.locator("a[href*='/rules/']").first.get_attribute("href")
    assert rule.startswith("../../../rules/") and rule.endswith("/index.html")
    context.close()
