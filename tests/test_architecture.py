"""The house keeps its shape: import directions from ARCHITECTURE.md, no rule importing
another rule, and no kind or provider names kept as lists in code (they are catalog data)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from archgen.catalog.vocabulary import KINDS, PROVIDERS

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "archgen"
TOP_MODULES = {"errors", "findings", "writer", "model", "cli", "__main__", "__init__"}


def _package(module: str) -> str:
    """'archgen.graph.facts' -> 'graph'; 'archgen.model' -> 'model'; 'archgen' -> 'archgen'."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "archgen"


def _modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC.parent).with_suffix("")
        out.append((".".join(rel.parts).removesuffix(".__init__"), path))
    return out


def _imports(path: Path) -> list[tuple[str, int]]:
    """Every archgen module a file imports, at the top or inside a function."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "archgen":
            if node.module == "archgen":
                found += [(f"archgen.{a.name}", node.lineno) for a in node.names]
            else:
                found += [(f"{node.module}.{a.name}", node.lineno) for a in node.names]
        elif isinstance(node, ast.Import):
            found += [(a.name, node.lineno) for a in node.names if a.name.split(".")[0] == "archgen"]
    return found


def _allowed() -> dict[str, set[str]]:
    """The 'may import' column of ARCHITECTURE.md's package table."""
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    table: dict[str, set[str]] = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[0].startswith("`"):
            continue
        packages = re.findall(r"`([a-z_]+)`", cells[0])
        may = cells[2]
        if may.startswith("everything"):
            names = {"*"}
        else:
            names = set(re.findall(r"`([a-z_]+)`", may))
        for p in packages:
            table[p] = names
    return table


ALLOWED = _allowed()


def test_architecture_table_names_every_package() -> None:
    packages = {_package(m) for m, _ in _modules()} - {"archgen", "__main__", "__init__"}
    assert packages <= set(ALLOWED) | {"__version__"}, sorted(packages - set(ALLOWED))
    assert {"catalog", "model", "sources", "graph", "rules", "generators", "rendering", "site"} <= set(ALLOWED)


def _violations() -> list[str]:
    bad = []
    for module, path in _modules():
        own = _package(module)
        if own in ("archgen", "__main__"):
            continue
        may = ALLOWED[own]
        for target, line in _imports(path):
            other = _package(target)
            if other in (own, "__version__") or "*" in may:
                continue
            if own == "site" and other not in ("commands", "cli"):
                continue  # "everything below commands"
            if own == "rules" and other == "generators":
                if target.split(".")[2] in ("cost", "compare"):
                    continue
            if other not in may:
                bad.append(f"{path.relative_to(ROOT)}:{line}: {own} imports {target}")
    return bad


def test_imports_follow_the_directions_architecture_md_states() -> None:
    assert _violations() == []


def test_the_import_check_catches_a_wrong_direction(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check above is not vacuous: a graph module importing a rule is reported."""
    fake = SRC / "graph" / "_wrong_direction_probe.py"
    fake.write_text("def f():\n    from archgen.rules import run_rules\n", encoding="utf-8")
    try:
        assert any("_wrong_direction_probe" in v for v in _violations())
    finally:
        fake.unlink()


def test_no_rule_module_imports_another_rule_module() -> None:
    shared = {"archgen.rules", "archgen.rules._base", "archgen.rules._registry"}
    bad = []
    for module, path in _modules():
        if not module.startswith("archgen.rules."):
            continue
        for target, line in _imports(path):
            parent = target.rpartition(".")[0]
            if target.startswith("archgen.rules.") and parent not in shared and target not in shared:
                bad.append(f"{path.name}:{line} imports {target}")
            elif parent == "archgen.rules" and target.rpartition(".")[2] not in ("run_rules", "rule_ids", "all_rules", "get_rule", "Rule", "Hit", "RuleContext"):
                bad.append(f"{path.name}:{line} imports {target}")
    assert bad == []


def test_only_the_graph_imports_networkx_and_only_draw_imports_diagrams() -> None:
    for module, path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for n in names:
                top = n.split(".")[0]
                if top == "networkx":
                    assert module == "archgen.graph", f"{module} imports networkx"
                if top == "diagrams":
                    assert module == "archgen.generators.draw", f"{module} imports diagrams"


def _literal_strings(node: ast.AST) -> list[str]:
    return [e.value for e in getattr(node, "elts", []) if isinstance(e, ast.Constant) and isinstance(e.value, str)]


def test_no_list_of_kind_names_in_code() -> None:
    """What a kind is lives in catalog/data/kinds.yaml (traits), never in a set in code."""
    kinds = set(KINDS)
    bad = []
    for module, path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.Set, ast.Tuple, ast.List)):
                named = [s for s in _literal_strings(node) if s in kinds]
                if len(named) >= 2:
                    bad.append(f"{path.relative_to(ROOT)}:{node.lineno}: {named}")
    assert bad == []


def test_no_comparison_with_a_provider_name_in_code() -> None:
    """Whether a provider is self-hosted is catalog data (catalog.self_hosted(provider))."""
    bad = []
    for module, path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Compare):
                sides = [node.left, *node.comparators]
                # `platform == "kubernetes"` compares a platform class, not a provider
                about_provider = any("provider" in ast.unparse(s) for s in sides)
                for side in sides:
                    if about_provider and isinstance(side, ast.Constant) and side.value in PROVIDERS:
                        bad.append(f"{path.relative_to(ROOT)}:{node.lineno}: compares with {side.value!r}")
    assert bad == []
