"""``archgen check --format sarif``: SARIF 2.1.0 that GitHub code scanning can annotate the YAML with.

The checks follow the parts of SARIF 2.1.0 that GitHub's code scanning reads
(docs.github.com, "SARIF support for code scanning"): version and schema, one run
with ``tool.driver.name`` and rule metadata, results with ``ruleId`` / ``ruleIndex``,
a ``level``, ``message.text``, and a physical location with a repository-relative
URI and a 1-based ``startLine``; ``partialFingerprints`` to follow alerts across runs.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archgen.sources.loader import load_model, parse_model
from archgen.rendering.report import check_models
from archgen.rules import all_rules
from archgen.rendering.sarif import DEFAULT_SITE_URL, artifact_uri, rule_url, to_sarif

ROOT = Path(__file__).resolve().parent.parent
INSECURE = ROOT / "tests" / "fixtures" / "insecure"


@pytest.fixture(scope="module")
def insecure_log(tmp_path_factory):
    """SARIF of the insecure fixture, produced by the CLI in the fixture's folder."""
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "archgen", "check", "--format", "sarif", "arch/shop.yaml"],
        cwd=INSECURE,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    return json.loads(proc.stdout), proc.stdout


def test_log_shape(insecure_log) -> None:
    log, _ = insecure_log
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-schema-2.1.0.json")
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "archgen" and driver["version"]
    ids = [r["id"] for r in driver["rules"]]
    assert ids == sorted(r.id for r in all_rules()), "every registered rule is described, in id order"
    assert len(ids) == len(set(ids))


def test_rule_metadata_has_help_and_links(insecure_log) -> None:
    log, _ = insecure_log
    for desc in log["runs"][0]["tool"]["driver"]["rules"]:
        assert desc["shortDescription"]["text"] and desc["fullDescription"]["text"]
        assert desc["helpUri"] == f"{DEFAULT_SITE_URL}rules/{desc['id']}/"
        assert "## What to do instead" in desc["help"]["markdown"]
        assert "Remediation:" in desc["help"]["text"]
        assert desc["defaultConfiguration"]["level"] in ("error", "warning", "note")
        tags = desc["properties"]["tags"]
        if desc["id"].startswith("SEC-"):
            assert "security" in tags and 0 < float(desc["properties"]["security-severity"]) <= 10
        else:
            assert "security" not in tags and "security-severity" not in desc["properties"]


