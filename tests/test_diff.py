"""archgen diff: the semantic diff, its Markdown/JSON/text, the union diagram, git mode.

Paired fixtures live in tests/fixtures/diff/<case>/{before,after}/ (arch/ and
decisions/ like a real repository); their outputs are golden files under
tests/golden/diff/ (refresh with ``pytest --update-golden`` and review the diff).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from archgen.cli import main
from archgen.generators.diff import COMMENT_LIMIT, diff_models, render_json, render_markdown, render_text
from archgen.generators.diffdraw import diff_view, mermaid_text, to_mermaid
from archgen.sources.loader import parse_model
from conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "diff"
CASES = sorted(p.name for p in FIXTURES.iterdir() if (p / "before").is_dir())
SECRETS = ("ghp_abcdefghijklmnopqrstuvwxyz0123456789", "ghp_ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210")


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def in_case(monkeypatch):
    def enter(case: str) -> Path:
        monkeypatch.chdir(FIXTURES / case)
        return FIXTURES / case

    return enter


def case_diff(case: str, monkeypatch):
    from archgen.commands.diff import read_sides

    monkeypatch.chdir(FIXTURES / case)
    ns = type("Args", (), {"sides": ["before", "after"], "git": None})()
    base, head = read_sides(ns)
    return diff_models(base.models, head.models, base.decisions, head.decisions, base_label="before", head_label="after")


# ---------------------------------------------------------------------------
# golden outputs


def test_every_case_has_both_sides():
    assert set(CASES) >= {"basic", "hostile", "models", "preexisting", "reopened"}
    for case in CASES:
        assert list((FIXTURES / case / "before").rglob("*.yaml")) or list((FIXTURES / case / "after").rglob("*.yaml"))


@pytest.mark.parametrize("case", CASES)
def test_golden_outputs(case, capsys, in_case, golden):
    in_case(case)
    for fmt, ext in (("markdown", "md"), ("json", "json"), ("text", "txt")):
        code, out, err = cli(capsys, "diff", "before", "after", "--format", fmt)
        assert code == 0, err
        golden(f"diff/{case}.{ext}", out)


@pytest.mark.parametrize("case", CASES)
def test_golden_diagram_dot(case, monkeypatch, golden):
    from archgen.generators.draw import to_dot

    view = diff_view(case_diff(case, monkeypatch))
    golden(f"diff/{case}.dot", to_dot(view))


# ---------------------------------------------------------------------------
# what the diff says


def test_basic_case_components_flows_findings_adrs(monkeypatch):
    d = case_diff("basic", monkeypatch)
    (m,) = d.models
    assert m.status == "changed"
    assert {c.id for c in m.components_with("added")} == {"cache"}
    assert {c.id for c in m.components_with("removed")} == {"images"}
    changed = {c.id: {ch.field: (ch.before, ch.after) for ch in c.changes} for c in m.components_with("changed")}
    assert changed == {
        "api": {"high_availability": (False, True), "env.LOG_LEVEL": ("info", "debug")},
        "db": {"public": (False, True)},
    }
    assert {f.text for f in m.flows_with("added")} == {"api -> cache: redis", "lb -> api: http"}
    assert {f.text for f in m.flows_with("removed")} == {"api -> images: image pull", "lb -> api: https"}
    (flow,) = m.flows_with("changed")
    assert flow.text == "api -> payments: https" and flow.changes[0].after == ["payment", "pii"]
    assert {c.field for c in m.fields} == {"region", "requirements.peak_rps"}
    introduced = {f.finding.match_key for f in m.findings_with("introduced")}
    assert ("SEC-PUBLIC-DATASTORE", "db") in introduced  # db made public
    assert ("SEC-DATA-NO-TLS", "api") in introduced  # pii now over http
    assert not m.findings_with("resolved")
    assert {(d.id, d.status, d.before, d.after) for d in d.decisions} == {
        ("ADR-0002", "changed", "proposed", "accepted"),
        ("ADR-0003", "added", None, "proposed"),
    }
    aws = next(p for p in m.providers if p.provider == "aws")
    assert aws.chosen and aws.usd_after > aws.usd_before  # a cache was added


def test_reversed_diff_mirrors_the_forward_one(monkeypatch):
    forward = case_diff("basic", monkeypatch)
    from archgen.commands.diff import read_sides

    ns = type("Args", (), {"sides": ["after", "before"], "git": None})()
    base, head = read_sides(ns)
    backward = diff_models(base.models, head.models, base.decisions, head.decisions)
    f, b = forward.models[0], backward.models[0]
    assert {c.id for c in f.components_with("added")} == {c.id for c in b.components_with("removed")}
    assert {x.finding.match_key for x in f.findings_with("introduced")} == {
        x.finding.match_key for x in b.findings_with("resolved")
    }
    assert not backward.gating("info")


def _pair(before: str, after: str):
    head = "archgen: 1\nname: m\nprovider: aws\n"
    return diff_models([parse_model(head + before, "before.yaml")], [parse_model(head + after, "after.yaml")])


def test_effective_values_do_not_make_spurious_changes():
    d = _pair(
        "components:\n  lb: {kind: load_balancer}\n  api: {kind: container_service, data: [pii, payment]}\n"
        "  db: {kind: postgres}\nflows:\n  - lb -> api\n  - api -> db\n",
        # public written as its default, the default service named, lists and keys reordered
        "components:\n  db: {kind: postgres}\n  api: {kind: container_service, service: ecs_fargate, data: [payment, pii]}\n"
        "  lb: {kind: load_balancer, public: false}\nflows:\n  - api -> db\n  - lb -> api\n",
    )
    (m,) = d.models
    assert m.status == "unchanged", [c.changes for c in m.components]
    assert not d.changed


def test_a_relabelled_flow_is_removed_and_added_and_a_new_data_class_changes_it():
    d = _pair(
        "components:\n  a: {kind: container_service}\n  b: {kind: postgres}\nflows:\n  - a -> b: tcp\n",
        "components:\n  a: {kind: container_service}\n  b: {kind: postgres}\nflows:\n  - a -> b: postgres\n",
    )
    m = d.models[0]
    assert [f.text for f in m.flows_with("removed")] == ["a -> b: tcp"]
    assert [f.text for f in m.flows_with("added")] == ["a -> b: postgres"]
    d = _pair(
        "components:\n  a: {kind: container_service}\n  b: {kind: postgres}\nflows:\n  - a -> b\n",
        "components:\n  a: {kind: container_service}\n  b: {kind: postgres}\nflows:\n  - {from: a, to: b, data: [health]}\n",
    )
    (f,) = d.models[0].flows_with("changed")
    assert [(c.field, c.before, c.after) for c in f.changes] == [("data", [], ["health"])]


def test_a_kind_change_and_a_number_that_becomes_a_string_are_changes():
    d = _pair(
        "components:\n  a: {kind: cache, env: {PORT: 1}}\n",
        "components:\n  a: {kind: nosql, env: {PORT: '1'}}\n",
    )
    (c,) = d.models[0].components_with("changed")
    fields = {ch.field for ch in c.changes}
    assert {"kind", "service", "env.PORT"} <= fields


def test_secret_values_never_appear_but_their_change_does(monkeypatch):
    from archgen.generators.draw import to_dot

    d = case_diff("hostile", monkeypatch)
    view = diff_view(d)
    outputs = [render_markdown(d, mermaid=to_mermaid(view)), render_json(d), render_text(d), to_dot(view)]
    for text in outputs:
        for secret in SECRETS:
            assert secret not in text
            assert secret[4:20] not in text
    api = next(c for c in d.models[0].components if c.id == "api")
    token = next(ch for ch in api.changes if ch.field == "env.API_TOKEN")
    assert token.before == token.after == "«redacted»"
    assert "env.API_TOKEN" in outputs[0] or "env.API\\_TOKEN" in outputs[0]


# ---------------------------------------------------------------------------
# Markdown: hostile text, size


class _Cells(HTMLParser):
    """Tags and table rows of rendered HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.rows: list[int] = []
        self.tables: list[list[int]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append(0)
        elif tag in ("td", "th"):
            self.tables[-1][-1] += 1


def _render_html(markdown_text: str) -> _Cells:
    import markdown

    parser = _Cells()
    parser.html = markdown.markdown(markdown_text, extensions=["tables", "md_in_html"])
    parser.feed(parser.html)
    return parser


@pytest.mark.parametrize("case", ["hostile", "basic"])
def test_markdown_survives_hostile_text(case, monkeypatch):
    d = case_diff(case, monkeypatch)
    text = render_markdown(d, mermaid=to_mermaid(diff_view(d)))
    # only archgen's own tags, with no attributes, whatever the model says
    tags = set(re.findall(r"<\s*/?\s*[a-zA-Z][^>]*>?", text))
    assert tags <= {"<details>", "</details>", "<summary>", "</summary>", "<sub>", "</sub>", "<br>", "<br/>"}, tags
    # every row of a table has as many cell separators (unescaped pipes) as its header
    table: list[int] = []
    for line in text.splitlines() + [""]:
        if line.startswith("|"):
            table.append(len(re.findall(r"(?<!\\)\|", line)))
        elif table:
            assert len(set(table)) == 1, f"a table row has extra cells: {table}"
            table = []
    # one fenced block (the Mermaid chart), never closed early
    assert text.count("```") == 2 and "```mermaid\n" in text
    html = _render_html(text)
    assert not html.tags & {"script", "img", "i", "b", "em", "a"}, html.tags
    assert "<strong>bold</strong>" not in html.html
    assert html.tables, "no table rendered"
    for table in html.tables:
        assert len(set(table)) == 1, f"rows of one table have different cell counts: {table}"


def test_mermaid_text_keeps_only_safe_characters():
    hostile = 'a"b`c|d<e>f#g;h[i]j{k}l&m\nn\\o'
    out = mermaid_text(hostile)
    assert re.fullmatch(r"(?:[A-Za-z0-9 .,:/()_+~\-]|#\d+;)*", out), out
    assert mermaid_text("") == ""


def test_markdown_is_cut_to_fit_a_comment(monkeypatch):
    d = case_diff("basic", monkeypatch)
    full = render_markdown(d)
    short = render_markdown(d, limit=len(full) - 200)
    assert len(short) <= len(full) - 200
    assert "… and " in short and "more" in short


def test_a_large_diff_fits_a_github_comment():
    sys.path.insert(0, str(ROOT))
    from bench.generate import generate

    base = parse_model(generate(400, seed=1), "a.yaml")
    head = parse_model(generate(400, seed=2), "b.yaml")
    d = diff_models([base], [head])
    total = sum(len(d.models[0].components_with(s)) for s in ("added", "removed", "changed"))
    assert total > 300  # a diff far longer than one comment
    text = render_markdown(d, mermaid=to_mermaid(diff_view(d)))
    assert len(text) <= COMMENT_LIMIT < 65_536
    assert "… and " in text


# ---------------------------------------------------------------------------
# the diagram


def test_union_diagram_keeps_base_order_then_additions(monkeypatch):
    d = case_diff("basic", monkeypatch)
    view = diff_view(d)
    status = {n.id: n.status for n in view.nodes}
    assert status["cache"] == "added" and status["images"] == "removed"
    assert status["api"] == status["db"] == "changed" and status["users"] == "unchanged"
    base_ids = list(d.models[0].base.components)
    order = [n.id for n in view.nodes]
    # draw emits per cluster; within each cluster, base components first, then additions
    for cluster in {n.cluster for n in view.nodes}:
        ids = [i for i in order if next(n for n in view.nodes if n.id == i).cluster == cluster]
        ranks = [base_ids.index(i) if i in base_ids else len(base_ids) for i in ids]
        assert ranks == sorted(ranks)
    edges = {e.id: e.status for e in view.edges}
    assert edges["lb->api:https"] == "removed" and edges["lb->api:http"] == "added"
    assert edges["api->payments:https"] == "changed"


def test_several_models_are_drawn_in_their_own_boxes(monkeypatch):
    view = diff_view(case_diff("models", monkeypatch))
    assert {c.id for c in view.clusters if c.parent is None} == {"model-alpha", "model-beta", "model-gamma"}
    ids = {n.id: n.status for n in view.nodes}
    assert ids["alpha.jobs"] == "removed" and ids["gamma.api"] == "added" and ids["beta.api"] == "changed"


def test_a_large_model_is_drawn_around_the_change():
    sys.path.insert(0, str(ROOT))
    from bench.generate import generate

    text = generate(300, seed=3)
    cid = re.search(r"^  (postgres-\d+):$", text, re.M).group(1)
    changed = text.replace(f"  {cid}:\n", f"  {cid}:\n    public: true\n", 1)
    d = diff_models([parse_model(text, "a.yaml")], [parse_model(changed, "b.yaml")])
    view = diff_view(d)
    assert [n.id for n in view.nodes if n.status != "unchanged"] == [cid]
    assert len(view.nodes) < 30
    assert "left out" in view.description


def test_output_folder_is_complete_and_byte_stable(tmp_path, capsys, in_case):
    in_case("basic")
    for out in ("one", "two"):
        code, _, err = cli(capsys, "diff", "before", "after", "-o", str(tmp_path / out))
        assert code == 0, err
    names = sorted(p.name for p in (tmp_path / "one").iterdir() if p.name != ".archgen-output")  # archgen's mark
    assert names == ["diff.json", "diff.md", "diff.png", "diff.svg"]
    for name in names:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
    svg = (tmp_path / "one" / "diff.svg").read_text()
    assert svg.lstrip().startswith("<") and "<svg" in svg
    assert "#2E7D32".lower() in svg.lower() and "#C62828".lower() in svg.lower()  # green and red drawn
    assert "stroke-dasharray" in svg  # removed is dashed
    assert (tmp_path / "one" / "diff.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    md = (tmp_path / "one" / "diff.md").read_text()
    assert 'src="diff.svg"' in md


# ---------------------------------------------------------------------------
# exit status: --fail-on counts only what the change introduces


def test_fail_on_counts_introduced_findings(capsys, in_case):
    in_case("basic")
    assert cli(capsys, "diff", "before", "after")[0] == 0
    code, _, err = cli(capsys, "diff", "before", "after", "--fail-on", "error")
    assert code == 1 and "introduces 2 unaccepted findings at or above error" in err
    assert cli(capsys, "diff", "after", "before", "--fail-on", "info")[0] == 0


def test_fail_on_ignores_findings_that_were_already_there(capsys, in_case):
    in_case("preexisting")
    assert cli(capsys, "check", "after/arch")[0] == 1  # the model has an error...
    code, out, _ = cli(capsys, "diff", "before", "after", "--fail-on", "info")
    assert code == 0  # ...that the change did not introduce
    assert "1 component changed" in out


def test_fail_on_counts_a_withdrawn_acceptance(capsys, in_case):
    in_case("reopened")
    code, out, err = cli(capsys, "diff", "before", "after", "--fail-on", "error")
    assert code == 1, out
    assert "changed error (was error, accepted): SEC-PUBLIC-DATASTORE [db]" in out


def test_accepting_a_finding_in_the_change_does_not_fail(capsys, in_case):
    in_case("reopened")
    assert cli(capsys, "diff", "after", "before", "--fail-on", "info")[0] == 0


@pytest.mark.parametrize(
    "args, message",
    [
        (["before"], "give two sides"),
        (["before", "after", "after"], "give two sides"),
        (["before", "nowhere"], "nowhere: no such file or folder"),
        (["--git", "HEAD", "before", "after"], "only the HEAD side"),
        (["--git=--upload-pack=x", "after"], "is not a revision"),
    ],
)
def test_misuse_exits_2_without_traceback(args, message, capsys, in_case):
    in_case("basic")
    code, _, err = cli(capsys, "diff", *args)
    assert code == 2 and message in err and "Traceback" not in err


def test_a_broken_model_exits_2_with_its_position(tmp_path, capsys):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "m.yaml").write_text("archgen: 1\nname: m\nprovider: aws\ncomponents:\n  x: {kind: nope}\n")
    shutil.copytree(FIXTURES / "basic" / "after" / "arch", tmp_path / "b")
    code, _, err = cli(capsys, "diff", str(tmp_path / "a"), str(tmp_path / "b"))
    assert code == 2 and re.search(r"m\.yaml:5:\d+: unknown kind 'nope'", err)


# ---------------------------------------------------------------------------
# git mode, against a real repository (whole processes)


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def _add_all(repo: Path) -> None:
    """``git add -A``, then every tracked file read again whatever its stat says: a file
    rewritten in the same second with the same size can look unchanged to git's index
    (racy git), and the commit would miss it."""
    _git(repo, "add", "-A")
    _git(repo, "add", "--renormalize", ".")


def _replace_tree(repo: Path, source: Path) -> None:
    for name in ("arch", "decisions"):
        shutil.rmtree(repo / name, ignore_errors=True)
        if (source / name).is_dir():
            # plain copies with fresh times: copy2 keeps the fixture's mtime, and a file of the same
            # size and mtime (proposed/accepted) on a reused inode looks unchanged to git's index
            shutil.copytree(source / name, repo / name, copy_function=shutil.copy)


@pytest.fixture
def repo(tmp_path) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path / "repo"
    root.mkdir()
    _git(root, "init", "-q", "-b", "main")
    (root / "README.md").write_text("an architecture repository\n")
    _add_all(root)
    _git(root, "commit", "-q", "-m", "start")
    _replace_tree(root, FIXTURES / "basic" / "before")
    _add_all(root)
    _git(root, "commit", "-q", "-m", "base architecture")
    return root


def test_git_mode_reads_the_base_from_a_revision(repo, run_cli, monkeypatch):
    _replace_tree(repo, FIXTURES / "basic" / "after")  # uncommitted: the working tree is HEAD's side
    uncommitted = run_cli("diff", "--git", "HEAD", "--format", "json", cwd=repo)
    assert uncommitted.returncode == 0, uncommitted.stderr
    _add_all(repo)
    _git(repo, "commit", "-q", "-m", "change")
    committed = run_cli("diff", "--git", "HEAD~1", ".", "--format", "json", cwd=repo)
    assert committed.returncode == 0, committed.stderr
    doc = json.loads(committed.stdout)
    assert doc["base"] == "HEAD~1"
    (m,) = doc["models"]
    assert m["file"] == {"before": "HEAD~1:arch/shop.yaml", "after": "arch/shop.yaml"}
    assert [c["id"] for c in m["components"]["added"]] == ["cache"]
    assert [c["id"] for c in m["components"]["removed"]] == ["images"]
    assert {d["id"] for d in doc["decisions"]["added"]} == {"ADR-0003"}
    # the same diff as from the uncommitted working tree, and as between two folders
    before_commit = json.loads(uncommitted.stdout)["models"][0]
    for key in ("components", "flows", "fields", "providers"):
        assert before_commit[key] == m[key], key
    folders = json.loads(render_json(case_diff("basic", monkeypatch)))
    for key in ("components", "flows", "fields", "providers"):
        assert folders["models"][0][key] == m[key], key
    assert {f["rule"] for f in folders["models"][0]["findings"]["introduced"]} == {
        f["rule"] for f in m["findings"]["introduced"]
    }
    # nothing changed since the last commit
    same = run_cli("diff", "--git", "HEAD", "--format", "text", cwd=repo)
    assert same.returncode == 0 and "No change to the architecture." in same.stdout
    # --fail-on in git mode, from a subfolder, naming the model file
    gated = run_cli("diff", "--git", "HEAD~1", "shop.yaml", "--fail-on", "error", cwd=repo / "arch")
    assert gated.returncode == 1 and "introduces 2 unaccepted findings" in gated.stderr


def test_git_mode_when_the_base_has_no_architecture_yet(repo, run_cli):
    result = run_cli("diff", "--git", "HEAD~1", "--format", "json", cwd=repo)
    assert result.returncode == 0, result.stderr
    (m,) = json.loads(result.stdout)["models"]
    assert m["status"] == "added" and len(m["components"]["added"]) == 8


def test_git_mode_when_the_change_deletes_the_architecture(repo, run_cli):
    shutil.rmtree(repo / "arch")
    result = run_cli("diff", "--git", "HEAD", "--format", "json", cwd=repo)
    assert result.returncode == 0, result.stderr
    (m,) = json.loads(result.stdout)["models"]
    assert m["status"] == "removed" and len(m["components"]["removed"]) == 8
    assert "no models in working tree" in result.stderr


def test_git_mode_follows_symbolic_links_inside_the_repository(repo, run_cli):
    # the project's own arch/ holds a link to the example shipped in the package
    (repo / "models").mkdir()
    (repo / "arch" / "shop.yaml").rename(repo / "models" / "shop.yaml")
    (repo / "arch" / "shop.yaml").symlink_to("../models/shop.yaml")
    _add_all(repo)
    _git(repo, "commit", "-q", "-m", "model behind a link")
    same = run_cli("diff", "--git", "HEAD", cwd=repo)
    assert same.returncode == 0 and "No change to the architecture." in same.stdout, same.stderr
    (repo / "models" / "shop.yaml").write_text((FIXTURES / "basic" / "after" / "arch" / "shop.yaml").read_text())
    changed = run_cli("diff", "--git", "HEAD", "--format", "json", cwd=repo)
    (m,) = json.loads(changed.stdout)["models"]
    assert m["file"]["before"] == "HEAD:arch/shop.yaml" and [c["id"] for c in m["components"]["added"]] == ["cache"]
    (repo / "arch" / "evil.yaml").symlink_to("../../../etc/hostname")
    _add_all(repo)
    _git(repo, "commit", "-q", "-m", "a link out of the repository")
    (repo / "arch" / "evil.yaml").unlink()  # only the committed side has it now
    refused = run_cli("diff", "--git", "HEAD", cwd=repo)
    assert refused.returncode == 2
    assert "HEAD:arch/evil.yaml: a symbolic link that points outside the repository is refused" in refused.stderr


# ---------------------------------------------------------------------------
# the source layer: a folder and a revision read alike


def test_a_revision_and_the_folder_give_equal_bundles(repo, monkeypatch):
    import dataclasses

    from archgen.sources import read_repository, read_revision

    monkeypatch.chdir(repo)
    folder = read_repository(".")
    committed = read_revision("HEAD", ".")
    assert [m.name for m in folder.models] == ["shop"] and len(folder.decisions) == 2
    assert committed.content() == folder.content()  # fields, ADRs and every position
    assert (folder.label, committed.label) == (".", "HEAD")
    assert (folder.models[0].file, committed.models[0].file) == ("arch/shop.yaml", "HEAD:arch/shop.yaml")
    assert [d.path for d in committed.decisions] == [f"HEAD:decisions/{d.file_name}" for d in folder.decisions]
    with pytest.raises(dataclasses.FrozenInstanceError):
        committed.models = ()  # type: ignore[misc]
    # the content does tell a change apart
    _replace_tree(repo, FIXTURES / "basic" / "after")
    assert read_repository(".").content() != committed.content()


def test_two_models_of_one_name_are_refused_alike_from_the_folder_and_a_revision(repo, monkeypatch):
    from archgen.errors import ModelErrors
    from archgen.sources import loader, read_repository, read_revision

    monkeypatch.chdir(repo)
    (repo / "arch" / "copy.yaml").write_text((repo / "arch" / "shop.yaml").read_text())
    _add_all(repo)
    _git(repo, "commit", "-q", "-m", "a second file for the same model")
    messages = []
    for read in (lambda: read_repository("."), lambda: read_revision("HEAD", ".")):
        with pytest.raises(ModelErrors) as info:
            read()
        (error,) = info.value.errors
        messages.append(str(error))
    assert re.fullmatch(r"arch/shop\.yaml:\d+:\d+: model name 'shop' is also used by arch/copy\.yaml", messages[0])
    assert messages[1] == "HEAD:" + messages[0].replace("by arch/", "by HEAD:arch/")
    # one check serves both sources: without it, both read the two files
    monkeypatch.setattr(loader, "unique_names", lambda models: [])
    assert len(read_repository(".").models) == len(read_revision("HEAD", ".").models) == 2


def test_the_command_line_holds_no_git_plumbing():
    import ast

    tree = ast.parse((ROOT / "src" / "archgen" / "commands" / "diff.py").read_text())
    functions = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    assert functions == {"register", "read_sides", "run"}
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not imported & {"subprocess", "os", "archgen.sources.loader", "archgen.decisions.adr", "archgen.decisions.store"}


def test_without_graphviz_nothing_is_written(tmp_path, run_cli):
    empty = tmp_path / "bin"
    empty.mkdir()
    out = tmp_path / "out"
    # no dot on PATH, and ARCHGEN_GRAPHVIZ=dot so that no pygraphviz stands in for it
    result = run_cli("diff", "before", "after", "-o", str(out), cwd=FIXTURES / "basic", env={"PATH": str(empty), "ARCHGEN_GRAPHVIZ": "dot"})
    assert result.returncode == 2 and "Graphviz is not installed" in result.stderr
    assert "Traceback" not in result.stderr and not out.exists()


def test_git_mode_errors(repo, run_cli, tmp_path):
    bad = run_cli("diff", "--git", "no-such-branch", cwd=repo)
    assert bad.returncode == 2 and "unknown revision 'no-such-branch'" in bad.stderr and "Traceback" not in bad.stderr
    outside = tmp_path / "plain"
    shutil.copytree(FIXTURES / "basic" / "after", outside)
    nogit = run_cli("diff", "--git", "HEAD", cwd=outside)
    assert nogit.returncode == 2 and "not inside a git repository" in nogit.stderr
    # a model that does not load at the base revision: its position, with the revision
    text = (repo / "arch" / "shop.yaml").read_text()
    (repo / "arch" / "shop.yaml").write_text(text.replace("    kind: registry", "    kind: registri"))
    _git(repo, "commit", "-q", "-am", "broken")
    _replace_tree(repo, FIXTURES / "basic" / "after")
    broken = run_cli("diff", "--git", "HEAD", cwd=repo)
    assert broken.returncode == 2
    assert re.search(r"^HEAD:arch/shop\.yaml:\d+:\d+: unknown kind 'registri'", broken.stderr, re.M), broken.stderr


# ---------------------------------------------------------------------------
# the CI template: the workflow `archgen init` writes runs the Action (action.yml), whose
# diff and comment steps tests/test_action.py runs against a git repository.

def test_the_rules_of_each_side_see_every_model_of_that_side(tmp_path, capsys, monkeypatch):
    """An ADR added for a component of one model is no finding against the other model,
    as in `archgen check` (the rules of a side get all of that side's models)."""
    models = {
        "billing": "  invoices: {kind: container_service}\nflows:\n  - users -> invoices: https\n",
        "shop": "  cart: {kind: container_service}\nflows:\n  - users -> cart: https\n",
    }
    for side in ("base", "head"):
        (tmp_path / side / "arch").mkdir(parents=True)
        (tmp_path / side / "decisions").mkdir()
        for name, rest in models.items():
            (tmp_path / side / "arch" / f"{name}.yaml").write_text(
                f"archgen: 1\nname: {name}\nprovider: aws\ncomponents:\n  users: {{kind: actor}}\n{rest}", encoding="utf-8"
            )
    (tmp_path / "head" / "decisions" / "0001-run-the-cart-on-ecs.md").write_text(
        "---\nstatus: accepted\ndate: 2026-11-18\ncomponents: [cart]\ntags: []\n---\n\n# Run the cart on ECS\n\n"
        "## Context and Problem Statement\n\nThe cart needs a home.\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    code, out, err = cli(capsys, "diff", "base", "head", "--format", "json")
    assert code == 0, err
    introduced = [
        (m["name"], f["rule"]) for m in json.loads(out)["models"] for f in m["findings"]["introduced"]
    ]
    assert ("billing", "MODEL-ADR-COMPONENT") not in introduced, introduced


def test_the_fields_of_real_stacks_are_changes_like_any_other():
    before = (
        "zones:\n  dmz: {title: DMZ, trusted: true}\n"
        "components:\n  k8s: {kind: kubernetes_cluster, service: eks}\n  vm1: {kind: vm, zone: on_prem}\n"
        "  api: {kind: container_service, runs_on: k8s}\n  db: {kind: postgres}\n"
        "  spa: {kind: client_app, platform: web}\n  fw: {kind: waf, protects: [api]}\n"
        "flows:\n  - spa -> api: JSON/HTTPS\n  - {from: api, to: db, protocol: postgres}\n"
    )
    after = (
        "zones:\n  dmz: {title: DMZ, trusted: false}\n  lab: {trusted: false}\n"
        "components:\n  k8s: {kind: kubernetes_cluster, service: eks, zone: on_prem}\n  vm1: {kind: vm, zone: on_prem}\n"
        "  api: {kind: container_service, runs_on: vm1}\n  db: {kind: postgres, zone: dmz}\n"
        "  spa: {kind: client_app, platform: mobile}\n  fw: {kind: waf, protects: [api, db]}\n"
        "flows:\n  - spa -> api: JSON/HTTPS\n"
        "  - {from: api, to: db, protocol: tds, auth: iam, async: true, rps: 40, tls: true}\n"
    )
    m = _pair(before, after).models[0]
    changes = {c.id: {(ch.field, _plain(ch.before), _plain(ch.after)) for ch in c.changes} for c in m.components_with("changed")}
    assert changes["k8s"] == {("zone", "cloud", "on_prem")}
    # moved from the cluster to the VM: its host and where it sits; a guest of a VM keeps the Kubernetes catalog
    assert changes["api"] == {("runs_on", "k8s", "vm1"), ("zone", "cloud", "on_prem")}
    assert changes["db"] == {("zone", "cloud", "dmz")}
    assert changes["spa"] == {("platform", "web", "mobile")}
    assert changes["fw"] == {("protects", ("api",), ("api", "db"))}
    (flow,) = m.flows_with("changed")
    assert [(c.field, c.before, c.after) for c in flow.changes] == [
        ("protocol", "postgres", "tds"), ("tls", None, True), ("auth", None, "iam"), ("async", False, True), ("rps", None, 40.0)
    ]
    assert [f.text for f in m.flows_with("unchanged")] == ["spa -> api: JSON/HTTPS"]
    fields = {(c.field, _plain(c.before), _plain(c.after)) for c in m.fields}
    assert ("zones.dmz.trusted", True, False) in fields
    assert ("zones.lab", None, (("description", None), ("title", None), ("trusted", False))) in fields


def test_writing_a_default_zone_or_the_protocol_a_label_names_is_no_change():
    d = _pair(
        "components:\n  u: {kind: actor}\n  a: {kind: container_service}\nflows:\n  - u -> a: https\n",
        "components:\n  u: {kind: actor, zone: internet}\n  a: {kind: container_service, zone: cloud}\n"
        "flows:\n  - {from: u, to: a, label: https, protocol: https}\n",
    )
    assert d.models[0].status == "unchanged"


def _plain(value):
    if isinstance(value, list):
        return tuple(value)
    if isinstance(value, dict):
        return tuple(sorted(value.items()))
    return value


# ---------------------------------------------------------------------------
# --plan: the Drift section (the models against a Terraform plan, as `archgen verify`)

#: A for_each key of the plan: a pipe, a mention, a link, raw HTML; never markup in the comment
HOSTILE_KEY = "<img src=x onerror=alert(1)>|@octocat [a](https://evil.example) **b**"


def _plan(tmp_path: Path) -> Path:
    """A `terraform show -json` plan written by hand: the shop's database, public, and a bucket no component claims."""
    db = {"address": "aws_db_instance.orders", "mode": "managed", "type": "aws_db_instance", "name": "orders",
          "provider_name": "registry.terraform.io/hashicorp/aws",
          "values": {"engine": "postgres", "publicly_accessible": True, "storage_encrypted": True, "multi_az": True,
                     "tags": {"archgen:component": "db"}}}
    bucket = {"address": f"aws_s3_bucket.extra[{json.dumps(HOSTILE_KEY)}]", "mode": "managed", "type": "aws_s3_bucket",
              "name": "extra", "index": HOSTILE_KEY, "provider_name": "registry.terraform.io/hashicorp/aws",
              "values": {"bucket": "<script>x</script>", "tags": {}}}
    plan = {"format_version": "1.2", "terraform_version": "1.9.0",
            "planned_values": {"root_module": {"resources": [db, bucket]}}}
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan), encoding="utf-8")
    return path


