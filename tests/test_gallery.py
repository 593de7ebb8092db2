"""The gallery of real public architectures (examples/): every example loads with no
model error, is checked, drawn through real Graphviz, compared on every provider and
built by real MkDocs in strict mode; its reviewed findings (expected-findings.yaml)
stay in step with what archgen says; the site built from the repository shows them on
its Gallery page; and a malformed gallery manifest gets FILE:LINE:COLUMN and exit 2."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, launch_chromium

EXAMPLES_DIR = ROOT / "examples"
MANIFEST = yaml.safe_load((EXAMPLES_DIR / "gallery.yaml").read_text(encoding="utf-8"))["examples"]
FOLDERS = [e["folder"] for e in MANIFEST]
README = (EXAMPLES_DIR / "README.md").read_text(encoding="utf-8")
VERDICTS = {"agree", "reject"}


def _models(folder: str):
    from archgen.sources.loader import load_models

    return load_models((), root=EXAMPLES_DIR / folder)


def _expected(folder: str) -> list[dict]:
    return yaml.safe_load((EXAMPLES_DIR / folder / "expected-findings.yaml").read_text(encoding="utf-8")) or []


def _findings(folder: str) -> dict[str, list]:
    from archgen.decisions.adr import load_decisions
    from archgen.rules import run_rules

    models = _models(folder)
    decisions = load_decisions(EXAMPLES_DIR / folder)
    return {m.name: run_rules(m, decisions, models=models) for m in models}


def copy_tree(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest, symlinks=False)  # the repository's arch/ holds a symbolic link
    return dest


# ---------------------------------------------------------------------------
# the gallery's shape


def test_the_gallery_has_the_shapes_the_issue_asks_for_on_every_provider():
    from archgen.catalog import PROVIDERS

    assert len(FOLDERS) >= 5
    providers = {m.provider for f in FOLDERS for m in _models(f)}
    assert providers == set(PROVIDERS), f"providers with no example: {set(PROVIDERS) - providers}"
    kinds = {c.kind for f in FOLDERS for m in _models(f) for c in m.components.values()}
    # microservices on one cluster, serverless events, hybrid with staff and apps, an ML platform
    for kind in ("kubernetes_cluster", "topic", "function", "client_app", "vpn", "feature_store", "ml_pipeline", "batch_job", "waf", "identity"):
        assert kind in kinds, f"no example uses kind {kind}"
    placed = [c for f in FOLDERS for m in _models(f) for c in m.components.values() if c.runs_on]
    assert len(placed) >= 20
    zones = {c.zone for f in FOLDERS for m in _models(f) for c in m.components.values() if c.zone}
    assert {"corporate", "on_prem", "partner", "cloud"} <= zones


def test_every_example_folder_is_in_the_manifest_and_every_entry_is_a_folder():
    on_disk = sorted(p.name for p in EXAMPLES_DIR.iterdir() if (p / "arch").is_dir())
    assert sorted(FOLDERS) == on_disk


@pytest.mark.parametrize("folder", FOLDERS)
def test_each_model_names_its_source_at_the_top_and_the_manifest_agrees(folder):
    entry = next(e for e in MANIFEST if e["folder"] == folder)
    for path in sorted((EXAMPLES_DIR / folder / "arch").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        head = text.split("\narchgen:", 1)[0]
        assert head.startswith("# Source: "), f"{path.name} does not open with '# Source: URL'"
        assert entry["source"]["url"] in head, f"{path.name} names another source than examples/gallery.yaml"
        assert "Taken from it:" in head and "Ours, not the source's:" in head


# ---------------------------------------------------------------------------
# each example: loads, checks, draws, compares


@pytest.mark.parametrize("folder", FOLDERS)
def test_example_loads_with_no_model_error_and_check_runs(folder, run_cli):
    models = _models(folder)
    assert models
    result = run_cli("check", "--format", "json", cwd=EXAMPLES_DIR / folder)
    assert result.returncode in (0, 1), result.stderr
    doc = json.loads(result.stdout)
    assert sorted(m["name"] for m in doc["models"]) == sorted(m.name for m in models)


@pytest.mark.parametrize("folder", FOLDERS)
def test_every_view_of_the_example_draws_through_graphviz(folder):
    from archgen.generators import draw, views

    for model, findings in zip(_models(folder), _findings(folder).values()):
        specs = views.build_views(model, findings)
        images = draw.render(specs, formats=("svg",), cache_dir=None)
        assert sorted(images) == sorted(f"{s.name}.svg" for s in specs)
        for spec in specs:
            svg = ET.fromstring(images[f"{spec.name}.svg"])
            ids = {el.get("id") for el in svg.iter() if el.get("id")}
            missing = sorted(n.id for n in spec.nodes if f"n-{n.id}" not in ids)
            assert not missing, f"{spec.name}: Graphviz drew no node for {missing}"
        overview = next(s for s in specs if s.name == "overview")
        # a host (a cluster, a VM) is drawn as the box around what runs on it
        boxes = {c.id.removeprefix("host-") for c in overview.clusters if c.style == "host"}
        assert {n.id for n in overview.nodes} | boxes == set(model.components), "the overview leaves a component out"


@pytest.mark.parametrize("folder", FOLDERS)
def test_the_comparison_lists_every_component_on_every_provider(folder, run_cli):
    from archgen.catalog import PROVIDERS

    result = run_cli("compare", "--format", "json", cwd=EXAMPLES_DIR / folder)
    assert result.returncode == 0, result.stderr
    for doc, model in zip(sorted(json.loads(result.stdout)["models"], key=lambda d: d["model"]), _models(folder)):
        rows = {c["id"]: c for c in doc["components"]}
        assert sorted(rows) == sorted(model.components)
        for cid, row in rows.items():
            assert sorted(row["providers"]) == sorted(PROVIDERS), cid
            for provider, cell in row["providers"].items():
                # a service, a placed service, "not provisioned", or a gap that says why
                assert cell.get("name") or cell.get("gap"), f"{cid} on {provider} says nothing"


# ---------------------------------------------------------------------------
# the reviewed findings


@pytest.mark.parametrize("folder", FOLDERS)
def test_expected_findings_name_only_rules_and_components_that_exist(folder):
    from archgen.findings import SEVERITIES
    from archgen.rules import all_rules

    rules = {r.id: r for r in all_rules()}
    components = {cid for m in _models(folder) for cid in m.components}
    expected = _expected(folder)
    assert expected, "an example with no finding at all would measure nothing"
    for item in expected:
        assert set(item) == {"rule", "component", "severity", "verdict", "why"}, item
        assert item["rule"] in rules, f"no rule {item['rule']}"
        assert item["component"] is None or item["component"] in components, f"no component {item['component']}"
        assert item["severity"] in SEVERITIES and item["verdict"] in VERDICTS, item
        assert isinstance(item["why"], str) and len(item["why"].split()) >= 5, item


@pytest.mark.parametrize("folder", FOLDERS)
def test_expected_findings_are_todays_findings(folder):
    """When a rule changes what it says about an example, review the change and update
    examples/<folder>/expected-findings.yaml (and the README's section)."""
    actual = sorted((f.rule, f.component, f.severity) for fs in _findings(folder).values() for f in fs if not f.accepted)
    listed = sorted((i["rule"], i["component"], i["severity"]) for i in _expected(folder))
    new = sorted(set(actual) - set(listed))
    gone = sorted(set(listed) - set(actual))
    assert not new and not gone, f"archgen now also says {new}; no longer says {gone}: review them in examples/{folder}/expected-findings.yaml"
    assert len(actual) == len(listed)


@pytest.mark.parametrize("folder", FOLDERS)
def test_readme_reviews_every_finding_of_the_example(folder):
    entry = next(e for e in MANIFEST if e["folder"] == folder)
    sections = re.split(r"^## ", README, flags=re.M)[1:]
    section = next((s for s in sections if f"examples/{folder}/" in s.split("\n", 1)[0]), None)
    assert section is not None, f"examples/README.md has no section for {folder}"
    assert entry["source"]["url"] in section
    for item in _expected(folder):
        line = next((ln for ln in section.splitlines() if item["rule"] in ln and (item["component"] or "(model)") in ln), None)
        assert line, f"the README's {folder} section does not review {item['rule']} on {item['component']}"
        assert item["verdict"] in line.lower(), line


def test_readme_summary_counts_match_the_reviews():
    """The table at the top of examples/README.md: findings, agreed, rejected."""
    for folder in FOLDERS:
        expected = _expected(folder)
        agree = sum(1 for i in expected if i["verdict"] == "agree")
        row = next((ln for ln in README.splitlines() if ln.startswith(f"| [{folder}]")), None)
        assert row, f"no summary row for {folder}"
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[-3:] == [str(len(expected)), str(agree), str(len(expected) - agree)], row


# ---------------------------------------------------------------------------
# the sites: every example's full pages, and the repository's gallery page


def test_every_example_builds_a_strict_mkdocs_site(tmp_path, run_cli):
    """One site for the five examples (one MkDocs run): every page of every model."""
    for folder in FOLDERS:
        copy_tree(EXAMPLES_DIR / folder / "arch", tmp_path / "examples" / folder / "arch")
    paths = [f"examples/{f}/arch" for f in FOLDERS]
    result = run_cli("build", "-q", *paths, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    for folder in FOLDERS:
        for model in _models(folder):
            for page in ("index.html", "findings/index.html", "compare/index.html", "terraform/index.html", "diagrams/overview.svg"):
                assert (site / "models" / model.name / page).is_file(), f"{model.name}: {page}"
            compare = (site / "models" / model.name / "compare" / "index.html").read_text(encoding="utf-8")
            for cid in model.components:
                assert cid in compare


@pytest.fixture(scope="module")
def repository_site(tmp_path_factory):
    """The repository as it is (arch/, decisions/, docs/, mkdocs.yml, examples/), built."""
    import os
    import subprocess
    import sys

    repo = tmp_path_factory.mktemp("repo")
    for name in ("arch", "decisions", "docs", "examples"):
        copy_tree(ROOT / name, repo / name)
    shutil.copy(ROOT / "mkdocs.yml", repo / "mkdocs.yml")
    result = subprocess.run(
        [sys.executable, "-m", "archgen", "build", "-q"],
        cwd=repo, capture_output=True, text=True, timeout=600, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr
    return repo


def test_the_repository_site_has_a_gallery_page_with_every_example(repository_site):
    site = repository_site / "site"
    html = (site / "gallery" / "index.html").read_text(encoding="utf-8")
    for entry in MANIFEST:
        for model in _models(entry["folder"]):
            assert model.display_name.replace("'", "&#x27;").split(" (")[0] in html or model.display_name.split(" (")[0] in html
            svg = site / "gallery" / entry["folder"] / f"{model.name}-overview.svg"
            assert svg.is_file() and ET.fromstring(svg.read_bytes()).tag.endswith("svg")
            assert f'src="{entry["folder"]}/{model.name}-overview.svg"' in html
        assert f'href="{entry["source"]["url"]}"' in html
        for item in entry["shows"]:
            assert item.split(" (")[0].replace("'", "&#x27;") in html or item.split(" (")[0] in html, item
    home = (site / "index.html").read_text(encoding="utf-8")
    assert home.count('href="gallery/"') >= 2, "the Gallery is not in the navigation and on the home page"


def test_the_gallery_page_is_the_same_bytes_twice(tmp_path):
    from archgen.site.gallery import gallery_entries, gallery_pages, load_gallery

    copy_tree(EXAMPLES_DIR, tmp_path / "examples")
    examples = load_gallery(tmp_path)
    first = gallery_pages(gallery_entries(tmp_path, examples))
    shutil.rmtree(tmp_path / ".archgen")  # no render cache: Graphviz draws every overview again
    second = gallery_pages(gallery_entries(tmp_path, examples))
    assert first == second
    assert sorted(first) == sorted(
        ["gallery/index.md"] + [f"gallery/{f}/{m.name}-overview.svg" for f in FOLDERS for m in _models(f)]
    )


@pytest.mark.skipif(not shutil.which("chromium"), reason="Debian's chromium is not installed")
def test_reader_sees_every_overview_on_the_gallery_page_in_chromium(repository_site):
    from playwright.sync_api import sync_playwright

    artifacts = ROOT / "tests" / "artifacts"
    artifacts.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto((repository_site / "site" / "gallery" / "index.html").as_uri())
        images = page.locator("article img")
        assert images.count() == sum(len(_models(f)) for f in FOLDERS)
        for i in range(images.count()):
            images.nth(i).scroll_into_view_if_needed()
        page.wait_for_function("() => [...document.querySelectorAll('article img')].every(i => i.complete)")
        widths = images.evaluate_all("imgs => imgs.map(i => i.naturalWidth)")
        assert all(w > 100 for w in widths), f"an overview did not display: {widths}"
        page.screenshot(path=str(artifacts / "gallery.png"), full_page=True)
        browser.close()


# ---------------------------------------------------------------------------
# a malformed manifest: FILE:LINE:COLUMN, exit 2, nothing written


def _repo_with_manifest(tmp_path: Path, manifest: str) -> Path:
    copy_tree(ROOT / "arch", tmp_path / "arch")
    copy_tree(EXAMPLES_DIR / "azure-baseline-web-app", tmp_path / "examples" / "azure-baseline-web-app")
    (tmp_path / "examples" / "gallery.yaml").write_text(manifest, encoding="utf-8")
    return tmp_path


GOOD_ENTRY = """\
examples:
  - folder: azure-baseline-web-app
    source:
      title: Baseline web app
      url: https://learn.microsoft.com/
    shows: [a WAF]
"""


@pytest.mark.parametrize(
    "edit, where, message",
    [
        (("folder: azure-baseline-web-app", "folder: azure-baseline-webapp"), "gallery.yaml:2:13", "no example folder 'azure-baseline-webapp' with an arch/ folder below examples/ (did you mean 'azure-baseline-web-app'?)"),
        (("    shows:", "    show:"), "gallery.yaml:6:5", "unknown field 'show' (did you mean 'shows'?)"),
        (("url: https://learn.microsoft.com/", "url: javascript:alert(1)"), "gallery.yaml:5:12", "the source needs a 'url' starting with https://"),
        (("url: https://learn.microsoft.com/", "url: https://x.example/a)b"), "gallery.yaml:5:12", "without spaces, quotes or brackets"),
        (("shows: [a WAF]", "shows: []"), "gallery.yaml:6:12", "'shows' is a non-empty list"),
        (("      title: Baseline web app\n", ""), "gallery.yaml:4:7", "the source needs a 'title'"),
        (("examples:", "exemples:"), "gallery.yaml:1:1", "a gallery manifest is a mapping with 'examples:'"),
        (("    shows: [a WAF]", "    shows: [a WAF"), "gallery.yaml:", "YAML syntax error"),
    ],
)
def test_a_malformed_manifest_is_reported_at_its_place_and_nothing_is_built(tmp_path, run_cli, edit, where, message):
    repo = _repo_with_manifest(tmp_path, GOOD_ENTRY.replace(*edit))
    result = run_cli("build", "-q", cwd=repo)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    line = next((ln for ln in result.stderr.splitlines() if message in ln), "")
    assert line.startswith(f"examples/{where}"), result.stderr
    assert not (repo / "site").exists()


def test_an_example_listed_twice_is_reported_at_the_second(tmp_path, run_cli):
    twice = GOOD_ENTRY + GOOD_ENTRY.split("\n", 1)[1]
    result = run_cli("build", "-q", cwd=_repo_with_manifest(tmp_path, twice))
    assert result.returncode == 2
    assert "examples/gallery.yaml:7:13: example 'azure-baseline-web-app' is listed twice (first as entry 1)" in result.stderr


def test_an_example_with_a_broken_model_stops_the_build_at_its_line(tmp_path, run_cli):
    repo = _repo_with_manifest(tmp_path, GOOD_ENTRY)
    model = repo / "examples" / "azure-baseline-web-app" / "arch" / "azure-baseline-web-app.yaml"
    model.write_text(model.read_text(encoding="utf-8").replace("kind: sqlserver", "kind: sqlservr"), encoding="utf-8")
    result = run_cli("build", "-q", cwd=repo)
    assert result.returncode == 2
    assert re.search(r"examples/azure-baseline-web-app/arch/azure-baseline-web-app\.yaml:\d+:\d+: unknown kind 'sqlservr' \(did you mean 'sqlserver'\?\)", result.stderr), result.stderr
    assert not (repo / "site").exists()


def test_hostile_manifest_text_is_escaped_on_the_gallery_page(tmp_path):
    from archgen.site.gallery import gallery_entries, gallery_pages, load_gallery

    hostile = GOOD_ENTRY.replace("title: Baseline web app", "title: '<script>alert(1)</script> [x](javascript:alert(2))'").replace(
        "shows: [a WAF]", "shows: ['<img src=x onerror=alert(3)> **bold** | pipe']"
    )
    repo = _repo_with_manifest(tmp_path, hostile)
    page = gallery_pages(gallery_entries(repo, load_gallery(repo)))["gallery/index.md"]
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;" in page and "&lt;img src=x onerror=alert\\(3\\)&gt;" in page
    assert "](javascript:" not in page and "\\*\\*bold\\*\\*" in page


def test_with_no_manifest_there_is_no_gallery(tmp_path):
    from archgen.site.build import generated_pages
    from archgen.site.gallery import load_gallery, read_manifest
    from archgen.site.pages import nav

    assert read_manifest(tmp_path) is None and load_gallery(tmp_path) is None
    assert not [p for p in generated_pages([], []) if p.startswith("gallery/")]
    assert {"Gallery": "gallery/index.md"} not in nav([], "index.md", decisions=True)


def test_serve_rebuilds_when_the_gallery_or_an_example_changes(tmp_path):
    from archgen.commands.serve import snapshot

    repo = _repo_with_manifest(tmp_path, GOOD_ENTRY)
    model = repo / "examples" / "azure-baseline-web-app" / "arch" / "azure-baseline-web-app.yaml"
    seen = snapshot(repo)
    assert str(repo / "examples" / "gallery.yaml") in seen and str(model) in seen
    (repo / "examples" / "notes.txt").write_text("not read by a build\n", encoding="utf-8")
    assert str(repo / "examples" / "notes.txt") not in snapshot(repo)


def test_problems_of_arch_and_of_the_gallery_are_reported_together_before_any_work(tmp_path, run_cli):
    repo = _repo_with_manifest(tmp_path, GOOD_ENTRY.replace("    shows:", "    show:"))
    (repo / "arch" / "ml-serving.yaml").unlink()
    (repo / "arch" / "broken.yaml").write_text("archgen: 1\nname: broken\nprovider: aws\ncomponents:\n  db: {kind: postgress}\n", encoding="utf-8")
    result = run_cli("build", "-q", cwd=repo)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert any(ln.startswith("arch/broken.yaml:5:") and "unknown kind 'postgress'" in ln for ln in lines), result.stderr
    assert any(ln.startswith("examples/gallery.yaml:6:5: unknown field 'show'") for ln in lines), result.stderr
    assert not (repo / ".archgen" / "cache").exists(), "work was done before the input was read"


def test_the_home_page_links_the_gallery_only_when_there_is_one(tmp_path):
    from archgen.site.pages import home_page

    assert "gallery/index.md" not in home_page([], "Architecture")
    assert "- [Gallery of example architectures](gallery/index.md)" in home_page([], "Architecture", gallery=True)
    # with a hand-written docs/index.md, archgen's home moves to models/: one level deeper
    assert "](../gallery/index.md)" in home_page([], "Architecture", prefix="models/", gallery=True)


def test_docs_only_writes_the_gallery_too(tmp_path, run_cli):
    repo = _repo_with_manifest(tmp_path, GOOD_ENTRY)
    result = run_cli("build", "-q", "--docs-only", "out", cwd=repo)
    assert result.returncode == 0, result.stderr
    page = (repo / "out" / "gallery" / "index.md").read_text(encoding="utf-8")
    assert "Baseline zone-redundant web app" in page and "(https://learn.microsoft.com/)" in page
    svg = repo / "out" / "gallery" / "azure-baseline-web-app" / "azure-baseline-web-app-overview.svg"
    assert ET.fromstring(svg.read_bytes()).tag.endswith("svg")
    assert "](gallery/index.md)" in (repo / "out" / "index.md").read_text(encoding="utf-8")
