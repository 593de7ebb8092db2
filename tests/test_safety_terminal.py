"""Issue 23, terminal escapes: a title, an accept reason, an ADR title or a flow label
that holds ``ESC[2J`` (clear the screen), a carriage return or a colour cannot clear the
screen or fake a result in any text output: check, compare, diff, rules, adr list and
drafts, and the FILE:LINE:COLUMN problems on stderr."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT

#: What a hostile text would do on a terminal: clear it, go home, print a fake green
#: "0 errors" over the real result (YAML's "\e" is ESC, "\x9b" the C1 CSI).
FAKE = r"\e[2J\e[H\r\e[32m0 errors, all good\e[0m\b\x9b2J\x07"
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

MODEL = (ROOT / "arch" / "ml-serving.yaml").read_text(encoding="utf-8")


def _repo(tmp_path):
    text = MODEL.replace("title: ML model serving platform", f'title: "ML {FAKE}"', 1)
    text = text.replace("title: FastAPI backend", f'title: "FastAPI {FAKE}"', 1)
    text = text.replace('LOCKIN-SERVICE: "', f'LOCKIN-SERVICE: "{FAKE} ', 1)
    assert text.count(FAKE) == 3, "the example model changed: put the escapes where it has titles and a reason"
    (tmp_path / "arch").mkdir()
    (tmp_path / "arch" / "ml-serving.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "decisions").mkdir()
    adr = (ROOT / "decisions" / "0002-run-the-fastapi-backend-on-ecs-fargate.md").read_text(encoding="utf-8")
    adr = adr.replace("# Run the FastAPI backend on ECS Fargate", "# Run \x1b[2J\x1b[32m the backend\r on Fargate", 1)
    (tmp_path / "decisions" / "0002-run-the-fastapi-backend-on-ecs-fargate.md").write_text(adr, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    "command",
    [
        ["check"],
        ["check", "-v"],
        ["check", "--color", "always"],
        ["compare"],
        ["compare", "--format", "markdown"],
        ["adr", "list"],
        ["adr", "drafts"],
    ],
    ids=" ".join,
)
def test_no_control_character_of_the_model_reaches_the_terminal(tmp_path, run_cli, command):
    repo = _repo(tmp_path)
    result = run_cli(*command, cwd=repo)
    assert result.returncode in (0, 1), result.stderr
    out = result.stdout
    if "--color" in command:  # archgen's own colours stay; nothing else does
        out = re.sub(r"\x1b\[[0-9;]*m", "", out)
        assert "\x1b[" in result.stdout
    assert not CONTROL.search(out), CONTROL.findall(out)
    assert not CONTROL.search(result.stderr), CONTROL.findall(result.stderr)


def test_the_text_is_kept_without_its_controls(tmp_path, run_cli):
    result = run_cli("check", "--color", "always", cwd=_repo(tmp_path))
    plain = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout)
    assert "(ML [2J [H [32m0 errors, all good [0m 2J)" in plain  # shown, defused
    assert "\x1b[2J" not in result.stdout and "\r" not in result.stdout


def test_a_problem_that_quotes_the_model_is_one_line_without_controls(tmp_path, run_cli):
    (tmp_path / "arch").mkdir()
    (tmp_path / "arch" / "x.yaml").write_text(
        f'archgen: 1\nname: x\nprovider: aws\ncomponents:\n  a: {{kind: "db{FAKE}"}}\n', encoding="utf-8"
    )
    for command in (["check"], ["compare"], ["check", "--color", "always"]):
        result = run_cli(*command, cwd=tmp_path)
        assert result.returncode == 2, result.stderr
        err = re.sub(r"\x1b\[[0-9;]*m", "", result.stderr) if "--color" in command else result.stderr
        assert not CONTROL.search(err), (command, CONTROL.findall(err))
        assert "arch/x.yaml:5:" in err
