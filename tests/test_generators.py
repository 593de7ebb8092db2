"""archgen's pages in other documentation generators: the MkDocs plugin with an explicit
``nav:`` and under ``mkdocs serve``, and ``archgen build --docs-only`` built by Zensical
and by Backstage TechDocs (``mkdocs-techdocs-core``), each the real tool."""

from __future__ import annotations

import json

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT

from archgen.site.mkdocs_plugin import PLACEHOLDER, expand_nav

TOOLS = ROOT / ".tools"
ZENSICAL = Path(os.environ.get("ARCHGEN_ZENSICAL", TOOLS / "zensical" / "bin" / "zensical"))
TECHDOCS_MKDOCS = Path(os.environ.get("ARCHGEN_TECHDOCS_MKDOCS", TOOLS / "techdocs" / "bin" / "mkdocs"))
#: Pages of the example every generator must build (URL paths below the site).
EXAMPLE_PAGES = (
    "index.html",
    "models/ml-serving/index.html",
    "models/ml-serving/findings/index.html",
    "models/ml-serving/compare/index.html",
    "models/ml-serving/terraform/index.html",
    "decisions/index.html",
    "rules/SEC-NO-WAF/index.html",
    "schema/model-1.json",
)
EXTENSIONS = "markdown_extensions: [admonition, attr_list, tables, pymdownx.details, pymdownx.highlight, pymdownx.superfences]\n"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT / "src")}


def require(present: bool, reason: str) -> None:
    """Skip when a tool scripts/setup.sh installs is missing, but fail under CI."""
    if not present:
        (pytest.fail if os.environ.get("CI") else pytest.skip)(reason + (" and CI is set" if os.environ.get("CI") else ""))


def repo_copy(dest: Path) -> Path:
    shutil.copytree(ROOT / "arch", dest / "arch")
    shutil.copytree(ROOT / "decisions", dest / "decisions")
    return dest


def assert_example_built(site: Path) -> None:
    for page in EXAMPLE_PAGES:
        assert (site / page).is_file(), page
    overview = (site / "models/ml-serving/index.html").read_text(encoding="utf-8")
    assert "ML model serving platform" in overview
    for src in re.findall(r'<img[^>]+src="([^"]+\.svg)"', overview):  # the diagrams are there too
        assert (site / "models/ml-serving" / src).is_file(), src


# -- the plugin -------------------------------------------------------------------------


def test_expand_nav() -> None:
    section = [{"Home": "architecture/index.md"}, {"Rules": "architecture/rules/index.md"}]
    nav = [{"Home": "index.md"}, {"Architecture": PLACEHOLDER}, {"Guide": [{"Intro": "g.md"}, PLACEHOLDER]}]
    out, found = expand_nav(nav, section)
    assert found == 2
    assert out == [{"Home": "index.md"}, {"Architecture": section}, {"Guide": [{"Intro": "g.md"}, *section]}]
    assert expand_nav([{"Home": "index.md"}], section) == ([{"Home": "index.md"}], 0)


def _mkdocs(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mkdocs", *args], cwd=repo, capture_output=True, text=True, timeout=600, env=ENV)


def test_plugin_with_an_explicit_nav(tmp_path) -> None:
    repo = repo_copy(tmp_path)
    (repo / "docs").mkdir()
    (repo / "docs/index.md").write_text("# Our docs\n")
    (repo / "docs/guide.md").write_text("# Guide\n")
    (repo / "mkdocs.yml").write_text(
        "site_name: Existing\ntheme: {name: material}\nplugins: [search, archgen]\n" + EXTENSIONS
        + f"nav:\n  - Home: index.md\n  - Architecture: {PLACEHOLDER}\n  - Guide: guide.md\n"
    )
    result = _mkdocs(repo, "build", "--strict")
    assert result.returncode == 0, result.stderr
    assert_example_built(repo / "site" / "architecture")
    home = (repo / "site/index.html").read_text(encoding="utf-8")
    nav_links = re.findall(r'<a href="([^"]+)" class="md-nav__link', home)
    assert "architecture/models/ml-serving/" in nav_links and "architecture/rules/" in nav_links
    assert nav_links.index("guide/") > nav_links.index("architecture/rules/")  # in the place of the entry
    assert "Our docs" in home


def test_plugin_with_a_nav_that_leaves_it_out(tmp_path) -> None:
    repo = repo_copy(tmp_path)
    (repo / "docs").mkdir()
    (repo / "docs/index.md").write_text("# Our docs\n")
    (repo / "mkdocs.yml").write_text(
        "site_name: Existing\nplugins: [archgen]\n" + EXTENSIONS + "nav:\n  - Home: index.md\n"
    )
    result = _mkdocs(repo, "build", "--strict")
    assert result.returncode == 0, result.stderr
    assert PLACEHOLDER in result.stderr  # MkDocs' log says how to add the pages to the nav
    assert (repo / "site/architecture/models/ml-serving/index.html").is_file()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as resp:
        return resp.read().decode("utf-8", "replace")


def _wait_for(predicate, seconds: float = 120) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


@pytest.mark.parametrize("folder", ["arch", "decisions"])
def test_mkdocs_serve_watches_models_and_decisions(tmp_path, folder) -> None:
    repo = repo_copy(tmp_path)
    (repo / "docs").mkdir()
    (repo / "docs/index.md").write_text("# Our docs\n")
    port = _free_port()
    (repo / "mkdocs.yml").write_text(f"site_name: Existing\ndev_addr: 127.0.0.1:{port}\nplugins: [archgen]\n" + EXTENSIONS)
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--livereload"],
                            cwd=repo, stdout=log, stderr=subprocess.STDOUT, env=ENV)
    try:
        if folder == "arch":
            url = f"http://127.0.0.1:{port}/architecture/models/ml-serving/"
            path, old, new = repo / "arch/ml-serving.yaml", "title: ML model serving platform", "title: Renamed platform"
        else:
            url = f"http://127.0.0.1:{port}/architecture/decisions/"
            path = next((repo / "decisions").glob("0002-*.md"))
            old = next(line for line in path.read_text().splitlines() if line.startswith("# "))
            new = "# A decision renamed under serve"
        assert _wait_for(lambda: "<html" in _get(url)), "mkdocs serve did not come up"
        shown = "Renamed platform" if folder == "arch" else "A decision renamed under serve"
        assert shown not in _get(url)
        path.write_text(path.read_text().replace(old, new, 1))
        assert _wait_for(lambda: shown in _get(url)), f"editing {folder}/ did not rebuild the site:\n" + (tmp_path / "serve.log").read_text()
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        log.close()


