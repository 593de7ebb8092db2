"""Every rule against its fixtures, and every rule's metadata.

Each folder ``tests/rules/<RULE-ID>/`` holds ``fail.yaml`` and ``pass.yaml`` (and
optionally more ``fail-*.yaml`` / ``pass-*.yaml`` cases and a ``decisions/``
folder of ADRs shared by its models). A fail model's first line names the
components the rule must flag, exactly: ``# expect: db, cache``, or
``# expect: <model>`` for a finding about the whole model. A pass model must
yield no finding of the rule. Models are read by the real loader.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from archgen.findings import CATEGORIES, SEVERITIES
from archgen.sources.loader import load_model
from archgen.rules import REGISTRY, all_rules, get_rule, run_rules
from archgen.rules._base import DOC_SECTIONS

RULES_DIR = Path(__file__).parent / "rules"
#: Every rule id -> its module, as the registry reads them from data/rules.yaml.
RULE_MODULES = REGISTRY.modules
MODEL_SUBJECT = "<model>"
EXPECT_RE = re.compile(r"^#\s*expect:\s*(.*?)\s*$")


def _cases() -> list[tuple[str, Path]]:
    cases = []
    for folder in sorted(p for p in RULES_DIR.iterdir() if p.is_dir()):
        for path in sorted(folder.glob("*.yaml")):
            cases.append((folder.name, path))
    return cases


def _decisions(folder: Path) -> list:
    if not (folder / "decisions").is_dir():
        return []
    from archgen.decisions.adr import load_decisions

    return load_decisions(folder)


def _expected(path: Path) -> set[str]:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = EXPECT_RE.match(first)
    assert match, f"{path}: a fail fixture opens with '# expect: id, id' or '# expect: <model>'"
    return {part.strip() for part in match.group(1).split(",") if part.strip()}


def flagged(rule_id: str, path: Path) -> set[str]:
    model = load_model(path)
    findings = run_rules(model, _decisions(path.parent))
    return {f.component or MODEL_SUBJECT for f in findings if f.rule == rule_id}


@pytest.mark.parametrize(
    ("rule_id", "path"), _cases(), ids=[f"{rule}/{path.name}" for rule, path in _cases()]
)
def test_rule_fixture(rule_id: str, path: Path) -> None:
    got = flagged(rule_id, path)
    if path.name.startswith("fail"):
        expected = _expected(path)
        assert expected, f"{path}: a fail fixture must expect at least one finding"
        assert got == expected, f"{rule_id} on {path.name}: flagged {sorted(got)}, expected {sorted(expected)}"
    else:
        assert path.name.startswith("pass"), f"{path}: fixture files are fail*.yaml or pass*.yaml"
        assert not got, f"{rule_id} on {path.name}: flagged {sorted(got)}, expected nothing"


# -- the catalog of rules ----------------------------------------------------------


def test_every_registered_rule_has_a_fixture_pair() -> None:
    missing = [
        f"{rule_id}/{name}"
        for rule_id in RULE_MODULES
        for name in ("fail.yaml", "pass.yaml")
        if not (RULES_DIR / rule_id / name).is_file()
    ]
    assert not missing, f"rules without fixtures: {missing}"


def test_every_fixture_folder_names_a_registered_rule() -> None:
    stray = sorted(p.name for p in RULES_DIR.iterdir() if p.is_dir() and p.name not in RULE_MODULES)
    assert not stray, f"fixture folders for no registered rule: {stray}"


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.id)
def test_rule_metadata_is_complete(rule) -> None:
    assert rule.problems() == [], f"{rule.id}: {rule.problems()}"
    assert rule.severity in SEVERITIES
    assert rule.category in CATEGORIES
    sections = rule.sections()
    assert list(sections)[: len(DOC_SECTIONS)] == list(DOC_SECTIONS), f"{rule.id}: sections out of order"
    assert "```" in sections["Failing example"], f"{rule.id}: the failing example shows a model"


@pytest.mark.parametrize("package", ["archgen.rules", "archgen.drift"])
def test_every_rule_module_has_an_entry_and_every_entry_a_module(package) -> None:
    """The data file is the list of rules: a module it does not name would never run."""
    from importlib import import_module

    registry = import_module(package).REGISTRY
    folder = Path(import_module(package).__file__).parent
    on_disk = {f"{package}.{p.stem}" for p in folder.glob("*.py") if "\nRULE = declare(" in p.read_text(encoding="utf-8")}
    registered = set(registry.modules.values())
    assert on_disk - registered == set(), "rule modules with no entry in data/rules.yaml"
    assert registered - on_disk == set(), "entries of data/rules.yaml with no module"
    assert len({r.id for r in registry.rules}) == len(registry.modules)


def test_the_rule_ids_are_read_sorted_and_named_after_their_modules() -> None:
    from archgen.rules._registry import RuleDataError, module_of, rule_ids_of

    assert rule_ids_of(_GOOD, "rules.yaml") == ["MODEL-A", "MODEL-B"]
    assert module_of("archgen.rules", "SEC-NO-WAF") == "archgen.rules.sec_no_waf"
    assert module_of("archgen.drift", "DRIFT-PUBLIC-BUCKET", "DRIFT-") == "archgen.drift.public_bucket"
    swapped = "MODEL-B:" + _GOOD.split("MODEL-B:")[1] + _GOOD.split("MODEL-B:")[0]
    with pytest.raises(RuleDataError, match=r"^rules.yaml:8:1: MODEL-A comes after MODEL-B: keep the ids sorted$"):
        rule_ids_of(swapped, "rules.yaml")


def test_an_entry_with_no_module_fails_when_the_rules_load(tmp_path, monkeypatch) -> None:
    import sys

    from archgen.rules._registry import Registry, RuleDataError

    (tmp_path / "pkg" / "data").mkdir(parents=True)
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "data" / "rules.yaml").write_text(_GOOD)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "pkg", raising=False)
    with pytest.raises(RuleDataError, match=r"rules.yaml: MODEL-A has no module pkg.model_a$"):
        _ = Registry("pkg").rules


def test_thresholds_are_documented_with_their_source() -> None:
    """A rule that uses a named threshold shows its value and source in its References."""
    from importlib import import_module

    from archgen.catalog.thresholds import Threshold

    for rule in all_rules():
        module = import_module(RULE_MODULES[rule.id])
        used = {v for v in vars(module).values() if isinstance(v, Threshold)}
        refs = rule.sections()["References"]
        for t in used:
            assert f"`{t.name}` = {t.shown}" in refs, f"{rule.id}: threshold {t.name} is not in its References"
            assert t.source in refs


# -- behaviour the fixtures do not pin ---------------------------------------------


def _run_text(text: str, tmp_path: Path):
    from archgen.sources.loader import parse_model

    return run_rules(parse_model(text, "m.yaml"))


def test_accepted_finding_is_reported_and_does_not_fail(tmp_path: Path) -> None:
    from archgen.findings import failing

    findings = _run_text(
        """archgen: 1
