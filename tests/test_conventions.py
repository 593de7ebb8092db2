"""Command-line conventions users bring from other tools: -V, global -q/-v, colour that
honours NO_COLOR and FORCE_COLOR, shell completion, and findings as compilers print them."""

from __future__ import annotations

import os
import pty
import re
import select
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from archgen import __version__
from archgen.rendering.style import color_enabled

#: What editors' quickfix (Vim's default errorformat, Emacs' compilation mode) and CI
#: problem matchers read: FILE:LINE:COLUMN: severity: RULE message
FINDING = re.compile(r"^(?P<file>[^\s:][^:]*):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning|info|note): (?P<rule>[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+) (?P<msg>.+)$")
ANSI = "\x1b["


def require(present: bool, reason: str) -> None:
    """Skip when a tool scripts/setup.sh installs is missing, but fail under CI."""
    if not present:
        (pytest.fail if os.environ.get("CI") else pytest.skip)(reason + (" and CI is set" if os.environ.get("CI") else ""))


def run(*args: str, env: dict | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "CI")}
    full.update({"PYTHONPATH": str(ROOT / "src"), "NO_MKDOCS_2_WARNING": "1", **(env or {})})
    return subprocess.run([sys.executable, "-m", "archgen", *args], cwd=cwd, capture_output=True, text=True, timeout=120, env=full)


def run_in_terminal(*args: str, env: dict | None = None) -> str:
    """Run archgen with its stdout on a pseudo-terminal, as in an interactive shell."""
    full = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "CI")}
    full.update({"PYTHONPATH": str(ROOT / "src"), "TERM": "xterm-256color", **(env or {})})
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "archgen", *args], cwd=ROOT, stdout=follower, stderr=subprocess.DEVNULL, env=full)
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            data = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def test_version_short_and_long() -> None:
    for flag in ("-V", "--version"):
        result = run(flag)
        assert result.returncode == 0
        assert result.stdout.strip() == f"archgen {__version__}"


def test_findings_are_compiler_style_lines() -> None:
    result = run("check")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    found = [m for m in map(FINDING.match, lines) if m]
    assert len(found) == 5  # the example: two warnings and three accepted findings
    assert sorted(m["sev"] for m in found) == ["note", "note", "note", "warning", "warning"]
    model = (ROOT / "arch" / "ml-serving.yaml").read_text(encoding="utf-8").splitlines()
    for m in found:
        assert m["file"] == "arch/ml-serving.yaml"
        assert 1 <= int(m["line"]) <= len(model) and int(m["col"]) >= 1
    waf = next(m for m in found if m["rule"] == "SEC-NO-WAF")
    # the column points at the component's key in the YAML
    assert model[int(waf["line"]) - 1][int(waf["col"]) - 1 :].startswith("lb:")
    # every other line is indented or a header/summary, never mistaken for a finding
    for line in lines:
        if not FINDING.match(line):
            assert line == "" or line.startswith("  ") or not re.match(r"^\S+:\d+:\d+: ", line)


def test_quiet_and_verbose_are_global_and_per_command() -> None:
    normal = run("check").stdout
    quiet_before = run("-q", "check").stdout
    quiet_after = run("check", "--quiet").stdout
    assert quiet_before == quiet_after
    assert quiet_before.splitlines() and all(FINDING.match(line) for line in quiet_before.splitlines())
    assert len(quiet_before.splitlines()) == 2  # the two warnings; no headers, fixes, accepted findings or summary
    verbose = run("check", "-v").stdout
    assert run("-v", "check").stdout == verbose
    assert len(verbose) > len(normal) > len(quiet_before)
    assert "archgen rules --explain SEC-NO-WAF" in verbose
    assert "error: " not in run("-q", "build", "--help").stderr


