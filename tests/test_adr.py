"""Architecture decision records: reading, writing, checking, linking, the site's pages, drafts.

Real files in temporary repositories, the real loader, whole ``archgen`` processes for
what a user types, and ``mkdocs build --strict`` for the pages.
"""

from __future__ import annotations

import re

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLE, ROOT

from archgen.decisions.adr import (
    STATUSES,
    links,
    load_decisions,
    new_text,
    parse_decision,
    render_index,
    render_page,
    safe_markdown,
    set_fields,
    slugify,
)
from archgen.generators.drafts import make_drafts, render
from archgen.errors import ModelErrors
from archgen.sources.loader import load_model, parse_model
from archgen.rules import get_rule, run_rules

SHOP = """\
archgen: 1
name: shop
title: Web shop
provider: aws
requirements: {peak_rps: 20, services: 1, ops_team: 0}
components:
  users: {kind: actor}
  api: {kind: container_service, title: Shop API, public: true, decisions: [ADR-0001]}
  db: {kind: postgres}
flows:
  - users -> api: https
  - api -> db: postgres
"""

ACCEPTED = """\
---
status: accepted
date: 2026-11-20
deciders: [Ana]
components: [api]   # the API only
supersedes: []
superseded-by: []
tags: [platform]
---

# Run the shop API on ECS Fargate

## Context and problem statement

The API needs a home. A rule of thirds:

---

Text after a horizontal rule stays body text.
"""


def make_repo(root: Path, model: str = SHOP, adrs: dict[str, str] | None = None) -> Path:
    (root / "arch").mkdir(parents=True, exist_ok=True)
    (root / "arch" / "shop.yaml").write_text(model, encoding="utf-8")
    if adrs is not None:
        (root / "decisions").mkdir(exist_ok=True)
        for name, text in adrs.items():
            (root / "decisions" / name).write_text(text, encoding="utf-8")
    return root


def adr_findings(result: subprocess.CompletedProcess) -> list[dict]:
    doc = json.loads(result.stdout)
    return [f for m in doc["models"] for f in m["findings"] if f["rule"].startswith("MODEL-ADR-")]


# -- reading -----------------------------------------------------------------------


def test_the_example_decisions_read_with_their_links():
    decisions = load_decisions(ROOT)
    assert [d.id for d in decisions] == ["ADR-0001", "ADR-0002", "ADR-0003", "ADR-0004"]
    by_id = {d.id: d for d in decisions}
    assert by_id["ADR-0002"].components == ["api"]
    assert by_id["ADR-0003"].components == ["model"]
    assert by_id["ADR-0004"].status == "proposed" and "security-review" in by_id["ADR-0004"].tags
    assert all(d.status in STATUSES and d.date.startswith("2026-") for d in decisions)
    model = load_model(EXAMPLE)
    assert set(model.components["api"].decisions) <= {d.id for d in decisions}
    assert set(model.components["model"].decisions) <= {d.id for d in decisions}


def test_body_may_hold_rules_and_the_title_comes_from_the_first_heading_outside_code():
    text = ACCEPTED.replace("# Run the shop API", "```sh\n# not the title\n```\n\n# Run the shop API")
    d = parse_decision(text, "decisions/0001-run-the-shop-api.md")
    assert d.title == "Run the shop API on ECS Fargate"
    assert "Text after a horizontal rule" in d.body
    assert d.components == ["api"] and d.deciders == ["Ana"] and d.tags == ["platform"]
    assert d.loc_of("status").line == 2 and d.loc_of("components").line == 5


