"""One hostile model through every generator: nothing it says can become markup,
syntax or interpolation in HTML, SVG, Markdown or HCL; secret values never appear;
paths cannot leave their folder; concurrent builds do not corrupt each other."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from archgen.sources.loader import parse_model

SECRET = "hunter2-Very-Secret-Value-9f8e7d6c5b4a"
TOKEN = "AKIAIOSFODNN7EXAMPLE"

HOSTILE = f"""\
archgen: 1
name: hostile
title: "<script>alert('t')</script> | a `b` [c](javascript:x) ${{path.module}} %{{ if true }}"
description: "<img src=x onerror=alert(1)>\\n# heading\\n| x | y |"
provider: aws
requirements: {{data: [pii], monthly_budget_usd: 10}}
components:
  users: {{kind: actor, title: "<svg onload=alert(1)>"}}
  lb: {{kind: load_balancer, public: true, title: "lb\\" onclick=\\"x"}}
  api:
    kind: container_service
    title: "api ${{var.x}} %{{ for x in y }} \\\\ \\" ` |"
    group: "grp</g><script>alert(5)</script>"
    env:
      DB_PASSWORD: "{SECRET}"
      AWS_KEY_ID: "{TOKEN}"
      NOTE: "<script>alert(6)</script>"
    secrets: [DATABASE_URL]
  db: {{kind: postgres, data: [pii], title: "db</td><script>alert(2)</script>", encrypted: false}}
  bucket: {{kind: object_storage, public: true, data: [pii], title: "]]></text><script>alert(7)</script>"}}
flows:
  - users -> lb: "<script>alert(3)</script>"
  - lb -> api: "a|b`c`"
  - api -> db: "${{jndi:x}}"
  - api -> bucket
"""

RAW_MARKUP = re.compile(r"<(script|img|svg onload|b onmouseover)[\s>]", re.IGNORECASE)


@pytest.fixture(scope="module")
def model():
    return parse_model(HOSTILE, "arch/hostile.yaml")


@pytest.fixture(scope="module")
def findings(model):
    from archgen.rules import run_rules

    return run_rules(model, [])


def no_secret(text: str, where: str) -> None:
    assert SECRET not in text, f"secret value leaked into {where}"
    assert TOKEN not in text, f"access key leaked into {where}"


def test_findings_never_echo_secret_values(findings):
    from archgen.rendering.report import render

    results = [(parse_model(HOSTILE, "arch/hostile.yaml"), findings)]
    for fmt in ("text", "json", "sarif"):
        no_secret(render(results, fmt), f"check --format {fmt}")
    assert any(f.rule.startswith("SEC-SECRET") for f in findings)


def test_svg_escapes_labels_and_hides_secrets(model, findings):
    from archgen.generators import draw
    from archgen.generators import views

    specs = views.build_views(model, findings)
    images = draw.render(specs, formats=("svg",))
    assert images
    for name, data in images.items():
        text = data.decode("utf-8")
        no_secret(text, name)
        # the only <script> an SVG could carry would come from the model
        assert not re.search(r"<script", text, re.IGNORECASE), name
        assert "onload=alert" not in text.replace("onload=alert(1)&gt;", ""), name
        assert "&lt;script&gt;" in text or "script" not in text, name
    for spec in specs:
        dot = draw.to_dot(spec)
        no_secret(dot, f"{spec.name}.dot")


def test_markdown_outputs_cannot_break_tables_or_inject_html(model, findings):
    from archgen.generators import compare
    from archgen.site import pages as site

    comparison = compare.render_markdown(compare.compare(model))
    bundle = site.ModelBundle(model=model, findings=findings, comparison_md=comparison)
    pages = {
        "compare": comparison,
        "model": site.model_page(bundle, {}),
        "findings": site.findings_page(bundle),
        "home": site.home_page([bundle], "t"),
    }
    for name, text in pages.items():
        no_secret(text, name)
        assert not RAW_MARKUP.search(text), f"raw HTML from the model in {name}"
        assert "](javascript:" not in text, name


def test_markdown_tables_keep_their_columns(model, findings):
    from archgen.site import pages as site

    bundle = site.ModelBundle(model=model, findings=findings)
    text = site.model_page(bundle, {})
    table: list[str] = []
    for line in text.splitlines() + [""]:
        if line.startswith("|"):
            table.append(line)
            continue
        if table:
            widths = {len(re.findall(r"(?<!\\)\|", row)) for row in table}
            assert len(widths) == 1, f"a row has a different number of cells:\n" + "\n".join(table)
            table = []


def test_hcl_is_parsed_and_no_interpolation_survives(model):
    import hcl2

    from archgen.generators import terraform

    for provider in ("aws", "azure", "gcp", "kubernetes"):
        files = terraform.generate(model, provider)
        assert files
        for name, text in files.items():
            no_secret(text, f"{provider}/{name}")
            if not name.endswith(".tf"):
                continue
            hcl2.loads(text)  # raises on broken syntax
            for bad in ("${path.module}", "${var.x}", "${jndi:x}", "%{ if true }", "%{ for x in y }"):
                escaped = bad.replace("${", "$${").replace("%{", "%%{")
                assert bad not in text.replace(escaped, ""), f"{bad!r} survives in {provider}/{name}"


def test_diff_outputs_escape_and_redact(model):
    from archgen.generators import diff

    safe = parse_model(HOSTILE.replace("encrypted: false", "encrypted: true"), "arch/hostile.yaml")
    d = diff.diff_models([safe], [model], [], [])
    md = diff.render_markdown(d)
    js = diff.render_json(d)
    for name, text in (("diff.md", md), ("diff.json", js)):
        no_secret(text, name)
    assert not RAW_MARKUP.search(md)
    json.loads(js)


#: What GitHub would make a notification or a link of, in every field a PR comment shows.
PINGS = "@octocat @acme/security-team ops@example.org https://evil.example/x www.evil.example #12"


def test_the_pr_comment_mentions_no_one_and_links_nowhere(model):
    """A title, flow label, group or ADR title that names @someone, @org/team, a URL or
    an issue: GitHub's own cmark-gfm makes no link of it, and no mention is left."""
    cmarkgfm = pytest.importorskip("cmarkgfm")
    from cmarkgfm.cmark import Options

    from archgen.decisions.records import Decision
    from archgen.generators import diff

    pinged = parse_model(
        HOSTILE.replace('title: "<svg onload=alert(1)>"', f'title: "{PINGS}"')
        .replace('- lb -> api: "a|b`c`"', f'- lb -> api: "{PINGS}"')
        .replace("encrypted: false", "encrypted: false, description: x"),
        "arch/hostile.yaml",
    )
    adr = lambda title: Decision(number=9, slug="x", title=title, status="proposed", date="2026-12-01", body="", path="decisions/0009-x.md")  # noqa: E731
    d = diff.diff_models([model], [pinged], [adr("Old")], [adr(PINGS)])
    md = diff.render_markdown(d)
    assert "octocat" in md and "acme/security-team" in md  # shown, not dropped
    html = cmarkgfm.github_flavored_markdown_to_html(md, options=Options.CMARK_OPT_UNSAFE)
    assert not re.search(r"<a [^>]*href=\"[^\"#]*(evil|example\.org|octocat)", html), html
    text = re.sub(r"<[^>]+>", " ", html)
    # GitHub's mention and issue-reference filters read the text: no @name, no #digit
    assert not re.search(r"(?<![\w`])@[A-Za-z0-9]", text), re.findall(r".{20}@[A-Za-z0-9].{10}", text)
    assert not re.search(r"(?<![&\w])#\d", text), re.findall(r".{20}#\d.{5}", text)
    assert not re.search(r"(?i)https?://evil|www\.evil", text)