def test_plan_gives_the_comment_a_drift_section_new_and_resolved(tmp_path, capsys, in_case):
    in_case("basic")
    plan = _plan(tmp_path)
    code, out, err = cli(capsys, "diff", "before", "after", "--plan", str(plan), "--format", "json")
    assert code == 0, err
    drift = json.loads(out)["drift"]
    assert drift["inputs"] == [str(plan)]
    resolved = {(f["rule"], f.get("component")) for f in drift["resolved"]}
    assert ("DRIFT-PUBLIC-DATABASE", "db") in resolved  # head models the database as public: true
    still = [f for f in drift["unchanged"] if f["rule"] == "DRIFT-UNMODELLED"]
    assert [f["resource"] for f in still] == [f"aws_s3_bucket.extra[{json.dumps(HOSTILE_KEY)}]"]
    assert not {(f["rule"], f.get("component")) for f in drift["new"]} & resolved
    code, text, _ = cli(capsys, "diff", "before", "after", "--plan", str(plan), "--format", "markdown")
    section = text.split("#### Drift", 1)[1].split("####", 1)[0]
    counts = (len(drift["new"]), len(drift["resolved"]), len(drift["unchanged"]))
    assert f"{counts[0]} new since the base models, {counts[1]} resolved, {counts[2]} still there." in section
    assert "`DRIFT-PUBLIC-DATABASE` | db | aws\\_db\\_instance.orders |" in section.split("**Resolved**", 1)[1]
    # the resource's key is text: no tag, no extra cell, no mention, no link
    assert not re.findall(r"<\s*/?\s*[a-zA-Z][^>]*>", section)
    html = _render_html(section)
    assert not html.tags & {"script", "img", "a", "em"} and "<strong>b</strong>" not in html.html, html.tags
    assert all(len(set(t)) == 1 for t in html.tables) and html.tables
    # no mention, on standard output (what the Action posts) and in diff.md of -o: the
    # zero-width space after "@" survives the terminal filter
    assert "@octocat" not in section and "@\u200boctocat" in section
    cli(capsys, "diff", "before", "after", "--plan", str(plan), "-o", str(tmp_path / "out"))
    written = (tmp_path / "out" / "diff.md").read_text(encoding="utf-8").split("#### Drift", 1)[1]
    assert "@octocat" not in written and "@\u200boctocat" in written
    # without --plan: no section, the same comment as before
    _, plain, _ = cli(capsys, "diff", "before", "after", "--format", "markdown")
    assert "Drift" not in plain and "drift" not in json.loads(cli(capsys, "diff", "before", "after", "--format", "json")[1])


def test_an_unreadable_plan_stops_the_diff_with_exit_2(tmp_path, capsys, in_case):
    in_case("basic")
    bad = tmp_path / "plan.json"
    bad.write_text('{"kind": "Deployment"}')
    code, out, err = cli(capsys, "diff", "before", "after", "--plan", str(bad))
    assert code == 2 and out == "" and err.startswith(f"{bad}:"), err
