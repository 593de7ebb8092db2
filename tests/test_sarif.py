"""``archgen check --format sarif``: SARIF 2.1.0 that GitHub code scanning can annotate the YAML with.

The checks follow the parts of SARIF 2.1.0 that GitHub's code scanning reads
(docs.github.com, "SARIF support for code scanning"): version and schema, one run
with ``tool.driver.name`` and rule metadata, results with ``ruleId`` / ``ruleIndex``,
a ``level``, ``message.text``, and a physical location with a repository-relative
URI and a 1-based ``startLine``; ``partialFingerprints`` to follow alerts across runs.

Every log is validated against the official SARIF 2.1.0 schema (tests/data/, from
npm ``@microsoft/sarif-multitool``) with the ``jsonschema`` library; when the SARIF
Multitool itself is installed (``scripts/setup.sh`` puts it in ``.tools/``), its
GitHub ingestion rules (``--rule-kind Gh``) run on the logs as well.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from archgen.sources.loader import load_model, parse_model
from archgen.rendering.report import check_models
from archgen.rules import all_rules
from archgen.rendering.sarif import DEFAULT_SITE_URL, artifact_uri, repository_root, rule_url, to_sarif

ROOT = Path(__file__).resolve().parent.parent
INSECURE = ROOT / "tests" / "fixtures" / "insecure"
SCHEMA_FILE = ROOT / "tests" / "data" / "sarif-schema-2.1.0.json"
SCHEMA_SHA256 = "1c49a0f2b60444c71bb14878e21e0d882198eff4c539861b133093ad89ed798c"
MULTITOOL = Path(
    os.environ.get(
        "ARCHGEN_SARIF_MULTITOOL",
        ROOT / ".tools" / "sarif-multitool" / "node_modules" / "@microsoft" / "sarif-multitool-linux" / "Sarif.Multitool",
    )
)
#: Where the insecure fixture's model is, as code scanning names it: from the repository root.
SHOP_URI = Path(os.path.relpath(INSECURE / "arch" / "shop.yaml", repository_root(INSECURE))).as_posix()


def require(present: bool, reason: str) -> None:
    """Skip when a tool scripts/setup.sh installs is missing, but fail under CI."""
    if not present:
        (pytest.fail if os.environ.get("CI") else pytest.skip)(reason + (" and CI is set" if os.environ.get("CI") else ""))


@pytest.fixture(scope="module")
def validator():
    raw = SCHEMA_FILE.read_bytes()
    assert hashlib.sha256(raw).hexdigest() == SCHEMA_SHA256, "the official schema was edited"
    schema = json.loads(raw)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def assert_valid(validator, log) -> None:
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:10])


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "archgen", *args], cwd=cwd, capture_output=True, text=True, timeout=120, env=env
    )


@pytest.fixture(scope="module")
def insecure_log(tmp_path_factory):
    """SARIF of the insecure fixture, produced by the CLI in the fixture's folder."""
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
        assert phys["artifactLocation"] == {"uri": SHOP_URI, "uriBaseId": "%SRCROOT%"}
        assert 1 <= phys["region"]["startLine"] <= len(lines)
    # a finding about a field points at that field's line in the YAML
    (public_db,) = [r for r in run["results"] if r["ruleId"] == "SEC-PUBLIC-DATASTORE" and "'db'" in r["message"]["text"]]
    line = lines[public_db["locations"][0]["physicalLocation"]["region"]["startLine"] - 1]
    assert line.strip().startswith("public: true")
    col = public_db["locations"][0]["physicalLocation"]["region"]["startColumn"]
    assert line[col - 1 :].startswith("public")
    # a finding caused by a flow points at the flow (PII from the internet over http crosses zones)
    (no_tls,) = [r for r in run["results"] if r["ruleId"] == "SEC-ZONE-NO-TLS"]
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
    again = json.dumps(to_sarif(check_models([model]), root=repository_root(INSECURE)), indent=2) + "\n"
    # the CLI ran in the fixture folder, this test elsewhere: the URIs are relative to the
    # repository root either way (in a git checkout; an unpacked sdist has no .git, and its
    # root is where the command runs), so the bytes are the same
    assert again == text
    # the one absolute path is the root itself, in originalUriBaseIds
    log = json.loads(text)
    (root_uri,) = [v["uri"] for v in log["runs"][0]["originalUriBaseIds"].values()]
    assert root_uri == repository_root(INSECURE).as_uri() + "/"
    assert text.count("file://") == 1


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


def test_artifact_uris(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    root = tmp_path.resolve()
    assert artifact_uri("arch/ml-serving.yaml", root) == "arch/ml-serving.yaml"
    assert artifact_uri("arch/my model#1.yaml", root) == "arch/my%20model%231.yaml"
    assert artifact_uri(str(tmp_path / "arch" / "a.yaml"), root) == "arch/a.yaml"
    assert artifact_uri("/srv/repo/arch/a.yaml", root) == "file:///srv/repo/arch/a.yaml"


def _repo(tmp_path: Path) -> Path:
    """A monorepo: the architecture repository is the subfolder platform/."""
    (tmp_path / ".git").mkdir()  # what repository_root looks for; no git needed
    sub = tmp_path / "platform"
    (sub / "arch").mkdir(parents=True)
    shutil.copy(INSECURE / "arch" / "shop.yaml", sub / "arch" / "shop.yaml")
    return sub


def test_uris_are_relative_to_the_repository_root_in_a_monorepo(tmp_path, validator) -> None:
    sub = _repo(tmp_path)
    proc = cli("check", "--format", "sarif", cwd=sub)
    assert proc.returncode == 1, proc.stderr
    log = json.loads(proc.stdout)
    assert_valid(validator, log)
    run = log["runs"][0]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": tmp_path.resolve().as_uri() + "/"}}
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
    assert uris == {"platform/arch/shop.yaml"}
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] for r in run["results"]} == {"%SRCROOT%"}
    # the same run from the root names the same files the same way
    again = cli("check", "--format", "sarif", "platform/arch", cwd=tmp_path)
    assert again.stdout == proc.stdout