def test_component_ids_cannot_name_paths():
    from archgen.errors import ModelErrors
    from archgen.writer import safe_relpath

    for bad in ("../etc", "a/b", "..", "x\\y"):
        text = HOSTILE.replace("  bucket:", f"  {json.dumps(bad)}:")
        with pytest.raises(ModelErrors):
            parse_model(text, "m.yaml")
    for bad in ("../x", "/abs", "a/../b", "a\\b", ""):
        with pytest.raises(ValueError):
            safe_relpath(bad)


def test_symlink_leaving_the_repository_is_refused(tmp_path, run_cli):
    outside = tmp_path / "outside.yaml"
    outside.write_text(HOSTILE)
    repo = tmp_path / "repo"
    (repo / "arch").mkdir(parents=True)
    (repo / "arch" / "m.yaml").symlink_to(outside)
    result = run_cli("check", cwd=repo)
    assert result.returncode == 2
    assert "points outside the repository" in result.stderr


def test_two_builds_at_once_leave_one_complete_site(tmp_path):
    repo = tmp_path
    (repo / "arch").mkdir()
    src = Path(__file__).resolve().parent.parent / "arch" / "ml-serving.yaml"
    (repo / "arch" / "ml-serving.yaml").write_text(src.read_text())
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    procs = [
        subprocess.Popen([sys.executable, "-m", "archgen", "build", "-q"], cwd=repo, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    for p in procs:
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0, err
    site = repo / "site"
    assert (site / "index.html").is_file()
    assert (site / "models/ml-serving/index.html").is_file()
    assert (site / "models/ml-serving/diagrams/overview.svg").is_file()
    leftovers = [p.name for p in repo.iterdir() if p.name.startswith(".site.")]
    assert not [n for n in leftovers if "build" in n or "old" in n]