def test_colour_follows_no_color_and_force_color() -> None:
    plain = run("check")
    assert ANSI not in plain.stdout  # a pipe: no colour by default
    forced = run("check", env={"FORCE_COLOR": "1"})
    assert ANSI in forced.stdout
    assert re.sub(r"\x1b\[[0-9;]*m", "", forced.stdout) == plain.stdout  # colour only, same text
    assert ANSI not in run("check", env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout
    assert ANSI not in run("check", env={"FORCE_COLOR": "0"}).stdout
    assert ANSI in run("--color", "always", "check").stdout
    assert ANSI not in run("check", "--color", "never", env={"FORCE_COLOR": "1"}).stdout


def test_colour_on_a_terminal_unless_no_color() -> None:
    tty = run_in_terminal("check")
    assert "warning:" in tty and ANSI in tty
    no_color = run_in_terminal("check", env={"NO_COLOR": "1"})
    assert "warning:" in no_color and ANSI not in no_color
    assert ANSI not in run_in_terminal("check", env={"TERM": "dumb"})


def test_color_enabled_rules() -> None:
    class Tty:
        def isatty(self) -> bool:
            return True

    class Pipe:
        def isatty(self) -> bool:
            return False

    assert color_enabled(Tty(), environ={}) and not color_enabled(Pipe(), environ={})
    assert not color_enabled(Tty(), environ={"NO_COLOR": "1"})
    assert color_enabled(Tty(), environ={"NO_COLOR": ""})  # empty means unset (no-color.org)
    assert color_enabled(Pipe(), environ={"FORCE_COLOR": "1"}) and color_enabled(Pipe(), environ={"FORCE_COLOR": "yes"})
    assert not color_enabled(Pipe(), environ={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert not color_enabled(Tty(), environ={"TERM": "dumb"})
    assert color_enabled(Pipe(), "always", environ={"NO_COLOR": "1"}) and not color_enabled(Tty(), "never", environ={})


def test_model_problems_stay_file_line_column_with_colour(tmp_path) -> None:
    (tmp_path / "arch").mkdir()
    (tmp_path / "arch" / "m.yaml").write_text("archgen: 1\nname: m\nprovider: aws\ncomponents:\n  a: {kind: cash}\n")
    result = run("check", cwd=tmp_path, env={"FORCE_COLOR": "1"})
    assert result.returncode == 2
    assert re.sub(r"\x1b\[[0-9;]*m", "", result.stderr).startswith("arch/m.yaml:5:13: unknown kind 'cash'")


# -- completion ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def scripts(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("completion")
    out = {}
    for shell, name in (("bash", "archgen.bash"), ("zsh", "_archgen"), ("fish", "archgen.fish")):
        result = run("completion", shell)
        assert result.returncode == 0, result.stderr
        (folder / name).write_text(result.stdout, encoding="utf-8")
        out[shell] = folder / name
    return out


BASH_COMPLETE = r"""
source "$1"; shift
COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()
_archgen
printf '%s\n' "${COMPREPLY[@]}"
"""


def bash_complete(script: Path, *words: str) -> list[str]:
    result = subprocess.run(["bash", "-c", BASH_COMPLETE, "bash", str(script), *words], capture_output=True, text=True, timeout=30, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return sorted(result.stdout.split())


def test_bash_completion(scripts) -> None:
    assert subprocess.run(["bash", "-n", str(scripts["bash"])], capture_output=True, timeout=30).returncode == 0
    assert bash_complete(scripts["bash"], "archgen", "ch") == ["check"]
    assert bash_complete(scripts["bash"], "archgen", "-q", "--color", "never", "ch") == ["check"]
    assert "completion" in bash_complete(scripts["bash"], "archgen", "")
    assert bash_complete(scripts["bash"], "archgen", "check", "--format", "") == ["json", "sarif", "text"]
    assert bash_complete(scripts["bash"], "archgen", "check", "--fa") == ["--fail-on"]
    assert bash_complete(scripts["bash"], "archgen", "adr", "st") == ["status"]
    assert bash_complete(scripts["bash"], "archgen", "completion", "") == ["bash", "fish", "zsh"]
    assert bash_complete(scripts["bash"], "archgen", "check", "ar") == ["arch"]  # paths: file names
    # the check can fail: an unknown command offers nothing
    assert bash_complete(scripts["bash"], "archgen", "zz") == []


def test_fish_completion(scripts) -> None:
    require(bool(shutil.which("fish")), "fish is not installed (scripts/setup.sh installs it)")
    assert subprocess.run(["fish", "-n", str(scripts["fish"])], capture_output=True, timeout=30).returncode == 0

    def complete(line: str) -> list[str]:
        cmd = f"source {scripts['fish']}; complete -C '{line}'"
        out = subprocess.run(["fish", "--no-config", "-c", cmd], capture_output=True, text=True, timeout=30, cwd=ROOT).stdout
        return sorted(row.split("\t")[0] for row in out.splitlines())

    assert complete("archgen ch") == ["check"]
    assert complete("archgen check --format ") == ["json", "sarif", "text"]
    assert complete("archgen completion ") == ["bash", "fish", "zsh"]


ZSH_COMPLETE = r"""
zmodload zsh/zpty
zpty z 'zsh -f -i'
zpty -w z "PS1='> '; fpath=($1 \$fpath); autoload -U compinit; compinit -u -D; print compinit-do''ne"
zpty -r -m z out '*compinit-done*' || exit 3
zpty -w -n z $'archgen ch\t'
zpty -r -m z out '*check*' || exit 4
zpty -w -n z $'\C-u'
zpty -w -n z $'archgen check --format \t'
zpty -r -m z out '*sarif*' || exit 5
zpty -d z
print all-completed
"""


def test_zsh_completion(scripts) -> None:
    require(bool(shutil.which("zsh")), "zsh is not installed (scripts/setup.sh installs it)")
    """zsh -n, then a real interactive zsh (on a pseudo-terminal, zsh/zpty) completes with it."""
    assert subprocess.run(["zsh", "-n", str(scripts["zsh"])], capture_output=True, timeout=30).returncode == 0
    try:
        result = subprocess.run(["zsh", "-f", "-c", ZSH_COMPLETE, "zsh", str(scripts["zsh"].parent)], capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("zsh did not offer the completions (it waited for them in vain)")
    assert result.stdout.strip() == "all-completed", result.stdout + result.stderr