name: accepted
provider: aws
components:
  api: {kind: container_service}
  db:
    kind: postgres
    data: [pii]
    encrypted: false
    high_availability: true
    accept:
      SEC-UNENCRYPTED-DATA: "test data only; encrypted before launch"
requirements: {data: [pii]}
flows:
  - api -> db: postgres
""",
        tmp_path,
    )
    hit = [f for f in findings if f.rule == "SEC-UNENCRYPTED-DATA"]
    assert len(hit) == 1 and hit[0].accepted and hit[0].reason == "test data only; encrypted before launch"
    assert hit[0].severity == "error"
    assert hit[0] not in failing(findings, "error")
    assert hit[0].to_json()["accepted"] is True and hit[0].to_json()["reason"].startswith("test data")


def test_secret_values_never_appear_in_findings(tmp_path: Path) -> None:
    values = ["hunter2-not-a-real-one", "app:s3cr3t@", "Zx8q2LmR7vT1pQ9wK4sN6bY3hJ5cD0fG"]
    model = load_model(RULES_DIR / "SEC-SECRET-IN-ENV" / "fail.yaml")
    findings = run_rules(model)
    secret = [f for f in findings if f.rule == "SEC-SECRET-IN-ENV"]
    assert {f.extra["env"] for f in secret} == {"DB_PASSWORD", "DATABASE_URL", "UPSTREAM"}
    from archgen.rendering.report import render

    for fmt in ("text", "json", "sarif"):
        out = render([(model, findings)], fmt)
        for value in values:
            assert value not in out, f"{fmt} output echoes a secret value"


def test_lifecycle_finding_names_date_source_and_successor() -> None:
    model = load_model(RULES_DIR / "LOCKIN-LIFECYCLE" / "fail.yaml")
    (f,) = [f for f in run_rules(model) if f.rule == "LOCKIN-LIFECYCLE"]
    assert "2026-04-30" in f.message
    assert "ECS Express Mode" in f.message and "service: ecs_express" in f.message
    assert "docs.aws.amazon.com/apprunner" in f.message
    assert f.severity == "warning"


def test_retired_service_is_an_error() -> None:
    model = load_model(RULES_DIR / "LOCKIN-LIFECYCLE" / "fail-retired.yaml")
    sev = {f.component: f.severity for f in run_rules(model) if f.rule == "LOCKIN-LIFECYCLE"}
    assert sev == {"db": "error", "cache": "warning"}


def test_scale_findings_name_a_platform_that_fits() -> None:
    model = load_model(RULES_DIR / "SCALE-KUBERNETES-SMALL" / "fail.yaml")
    found = [f for f in run_rules(model) if f.rule == "SCALE-KUBERNETES-SMALL"]
    assert {f.extra["suggested"] for f in found} == {"ecs_express"}
    assert all("fits:" in f.message and "no platform team" in f.message for f in found)

    model = load_model(RULES_DIR / "SCALE-APP-PLATFORM-LIMITS" / "fail.yaml")
    (f,) = [f for f in run_rules(model) if f.rule == "SCALE-APP-PLATFORM-LIMITS"]
    assert "5,000 rps" in f.message and "2,500" in f.message
    assert f.extra["suggested"] not in (None, "app_runner", "eks")

    model = load_model(RULES_DIR / "SCALE-APP-PLATFORM-LIMITS" / "fail-portability.yaml")
    found = [f for f in run_rules(model) if f.rule == "SCALE-APP-PLATFORM-LIMITS"]
    assert {f.extra["suggested"] for f in found} == {"gke"}


def test_findings_are_deterministic() -> None:
    from archgen.rendering.report import render

    path = Path(__file__).parent / "fixtures" / "insecure" / "arch" / "shop.yaml"
    first = render([(load_model(path), run_rules(load_model(path)))], "json")
    second = render([(load_model(path), run_rules(load_model(path)))], "json")
    assert first == second


def test_an_empty_acceptance_reason_is_a_model_error(run_cli, tmp_path: Path) -> None:
    (tmp_path / "arch").mkdir()
    (tmp_path / "arch" / "m.yaml").write_text(
        "archgen: 1\nname: m\nprovider: aws\ncomponents:\n  db:\n    kind: postgres\n    accept:\n      REL-NO-HA: \"  \"\n",
        encoding="utf-8",
    )
    proc = run_cli("check", cwd=tmp_path)
    assert proc.returncode == 2
    assert re.search(r"arch/m\.yaml:8:\d+: .*REL-NO-HA.*reason", proc.stderr + proc.stdout)
    assert "Traceback" not in proc.stderr


def test_rules_explain_prints_the_documentation(run_cli) -> None:
    proc = run_cli("rules", "--explain", "sec-public-datastore")
    assert proc.returncode == 0
    for section in DOC_SECTIONS:
        assert f"## {section}" in proc.stdout
    listing = run_cli("rules").stdout
    assert all(rule_id in listing for rule_id in RULE_MODULES)


def test_an_adr_naming_a_component_of_another_model_is_no_error(tmp_path: Path) -> None:
    """RuleContext carries every model of the repository: in a repository with two models,
    an ADR that lists a component of one is not reported against the other."""
    import json
    import subprocess
    import sys

    (tmp_path / "arch").mkdir()
    (tmp_path / "decisions").mkdir()
    (tmp_path / "arch" / "billing.yaml").write_text(
        "archgen: 1\nname: billing\nprovider: aws\ncomponents:\n  users: {kind: actor}\n"
        "  invoices: {kind: container_service}\nflows:\n  - users -> invoices: https\n",
        encoding="utf-8",
    )
    (tmp_path / "arch" / "shop.yaml").write_text(
        "archgen: 1\nname: shop\nprovider: aws\ncomponents:\n  users: {kind: actor}\n"
        "  cart: {kind: container_service}\nflows:\n  - users -> cart: https\n",
        encoding="utf-8",
    )
    (tmp_path / "decisions" / "0001-run-the-cart-on-ecs.md").write_text(
        "---\nstatus: accepted\ndate: 2026-11-18\ncomponents: [cart]\ntags: []\n---\n\n# Run the cart on ECS\n\n"
        "## Context and Problem Statement\n\nThe cart needs a home.\n",
        encoding="utf-8",
    )
    out = subprocess.run(
        [sys.executable, "-m", "archgen", "check", "--format", "json"], cwd=tmp_path, capture_output=True, text=True
    )
    assert out.returncode in (0, 1), out.stderr
    findings = [(m["name"], f["rule"]) for m in json.loads(out.stdout)["models"] for f in m["findings"]]
    assert not [f for f in findings if f[1] == "MODEL-ADR-COMPONENT"], findings
    # a component that no model has is still reported, once
    adr = tmp_path / "decisions" / "0001-run-the-cart-on-ecs.md"
    adr.write_text(adr.read_text(encoding="utf-8").replace("[cart]", "[basket]"), encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "archgen", "check", "--format", "json"], cwd=tmp_path, capture_output=True, text=True
    )
    findings = [(m["name"], f["rule"]) for m in json.loads(out.stdout)["models"] for f in m["findings"]]
    assert [f for f in findings if f[1] == "MODEL-ADR-COMPONENT"] == [("billing", "MODEL-ADR-COMPONENT")]


# -- the threat each rule guards against --------------------------------------------


def test_every_threshold_cites_a_public_source() -> None:
    """A threshold's source is a page a reader can open, never a file outside the repository or the wheel."""
    from archgen.catalog import thresholds
    from archgen.rules._base import UNREADABLE_REFERENCES

    found = [t for t in vars(thresholds).values() if isinstance(t, thresholds.Threshold)]
    assert len(found) >= 10
    for t in found:
        assert "https://" in t.source, t.name
        for pattern in UNREADABLE_REFERENCES:
            assert not pattern.search(t.source), (t.name, pattern.pattern)