def test_official_schema_accepts_every_log(insecure_log, validator, run_cli) -> None:
    log, _ = insecure_log
    assert_valid(validator, log)
    example = run_cli("check", "--format", "sarif")
    assert example.returncode == 0, example.stderr
    assert_valid(validator, json.loads(example.stdout))


def test_official_schema_rejects_repeated_tags(insecure_log, validator) -> None:
    """The schema the tests use does enforce what GitHub's upload rejected (the check can fail)."""
    log, _ = insecure_log
    broken = json.loads(json.dumps(log))
    broken["runs"][0]["tool"]["driver"]["rules"][0]["properties"]["tags"] = ["security", "security"]
    assert any("non-unique" in e.message for e in validator.iter_errors(broken))
    for desc in log["runs"][0]["tool"]["driver"]["rules"]:
        tags = desc["properties"]["tags"]
        assert len(tags) == len(set(tags)), desc["id"]


BAD = """archgen: 1
name: broken
provider: aws
components:
  api: {kind: cash}
  db: {kind: postgress}
"""


def test_unreadable_model_gives_a_valid_log_with_notifications(tmp_path, validator) -> None:
    sub = _repo(tmp_path)
    (sub / "arch" / "broken.yaml").write_text(BAD, encoding="utf-8")
    proc = cli("check", "--format", "sarif", cwd=sub)
    assert proc.returncode == 2
    assert "arch/broken.yaml:5:" in proc.stderr and "Traceback" not in proc.stderr
    log = json.loads(proc.stdout)
    assert_valid(validator, log)
    (run,) = log["runs"]
    assert run["results"] == []
    (inv,) = run["invocations"]
    assert inv["executionSuccessful"] is False and inv["exitCode"] == 2
    notes = inv["toolExecutionNotifications"]
    stderr_problems = [line for line in proc.stderr.splitlines() if line.startswith("arch/")]
    assert len(notes) == len(stderr_problems) >= 2
    for note, line in zip(notes, stderr_problems):
        assert note["level"] == "error"
        phys = note["locations"][0]["physicalLocation"]
        assert phys["artifactLocation"] == {"uri": "platform/arch/broken.yaml", "uriBaseId": "%SRCROOT%"}
        where = f"arch/broken.yaml:{phys['region']['startLine']}:{phys['region']['startColumn']}: "
        assert line == where + note["message"]["text"]
    assert run["tool"]["driver"]["rules"], "GitHub's ingestion asks for the rules array"


def test_a_missing_path_gives_a_valid_log_too(tmp_path, validator) -> None:
    for args, words in ((("nope.yaml",), "nope.yaml"), ((), "arch/")):
        proc = cli("check", "--format", "sarif", *args, cwd=tmp_path)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr
        log = json.loads(proc.stdout)
        assert_valid(validator, log)
        (note,) = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        assert words in note["message"]["text"] and "locations" not in note


def test_github_ingestion_rules_accept_the_logs(tmp_path, insecure_log) -> None:
    """Microsoft's SARIF Multitool with GitHub's ingestion rules: no error or warning."""
    require(MULTITOOL.exists(), f"SARIF Multitool not installed at {MULTITOOL} (scripts/setup.sh installs it)")
    _, text = insecure_log
    sub = _repo(tmp_path)
    (tmp_path / "findings.sarif").write_text(text, encoding="utf-8")
    (sub / "arch" / "broken.yaml").write_text(BAD, encoding="utf-8")
    (tmp_path / "unreadable.sarif").write_text(cli("check", "--format", "sarif", cwd=sub).stdout, encoding="utf-8")
    # the check can fail: a repeated tag is an error for the Multitool too
    broken = json.loads(text)
    broken["runs"][0]["tool"]["driver"]["rules"][0]["properties"]["tags"] = ["security", "security"]
    (tmp_path / "broken.sarif").write_text(json.dumps(broken), encoding="utf-8")
    out = tmp_path / "validation.sarif"
    names = ("findings.sarif", "unreadable.sarif", "broken.sarif")
    proc = subprocess.run(  # one run over the three files: the tool takes about 10 s to start
        [str(MULTITOOL), "validate", "--rule-kind", "Gh;Sarif", "--level", "Error;Warning", *(str(tmp_path / n) for n in names), "-o", str(out)],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    found = json.loads(out.read_text(encoding="utf-8"))["runs"][0]["results"]
    flagged = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].rsplit("/", 1)[-1] for r in found}
    assert flagged == {"broken.sarif"}, [r["message"] for r in found]


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
