"""Skeleton Terraform: derived from the graph, escaped, canonical, and checked by real tools.

Real parts throughout: models go through the real loader from YAML files, every
generated file is parsed with python-hcl2, ``terraform fmt -check`` and (where a local
provider mirror exists) ``terraform validate`` run on the output, and Checkov runs once
per session on the example's skeletons. A missing terraform binary or provider mirror
skips with a reason; a missing Checkov skips too, unless the CI environment variable is
set (scripts/setup.sh installs it), and then fails.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import hcl2
import pytest
import tfplan
from conftest import EXAMPLE, ROOT

from archgen.catalog import get_catalog
from archgen.sources.loader import load_model
from archgen.generators.terraform import (
    PROVIDERS,
    accepted_checks,
    expected_checkov_failures,
    gap_components,
    generate,
    generated_gaps,
)
from archgen.generators.terraform._plan import build_plan, provider_data
from archgen.generators.terraform._render import resource_addresses
from archgen.rendering.textutil import hcl_string

CHECKOV = ROOT / ".tools" / "checkov" / "bin" / "checkov"
TERRAFORM = shutil.which("terraform")
IN_CI = bool(os.environ.get("CI"))
GOLDEN = ROOT / "tests" / "golden" / "terraform" / "ml-serving" / "aws"
TEMPLATES = ROOT / "src" / "archgen" / "generators" / "terraform" / "templates"
SCHEMAS = ROOT / ".tools" / "tf-schemas"
#: One component of every kind archgen provisions, for every provider (see its description).
EVERY_KIND = ROOT / "tests" / "fixtures" / "terraform" / "every-kind.yaml"
#: The gallery's models (examples/*/arch/*.yaml), each checked on its own provider.
GALLERY = sorted((ROOT / "examples").glob("*/arch/*.yaml"))

# Every template branch that the example does not take: a public bucket with no CDN, a
# CDN in front of a load balancer, an internal load balancer, two targets behind one
# load balancer, a plain-HTTP flow, secrets with no secrets component (and an env value
# that is one), a call to an external system, a kind archgen does not generate yet.
VARIANTS = """\
archgen: 1
name: variants
title: Variants of every template branch
provider: aws
region: eu-west-1
requirements:
  monthly_budget_usd: 250
components:
  users: {kind: actor}
  site: {kind: static_site, public: true}
  edge: {kind: cdn}
  gw: {kind: load_balancer, public: true}
  inner: {kind: load_balancer}
  app-one:
    kind: container_service
    high_availability: true
    env: {MODE: fast, API_TOKEN: "tok-1234567890", RETRIES: 3, VERBOSE: true}
    secrets: [SESSION_KEY]
  app_two: {kind: container_service}
  db2: {kind: postgres}
  jobs: {kind: queue}
  partner: {kind: external}
  watch: {kind: monitoring}
flows:
  - users -> site: https
  - users -> edge: https
  - edge -> gw: https
  - users -> gw: https
  - gw -> app-one: https
  - gw -> app_two: http
  - app_two -> inner: https
  - inner -> app-one: http
  - app_two -> db2: postgres
  - app-one -> partner: https
  - app-one -> jobs
  - app-one -> watch: logs
"""

# Model text that would be syntax or interpolation if it reached HCL unescaped. If
# ${var.nope} survived anywhere, `terraform validate` would fail on the undeclared
# variable; a stray quote or newline would fail python-hcl2 and `terraform fmt`.
EVIL = '${var.nope} %{ if true }x%{ endif } \\"q\\" back\\\\slash'
HOSTILE = f"""\
archgen: 1
name: hostile
title: "Evil {EVIL} | pipe `tick` <b>html</b>"
provider: aws
region: us-east-1
requirements:
  monthly_budget_usd: 100
