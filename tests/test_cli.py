"""The CLI as a user meets it: whole processes, exit codes, output shapes."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import EXAMPLE, ROOT


def test_help_lists_commands_and_keeps_heavy_imports_off(run_cli):
    result = run_cli("--help")
    assert result.returncode == 0
    for name in ("check", "schema", "rules"):
        assert name in result.stdout
    probe = subprocess.run(
        [sys.executable, "-c", "import sys; from archgen.cli import build_parser; build_parser().format_help();"
         "print(sorted(m for m in ('networkx','pydantic','yaml','jinja2','diagrams','mkdocs') if m in sys.modules))"],
        capture_output=True, text=True, check=True,
    )
    assert probe.stdout.strip() == "[]"


def test_check_example_json_shape(run_cli):
    result = run_cli("check", "--format", "json", str(EXAMPLE))
    assert result.returncode in (0, 1), result.stderr
    doc = json.loads(result.stdout)
    (model,) = doc["models"]
    assert model["name"] == "ml-serving"
    assert model["file"].endswith("ml-serving.yaml")
    for f in model["findings"]:
        assert {"rule", "category", "severity", "message", "remediation", "file", "line", "accepted"} <= set(f)
        assert f["severity"] in ("error", "warning", "info")
        assert f["category"] in ("model", "security", "lock-in", "scale", "cost", "reliability")


def test_check_defaults_to_arch_folder(run_cli):
    result = run_cli("check", cwd=ROOT)
    assert result.returncode in (0, 1)
    assert "arch/ml-serving.yaml: ml-serving" in result.stdout


def write_model(tmp_path, body: str, name: str = "m.yaml"):
    arch = tmp_path / "arch"
    arch.mkdir(exist_ok=True)
    (arch / name).write_text(body)
    return arch / name


ORPHAN = """\
archgen: 1
name: shop
provider: aws
components:
  users: {kind: actor}
  api: {kind: container_service}
  cache: {kind: cache}
flows:
  - users -> api
"""


def test_fail_on_controls_exit_status(run_cli, tmp_path):
    write_model(tmp_path, ORPHAN)
    loose = run_cli("check", "--format", "json", cwd=tmp_path)
    data = json.loads(loose.stdout)
    orphan = [f for f in data["models"][0]["findings"] if f["rule"] == "MODEL-ORPHAN"]
    assert [f["component"] for f in orphan] == ["cache"]
    assert orphan[0]["line"] == 7
    strict = run_cli("check", "--fail-on", "warning", cwd=tmp_path)
    assert strict.returncode == 1
    assert "arch/m.yaml:7:3: warning: MODEL-ORPHAN [cache]" in strict.stdout


def test_accepted_finding_does_not_fail(run_cli, tmp_path):
    body = ORPHAN.replace("  cache: {kind: cache}", "  cache:\n    kind: cache\n    accept: {MODEL-ORPHAN: wired up in the next release}")
    write_model(tmp_path, body)
    result = run_cli("check", "--format", "json", "--fail-on", "info", cwd=tmp_path)
    findings = json.loads(result.stdout)["models"][0]["findings"]
    orphan = [f for f in findings if f["rule"] == "MODEL-ORPHAN"]
    assert orphan and orphan[0]["accepted"] is True and orphan[0]["reason"] == "wired up in the next release"
    assert not any(f["rule"] == "MODEL-ACCEPT-UNUSED" for f in findings)


def test_accepting_a_rule_that_does_not_fire_is_a_warning(run_cli, tmp_path):
    body = ORPHAN.replace("  api: {kind: container_service}", "  api:\n    kind: container_service\n    accept: {MODEL-ORPHAN: not needed, NOPE-X: typo}")
    write_model(tmp_path, body)
    findings = json.loads(run_cli("check", "--format", "json", cwd=tmp_path).stdout)["models"][0]["findings"]
    unused = sorted(f["message"] for f in findings if f["rule"] == "MODEL-ACCEPT-UNUSED")
    assert unused == ["'api' accepts MODEL-ORPHAN, which does not fire there", "'api' accepts unknown rule 'NOPE-X'"]


def test_bad_input_exits_2_with_location_and_no_traceback(run_cli, tmp_path):
    path = write_model(tmp_path, ORPHAN.replace("kind: cache", "kind: cash"))
    result = run_cli("check", str(path), cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "arch/m.yaml:7:17: unknown kind 'cash' (did you mean 'cache'?)" in result.stderr


def test_errors_of_several_files_reported_together(run_cli, tmp_path):
    write_model(tmp_path, ORPHAN.replace("kind: cache", "kind: cash"), "a.yaml")
    write_model(tmp_path, ORPHAN.replace("name: shop", "name: other").replace("users -> api", "users -> ap"), "b.yaml")
    result = run_cli("check", cwd=tmp_path)
    assert result.returncode == 2
    assert "arch/a.yaml:7:" in result.stderr and "arch/b.yaml:9:" in result.stderr


def test_missing_path_and_misuse_exit_2(run_cli, tmp_path):
    assert run_cli("check", "nope.yaml", cwd=tmp_path).returncode == 2
    assert run_cli("check", cwd=tmp_path).returncode == 2  # no arch/
    assert run_cli("check", "--format", "xml", cwd=tmp_path).returncode == 2
    assert run_cli("frobnicate", cwd=tmp_path).returncode == 2


def test_schema_describes_every_field(run_cli):
    result = run_cli("schema")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    defs = schema["$defs"]
    for name in ("Component", "Flow", "Requirements"):
        for field, spec in defs[name]["properties"].items():
            assert spec.get("description"), f"{name}.{field} has no description"
    for field, spec in schema["properties"].items():
        assert spec.get("description"), f"model field {field} has no description"
    assert "from" in defs["Flow"]["properties"]
    assert "container_service" in json.dumps(defs["Component"]["properties"]["kind"])


def test_rules_list_and_explain(run_cli):
    listing = run_cli("rules")
    assert "MODEL-ORPHAN" in listing.stdout
    explain = run_cli("rules", "--explain", "MODEL-ORPHAN")
    assert explain.returncode == 0
    assert "## Why it matters" in explain.stdout
    assert run_cli("rules", "--explain", "MODEL-ORPHN").returncode == 2


def test_sarif_rule_links_follow_site_url(run_cli):
    result = run_cli("check", "--format", "sarif", "--site-url", "https://arch.example.com/", str(EXAMPLE))
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    rules = doc["runs"][0]["tool"]["driver"]["rules"]
    assert rules and all(r["helpUri"].startswith("https://arch.example.com/rules/") for r in rules)
