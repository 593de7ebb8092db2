"""Offline plans for the tests: `terraform plan` and `terraform show -json` of the Terraform
archgen generates, with no cloud account.

The skeleton's own ``tests/plan.tftest.hcl`` says how it plans offline (fake credentials,
example values for each data source, example variables), but `terraform test` saves no plan.
So the skeleton is copied, and what the test file overrides is applied the way a plan can
take it: its provider blocks go into an override file (``offline_override.tf.json``), each
overridden data source becomes a local value with the test's values (the ``data`` block is
dropped and ``data.T.N`` read as ``local.offline_T_N``), and its variables into
``offline.auto.tfvars.json``. Then the real `terraform plan -out` with the local provider
mirror, and the real `terraform show -json`. Plans are cached under tests/artifacts/plans
(gitignored), keyed by the hash of the skeleton and of the edit applied to it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "tests" / "artifacts" / "plans"
TERRAFORM = shutil.which("terraform")


def aws_mirror() -> Path | None:
    """A local provider mirror holding hashicorp/aws (ARCHGEN_TF_PLUGIN_DIR, /opt/tf-plugins...)."""
    candidates = [os.environ.get("ARCHGEN_TF_PLUGIN_DIR", ""), "/opt/tf-plugins", str(Path.home() / ".terraform.d" / "plugins")]
    for c in candidates:
        if c and any(Path(c).glob("registry.terraform.io/hashicorp/aws/*/*/terraform-provider-aws*")):
            return Path(c)
    return None


def cannot_plan() -> str | None:
    """Why no offline plan can be made on this machine, or None."""
    if TERRAFORM is None:
        return "terraform is not installed on this machine (no PyPI or Debian package exists)"
    if aws_mirror() is None:
        return "no local mirror of hashicorp/aws for an offline terraform init (set ARCHGEN_TF_PLUGIN_DIR)"
    return None


class PlanError(RuntimeError):
    pass


def offline_files(files: dict[str, str]) -> dict[str, str]:
    """The skeleton's files rewritten to plan offline as its tests/plan.tftest.hcl does."""
    import hcl2

    test = hcl2.loads(files["tests/plan.tftest.hcl"])
    out = {n: t for n, t in files.items() if n.endswith(".tf")}
    local_values: dict[str, object] = {}
    for block in test.get("override_data", []):
        target = _target(block["target"])  # data.T.N
        _, rtype, rname = target.split(".")
        local = f"offline_{rtype}_{rname}"
        local_values[local] = block["values"]
        block_re = re.compile(rf'^data "{rtype}" "{rname}" \{{(?:\}}|.*?^\}})\n', re.M | re.S)
        ref_re = re.compile(rf"\bdata\.{rtype}\.{rname}\b")
        for name, text in out.items():
            out[name] = ref_re.sub(f"local.{local}", block_re.sub("", text))
    if test.get("override_resource"):
        raise PlanError("the skeleton overrides resources at plan time: " + ", ".join(_target(b["target"]) for b in test["override_resource"]))
    providers: dict[str, list[dict]] = {}
    for block in test.get("provider", []):
        for pname, body in block.items():
            providers.setdefault(pname, []).append(dict(body))  # "${var.region}" is JSON syntax for an expression
    out["offline_override.tf.json"] = json.dumps({"provider": providers}, indent=2, sort_keys=True)
    if local_values:
        out["offline_data.tf.json"] = json.dumps({"locals": local_values}, indent=2, sort_keys=True)
    variables = {}
    for block in test.get("variables", []):
        variables.update(block)
    out["offline.auto.tfvars.json"] = json.dumps(variables, indent=2, sort_keys=True)
    return out


def without_providers(files: dict[str, str], drop: tuple[str, ...] = ("kubernetes", "helm")) -> dict[str, str]:
    """``files`` with what the ``drop`` providers write taken out: their resource and data
    blocks, their provider blocks and their ``required_providers`` entries. What the AWS
    mirror can plan of a skeleton whose cluster's components are written with providers
    this machine has no mirror of."""
    names = "|".join(drop)
    block = re.compile(rf'^(?:resource|data) "(?:{names})_\w+" "[^"]+" \{{(?:\}}|.*?^\}})\n\n?', re.MULTILINE | re.DOTALL)
    provider = re.compile(rf'^(?:#[^\n]*\n)*provider "(?:{names})" \{{.*?^\}}\n\n?', re.MULTILINE | re.DOTALL)
    required = re.compile(rf'^    (?:{names}) = \{{.*?^    \}}\n', re.MULTILINE | re.DOTALL)
    return {n: required.sub("", provider.sub("", block.sub("", t))) if n.endswith(".tf") else t for n, t in files.items()}


def _target(value: str) -> str:
    return value.removeprefix("${").removesuffix("}")