def test_results_point_at_the_yaml(insecure_log) -> None:
    log, _ = insecure_log
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    lines = (INSECURE / "arch" / "shop.yaml").read_text(encoding="utf-8").splitlines()
    assert run["results"], "the insecure model has findings"
    for res in run["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["level"] in ("error", "warning", "note") and res["message"]["text"]
        (loc,) = res["locations"]
        phys = loc["physicalLocation"]
        assert phys["artifactLocation"]["uri"] == "arch/shop.yaml"
        assert 1 <= phys["region"]["startLine"] <= len(lines)
    # a finding about a field points at that field's line in the YAML
    (public_db,) = [r for r in run["results"] if r["ruleId"] == "SEC-PUBLIC-DATASTORE" and "'db'" in r["message"]["text"]]
    line = lines[public_db["locations"][0]["physicalLocation"]["region"]["startLine"] - 1]
    assert line.strip().startswith("public: true")
    col = public_db["locations"][0]["physicalLocation"]["region"]["startColumn"]
    assert line[col - 1 :].startswith("public")
    # a finding caused by a flow points at the flow
    (no_tls,) = [r for r in run["results"] if r["ruleId"] == "SEC-DATA-NO-TLS"]
    line = lines[no_tls["locations"][0]["physicalLocation"]["region"]["startLine"] - 1]
    assert line.strip() == "- customers -> api: http"


def test_levels_follow_severities() -> None:
    model = load_model(INSECURE / "arch" / "shop.yaml")
    results = check_models([model])
    sarif = to_sarif(results)["runs"][0]["results"]
    findings = results[0][1]
    assert len(sarif) == len(findings)
    for finding, res in zip(findings, sarif):
        assert res["ruleId"] == finding.rule
        assert res["level"] == {"error": "error", "warning": "warning", "info": "note"}[finding.severity]


def test_fingerprints_are_unique_and_stable(insecure_log) -> None:
    log, text = insecure_log
    prints = [r["partialFingerprints"]["archgenFinding/v1"] for r in log["runs"][0]["results"]]
    assert len(prints) == len(set(prints))
    model = load_model(INSECURE / "arch" / "shop.yaml")
    # the same model, every line moved down by two comment lines: same fingerprints, other lines
    moved = parse_model("# moved\n# down\n" + (INSECURE / "arch" / "shop.yaml").read_text(encoding="utf-8"), model.file)
    again = to_sarif(check_models([moved]))["runs"][0]["results"]
    assert [r["partialFingerprints"]["archgenFinding/v1"] for r in again] == prints
    first = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"]
    assert again[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == first + 2


def test_same_model_same_bytes(insecure_log) -> None:
    _, text = insecure_log
    model = load_model(INSECURE / "arch" / "shop.yaml")
    again = json.dumps(to_sarif(check_models([model])), indent=2) + "\n"
    # the CLI ran in the fixture folder; compare after making the path the same
    assert again.replace("tests/fixtures/insecure/arch/shop.yaml", "arch/shop.yaml") == text
    assert "file://" not in text and str(ROOT) not in text


def test_accepted_findings_are_suppressed_with_their_reason() -> None:
    model = parse_model(
        """archgen: 1
name: accepted
provider: aws
requirements: {data: [pii]}
components:
  api: {kind: container_service}
  db:
    kind: postgres
    data: [pii]
    accept:
      REL-NO-HA: "pilot only; Multi-AZ before launch <see ADR-0009> & \\"quotes\\""
flows:
  - api -> db: postgres
""",
        "arch/accepted.yaml",
    )
    results = to_sarif(check_models([model]))["runs"][0]["results"]
    (res,) = [r for r in results if r["ruleId"] == "REL-NO-HA"]
    assert res["suppressions"] == [
        {"kind": "inSource", "status": "accepted", "justification": 'pilot only; Multi-AZ before launch <see ADR-0009> & "quotes"'}
    ]
    assert res["level"] == "warning"
    assert all("suppressions" not in r for r in results if r["ruleId"] != "REL-NO-HA")


def test_site_url_is_a_parameter() -> None:
    model = load_model(INSECURE / "arch" / "shop.yaml")
    log = to_sarif(check_models([model]), site_url="https://docs.example.com/arch")
    desc = log["runs"][0]["tool"]["driver"]["rules"][0]
    assert desc["helpUri"] == f"https://docs.example.com/arch/rules/{desc['id']}/"
    assert rule_url("SEC-NO-WAF", "https://x.test/") == "https://x.test/rules/SEC-NO-WAF/"


def test_artifact_uris() -> None:
    assert artifact_uri("arch/ml-serving.yaml") == "arch/ml-serving.yaml"
    assert artifact_uri("arch/my model#1.yaml") == "arch/my%20model%231.yaml"
    assert artifact_uri("/srv/repo/arch/a.yaml") == "file:///srv/repo/arch/a.yaml"


def test_example_sarif_is_valid_json_with_no_findings_lost(run_cli) -> None:
    """Every finding of the JSON output is a result of the SARIF output, and vice versa."""
    as_json = run_cli("check", "--format", "json")
    as_sarif = run_cli("check", "--format", "sarif")
    assert as_json.returncode == as_sarif.returncode
    findings = [f for m in json.loads(as_json.stdout)["models"] for f in m["findings"]]
    results = json.loads(as_sarif.stdout)["runs"][0]["results"]
    assert sorted((f["rule"], f["file"], f["line"], f["accepted"]) for f in findings) == sorted(
        (
            r["ruleId"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            "suppressions" in r,
        )
        for r in results
    )
