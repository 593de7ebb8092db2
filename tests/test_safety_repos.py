"""Issue 23, repositories with several models or ADRs of their own: ADR component
references are checked against every model, ``adr new`` writes ``model/ID`` where an
id is ambiguous, and ``init`` in an existing repository writes no example ADR and never
reuses a number."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import ROOT

MODEL = (ROOT / "arch" / "ml-serving.yaml").read_text(encoding="utf-8")
OURS = "---\nstatus: accepted\ndate: 2026-01-01\n---\n\n# Our own decision\n"


def _two_models(tmp_path: Path) -> Path:
    """ml-serving, and ``other``: the same system but ``api`` is called ``backend``
    (so ``model`` is in both, ``api`` in one, ``backend`` in the other)."""
    (tmp_path / "arch").mkdir()
    (tmp_path / "arch" / "ml-serving.yaml").write_text(MODEL, encoding="utf-8")
    other = MODEL.replace("name: ml-serving", "name: other", 1)
    other = re.sub(r"\bapi\b(?=[: ]|$)", "backend", other, flags=re.M)
    (tmp_path / "arch" / "other.yaml").write_text(other, encoding="utf-8")
    (tmp_path / "decisions").mkdir()
    return tmp_path


def _components(path: Path) -> str:
    return re.search(r"^components: (.*)$", path.read_text(encoding="utf-8"), re.M).group(1)


def _findings(run_cli, repo: Path, rule: str) -> list[dict]:
    result = run_cli("check", "--format", "json", cwd=repo)
    assert result.returncode in (0, 1), result.stderr
    return [f for m in json.loads(result.stdout)["models"] for f in m["findings"] if f["rule"] == rule]


def test_an_id_two_models_have_is_written_qualified_for_each_model(tmp_path, run_cli):
    # a bare id of several models was written bare, and the check then read it against the other models
    repo = _two_models(tmp_path)
    bare = run_cli("adr", "new", "Scale the model", "--component", "model", "--component", "api", "--date", "2026-12-01", cwd=repo)
    assert bare.returncode == 0, bare.stderr
    assert "lists ml-serving/model, other/model" in bare.stderr
    path = next((repo / "decisions").glob("0001-*.md"))
    assert _components(path) == "[api, ml-serving/model, other/model]"  # api is in one model: bare
    one = run_cli("adr", "new", "Scale it", "--component", "other/model", "--date", "2026-12-01", cwd=repo)
    assert one.returncode == 0 and one.stderr == "", one.stderr
    assert _components(next((repo / "decisions").glob("0002-*.md"))) == "[other/model]"
    # archgen's own check accepts what adr new wrote, in both models
    assert _findings(run_cli, repo, "MODEL-ADR-COMPONENT") == []
    check = run_cli("check", "--format", "json", cwd=repo)
    located = [f for m in json.loads(check.stdout)["models"] for f in m["findings"] if "0001-" in json.dumps(f)]
    assert [f for f in located if f["rule"].startswith("MODEL-ADR")] == [], located


def test_a_draft_of_one_model_is_adopted_with_that_models_components(tmp_path, run_cli):
    repo = _two_models(tmp_path)
    result = run_cli("adr", "new", "--from-draft", "other/model-lock-in", "--date", "2026-12-01", cwd=repo)
    assert result.returncode == 0, result.stderr
    path = next((repo / "decisions").glob("0001-*.md"))
    assert _components(path) == "[other/model]"  # a bare 'model' would name ml-serving's, the first by name
    assert _findings(run_cli, repo, "MODEL-ADR-COMPONENT") == []
    # the draft counts as adopted for its own model only
    drafts = run_cli("adr", "drafts", "--format", "json", cwd=repo)
    assert drafts.returncode == 0, drafts.stderr


def test_component_references_are_checked_against_every_model(tmp_path, run_cli):
    repo = _two_models(tmp_path)
    (repo / "decisions" / "0001-refs.md").write_text(
        "---\nstatus: accepted\ndate: 2026-12-01\ncomponents: [api, backend, other/model, other/ghost, nowhere]\n---\n\n# Refs\n",
        encoding="utf-8",
    )
    found = _findings(run_cli, repo, "MODEL-ADR-COMPONENT")
    assert sorted(f["message"].split("lists component ")[1].split(",")[0] for f in found) == ["'nowhere'", "'other/ghost'"]


def test_init_in_a_repository_with_adrs_writes_no_adr_and_reuses_no_number(tmp_path, run_cli):
    (tmp_path / "decisions").mkdir()
    (tmp_path / "decisions" / "0002-ours.md").write_text(OURS, encoding="utf-8")
    result = run_cli("init", str(tmp_path), "--date", "2026-12-01")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "decisions").iterdir()) == ["0002-ours.md"]
    assert (tmp_path / "decisions" / "0002-ours.md").read_text(encoding="utf-8") == OURS
    # the example model it writes points at none of the team's ADRs
    assert "ADR-0002" not in re.sub(r"(?m)^\s*#.*$", "", (tmp_path / "arch" / "ml-serving.yaml").read_text(encoding="utf-8")).split("accept:")[0]
    check = run_cli("check", cwd=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "MODEL-ADR" not in check.stdout


def test_init_in_a_repository_with_models_writes_only_the_first_adr(tmp_path, run_cli):
    (tmp_path / "arch").mkdir()
    (tmp_path / "arch" / "ours.yaml").write_text(MODEL.replace("name: ml-serving", "name: ours", 1), encoding="utf-8")
    result = run_cli("init", str(tmp_path), "--date", "2026-12-01")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "decisions").iterdir()) == ["0001-record-architecture-decisions.md"]
    assert sorted(p.name for p in (tmp_path / "arch").iterdir()) == ["ours.yaml"]
    nxt = run_cli("adr", "new", "Next", "--date", "2026-12-01", cwd=tmp_path)
    assert nxt.returncode == 0 and "ADR-0002" in nxt.stdout, nxt.stderr


def test_init_dot_in_a_git_repository_with_adrs_writes_none_and_the_next_number_follows_them(tmp_path, run_cli):
    # `archgen init .` wrote the example's 0002-0004 beside the team's own 0001-0003
    import subprocess

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "decisions").mkdir()
    ours = {f"000{n}-ours-{n}.md": OURS.replace("# Our own decision", f"# Our decision {n}") for n in (1, 2, 3)}
    for name, text in ours.items():
        (tmp_path / "decisions" / name).write_text(text, encoding="utf-8")
    result = run_cli("init", ".", "--date", "2026-12-01", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "decisions").iterdir()} == ours
    assert ".archgen/" in (tmp_path / ".gitignore").read_text(encoding="utf-8").splitlines()
    nxt = run_cli("adr", "new", "Next", "--date", "2026-12-01", cwd=tmp_path)
    assert nxt.returncode == 0 and "ADR-0004" in nxt.stdout, nxt.stdout + nxt.stderr
    assert sorted(p.name[:4] for p in (tmp_path / "decisions").iterdir()) == ["0001", "0002", "0003", "0004"]