def plan_json(files: dict[str, str], work: Path, edit: Callable[[dict[str, str]], dict[str, str]] | None = None, tag: str = "") -> dict:
    """`terraform show -json` of an offline plan of ``files`` (after ``edit``), cached."""
    tf = offline_files(files)
    if edit is not None:
        tf = edit(dict(tf))
    key = hashlib.sha256(json.dumps(sorted(tf.items())).encode()).hexdigest()[:16]
    cached = CACHE / f"{tag or 'plan'}-{key}.json"
    if cached.exists():
        return json.loads(cached.read_text(encoding="utf-8"))
    out = _plan(tf, work / key)
    _store(cached, out)
    return json.loads(out)


def plan_many(skeletons: dict[str, dict[str, str]], work: Path, edit: Callable[[dict[str, str]], dict[str, str]] | None = None,
              tag: str = "") -> dict[str, dict]:
    """:func:`plan_json` of several skeletons (name -> files) in one Terraform run: each is
    a module of one root, so the AWS provider's schema is loaded once instead of once a
    skeleton (what an offline plan spends most of its time on). The plan is then cut into
    one plan per skeleton, as if each had been planned alone: its module's planned values,
    changes and configuration, with addresses relative to it. Each is cached as plan_json
    caches."""
    tfs = {}
    for name, files in sorted(skeletons.items()):
        tf = offline_files(files)
        tfs[name] = edit(dict(tf)) if edit is not None else tf
    keys = {name: hashlib.sha256(json.dumps(sorted(tf.items())).encode()).hexdigest()[:16] for name, tf in tfs.items()}
    cached = {name: CACHE / f"{tag}{name}-{key}.json" for name, key in keys.items()}
    todo = {name: tf for name, tf in tfs.items() if not cached[name].exists()}
    if todo:
        root: dict[str, str] = {}
        calls = {}
        for name, tf in todo.items():
            variables = json.loads(tf.get("offline.auto.tfvars.json", "{}"))
            root.update({f"{name}/{n}": t for n, t in tf.items() if n != "offline.auto.tfvars.json"})
            calls[name] = {"source": f"./{name}", **variables}
        root["main.tf.json"] = json.dumps({"module": calls}, indent=2, sort_keys=True)
        whole = json.loads(_plan(root, work / ("many-" + "-".join(sorted(keys[n] for n in todo))[:40])))
        for name in todo:
            _store(cached[name], json.dumps(_module_plan(whole, name)))
    return {name: json.loads(cached[name].read_text(encoding="utf-8")) for name in tfs}


def _module_plan(whole: dict, name: str) -> dict:
    """The part of a plan that module ``name`` of its root holds, as the plan of a root of its own."""
    prefix = f"module.{name}."

    def strip(module: dict) -> dict:
        out = dict(module)
        out.pop("address", None)
        out["resources"] = [{**r, "address": r["address"].removeprefix(prefix)} for r in module.get("resources", [])]
        if module.get("child_modules"):
            out["child_modules"] = [{**strip(c), "address": c["address"].removeprefix(prefix)} for c in module["child_modules"]]
        return out

    (child,) = [c for c in whole["planned_values"]["root_module"].get("child_modules", []) if c["address"] == prefix[:-1]]
    changes = [{**c, "address": c["address"].removeprefix(prefix), "module_address": c.get("module_address", "").removeprefix(prefix[:-1]).lstrip(".")}
               for c in whole.get("resource_changes", []) if c["address"].startswith(prefix)]
    for c in changes:
        if not c["module_address"]:
            del c["module_address"]
    config = whole["configuration"]["root_module"]["module_calls"][name]["module"]
    keep = {k: v for k, v in whole.items() if k not in ("planned_values", "resource_changes", "configuration", "prior_state", "relevant_attributes", "output_changes", "variables")}
    return {**keep, "planned_values": {"root_module": strip(child)}, "resource_changes": changes,
            "configuration": {"provider_config": whole["configuration"].get("provider_config", {}), "root_module": config}}


def _plan(tf: dict[str, str], folder: Path) -> str:
    """`terraform init`, `plan` and `show -json` of the files ``tf`` (paths -> text) in ``folder``."""
    if folder.exists():
        shutil.rmtree(folder)
    for name, text in tf.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    env = {**os.environ, "TF_CLI_CONFIG_FILE": os.devnull, "TF_IN_AUTOMATION": "1", "TF_DATA_DIR": str(folder / ".tfdata")}
    steps = [
        [TERRAFORM, "init", "-backend=false", "-input=false", "-no-color", f"-plugin-dir={aws_mirror()}"],
        [TERRAFORM, "plan", "-input=false", "-lock=false", "-refresh=false", "-no-color", "-out=plan.bin"],
    ]
    for step in steps:
        done = subprocess.run(step, cwd=folder, capture_output=True, text=True, env=env, timeout=900)
        if done.returncode != 0:
            raise PlanError(f"{' '.join(step[1:2])} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    show = subprocess.run([TERRAFORM, "show", "-json", "plan.bin"], cwd=folder, capture_output=True, text=True, env=env, timeout=600)
    if show.returncode != 0:
        raise PlanError("show failed: " + show.stderr[-3000:])
    shutil.rmtree(folder, ignore_errors=True)
    return show.stdout


def _store(path: Path, text: str) -> None:
    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
