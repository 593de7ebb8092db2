"""docs/security.md names, for each promise, the tests that hold it: every
``tests/FILE.py::NAME`` it names must be a test that FILE defines (a module-level
function, or a method of a class; ``FILE.py::Class::method`` names one method), so a
renamed or deleted test cannot leave a promise held by nothing."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

from conftest import ROOT

DOC = ROOT / "docs" / "security.md"
#: A test named in the page: `tests/test_x.py::test_name` or `tests/test_x.py::Class::test_name`.
NODE = re.compile(r"`(tests/[\w/]+\.py)::(\w+)(?:::(\w+))?`")


def _section(title: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def risk_rows() -> list[list[str]]:
    """The rows of the table of 'Risks and how they are handled', as lists of cells."""
    rows: list[list[str]] = []
    for line in _section("Risks and how they are handled").splitlines():
        if rows and not line.startswith("|"):
            break  # the first table of the section is the one
        if line.startswith("|") and not re.match(r"^\|[-| ]+\|$", line):
            # a cell never holds a pipe of its own: split on the pipes outside code spans
            cells = re.findall(r"((?:`[^`]*`|[^|`])+)", line.strip().strip("|"))
            rows.append([c.strip() for c in cells])
    return rows[1:]  # the header


@cache
def defined(file: Path) -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
    """The module-level functions of a test file, and its (class, method) pairs."""
    tree = ast.parse(file.read_text(encoding="utf-8"), str(file))
    functions, methods = set(), set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            functions.add(node.name)
        elif isinstance(node, ast.ClassDef):
            methods |= {(node.name, m.name) for m in node.body if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef))}
    return frozenset(functions), frozenset(methods)


def missing(names: list[tuple[str, str, str]], root: Path = ROOT) -> list[str]:
    """Each named test that its file (below ``root``) does not define, as the page wrote it."""
    out = []
    for path, first, second in names:
        shown = f"{path}::{first}" + (f"::{second}" if second else "")
        if not (root / path).is_file():
            out.append(f"{shown} (no such file)")
            continue
        functions, methods = defined(root / path)
        if second:
            found = (first, second) in methods
        else:
            found = first in functions or any(name == first for _cls, name in methods)
        if not found or not (second or first).startswith("test"):
            out.append(shown)
    return out


def test_every_test_the_page_names_exists():
    names = NODE.findall(DOC.read_text(encoding="utf-8"))
    assert len(names) > 60, "the page names the tests that hold its promises"
    gone = missing(names)
    assert not gone, "docs/security.md names tests that do not exist:\n" + "\n".join(gone)


def test_every_risk_is_held_by_tests_named_in_full():
    rows = risk_rows()
    assert len(rows) >= 25
    for risk, handling, held_by in rows:
        assert NODE.search(held_by), f"no test holds: {risk[:80]}"
        # every name in full: no `...` abbreviations, no bare test_name without its file
        rest = NODE.sub("", held_by)
        assert not re.search(r"\.\.\.|`test_\w+`|`tests/[^`]*`", rest), (risk[:60], rest)
        assert handling


def test_a_name_the_file_does_not_define_is_reported(tmp_path):
    """The check itself can fail: a misspelt name, a name of another file, a method under
    the wrong class, a helper that is no test, a file that does not exist."""
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_k.py").write_text(
        "def test_f():\n    pass\n\ndef helper():\n    pass\n\nclass TestK:\n    def test_m(self):\n        pass\n",
        encoding="utf-8",
    )
    named = NODE.findall(
        "`tests/test_k.py::test_f` `tests/test_k.py::TestK::test_m` `tests/test_k.py::test_m` "
        "`tests/test_k.py::test_g` `tests/test_k.py::Other::test_m` `tests/test_k.py::helper` "
        "`tests/test_j.py::test_f`"
    )
    assert len(named) == 7
    assert missing(named, tmp_path) == [
        "tests/test_k.py::test_g",
        "tests/test_k.py::Other::test_m",
        "tests/test_k.py::helper",
        "tests/test_j.py::test_f (no such file)",
    ]
