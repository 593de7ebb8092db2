"""`archgen import terraform`: a draft model from Terraform written the way teams write it
(hand-written configurations in the style of community modules, under
tests/data/tf-handwritten/), that archgen itself then reads, with a comment on every guess,
the same bytes on every run, and a FILE error with exit 2 for input it cannot read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

CONFIGS = ROOT / "tests" / "data" / "tf-handwritten"
#: configuration -> (kinds a reader expects in its draft, a flow that must be found)
EXPECTED = {
    "ecs-web": ({"load_balancer", "container_service", "postgres", "object_storage", "dns"}, ("api", "db")),
    "serverless-api": ({"function", "api_gateway", "nosql", "queue"}, None),
    "eks-platform": ({"kubernetes_cluster", "postgres", "object_storage"}, None),
}


def _import(run_cli, config: str, repo: Path, *extra: str):
    out = repo / "arch" / f"{config}.yaml"
    return run_cli("import", "terraform", str(CONFIGS / config), "-o", str(out), *extra), out


@pytest.mark.parametrize("config", sorted(EXPECTED))
def test_a_hand_written_configuration_becomes_a_model_archgen_reads(run_cli, tmp_path, config):
    result, out = _import(run_cli, config, tmp_path)
    assert result.returncode == 0, result.stderr
    text = out.read_text()
    data = yaml.safe_load(text)
    kinds = {c["kind"] for c in data["components"].values()}
    wanted, flow = EXPECTED[config]
    assert wanted <= kinds, (wanted - kinds, text)
    if flow is not None:
        assert any((f["from"], f["to"]) == flow for f in data["flows"]), text
    # every component that was guessed from resources says so, in the line above it
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("  ") and not line.startswith("   ") and line.rstrip().endswith(":") and i > 0:
            comp = line.strip()[:-1]
            if comp in data["components"] and data["components"][comp].get("terraform"):
                above = "\n".join(lines[max(0, i - 3):i])
                assert "# guessed" in above or "# from" in above, (comp, above)
    # archgen reads the draft: findings are fine (exit 1), a model it cannot read is not (2)
    check = run_cli("check", str(out), cwd=tmp_path)
    assert check.returncode in (0, 1), check.stdout + check.stderr


def test_the_draft_is_the_same_bytes_every_time(run_cli, tmp_path):
    first, out1 = _import(run_cli, "ecs-web", tmp_path / "a")
    second, out2 = _import(run_cli, "ecs-web", tmp_path / "b")
    assert first.returncode == second.returncode == 0
    assert out1.read_bytes() == out2.read_bytes()


def test_an_existing_model_is_not_overwritten_without_force(run_cli, tmp_path):
    result, out = _import(run_cli, "ecs-web", tmp_path)
    assert result.returncode == 0
    out.write_text("# the team's own model\n")
    again, _ = _import(run_cli, "ecs-web", tmp_path)
    assert again.returncode == 2 and out.read_text() == "# the team's own model\n"
    forced, _ = _import(run_cli, "ecs-web", tmp_path, "--force")
    assert forced.returncode == 0 and out.read_text().startswith("# Imported by archgen")


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        json.dumps({"format_version": "1.2", "values": {}}),  # a state with nothing in it
        json.dumps({"format_version": "9.0", "planned_values": {"root_module": {}}}),  # another format
        json.dumps({"kind": "Something else"}),  # JSON of another tool
    ],
    ids=["malformed", "empty-state", "other-version", "foreign"],
)
def test_input_it_cannot_read_is_a_file_error_with_exit_2(run_cli, tmp_path, content):
    bad = tmp_path / "plan.json"
    bad.write_text(content)
    result = run_cli("import", "terraform", str(bad), "-o", str(tmp_path / "arch" / "x.yaml"))
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    assert str(bad) in result.stderr or "plan.json" in result.stderr
    assert not (tmp_path / "arch" / "x.yaml").exists()