BAD_FRONT_MATTER = [
    ("yaml-syntax", "---\nstatus: [accepted\ndate: 2026-11-20\n---\n# T\n", "3:5", "YAML syntax error"),
    (
        "unknown-field",
        "---\nstatus: accepted\ndate: 2026-11-20\nsupersceded-by: [ADR-0002]\n---\n# T\n",
        "4:1",
        "did you mean 'superseded-by'",
    ),
    ("bad-date", "---\nstatus: accepted\ndate: 2026-13-01\n---\n# T\n", "3:7", "YYYY-MM-DD"),
    (
        "bad-reference",
        "---\nstatus: accepted\ndate: 2026-11-20\nsupersedes: [ADR-0002, banana]\n---\n# T\n",
        "4:24",
        "'banana' in 'supersedes'",
    ),
    (
        "bad-component",
        "---\nstatus: accepted\ndate: 2026-11-20\ncomponents:\n  - api\n  - Bad Id\n---\n",
        "6:5",
        "not a component id",
    ),
    ("not-a-list", "---\nstatus: accepted\ndate: 2026-11-20\ntags: {a: 1}\n---\n", "4:7", "must be a list"),
    ("tab", "---\nstatus: accepted\n\tdate: 2026-11-20\n---\n", "3:1", "spaces, not tabs"),
    ("no-front-matter", "# Title\n\ntext\n", "1:1", "starts with YAML front matter"),
    ("never-closed", "---\nstatus: accepted\n", "1:1", "never closed"),
    ("missing-status", "---\ndate: 2026-11-20\n---\n# T\n", "1:1", "missing field 'status'"),
    ("not-a-mapping", "---\n- a\n- b\n---\n", "2:1", "must be a mapping"),
]


@pytest.mark.parametrize(("case", "text", "where", "says"), BAD_FRONT_MATTER, ids=[c[0] for c in BAD_FRONT_MATTER])
def test_unreadable_front_matter_is_reported_at_file_line_column(case, text, where, says):
    with pytest.raises(ModelErrors) as caught:
        parse_decision(text, "decisions/0001-x.md")
    messages = [str(e) for e in caught.value.errors]
    assert any(m.startswith(f"decisions/0001-x.md:{where}: ") and says in m for m in messages), messages


def test_cli_reports_every_broken_adr_at_once_with_exit_2(tmp_path, run_cli):
    make_repo(
        tmp_path,
        adrs={
            "0001-first.md": "---\nstatus: accepted\ndate: 2026-02-30\n---\n# A\n",
            "0002-second.md": "---\nstatus: accepted\ndate: 2026-11-20\nowner: me\n---\n# B\n",
            "README.md": "# Decisions\n\nNot an ADR: left alone.\n",
            "7-misnamed.md": "---\nstatus: accepted\ndate: 2026-11-20\n---\n",
        },
    )
    for args in (("adr", "list"), ("check",)):
        result = run_cli(*args, cwd=tmp_path)
        assert result.returncode == 2, result.stdout + result.stderr
        assert "Traceback" not in result.stderr
        assert "decisions/0001-first.md:3:7: 'date' must be a date" in result.stderr
        assert "decisions/0002-second.md:4:1: unknown front-matter field 'owner'" in result.stderr
        assert "decisions/7-misnamed.md: an ADR file is named NNNN-slug.md" in result.stderr
        assert "README.md" not in result.stderr


def test_an_alias_bomb_in_front_matter_is_refused():
    lines = ["---", "a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i, name in enumerate("bcdefgh"):
        prev = "abcdefgh"[i]
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    text = "\n".join(lines + ["---", ""])
    with pytest.raises(ModelErrors) as caught:
        parse_decision(text, "decisions/0001-bomb.md")
    assert "nodes" in str(caught.value)


def test_no_decisions_folder_means_no_adrs(tmp_path):
    assert load_decisions(tmp_path) == []


# -- writing -----------------------------------------------------------------------


def test_new_writes_the_next_number_from_the_madr_template(tmp_path, run_cli):
    make_repo(tmp_path, adrs={"0001-run-the-shop-api.md": ACCEPTED})
    result = run_cli(
        "adr", "new", "Use Postgres for orders", "--component", "db", "--tag", "data", "--decider", "Ana",
        "--date", "2026-11-21", cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    path = tmp_path / "decisions" / "0002-use-postgres-for-orders.md"
    assert "ADR-0002: wrote decisions/0002-use-postgres-for-orders.md" in result.stdout
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "---"  # the team's file: no "generated" marker
    d = parse_decision(text, "decisions/0002-use-postgres-for-orders.md")
    assert (d.id, d.title, d.status, d.date) == ("ADR-0002", "Use Postgres for orders", "proposed", "2026-11-21")
    assert (d.components, d.tags, d.deciders, d.supersedes, d.superseded_by) == (["db"], ["data"], ["Ana"], [], [])
    for section in ("## Context and problem statement", "## Decision drivers", "## Considered options",
                    "## Decision outcome", "### Consequences", "## Pros and cons of the options"):
        assert section in text
    listed = run_cli("adr", "list", cwd=tmp_path)
    assert listed.returncode == 0
    assert listed.stdout.splitlines() == [
        "ADR-0001  2026-11-20  accepted  Run the shop API on ECS Fargate  [api]",
        "ADR-0002  2026-11-21  proposed  Use Postgres for orders  [db]",
    ]


def test_new_takes_todays_date_by_default(tmp_path, run_cli):
    import datetime

    make_repo(tmp_path)
    before = datetime.date.today().isoformat()
    result = run_cli("adr", "new", "First decision", cwd=tmp_path)
    after = datetime.date.today().isoformat()
    assert result.returncode == 0, result.stderr
    d = load_decisions(tmp_path)[0]
    assert d.number == 1 and d.date in (before, after)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("adr", "new", "Cache sessions", "--component", "dbb"), "no component 'dbb' in the models in arch/ (did you mean 'db'?)"),
        (("adr", "new", "Cache sessions", "--status", "superseded"), "archgen adr supersede"),
        (("adr", "new", "Cache sessions", "--date", "20-11-2026"), "is not a date YYYY-MM-DD"),
        (("adr", "new"), "give the decision's TITLE"),
        (("adr", "new", "Cache", "--tag", "two words"), "must be one word"),
    ],
)
def test_new_refuses_bad_input_and_writes_nothing(tmp_path, run_cli, args, says):
    make_repo(tmp_path)
    result = run_cli(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert says in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "decisions").exists() or not list((tmp_path / "decisions").iterdir())


