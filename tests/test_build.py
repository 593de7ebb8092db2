"""`archgen build` end to end: real MkDocs (--strict), atomic publishing, hand-written
pages kept, hostile text escaped, the MkDocs plugin, `archgen init` and `archgen serve`."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, launch_chromium


def copy_repo(dest: Path, with_docs: bool = False) -> Path:
    shutil.copytree(ROOT / "arch", dest / "arch", symlinks=False)
    if (ROOT / "decisions").is_dir():
        shutil.copytree(ROOT / "decisions", dest / "decisions")
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    if with_docs:
        shutil.copytree(ROOT / "docs", dest / "docs")
    return dest


def tree_hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The example repository, built once for this module."""
    repo = copy_repo(tmp_path_factory.mktemp("repo"))
    env = {k: v for k, v in os.environ.items() if k != "CI"}  # CI=true would silence the progress
    result = subprocess.run(
        [sys.executable, "-m", "archgen", "build"],
        cwd=repo, capture_output=True, text=True, timeout=600, env={**env, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr
    return repo, result


def test_site_has_every_page(built):
    repo, result = built
    site = repo / "site"
    for rel in (
        "index.html",
        "models/ml-serving/index.html",
        "models/ml-serving/findings/index.html",
        "models/ml-serving/compare/index.html",
        "models/ml-serving/terraform/index.html",
        "models/ml-serving/diagrams/overview.svg",
        "decisions/index.html",
        "rules/index.html",
        "rules/MODEL-ORPHAN/index.html",
        "schema/index.html",
        "schema/model-1.json",
    ):
        assert (site / rel).is_file(), rel
    assert "built" in result.stderr  # progress and summary on stderr when not quiet
    home = (site / "index.html").read_text()
    assert "ML model serving platform" in home and "models/ml-serving/" in home


def _backslashed_punctuation(html: str) -> list[str]:
    """Text of the page (code left out) with a backslash still before punctuation."""
    text = re.sub(r"<(code|pre|script|style)\b.*?</\1>", "", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.findall(r".{0,30}\\[!-/:-@\[-`{-~].{0,30}", text)


def test_escapes_written_for_github_do_not_show_on_the_site(built):
    """Drafts and ADRs escape $ and ~ as GitHub needs ($ opens math there); the site reads
    them as GitHub does instead of showing the backslash."""
    repo, _ = built
    drafts = sorted((repo / "site/decisions/drafts").glob("*/index.html"))
    assert any("~$35" in p.read_text() for p in drafts)  # the catalog's "dev ~$35-40/month"
    for page in [*drafts, repo / "site/index.html", repo / "site/models/ml-serving/index.html"]:
        assert _backslashed_punctuation(page.read_text()) == [], page


def test_findings_link_to_rule_pages(built):
    repo, _ = built
    page = (repo / "site/models/ml-serving/findings/index.html").read_text()
    assert 'href="../../../rules/' in page


def test_terraform_offered_for_download(built):
    repo, _ = built
    tf = repo / "site/models/ml-serving/terraform"
    assert (tf / "ml-serving-aws.zip").is_file() or list(tf.glob("*.zip"))
    assert list((tf / "aws").glob("*.tf"))


def test_rebuild_is_byte_identical(built, tmp_path):
    repo, _ = built
    first = tree_hashes(repo / "site")
    # --force: MkDocs builds it again (without it, nothing changed and the site is kept)
    subprocess.run([sys.executable, "-m", "archgen", "build", "-q", "--force"], cwd=repo, check=True, timeout=600)
    second = tree_hashes(repo / "site")
    # MkDocs stamps the build date into the sitemap only.
    for d in (first, second):
        for k in [k for k in d if k.startswith("sitemap.xml")]:
            del d[k]
    assert first == second


@pytest.mark.parametrize("own_config", [True, False], ids=["user-mkdocs-yml", "default-config"])
def test_mkdocs_runs_again_only_when_what_it_builds_from_changed(tmp_path, monkeypatch, own_config):
    from archgen.site import build as build_mod

    repo = copy_repo(tmp_path)
    if not own_config:
        (repo / "mkdocs.yml").unlink()
    runs = []
    real = build_mod._mkdocs_build
    monkeypatch.setattr(build_mod, "_mkdocs_build", lambda *a, **kw: (runs.append(1), real(*a, **kw)))

    def build(**kw):
        return build_mod.build(root=repo, quiet=True, **kw)

    assert not build().unchanged and len(runs) == 1
    site = tree_hashes(repo / "site")
    again = build()
    assert again.unchanged and len(runs) == 1 and tree_hashes(repo / "site") == site
    assert again.pages > 0 and again.bundles  # the models were still loaded and checked

    model = repo / "arch" / "ml-serving.yaml"
    model.write_text(model.read_text().replace("title: Churn model", "title: Churn model v2"))
    assert not build().unchanged and len(runs) == 2
    assert "Churn model v2" in (repo / "site" / "models" / "ml-serving" / "index.html").read_text()
    assert build().unchanged and len(runs) == 2

    assert not build(force=True).unchanged and len(runs) == 3
    shutil.rmtree(repo / "site")
    assert not build().unchanged and len(runs) == 4 and (repo / "site" / "index.html").is_file()
    assert not build(strict=False).unchanged and len(runs) == 5

    (repo / "docs").mkdir()
    (repo / "docs" / "notes.md").write_text("# Notes\n\nHand-written.\n")
    assert not build().unchanged and len(runs) == 6
    if own_config:  # a file the user's mkdocs.yml may name (theme overrides, hooks)
        (repo / "overrides").mkdir()
        (repo / "overrides" / "main.html").write_text("{% extends 'base.html' %}\n")
        assert not build().unchanged and len(runs) == 7
    assert build().unchanged


def site_files(folder: Path) -> dict[str, tuple[str, int, int]]:
    """Each file of a site (but archgen's marker): (sha256, inode, modification time)."""
    out = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file() and p.name != ".archgen-output":
            st = p.stat()
            out[p.relative_to(folder).as_posix()] = (hashlib.sha256(p.read_bytes()).hexdigest(), st.st_ino, st.st_mtime_ns)
    return out


def two_model_repo(dest: Path) -> Path:
    """The example and a second model (the gallery's serverless one), archgen's own
    MkDocs configuration (no mkdocs.yml)."""
    repo = copy_repo(dest)
    (repo / "mkdocs.yml").unlink()
    other = ROOT / "examples" / "serverless-ecommerce" / "arch" / "serverless-ecommerce.yaml"
    shutil.copy(other, repo / "arch" / other.name)
    return repo


def test_a_rebuild_with_no_change_checks_the_models_and_generates_nothing(tmp_path, monkeypatch):
    from archgen.site import build as build_mod

    repo = two_model_repo(tmp_path)
    build_mod.build(root=repo, quiet=True)
    before = site_files(repo / "site")

    def generate(*a, **kw):
        raise AssertionError("a build with no change generated the pages again")

    monkeypatch.setattr(build_mod, "generate_bundles", generate)
    again = build_mod.build(root=repo, quiet=True)
    assert again.unchanged and {b.model.name for b in again.bundles} == {"ml-serving", "serverless-ecommerce"}
    assert all(b.findings for b in again.bundles)  # checked: the example has findings
    assert site_files(repo / "site") == before
    # a changed byte anywhere in what a build reads (here a hand-written page) builds again
    (repo / "docs").mkdir()
    (repo / "docs" / "notes.md").write_text("# Notes\n")
    with pytest.raises(AssertionError, match="generated the pages again"):
        build_mod.build(root=repo, quiet=True)


def test_an_edit_changes_only_the_outputs_that_show_it_and_equals_a_clean_build(tmp_path, monkeypatch):
    from archgen.site import build as build_mod
    from archgen.site import page_cache

    repo = two_model_repo(tmp_path / "a")
    monkeypatch.chdir(repo)  # the pages name the model's file as the command line would: relative
    build_mod.build(root=repo, quiet=True)
    before = site_files(repo / "site")
    model = repo / "arch" / "ml-serving.yaml"
    text = model.read_text()
    assert "    title: CloudFront distribution\n" in text
    model.write_text(text.replace("    title: CloudFront distribution\n", "    title: CloudFront edge (retitled)\n"))
    time.sleep(0.01)  # a file written again would have another modification time
    result = build_mod.build(root=repo, quiet=True)
    assert not result.unchanged
    after = site_files(repo / "site")
    assert set(after) == set(before)
    changed = {rel for rel in after if after[rel][0] != before[rel][0]}
    # what did not change is the very file it was (same inode, same time): only the edit's outputs moved
    assert all(after[rel][1:] == before[rel][1:] for rel in after if rel not in changed)
    assert {"models/ml-serving/index.html", "models/ml-serving/diagrams/overview.svg"} <= changed
    assert "CloudFront edge (retitled)" in (repo / "site" / "models" / "ml-serving" / "index.html").read_text()
    assert not {rel for rel in changed if rel.startswith(("models/serverless-ecommerce/", "rules/", "schema"))}
    # MkDocs converted again only pages of the edited model; the other model's were kept
    assert page_cache.LAST_RUN["converted"] and all(p.startswith(("models/ml-serving/", "decisions/")) for p in page_cache.LAST_RUN["converted"])
    assert "models/serverless-ecommerce/index.md" in page_cache.LAST_RUN["kept"]
    # the same inputs built from a clean state give the same bytes
    clean = two_model_repo(tmp_path / "b")
    shutil.copy(model, clean / "arch" / model.name)
    monkeypatch.chdir(clean)
    build_mod.build(root=clean, quiet=True)
    assert {r: v[0] for r, v in site_files(clean / "site").items()} == {r: v[0] for r, v in after.items()}


def test_failed_build_keeps_previous_site(built, run_cli):
    repo, _ = built
    before = tree_hashes(repo / "site")
    model = repo / "arch" / "ml-serving.yaml"
    original = model.read_text()
    try:
        model.write_text(original.replace("kind: postgres", "kind: postgress"))
        result = run_cli("build", cwd=repo)
        assert result.returncode == 2
        assert "arch/ml-serving.yaml:" in result.stderr and "postgress" in result.stderr
        assert "Traceback" not in result.stderr
        assert tree_hashes(repo / "site") == before
    finally:
        model.write_text(original)
    assert not list((repo / ".archgen").glob("stage*")), "staging folders are cleaned up"


def test_mkdocs_failure_keeps_previous_site(built, run_cli):
    repo, _ = built
    before = tree_hashes(repo / "site")
    docs = repo / "docs"
    docs.mkdir(exist_ok=True)
    (docs / "notes.md").write_text("# Notes\n\n[broken](missing-page.md)\n")
    try:
        result = run_cli("build", cwd=repo)
        assert result.returncode == 2
        assert "missing-page.md" in result.stderr
        assert tree_hashes(repo / "site") == before
    finally:
        shutil.rmtree(docs)


def test_hand_written_pages_are_kept(tmp_path, run_cli):
    repo = copy_repo(tmp_path)
    (repo / "docs").mkdir()
    (repo / "docs/index.md").write_text("# Our architecture\n\nWritten by hand.\n\n[Models](models/index.md)\n")
    (repo / "docs/rules").mkdir()
    result = run_cli("build", "-q", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert "Written by hand." in (repo / "site/index.html").read_text()
    assert (repo / "site/models/index.html").is_file()  # archgen's home moved aside
    assert (repo / "docs/index.md").read_text().startswith("# Our architecture")  # never touched


HOSTILE = """\
archgen: 1
name: hostile
title: "<script>alert('title')</script> | pipe `tick` [x](javascript:alert(1))"
description: "<img src=x onerror=alert(1)> ${path.module} %{ if true }"
provider: aws
requirements: {data: [pii], monthly_budget_usd: 100}
components:
  users: {kind: actor, title: "<b onmouseover=alert(1)>users</b>"}
  lb: {kind: load_balancer, public: true, title: "lb | with | pipes"}
  api:
    kind: container_service
    title: "api \\" quote ${var.x} `code`"
    env: {API_TOKEN: "s3cr3t-value-never-shown", NOTE: "<script>x</script>"}
  db: {kind: postgres, data: [pii], title: "db</td><script>alert(2)</script>"}
flows:
  - users -> lb: "<script>alert(3)</script>"
  - lb -> api
  - api -> db: "pg|sql"
"""


def test_hostile_text_is_escaped_in_every_page(tmp_path, run_cli):
    (tmp_path / "arch").mkdir()
    (tmp_path / "arch/hostile.yaml").write_text(HOSTILE)
    result = run_cli("build", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    for path in site.rglob("*"):
        if path.suffix not in (".html", ".svg", ".md", ".tf", ".json"):
            continue
        text = path.read_text(errors="replace")
        rel = path.relative_to(site).as_posix()
        assert "s3cr3t-value-never-shown" not in text, rel
        if "/exports/" in f"/{rel}":  # downloads in their own language, escaped for it (tests/test_export.py)
            continue
        if path.suffix == ".tf":  # HCL, served as a download: no interpolation may survive
            assert "${path.module}" not in text.replace("$${path.module}", ""), rel
            continue
        assert "<script>alert" not in text, rel
        assert "<img src=x" not in text, rel
        assert "<b onmouseover" not in text, rel
    model_page = (site / "models/hostile/index.html").read_text()
    assert "&lt;script&gt;alert" in model_page  # shown as text, not dropped


def test_plugin_adds_pages_to_an_existing_site(tmp_path):
    repo = copy_repo(tmp_path)
    (repo / "mkdocs.yml").write_text(
        "site_name: Existing\ntheme: {name: material}\nplugins:\n  - search\n  - archgen:\n      prefix: architecture\n"
        "markdown_extensions: [admonition, tables, pymdownx.details, pymdownx.superfences, attr_list]\n"
    )
    (repo / "docs").mkdir()
    (repo / "docs/index.md").write_text("# Existing site\n")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q"], cwd=repo, capture_output=True, text=True, timeout=600,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr
    assert (repo / "site/architecture/models/ml-serving/index.html").is_file()
    assert "Existing site" in (repo / "site/index.html").read_text()


def test_init_scaffolds_a_repository_that_builds(tmp_path, run_cli):
    result = run_cli("init", str(tmp_path), "--date", "2026-01-02")
    assert result.returncode == 0, result.stderr
    for rel in ("arch/ml-serving.yaml", "decisions/0001-record-architecture-decisions.md", "mkdocs.yml",
                ".github/workflows/archgen.yml", ".pre-commit-config.yaml"):
        assert (tmp_path / rel).is_file(), rel
    again = run_cli("init", str(tmp_path))
    assert "kept" in again.stderr  # never overwrites
    built = run_cli("build", "-q", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "site/index.html").is_file()


def test_serve_rebuilds_on_change(tmp_path):
    repo = copy_repo(tmp_path)
    proc = subprocess.Popen(
        [sys.executable, "-m", "archgen", "serve", "--port", "0", "--interval", "0.2"],
        cwd=repo, stderr=subprocess.PIPE, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    try:
        url = None
        deadline = time.time() + 300
        while time.time() < deadline:
            line = proc.stderr.readline()
            if "http://127.0.0.1:" in line:
                url = line.split()[2]
                break
        assert url, "server did not start"
        assert b"ML model serving platform" in urllib.request.urlopen(url, timeout=10).read()
        model = repo / "arch/ml-serving.yaml"
        model.write_text(model.read_text().replace("title: ML model serving platform", "title: Renamed platform"))
        while time.time() < deadline:
            line = proc.stderr.readline()
            if "site rebuilt" in line or not line:
                break
        assert b"Renamed platform" in urllib.request.urlopen(url, timeout=10).read()
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.mark.skipif(not shutil.which("chromium") and not os.environ.get("CI"), reason="Debian's chromium is not installed")
def test_reader_sees_diagram_and_findings_in_chromium(built):
    from playwright.sync_api import sync_playwright

    repo, _ = built
    artifacts = ROOT / "tests" / "artifacts"
    artifacts.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto((repo / "site/index.html").as_uri())
        assert page.locator("table").first.is_visible()
        assert "ML model serving platform" in page.inner_text("article")
        page.screenshot(path=str(artifacts / "home.png"), full_page=True)

        page.goto((repo / "site/models/ml-serving/index.html").as_uri())
        diagram = page.locator("article object.archgen-diagram").first
        diagram.scroll_into_view_if_needed()
        page.wait_for_load_state("load")
        assert diagram.bounding_box()["width"] > 100, "the diagram did not display"
        shown = [f for f in page.frames if f.url.endswith(".svg")]
        assert shown and all(f.locator("svg g.node").count() > 0 for f in shown), "a diagram drew no node"
        page.screenshot(path=str(artifacts / "model.png"), full_page=True)

        page.goto((repo / "site/models/ml-serving/findings/index.html").as_uri())
        headers = page.locator("article table th").all_inner_texts()
        assert "Rule" in headers and "Finding" in headers
        assert page.locator("article table tbody tr").count() >= 1
        page.screenshot(path=str(artifacts / "findings.png"), full_page=True)
        browser.close()


def test_terraform_page_links_long_files_instead_of_showing_them_and_stays_out_of_search():
    """1,000 components give a 1.6 MB main.tf: shown inline it made a 10 MB page that
    cost the build most of its time (docs/performance.md)."""
    from archgen.sources.loader import load_model
    from archgen.site.pages import TERRAFORM_INLINE_MAX_LINES, ModelBundle, terraform_page

    model = load_model(ROOT / "arch" / "ml-serving.yaml")
    long_tf = 'resource "null_resource" "x" {}\n' * (TERRAFORM_INLINE_MAX_LINES + 1)
    bundle = ModelBundle(model=model, findings=[], terraform={"aws": {"main.tf": long_tf, "outputs.tf": 'output "o" {}\n'}})
    page, files = terraform_page(bundle)
    assert page.startswith("---\nsearch:\n  exclude: true\n---\n")
    assert 'output "o" {}' in page  # a short file is shown
    assert 'null_resource' not in page and f"{TERRAFORM_INLINE_MAX_LINES + 1:,} lines" in page
    assert files["terraform/aws/main.tf"] == long_tf  # and still offered for download
