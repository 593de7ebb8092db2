"""The format registry: every command's --format comes from it, and every renderer it
names exists and renders its output."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from archgen.cli import build_parser
from archgen.rendering import formats

COMMANDS = Path(__file__).resolve().parent.parent / "src" / "archgen" / "commands"


def _format_actions(parser):
    """(command path, its --format action) for every (sub)command that has one."""
    import argparse

    found = []

    def walk(p, path):
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, (*path, name))
            elif "--format" in action.option_strings:
                found.append((path, action))

    walk(parser, ())
    return found


def test_every_format_option_offers_the_registry_formats():
    actions = _format_actions(build_parser())
    assert {p for p, _ in actions} >= {("check",), ("compare",), ("diff",), ("rules",), ("adr", "list"), ("adr", "drafts"), ("diagram",)}
    registry = {tuple(f.name for f in fs) for fs in formats.OUTPUTS.values()}
    for path, action in actions:
        if action.choices is None:  # diagram: a comma list, checked against the registry at run time
            continue
        assert tuple(action.choices) in registry, path
        assert action.default == tuple(action.choices)[0], path


def test_no_command_keeps_a_literal_list_of_formats():
    literal = []
    for path in sorted(COMMANDS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "choices" and isinstance(node.value, (ast.Tuple, ast.List)):
                values = {getattr(e, "value", None) for e in node.value.elts}
                if values & {"text", "json", "markdown", "sarif", "svg"}:
                    literal.append(f"{path.name}:{node.lineno}")
    assert literal == []


@pytest.mark.parametrize(
    ("output", "fmt"),
    [(o, f.name) for o, fs in formats.OUTPUTS.items() for f in fs if f.renderer],
)
def test_every_renderer_is_importable(output, fmt):
    assert callable(formats.get(output, fmt).load())


def test_unknown_formats_are_refused_with_the_choices():
    with pytest.raises(LookupError, match="text, json, sarif"):
        formats.get("findings", "xml")
    with pytest.raises(LookupError):
        formats.get("diagram", "svg").load()


def test_render_passes_only_the_options_a_format_takes():
    from archgen.rendering.report import check_models
    from archgen.sources.loader import load_model
    from conftest import EXAMPLE

    example = load_model(EXAMPLE)
    results = check_models([example])
    as_json = formats.render("findings", "json", results, site_url="https://example.com")
    assert json.loads(as_json)["models"][0]["name"] == example.name
    sarif = json.loads(formats.render("findings", "sarif", results, site_url="https://docs.example.com/arch"))
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert all(r["helpUri"].startswith("https://docs.example.com/arch") for r in rules)


def test_the_registry_is_light():
    import subprocess
    import sys

    code = (
        "import sys; import archgen.rendering.formats, archgen.cli as c; c.build_parser(); "
        "print(','.join(m for m in ('pydantic', 'yaml', 'jinja2', 'networkx', 'archgen.catalog') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