# -- --docs-only ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def docs_only(tmp_path_factory) -> Path:
    repo = repo_copy(tmp_path_factory.mktemp("docs-only"))
    result = subprocess.run([sys.executable, "-m", "archgen", "build", "--docs-only", "out/docs"], cwd=repo,
                            capture_output=True, text=True, timeout=600, env=ENV)
    assert result.returncode == 0, result.stderr
    return repo / "out" / "docs"


def test_docs_only_writes_the_pages_and_replaces_only_its_own_folder(docs_only, tmp_path) -> None:
    assert (docs_only / "index.md").is_file() and (docs_only / "models/ml-serving/index.md").is_file()
    assert list((docs_only / "models/ml-serving/diagrams").glob("*.svg"))
    assert (docs_only / "schema/model-1.json").is_file()
    assert not (docs_only.parent / "site").exists()  # no site built
    repo = docs_only.parent.parent
    # a page archgen wrote and no longer writes goes; a file it did not write stays
    marker = docs_only / ".archgen-output"
    listed = json.loads(marker.read_text())
    (docs_only / "stale.md").write_text("# left over\n")
    marker.write_text(json.dumps({**listed, "files": listed["files"] + ["stale.md"]}))
    (docs_only / "notes-of-mine.md").write_text("# mine\n")
    again = subprocess.run([sys.executable, "-m", "archgen", "build", "--docs-only", "out/docs", "-q"], cwd=repo,
                           capture_output=True, text=True, timeout=600, env=ENV)
    assert again.returncode == 0 and again.stderr == "", again.stderr
    assert not (docs_only / "stale.md").exists()
    assert (docs_only / "notes-of-mine.md").read_text() == "# mine\n"
    assert "notes-of-mine.md" not in json.loads(marker.read_text())["files"]
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "mine.md").write_text("# mine\n")
    refused = subprocess.run([sys.executable, "-m", "archgen", "build", "--docs-only", str(theirs)], cwd=repo,
                             capture_output=True, text=True, timeout=600, env=ENV)
    assert refused.returncode == 2 and "not written by archgen" in refused.stderr
    assert (theirs / "mine.md").read_text() == "# mine\n"


def _project(tmp_path: Path, docs: Path, config: str) -> Path:
    project = tmp_path / "project"
    shutil.copytree(docs, project / "docs")
    (project / "mkdocs.yml").write_text(config)
    return project


def test_zensical_builds_the_docs_only_pages(docs_only, tmp_path) -> None:
    require(ZENSICAL.exists(), f"Zensical not installed at {ZENSICAL} (scripts/setup.sh installs it)")
    project = _project(tmp_path, docs_only, "site_name: Architecture\n" + EXTENSIONS)
    result = subprocess.run([str(ZENSICAL), "build", "--strict"], cwd=project, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert_example_built(project / "site")


def test_techdocs_builds_the_docs_only_pages(docs_only, tmp_path) -> None:
    require(TECHDOCS_MKDOCS.exists(), f"mkdocs-techdocs-core not installed at {TECHDOCS_MKDOCS} (scripts/setup.sh installs it)")
    project = _project(tmp_path, docs_only, "site_name: Architecture\nplugins:\n  - techdocs-core\n")
    env = {k: v for k, v in ENV.items() if k != "PYTHONPATH"}
    result = subprocess.run([str(TECHDOCS_MKDOCS), "build", "--strict"], cwd=project, capture_output=True, text=True, timeout=600, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert_example_built(project / "site")
    assert "techdocs" in (project / "site/index.html").read_text(encoding="utf-8").lower() or (project / "site/techdocs_metadata.json").is_file()