HOSTILE = 'Use <script>alert(1)</script> | ${var} `tick` "q" & [x](javascript:1) #1'


def test_a_hostile_title_round_trips_and_cannot_break_the_pages(tmp_path, run_cli):
    make_repo(tmp_path)
    result = run_cli("adr", "new", HOSTILE, "--date", "2026-11-20", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (path,) = (tmp_path / "decisions").glob("0001-*.md")
    assert path.name == "0001-use-script-alert-1-script-var-tick-q-x-javascript-1-1.md"
    assert "<script" not in path.read_text(encoding="utf-8")
    listed = json.loads(run_cli("adr", "list", "--format", "json", cwd=tmp_path).stdout)
    assert listed["decisions"][0]["title"] == HOSTILE
    decisions = load_decisions(tmp_path)
    model = load_model(tmp_path / "arch" / "shop.yaml")
    index = render_index(decisions, [model])
    page = render_page(decisions[0], [model], decisions)
    for text in (index, page):
        assert "<script" not in text and "](javascript" not in text
    (row,) = [line for line in index.splitlines() if line.startswith("| [ADR-0001]")]
    assert row.count(" | ") == 4  # five cells: the title's pipe did not add one


def test_supersede_marks_both_files_and_keeps_the_rest_of_the_old_one(tmp_path, run_cli):
    make_repo(tmp_path, adrs={"0001-run-the-shop-api.md": ACCEPTED})
    old_path = tmp_path / "decisions" / "0001-run-the-shop-api.md"
    result = run_cli("adr", "supersede", "1", "Run the shop API on ECS Express Mode", "--date", "2026-11-22", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "ADR-0001: marked superseded by ADR-0002" in result.stdout
    old_text = old_path.read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(ACCEPTED.splitlines(), old_text.splitlines()) if a != b]
    assert changed == [("status: accepted", "status: superseded"), ("superseded-by: []", "superseded-by: [ADR-0002]")]
    assert len(old_text.splitlines()) == len(ACCEPTED.splitlines())  # comment, body and order kept
    old, new = load_decisions(tmp_path)
    assert (old.status, old.superseded_by) == ("superseded", ["ADR-0002"])
    assert (new.status, new.supersedes, new.components, new.tags) == ("accepted", ["ADR-0001"], ["api"], ["platform"])
    assert "This decision replaces ADR-0001" in new.body
    # the model's api still points at ADR-0001: check says so, as a warning
    check = run_cli("check", "--format", "json", cwd=tmp_path)
    assert [(f["rule"], f.get("component"), f["severity"]) for f in adr_findings(check)] == [
        ("MODEL-ADR-STALE", "api", "warning")
    ]
    again = run_cli("adr", "supersede", "ADR-0001", "Again", cwd=tmp_path)
    assert again.returncode == 2 and "already superseded by ADR-0002" in again.stderr


def test_status_change_replaces_the_file_atomically_and_changes_one_line(tmp_path, run_cli):
    make_repo(tmp_path, adrs={"0001-run-the-shop-api.md": ACCEPTED.replace("status: accepted", "status: proposed")})
    path = tmp_path / "decisions" / "0001-run-the-shop-api.md"
    before = path.read_text(encoding="utf-8")
    inode = path.stat().st_ino
    result = run_cli("adr", "status", "0001", "accepted", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ADR-0001: proposed -> accepted in decisions/0001-run-the-shop-api.md"
    after = path.read_text(encoding="utf-8")
    assert after == before.replace("status: proposed", "status: accepted")
    assert path.stat().st_ino != inode  # a new file renamed over the old one, never rewritten in place
    assert sorted(p.name for p in path.parent.iterdir()) == ["0001-run-the-shop-api.md"]  # no temporary left
    for status, says in (("aproved", "unknown status 'aproved'"), ("superseded", "archgen adr supersede"), ("", "unknown status")):
        refused = run_cli("adr", "status", "1", status, cwd=tmp_path)
        assert refused.returncode == 2 and says in refused.stderr
        assert path.read_text(encoding="utf-8") == after
    missing = run_cli("adr", "status", "9", "accepted", cwd=tmp_path)
    assert missing.returncode == 2 and "no ADR-0009" in missing.stderr


def test_the_first_adr_of_a_new_repository_reads_back_accepted_on_its_date(tmp_path):
    from archgen.decisions.adr import first_adr

    (tmp_path / "decisions").mkdir()
    (tmp_path / "decisions" / "0001-record-architecture-decisions.md").write_text(first_adr("2026-01-02"))
    (d,) = load_decisions(tmp_path)
    assert (d.id, d.status, d.date, d.title, d.tags) == (
        "ADR-0001", "accepted", "2026-01-02", "Record architecture decisions", ["process"]
    )
    assert "## Decision outcome" in d.body and "archgen adr new" in d.body


def test_set_fields_adds_missing_fields_and_replaces_block_lists():
    text = "---\nstatus: accepted\ndate: 2026-11-20\ncomponents:\n  - api\n  - db\n---\n\n# T\n"
    d = parse_decision(text, "decisions/0003-t.md")
    out = set_fields(d, {"components": ["api"], "superseded-by": ["ADR-0004"], "status": "superseded"})
    assert out == "---\nstatus: superseded\ndate: 2026-11-20\ncomponents: [api]\nsuperseded-by: [ADR-0004]\n---\n\n# T\n"
    again = parse_decision(out, "decisions/0003-t.md")
    assert (again.status, again.components, again.superseded_by) == ("superseded", ["api"], ["ADR-0004"])


def test_set_fields_keeps_crlf_and_refuses_what_it_cannot_rewrite_safely():
    from archgen.errors import UsageError

    crlf = parse_decision("---\r\nstatus: accepted\r\ndate: 2026-11-20\r\n---\r\n\r\n# T\r\n", "decisions/0001-t.md")
    out = set_fields(crlf, {"status": "superseded", "superseded-by": ["ADR-0002"]})
    assert out == "---\r\nstatus: superseded\r\ndate: 2026-11-20\r\nsuperseded-by: [ADR-0002]\r\n---\r\n\r\n# T\r\n"
    flow = parse_decision("---\n{status: accepted, date: 2026-11-20}\n---\n# T\n", "decisions/0001-t.md")
    assert set_fields(flow, {"status": "deprecated"}) == "---\n{status: deprecated, date: 2026-11-20}\n---\n# T\n"
    with pytest.raises(UsageError, match="cannot rewrite this front matter safely"):
        set_fields(flow, {"superseded-by": ["ADR-0002"]})


def test_written_values_read_back_as_the_same_strings():
    awkward = ["yes", "null", "1.5", "2026-11-20", "a: b", "#x", "O'Brien", "Zoë", " padded"]
    text = new_text(3, "T", date="2026-11-20", deciders=awkward, tags=["v1.2"])
    d = parse_decision(text, "decisions/0003-t.md")
    assert d.deciders == [a.strip() for a in awkward] and d.tags == ["v1.2"]


def test_slugs_are_ascii_words():
    assert slugify("Use Zoë's café for ML/AI — now!") == "use-zoe-s-cafe-for-ml-ai-now"
    assert slugify("日本語") == "decision"


# -- archgen check -------------------------------------------------------------------


def test_check_points_adr_findings_at_the_adr_file_and_line(tmp_path, run_cli):
    make_repo(tmp_path, adrs={"0001-run-the-shop-api.md": ACCEPTED.replace("status: accepted", "status: approved")})
    result = run_cli("check", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1
    (finding,) = adr_findings(result)
    assert finding["rule"] == "MODEL-ADR-STATUS" and finding["category"] == "model"
    assert (finding["file"], finding["line"]) == ("decisions/0001-run-the-shop-api.md", 2)
    assert "'approved'" in finding["message"]
    text = run_cli("check", cwd=tmp_path).stdout
    assert re.search(r"^decisions/0001-run-the-shop-api\.md:2:\d+: error: MODEL-ADR-STATUS ", text, re.M), text


def test_the_example_has_no_adr_findings_and_still_lacks_an_accepted_security_review(run_cli):
    result = run_cli("check", "--format", "json", str(EXAMPLE), cwd=ROOT)
    assert result.returncode in (0, 1), result.stderr
    assert adr_findings(result) == []
    rules = {f["rule"]: f for m in json.loads(result.stdout)["models"] for f in m["findings"]}
    try:
        get_rule("SEC-NO-SECURITY-REVIEW")
    except KeyError:
        pytest.skip("the security-review rule is not registered")
    assert "ADR-0004" in rules["SEC-NO-SECURITY-REVIEW"]["message"]


def test_an_accepted_security_review_satisfies_the_security_review_rule(tmp_path):
    try:
        rule = get_rule("SEC-NO-SECURITY-REVIEW")
    except KeyError:
        pytest.skip("the security-review rule is not registered")
    model = parse_model(SHOP.replace("ops_team: 0}", "ops_team: 0, data: [pii]}"), "arch/shop.yaml")
    review = ACCEPTED.replace("tags: [platform]", "tags: [security-review]").replace("status: accepted", "status: {}")
    for status, fires in (("proposed", True), ("accepted", False)):
        d = parse_decision(review.format(status), "decisions/0001-review.md")
        findings = run_rules(model, [d], rules=(rule,))
        assert bool(findings) is fires, status


# -- links and the site ----------------------------------------------------------------


def test_links_go_both_ways_whichever_side_names_the_other():
    model = parse_model(SHOP, "arch/shop.yaml")  # api names ADR-0001
    first = parse_decision(ACCEPTED.replace("components: [api]", "components: []"), "decisions/0001-a.md")
    second = parse_decision(ACCEPTED.replace("components: [api]", "components: [db, ghost]"), "decisions/0002-b.md")
    got = links([model], [first, second])
    assert {cid: [d.id for d in ds] for cid, ds in got["components"]["shop"].items()} == {
        "api": ["ADR-0001"],
        "db": ["ADR-0002"],
    }
    assert got["decisions"] == {"ADR-0001": [("shop", "api")], "ADR-0002": [("shop", "db")]}
    assert got["models"] == {"shop": []}
    page = render_page(second, [model], [first, second])
    assert "[`db`](../models/shop/index.md)" in page and "| Not in any model | ghost |" in page


def test_index_and_page_of_the_example(golden):
    decisions = load_decisions(ROOT)
    model = load_model(EXAMPLE)
    golden("adr/index.md", render_index(decisions, [model]))
    golden("adr/0002.md", render_page(decisions[1], [model], decisions))


def test_raw_html_in_an_adr_body_is_shown_as_text_and_code_is_kept():
    body = "Hi <img src=x onerror=alert(1)> <!-- note -->\n\n- a\n\n    <script>x</script>\n\n```html\n<b>ok</b>\n```\n`<i>`\n"
    out = safe_markdown(body)
    assert "<img" not in out and "<script" not in out and "note" not in out
    assert "```html\n<b>ok</b>\n```" in out and "`<i>`" in out


def test_the_pages_build_with_mkdocs_strict(tmp_path):
    if shutil.which("mkdocs") is None and not _has_module("mkdocs"):
        pytest.skip("mkdocs is not installed")
    decisions = load_decisions(ROOT)
    hostile = parse_decision(
        "---\nstatus: superseded\ndate: 2026-11-25\ncomponents: [web]\nsuperseded-by: [ADR-0002]\n---\n"
        f"# {HOSTILE}\n\nSee [ADR-0002](0002-run-the-fastapi-backend-on-ecs-fargate.md). <iframe src=x></iframe>\n",
        "decisions/0005-hostile.md",
    )
    decisions.append(hostile)
    model = load_model(EXAMPLE)
    docs = tmp_path / "docs"
    (docs / "decisions").mkdir(parents=True)
    (docs / "models" / "ml-serving").mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n\n[Decisions](decisions/index.md)\n")
    (docs / "models" / "ml-serving" / "index.md").write_text("# ml-serving\n")
    (docs / "decisions" / "index.md").write_text(render_index(decisions, [model]))
    for d in decisions:
        (docs / "decisions" / d.file_name).write_text(render_page(d, [model], decisions))
    for draft in make_drafts(model, run_rules(model, decisions)):
        (docs / "decisions" / f"draft-{draft.name}.md").write_text(render(draft))
    (tmp_path / "mkdocs.yml").write_text("site_name: t\nuse_directory_urls: true\n")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site" / "decisions" / "0005-hostile" / "index.html").read_text(encoding="utf-8")
    assert "<iframe" not in html and "<script>alert" not in html
    assert 'href="../0002-run-the-fastapi-backend-on-ecs-fargate/"' in html  # supersession links resolve


def _has_module(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


# -- drafts ------------------------------------------------------------------------


def test_drafts_for_the_example_weigh_the_platform_and_the_lock_in():
    model = load_model(EXAMPLE)
    findings = run_rules(model, load_decisions(ROOT))
    drafts = {d.name: d for d in make_drafts(model, findings)}
    weighed = {f.component for f in findings if f.category == "lock-in" and f.component}
    weighed |= {cid for cid, c in model.components.items() if any(r.startswith("LOCKIN-") for r in c.accept)}
    assert "model" in weighed  # the example accepts SageMaker's lock-in, see ADR-0003
    assert set(drafts) == {"api-container-platform"} | {f"{cid}-lock-in" for cid in weighed}
    platform = drafts["api-container-platform"]
    assert (platform.current, platform.chosen, platform.components) == ("ecs_fargate", "ecs_fargate", ["api"])
    assert platform.title == "Run FastAPI backend on Amazon ECS on AWS Fargate"
    values = {c.name: c.value for c in platform.criteria}
    assert values["Services"] == "2 (stated)" and values["Peak load"] == "50 requests/s"
    assert values["Team that runs infrastructure"] == "0 engineers, no Kubernetes experience"
    assert values["Budget"] == "$500 a month" and values["Data"] == "pii"
    options = {o.key: o for o in platform.options}
    assert {"ecs_fargate", "ecs_express", "app_runner", "eks"} <= set(options)
    assert any("closed to new customers" in b for b in options["app_runner"].bad)
    assert any("platform team" in b for b in options["eks"].bad) and options["eks"].score < options["ecs_fargate"].score
    lock = drafts["model-lock-in"]
    assert (lock.chosen, lock.topic) == ("sagemaker_endpoint", "lock-in")
    assert any(o.provider == "kubernetes" for o in lock.options)
    assert "LOCKIN-SERVICE" in lock.rules and "see ADR-0003" in lock.body  # the accepted reason is quoted
    page = render(platform)
    assert page.startswith("<!-- Generated by archgen")
    assert "**Draft, not a decision.**" in page and "`archgen adr new --from-draft api-container-platform`" in page
    assert [d.body for d in make_drafts(model, findings)] == [d.body for d in sorted(drafts.values(), key=lambda d: d.name)]


KUBERNETES_HEAVY = """\
archgen: 1
name: platform
title: Shared platform
provider: aws
requirements:
  peak_rps: 4000
  services: 30
  ops_team: 6
  kubernetes_experience: true
  portability: high
components:
  users: {kind: actor}
  api: {kind: container_service, service: ecs_fargate, title: <b>Orders</b> API}
  scoring: {kind: ml_endpoint, title: Scoring}
flows:
  - users -> api: https
  - api -> scoring: https
"""


def test_drafts_for_a_kubernetes_heavy_system_propose_kubernetes_and_the_open_equivalent():
    model = parse_model(KUBERNETES_HEAVY, "arch/platform.yaml")
    drafts = {d.name: d for d in make_drafts(model, run_rules(model, []))}
    assert set(drafts) == {"api-container-platform", "scoring-lock-in"}
    platform = drafts["api-container-platform"]
    assert (platform.current, platform.chosen) == ("ecs_fargate", "eks")
    assert "changing `api` to `service: eks` in the model" in platform.body
    eks = {o.key: o for o in platform.options}["eks"]
    assert any("30 services share one cluster" in g for g in eks.good)
    assert any("open standard" in g for g in eks.good)
    assert "<b>" not in platform.body and "&lt;b&gt;Orders&lt;/b&gt; API" in platform.body
    scoring = drafts["scoring-lock-in"]
    chosen = {o.key: o for o in scoring.options}[scoring.chosen]
    assert chosen.provider == "kubernetes" and scoring.current == "sagemaker_endpoint"
    assert "on a Kubernetes cluster the team operates" in scoring.body


def test_from_draft_copies_a_draft_into_decisions_for_the_team(tmp_path, run_cli):
    (tmp_path / "arch").mkdir()
    shutil.copy(EXAMPLE, tmp_path / "arch" / EXAMPLE.name)
    shutil.copytree(ROOT / "decisions", tmp_path / "decisions")
    listed = run_cli("adr", "drafts", "--format", "json", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    names = [d["name"] for d in json.loads(listed.stdout)["drafts"]]
    assert names == sorted(names) and {"api-container-platform", "model-lock-in"} <= set(names)
    shown = run_cli("adr", "drafts", "--show", "model-lock-in", cwd=tmp_path)
    assert shown.returncode == 0 and "# Draft: Keep Amazon SageMaker real-time endpoint for Churn model" in shown.stdout
    # ADR-0002 records the platform of `api` (tag platform): that draft is adopted, not offered again
    adopted = {d["name"]: d["adopted_by"] for d in json.loads(listed.stdout)["drafts"]}
    assert adopted["api-container-platform"] == "ADR-0002" and adopted["model-lock-in"] == "ADR-0003"
    again = run_cli("adr", "new", "--from-draft", "ml-serving/api-container-platform", cwd=tmp_path)
    assert again.returncode == 2 and "adopted already: ADR-0002" in again.stderr
    assert not list((tmp_path / "decisions").glob("0005-*"))
    result = run_cli("adr", "new", "--from-draft", "ml-serving/vault-lock-in", "--date", "2026-11-25", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    path = tmp_path / "decisions" / "0005-keep-aws-secrets-manager-for-application-secrets.md"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\nstatus: proposed\ndate: 2026-11-25\n")  # no generated marker: the team owns it
    assert "Generated by archgen" not in text and "Draft, not a decision" not in text
    d = load_decisions(tmp_path)[-1]
    assert (d.id, d.components, d.tags, d.title) == (
        "ADR-0005", ["vault"], ["lock-in"], "Keep AWS Secrets Manager for Application secrets"
    )
    assert "| Portability | medium | `requirements.portability` |" in text
    check = run_cli("check", "--format", "json", cwd=tmp_path)
    assert adr_findings(check) == []
    relisted = run_cli("adr", "drafts", "--format", "json", cwd=tmp_path)
    assert {d["name"]: d["adopted_by"] for d in json.loads(relisted.stdout)["drafts"]}["vault-lock-in"] == "ADR-0005"
    unknown = run_cli("adr", "new", "--from-draft", "api-platform", cwd=tmp_path)
    assert unknown.returncode == 2 and "did you mean 'api-container-platform'" in unknown.stderr


def test_the_adr_command_imports_nothing_heavy():
    probe = subprocess.run(
        [sys.executable, "-c", "import sys, archgen.commands.adr as m, argparse; m.register(argparse.ArgumentParser());"
         "print(sorted(x for x in ('networkx','pydantic','yaml','jinja2','diagrams','mkdocs') if x in sys.modules))"],
        capture_output=True, text=True, check=True,
    )
    assert probe.stdout.strip() == "[]"