def test_a_rule_that_cites_an_unreadable_document_is_incomplete() -> None:
    from dataclasses import replace

    rule = all_rules()[0]
    broken = replace(rule, doc=rule.doc.replace("## References\n", "## References\n- domain-facts 2c\n", 1))
    assert any("cannot open" in p for p in broken.problems())
    stripped = replace(get_rule("SEC-PUBLIC-DATASTORE"), cwe=())
    assert "a security rule states its STRIDE categories and CWE ids" in stripped.problems()


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.id)
def test_the_threat_shows_in_explain_json_sarif_and_the_rule_page(rule) -> None:
    import json

    from archgen.rendering.listings import rules_json, rules_text
    from archgen.rendering.sarif import to_sarif
    from archgen.site.pages import rule_pages

    sections = rule.sections()
    assert sections["Threat"] and sections["False positives"]
    text = rules_text([rule], explain=True)
    assert "## Threat" in text and "## False positives" in text
    data = json.loads(rules_json([rule], explain=True))
    assert data["stride"] == list(rule.stride) and data["cwe"] == [f"CWE-{n}" for n in rule.cwe]
    assert data["false_positives"] == sections["False positives"] and data["references"]
    assert all(u.startswith("https://") or u.startswith("http://") for u in data["references"])
    (desc,) = [d for d in to_sarif([])["runs"][0]["tool"]["driver"]["rules"] if d["id"] == rule.id]
    tags = desc["properties"]["tags"]
    assert len(tags) == len(set(tags))
    for n in rule.cwe:
        assert f"external/cwe/cwe-{n:03d}" in tags
        assert f"CWE-{n}" in desc["help"]["markdown"]
    for s in rule.stride:
        assert f"stride/{s}" in tags
    assert "False positives" in desc["help"]["text"]
    page = rule_pages()[f"rules/{rule.id}.md"]
    assert "## Threat" in page and "## False positives" in page
    for n in rule.cwe:
        assert f"https://cwe.mitre.org/data/definitions/{n}.html" in page