components:
  users: {{kind: actor, title: "People {EVIL}"}}
  dns: {{kind: dns, title: "Zone {EVIL}\\nsecond line"}}
  cdn: {{kind: cdn, title: "CDN %{{ for x in [1] }}${{x}}%{{ endfor }}"}}
  web: {{kind: static_site, title: "Site \\\\${{var.nope}}"}}
  lb:
    kind: load_balancer
    public: true
    title: "LB \\"}}\\n resource \\"x\\" \\"y\\" {{"
  api:
    kind: container_service
    title: "API {EVIL}\\r\\ttab"
    description: "desc {EVIL}"
    secrets: [DATABASE_URL, weird.name-1]
    env:
      "X_${{var.nope}}": "{EVIL}"
      NOTE: "line1\\nline2 {EVIL}"
      API_KEY: "sk_live_abcdefghijklmnopqrstuvwx"
  db: {{kind: postgres, title: "DB {EVIL}"}}
  model: {{kind: ml_endpoint, title: "Model {EVIL}"}}
  vault: {{kind: secrets, title: "Vault {EVIL}"}}
  images: {{kind: registry, title: "Images {EVIL}"}}
  logs: {{kind: monitoring, title: "Logs {EVIL}"}}
  spend: {{kind: budget, title: "Spend {EVIL}"}}
flows:
  - users -> dns
  - users -> cdn: "https {EVIL}"
  - cdn -> web: https
  - users -> lb: "https \\"x\\""
  - lb -> api: "http %{{ if }}"
  - api -> db: postgres
  - api -> model: https
  - api -> vault: https
  - api -> images
  - api -> logs
  - model -> logs
"""
LEAKED_VALUE = "sk_live_abcdefghijklmnopqrstuvwx"


def _model(tmp_path: Path, name: str, text: str):
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return load_model(path)


@pytest.fixture(scope="module")
def example():
    return load_model(EXAMPLE)


@pytest.fixture(scope="module")
def models(tmp_path_factory, example):
    tmp = tmp_path_factory.mktemp("models")
    return {
        "example": example,
        "variants": _model(tmp, "variants", VARIANTS),
        "hostile": _model(tmp, "hostile", HOSTILE),
        "every-kind": load_model(EVERY_KIND),
        **{f"gallery/{p.stem}": load_model(p) for p in GALLERY},
    }


def _write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _resources(files: dict[str, str]) -> dict[str, dict[str, dict]]:
    """type -> name -> body, from python-hcl2's parse of every .tf file."""
    out: dict[str, dict[str, dict]] = {}
    for name, text in files.items():
        if not name.endswith(".tf"):
            continue
        for block in hcl2.loads(text).get("resource", []):
            for rtype, named in block.items():
                for rname, body in named.items():
                    out.setdefault(rtype, {})[rname] = body
    return out


def _variable_default(files: dict[str, str], name: str):
    for block in hcl2.loads(files["variables.tf"])["variable"]:
        if name in block:
            return _one(_one(block[name])["default"])
    raise KeyError(name)


def _one(value):
    """python-hcl2 wraps some attribute values in a one-element list."""
    return value[0] if isinstance(value, list) and len(value) == 1 else value


def _require_terraform():
    # CI machines may lack terraform (there is no PyPI or Debian package): skip, even on CI
    if TERRAFORM is None:
        pytest.skip("terraform is not installed on this machine (no PyPI or Debian package exists)")
    return TERRAFORM


def _tf_env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "TF_CLI_CONFIG_FILE": os.devnull, "TF_IN_AUTOMATION": "1", "TF_DATA_DIR": str(tmp_path / ".tfdata")}


#: A local provider mirror holding hashicorp/aws, for an offline `terraform validate`.
_aws_mirror = tfplan.aws_mirror


# -- the public API --------------------------------------------------------------------


def test_example_matches_golden_files(example, golden):
    files = generate(example)
    assert sorted(files) == [
        "README.md", "main.tf", "network.tf", "outputs.tf", "tests/plan.tftest.hcl", "variables.tf", "versions.tf",
    ]
    for name, text in files.items():
        golden(f"terraform/ml-serving/aws/{name}", text)
    # no golden file is left over from an older layout
    assert {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file()} == set(files)


def test_same_model_same_bytes_whatever_the_yaml_order(tmp_path, example):
    text = EXAMPLE.read_text(encoding="utf-8")
    head, flows = text.split("\nflows:\n")
    items = [line for line in flows.splitlines() if line.strip()]
    # reverse the one-line flows; keep the long-form flow (three lines) together
    blocks: list[list[str]] = []
    for line in items:
        if line.startswith("  - "):
            blocks.append([line])
        else:
            blocks[-1].append(line)
    reordered = head + "\nflows:\n" + "\n".join(line for block in reversed(blocks) for line in block) + "\n"
    other = _model(tmp_path, "ml-serving", reordered)
    assert len(other.flows) == len(example.flows)
    for provider in PROVIDERS:
        assert generate(other, provider) == generate(example, provider)


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize("which", ["example", "variants", "hostile", "every-kind"])
def test_every_file_parses_and_says_it_is_generated(models, which, provider):
    files = generate(models[which], provider)
    assert {"versions.tf", "variables.tf", "main.tf", "outputs.tf", "README.md", "tests/plan.tftest.hcl"} <= set(files)
    for name, text in files.items():
        assert text.endswith("\n") and not text.endswith("\n\n"), name
        if name.endswith((".tf", ".hcl")):
            assert text.startswith("# Generated by archgen from the model "), name
            hcl2.loads(text)  # raises on bad syntax
        else:
            assert text.startswith("<!-- Generated by archgen from the model "), name


def test_versions_pin_ranges_that_terraform_and_opentofu_accept(example):
    for provider in PROVIDERS:
        doc = hcl2.loads(generate(example, provider)["versions.tf"])
        tf = doc["terraform"][0]
        assert _one(tf["required_version"]) == ">= 1.6"  # OpenTofu starts at 1.6
        for name, spec in _one(tf["required_providers"]).items():
            version = _one(spec)["version"]
            assert re.fullmatch(r">= \d+\.\d+, < \d+\.0", version), (provider, name, version)
    aws = _one(hcl2.loads(generate(example, "aws")["versions.tf"])["terraform"][0]["required_providers"])["aws"]
    assert _one(aws)["version"] == ">= 5.0, < 7.0"  # 5.x validates offline against a mirror


def test_unknown_provider_is_a_usage_error(example):
    from archgen.errors import UsageError

    with pytest.raises(UsageError):
        generate(example, "ibm")


# -- escaping ----------------------------------------------------------------------------


@pytest.mark.parametrize("provider", PROVIDERS)
def test_hostile_text_never_becomes_syntax_or_interpolation(models, provider):
    files = generate(models["hostile"], provider)
    for name, text in files.items():
        if not name.endswith(".tf"):
            continue
        hcl2.loads(text)
        # every ${ or %{ that comes from the model is escaped as $${ or %%{
        assert not re.search(r"(?<!\$)\$\{var\.nope\}", text), name
        assert not re.search(r"(?<!%)%\{ ?(if|for|endif|endfor)\b", text), name
        assert 'resource "x" "y"' not in text, name
    for text in files.values():
        assert LEAKED_VALUE not in text


def test_hostile_titles_reach_hcl_as_one_escaped_string(models):
    """The title survives whole as data: python-hcl2 reads back exactly the escaped literal."""
    model = models["hostile"]
    api = model.components["api"]
    doc = hcl2.loads(generate(model, "aws")["variables.tf"])
    descriptions = [_one(_one(body)["description"]) for block in doc["variable"] for body in block.values()]
    wanted = hcl_string(f"Image tag of {api.display_name} (api) in the images repository, e.g. 1.0.0 (tags are immutable).")[1:-1]
    assert wanted in descriptions


def test_hostile_aws_skeleton_validates(models, tmp_path):
    """With a provider mirror, `terraform validate` proves no ${var.nope} was interpolated."""
    _validate_aws(generate(models["hostile"], "aws"), tmp_path)


# -- secrets -------------------------------------------------------------------------------


def test_secrets_go_by_reference_and_secret_env_values_are_never_written(models):
    model = models["variants"]
    for provider in PROVIDERS:
        files = generate(model, provider)
        everything = "".join(files.values())
        assert "tok-1234567890" not in everything, provider
        assert "API_TOKEN" in files["main.tf"], provider  # it became a secret, by name
        assert "API_TOKEN" in files["README.md"], provider  # and the README says so
    aws = _resources(generate(model, "aws"))
    task = _one(aws["aws_ecs_task_definition"]["app_one"]["container_definitions"])
    assert '"name": "API_TOKEN", "valueFrom": ' in task.replace("'", '"')
    assert '"name": "SESSION_KEY", "valueFrom": ' in task.replace("'", '"')
    assert '"name": "MODE", "value": "fast"' in task.replace("'", '"')
    # no component stores secrets in the model, so archgen adds the store (and says so)
    assert set(aws["aws_secretsmanager_secret"]) == {"secrets"}
    assert not any(t.endswith("_secret_version") for t in aws)


# -- the graph decides the network -----------------------------------------------------------


def _aws_rules(files: dict[str, str]) -> set[tuple[str, str]]:
    res = _resources(files)
    rules = set()
    for name, body in res.get("aws_vpc_security_group_ingress_rule", {}).items():
        target = _one(body["security_group_id"])
        source = _one(body.get("referenced_security_group_id", "")) or _one(body.get("cidr_ipv4", "")) or "prefix-list"
        port = str(_one(body.get("from_port", "all")))
        rules.add((re.sub(r"^\$\{aws_security_group\.(\w+)\.id\}$", r"\1", target), re.sub(r"^\$\{aws_security_group\.(\w+)\.id\}$", r"\1", source) + ":" + re.sub(r"^\$\{|\}$", "", port)))
    return rules


def test_security_groups_admit_exactly_the_flows_of_the_example(example):
    assert _aws_rules(generate(example, "aws")) == {
        ("lb", "0.0.0.0/0:443"),
        ("lb", "0.0.0.0/0:80"),
        ("api", "lb:var.api_container_port"),
        ("db", "api:5432"),
    }


def test_network_follows_a_changed_model(tmp_path, example):
    text = EXAMPLE.read_text(encoding="utf-8")
    # the load balancer is no longer public (users still reach it), a worker reads the
    # database, and the api no longer does
    changed = text
    for old, new in [
        ("  - api -> db: postgres\n", "  - worker -> db: postgres\n"),
        ("    title: Application load balancer\n    public: true\n", "    title: Application load balancer\n"),
        ("  db:\n", "  worker:\n    kind: container_service\n  db:\n"),
        ("  - users -> lb: https\n", ""),
    ]:
        assert changed.count(old) == 1, f"the example changed: {old!r}"
        changed = changed.replace(old, new)
    model = _model(tmp_path, "ml-serving", changed)
    files = generate(model, "aws")
    assert _aws_rules(files) == {("api", "lb:var.api_container_port"), ("db", "worker:5432")}
    res = _resources(files)
    assert _one(res["aws_lb"]["lb"]["internal"]) is True
    assert "lb_http" not in res["aws_lb_listener"]  # no redirect listener when not public
    assert _one(res["aws_db_instance"]["db"]["publicly_accessible"]) is False


def test_example_data_stores_are_private_encrypted_and_kept(example):
    res = _resources(generate(example, "aws"))
    db = res["aws_db_instance"]["db"]
    assert _one(db["publicly_accessible"]) is False
    assert _one(db["storage_encrypted"]) is True
    assert _one(db["deletion_protection"]) is True
    assert _one(db["multi_az"]) is True  # the model says high_availability
    assert _one(db["backup_retention_period"]) >= 7
    assert _one(db["manage_master_user_password"]) is True
    pab = res["aws_s3_bucket_public_access_block"]["web"]
    assert all(_one(pab[k]) is True for k in ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"))
    assert "aws_cloudfront_origin_access_control" in res
    listeners = res["aws_lb_listener"]
    assert _one(listeners["lb_https"]["protocol"]) == "HTTPS"
    redirect = _one(_one(listeners["lb_http"]["default_action"])["type"])
    assert redirect == "redirect"
    assert _one(res["aws_sagemaker_endpoint_configuration"]["model"]["kms_key_arn"])


def test_variants_take_their_branches(models):
    res = _resources(generate(models["variants"], "aws"))
    assert "aws_s3_bucket_website_configuration" in res  # public site, no CDN
    assert _one(res["aws_lb"]["inner"]["internal"]) is True
    assert "inner_http" not in res["aws_lb_listener"]
    assert set(res["aws_lb_target_group"]) == {"gw_app_one", "gw_app_two", "inner_app_one"}
    assert _one(res["aws_lb_target_group"]["gw_app_two"]["protocol"]) == "HTTP"  # the flow says http
    assert _one(res["aws_lb_target_group"]["gw_app_one"]["protocol"]) == "HTTPS"
    assert "gw_app_two" in res["aws_lb_listener_rule"]
    assert _one(res["aws_ecs_service"]["app_one"]["desired_count"]) == "${var.app_one_desired_count}"
    assert _variable_default(generate(models["variants"], "aws"), "app_one_desired_count") == 2  # high_availability
    assert _one(res["aws_db_instance"]["db2"]["multi_az"]) is False
    # CloudFront reaches the load balancer through AWS's origin prefix list
    assert "prefix_list_id" in res["aws_vpc_security_group_ingress_rule"]["gw_from_edge"]
    readme = generate(models["variants"], "aws")["README.md"]
    assert "jobs" in readme and "aws\\_sqs\\_queue" in readme  # not generated yet, and said so


def test_variants_aws_skeleton_validates(models, tmp_path):
    _validate_aws(generate(models["variants"], "aws"), tmp_path)


@pytest.mark.parametrize("path", [p for p in GALLERY if str(load_model(p).provider) == "aws"], ids=lambda p: p.stem)
def test_gallery_aws_skeletons_validate(models, path, tmp_path):
    """terraform validate against the real AWS provider; a model with components placed on
    a cluster needs the kubernetes and helm providers too, which no offline mirror holds:
    those are checked against the providers' schemas instead."""
    model = models[f"gallery/{path.stem}"]
    if build_plan(model, "aws").guests:
        pytest.skip("components placed on a cluster: the kubernetes and helm providers are not in the offline mirror")
    _validate_aws(generate(model, "aws"), tmp_path)


# -- catalog: resource types and gaps -----------------------------------------------------------


def test_gaps_come_from_the_catalog(example):
    cat = get_catalog()
    assert generated_gaps(example, "aws") == []
    azure = " ".join(generated_gaps(example, "azure"))
    assert cat.service("ml_endpoint", "azure").terraform_gap in azure
    gcp = " ".join(generated_gaps(example, "gcp"))
    assert cat.service("ml_endpoint", "gcp").terraform_gap in gcp
    k8s = " ".join(generated_gaps(example, "kubernetes"))
    assert cat.gap("cdn", "kubernetes") in k8s
    for provider in PROVIDERS:
        readme = generate(example, provider)["README.md"]
        for gap in generated_gaps(example, provider):
            assert gap.split(":")[0].split(" ")[0] in readme


@pytest.mark.parametrize("provider", PROVIDERS)
def test_templates_exist_only_for_catalog_services(provider):
    cat = get_catalog()
    keys = {s.key for s in cat.all_services() if s.provider == provider}
    services = provider_data(provider)["services"]
    assert set(services) <= keys, set(services) - keys
    # a template serves the service of its name or the services that name it (template:)
    used = {(spec or {}).get("template", f"{key}.tf.j2").removesuffix(".tf.j2") for key, spec in services.items()} | keys
    stems = {p.name.split(".")[0] for p in (TEMPLATES / provider / "services").glob("*.j2")}
    assert stems <= used, stems - used


# -- real tools ---------------------------------------------------------------------------------


def test_terraform_fmt_check_passes(models, tmp_path):
    terraform = _require_terraform()
    for which, model in sorted(models.items()):
        for provider in PROVIDERS:
            folder = _write(tmp_path / which / provider, generate(model, provider))
            result = subprocess.run(
                [terraform, "fmt", "-check", "-diff", "-no-color", str(folder)],
                capture_output=True, text=True, env=_tf_env(tmp_path), timeout=60,
            )
            assert result.returncode == 0, f"{which}/{provider}:\n{result.stdout}{result.stderr}"


def test_example_aws_skeleton_validates(example, tmp_path):
    _validate_aws(generate(example, "aws"), tmp_path)


def _init_aws(files: dict[str, str], tmp_path: Path) -> tuple[str, Path, dict[str, str]]:
    """The skeleton written to tmp_path/aws and `terraform init` run on it against the local
    provider mirror: (the terraform binary, the folder, its environment)."""
    terraform = _require_terraform()
    mirror = _aws_mirror()
    if mirror is None:
        pytest.skip("no local mirror of hashicorp/aws for an offline terraform init (set ARCHGEN_TF_PLUGIN_DIR)")
    folder = _write(tmp_path / "aws", files)
    env = _tf_env(tmp_path)
    init = subprocess.run(
        [terraform, "init", "-backend=false", "-input=false", "-no-color", f"-plugin-dir={mirror}"],
        cwd=folder, capture_output=True, text=True, env=env, timeout=300,
    )
    assert init.returncode == 0, init.stdout + init.stderr
    return terraform, folder, env


def _validate_aws(files: dict[str, str], tmp_path: Path) -> None:
    terraform, folder, env = _init_aws(files, tmp_path)
    result = subprocess.run([terraform, "validate", "-no-color"], cwd=folder, capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


CHECKOV_MODELS = ("example", "variants", "every-kind")
#: (model, provider) pairs Checkov runs on: the three above on every provider, and each
#: gallery model on its own provider.
CHECKOV_RUNS = [(w, p) for w in CHECKOV_MODELS for p in PROVIDERS] + [
    (f"gallery/{path.stem}", str(load_model(path).provider)) for path in GALLERY
]


@pytest.fixture(scope="module")
def checkov_results(models, tmp_path_factory):
    """Checkov, run once over the skeletons of the example, the variants and the model
    with every kind, for every provider: (model, provider) -> {(check, resource)}."""
    if not CHECKOV.exists():
        if IN_CI:
            pytest.fail(f"Checkov is missing at {CHECKOV} and CI is set (scripts/setup.sh installs it)")
        pytest.skip(f"Checkov is not installed at {CHECKOV}; run scripts/setup.sh")
    root = tmp_path_factory.mktemp("checkov")
    for which, provider in CHECKOV_RUNS:
        files = generate(models[which], provider)
        _write(root / which.replace("/", "_") / provider, {k: v for k, v in files.items() if k.endswith(".tf") and "/" not in k})
    env = {**os.environ, "BC_SKIP_MAPPING": "TRUE", "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false", "LOG_LEVEL": "ERROR"}
    result = subprocess.run(
        [str(CHECKOV), "-d", str(root), "--framework", "terraform", "-o", "json", "--compact", "--skip-download"],
        capture_output=True, text=True, env=env, timeout=1800,
    )
    assert result.returncode in (0, 1), result.stderr[-2000:]
    report = json.loads(result.stdout)
    report = report[0] if isinstance(report, list) else report
    assert report["summary"]["parsing_errors"] == 0
    failures: dict[tuple[str, str], set[tuple[str, str]]] = {run: set() for run in CHECKOV_RUNS}
    folders = {w.replace("/", "_"): w for w, _ in CHECKOV_RUNS}
    for failed in report["results"]["failed_checks"]:
        folder, provider = Path(failed["file_path"]).parts[1:3]
        which = folders[folder]
        # for_each and count instances are one resource of the configuration
        failures[(which, provider)].add((failed["check_id"], re.sub(r"\[[^\]]*\]$", "", failed["resource"])))
    import tfreport as terraform_report

    return failures, {**report["summary"], "per_run": terraform_report.counts(report, CHECKOV_RUNS)}


@pytest.mark.parametrize(("which", "provider"), CHECKOV_RUNS)
def test_checkov_fails_exactly_the_checks_the_readme_lists(models, checkov_results, which, provider):
    """What Checkov reports, check by check and resource by resource, is what the
    skeleton says it fails (provider.yaml's checkov_accepted, computed for this model),
    and the README lists exactly those checks, each with its reason."""
    failures, summary = checkov_results
    assert summary["passed"] > 0
    model = models[which]
    expected = {(cid, a) for cid, addresses in expected_checkov_failures(model, provider).items() for a in addresses}
    got = failures[(which, provider)]
    assert not got - expected, f"{which}/{provider}: Checkov fails these and the README does not say so: {sorted(got - expected)}"
    assert not expected - got, f"{which}/{provider}: listed as failing but Checkov passes them: {sorted(expected - got)}"
    readme = generate(model, provider)["README.md"]
    section = readme.split("## Checkov checks this skeleton does not satisfy")[-1] if got else ""
    listed = set(re.findall(r"^\| `(CKV2?_[A-Z0-9_]+)` \|", section, re.MULTILINE))
    assert listed == {cid for cid, _ in got}
    assert set(accepted_checks(model, provider)) == listed


def test_the_report_in_the_docs_is_what_was_measured(models, checkov_results):
    """docs/terraform.md's table (tests/tfreport.py) says what the tests measure:
    resources written, components left to do by hand, no schema or reference problem, and
    Checkov's passed and failed checks."""
    import tfreport as terraform_report

    _, summary = checkov_results
    docs = (ROOT / "docs" / "terraform.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| ([\w/-]+) \| (aws|azure|gcp|kubernetes) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \|$", docs, re.MULTILINE)
    assert {(w, p) for w, p, *_ in rows} == set(terraform_report.runs())
    for which, provider, resources, gaps, problems, passed, failed in rows:
        measured = terraform_report.measure(which, provider)
        assert (int(resources), int(gaps), int(problems)) == (measured["resources"], measured["gaps"], measured["schema_problems"]), (which, provider)
        assert (int(passed), int(failed)) == summary["per_run"][(which, provider)], (which, provider)


# -- every kind, on every provider -------------------------------------------------------------


@pytest.mark.parametrize(
    "provider",
    PROVIDERS,
)
def test_every_provisionable_kind_is_generated_where_the_catalog_has_a_service(models, provider):
    """Each kind's default service on each provider is written by a template, unless the
    catalog itself says Terraform cannot provision it (its terraform_gap: no resource
    type, or only a beta provider's)."""
    cat = get_catalog()
    model = models["every-kind"]
    kinds = {c.kind for c in model.components.values() if cat.provisioned(c.kind)}
    assert kinds == {k for k in cat.kinds if cat.provisioned(k)}, "the every-kind model misses a kind"
    plan = build_plan(model, provider)
    missing = [
        f"{p.id} ({p.kind}, {p.key})"
        for p in plan.parts
        if not p.implicit and p.service.terraform and not p.service.terraform_gap and p.template is None and not p.why_not
    ]
    assert missing == []


@pytest.mark.parametrize("provider", PROVIDERS)
def test_the_gaps_are_one_list_for_readme_command_and_comparison(models, provider):
    from archgen.generators.compare import compare

    model = models["every-kind"]
    readme = generate(model, provider)["README.md"]
    section = readme.split("## Gaps: left to do by hand")[1].split("\n## ")[0]
    assert [line[2:] for line in section.splitlines() if line.startswith("- ")] == [
        _md(g) for g in generated_gaps(model, provider)
    ]
    assert compare(model).providers[provider].terraform_gaps == gap_components(model, provider)


def _md(text: str) -> str:
    from archgen.rendering.textutil import md_text

    return md_text(text)


# -- provider schemas ------------------------------------------------------------------------------


def _schemas() -> dict:
    import tfschema

    found = tfschema.load(SCHEMAS) if SCHEMAS.exists() else {}
    if not {"azurerm", "google", "kubernetes", "helm", "aws"} <= set(found):
        if IN_CI:
            pytest.fail(f"provider schemas are missing from {SCHEMAS} and CI is set (scripts/setup.sh fetches them)")
        pytest.skip(f"provider schemas are missing from {SCHEMAS}; run: python tests/tfschema.py fetch {SCHEMAS}")
    return found


#: Resource types of providers with no schema here (no CDKTF bindings are published for them).
UNCHECKED = {"azapi_resource", "azuredevops_project", "azuredevops_git_repository", "azuredevops_build_definition"}


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize("which", ["example", "variants", "hostile", "every-kind"] + [f"gallery/{p.stem}" for p in GALLERY])
def test_every_resource_argument_and_block_is_in_the_provider_schema(models, which, provider):
    """Every resource and data source type, argument and nested block exists in the
    provider's schema (azurerm 4.55, google 6.50, kubernetes 2.38, helm 3.1, and aws 6.25
    beside the 5.100 that terraform validates against), and no required argument is
    missing."""
    import tfschema

    files = generate(models[which], provider)
    problems, unchecked, checked = tfschema.check(files, _schemas())
    assert problems == []
    # and every variable, local, resource and data source referred to is declared
    assert tfschema.undefined_references(files) == []
    assert unchecked <= UNCHECKED
    assert checked > 0


@pytest.mark.parametrize("provider", [p for p in PROVIDERS if provider_data(p).get("tags")])
def test_tagged_types_are_the_ones_the_schema_gives_tags(provider):
    """provider.yaml's list of types that take tags (or labels) is what the provider's
    schema says, for every type archgen may write."""
    import tfschema

    spec = provider_data(provider)["tags"]
    schema = _schemas()[{"aws": "aws", "azure": "azurerm", "gcp": "google"}.get(provider, provider)]
    types = set(provider_data(provider)["supporting_types"])
    for svc in get_catalog().all_services():
        if svc.provider == provider:
            types |= set(svc.terraform)
    other = spec.get("argument_of", {})
    expected = set(tfschema.taggable(schema, types - set(other), spec["argument"])) | {
        t for t, arg in other.items() if t in types and arg in schema["resources"].get(t, {})
    }
    assert sorted(spec["types"]) == sorted(expected)


@pytest.mark.parametrize("provider", [p for p in PROVIDERS if provider_data(p).get("tags")])
def test_every_resource_of_a_component_carries_its_model_and_component(models, provider):
    spec = provider_data(provider)["tags"]
    model = models["every-kind"]
    files = generate(model, provider)
    sections = re.split(r"^# -- ([a-z][a-z0-9_-]*): ", files["main.tf"], flags=re.MULTILINE)
    tagged = 0
    for cid, body in zip(sections[1::2], sections[2::2], strict=True):
        for block in hcl2.loads(body.split("\n", 1)[1]).get("resource", []):
            for rtype, named in block.items():
                if rtype not in spec["types"]:
                    continue
                for rname, conf in named.items():
                    tags = _one(conf.get(spec.get("argument_of", {}).get(rtype, spec["argument"])))
                    assert isinstance(tags, dict), f"{rtype}.{rname} has no {spec['argument']}"
                    assert tags.get(spec["component"]) == cid, f"{rtype}.{rname}"
                    if not spec.get("model_in_provider"):
                        assert tags.get(spec["model"]) == model.name
                    tagged += 1
    assert tagged > 10
    if spec.get("model_in_provider"):  # the provider block tags (labels) every resource with the model
        key = re.escape(spec["model"])
        assert re.search(rf'^\s+"?{key}"?\s*=\s*"{model.name}"$', files["versions.tf"], re.MULTILINE)


def test_every_kubernetes_resource_of_a_component_carries_its_model_and_component(models):
    """Kubernetes has no tags: every object a component's section creates is labelled
    archgen/model and archgen/component in its metadata (Helm releases excepted: their
    objects are the chart's)."""
    model = models["every-kind"]
    main = generate(model, "kubernetes")["main.tf"]
    sections = re.split(r"^# -- ([a-z][a-z0-9_-]*): ", main, flags=re.MULTILINE)
    checked = 0
    for cid, body in zip(sections[1::2], sections[2::2], strict=True):
        for block in hcl2.loads(body.split("\n", 1)[1]).get("resource", []):
            for rtype, named in block.items():
                if not rtype.startswith("kubernetes_"):
                    continue
                for rname, conf in named.items():
                    if rtype == "kubernetes_manifest":
                        labels = _one(conf["manifest"])["metadata"].get("labels", {})
                    else:
                        labels = _one(conf["metadata"]).get("labels", {})
                    assert labels.get("archgen/component") == cid, f"{rtype}.{rname}"
                    assert labels.get("archgen/model") == model.name, f"{rtype}.{rname}"
                    checked += 1
    assert checked > 20


# -- placement: components that run on the model's cluster ------------------------------------------

#: Services on EKS beside managed ones: the placed ones become Kubernetes objects.
PLACED = ROOT / "tests" / "fixtures" / "terraform" / "placed.yaml"


def test_placed_components_are_written_with_kubernetes_templates_against_the_cluster():
    """EKS + RDS + in-cluster services: the placed ones are Kubernetes objects (a
    Deployment, a Valkey release) written with the kubernetes and helm providers pointed
    at the model's EKS cluster; the cloud firewall sees them as the cluster."""
    import tfschema

    model = load_model(PLACED)
    plan = build_plan(model, "aws")
    assert {p.id for p in plan.guests} == {"shop", "orders", "cart"}
    files = generate(model, "aws")
    res = _resources(files)
    assert "shop" in res["kubernetes_deployment_v1"] and "cart" in res["helm_release"]
    assert "app" in res["kubernetes_namespace_v1"] and "shop" in res["kubernetes_network_policy_v1"]
    versions = hcl2.loads(files["versions.tf"])
    providers = {name for block in versions["provider"] for name in block}
    assert {"aws", "kubernetes", "helm"} <= providers
    assert "aws_eks_cluster.platform.endpoint" in files["versions.tf"]
    # the database admits the cluster (whose security group the pods are in), not a pod
    assert ("db", "platform:5432") in _aws_rules(files)
    # the ECS service reaches the placed service through the cluster's firewall
    assert ("platform", "web:${var.shop_container_port}".replace("${", "").replace("}", "")) in _aws_rules(files) or any(
        target == "platform" and src.startswith("web:") for target, src in _aws_rules(files)
    )
    assert "shop" not in " ".join(generated_gaps(model, "aws"))
    problems, unchecked, _ = tfschema.check(files, _schemas())
    assert problems == [] and not unchecked - UNCHECKED
    assert tfschema.undefined_references(files) == []


def test_a_gallery_platform_moved_to_a_cloud_runs_on_that_clouds_cluster(models):
    """The gallery's Kubeflow platform (its own cluster) generated for AWS: its cluster
    becomes EKS, and what is placed on it is written against that EKS cluster."""
    model = models["gallery/kubeflow-ml-platform"]
    plan = build_plan(model, "aws")
    host = {p.host.id for p in plan.guests}
    assert host == {"cluster"} and plan.part("cluster").key == "eks"
    assert "aws_eks_cluster.cluster.endpoint" in generate(model, "aws")["versions.tf"]


def test_placement_on_a_host_the_skeleton_cannot_reach_is_a_gap(tmp_path):
    model = _model(tmp_path, "on-vm", """\
archgen: 1
name: on-vm
title: A cache on a VM
provider: aws
components:
  box: {kind: vm}
  cache: {kind: cache, runs_on: box}
""")
    gaps = generated_gaps(model, "aws")
    assert any(g.startswith("cache (") and "runs on box" in g for g in gaps)
    assert 'resource "helm_release"' not in generate(model, "aws")["main.tf"]


# -- terraform test: the shipped offline plan ----------------------------------------------------------


@pytest.mark.parametrize("which", ["example", "every-kind"])
def test_shipped_plan_test_plans_every_aws_resource(models, which, tmp_path):
    """`terraform test` runs the skeleton's own tests/plan.tftest.hcl against the real AWS
    provider (fake credentials, example data), and the plan creates every resource."""
    files = generate(models[which], "aws")
    terraform, folder, env = _init_aws(files, tmp_path)
    result = subprocess.run(
        [terraform, "test", "-no-color", "-verbose"], cwd=folder, capture_output=True, text=True, env=env, timeout=900
    )
    assert result.returncode == 0 and "1 passed, 0 failed" in result.stdout, result.stdout[-4000:] + result.stderr[-2000:]
    planned = {re.sub(r"\[[^\]]*\]$", "", a) for a in re.findall(r"^  # (\S+) will be created$", result.stdout, re.MULTILINE)}
    assert planned == set(resource_addresses(files))


# -- the command ----------------------------------------------------------------------------------


def test_cli_writes_the_skeleton_through_the_writer(run_cli, tmp_path, example):
    result = run_cli("terraform", str(EXAMPLE), "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "out" / "ml-serving" / "aws"
    written = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert written == set(generate(example)) | {".archgen-output"}
    assert (folder / "main.tf").read_text(encoding="utf-8") == generate(example)["main.tf"]
    assert "ml-serving (aws): 7 files" in result.stdout
    # another provider, on request: the gaps are printed too
    result = run_cli("terraform", str(EXAMPLE), "--provider", "azure", "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "ml-serving" / "azure" / "main.tf").exists()
    assert "gap: model" in result.stdout
    assert (folder / "main.tf").exists()  # the aws folder is left alone


def test_regenerating_keeps_what_archgen_did_not_write(run_cli, tmp_path, example):
    """State, .terraform/, tfvars, the lock file and the user's own .tf files survive a
    second run; a file archgen wrote before and no longer writes is removed, and only
    that one (the marker .archgen-output says which)."""
    out = tmp_path / "out"
    folder = out / "ml-serving" / "aws"
    assert run_cli("terraform", str(EXAMPLE), "-o", str(out)).returncode == 0
    manifest = json.loads((folder / ".archgen-output").read_text(encoding="utf-8"))
    assert manifest["files"] == sorted(generate(example))
    theirs = {
        "terraform.tfstate": '{"version": 4}',
        "terraform.tfstate.backup": '{"version": 4}',
        "terraform.tfvars": 'domain_name = "example.com"\n',
        ".terraform.lock.hcl": "# lock\n",
        ".terraform/providers/registry.terraform.io/hashicorp/aws/marker": "x",
        "custom.tf": "# mine\n",
        "tests/mine.tftest.hcl": "# my own test\n",
    }
    _write(folder, theirs)
    # archgen wrote old.tf last time (say, an older version did): it goes, nothing else
    (folder / "old.tf").write_text("# generated by an older archgen\n", encoding="utf-8")
    manifest["files"].append("old.tf")
    (folder / ".archgen-output").write_text(json.dumps(manifest), encoding="utf-8")
    (folder / "main.tf").write_text("# edited by hand: archgen's file, so it is rewritten\n", encoding="utf-8")
    result = run_cli("terraform", str(EXAMPLE), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert not (folder / "old.tf").exists()
    for rel, text in theirs.items():
        assert (folder / rel).read_text(encoding="utf-8") == text, rel
    assert (folder / "main.tf").read_text(encoding="utf-8") == generate(example)["main.tf"]
    assert json.loads((folder / ".archgen-output").read_text(encoding="utf-8"))["files"] == sorted(generate(example))


def test_cli_default_output_and_bad_input(run_cli, tmp_path):
    (tmp_path / "arch").mkdir()
    shutil.copy(EXAMPLE, tmp_path / "arch" / "ml-serving.yaml")
    result = run_cli("terraform", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "build" / "terraform" / "ml-serving" / "aws" / "versions.tf").exists()
    before = (tmp_path / "build" / "terraform" / "ml-serving" / "aws" / "main.tf").read_text(encoding="utf-8")
    (tmp_path / "arch" / "ml-serving.yaml").write_text(
        EXAMPLE.read_text(encoding="utf-8").replace("kind: postgres", "kind: postgress"), encoding="utf-8"
    )
    result = run_cli("terraform", cwd=tmp_path)
    assert result.returncode == 2
    assert re.search(r"ml-serving\.yaml:\d+:\d+: ", result.stderr)
    assert "Traceback" not in result.stderr
    # a failed run leaves the previous output as it was
    assert (tmp_path / "build" / "terraform" / "ml-serving" / "aws" / "main.tf").read_text(encoding="utf-8") == before
    result = run_cli("terraform", "--provider", "ibm", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