# -- the gallery holds the rules to a reviewer's verdicts ----------------------------

GALLERY = Path(__file__).parent.parent / "examples"


def _gallery_folders() -> list[str]:
    return sorted(p.name for p in GALLERY.iterdir() if (p / "expected-findings.yaml").is_file()) if GALLERY.is_dir() else []


@pytest.mark.parametrize("folder", _gallery_folders())
def test_no_finding_a_reviewer_rejected_and_none_missing(folder: str, monkeypatch) -> None:
    """Each example's reviewed findings: a rejected one (a false positive) must not fire, an
    agreed one must. A finding nobody reviewed fails tests/test_gallery.py."""
    import yaml

    from archgen.decisions.adr import load_decisions
    from archgen.sources.loader import load_models

    reviewed = yaml.safe_load((GALLERY / folder / "expected-findings.yaml").read_text(encoding="utf-8")) or []
    monkeypatch.chdir(GALLERY / folder)
    models = load_models(())
    decisions = load_decisions(".")
    fired = {(f.rule, f.component) for m in models for f in run_rules(m, decisions, models=models) if not f.accepted}
    rejected = {(i["rule"], i["component"]) for i in reviewed if i["verdict"] == "reject"}
    agreed = {(i["rule"], i["component"]) for i in reviewed if i["verdict"] == "agree"}
    assert not rejected & fired, f"false positives a reviewer rejected still fire: {sorted(rejected & fired, key=str)}"
    assert agreed <= fired, f"risks a reviewer agreed with are no longer caught: {sorted(agreed - fired, key=str)}"
    assert not rejected, f"{folder}: rejected findings are false positives to fix in the rules, not to keep"


# -- the metadata file (rules/data/rules.yaml, drift/data/rules.yaml) ----------------

_GOOD = """\
MODEL-A:
  title: A
  category: model
  severity: warning
  remediation: Do a.
MODEL-B:
  title: B
  category: model
  severity: error
  remediation: Do b.
  cwe: [1008]
  after_others: true
"""
_MODULES = {"MODEL-A": "x.model_a", "MODEL-B": "x.model_b"}


def _data_problems(text: str, modules: dict[str, str] = _MODULES) -> str:
    from archgen.rules._registry import RuleDataError, parse_rule_data

    with pytest.raises(RuleDataError) as caught:
        parse_rule_data(text, "rules.yaml", modules)
    return str(caught.value)


def test_rule_data_reads_fields_with_their_types() -> None:
    from archgen.rules._registry import parse_rule_data

    data = parse_rule_data(_GOOD, "rules.yaml", _MODULES)
    assert data["MODEL-B"] == {"title": "B", "category": "model", "severity": "error", "remediation": "Do b.",
                               "cwe": (1008,), "after_others": True}


def test_rule_data_unknown_key_is_one_positioned_message() -> None:
    text = _GOOD.replace("  cwe: [1008]", "  cve: [1008]")
    assert _data_problems(text) == "rules.yaml:11:3: MODEL-B: unknown key 'cve' (known: title, category, " \
        "severity, remediation, stride, cwe, checkov, after_others)"


def test_rule_data_missing_field() -> None:
    text = _GOOD.replace("  remediation: Do a.\n", "")
    assert _data_problems(text) == "rules.yaml:1:1: MODEL-A lacks remediation"


def test_rule_data_wrong_type() -> None:
    assert _data_problems(_GOOD.replace("[1008]", "[CWE-1008]")) == \
        "rules.yaml:11:3: MODEL-B: cwe is a list of int, not ['CWE-1008']"
    assert "after_others is a bool, not 'yes please'" in _data_problems(_GOOD.replace("true", "yes please"))


def test_rule_data_id_with_no_module() -> None:
    text = _GOOD + "MODEL-C:\n  title: C\n  category: model\n  severity: info\n  remediation: Do c.\n"
    assert _data_problems(text) == "rules.yaml:13:1: MODEL-C has no module in the registry"


def test_rule_data_module_with_no_entry() -> None:
    assert _data_problems(_GOOD, {**_MODULES, "MODEL-Z": "x.model_z"}) == "rules.yaml: MODEL-Z (x.model_z) has no entry"


def test_rule_data_id_twice_and_order() -> None:
    twice = _GOOD + _GOOD.split("MODEL-B:")[0]
    assert "rules.yaml:13:1: MODEL-A is described twice" in _data_problems(twice)
    swapped = "MODEL-B:" + _GOOD.split("MODEL-B:")[1] + _GOOD.split("MODEL-B:")[0]
    assert _data_problems(swapped) == "rules.yaml: the entries are not in the order of the registry"


def test_packaged_rule_data_describes_every_registered_rule() -> None:
    """Both files load, and each rule carries its entry (the Rule record the rest of archgen reads)."""
    from archgen.drift import REGISTRY as DRIFT
    from archgen.drift import all_drift_rules
    from archgen.rules import REGISTRY

    for registry, rules in ((REGISTRY, all_rules()), (DRIFT, all_drift_rules())):
        assert list(registry.metadata) == list(registry.modules)
        for rule in rules:
            assert {k: getattr(rule, k) for k in registry.metadata[rule.id]} == registry.metadata[rule.id]


def test_a_module_outside_the_registry_cannot_declare() -> None:
    from archgen.rules import REGISTRY
    from archgen.rules._registry import RuleDataError

    with pytest.raises(RuleDataError, match="archgen.rules.nowhere is not in the registry of archgen.rules"):
        REGISTRY.declare("archgen.rules.nowhere", lambda ctx: iter(()), "")
